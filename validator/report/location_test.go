package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// located is a report decided with the Terraform configuration: the job and
// the deciding statement have locations and the finding rests on a derived
// value; warning, when set, says a configuration was not used.
func located(warning string) *Report {
	r := &Report{
		Version: Version,
		Plan:    PlanInfo{File: "plan.json", FormatVersion: "1.2", TerraformVersion: "1.11.4", Notes: []string{}},
		Jobs: []Job{{
			Address: "aws_glue_job.nightly", Name: "nightly", Role: "arn:aws:iam::111122223333:role/glue-etl",
			Location: &Location{File: "main.tf", Line: 90},
			Findings: []Finding{{
				ID: "GA002", Title: "bucket-policy", Verdict: VerdictDeny, Reason: "vpce-condition",
				Action: "s3:ListBucket", Resource: "arn:aws:s3:::example-glue-data",
				Because:   "explicit deny in a resource-based policy",
				DecidedBy: &Statement{Layer: "resource", Policy: "aws_s3_bucket_policy.data", Index: 0, Sid: "OnlyThroughVpce", Location: &Location{File: "modules/data/policy.tf", Line: 65}},
				Evidence:  []string{"aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:35)"},
			}},
			Assumptions: []Assumption{},
		}},
		Errors: []Error{},
	}
	if warning != "" {
		r.Plan.Warnings = []string{warning}
	}
	r.Summarize()
	return r
}

func TestLocationsInEveryFormat(t *testing.T) {
	const warning = "the Terraform configuration in cfg is not the one plan.json was made from; decided from the plan alone"
	tests := []struct {
		format string
		want   []string
	}{
		{"text", []string{
			"DENIED aws_glue_job.nightly (job nightly, role arn:aws:iam::111122223333:role/glue-etl) at main.tf:90\n",
			`decided by bucket policy aws_s3_bucket_policy.data statement 0 (Sid "OnlyThroughVpce") at modules/data/policy.tf:65` + "\n",
			"rests on: aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:35)\n",
			"warning: " + warning + "\n",
		}},
		{"json", []string{`"location": {`, `"file": "modules/data/policy.tf"`, `"line": 65`, `"evidence": [`, `"warnings": [`}},
		{"github", []string{"::error title=GA002 bucket-policy,file=modules/data/policy.tf,line=65::", "::warning title=glueaccess configuration,file=plan.json::" + warning}},
		{"markdown", []string{"> **warning**: " + warning}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Formatters[tc.format](&buf, located(warning), Options{}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, buf.String())
				}
			}
		})
	}
}

func TestSARIFLocations(t *testing.T) {
	type physical struct {
		ArtifactLocation struct{ URI string }
		Region           *struct{ StartLine int }
	}
	type result struct {
		Locations        []struct{ PhysicalLocation physical }
		RelatedLocations []struct{ PhysicalLocation physical }
	}
	decode := func(r *Report) result {
		var buf bytes.Buffer
		if err := SARIF(&buf, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct{ Results []result }
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		return log.Runs[0].Results[0]
	}
	with := decode(located(""))
	loc := with.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "modules/data/policy.tf" || loc.Region == nil || loc.Region.StartLine != 65 {
		t.Errorf("location %+v, want the deciding statement at modules/data/policy.tf:65", loc)
	}
	if len(with.RelatedLocations) != 1 || with.RelatedLocations[0].PhysicalLocation.Region.StartLine != 90 {
		t.Errorf("related locations %+v, want the job at main.tf:90", with.RelatedLocations)
	}
	// Without the configuration, results point at the plan file, with no region.
	plain := located("")
	plain.Jobs[0].Location, plain.Jobs[0].Findings[0].DecidedBy.Location = nil, nil
	without := decode(plain)
	if l := without.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != "plan.json" || l.Region != nil || len(without.RelatedLocations) != 0 {
		t.Errorf("location %+v, related %+v; want the plan file alone", l, without.RelatedLocations)
	}
}
