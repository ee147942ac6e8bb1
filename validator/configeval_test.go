package validator

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// decision is what a twin must share with its original: per job the verdict
// and per finding its id, verdict, action, resource and reason.
func decision(rep *report.Report) map[string][]string {
	out := map[string][]string{}
	for _, j := range rep.Jobs {
		d := []string{"verdict " + j.Verdict}
		for _, f := range j.Findings {
			d = append(d, strings.Join([]string{f.ID, f.Verdict, f.Action, f.Resource, f.Reason}, " "))
		}
		out[j.Address] = d
	}
	return out
}

func unknownFindings(rep *report.Report) int {
	n := 0
	for _, j := range rep.Jobs {
		for _, f := range j.Findings {
			if f.Verdict == report.VerdictUnknown {
				n++
			}
		}
	}
	return n
}

func TestGreenfieldTwinsDecideAsTheirOriginals(t *testing.T) {
	for _, name := range greenfieldTwins {
		t.Run(name, func(t *testing.T) {
			orig := filepath.Join(examplesDir, name)
			twin := filepath.Join(examplesDir, "greenfield-"+name)
			want := validateExample(t, orig, filepath.Join(orig, "plan.json"))
			got := validateExample(t, twin, filepath.Join(twin, "plan.json"))
			if len(got.Plan.Warnings) != 0 {
				t.Fatalf("the twin's configuration was not used: %q", got.Plan.Warnings)
			}
			wd, gd := decision(want), decision(got)
			for _, addr := range slices.Sorted(maps.Keys(wd)) {
				if !slices.Equal(gd[addr], wd[addr]) {
					t.Errorf("%s decided\n  %q\nwant, as the original,\n  %q", addr, gd[addr], wd[addr])
				}
			}
			if len(gd) != len(wd) {
				t.Errorf("%d jobs decided, the original has %d", len(gd), len(wd))
			}
			// The plan alone leaves what the configuration determines unknown:
			// without it the twin is not decided like the original.
			planOnly := validateExampleWith(t, twin, filepath.Join(twin, "plan.json"), "")
			if unknownFindings(planOnly) <= unknownFindings(got) {
				t.Errorf("plan alone has %d unknown findings, with the configuration %d: the twin is not greenfield", unknownFindings(planOnly), unknownFindings(got))
			}
		})
	}
}

func TestGreenfieldFindingsCiteDerivedValues(t *testing.T) {
	dir := filepath.Join(examplesDir, "greenfield-ga002-deny")
	rep := validateExample(t, dir, filepath.Join(dir, "plan.json"))
	if len(rep.Jobs) != 1 || len(rep.Jobs[0].Findings) != 1 {
		t.Fatalf("jobs %+v, want one job with one finding", rep.Jobs)
	}
	j := rep.Jobs[0]
	f := j.Findings[0]
	if f.ID != "GA002" || f.DecidedBy == nil || f.DecidedBy.Sid != "OnlyThroughVpce" {
		t.Fatalf("finding %+v, want GA002 decided by statement OnlyThroughVpce", f)
	}
	if loc := f.DecidedBy.Location; loc == nil || loc.String() != "main.tf:65" {
		t.Errorf("deciding statement at %v, want main.tf:65 (its statement block)", loc)
	}
	if j.Location == nil || j.Location.String() != "main.tf:90" {
		t.Errorf("job at %v, want main.tf:90", j.Location)
	}
	const arn = "aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:35)"
	if !slices.Contains(f.Evidence, arn) {
		t.Errorf("evidence %q does not say the bucket ARN the policy names was derived", f.Evidence)
	}
	var codes []string
	for _, a := range j.Assumptions {
		if a.Text == arn {
			codes = append(codes, a.Code)
		}
	}
	if !slices.Equal(codes, []string{"derived-value"}) {
		t.Errorf("assumptions %+v do not state the derived bucket ARN once", j.Assumptions)
	}
}

func TestStatementLocations(t *testing.T) {
	tests := []struct {
		example, want string
	}{
		{"greenfield-ga007-deny", "main.tf:78"},  // jsonencode({Statement = [{...}]})
		{"greenfield-ga002-deny", "main.tf:65"},  // statement block of a data aws_iam_policy_document
		{"greenfield-ga004-deny", "main.tf:102"}, // no statement allows: the policy argument
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			dir := filepath.Join(examplesDir, tc.example)
			rep := validateExample(t, dir, filepath.Join(dir, "plan.json"))
			for _, j := range rep.Jobs {
				for _, f := range j.Findings {
					if f.Verdict == report.VerdictDeny && f.DecidedBy != nil {
						if f.DecidedBy.Location == nil || f.DecidedBy.Location.String() != tc.want {
							t.Errorf("%s decided by %s at %v, want %s", f.ID, f.DecidedBy.Describe(), f.DecidedBy.Location, tc.want)
						}
						return
					}
				}
			}
			t.Fatal("no deny finding with a deciding policy")
		})
	}
}
