// Package acctest runs the real Terraform CLI against the offline stand-in
// for the hashicorp/aws provider (internal/acctest/awsstub), and optionally
// against other locally built providers, so tests and plan fixtures go
// through a genuine `terraform plan` without network access.
//
// Provider binaries are built once per process with `go build` and wired in
// through a CLI configuration with dev_overrides, so `terraform init` is
// never needed.
package acctest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// commandTimeout bounds one terraform command; a plan of the sample
// configuration takes about a second.
const commandTimeout = 2 * time.Minute

// Runner runs terraform with a CLI configuration that maps provider
// addresses to locally built binaries.
type Runner struct {
	terraform string
	cliConfig string
	// workDir holds the CLI configuration file.
	workDir string
}

// Option configures a Runner.
type Option func(*options)

type options struct {
	providers map[string]string // address → build package
}

// WithProvider serves the provider at address (for example
// "registry.terraform.io/glueaccess/glueaccess") from a binary built from
// buildPackage (an import path of this module's main package for it). The
// binary is named terraform-provider-<type>, type being the address's last
// part.
func WithProvider(address, buildPackage string) Option {
	return func(o *options) { o.providers[address] = buildPackage }
}

// Terraform returns a Runner for the test, skipping the test when terraform
// is not on PATH. Its files are removed when the test ends.
func Terraform(t testing.TB, opts ...Option) *Runner {
	t.Helper()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("terraform is not on PATH; these tests run a real terraform (v1.11 or later) against an offline provider stand-in")
	}
	r, err := newRunner(t.Context(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// New returns a Runner outside tests; Close removes its files.
func New(ctx context.Context, opts ...Option) (*Runner, error) {
	dir, err := os.MkdirTemp("", "acctest-")
	if err != nil {
		return nil, fmt.Errorf("creating terraform work directory: %w", err)
	}
	r, err := newRunner(ctx, dir, opts)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return r, nil
}

// Close removes the Runner's files when it was made by New.
func (r *Runner) Close() error {
	return os.RemoveAll(r.workDir)
}

func newRunner(ctx context.Context, workDir string, opts []Option) (*Runner, error) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return nil, fmt.Errorf("terraform is not on PATH: %w", err)
	}
	o := options{providers: map[string]string{StubProviderAddress: StubBuildPackage}}
	for _, opt := range opts {
		opt(&o)
	}
	var overrides strings.Builder
	for _, address := range slices.Sorted(maps.Keys(o.providers)) {
		dir, err := providerDir(ctx, o.providers[address], path.Base(address))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&overrides, "    %q = %q\n", address, filepath.ToSlash(dir))
	}
	cfg := "provider_installation {\n  dev_overrides {\n" + overrides.String() + "  }\n  direct {}\n}\n"
	cliConfig := filepath.Join(workDir, "terraform.rc")
	if err := os.WriteFile(cliConfig, []byte(cfg), 0o644); err != nil {
		return nil, fmt.Errorf("writing terraform CLI configuration: %w", err)
	}
	return &Runner{terraform: tf, cliConfig: cliConfig, workDir: workDir}, nil
}

// Plan runs `terraform plan` on a copy of the configuration in dir with the
// given variables and returns `terraform show -json` of the plan. It fails
// the test, with terraform's output, when a command fails.
func (r *Runner) Plan(t testing.TB, dir string, vars map[string]string) []byte {
	t.Helper()
	out, err := r.RunPlan(t.Context(), dir, vars)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Validate runs `terraform validate` on a copy of dir, failing the test with
// terraform's output when the configuration is not valid.
func (r *Runner) Validate(t testing.TB, dir string) {
	t.Helper()
	if err := r.RunValidate(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
}

// RunPlan is Plan outside tests.
func (r *Runner) RunPlan(ctx context.Context, dir string, vars map[string]string) ([]byte, error) {
	work, err := r.prepare(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	args := []string{"plan", "-out", "tfplan", "-input=false", "-lock=false", "-refresh=false", "-no-color"}
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		args = append(args, "-var", name+"="+vars[name])
	}
	if _, err := r.run(ctx, work, args...); err != nil {
		return nil, fmt.Errorf("planning %s: %w", dir, err)
	}
	out, err := r.run(ctx, work, "show", "-json", "-no-color", "tfplan")
	if err != nil {
		return nil, fmt.Errorf("showing the plan of %s: %w", dir, err)
	}
	return out, nil
}

// RunValidate is Validate outside tests; the error holds terraform's
// diagnostics.
func (r *Runner) RunValidate(ctx context.Context, dir string) error {
	work, err := r.prepare(ctx, dir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if _, err := r.run(ctx, work, "validate", "-no-color"); err != nil {
		return fmt.Errorf("validating %s: %w", dir, err)
	}
	return nil
}

// RunCommand runs `terraform <args>` in a fresh copy of dir (modules
// installed) and returns its stdout, for commands Plan and Validate do not
// cover, such as `providers schema -json` or `apply`.
func (r *Runner) RunCommand(ctx context.Context, dir string, args ...string) ([]byte, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("no terraform command given for %s", dir)
	}
	work, err := r.prepare(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	return r.run(ctx, work, args...)
}

// moduleCall finds a module block; a false positive only costs a
// `terraform get`.
var moduleCall = regexp.MustCompile(`(?m)^\s*module\s+"`)

// prepare copies the configuration to a fresh directory and installs its
// local modules. Module sources must therefore lie inside dir.
func (r *Runner) prepare(ctx context.Context, dir string) (string, error) {
	work, err := os.MkdirTemp(r.workDir, "config-")
	if err != nil {
		return "", fmt.Errorf("creating a directory for %s: %w", dir, err)
	}
	hasModules, err := copyConfig(dir, work)
	if err != nil {
		os.RemoveAll(work)
		return "", err
	}
	if hasModules {
		if _, err := r.run(ctx, work, "get", "-no-color"); err != nil {
			os.RemoveAll(work)
			return "", fmt.Errorf("installing the modules of %s: %w", dir, err)
		}
	}
	return work, nil
}

// copyConfig copies src to dst, leaving out what an earlier terraform run
// may have left there (.terraform, state, plan and lock files), which would
// otherwise change the result. It reports whether a .tf file calls a module.
func copyConfig(src, dst string) (hasModules bool, err error) {
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, walkErr error) error {
		if walkErr != nil {
			return walkErr
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := d.Name()
		if rel != "." && (name == ".terraform" || name == "terraform.tfstate.d") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(name, "terraform.tfstate") || name == "tfplan" || name == ".terraform.lock.hcl" || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(name, ".tf") && moduleCall.Match(data) {
			hasModules = true
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		return false, fmt.Errorf("copying configuration %s: %w", src, err)
	}
	return hasModules, nil
}

// run runs one terraform command in dir and returns its stdout; the error
// carries stderr (and stdout, where terraform prints some diagnostics).
func (r *Runner) run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.terraform, args...)
	cmd.Dir = dir
	cmd.Env = r.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("terraform %s: %w\nstderr:\n%s\nstdout:\n%s", args[0], err, stderr.String(), stdout.String())
	}
	return stdout.Bytes(), nil
}

// env is the caller's environment without TF_* settings that would change
// a run (TF_LOG* is kept for debugging), plus the CLI configuration.
func (r *Runner) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "TF_LOG") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+r.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	)
}
