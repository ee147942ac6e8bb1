package acctest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestCopyConfig(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		files       map[string]string
		wantFiles   []string
		wantModules bool
	}{
		"artifacts of an earlier terraform run are left behind": {
			files: map[string]string{
				"main.tf":                   `resource "aws_s3_bucket" "b" {}`,
				"terraform.tfvars":          `x = 1`,
				"terraform.tfstate":         `{}`,
				"terraform.tfstate.backup":  `{}`,
				"tfplan":                    "binary",
				".terraform.lock.hcl":       "",
				".terraform/modules/m.json": "{}",
				"terraform.tfstate.d/dev/x": "{}",
				"policies/read.json":        "{}",
			},
			wantFiles: []string{"main.tf", "policies/read.json", "terraform.tfvars"},
		},
		"a module call inside the directory is detected": {
			files: map[string]string{
				"main.tf":             "locals {}\n\nmodule \"etl\" {\n  source = \"./modules/etl\"\n}\n",
				"modules/etl/main.tf": `variable "x" {}`,
			},
			wantFiles:   []string{"main.tf", "modules/etl/main.tf"},
			wantModules: true,
		},
		"the word module elsewhere is not a module call": {
			files:     map[string]string{"main.tf": "# the module \"x\" is gone\nlocals { module = \"x\" }\n"},
			wantFiles: []string{"main.tf"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, dst := t.TempDir(), t.TempDir()
			writeFiles(t, src, tc.files)
			hasModules, err := copyConfig(src, dst)
			if err != nil {
				t.Fatal(err)
			}
			if got := listFiles(t, dst); !slices.Equal(got, tc.wantFiles) {
				t.Errorf("copied %v, want %v", got, tc.wantFiles)
			}
			if hasModules != tc.wantModules {
				t.Errorf("module call detected = %v, want %v", hasModules, tc.wantModules)
			}
		})
	}
}

func TestEnvDropsTerraformSettings(t *testing.T) {
	t.Setenv("TF_VAR_region", "eu-west-1")
	t.Setenv("TF_CLI_ARGS_plan", "-refresh=true")
	t.Setenv("TF_LOG", "debug")
	r := &Runner{cliConfig: "terraform.rc"}
	env := r.env()
	for _, dropped := range []string{"TF_VAR_region=", "TF_CLI_ARGS_plan="} {
		if slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, dropped) }) {
			t.Errorf("%s... would change the run but is passed to terraform", dropped)
		}
	}
	for _, kept := range []string{"TF_LOG=debug", "TF_CLI_CONFIG_FILE=terraform.rc", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"} {
		if !slices.Contains(env, kept) {
			t.Errorf("%s missing from the terraform environment", kept)
		}
	}
}
