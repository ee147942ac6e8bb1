package validator

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// scriptFacts builds the facts of the job of examples/validate/script-pyspark-deny
// from the plan alone, with the plan's script object edited by edit.
func scriptFacts(t *testing.T, edit func(string) string) *access.Facts {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(examplesDir, "script-pyspark-deny", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(p, []byte(edit(string(src))), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := planjson.Load(p, planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := newPlanIndex(doc)
	// The script location is built from the new bucket's id, unknown in the
	// plan alone: this resolver states it, as the configuration would.
	res := chain{planResolver{ix: ix}, scriptLocation{}}
	return newFactBuilder(ix, res, nil).Facts(0)
}

type scriptLocation struct{}

func (scriptLocation) Resolve(addr, attr string) (any, bool) {
	if addr == "aws_glue_job.rollup" && attr == "command.0.script_location" {
		return "s3://example-glue-artifacts/jobs/orders.py", true
	}
	return nil, false
}

// withContent makes the script object upload content instead of a file.
func withContent(script string) func(string) string {
	return func(s string) string {
		s = strings.ReplaceAll(s, `"content": null`, `"content": `+strconv.Quote(script))
		return strings.ReplaceAll(s, `"source": "./jobs/orders.py"`, `"source": null`)
	}
}

func scriptPaths(f *access.Facts) []access.AccessPath {
	var out []access.AccessPath
	for _, p := range f.Access {
		if p.Source == access.SourceScript {
			out = append(out, p)
		}
	}
	return out
}

func TestScriptFacts(t *testing.T) {
	t.Run("source without the configuration is unknown", func(t *testing.T) {
		ps := scriptPaths(scriptFacts(t, func(s string) string { return s }))
		if len(ps) != 1 || ps[0].URL != "" || !strings.Contains(ps[0].Unknown, "--config-dir") || ps[0].From.File != "./jobs/orders.py" {
			t.Fatalf("got %+v, want one unknown path naming the source and --config-dir", ps)
		}
	})
	t.Run("content is read", func(t *testing.T) {
		f := scriptFacts(t, withContent("import sys\nspark.read.parquet('s3://example-raw-orders/in/')\nglue.create_dynamic_frame.from_catalog(database='sales', table_name='orders')\n"))
		ps := scriptPaths(f)
		if len(ps) != 1 || ps[0].URL != "s3://example-raw-orders/in/" || ps[0].Mode != access.ModeRead || ps[0].Unknown != "" ||
			ps[0].From.File != "aws_s3_object.script content" || ps[0].From.Line != 2 {
			t.Fatalf("got %+v, want the read of line 2", ps)
		}
		if len(f.CatalogTables) != 1 || f.CatalogTables[0].Database.V != "sales" || f.CatalogTables[0].Table.V != "orders" ||
			!f.CatalogTables[0].Table.Known || f.CatalogTables[0].Mode != access.ModeRead || f.CatalogTables[0].From.Line != 3 {
			t.Fatalf("catalog tables %+v", f.CatalogTables)
		}
		if !slicesContainsBucket(f, "example-raw-orders") {
			t.Error("the bucket the script reads is not among the job's buckets")
		}
	})
	t.Run("a script that cannot be read is unknown", func(t *testing.T) {
		ps := scriptPaths(scriptFacts(t, withContent("x = 'never closed\n")))
		if len(ps) != 1 || !strings.Contains(ps[0].Unknown, "could not read") || !strings.Contains(ps[0].Unknown, "line 1") {
			t.Fatalf("got %+v", ps)
		}
	})
	t.Run("another object is not the script", func(t *testing.T) {
		f := scriptFacts(t, func(s string) string {
			return strings.ReplaceAll(withContent("spark.read.parquet('s3://x/y/')")(s), `"key": "jobs/orders.py"`, `"key": "jobs/other.py"`)
		})
		if ps := scriptPaths(f); len(ps) != 0 {
			t.Fatalf("got %+v, want no script paths", ps)
		}
	})
}

func slicesContainsBucket(f *access.Facts, name string) bool {
	for _, b := range f.Buckets {
		if b.Name == name {
			return true
		}
	}
	return false
}

// A script uploaded with content = file(...) or templatefile(...) is cited
// as the repository file it is read from, line for line, not as the object's
// content; a template whose rendering moves lines is not.
func TestScriptContentFromFile(t *testing.T) {
	src := filepath.Join(examplesDir, "script-pyspark-deny")
	script, err := os.ReadFile(filepath.Join(src, "jobs/orders.py"))
	if err != nil {
		t.Fatal(err)
	}
	tpl := strings.Replace(string(script), "example-raw-orders", "${bucket}", 1)
	for _, tc := range []struct {
		name, content, tpl, want string
		rendered                 string // the content in the plan, when it is not the script
	}{
		{"file", `file("${path.module}/jobs/orders.py")`, "", "at jobs/orders.py:15\"", ""},
		{"templatefile", `templatefile("${path.module}/jobs/orders.py.tpl", { bucket = "example-raw-orders" })`, tpl, "at jobs/orders.py.tpl:15\"", ""},
		{"template with other lines", `templatefile("${path.module}/jobs/orders.py.tpl", { bucket = "example-raw-orders" })`,
			"%{ if true }\n%{ endif }" + tpl, "at aws_s3_object.script content:15\"", ""},
		// As many lines, shifted: a header of three lines, a directive line
		// the rendering drops, and one more at the end.
		{"template with as many lines, shifted", `templatefile("${path.module}/jobs/orders.py.tpl", { bucket = "example-raw-orders", hdr = "a\nb\nc" })`,
			"# ${hdr}\n%{ if true ~}\n" + tpl + "%{ endif ~}\n", "at aws_s3_object.script content:18\"", "# a\nb\nc\n" + string(script)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "jobs"), 0o755); err != nil {
				t.Fatal(err)
			}
			files := map[string]string{"jobs/orders.py": string(script), "jobs/orders.py.tpl": tc.tpl}
			for _, name := range []string{"main.tf", "plan.json"} {
				b, err := os.ReadFile(filepath.Join(src, name))
				if err != nil {
					t.Fatal(err)
				}
				files[name] = string(b)
			}
			files["main.tf"] = strings.Replace(files["main.tf"], `source = "${path.module}/jobs/orders.py"`, "content = "+tc.content, 1)
			rendered := string(script)
			if tc.rendered != "" {
				rendered = tc.rendered
			}
			files["plan.json"] = withContent(rendered)(files["plan.json"])
			for name, b := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, err := json.Marshal(validateExampleWith(t, dir, filepath.Join(dir, "plan.json"), dir))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), "spark.read.csv s3://example-raw-orders/orders/ "+tc.want) {
				t.Fatalf("report %s: want the read cited %s", out, tc.want)
			}
		})
	}
}

// A location a known call uses and a call glueaccess does not know uses too
// leaves the job unknown, never allowed for the known use alone: the role
// may write the curated prefix, but what wr.s3.read_parquet needs of it is
// not known.
func TestScriptUnknownCallIsNotAllowed(t *testing.T) {
	const write = "p = 's3://example-curated/orders_daily/'\ndf.write.parquet(p)\n"
	if rep := access.Check(scriptFacts(t, withContent(write)), access.Options{}); rep.Verdict != access.JobAllowed {
		t.Fatalf("the write alone: verdict %s, want allowed (%+v)", rep.Verdict, rep.Findings)
	}
	rep := access.Check(scriptFacts(t, withContent(write+"wr.s3.read_parquet(p)\n")), access.Options{})
	if rep.Verdict != access.JobUnknown {
		t.Fatalf("verdict %s, want unknown", rep.Verdict)
	}
	for _, fd := range rep.Findings {
		if strings.Contains(fd.Because+fmt.Sprint(fd.Missing), "s3://example-curated/orders_daily/, named at aws_s3_object.script content:3") {
			return
		}
	}
	t.Fatalf("no finding names the location and line 3: %+v", rep.Findings)
}
