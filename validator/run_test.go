package validator

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

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
	rep, err := validate(filepath.Join("testdata", "plans", "invalid-policy", "plan.json"), Options{Now: exampleNow})
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
