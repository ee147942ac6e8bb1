package tfconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigReadFile: a file a plan names (a job script's source) is read
// under the file functions' rules — inside the repository, a regular file,
// within the size limit — and named relative to the repository.
func TestConfigReadFile(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"infra/main.tf":        `resource "aws_s3_bucket" "b" {}`,
		"infra/jobs/orders.py": "print(1)\n",
		"big.py":               strings.Repeat("x", 200),
	})
	outside := filepath.Join(t.TempDir(), "secret.py")
	if err := os.WriteFile(outside, []byte("s3://secret/"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(repo, "infra", "link.py")); err != nil {
		t.Fatal(err)
	}
	cfg, diags := LoadWith(filepath.Join(repo, "infra"), Limits{MaxFileBytes: 100})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		path, rel, reason string
	}{
		{"./jobs/orders.py", "infra/jobs/orders.py", ""},
		{"jobs/../jobs/orders.py", "infra/jobs/orders.py", ""},
		{"../big.py", "", "more than the limit of 100"},
		{outside, "", "outside the repository"},
		{"link.py", "", "outside the repository"},
		{"../../etc/passwd", "", "outside the repository"},
		{"jobs/missing.py", "", "does not exist"},
		{"jobs", "", "not a regular file"},
	} {
		src, rel, reason := cfg.ReadFile(tc.path)
		if tc.reason == "" {
			if reason != "" || rel != tc.rel || string(src) != "print(1)\n" {
				t.Errorf("%s: got %q, %q, %q; want the file as %s", tc.path, src, rel, reason, tc.rel)
			}
			continue
		}
		if src != nil || !strings.Contains(reason, tc.reason) || strings.Contains(reason, "s3://secret") {
			t.Errorf("%s: got %q, %q; want a reason containing %q", tc.path, src, reason, tc.reason)
		}
	}
}
