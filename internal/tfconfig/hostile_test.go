package tfconfig

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A configuration may come from a hostile pull request: the evaluator must read nothing
// outside the repository, never hang or exhaust memory, and say what it refused.

// secret is written outside the repository; no value or note may ever contain it.
const secret = "TOP-SECRET-OUTSIDE-THE-REPOSITORY"

// hostileRepo makes a repository in a subdirectory of a temporary directory, next to a
// file outside it that holds the secret, and returns the repository and that file.
func hostileRepo(t *testing.T, files map[string]string) (repo, outside string) {
	t.Helper()
	parent := t.TempDir()
	outside = filepath.Join(parent, "secret.txt")
	if err := os.WriteFile(outside, []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	repo = filepath.Join(parent, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		content = strings.ReplaceAll(content, "OUTSIDE", filepath.ToSlash(outside))
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo, outside
}

// localValue evaluates local.<name> of the root module.
func localValue(t *testing.T, ev *Evaluator, name string) Value {
	t.Helper()
	v, diags := evalExpr(t, ev, "local."+name)
	if diags.HasErrors() {
		t.Fatalf("local.%s: %s", name, diags.Error())
	}
	return v
}

// assertRefused checks that a value is unknown, says why in words containing want, and
// leaks nothing from outside the repository.
func assertRefused(t *testing.T, v Value, want string) {
	t.Helper()
	if v.Known {
		t.Fatalf("value is known (%#v), want unknown", v.Val)
	}
	if !strings.Contains(v.Unknown, want) {
		t.Errorf("reason %q, want it to contain %q", v.Unknown, want)
	}
	shown := fmt.Sprintf("%#v %s %v", v.Val, v.Unknown, v.Derived)
	if strings.Contains(shown, secret) {
		t.Errorf("the value shows the contents of a file outside the repository: %s", shown)
	}
}

func TestFileFunctionsConfinedToTheRepository(t *testing.T) {
	repo, outside := hostileRepo(t, map[string]string{
		"main.tf": `
locals {
  absolute    = file("OUTSIDE")
  passwd      = file("/etc/passwd")
  dotdot      = file("../secret.txt")
  dotdot_deep = file("${path.module}/sub/../../secret.txt")
  templated   = templatefile("../secret.txt", {})
  b64         = filebase64("../secret.txt")
  hashed      = filesha256("../secret.txt")
  exists      = fileexists("../secret.txt")
  listed      = fileset("..", "*.txt")
  linked      = file("link.txt")
  linked_dir  = file("linkdir/secret.txt")
  inside      = file("sub/ok.txt")
  policy      = jsonencode({Statement = [{Resource = file("sub/ok.txt")}]})
  missing     = file("build/lambda.zip")
}
`,
		"sub/ok.txt": "arn:aws:s3:::inside",
	})
	if err := os.Symlink(outside, filepath.Join(repo, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(repo, "linkdir")); err != nil {
		t.Fatal(err)
	}
	ev := bindDir(t, repo, Limits{})
	for name, want := range map[string]string{
		"absolute":    "is outside the repository",
		"passwd":      `file("/etc/passwd"): not read: the path is outside the repository`,
		"dotdot":      "is outside the repository",
		"dotdot_deep": "is outside the repository",
		"templated":   "is outside the repository",
		"b64":         "is outside the repository",
		"hashed":      "is outside the repository",
		"exists":      "is outside the repository",
		"listed":      "is outside the repository",
		"linked":      "is outside the repository",
		"linked_dir":  "is outside the repository",
		"missing":     `file("build/lambda.zip"): the file does not exist here`,
	} {
		t.Run(name, func(t *testing.T) { assertRefused(t, localValue(t, ev, name), want) })
	}
	// A file inside the repository is read, and marked so that no report prints it.
	in := localValue(t, ev, "inside")
	if got := mustString(t, in); got != "arn:aws:s3:::inside" {
		t.Errorf("file inside the repository = %q", got)
	}
	policy := localValue(t, ev, "policy")
	if !policy.Known || !policy.Sensitive || !slices.Equal(policy.Files, []string{"sub/ok.txt"}) {
		t.Errorf("a value built from a file: known %v, sensitive %v, files %q; want known, sensitive, sub/ok.txt", policy.Known, policy.Sensitive, policy.Files)
	}
}

// Without a .git above it, the configuration directory itself is the boundary.
func TestRepositoryIsTheConfigurationDirectoryWithoutGit(t *testing.T) {
	parent := t.TempDir()
	if err := os.WriteFile(filepath.Join(parent, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "cfg")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`locals { up = file("../secret.txt") }`), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := repoRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Some temporary directories sit inside a repository; then that is the boundary.
	if _, err := os.Stat(filepath.Join(root, ".git")); err == nil {
		t.Skipf("the temporary directory is inside the repository %s", root)
	}
	ev := bindDir(t, dir, Limits{})
	assertRefused(t, localValue(t, ev, "up"), "is outside the repository")
}

// loadWithin runs Load in the background and fails if it does not return in time: a FIFO
// or a device would block or never end.
func loadWithin(t *testing.T, dir string, lim Limits) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, diags := LoadWith(dir, lim)
		done <- diagError(diags)
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("Load did not return: it opened something that blocks or never ends")
		return nil
	}
}

func TestConfigurationFilesMustBeRegularFilesInTheRepository(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, repo, outside string)
		want  string
	}{
		{"FIFO named x.tf", func(t *testing.T, repo, _ string) {
			if err := syscall.Mkfifo(filepath.Join(repo, "x.tf"), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, "x.tf is not a regular file"},
		{"symlink to /dev/zero", func(t *testing.T, repo, _ string) {
			if err := os.Symlink("/dev/zero", filepath.Join(repo, "zero.tf")); err != nil {
				t.Fatal(err)
			}
		}, "zero.tf is a symbolic link to outside the repository"},
		{"symlink to a file outside", func(t *testing.T, repo, outside string) {
			if err := os.Symlink(outside, filepath.Join(repo, "leak.tf")); err != nil {
				t.Fatal(err)
			}
		}, "leak.tf is a symbolic link to outside the repository"},
		{"file over the size limit", func(t *testing.T, repo, _ string) {
			big := strings.Repeat("# padding\n", 2000)
			if err := os.WriteFile(filepath.Join(repo, "big.tf"), []byte(big), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "big.tf is 20000 bytes, more than the limit of 10000"},
		{"module outside the repository", func(t *testing.T, repo, _ string) {
			if err := os.WriteFile(filepath.Join(repo, "mod.tf"), []byte(`module "m" { source = "../" }`), 0o644); err != nil {
				t.Fatal(err)
			}
		}, `module directory ".." is outside the repository`},
		{"for expression in JSON syntax", func(t *testing.T, repo, _ string) {
			src := `{"locals": {"x": "${[for a in [1, 2] : [for b in [1, 2] : b]]}"}}`
			if err := os.WriteFile(filepath.Join(repo, "gen.tf.json"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "gen.tf.json: for expressions inside JSON strings are not evaluated"},
		{"brackets nested too deep", func(t *testing.T, repo, _ string) {
			deep := "locals { x = " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + " }"
			if err := os.WriteFile(filepath.Join(repo, "deep.tf"), []byte(deep), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "deep.tf nests brackets 301 deep, more than the limit of 256"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			repo, outside := hostileRepo(t, map[string]string{"main.tf": `locals { a = 1 }`})
			tc.setup(t, repo, outside)
			err := loadWithin(t, repo, Limits{MaxFileBytes: 10000})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load: %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows a file outside the repository: %v", err)
			}
		})
	}
}

// Values that would take too much memory or time are unknown, with a note; the rest of
// the configuration still evaluates.
func TestEvaluationBudgets(t *testing.T) {
	var chain strings.Builder
	chain.WriteString("locals {\n  l0 = \"x\"\n")
	for i := 1; i <= 400; i++ {
		fmt.Fprintf(&chain, "  l%d = local.l%d\n", i, i-1)
	}
	chain.WriteString("}\n")
	var doubling strings.Builder
	doubling.WriteString("locals {\n  d0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&doubling, "  d%d = \"${local.d%d}${local.d%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	repo, _ := hostileRepo(t, map[string]string{
		"main.tf": `
locals {
  product  = setproduct(range(1000), range(1000), range(100))
  huge     = range(1000000000)
  nested   = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : [a, b, c]]]]
  padded   = format("%0999999999d", 1)
  indented = indent(1000000000, "a\nb")
  flat     = flatten([for a in range(1000) : range(1000)])
  fine     = "arn:aws:s3:::${join("-", ["a", "b"])}"
  thousand = [` + strings.TrimSuffix(strings.Repeat("1, ", 1000), ", ") + `]
  literal  = [for a in local.thousand : [for b in local.thousand : [` + strings.TrimSuffix(strings.Repeat("0, ", 1000), ", ") + `]]]
}
`,
		"chain.tf":    chain.String(),
		"doubling.tf": doubling.String(),
	})
	// A smaller budget for the whole evaluation than the default keeps the test fast;
	// TestMemoryBounded runs with the defaults.
	ev := bindDir(t, repo, Limits{MaxTotalElements: 200_000})
	// Once the budget of the whole evaluation is spent, every later value that needs
	// more is unknown too; a harmless value evaluated first is not affected.
	if got := mustString(t, localValue(t, ev, "fine")); got != "arn:aws:s3:::a-b" {
		t.Errorf("a harmless local next to hostile ones = %q", got)
	}
	// Shallow chains evaluate; the limit is on depth, not on the number of locals.
	if got := mustString(t, localValue(t, ev, "l100")); got != "x" {
		t.Errorf("local.l100 = %q, want x", got)
	}
	start := time.Now()
	for _, name := range []string{"product", "huge", "padded", "indented", "l400", "d40", "flat", "nested", "literal"} {
		want := map[string]string{
			"product":  "setproduct() would make 300000000 elements, more than the limit of 100000",
			"huge":     "range() would make 1000000000 elements",
			"nested":   "the evaluation has created 200000 elements, the limit for the whole configuration",
			"padded":   "format() pads to 999999999 characters",
			"indented": "indent() would make a string longer than the limit",
			"flat":     "the limit",
			"l400":     "references nest deeper than the limit of 256",
			"d40":      "a string of 8388608 bytes, more than the limit of 4194304",
			"literal":  "the limit for the whole configuration",
		}[name]
		t.Run(name, func(t *testing.T) { assertRefused(t, localValue(t, ev, name), want) })
	}
	t.Logf("hostile locals refused in %s", time.Since(start))
}

func TestHugeCountIsUnknown(t *testing.T) {
	repo, _ := hostileRepo(t, map[string]string{"main.tf": `
resource "aws_s3_bucket" "b" {
  count  = 1000000000
  bucket = "b-${count.index}"
}
locals { names = aws_s3_bucket.b[*].bucket }
`})
	ev := bindDir(t, repo, Limits{})
	assertRefused(t, localValue(t, ev, "names"), "count at main.tf:3 is 1000000000, more than the limit of 100000 instances")
}

func TestEvaluationTimeLimit(t *testing.T) {
	repo, _ := hostileRepo(t, map[string]string{"main.tf": `locals { x = upper("a") }`})
	ev := bindDir(t, repo, Limits{})
	ev.budget.now = func() time.Time { return ev.budget.start.Add(2 * DefaultLimits.Timeout) }
	assertRefused(t, localValue(t, ev, "x"), "evaluation stopped after the time limit of 1m0s")
}

// hostileChildEnv names the configuration directory TestHostileChild evaluates; it is set
// only when TestMemoryBounded runs this test binary again under a memory limit.
const hostileChildEnv = "TFCONFIG_HOSTILE_CHILD_DIR"

// memoryLimit is the address space the child may use: far below what the hostile
// configuration would take unbounded (setproduct alone asks for 300 million elements),
// and enough for the evaluator within its default limits.
const memoryLimit = 2 << 30

// TestMemoryBounded evaluates a hostile configuration with the default limits in a child
// process whose address space is limited (prlimit --as): it must finish, in seconds, with
// every hostile value unknown.
func TestMemoryBounded(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit is not on PATH")
	}
	var doubling strings.Builder
	doubling.WriteString("locals {\n  d0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&doubling, "  d%d = \"${local.d%d}${local.d%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	repo, _ := hostileRepo(t, map[string]string{
		"main.tf": `
locals {
  product = setproduct(range(1000), range(1000), range(100))
  nested  = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : [a, b, c]]]]
  wide    = [for a in range(1000) : [for b in range(1000) : format("%01000d", b)]]
  literal = [for a in range(1000) : [for b in range(1000) : [` + strings.TrimSuffix(strings.Repeat("0, ", 1000), ", ") + `]]]
  fine    = "ok"
}
`,
		"doubling.tf": doubling.String(),
	})
	cmd := exec.Command(prlimit, fmt.Sprintf("--as=%d", memoryLimit), os.Args[0], "-test.run=^TestHostileChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), hostileChildEnv+"="+repo)
	done := make(chan struct{})
	var out []byte
	go func() {
		out, err = cmd.CombinedOutput()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("the evaluation did not finish under the limits:\n%s", out)
	}
	if err != nil || !strings.Contains(string(out), "hostile values unknown") {
		t.Fatalf("the child under a %d-byte address space limit failed: %v\n%s", memoryLimit, err, out)
	}
}

func TestHostileChild(t *testing.T) {
	dir := os.Getenv(hostileChildEnv)
	if dir == "" {
		t.Skip("run by TestMemoryBounded")
	}
	ev := bindDir(t, dir, Limits{})
	for _, name := range []string{"literal", "product", "nested", "wide", "d40"} {
		if v := localValue(t, ev, name); v.Known || !strings.Contains(v.Unknown, "limit") {
			t.Fatalf("local.%s: known %v, reason %q; want unknown naming a limit", name, v.Known, v.Unknown)
		}
	}
	if got := mustString(t, localValue(t, ev, "fine")); got != "ok" {
		t.Fatalf("local.fine = %q", got)
	}
	t.Log("hostile values unknown")
}

func TestNestedDynamicBlocksAreBounded(t *testing.T) {
	list := "[" + strings.TrimSuffix(strings.Repeat("1, ", 1000), ", ") + "]"
	repo, _ := hostileRepo(t, map[string]string{"main.tf": `
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = ` + list + `
    content {
      actions = ["s3:GetObject"]
      dynamic "condition" {
        for_each = ` + list + `
        content {
          test     = "StringEquals"
          variable = "aws:PrincipalTag/x"
          values   = ` + list + `
        }
      }
    }
  }
}
locals { n = length(data.aws_iam_policy_document.p.statement) }
`})
	ev := bindDir(t, repo, Limits{MaxTotalElements: 200_000})
	v := attribute(t, ev, "data.aws_iam_policy_document.p", "statement")
	if v.Known || !strings.Contains(v.Unknown, "the limit for the whole configuration") {
		t.Errorf("statement: known %v, reason %q; want unknown naming the limit", v.Known, v.Unknown)
	}
}

// String templates of JSON syntax are parsed while evaluated, out of the meter's reach:
// each value kept is bounded instead, and so is the number of interpolations of one string.
func TestJSONTemplatesAreBounded(t *testing.T) {
	var locals []string
	locals = append(locals, `"d0": "xxxxxxxxxxxxxxxx"`)
	for i := 1; i <= 40; i++ {
		locals = append(locals, fmt.Sprintf(`"d%d": "${local.d%d}${local.d%d}"`, i, i-1, i-1))
	}
	repo, _ := hostileRepo(t, map[string]string{"main.tf.json": `{"locals": {` + strings.Join(locals, ", ") + `}}`})
	ev := bindDir(t, repo, Limits{})
	assertRefused(t, localValue(t, ev, "d40"), "more than the limit of 4194304")

	many := `{"locals": {"x": "` + strings.Repeat("${local.y}", 65) + `", "y": "a"}}`
	repo, _ = hostileRepo(t, map[string]string{"main.tf.json": many})
	err := loadWithin(t, repo, Limits{})
	if err == nil || !strings.Contains(err.Error(), "a string has 65 interpolations, more than the 64") {
		t.Fatalf("Load: %v, want the file refused", err)
	}
}
