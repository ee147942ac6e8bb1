package validator

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/tfconfig"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// fileSecretDir is a stack whose role policy is a templatefile the plan shows
// only as "(known after apply)" (its bucket ARNs are known only after apply),
// and whose job reads a library from a folder named in a file; both files
// hold fileSecret, which no report may print (docs/validate.md, Security).
const (
	fileSecretDir = "testdata/plans/file-secret"
	fileSecret    = "hushk7q2vx" // compared lower-case
)

// TestFileContentsNeverReported: the configuration evaluator reads the files,
// and their contents, which the plan did not show, reach no report format;
// the values made from them are treated as unknown, with a note naming the
// file, so the job is unknown rather than decided from text no one may see.
func TestFileContentsNeverReported(t *testing.T) {
	// The secret is in the files only: anything a report prints of it came
	// from evaluating them.
	for _, f := range []string{"policy.json.tpl", "libs.txt"} {
		if !strings.Contains(strings.ToLower(readFixture(t, f)), fileSecret) {
			t.Fatalf("%s does not hold the secret", f)
		}
	}
	for _, f := range []string{"main.tf", "plan.json"} {
		if strings.Contains(strings.ToLower(readFixture(t, f)), fileSecret) {
			t.Fatalf("%s holds the secret: the test could not tell where a report got it", f)
		}
	}
	// The evaluator does read them (so the guard, not chance, keeps them out).
	ce := openFixtureConfig(t)
	for _, at := range [][]string{{"aws_iam_role_policy.glue", "policy"}, {"aws_glue_job.etl", "default_arguments", "--extra-py-files"}} {
		v, err := ce.ev.Attribute(at[0], at[1:]...)
		if err != nil {
			t.Fatal(err)
		}
		shown := v.Val.GoString()
		if !v.Sensitive || !strings.Contains(strings.ToLower(shown), fileSecret) {
			t.Fatalf("%v: evaluated to %s (sensitive %v), want the secret, sensitive", at, shown, v.Sensitive)
		}
	}

	rep := validateExample(t, fileSecretDir, filepath.Join(fileSecretDir, "plan.json"))
	if len(rep.Jobs) != 1 {
		t.Fatalf("%d jobs, want 1", len(rep.Jobs))
	}
	j := rep.Jobs[0]
	// The policy's explicit Deny would deny the job; unseen, the job is
	// unknown, never allowed.
	if j.Verdict != report.Unknown {
		t.Errorf("verdict %s, want %s", j.Verdict, report.Unknown)
	}
	var policy, library bool
	for _, f := range j.Findings {
		if f.Verdict != report.VerdictUnknown {
			t.Errorf("finding %s %s (%s), want only unknown findings", f.ID, f.Verdict, f.Reason)
		}
		policy = policy || f.ID == string(access.GA001) && f.Reason == access.ReasonPolicyUnknown && strings.Contains(f.Because, "aws_iam_role_policy.glue is not known")
		library = library || f.ID == string(access.GA001) && f.Reason == access.ReasonLocationUnknown && strings.Contains(f.Because, "--extra-py-files entry ${aws_iam_role.glue.unique_id}")
	}
	if !policy || !library {
		t.Errorf("want GA001 unknown for the policy text (%v) and for the library folder (%v); findings %+v", policy, library, j.Findings)
	}
	const note = "aws_iam_role_policy.glue.policy is derived from the contents of ./policy.json.tpl, which the plan does not show: it is taken from the plan alone, so that no report prints the file"
	if !slices.Contains(j.Assumptions, report.Assumption{Code: "withheld-value", Text: note}) {
		t.Errorf("assumptions %+v lack %q", j.Assumptions, note)
	}
	if !slices.Contains(rep.Plan.Warnings, note) {
		t.Errorf("plan warnings %q lack %q", rep.Plan.Warnings, note)
	}

	for _, name := range report.Names() {
		out := render(t, name, rep)
		if len(out) == 0 {
			t.Errorf("%s: empty report", name)
		}
		if i := strings.Index(strings.ToLower(string(out)), fileSecret); i >= 0 {
			t.Errorf("%s report prints the file's contents: ...%s...", name, out[max(0, i-120):min(len(out), i+40)])
		}
	}
}

// TestSensitiveValuesNeverResolved: whatever attribute the fact builder asks
// for, a value the evaluator marks sensitive is not answered, and is noted.
func TestSensitiveValuesNeverResolved(t *testing.T) {
	ce := openFixtureConfig(t)
	doc, err := planjson.Load(filepath.Join(fileSecretDir, "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := newPlanIndex(doc)
	asked := 0
	for _, r := range ix.Resources {
		if r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		_, res := ce.block(r.Address)
		if res == nil {
			t.Fatalf("%s: no block", r.Address)
		}
		for _, attr := range []string{"arn", "name", "policy", "role", "bucket", "unique_id", "default_arguments", "command.0.script_location", "assume_role_policy"} {
			v, err := ce.ev.Attribute(r.Address, strings.Split(attr, ".")...)
			if err != nil {
				continue
			}
			got, _, ok := ce.ResolveFrom(r.Address, attr)
			if v.Sensitive && v.Known {
				asked++
				if ok {
					t.Errorf("%s %s: sensitive, resolved to %v", r.Address, attr, got)
				}
				if w, noted := ce.withheld[r.Address+" "+attr]; !noted || !strings.HasPrefix(w.note, r.Address+"."+attr+" ") {
					t.Errorf("%s %s: withheld without a note", r.Address, attr)
				}
			}
			if ok && strings.Contains(strings.ToLower(fmt.Sprint(got)), fileSecret) {
				t.Errorf("%s %s: resolved to a value holding the secret", r.Address, attr)
			}
		}
	}
	if asked == 0 {
		t.Fatal("no sensitive value was asked for: the test checks nothing")
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fileSecretDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func openFixtureConfig(t *testing.T) *configEval {
	t.Helper()
	ce, note := openConfig(fileSecretDir, filepath.Join(fileSecretDir, "plan.json"), tfconfig.Options{})
	if ce == nil {
		t.Fatalf("configuration not used: %s", note)
	}
	return ce
}
