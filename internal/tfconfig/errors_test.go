package tfconfig

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func TestSyntaxErrorHasFileAndLine(t *testing.T) {
	_, diags := Load(filepath.Join("testdata", "syntax"))
	err := diagError(diags)
	if err == nil {
		t.Fatal("Load accepted a file with a syntax error")
	}
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "syntax/main.tf:3:") && !strings.Contains(err.Error(), "main.tf:3: ") {
		t.Errorf("error %q, want ErrConfig at main.tf:3", err)
	}
}

func TestBadReferencesAreErrorsWithFileAndLine(t *testing.T) {
	cfg := load(t, "badref")
	var changes []*tfjson.ResourceChange
	for _, name := range []string{"var", "res", "count", "attr", "call"} {
		changes = append(changes, create("aws_s3_bucket."+name, map[string]any{}, "bucket"))
	}
	ev := bind(t, cfg, planFor(t, cfg, nil, changes...), Options{})
	tests := []struct {
		address string
		want    string
	}{
		{"aws_s3_bucket.var", `main.tf:2: Reference to undeclared input variable: no variable named "missing"`},
		{"aws_s3_bucket.res", `main.tf:6: Reference to undeclared resource: resource aws_s3_bucket.nope is not declared`},
		{"aws_s3_bucket.count", `main.tf:10: Reference to "count" in non-counted context`},
		{"aws_s3_bucket.attr", `main.tf:14: Unsupported attribute: aws_s3_bucket.var has no attribute "no_such_attribute"`},
		{"aws_s3_bucket.call", `main.tf:18: Too many function arguments`},
	}
	for _, tc := range tests {
		t.Run(tc.address, func(t *testing.T) {
			_, err := ev.Attribute(tc.address, "bucket")
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want ErrConfig containing %q", err, tc.want)
			}
		})
	}
}

func TestLocalCycleIsReported(t *testing.T) {
	cfg := load(t, "cycle")
	plan := planFor(t, cfg, nil,
		create("aws_s3_bucket.b", map[string]any{}, "bucket"),
		create("aws_s3_bucket.ok", map[string]any{"bucket": "fine"}))
	ev := bind(t, cfg, plan, Options{})
	_, err := ev.Attribute("aws_s3_bucket.b", "bucket")
	if err == nil || !strings.Contains(err.Error(), "Cycle in configuration: local.a → local.b → local.a") || !strings.Contains(err.Error(), "main.tf:") {
		t.Errorf("error %v, want the cycle local.a → local.b → local.a with its position", err)
	}
	// The cycle does not poison values that do not depend on it.
	if got := mustString(t, attribute(t, ev, "aws_s3_bucket.ok", "bucket")); got != "fine" {
		t.Errorf("unrelated bucket = %q, want fine", got)
	}
}

func TestMismatchWithPlanConfiguration(t *testing.T) {
	cfg := load(t, "greenfield")
	tests := []struct {
		name   string
		mutate func(*tfjson.ConfigModule)
		want   string
	}{
		{"resource missing from the plan", func(m *tfjson.ConfigModule) { m.Resources = m.Resources[1:] }, "is in the configuration files but not in the plan"},
		{"resource missing from the files", func(m *tfjson.ConfigModule) {
			m.Resources = append(m.Resources, &tfjson.ConfigResource{Mode: tfjson.ManagedResourceMode, Type: "aws_s3_bucket", Name: "other"})
		}, "aws_s3_bucket.other is in the plan but not in the configuration files"},
		{"module call missing from the files", func(m *tfjson.ConfigModule) {
			m.ModuleCalls["etl"] = &tfjson.ModuleCall{Source: "./etl", Module: &tfjson.ConfigModule{}}
		}, "module.etl is in the plan but not in the configuration files"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := planFor(t, cfg, map[string]any{"env": "prod"})
			tc.mutate(plan.Config.RootModule)
			_, err := cfg.Bind(plan, Options{})
			if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Bind: %v, want ErrMismatch saying %q", err, tc.want)
			}
		})
	}
	if _, err := cfg.Bind(&tfjson.Plan{}, Options{}); !errors.Is(err, ErrMismatch) {
		t.Errorf("Bind of a plan without configuration: %v, want ErrMismatch", err)
	}
}

