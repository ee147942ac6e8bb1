package validator

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

func TestRunExitCodes(t *testing.T) {
	ex := func(name string) string { return filepath.Join(examplesDir, name, "plan.json") }
	dir := t.TempDir()
	// Suppressing the only deny of multi-job leaves one unknown job.
	suppress := filepath.Join(dir, "suppress.hcl")
	if err := os.WriteFile(suppress, []byte(`suppress {
  job    = "aws_glue_job.reporting"
  id     = "GA001"
  reason = "logs bucket access is granted by another team's policy"
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	badConfig := filepath.Join(dir, "bad.hcl")
	if err := os.WriteFile(badConfig, []byte("surprise {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		args []string
		code int
		out  string // text the output must contain
	}{
		"denied job exits 1":                    {[]string{ex("ga001-deny")}, ExitDenied, "DENIED aws_glue_job.nightly"},
		"allowed job exits 0":                   {[]string{ex("ga001-fixed")}, ExitAllowed, "ALLOWED aws_glue_job.nightly"},
		"typo warned and hinted":                {[]string{ex("typo-action")}, ExitDenied, `  warning: aws_iam_role_policy.glue statement 0 ("ReadScripts"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`},
		"typo hint on the finding":              {[]string{ex("typo-action")}, ExitDenied, "rests on: aws_iam_role_policy.glue statement 0 names s3:GetObjects; did you mean s3:GetObject?"},
		"flags after the file":                  {[]string{ex("ga001-fixed"), "--format", "json"}, ExitAllowed, `"verdict": "allowed"`},
		"suppressed deny, unknown left":         {[]string{"--config", suppress, ex("multi-job")}, ExitAllowed, "suppressed deny"},
		"fail on unknown":                       {[]string{"--config", suppress, "--fail-on", "unknown", ex("multi-job")}, ExitDenied, "UNKNOWN aws_glue_job.legacy"},
		"suppression naming no job is an error": {[]string{"--config", suppress, ex("ga001-fixed")}, ExitError, "not an aws_glue_job of this plan"},
		"unknown format":                        {[]string{"--format", "xml", ex("ga001-fixed")}, ExitError, ""},
		"bad fail-on":                           {[]string{"--fail-on", "warning", ex("ga001-fixed")}, ExitError, ""},
		"no file":                               {nil, ExitError, ""},
		"two files":                             {[]string{ex("ga001-fixed"), ex("ga001-deny")}, ExitError, ""},
		"config with unknown block":             {[]string{"--config", badConfig, ex("ga001-fixed")}, ExitError, ""},
		"missing config":                        {[]string{"--config", filepath.Join(dir, "none.hcl"), ex("ga001-fixed")}, ExitError, ""},
		"bad max size":                          {[]string{"--max-plan-bytes", "lots", ex("ga001-fixed")}, ExitError, ""},
		"plan over max size":                    {[]string{"--max-plan-bytes", "100", ex("ga001-fixed")}, ExitError, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.out) {
				t.Errorf("output does not contain %q:\n%s", tc.out, stdout.String())
			}
			if tc.code == ExitError && stderr.Len() == 0 && !strings.Contains(stdout.String(), "error") {
				t.Error("exit 2 without saying why")
			}
		})
	}
}

func TestEveryFormatRendersAnExample(t *testing.T) {
	for _, format := range report.Names() {
		t.Run(format, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run([]string{"--format", format, filepath.Join(examplesDir, "ga004-deny", "plan.json")}, &stdout, &stderr)
			if code != ExitDenied {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), "GA004") {
				t.Errorf("%s output does not name GA004:\n%s", format, stdout.String())
			}
			if format == "json" || format == "sarif" {
				var v any
				if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
					t.Errorf("%s output is not JSON: %v", format, err)
				}
			}
		})
	}
}

// TestColourFollowsFlagTerminalAndNoColor: --color always and never decide;
// auto colours a character device unless NO_COLOR is set and not empty
// (https://no-color.org).
func TestColourFollowsFlagTerminalAndNoColor(t *testing.T) {
	tty, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer tty.Close()
	var buf bytes.Buffer
	unset := "(unset)"
	tests := []struct {
		when    string
		w       io.Writer
		noColor string
		want    bool
	}{
		{"auto", &buf, unset, false},
		{"auto", tty, unset, true}, // the null device is a character device, as a terminal is
		{"auto", tty, "1", false},
		{"auto", tty, "", true},
		{"always", &buf, "1", true},
		{"never", tty, unset, false},
	}
	t.Setenv("NO_COLOR", "") // restored after the test
	for i, tc := range tests {
		if tc.noColor == unset {
			os.Unsetenv("NO_COLOR")
		} else {
			os.Setenv("NO_COLOR", tc.noColor)
		}
		if got := colorOK(tc.when, tc.w); got != tc.want {
			t.Errorf("case %d: --color %s, NO_COLOR %q: colour %v, want %v", i, tc.when, tc.noColor, got, tc.want)
		}
	}
}

// TestInvalidPolicyNeverLetsTheJobPass uses a plan whose role has, besides a
// policy allowing everything the job needs, an inline policy that is JSON but
// not a valid policy.
func TestInvalidPolicyNeverLetsTheJobPass(t *testing.T) {
	rep, err := Validate(filepath.Join("testdata", "plans", "invalid-policy", "plan.json"), Options{Now: exampleNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Jobs) != 1 || rep.Jobs[0].Verdict != report.Denied {
		t.Fatalf("jobs %+v, want one denied job", rep.Jobs)
	}
	f := rep.Jobs[0].Findings
	if len(f) != 1 || f[0].Reason != "invalid-policy" || f[0].DecidedBy == nil || f[0].DecidedBy.Policy != "aws_iam_role_policy.broken" {
		t.Fatalf("findings %+v, want one invalid-policy finding on aws_iam_role_policy.broken", f)
	}
	if !strings.Contains(f[0].Because, `invalid Effect "Permit"`) {
		t.Errorf("because %q does not say what is invalid", f[0].Because)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("an invalid policy is a finding, not a tool error: %+v", rep.Errors)
	}
}
