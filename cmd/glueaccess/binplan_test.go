package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
)

// TestBinaryPlan: a saved plan (a zip archive) is read with `terraform show
// -json` run in the configuration directory, and the report says so; without
// terraform on PATH the error says what to run. The terraform here is a
// stand-in script that checks its arguments and directory and prints the
// example's plan JSON.
func TestBinaryPlan(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in terraform is a shell script")
	}
	root := repo(t, "ga001-deny")
	dir := filepath.Join(root, "infra", "etl")
	write(t, filepath.Join(dir, "tfplan"), "PK\x03\x04 a saved plan")
	bin := t.TempDir()
	log := filepath.Join(bin, "log")
	write(t, filepath.Join(bin, "terraform"), `#!/bin/sh
echo "$PWD $*" > "`+log+`"
[ "$1 $2" = "show -json" ] || { echo "unexpected arguments: $*" >&2; exit 1; }
cat "$PWD/plan.json"
`)
	if err := os.Chmod(filepath.Join(bin, "terraform"), 0o755); err != nil {
		t.Fatal(err)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+filepath.Dir(sh))
	code, out, stderr := glueaccess(t, "validate", "--format", "json", "--config-dir", "infra/etl", "infra/etl/tfplan")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the example is denied); stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr, "infra/etl/tfplan is a binary plan; reading it with terraform show -json in infra/etl") {
		t.Errorf("stderr does not say the plan was converted: %q", stderr)
	}
	rep := parseJSON(t, out)
	if !strings.Contains(strings.Join(rep.Plan.Notes, "\n"), "binary plan") || rep.Jobs[0].Location.Path != "infra/etl/main.tf" {
		t.Errorf("report %+v, want a note on the binary plan and the configuration used", rep.Plan)
	}
	ran, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if want := dir + " show -json -no-color " + filepath.Join(dir, "tfplan"); strings.TrimSpace(string(ran)) != want {
		t.Errorf("terraform ran as %q, want %q", ran, want)
	}
	// A failing terraform (no terraform init, say) is bad input, with its words.
	write(t, filepath.Join(bin, "terraform"), "#!/bin/sh\necho 'Error: Inconsistent dependency lock file' >&2\nexit 1\n")
	if code, _, stderr := glueaccess(t, "validate", "--config-dir", "infra/etl", "infra/etl/tfplan"); code != 2 || !strings.Contains(stderr, "Inconsistent dependency lock file") || !strings.Contains(stderr, "terraform show -json infra/etl/tfplan > plan.json") {
		t.Errorf("failing terraform: exit %d, stderr %q", code, stderr)
	}
	// No terraform at all.
	t.Setenv("PATH", t.TempDir())
	if code, _, stderr := glueaccess(t, "validate", "--config-dir", "infra/etl", "infra/etl/tfplan"); code != 2 || !strings.Contains(stderr, "terraform is not on PATH") || !strings.Contains(stderr, "terraform show -json infra/etl/tfplan > plan.json") {
		t.Errorf("no terraform: exit %d, stderr %q", code, stderr)
	}
}

// TestBinaryPlanFromTerraform saves a real plan with terraform (against the
// offline stand-in for hashicorp/aws, internal/acctest) and validates the
// binary plan file: glueaccess runs terraform show -json in the
// configuration directory and decides as from the plan JSON.
func TestBinaryPlanFromTerraform(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform plan)")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	root := repo(t, "ga001-deny")
	dir := filepath.Join(root, "infra", "etl")
	providers := t.TempDir()
	build := exec.CommandContext(t.Context(), goBin, "build", "-o", filepath.Join(providers, "terraform-provider-aws"), acctest.StubBuildPackage)
	build.Dir = mustModuleDir(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the stand-in provider: %v\n%s", err, out)
	}
	rc := filepath.Join(t.TempDir(), "terraform.rc")
	write(t, rc, "provider_installation {\n  dev_overrides {\n    \""+acctest.StubProviderAddress+"\" = \""+filepath.ToSlash(providers)+"\"\n  }\n  direct {}\n}\n")
	t.Setenv("TF_CLI_CONFIG_FILE", rc)
	t.Setenv("CHECKPOINT_DISABLE", "1")
	t.Setenv("TF_IN_AUTOMATION", "1")
	plan := exec.CommandContext(t.Context(), tf, "plan", "-out", "tfplan", "-input=false", "-lock=false", "-refresh=false", "-no-color")
	plan.Dir = dir
	if out, err := plan.CombinedOutput(); err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out)
	}
	if err := os.Remove(filepath.Join(dir, "plan.json")); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := glueaccess(t, "validate", "--format", "json", "--config-dir", "infra/etl", "infra/etl/tfplan")
	if code != 1 || !strings.Contains(stderr, "binary plan") {
		t.Fatalf("exit %d, want 1 (the example is denied); stderr: %s", code, stderr)
	}
	rep := parseJSON(t, out)
	if len(rep.Jobs) != 1 || rep.Jobs[0].Verdict != "denied" || rep.Jobs[0].Findings[0].ID != "GA001" || rep.Jobs[0].Location.Path != "infra/etl/main.tf" {
		t.Errorf("report %+v, want aws_glue_job.nightly denied by GA001, located in infra/etl/main.tf", rep.Jobs)
	}
}

// mustModuleDir is the module root (where go.mod is), from this file.
func mustModuleDir(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}
