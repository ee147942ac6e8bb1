package script

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seeds adds the golden scripts and a few hostile shapes to a fuzz corpus.
func seeds(f *testing.F, ext string) {
	files, _ := filepath.Glob("testdata/*" + ext)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "'", `"""`, "f'{", "f'{x!r:{y}}'", "s\"${\"", "((((", "\\", "/* /*", "'\\", "x = f'{f'{f'{1}'}'}'",
		"a = 'b' 'c' + d % (e,)", strings.Repeat("(", 200), strings.Repeat("f'{", 100)} {
		f.Add([]byte(s))
	}
}

// checkRefs holds for every result: lines are inside the script, a
// reference with a known URL names an S3 URL, and an unknown one says what
// is unknown.
func checkRefs(t *testing.T, src []byte, refs []Ref) {
	lines := bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) + 1
	for _, r := range refs {
		if r.Line < 1 || r.Line > lines {
			t.Fatalf("ref line %d outside 1..%d: %+v", r.Line, lines, r)
		}
		if !r.Catalog && r.Unknown == "" && !isS3(r.URL) {
			t.Fatalf("a known reference that is not an S3 URL: %+v", r)
		}
		if r.Catalog && r.Unknown == "" && r.Table == "" {
			t.Fatalf("a known table without a name: %+v", r)
		}
		if r.Mode == "" || r.Call == "" {
			t.Fatalf("a reference without mode or call: %+v", r)
		}
	}
}

func FuzzReadPython(f *testing.F) {
	seeds(f, ".py")
	f.Fuzz(func(t *testing.T, src []byte) {
		refs, err := Read(src, Python, Options{Args: goldenArgs})
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error that is not a syntax error: %v", err)
			}
			return
		}
		checkRefs(t, src, refs)
	})
}

func FuzzReadScala(f *testing.F) {
	seeds(f, ".scala")
	f.Fuzz(func(t *testing.T, src []byte) {
		refs, err := Read(src, Scala, Options{Args: goldenArgs})
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error that is not a syntax error: %v", err)
			}
			return
		}
		checkRefs(t, src, refs)
	})
}

// FuzzStringLiteral: a Python string literal built from any text by repr
// rules decodes back to that text, so the tokenizer reads every quote,
// escape and prefix exactly.
func FuzzStringLiteral(f *testing.F) {
	for _, s := range []string{"s3://b/k/", "a'b\"c", "\\", "\n\t\x00", "é/ü", "{}"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, triple bool) {
		if !utf8Valid(s) {
			return
		}
		lit := pyQuote(s, triple)
		toks, err := lexPython("x = "+lit+"\n", 1, 0)
		if err != nil {
			t.Fatalf("%q: %v", lit, err)
		}
		if len(toks) < 3 || toks[2].kind != tString || toks[2].text != s {
			t.Fatalf("%q: decoded %q, want %q", lit, toks[2].text, s)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// pyQuote writes s as a Python literal: every character escaped that must
// be, and others escaped at random by their code.
func pyQuote(s string, triple bool) string {
	var b strings.Builder
	q := "'"
	if triple {
		q = "'''"
	}
	b.WriteString(q)
	for _, r := range s {
		switch {
		case r == '\\' || r == '\'' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' && !triple:
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		case r > 0xffff:
			b.WriteString(`\U`)
			for i := 28; i >= 0; i -= 4 {
				b.WriteByte("0123456789abcdef"[(r>>uint(i))&15])
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(q)
	return b.String()
}
