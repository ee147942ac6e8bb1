// Package golden compares test output with golden files and rewrites them
// when the test binary runs with -update, so that every golden test of the
// repository shares one flag and one failure message.
//
//	go test ./validator -run TestExamplesDecideAsDocumented -update
//
// Check every rewritten file's diff before committing it.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with the output of the tests")

// Update reports whether the test binary runs with -update.
func Update() bool { return *update }

// Check compares got with the golden file at path and fails t, showing a
// unified line diff, when they differ. With -update it first writes got to
// path (creating its directory).
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: reading %s (run go test with -update to create it): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from golden file %s (run go test with -update, then check the file's diff):\n%s",
			path, Diff(path, "got", string(want), string(got)))
	}
}

// context is the number of unchanged lines shown around a change.
const context = 3

// maxCells bounds the table of the line diff (lines removed times lines
// added); past it the changed region is shown as all removed, then all added.
const maxCells = 4 << 20

// Diff returns a unified diff, one hunk, from want (named wantName) to got
// (named gotName), or "" when they are equal. A missing final newline is
// marked as diff(1) marks it.
func Diff(wantName, gotName, want, got string) string {
	if want == got {
		return ""
	}
	a, b := splitLines(want), splitLines(got)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	lo := max(pre-context, 0)
	aHi, bHi := len(a)-max(suf-context, 0), len(b)-max(suf-context, 0)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n@@ -%s +%s @@\n", wantName, gotName, span(lo, aHi), span(lo, bHi))
	for _, l := range a[lo:pre] {
		writeLine(&out, ' ', l)
	}
	for _, e := range edits(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		writeLine(&out, e.op, e.line)
	}
	for _, l := range a[len(a)-suf : aHi] {
		writeLine(&out, ' ', l)
	}
	return out.String()
}

// span renders a hunk range: first line (1-based) and count.
func span(lo, hi int) string {
	if hi-lo == 0 {
		return fmt.Sprintf("%d,0", lo)
	}
	return fmt.Sprintf("%d,%d", lo+1, hi-lo)
}

// splitLines splits text into lines, each keeping its "\n" (the last one may
// have none).
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func writeLine(b *strings.Builder, op byte, line string) {
	b.WriteByte(op)
	b.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		b.WriteString("\n\\ No newline at end of file\n")
	}
}

// edit is one line of a diff: ' ' kept, '-' removed, '+' added.
type edit struct {
	op   byte
	line string
}

// edits is a shortest line edit script from a to b (longest common
// subsequence), or all of a removed and all of b added when the table would
// exceed maxCells.
func edits(a, b []string) []edit {
	var out []edit
	if len(a)*len(b) > maxCells {
		for _, l := range a {
			out = append(out, edit{'-', l})
		}
		for _, l := range b {
			out = append(out, edit{'+', l})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, edit{' ', a[i]})
			i, j = i+1, j+1
		case j == len(b) || i < len(a) && lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, edit{'-', a[i]})
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}
