// Package action_test runs the GitHub Action's scripts (action.yml at the
// repository root) as the runner would, with a fake GITHUB_* environment and
// a local stand-in for the GitHub API: no network.
package action_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the repository root from this directory.
const repoRoot = "../.."

// runScript runs one of the action's scripts with env added to a minimal
// environment, bounded in time, and returns its exit code and output.
func runScript(t *testing.T, script string, env map[string]string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", filepath.Join(repoRoot, "scripts", "action", script))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A killed script's children (go build, curl) may hold the output open.
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s timed out:\n%s", script, out.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return code, out.String()
}

// outputs parses a GITHUB_OUTPUT file of name=value lines.
func outputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// TestActionScripts installs glueaccess as the action does, validates a
// denied example and a plan that is not one, and checks what the later steps
// receive: the exit code for fail-on, the SARIF and Markdown files.
func TestActionScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds glueaccess")
	}
	for _, tool := range []string{"sh", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH", tool)
		}
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	runner := t.TempDir()
	ghPath := filepath.Join(runner, "github_path")
	code, out := runScript(t, "install.sh", map[string]string{"GITHUB_ACTION_PATH": root, "RUNNER_TEMP": runner, "GITHUB_PATH": ghPath})
	if code != 0 || !strings.Contains(out, "glueaccess ") {
		t.Fatalf("install.sh: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(ghPath)
	if err != nil {
		t.Fatal(err)
	}
	bin := strings.TrimSpace(string(data))
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")

	example := filepath.Join(root, "examples", "validate", "ga001-deny")
	t.Run("pre-commit hook", func(t *testing.T) {
		hooks, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^  entry: sh -c '(.*)' --$`).FindSubmatch(hooks)
		if m == nil {
			t.Fatal(".pre-commit-hooks.yaml has no `entry: sh -c '...' --`")
		}
		hook := func(plans ...string) int {
			cmd := exec.CommandContext(t.Context(), "sh", append([]string{"-c", string(m[1]), "--"}, plans...)...)
			cmd.Env = append(os.Environ(), "PATH="+path)
			out, err := cmd.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); ok {
				return ee.ExitCode()
			} else if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			return 0
		}
		fixed := filepath.Join(root, "examples", "validate", "ga001-fixed", "plan.json")
		if code := hook(fixed); code != 0 {
			t.Errorf("hook on an allowed plan: exit %d", code)
		}
		if code := hook(fixed, filepath.Join(example, "plan.json")); code != 1 {
			t.Errorf("hook with a denied plan among others: exit %d, want 1", code)
		}
	})
	cases := []struct {
		name, failOn, plan string
		exit               string
		reports            bool
	}{
		{"denied fails", "deny", filepath.Join(example, "plan.json"), "1", true},
		{"never passes", "never", filepath.Join(example, "plan.json"), "0", true},
		{"bad input", "deny", filepath.Join(example, "main.tf"), "2", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			temp := t.TempDir()
			ghOut, summary := filepath.Join(temp, "output"), filepath.Join(temp, "summary")
			code, out := runScript(t, "validate.sh", map[string]string{
				"PATH": path, "RUNNER_TEMP": temp, "GITHUB_OUTPUT": ghOut, "GITHUB_STEP_SUMMARY": summary,
				"GLUEACCESS_PLAN": tc.plan, "GLUEACCESS_CONFIG_DIR": example, "GLUEACCESS_FAIL_ON": tc.failOn,
			})
			if code != 0 {
				t.Fatalf("validate.sh exit %d, want 0 (the last step fails per fail-on)\n%s", code, out)
			}
			o := outputs(t, ghOut)
			if o["exit-code"] != tc.exit {
				t.Errorf("exit-code %q, want %s\n%s", o["exit-code"], tc.exit, out)
			}
			if !tc.reports {
				if o["sarif"] != "" || o["markdown"] != "" {
					t.Errorf("reports named after bad input: %v", o)
				}
				return
			}
			if !strings.Contains(out, "::error title=GA001") {
				t.Errorf("no annotation on stdout:\n%s", out)
			}
			var sarif struct{ Runs []struct{ Results []any } }
			data, err := os.ReadFile(o["sarif"])
			if err != nil || json.Unmarshal(data, &sarif) != nil || len(sarif.Runs[0].Results) != 1 {
				t.Errorf("sarif output %s: %v\n%s", o["sarif"], err, data)
			}
			md, err := os.ReadFile(o["markdown"])
			if err != nil || !regexp.MustCompile(`^<!-- glueaccess-comment: [^\n]*/examples/validate/ga001-deny -->\n`).Match(md) || !strings.Contains(string(md), "```mermaid\n") {
				t.Errorf("markdown output %s (%v) lacks the marker naming %s or the diagram:\n%s", o["markdown"], err, example, md)
			}
			if s, _ := os.ReadFile(summary); !bytes.Equal(s, md) {
				t.Error("the step summary is not the Markdown report")
			}
		})
	}
}

// fakeGitHub is the part of the GitHub REST API the comment script uses:
// list, create and update issue comments.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []map[string]any
	calls    []string
	auth     []string
}

