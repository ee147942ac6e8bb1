package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// withScript is the sample with a second finding on the first job that comes
// from a line of the job's script.
func withScript() *Report {
	r := sample()
	j := &r.Jobs[0]
	j.Findings[0].Needs[0].Source = "definition"
	loc := &Location{File: "etl/jobs/orders.py", Line: 42, Path: "etl/jobs/orders.py"}
	j.Findings = append(j.Findings, Finding{
		ID: "GA001", Title: "role-s3-permissions", Verdict: VerdictDeny, Reason: "no-allow",
		Action: "s3:GetObject", Resource: "arn:aws:s3:::lake/sales/*", URL: "s3://lake/sales/",
		Needs: []Need{{Action: "s3:GetObject", Resource: "arn:aws:s3:::lake/sales/*", URL: "s3://lake/sales/", Intent: "data-read",
			Why: "spark.read.parquet s3://lake/sales/ at etl/jobs/orders.py:42", Source: "script", Location: loc}},
		Because: "no identity-based policy allows the s3:GetObject action", Missing: []Missing{},
	})
	r.Summarize()
	return r
}

// TestTextGroupsFindingsBySource: a job whose findings come from more than
// its definition shows them under one heading per source, in a fixed order,
// the script ones with their line; a job whose findings all come from its
// definition has no heading.
func TestTextGroupsFindingsBySource(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, withScript(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	def := strings.Index(out, "  from the job's definition:\n")
	scr := strings.Index(out, "  from the job's script:\n")
	line := strings.Index(out, "for s3://lake/sales/ (etl/jobs/orders.py:42)")
	if def < 0 || scr < def || line < scr {
		t.Fatalf("want the definition group, then the script group with its line:\n%s", out)
	}
	if strings.Count(out, "from the job's") != 2 {
		t.Errorf("a job with definition findings only got a heading:\n%s", out)
	}
	buf.Reset()
	if err := Text(&buf, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "from the job's") {
		t.Errorf("headings without any non-definition finding:\n%s", buf.String())
	}
}

// TestSARIFCitesTheScriptLine: a finding from the script has the script line
// as a related location, from the repository root.
func TestSARIFCitesTheScriptLine(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, withScript(), Options{}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				URL     string `json:"-"`
				Related []struct {
					Physical struct {
						Artifact struct {
							URI  string `json:"uri"`
							Base string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, res := range log.Runs[0].Results {
		for _, rl := range res.Related {
			if rl.Physical.Artifact.URI == "etl/jobs/orders.py" && rl.Physical.Region.StartLine == 42 && rl.Physical.Artifact.Base != "" {
				found++
			}
		}
	}
	if found != 1 {
		t.Fatalf("want one related location at etl/jobs/orders.py:42 from the root, found %d:\n%s", found, buf.String())
	}
}
