package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// installBlock is the "from source" block of docs/getting-started.md that
// TestInstallFromAFreshClone runs.
var installBlock = regexp.MustCompile("(?s)<!-- install-from-source -->\\s*```sh\\n(.*?)```")

// TestInstallFromAFreshClone clones this repository's committed HEAD into a
// temporary directory and runs the install steps docs/getting-started.md
// gives (the git clone and cd lines stand for the local clone: no network),
// then checks that `glueaccess --version` names the commit, and that a
// release build's -ldflags version wins.
func TestInstallFromAFreshClone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds glueaccess from a clone")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not on PATH")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	sh := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	src, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	head := strings.TrimSpace(sh(src, nil, git, "rev-parse", "HEAD"))
	clone := filepath.Join(t.TempDir(), "glueaccess")
	sh(src, nil, git, "clone", "--quiet", "--no-checkout", src, clone)
	sh(clone, nil, git, "-c", "advice.detachedHead=false", "checkout", "--quiet", head)

	doc, err := os.ReadFile(filepath.Join(clone, "docs", "getting-started.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := installBlock.FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/getting-started.md has no <!-- install-from-source --> sh block")
	}
	gobin := t.TempDir()
	// The environment may turn VCS stamping off (GOFLAGS=-buildvcs=false);
	// a user's default is on.
	env := []string{"GOBIN=" + gobin, "PATH=" + gobin + string(os.PathListSeparator) + os.Getenv("PATH"), "GOFLAGS=-buildvcs=true"}
	var version string
	for _, line := range strings.Split(string(m[1]), "\n") {
		line = strings.TrimSpace(strings.SplitN(line, "#", 2)[0])
		if line == "" || strings.HasPrefix(line, "git clone ") || strings.HasPrefix(line, "cd ") {
			continue
		}
		version = sh(clone, env, "sh", "-c", line)
	}
	// Go stamps a clean checkout with a pseudo-version ending in the commit
	// (v0.0.0-<time>-<commit>); internal/buildinfo falls back to dev-<commit>.
	if !strings.HasPrefix(version, "glueaccess ") || !strings.HasSuffix(version, head[:12]+"\n") {
		t.Errorf("the documented steps end printing %q, want glueaccess and a version naming commit %s", version, head[:12])
	}
	bin := filepath.Join(t.TempDir(), "glueaccess")
	sh(clone, env, goBin, "build", "-o", bin, "-ldflags", "-X github.com/glueaccess/terraform-provider-glueaccess/internal/buildinfo.version=9.9.9", "./cmd/glueaccess")
	for _, arg := range []string{"--version", "version"} {
		if got := sh(clone, nil, bin, arg); got != "glueaccess 9.9.9\n" {
			t.Errorf("release build: %s printed %q, want glueaccess 9.9.9", arg, got)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, _ := glueaccess(t, args...)
		if code != 0 || !strings.HasPrefix(out, "glueaccess ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
	}
	if code, _, stderr := glueaccess(t, "version", "extra"); code != 2 || !strings.Contains(stderr, "takes no arguments") {
		t.Errorf("version extra: exit %d, %q", code, stderr)
	}
}