func TestJSONSyntaxConfiguration(t *testing.T) {
	cfg := load(t, "jsonsyntax")
	plan := planFor(t, cfg, map[string]any{"names": []any{"in", "out"}},
		create("aws_s3_bucket.b", map[string]any{"bucket": "json-bucket"}, "arn"),
		create("aws_iam_role.r", map[string]any{"name": "json-role", "path": "/"}, "arn"),
		change("", "aws_glue_job.j", 0, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "name", "role_arn", "command"),
		change("", "aws_glue_job.j", 1, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "name", "role_arn", "command"),
		change("", "data.aws_iam_policy_document.dyn", nil, tfjson.Actions{tfjson.ActionRead}, map[string]any{}, "json"),
	)
	ev := bind(t, cfg, plan, Options{})
	if got := mustString(t, attribute(t, ev, "aws_glue_job.j[1]", "role_arn")); got != "arn:aws:iam::123456789012:role/json-role" {
		t.Errorf("role_arn = %q", got)
	}
	if got := mustString(t, attribute(t, ev, "aws_glue_job.j[1]", "command", "0", "script_location")); got != "s3://json-bucket/out.py" {
		t.Errorf("script_location = %q, want the block written as a JSON object read as a one-element list", got)
	}
	when := attribute(t, ev, "aws_glue_job.j[0]", "default_arguments", "--when")
	if when.Known || !strings.Contains(when.Unknown, "timestamp() returns a new value on every run") {
		t.Errorf("--when: known %v, reason %q; want unknown naming timestamp", when.Known, when.Unknown)
	}
	if got := mustString(t, attribute(t, ev, "aws_glue_job.j[0]", "default_arguments", "--bucket")); got != "arn:aws:s3:::json-bucket" {
		t.Errorf("--bucket = %q, want the derived bucket ARN", got)
	}
	doc, err := ev.PolicyDocumentJSON("data.aws_iam_policy_document.dyn")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Known || !strings.Contains(doc.Unknown, "dynamic blocks in JSON syntax") {
		t.Errorf("document with a JSON dynamic block: known %v, reason %q; want unknown saying why", doc.Known, doc.Unknown)
	}
}

func TestAddressErrors(t *testing.T) {
	ev := greenfield(t, Options{})
	for _, tc := range []struct{ address, want string }{
		{"aws_s3_bucket.nope", "is not declared"},
		{"aws_s3_bucket.data[0]", "no such instance"},
		{"module.x.aws_s3_bucket.b", `no module call "x"`},
		{"not an address", "invalid address"},
	} {
		_, err := ev.Attribute(tc.address, "arn")
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Attribute(%q): %v, want ErrNotFound saying %q", tc.address, err, tc.want)
		}
	}
	if _, err := ev.Attribute("aws_s3_bucket.data", "arn", "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("descending into a string: %v, want ErrNotFound", err)
	}
}

// writeConfig writes files into a temporary directory and returns it.
func writeConfig(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"override of a missing block", map[string]string{"main.tf": `resource "aws_s3_bucket" "b" {}`, "x_override.tf": `resource "aws_s3_bucket" "c" {}`},
			"Missing base block to override: there is no resource block aws_s3_bucket.c to override"},
		{"duplicate resources across files", map[string]string{"a.tf": `resource "aws_s3_bucket" "b" {}`, "b.tf": "\n" + `resource "aws_s3_bucket" "b" {}`},
			`b.tf:2: Duplicate resource: resource "aws_s3_bucket.b" is declared more than once`},
		{"count with for_each", map[string]string{"main.tf": `resource "aws_s3_bucket" "b" {
  count    = 1
  for_each = {}
}`}, "main.tf:1: Invalid combination of count and for_each"},
		{"module without source", map[string]string{"main.tf": `module "m" {}`}, `main.tf:1: Missing required argument: The argument "source" is required`},
		{"JSON syntax error", map[string]string{"main.tf.json": `{"resource": `}, "main.tf.json:1:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := Load(writeConfig(t, tc.files))
			err := diagError(diags)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestResourceCycleIsReported(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.tf": `resource "aws_s3_bucket" "a" {
  bucket = aws_s3_bucket.b.bucket
}

resource "aws_s3_bucket" "b" {
  bucket = aws_s3_bucket.a.bucket
}
`})
	cfg, diags := Load(dir)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	plan := planFor(t, cfg, nil, create("aws_s3_bucket.a", map[string]any{}, "bucket"), create("aws_s3_bucket.b", map[string]any{}, "bucket"))
	ev := bind(t, cfg, plan, Options{})
	_, err := ev.Attribute("aws_s3_bucket.a", "bucket")
	if err == nil || !strings.Contains(err.Error(), "Cycle in configuration: aws_s3_bucket.a.bucket → aws_s3_bucket.b.bucket → aws_s3_bucket.a.bucket") {
		t.Errorf("Attribute: %v, want the cycle a → b → a", err)
	}
}