var commentPath = regexp.MustCompile(`^/repos/acme/etl/issues/comments/(\d+)$`)

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	body, _ := io.ReadAll(r.Body)
	var in struct {
		Body *string `json:"body"`
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/repos/acme/etl/issues/7/comments":
		page := f.comments
		if r.URL.Query().Get("page") != "1" {
			page = nil
		}
		if page == nil {
			page = []map[string]any{}
		}
		_ = json.NewEncoder(w).Encode(page) // the script under test reports a bad body
	case r.Method == http.MethodPost && r.URL.Path == "/repos/acme/etl/issues/7/comments":
		if json.Unmarshal(body, &in) != nil || in.Body == nil {
			http.Error(w, "want {body}", http.StatusUnprocessableEntity)
			return
		}
		c := map[string]any{"id": 100 + len(f.comments), "body": *in.Body}
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(c) // the script under test reports a bad body
	case r.Method == http.MethodPatch && commentPath.MatchString(r.URL.Path):
		if json.Unmarshal(body, &in) != nil || in.Body == nil {
			http.Error(w, "want {body}", http.StatusUnprocessableEntity)
			return
		}
		id := commentPath.FindStringSubmatch(r.URL.Path)[1]
		for _, c := range f.comments {
			if jsonNumber(c["id"]) == id {
				c["body"] = *in.Body
				_ = json.NewEncoder(w).Encode(c) // the script under test reports a bad body
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.Error(w, "unexpected call", http.StatusTeapot)
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestStickyComment: the first run on a pull request creates one comment,
// the next updates it (other comments untouched), each directory keeps its
// own; outside a pull request nothing is called.
func TestStickyComment(t *testing.T) {
	for _, tool := range []string{"sh", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH", tool)
		}
	}
	gh := &fakeGitHub{comments: []map[string]any{{"id": 1, "body": "LGTM"}}}
	srv := httptest.NewServer(gh)
	defer srv.Close()
	temp := t.TempDir()
	event := filepath.Join(temp, "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request": {"number": 7}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	report := func(text string) string {
		p := filepath.Join(t.TempDir(), "glueaccess.md")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// The report begins with the marker naming its directory (glueaccess
	// validate writes it); the script posts the report as it is.
	env := func(eventName, dir, md string) map[string]string {
		if dir != "" {
			data, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			md = report("<!-- glueaccess-comment: " + dir + " -->\n\n" + string(data))
		}
		return map[string]string{
			"GITHUB_TOKEN": "t0ken", "GITHUB_REPOSITORY": "acme/etl", "GITHUB_EVENT_PATH": event, "GITHUB_EVENT_NAME": eventName,
			"GITHUB_API_URL": srv.URL, "GLUEACCESS_MARKDOWN": md,
		}
	}
	bodies := func() []string {
		gh.mu.Lock()
		defer gh.mu.Unlock()
		var b []string
		for _, c := range gh.comments {
			b = append(b, c["body"].(string))
		}
		return b
	}
	steps := []struct {
		event, dir, text string
		want             []string
	}{
		{"pull_request", "infra/etl", "### ❌ 1 denied \"quoted\" `code`\n", []string{"LGTM", "<!-- glueaccess-comment: infra/etl -->\n\n### ❌ 1 denied \"quoted\" `code`\n"}},
		{"pull_request", "infra/etl", "### ✅ fixed\n", []string{"LGTM", "<!-- glueaccess-comment: infra/etl -->\n\n### ✅ fixed\n"}},
		{"pull_request_target", "infra/raw", "### ✅ raw\n", []string{"LGTM", "<!-- glueaccess-comment: infra/etl -->\n\n### ✅ fixed\n", "<!-- glueaccess-comment: infra/raw -->\n\n### ✅ raw\n"}},
	}
	for i, s := range steps {
		code, out := runScript(t, "comment.sh", env(s.event, s.dir, report(s.text)))
		if code != 0 {
			t.Fatalf("step %d: exit %d\n%s", i, code, out)
		}
		if got := bodies(); strings.Join(got, "|") != strings.Join(s.want, "|") {
			t.Fatalf("step %d: comments %q, want %q", i, got, s.want)
		}
	}
	for _, a := range gh.auth {
		if a != "Bearer t0ken" {
			t.Errorf("Authorization %q", a)
		}
	}
	calls := len(gh.calls)
	if code, out := runScript(t, "comment.sh", env("push", "infra/etl", report("x"))); code != 0 || len(gh.calls) != calls {
		t.Errorf("push event: exit %d, %d API calls, want none\n%s", code, len(gh.calls)-calls, out)
	}
	// A report without the marker would make a second comment on every
	// run: the step fails instead, before any call.
	if code, out := runScript(t, "comment.sh", env("pull_request", "", report("### x\n<!-- glueaccess-comment: infra/etl -->\n"))); code == 0 || len(gh.calls) != calls {
		t.Errorf("report without a leading marker: exit %d, %d API calls, want a failure and none\n%s", code, len(gh.calls)-calls, out)
	}
	// An API failure fails the step.
	srv.Close()
	if code, _ := runScript(t, "comment.sh", env("pull_request", "infra/etl", report("x"))); code == 0 {
		t.Error("comment.sh succeeded with the API down")
	}
}

// TestActionDefinition: every input action.yml uses is declared, and every
// script it runs exists and is executable.
func TestActionDefinition(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	declared := map[string]bool{}
	inInputs := false
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case line == "inputs:":
			inInputs = true
		case len(line) > 0 && line[0] != ' ':
			inInputs = false
		case inInputs && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":"):
			declared[strings.TrimSuffix(strings.TrimSpace(line), ":")] = true
		}
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(doc, -1) {
		if !declared[m[1]] {
			t.Errorf("action.yml uses inputs.%s, which it does not declare (declared: %v)", m[1], declared)
		}
	}
	scripts := regexp.MustCompile(`\$GITHUB_ACTION_PATH/(scripts/action/[a-z-]+\.sh)`).FindAllStringSubmatch(doc, -1)
	if len(scripts) != 3 {
		t.Errorf("action.yml runs %d scripts, want install, validate and comment", len(scripts))
	}
	for _, m := range scripts {
		st, err := os.Stat(filepath.Join(repoRoot, m[1]))
		if err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("%s: %v, mode %v; want an executable script", m[1], err, st.Mode())
		}
	}
}
