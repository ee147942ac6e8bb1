package validator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

func baselineReport() *report.Report {
	r := &report.Report{Jobs: []report.Job{
		{Address: "aws_glue_job.b", Findings: []report.Finding{
			{ID: "GA002", Verdict: report.VerdictDeny, Reason: "explicit-deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*"},
			{ID: "GA005", Verdict: report.VerdictUnknown, Reason: "key-policy-unknown", Suppressed: &report.Suppression{Reason: "r", Source: ".glueaccess.hcl:3"}},
		}},
		{Address: "aws_glue_job.a", Findings: []report.Finding{{ID: "GA001", Verdict: report.VerdictDeny, Reason: "no-allow"}}},
	}}
	r.Summarize()
	return r
}

func TestBaselineRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := writeBaseline(path, baselineReport()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Sorted by job, and without the finding a suppression already covers.
	if a, b := strings.Index(string(data), "aws_glue_job.a"), strings.Index(string(data), "aws_glue_job.b"); a < 0 || b < a || strings.Contains(string(data), "GA005") {
		t.Errorf("baseline not sorted by job or holds a suppressed finding:\n%s", data)
	}
	set, err := readBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	r := baselineReport()
	// A new finding on job a is not in the baseline and still counts.
	r.Jobs[1].Findings = append(r.Jobs[1].Findings, report.Finding{ID: "GA006", Verdict: report.VerdictDeny, Reason: "requester-pays"})
	applyBaseline(r, set, "baseline.json")
	r.Summarize()
	if r.Jobs[0].Verdict != report.Allowed || r.Jobs[1].Verdict != report.Denied {
		t.Fatalf("verdicts %s, %s: want b allowed (its deny is in the baseline) and a denied by its new finding", r.Jobs[0].Verdict, r.Jobs[1].Verdict)
	}
	if s := r.Jobs[1].Findings[0].Suppressed; s == nil || s.Source != "baseline.json" {
		t.Errorf("baselined finding suppressed by %+v, want the baseline", s)
	}
	if s := r.Jobs[0].Findings[1].Suppressed; s.Source != ".glueaccess.hcl:3" {
		t.Errorf("the configuration's suppression was replaced by %+v", s)
	}
	if len(r.Plan.Notes) != 0 {
		t.Errorf("notes %v, want none: every baseline entry matched", r.Plan.Notes)
	}
	// Fixed findings leave stale entries, which the report counts.
	fixed := &report.Report{Jobs: []report.Job{{Address: "aws_glue_job.a", Findings: []report.Finding{}}}}
	applyBaseline(fixed, set, "baseline.json")
	if len(fixed.Plan.Notes) != 1 || !strings.Contains(fixed.Plan.Notes[0], "2 of the 2 findings") {
		t.Errorf("notes %v, want one counting 2 stale entries", fixed.Plan.Notes)
	}
}

func TestReadBaselineRejectsWhatIsNotOne(t *testing.T) {
	cases := map[string]string{
		"not json":         "nope",
		"unknown field":    `{"version": 1, "findings": [], "extra": true}`,
		"wrong version":    `{"version": 2, "findings": []}`,
		"bad fingerprint":  `{"version": 1, "findings": [{"fingerprint": "GA001"}]}`,
		"trailing content": `{"version": 1, "findings": []} {}`,
		"sarif instead":    `{"version": "2.1.0", "runs": []}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := readBaseline(path); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one naming %s", err, path)
			}
		})
	}
}
