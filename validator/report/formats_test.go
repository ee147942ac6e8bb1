package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// GitLabSchema compiles the Code Quality schema kept in testdata.
func gitLabSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "gitlab-code-quality.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("gitlab-code-quality.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("gitlab-code-quality.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGitLabFollowsTheCodeQualityFormat: the report validates against the
// schema, leaves suppressed findings out, names files from the repository
// root when known, and gives each finding its own fingerprint.
func TestGitLabFollowsTheCodeQualityFormat(t *testing.T) {
	r := sample()
	r.Jobs[0].Location = &Location{File: "main.tf", Line: 40, Path: "infra/etl/main.tf"}
	var buf bytes.Buffer
	if err := GitLab(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := gitLabSchema(t).Validate(inst); err != nil {
		t.Fatalf("not a Code Quality report: %v\n%s", err, buf.String())
	}
	var issues []codeQualityIssue
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	want := r.Summary.Findings - r.Summary.Suppressed + r.Summary.Errors
	if len(issues) != want {
		t.Fatalf("%d issues, want %d (findings not suppressed, and errors)", len(issues), want)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if seen[is.Fingerprint] {
			t.Errorf("fingerprint %s twice", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	if issues[0].Location.Path != "infra/etl/main.tf" || issues[0].Severity != "critical" {
		t.Errorf("first issue %+v, want the deny at infra/etl/main.tf, critical", issues[0])
	}
}

// TestJUnitCountsJobs: one testcase per job and per tool error; a job that
// is not allowed fails, unknown included.
func TestJUnitCountsJobs(t *testing.T) {
	var buf bytes.Buffer
	if err := JUnit(&buf, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	s := sample().Summary
	if doc.Tests != s.Jobs+s.Errors || doc.Failures != s.Denied+s.Unknown || doc.Errors != s.Errors {
		t.Errorf("tests %d failures %d errors %d, want %d %d %d", doc.Tests, doc.Failures, doc.Errors, s.Jobs+s.Errors, s.Denied+s.Unknown, s.Errors)
	}
	for _, c := range doc.Suites[0].Cases {
		if c.Name == "aws_glue_job.ok" && (c.Failure != nil || c.Error != nil) {
			t.Error("the allowed job fails")
		}
	}
}

// FuzzMachineFormats: whatever text a plan puts into a report, the JUnit
// output stays well-formed XML and the Code Quality output valid JSON of the
// format, each job and finding kept.
func FuzzMachineFormats(f *testing.F) {
	f.Add("aws_glue_job.x", "because <b>&amp;</b>", "main.tf")
	f.Add("a\x00b", "]]>\x1b[31m", "dir/ü.tf")
	f.Fuzz(func(t *testing.T, address, because, file string) {
		r := sample()
		r.Jobs[0].Address = address
		r.Jobs[0].Findings[0].Because = because
		r.Jobs[0].Location = &Location{File: file, Line: 3}
		var x bytes.Buffer
		if err := JUnit(&x, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal(x.Bytes(), &doc); err != nil {
			t.Fatalf("JUnit output is not XML: %v\n%s", err, x.String())
		}
		if len(doc.Suites[0].Cases) != len(r.Jobs)+len(r.Errors) {
			t.Fatalf("%d testcases, want %d", len(doc.Suites[0].Cases), len(r.Jobs)+len(r.Errors))
		}
		var g bytes.Buffer
		if err := GitLab(&g, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var issues []codeQualityIssue
		if err := json.Unmarshal(g.Bytes(), &issues); err != nil {
			t.Fatalf("Code Quality output is not JSON: %v", err)
		}
		if file != "" && !strings.HasPrefix(file, "/") {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(g.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := gitLabSchema(t).Validate(inst); err != nil {
				t.Fatalf("not a Code Quality report: %v", err)
			}
		}
	})
}

// failAfter accepts limit bytes, then fails every write, as a full disk does.
type failAfter struct{ limit int }

var errDiskFull = errors.New("no space left on device")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) <= w.limit {
		w.limit -= len(p)
		return len(p), nil
	}
	n := w.limit
	w.limit = 0
	return n, errDiskFull
}

// TestEveryFormatReportsAFailedWrite: a report cut short anywhere, up to its
// last byte, is an error of the formatter (so --output fails with exit 2),
// never a silently truncated file.
func TestEveryFormatReportsAFailedWrite(t *testing.T) {
	for _, name := range Names() {
		full := len(render(t, name, withNotes(), Options{Verbose: true}))
		for _, limit := range []int{0, full / 2, full - 1} {
			err := Formatters[name](&failAfter{limit}, withNotes(), Options{Verbose: true})
			if !errors.Is(err, errDiskFull) {
				t.Errorf("%s cut after %d of %d bytes: error %v, want %v", name, limit, full, err, errDiskFull)
			}
		}
	}
}
