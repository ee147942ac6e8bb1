package script

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// render prints references one a line, as the goldens hold them.
func render(refs []Ref) string {
	var b strings.Builder
	for _, r := range refs {
		fmt.Fprintf(&b, "%d %s", r.Line, r.Mode)
		if r.Catalog {
			fmt.Fprintf(&b, " table %q.%q", r.Database, r.Table)
		} else {
			fmt.Fprintf(&b, " %q", r.URL)
		}
		if r.Unknown != "" {
			fmt.Fprintf(&b, " unknown: %s", r.Unknown)
		}
		fmt.Fprintf(&b, " (%s)\n", r.Call)
	}
	return b.String()
}

// goldenArgs are the job arguments the golden scripts run with.
var goldenArgs = map[string]string{"--run_date": "2024-01-01", "--JOB_NAME": "orders"}

// TestGolden reads each script under testdata and compares what it finds
// with the .golden file beside it (go test -update rewrites them; check
// every diff).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.*")
	n := 0
	for _, f := range files {
		lang, ok := LangOf(f)
		if !ok {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			refs, err := Read(src, lang, Options{Args: goldenArgs})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			got := render(refs)
			golden := f + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s: got\n%s\nwant\n%s", f, got, want)
			}
		})
	}
	if n == 0 {
		t.Fatal("no scripts under testdata")
	}
}
