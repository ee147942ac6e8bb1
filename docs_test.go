package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// modelRef is a citation of a section of docs/model.md.
var modelRef = regexp.MustCompile(`docs/model\.md#([a-z0-9-]+)`)

// anchors returns the anchors GitHub gives the headings of a Markdown file:
// lower case, punctuation dropped, spaces turned into hyphens.
func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if !ok || !strings.HasPrefix(line, "#") {
			continue
		}
		var a strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				a.WriteRune(r)
			case r == ' ':
				a.WriteByte('-')
			}
		}
		out[a.String()] = true
	}
	return out
}

// TestSourcesCiteTheModel checks that every section of docs/model.md cited in
// the sources and docs names a section of docs/model.md, and that no source
// cites a section of a document the repository does not hold.
func TestSourcesCiteTheModel(t *testing.T) {
	model := anchors(t, filepath.Join("docs", "model.md"))
	cited := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".go" && ext != ".md" && ext != ".tmpl" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(b)
		if filepath.Ext(path) == ".go" && path != "docs_test.go" && strings.Contains(text, "spec §") {
			t.Errorf("%s cites \"spec §\", a document not in the repository: cite docs/model.md#<section> or the AWS page", path)
		}
		for _, m := range modelRef.FindAllStringSubmatch(text, -1) {
			cited++
			if !model[m[1]] {
				t.Errorf("%s cites docs/model.md#%s, which is no heading of docs/model.md", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited == 0 {
		t.Error("no citation of docs/model.md found: the walk reads nothing")
	}
}
