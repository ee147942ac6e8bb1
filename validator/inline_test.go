package validator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

func TestParseIgnore(t *testing.T) {
	cases := []struct {
		text    string
		ids     []access.CheckID
		reason  string
		expires string
		err     string
	}{
		{text: `glueaccess:ignore GA003 reason="objects are rewritten nightly" expires=2027-03-31`, ids: []access.CheckID{"GA003"}, reason: "objects are rewritten nightly", expires: "2027-03-31"},
		{text: `glueaccess:ignore GA001,GA005 reason="granted by \"shared\" policy"`, ids: []access.CheckID{"GA001", "GA005"}, reason: `granted by "shared" policy`},
		{text: `glueaccess:ignore GA002 GA004 reason=temporary`, ids: []access.CheckID{"GA002", "GA004"}, reason: "temporary"},
		{text: `glueaccess:ignore reason="x"`, err: "name the check"},
		{text: `glueaccess:ignore GA009 reason="x"`, err: `check id "GA009"`},
		{text: `glueaccess:ignore GA001`, err: "reason"},
		{text: `glueaccess:ignore GA001 reason="  "`, err: "reason"},
		{text: `glueaccess:ignore GA001 reason="x" expires=31/03/2027`, err: "YYYY-MM-DD"},
		{text: `glueaccess:ignore GA001 reason="x" until=2027-01-01`, err: `unknown setting "until"`},
		{text: `glueaccess:ignore GA001 reason="unterminated`, err: "unterminated"},
		{text: `glueaccess:ignoreGA001 reason="x"`, err: "followed by check ids"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			sups, err := parseIgnore(tc.text, "main.tf", 7)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "main.tf:7: ") {
					t.Fatalf("error %v, want one at main.tf:7 containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sups) != len(tc.ids) {
				t.Fatalf("%d suppressions, want %d", len(sups), len(tc.ids))
			}
			for i, s := range sups {
				if s.ID != tc.ids[i] || s.Reason != tc.reason || s.From.String() != "main.tf:7" {
					t.Errorf("suppression %+v, want %s with reason %q from main.tf:7", s, tc.ids[i], tc.reason)
				}
				if got := dateOrEmpty(s.Expires); got != tc.expires {
					t.Errorf("expires %q, want %q", got, tc.expires)
				}
			}
		})
	}
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// TestBlockComments finds the directives above a block and inside it, and
// none of a neighbouring block's or of a string that only looks like one.
func TestBlockComments(t *testing.T) {
	src := `resource "aws_s3_bucket" "other" {
  # glueaccess:ignore GA002 reason="belongs to the bucket above"
  bucket = "x"
}

# the nightly job
# glueaccess:ignore GA001 reason="above the block"
resource "aws_glue_job" "nightly" {
  name = "nightly"
  // glueaccess:ignore GA005 reason="inside the block"
  description = "# glueaccess:ignore GA006 reason=\"in a string\""
  command {
    /* glueaccess:ignore GA004 reason="in a nested block" */
    script_location = "s3://b/k.py"
  }
}
# glueaccess:ignore GA003 reason="after the block"
`
	path := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	lf, err := lexFile(path, "main.tf")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range lf.blockComments(8) {
		sups, err := parseIgnore(c.text, "main.tf", c.line)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(sups[0].ID)+"@"+sups[0].From.String())
	}
	want := "GA001@main.tf:7 GA005@main.tf:10 GA004@main.tf:13"
	if strings.Join(got, " ") != want {
		t.Errorf("directives %v, want %s", got, want)
	}
	if c := lf.blockComments(9); c != nil {
		t.Errorf("a line that starts no block has directives %v", c)
	}
}

// FuzzParseIgnore: any comment text is parsed or rejected, never accepted
// without a check id and a reason.
func FuzzParseIgnore(f *testing.F) {
	f.Add(`glueaccess:ignore GA003 reason="objects are rewritten nightly" expires=2027-03-31`)
	f.Add(`glueaccess:ignore GA001,GA005 reason="a \"b\" \\ c"`)
	f.Add(`glueaccess:ignore reason=`)
	f.Fuzz(func(t *testing.T, text string) {
		sups, err := parseIgnore(text, "main.tf", 1)
		if err != nil {
			return
		}
		if len(sups) == 0 {
			t.Fatal("accepted a directive that suppresses nothing")
		}
		for _, s := range sups {
			if _, ok := access.Titles[s.ID]; !ok || strings.TrimSpace(s.Reason) == "" {
				t.Fatalf("accepted %+v", s)
			}
		}
	})
}
