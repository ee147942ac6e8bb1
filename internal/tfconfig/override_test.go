package tfconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRepo writes files (name → content) into a new directory that is its own
// repository (it holds .git), and returns it.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func bindDir(t *testing.T, dir string, lim Limits) *Evaluator {
	t.Helper()
	cfg, diags := LoadWith(dir, lim)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diagError(diags))
	}
	return bind(t, cfg, planFor(t, cfg, nil), Options{AccountID: "111122223333", Region: "eu-west-1"})
}

// Override files merge as Terraform documents: arguments replace arguments, a nested
// block type replaces every block of that type, locals replace locals one by one, and
// override files apply after the others in name order.
func TestOverrideFilesMerge(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"main.tf": `
locals {
  env    = "dev"
  prefix = "etl"
}
resource "aws_s3_bucket" "b" {
  bucket        = "${local.prefix}-${local.env}"
  force_destroy = true
}
resource "aws_glue_job" "j" {
  name     = "job"
  role_arn = "arn:aws:iam::111122223333:role/old"
  command {
    script_location = "s3://old/a.py"
  }
  default_arguments = { "--a" = "1" }
}
`,
		"override.tf": `
locals {
  env = "prod"
}
resource "aws_glue_job" "j" {
  role_arn = "arn:aws:iam::111122223333:role/new"
  command {
    script_location = "s3://new/b.py"
  }
}
`,
		"z_override.tf": `
resource "aws_glue_job" "j" {
  role_arn = "arn:aws:iam::111122223333:role/last"
}
`,
		// Files Terraform ignores: their blocks would be duplicates or break the load.
		".hidden.tf":  `resource "aws_s3_bucket" "b" {}`,
		"main.tf~":    `this is not HCL`,
		"#main.tf#":   `this is not HCL`,
		".#lock.tf":   `this is not HCL`,
		"notes.tf.md": `resource "x" "y" {}`,
	})
	ev := bindDir(t, dir, Limits{})
	for _, tc := range []struct {
		path []string
		want string
	}{
		{[]string{"aws_s3_bucket.b", "bucket"}, "etl-prod"},
		{[]string{"aws_glue_job.j", "role_arn"}, "arn:aws:iam::111122223333:role/last"},
		{[]string{"aws_glue_job.j", "command", "0", "script_location"}, "s3://new/b.py"},
		{[]string{"aws_glue_job.j", "default_arguments", "--a"}, "1"},
		{[]string{"aws_glue_job.j", "name"}, "job"},
	} {
		v := attribute(t, ev, tc.path[0], tc.path[1:]...)
		if got := mustString(t, v); got != tc.want {
			t.Errorf("%v = %q, want %q", tc.path, got, tc.want)
		}
	}
	cmd := attribute(t, ev, "aws_glue_job.j", "command")
	if n := cmd.Val.LengthInt(); n != 1 {
		t.Errorf("command has %d blocks, want the override's one block to replace the original", n)
	}
	if r := attribute(t, ev, "aws_glue_job.j", "role_arn").Range; !strings.HasSuffix(r.Filename, "z_override.tf") {
		t.Errorf("role_arn range is %s, want the override file that set it last", r.Filename)
	}
}

func TestOverrideErrors(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"no base block": {"main.tf": `resource "aws_s3_bucket" "b" {}`, "x_override.tf": `resource "aws_s3_bucket" "c" {}`},
		"no base local": {"main.tf": `locals { a = 1 }`, "override.tf": `locals { b = 2 }`},
		"depends_on":    {"main.tf": `resource "aws_s3_bucket" "b" {}`, "override.tf": `resource "aws_s3_bucket" "b" { depends_on = [] }`},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := Load(writeRepo(t, files))
			if !diags.HasErrors() {
				t.Fatal("Load succeeded, want an error naming the override")
			}
		})
	}
}
