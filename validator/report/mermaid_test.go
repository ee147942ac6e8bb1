package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mmDiagram is a Mermaid flowchart of the subset the Markdown report writes:
// "graph LR", node definitions id["label"], edges id --> id with an optional
// |"label"|, classDef and class lines.
type mmDiagram struct {
	nodes   map[string]string // id → decoded label
	order   []string          // node ids in order of definition
	edges   [][3]string       // from, to, decoded label
	classes map[string]string // id → class
}

// marked is each marked node's label (kind and name) with its class.
func (d *mmDiagram) marked() []string {
	var m []string
	for _, id := range d.order {
		if c := d.classes[id]; c != "" {
			m = append(m, c+" "+d.nodes[id])
		}
	}
	return m
}

// mmText is a label as mmLabel writes it: allowed characters and entity codes.
const mmText = `(?:[A-Za-z0-9 .,_:/*=@+-]|#[0-9]+;)*`

var (
	mmNode     = regexp.MustCompile(`^  (n[0-9]+)\["(` + mmText + `)"\]$`)
	mmEdge     = regexp.MustCompile(`^  (n[0-9]+) -->(?:\|"(` + mmText + `)"\|)? (n[0-9]+)$`)
	mmClassDef = regexp.MustCompile(`^  classDef ([a-z]+) [a-z0-9:#,.-]+$`)
	mmClass    = regexp.MustCompile(`^  class (n[0-9]+) ([a-z]+)$`)
	mmEntity   = regexp.MustCompile(`#([0-9]+);`)
)

// mmDecode turns entity codes back into characters.
func mmDecode(s string) string {
	return mmEntity.ReplaceAllStringFunc(s, func(e string) string {
		n, _ := strconv.Atoi(e[1 : len(e)-1])
		return string(rune(n))
	})
}

// parseMermaid parses a diagram of the subset; every edge and class names
// nodes defined before it, every class is defined, and no node is defined
// twice.
func parseMermaid(src string) (*mmDiagram, error) {
	lines := strings.Split(src, "\n")
	if lines[0] != "graph LR" {
		return nil, fmt.Errorf("line 1 %q: want graph LR", lines[0])
	}
	d := &mmDiagram{nodes: map[string]string{}, classes: map[string]string{}}
	defs := map[string]bool{}
	var classLines [][]string
	for i, l := range lines[1:] {
		switch {
		case mmNode.MatchString(l):
			m := mmNode.FindStringSubmatch(l)
			if _, dup := d.nodes[m[1]]; dup {
				return nil, fmt.Errorf("line %d: node %s defined twice", i+2, m[1])
			}
			d.nodes[m[1]] = mmDecode(m[2])
			d.order = append(d.order, m[1])
		case mmEdge.MatchString(l):
			m := mmEdge.FindStringSubmatch(l)
			for _, id := range []string{m[1], m[3]} {
				if _, ok := d.nodes[id]; !ok {
					return nil, fmt.Errorf("line %d: edge names undefined node %s", i+2, id)
				}
			}
			d.edges = append(d.edges, [3]string{m[1], m[3], mmDecode(m[2])})
		case mmClassDef.MatchString(l):
			defs[mmClassDef.FindStringSubmatch(l)[1]] = true
		case mmClass.MatchString(l):
			classLines = append(classLines, append(mmClass.FindStringSubmatch(l), strconv.Itoa(i+2)))
		default:
			return nil, fmt.Errorf("line %d %q: not part of the diagram grammar", i+2, l)
		}
	}
	for _, m := range classLines {
		if _, ok := d.nodes[m[1]]; !ok || !defs[m[2]] {
			return nil, fmt.Errorf("line %s: class %s %s names an undefined node or class", m[3], m[1], m[2])
		}
		d.classes[m[1]] = m[2]
	}
	return d, nil
}

// mermaidFence is a fenced Mermaid block of the Markdown report.
var mermaidFence = regexp.MustCompile("(?s)\n(`{3,})mermaid\n(.*?)\n(`{3,})\n")

// mermaidBlocks extracts and parses every Mermaid block of a Markdown
// report, failing the test on one that does not parse.
func mermaidBlocks(t testing.TB, md string) []*mmDiagram {
	t.Helper()
	var ds []*mmDiagram
	for _, m := range mermaidFence.FindAllStringSubmatch(md, -1) {
		if m[1] != m[3] {
			t.Fatalf("mermaid block opened with %s closed with %s", m[1], m[3])
		}
		d, err := parseMermaid(m[2])
		if err != nil {
			t.Fatalf("mermaid block does not parse: %v\n%s", err, m[2])
		}
		ds = append(ds, d)
	}
	return ds
}

