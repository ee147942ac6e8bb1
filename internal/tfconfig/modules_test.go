package tfconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// installModules copies a fixture to a temporary directory and writes the module manifest
// terraform init would write for it.
func installModules(t *testing.T, fixture, manifest string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", fixture))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".terraform", "modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".terraform", "modules", "modules.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const modulesManifest = `{"Modules":[
 {"Key":"","Source":"","Dir":"."},
 {"Key":"bucket","Source":"./modules/bucket","Dir":"modules/bucket"},
 {"Key":"shared","Source":"registry.terraform.io/example/shared/aws","Version":"1.0.0","Dir":"installed/shared"}]}`

func modulesEvaluator(t *testing.T) *Evaluator {
	t.Helper()
	cfg, diags := Load(installModules(t, "modules", modulesManifest))
	if diags.HasErrors() {
		t.Fatal(diagError(diags))
	}
	jobs := map[string]any{
		"orders":  map[string]any{"script": "orders.py", "workers": float64(5)},
		"refunds": map[string]any{"script": "refunds.py"},
	}
	plan := planFor(t, cfg, map[string]any{"jobs": jobs},
		change("module.bucket", "aws_s3_bucket.b", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{"bucket": "artifacts-prod-eu"}, "arn", "id"),
		change(`module.role["reader"]`, "aws_iam_role.r", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{"name": "glue-reader", "path": "/glue/"}, "arn", "id"),
		change(`module.role["writer"]`, "aws_iam_role.r", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{"name": "glue-writer", "path": "/glue/"}, "arn", "id"),
		change(`module.role["reader"]`, "aws_iam_role_policy.p", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{"name": "s3"}, "role", "policy"),
		change(`module.role["writer"]`, "aws_iam_role_policy.p", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{"name": "s3"}, "role", "policy"),
		change("module.shared", "aws_kms_key.k", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "arn", "key_id"),
		change("", "aws_glue_job.j", "orders", tfjson.Actions{tfjson.ActionCreate}, map[string]any{"name": "orders"}, "role_arn", "command", "default_arguments"),
		change("", "aws_glue_job.j", "refunds", tfjson.Actions{tfjson.ActionCreate}, map[string]any{"name": "refunds"}, "role_arn", "command", "default_arguments"),
		change("", "aws_s3_object.script", 0, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "bucket", "key"),
		change("", "aws_s3_object.script", 1, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "bucket", "key"),
	)
	return bind(t, cfg, plan, Options{})
}

func TestModulesForEachAndCount(t *testing.T) {
	ev := modulesEvaluator(t)
	tests := []struct {
		name    string
		address string
		path    []string
		want    string
	}{
		{"role ARN through a for_each module output, account of the last assume_role", `aws_glue_job.j["orders"]`, []string{"role_arn"},
			"arn:aws:iam::111122223333:role/glue/glue-reader"},
		{"each.value and a module output from a locals chain", `aws_glue_job.j["orders"]`, []string{"command", "0", "script_location"},
			"s3://artifacts-prod-eu/orders.py"},
		{"each.value of a map variable", `aws_glue_job.j["orders"]`, []string{"default_arguments", "--workers"}, "5"},
		{"optional attribute default of a variable type", `aws_glue_job.j["refunds"]`, []string{"default_arguments", "--workers"}, "2"},
		{"path.module inside a child module", `aws_glue_job.j["refunds"]`, []string{"default_arguments", "--dir"}, "modules/bucket"},
		{"count.index", "aws_s3_object.script[1]", []string{"key"}, "scripts/1.py"},
		{"module input from another module's output", `module.role["writer"].aws_iam_role_policy.p`, []string{"policy"},
			`{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":"arn:aws:s3:::artifacts-prod-eu/*"}],"Version":"2012-10-17"}`},
		{"each.key as a module input", `module.role["writer"].aws_iam_role_policy.p`, []string{"role"}, "glue-writer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustString(t, attribute(t, ev, tc.address, tc.path...))
			if got != tc.want {
				t.Errorf("%s %v = %q, want %q", tc.address, tc.path, got, tc.want)
			}
		})
	}
}

func TestProvenanceCrossesModules(t *testing.T) {
	ev := modulesEvaluator(t)
	v := attribute(t, ev, `module.role["writer"].aws_iam_role_policy.p`, "policy")
	want := "module.bucket.aws_s3_bucket.b.arn: bucket ARN derived from its name (modules/bucket/main.tf:5)"
	if !containsNote(v.Derived, want) {
		t.Errorf("notes %q lack %q", v.Derived, want)
	}
	if got := rangeString(v.Range); got != "modules/role/main.tf:18" {
		t.Errorf("range = %s, want the policy argument in the role module, modules/role/main.tf:18", got)
	}
}

func TestSensitiveModuleOutput(t *testing.T) {
	ev := modulesEvaluator(t)
	for arg, want := range map[string]bool{"--token": true, "--workers": false} {
		if v := attribute(t, ev, `aws_glue_job.j["orders"]`, "default_arguments", arg); v.Sensitive != want {
			t.Errorf("%s sensitive = %v, want %v", arg, v.Sensitive, want)
		}
	}
}

func TestInstalledModuleFromManifest(t *testing.T) {
	ev := modulesEvaluator(t)
	key := mustString(t, attribute(t, ev, "module.shared.aws_kms_key.k", "arn"))
	if !strings.HasPrefix(key, "arn:aws:kms:eu-west-1:111122223333:key/symbolic-") {
		t.Fatalf("installed module key arn = %q, want a symbolic key ARN with the root provider's region and account", key)
	}
	arg := attribute(t, ev, `aws_glue_job.j["refunds"]`, "default_arguments", "--kms")
	if got := mustString(t, arg); got != key {
		t.Errorf("--kms = %q, want the installed module's key %q", got, key)
	}
}

func TestInstances(t *testing.T) {
	ev := modulesEvaluator(t)
	tests := []struct {
		typ  string
		want []string
	}{
		{"aws_iam_role", []string{`module.role["reader"].aws_iam_role.r`, `module.role["writer"].aws_iam_role.r`}},
		{"aws_glue_job", []string{`aws_glue_job.j["orders"]`, `aws_glue_job.j["refunds"]`}},
		{"aws_s3_object", []string{"aws_s3_object.script[0]", "aws_s3_object.script[1]"}},
		{"aws_kms_key", []string{"module.shared.aws_kms_key.k"}},
		{"data.aws_iam_policy_document", nil},
	}
	for _, tc := range tests {
		if got := ev.Instances(tc.typ); !slices.Equal(got, tc.want) {
			t.Errorf("Instances(%s) = %q, want %q", tc.typ, got, tc.want)
		}
	}
}

func TestModuleNotInstalled(t *testing.T) {
	_, diags := Load(filepath.Join("testdata", "modules"))
	err := diagError(diags)
	if err == nil || !strings.Contains(err.Error(), `main.tf:37: Module not installed: module "shared": source "example/shared/aws"`) {
		t.Errorf("Load without a manifest: %v, want a module-not-installed error at main.tf:37", err)
	}
}

func TestModuleInstancesFromThePlanWhenForEachCannotBeEvaluated(t *testing.T) {
	dir := writeConfig(t, map[string]string{"main.tf": `module "m" {
  source   = "./m"
  for_each = toset(provider::corp::regions())
  name     = each.key
}
`})
	if err := os.MkdirAll(filepath.Join(dir, "m"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "m", "main.tf"), []byte(`variable "name" {}
resource "aws_s3_bucket" "b" {
  bucket = "data-${var.name}"
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := Load(dir)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	plan := planFor(t, cfg, nil,
		change(`module.m["eu"]`, "aws_s3_bucket.b", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "bucket"),
		change(`module.m["us"]`, "aws_s3_bucket.b", nil, tfjson.Actions{tfjson.ActionCreate}, map[string]any{}, "bucket"))
	ev := bind(t, cfg, plan, Options{})
	if got, want := ev.Instances("aws_s3_bucket"), []string{`module.m["eu"].aws_s3_bucket.b`, `module.m["us"].aws_s3_bucket.b`}; !slices.Equal(got, want) {
		t.Fatalf("Instances = %q, want %q", got, want)
	}
	if got := mustString(t, attribute(t, ev, `module.m["us"].aws_s3_bucket.b`, "bucket")); got != "data-us" {
		t.Errorf("bucket = %q, want data-us from each.key of the plan's module instance", got)
	}
}
