package golden

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line changed in the middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			"--- want\n+++ got\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"line added at the end", "a\n", "a\nb\n", "--- want\n+++ got\n@@ -1,1 +1,2 @@\n a\n+b\n"},
		{"line removed at the start", "a\nb\n", "b\n", "--- want\n+++ got\n@@ -1,2 +1,1 @@\n-a\n b\n"},
		{"from empty", "", "a\n", "--- want\n+++ got\n@@ -0,0 +1,1 @@\n+a\n"},
		{"missing final newline", "a\nb\n", "a\nb", "--- want\n+++ got\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"},
		{"lines moved keep the common ones", "x\na\nb\nc\n", "a\nb\nc\nx\n", "--- want\n+++ got\n@@ -1,4 +1,4 @@\n-x\n a\n b\n c\n+x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff("want", "got", tt.want, tt.got); got != tt.diff {
				t.Errorf("Diff:\n%s\nwant:\n%s", got, tt.diff)
			}
		})
	}
}

// TestDiffRebuildsBothSides checks, on random texts, that the hunk's kept and
// removed lines are the old text's lines its header names, its kept and added
// lines the new text's, and that the texts are equal outside it.
func TestDiffRebuildsBothSides(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(string(rune('a'+r.IntN(4))) + "\n")
		}
		if r.IntN(4) == 0 {
			b.WriteString("z") // no final newline
		}
		return b.String()
	}
	for range 2000 {
		want, got := text(), text()
		d := Diff("want", "got", want, got)
		if (d == "") != (want == got) {
			t.Fatalf("Diff(%q, %q) = %q", want, got, d)
		}
		if d == "" {
			continue
		}
		lines := strings.SplitAfter(d, "\n")
		var a, n, b, m int
		if _, err := fmt.Sscanf(lines[2], "@@ -%d,%d +%d,%d @@\n", &a, &n, &b, &m); err != nil {
			t.Fatalf("hunk header %q: %v", lines[2], err)
		}
		var oldText, newText strings.Builder
		for i, l := range lines[3:] {
			if l == "" || strings.HasPrefix(l, `\`) {
				continue
			}
			body := l[1:]
			if next := 3 + i + 1; next < len(lines) && strings.HasPrefix(lines[next], `\`) {
				body = strings.TrimSuffix(body, "\n")
			}
			switch l[0] {
			case ' ':
				oldText.WriteString(body)
				newText.WriteString(body)
			case '-':
				oldText.WriteString(body)
			case '+':
				newText.WriteString(body)
			default:
				t.Fatalf("line %q of the diff of %q and %q", l, want, got)
			}
		}
		from := func(start, count int) int { // 0-based first line of a range
			if count == 0 {
				return start
			}
			return start - 1
		}
		wl, gl := splitLines(want), splitLines(got)
		ws, gs := from(a, n), from(b, m)
		if strings.Join(wl[ws:ws+n], "") != oldText.String() || strings.Join(gl[gs:gs+m], "") != newText.String() ||
			strings.Join(wl[:ws], "") != strings.Join(gl[:gs], "") || strings.Join(wl[ws+n:], "") != strings.Join(gl[gs+m:], "") {
			t.Fatalf("diff of %q and %q does not rebuild them:\n%s", want, got, d)
		}
	}
}

// TestDiffFallsBackOnHugeChanges checks that a changed region too large for
// the table is shown whole: every old line removed, then every new one added,
// even the lines both sides share.
func TestDiffFallsBackOnHugeChanges(t *testing.T) {
	var a, b strings.Builder
	for i := range 3001 { // the first and last lines differ
		line := fmt.Sprintf("line %d\n", i)
		a.WriteString(line)
		if i%2 == 0 {
			line = "changed\n"
		}
		b.WriteString(line)
	}
	d := Diff("want", "got", a.String(), b.String())
	if n := strings.Count(d, "\n-"); n != 3001 {
		t.Errorf("%d lines removed, want 3001", n)
	}
	if n := strings.Count(d, "\n+") - 1; n != 3001 { // less the "+++" header
		t.Errorf("%d lines added, want 3001", n)
	}
	if n := strings.Count(d, "\n "); n != 0 {
		t.Errorf("%d lines kept, want none", n)
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, strings.TrimSpace(fmt.Sprintf(format, args...)))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// check runs Check on a recorder and returns its messages.
func check(t *testing.T, path string, got []byte) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(r, path, got)
	}()
	<-done
	return r.msgs
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.golden")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if msgs := check(t, path, []byte("a\nb\n")); len(msgs) != 0 {
		t.Errorf("equal output failed: %q", msgs)
	}
	msgs := check(t, path, []byte("a\nc\n"))
	if len(msgs) != 1 || !strings.Contains(msgs[0], path) || !strings.Contains(msgs[0], "-b\n+c") || !strings.Contains(msgs[0], "-update") {
		t.Errorf("different output: %q, want one failure naming the file, the diff and -update", msgs)
	}
	missing := filepath.Join(dir, "none", "x.golden")
	if msgs := check(t, missing, []byte("a\n")); len(msgs) != 1 || !strings.Contains(msgs[0], "-update to create it") {
		t.Errorf("missing golden file: %q", msgs)
	}

	*update = true
	defer func() { *update = false }()
	if msgs := check(t, missing, []byte("new\n")); len(msgs) != 0 {
		t.Errorf("-update failed: %q", msgs)
	}
	if b, err := os.ReadFile(missing); err != nil || string(b) != "new\n" {
		t.Errorf("-update wrote %q, %v", b, err)
	}
}