// TestMarkdownParsesBack: the sample's comment parsed back has its marker,
// one heading, one table, and a diagram per denied or unknown job whose
// marks are the blocking layers (the role for GA001, the bucket for GA002;
// the suppressed GA003 marks nothing).
func TestMarkdownParsesBack(t *testing.T) {
	md := render(t, "markdown", sample(), Options{CommentDir: "infra/etl"})
	if !strings.HasPrefix(md, "<!-- glueaccess-comment: infra/etl -->\n\n### ") {
		t.Errorf("the comment does not begin with the marker and the heading:\n%s", md)
	}
	shape := mdShape(t, md)
	if slices.Index(shape, "Heading3") != 2 || shape[1] != "HTMLBlock<1" {
		t.Errorf("shape %v: want the marker, then the heading", shape)
	}
	ds := mermaidBlocks(t, md)
	if len(ds) != 2 {
		t.Fatalf("%d diagrams, want one per denied or unknown job (2)", len(ds))
	}
	want := [][]string{
		{"deny role arn:aws:iam::111122223333:role/glue-etl"},
		{"unknown bucket shared|data"},
	}
	for i, d := range ds {
		if got := d.marked(); !slices.Equal(got, want[i]) {
			t.Errorf("diagram %d marks %q, want %q", i, got, want[i])
		}
		if d.nodes["n1"] != "job "+sample().Jobs[i].Address || d.edges[0] != [3]string{"n1", "n2", ""} {
			t.Errorf("diagram %d does not start job → role: %v %v", i, d.nodes, d.edges)
		}
	}
}

// TestMermaidParserRejects shows the parser is strict: each of these breaks
// out of a label or names what is not defined.
func TestMermaidParserRejects(t *testing.T) {
	for _, src := range []string{
		"graph TD",
		"graph LR\n  n1[\"a\"] --> n2[\"b\"]",
		"graph LR\n  n1[\"a\"b\"]",
		"graph LR\n  n1[\"a\"]\n  n1 --> n2",
		"graph LR\n  n1[\"a\"]\n  click n1 \"https://evil.example\"",
		"graph LR\n  n1[\"a\"]\n  class n1 evil",
		"graph LR\n  n1[\"a\"]\n  n1[\"b\"]",
		"graph LR\n  n1[\"a#b\"]",
	} {
		if _, err := parseMermaid(src); err == nil {
			t.Errorf("parsed %q", src)
		}
	}
}

// TestMermaidMarksTheBlockingLayer renders each bundled denied example's
// report (its result.json) as Markdown: every diagram parses, and each
// finding's blocking layer is a marked node of the right kind.
func TestMermaidMarksTheBlockingLayer(t *testing.T) {
	kind := map[string]string{"GA001": "role ", "GA002": "bucket ", "GA003": "bucket ", "GA004": "VPC endpoint ", "GA005": "KMS key ", "GA006": "bucket ", "GA007": "SCP "}
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "validate", "*-deny", "result.json"))
	if err != nil || len(files) < 7 {
		t.Fatalf("want the denied examples, got %v (%v)", files, err)
	}
	seen := map[string]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		ds := mermaidBlocks(t, render(t, "markdown", &r, Options{}))
		i := 0
		for _, j := range r.Jobs {
			if j.Verdict == Allowed {
				continue
			}
			d := ds[i]
			i++
			for _, f := range j.Findings {
				if f.Suppressed != nil {
					continue
				}
				want := map[string]string{VerdictDeny: "deny ", VerdictUnknown: "unknown "}[f.Verdict] + kind[f.ID]
				if !slices.ContainsFunc(d.marked(), func(m string) bool { return strings.HasPrefix(m, want) || strings.HasPrefix(m, "deny "+kind[f.ID]) }) {
					t.Errorf("%s %s %s: marks %q, want one %q", file, j.Address, f.ID, d.marked(), want)
				}
				seen[f.ID] = true
			}
		}
		if i != len(ds) {
			t.Errorf("%s: %d diagrams for %d jobs not allowed", file, len(ds), i)
		}
	}
	for id := range kind {
		if !seen[id] {
			t.Errorf("no example has a %s finding", id)
		}
	}
}
