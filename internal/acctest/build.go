package acctest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// StubProviderAddress and StubBuildPackage identify the offline stand-in
// for hashicorp/aws, which every Runner serves.
const (
	StubProviderAddress = "registry.terraform.io/hashicorp/aws"
	StubBuildPackage    = "github.com/glueaccess/terraform-provider-glueaccess/internal/acctest/awsstub/cmd/terraform-provider-aws"
)

// builds remembers, per process, the directory each provider package was
// built into, so every test of a process shares one build.
var builds = struct {
	mu   sync.Mutex
	dirs map[string]*buildResult
}{dirs: map[string]*buildResult{}}

type buildResult struct {
	once sync.Once
	dir  string
	err  error
}

// providerDir builds pkg as terraform-provider-<typ> and returns the
// directory holding only that binary, which is what a dev_overrides entry
// points at.
func providerDir(ctx context.Context, pkg, typ string) (string, error) {
	key := pkg + "\x00" + typ
	builds.mu.Lock()
	b, ok := builds.dirs[key]
	if !ok {
		b = &buildResult{}
		builds.dirs[key] = b
	}
	builds.mu.Unlock()
	b.once.Do(func() { b.dir, b.err = build(ctx, pkg, typ) })
	return b.dir, b.err
}

// build runs `go build` from the module root. The binary lands in a
// per-user cache directory keyed by module root and package, so concurrent
// test processes (go test runs packages in parallel) reuse one directory
// and do not fill the temp directory; each build is written next to it and
// renamed into place, which never exposes a half-written binary to a
// Terraform process started by another test process.
func build(ctx context.Context, pkg, typ string) (string, error) {
	goBin, err := goTool()
	if err != nil {
		return "", err
	}
	root, err := moduleRoot(ctx, goBin)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(root + "\x00" + pkg))
	dir, err := buildDir(hex.EncodeToString(sum[:8]))
	if err != nil {
		return "", err
	}
	// The staging file lives outside dir: Terraform would take any file
	// named terraform-provider-<typ>* in dir for the provider.
	staging, err := os.MkdirTemp(filepath.Dir(dir), "build-")
	if err != nil {
		return "", fmt.Errorf("creating provider staging directory: %w", err)
	}
	defer os.RemoveAll(staging)
	name := "terraform-provider-" + typ
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	tmp := filepath.Join(staging, name)
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", tmp, pkg)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building provider %s: %w\n%s", pkg, err, stderr.String())
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return "", fmt.Errorf("installing provider binary %s: %w", name, err)
	}
	return dir, nil
}

// buildDir creates the directory for one provider binary, in the user's
// cache directory or, where there is none or it is not writable, in the
// temp directory.
func buildDir(key string) (string, error) {
	var bases []string
	if cache, err := os.UserCacheDir(); err == nil {
		bases = append(bases, cache)
	}
	bases = append(bases, os.TempDir())
	var errs []error
	for _, base := range bases {
		dir := filepath.Join(base, "glueaccess-acctest", key)
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("creating provider build directory: %w", errors.Join(errs...))
}

func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go") //nolint:staticcheck // only test binaries built by this toolchain, on this machine, get here
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no go command on PATH or in GOROOT to build providers with: %w", err)
	}
	return p, nil
}

// moduleRoot is the directory of the main module's go.mod, as seen from the
// current directory (a test runs in its package directory).
func moduleRoot(ctx context.Context, goBin string) (string, error) {
	out, err := exec.CommandContext(ctx, goBin, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("locating go.mod with go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("current directory is not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}
