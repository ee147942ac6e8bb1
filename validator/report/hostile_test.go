package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// hostileStrings are what a pull request can put in a plan value, a .tf
// file name or a .glueaccess.hcl reason, trying to forge a report.
var hostileStrings = []string{
	"x\n::error file=main.tf,line=1::forged",
	"::warning::forged",
	"ok\r::error::forged",
	"\x1b[2J\x1b[Hcleared",
	"</code></summary></details>\n\n### ✅ glueaccess: all 9 Glue jobs can reach their S3 data\n\n<!--",
	"--> <details><summary>x</summary>",
	"[docs](https://evil.example/x) ![img](https://evil.example/i.png)",
	"<https://evil.example> https://evil.example/a www.evil.example ops@evil.example",
	"cc @security-team @org/admins fixes #12 GH-3",
	"| a | b |\n|---|---|\n| c | d |",
	"`code` ``` ```` fence",
	"```\n# heading\n```",
	"*emph* _em_ __strong__ ~~gone~~ \\ \\|",
	"<script>alert(1)</script> &lt; &amp; &#64;",
	"\u202eevil\u2066 \u2028 \u2029",
	"\xff\xfe not utf-8",
	"%0A::error::forged %25 %3A %2C",
	"a b#%c?.tf",
	"",
	" leading and trailing ",
	"`",
}

// hostileReport is a report with s in every string that comes from input
// (a setting's name is one of the tool's own, internal/access), prefixed
// where an empty string would leave a part out.
func hostileReport(s string) *Report {
	loc := &Location{File: s, Line: 3}
	stmt, _ := json.Marshal(map[string]string{"Sid": s, "Resource": s})
	r := &Report{
		Version: Version,
		Plan: PlanInfo{
			File: s, FormatVersion: "1.2", TerraformVersion: s, Config: s, ConfigDir: s,
			Notes: []string{s}, Warnings: []string{s}, ActionWarnings: []string{s},
		},
		Jobs: []Job{{
			Address: s, Name: s, Role: s, Location: loc,
			Findings: []Finding{{
				ID: "GA001", Title: "role-s3-permissions", Verdict: VerdictDeny, Reason: s,
				Action: s, Resource: s, URL: "s3://" + s,
				Needs:     []Need{{Action: s, Resource: s, URL: s, Intent: s, Why: s}},
				Because:   s,
				DecidedBy: &Statement{Layer: "identity", Policy: s, Index: 0, Sid: s, Node: s, Location: loc},
				Missing:   []Missing{{Fact: s, How: s}},
				Fix: &Fix{Target: "identity", Op: "add-statement", Resource: s, Text: s,
					Statements: []json.RawMessage{stmt}, HCL: "# " + s, Setting: &Setting{Name: "object_ownership", Value: s}},
				Evidence: []string{s},
			}, {
				ID: "GA003", Title: "object-ownership", Verdict: VerdictUnknown, Reason: s,
				Action: s, Resource: s, Because: s, Missing: []Missing{},
				Suppressed: &Suppression{Reason: s, Expires: s, Source: s},
			}},
			Assumptions:    []Assumption{{Code: s, Text: s}},
			Notes:          []string{s},
			ActionWarnings: []string{s},
		}, {
			Address: s + "2", Name: s, Role: s, Findings: []Finding{}, Assumptions: []Assumption{},
		}},
		Errors: []Error{{Resource: s, Message: s}, {Message: s}},
	}
	r.Summarize()
	return r
}

// benign is the same report with a plain word in every input string: a
// hostile report must have its structure.
const benign = "x"

func render(t testing.TB, format string, r *Report, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Formatters[format](&buf, r, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.String()
}

// checkText asserts that the text report of hostileReport(s) has the lines
// of the benign one, that none begins a workflow command, and that it holds
// no control character but the line feeds and the ANSI colours it writes.
func checkText(t testing.TB, s string) {
	for _, colour := range []bool{false, true} {
		opts := Options{Color: colour}
		got := render(t, "text", hostileReport(s), opts)
		want := render(t, "text", hostileReport(benign), opts)
		gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want, "\n")
		if len(gotLines) != len(wantLines) {
			t.Fatalf("input %q: %d lines, want %d:\n%s", s, len(gotLines), len(wantLines), got)
		}
		for i, l := range gotLines {
			if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") {
				t.Errorf("input %q: line %d begins a workflow command: %q", s, i+1, l)
			}
			// Each line but the first, which names the plan file, starts
			// as the benign one's does: with the report's own words.
			if w := wantLines[i]; i > 0 && len(w) >= 2 && !strings.HasPrefix(l, w[:2]) {
				t.Errorf("input %q: line %d = %q, want it to start like %q", s, i+1, l, w)
			}
		}
		if n, m := strings.Count(got, "\x1b"), strings.Count(want, "\x1b"); n != m {
			t.Errorf("input %q, colour %v: %d escape characters, the report writes %d", s, colour, n, m)
		}
		for _, c := range got {
			if c != '\n' && c != '\x1b' && needsEscape(c, 1) {
				t.Errorf("input %q: control character %U in the text report", s, c)
				break
			}
		}
	}
}

// markdown parses as GitHub does, and renders raw HTML (the report's own
// tags) as it is rather than as a comment.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))

// mdShape is the Markdown's structure as a parser sees it: every block and
// inline node but text, with its heading level, table row count or HTML.
func mdShape(t testing.TB, doc string) []string {
	src := []byte(doc)
	root := markdown.Parser().Parse(text.NewReader(src))
	var shape []string
	err := ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text, *ast.String:
			return ast.WalkContinue, nil
		case *ast.Heading:
			shape = append(shape, fmt.Sprintf("Heading%d", n.Level))
		case *ast.HTMLBlock:
			// The lines of an HTML block are the report's tags with the
			// escaped input between them: count the tags.
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
			}
			shape = append(shape, fmt.Sprintf("HTMLBlock<%d", strings.Count(b.String(), "<")))
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(src))
			}
			shape = append(shape, "RawHTML "+b.String())
		case *ast.CodeSpan, *ast.FencedCodeBlock:
			shape = append(shape, n.Kind().String())
			return ast.WalkSkipChildren, nil
		default:
			shape = append(shape, n.Kind().String())
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return shape
}

// inCode matches what GitHub leaves alone when it links mentions and issue
// references: code and preformatted text.
var inCode = regexp.MustCompile(`(?s)<code>.*?</code>|<pre>.*?</pre>`)

// linkable matches what GitHub would link in the text of the rendered
// HTML: @mentions, #123 issue references, and links or images.
var linkable = regexp.MustCompile(`@[A-Za-z0-9]|#[0-9]|<a |<img |<!--|<script`)

// checkMarkdown asserts that the Markdown of hostileReport(s) has the
// structure of the benign one (one h3, the h4 of each finding, one table of
// as many rows, the same tags) and that nothing in it links or mentions.
func checkMarkdown(t testing.TB, s string) {
	got := render(t, "markdown", hostileReport(s), Options{})
	want := render(t, "markdown", hostileReport(benign), Options{})
	gs, ws := mdShape(t, got), mdShape(t, want)
	if !reflect.DeepEqual(gs, ws) {
		t.Fatalf("input %q: markdown structure\n%v\nwant\n%v\nmarkdown:\n%s", s, gs, ws, got)
	}
	if n := strings.Count(strings.Join(gs, " "), "Heading3"); n != 1 {
		t.Fatalf("input %q: %d h3 headings, want 1", s, n)
	}
	var out bytes.Buffer
	if err := markdown.Convert([]byte(got), &out); err != nil {
		t.Fatal(err)
	}
	outside := inCode.ReplaceAllString(out.String(), "")
	if m := linkable.FindString(outside); m != "" {
		t.Errorf("input %q: rendered markdown has %q outside code:\n%s", s, m, out.String())
	}
}

// ghLine is a workflow command the github format writes, with its
// properties escaped, or its summary line.
var ghLine = regexp.MustCompile(`^(::(error|warning|notice) title=[^:,\r]*,file=[^:,\r]*(,line=[0-9]+)?::[^\r]*|glueaccess: [0-9]+ Glue jobs: .*)$`)

// checkGitHub asserts that the github format of hostileReport(s) has as many
// commands as the benign one, each well formed with properties that cannot
// end early.
func checkGitHub(t testing.TB, s string) {
	got := render(t, "github", hostileReport(s), Options{})
	want := render(t, "github", hostileReport(benign), Options{})
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("input %q: %d lines, want %d:\n%s", s, len(gotLines), len(wantLines), got)
	}
	for i, l := range gotLines[:len(gotLines)-1] {
		if !ghLine.MatchString(l) {
			t.Errorf("input %q: line %d is not a well-formed command: %q", s, i+1, l)
		}
		if w := wantLines[i]; !strings.HasPrefix(l, w[:strings.IndexByte(w, ' ')]) {
			t.Errorf("input %q: line %d = %q, want the command of %q", s, i+1, l, w)
		}
		for _, c := range l {
			if needsEscape(c, 1) {
				t.Errorf("input %q: line %d holds control character %U", s, i+1, c)
				break
			}
		}
	}
}

var (
	sarifSchemaOnce sync.Once
	sarifSchema210  *jsonschema.Schema
	sarifSchemaErr  error
)

func sarifValidator(t testing.TB) *jsonschema.Schema {
	sarifSchemaOnce.Do(func() {
		f, err := os.Open("testdata/sarif-schema-2.1.0.json")
		if err != nil {
			sarifSchemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			sarifSchemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if sarifSchemaErr = c.AddResource("sarif-schema-2.1.0.json", doc); sarifSchemaErr != nil {
			return
		}
		sarifSchema210, sarifSchemaErr = c.Compile("sarif-schema-2.1.0.json")
	})
	if sarifSchemaErr != nil {
		t.Fatal(sarifSchemaErr)
	}
	return sarifSchema210
}

// rfc3986Ref matches a URI reference made only of unreserved characters,
// slashes and percent-encodings (after an optional file:// scheme).
var rfc3986Ref = regexp.MustCompile(`^(file://)?([A-Za-z0-9._~/-]|%[0-9A-F]{2})*$`)

// checkSARIF asserts that the SARIF of hostileReport(s) is valid SARIF
// 2.1.0, that its URIs are percent-encoded and decode back to the paths, and
// that the input strings round-trip.
func checkSARIF(t testing.TB, s string) {
	got := render(t, "sarif", hostileReport(s), Options{})
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(got))
	if err != nil {
		t.Fatalf("input %q: SARIF is not JSON: %v", s, err)
	}
	if err := sarifValidator(t).Validate(inst); err != nil {
		t.Fatalf("input %q: SARIF does not validate: %v", s, err)
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(got), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	uris := []string{run.Artifacts[0].Location.URI}
	for _, res := range run.Results {
		for _, l := range append(res.Locations, res.Related...) {
			uris = append(uris, l.PhysicalLocation.ArtifactLocation.URI)
		}
	}
	for _, u := range uris {
		if !rfc3986Ref.MatchString(u) {
			t.Errorf("input %q: URI %q is not percent-encoded", s, u)
		}
		path, err := url.PathUnescape(strings.TrimPrefix(u, "file://"))
		if err != nil || path != strings.ReplaceAll(s, `\`, "/") {
			t.Errorf("input %q: URI %q decodes to %q (%v)", s, u, path, err)
		}
	}
	if len(run.Results) != 2 || run.Results[0].Properties.Reason != jsonRoundTrip(s) {
		t.Errorf("input %q: results %+v", s, run.Results)
	}
}

// jsonRoundTrip is s as JSON carries it: bytes that are not UTF-8 become
// U+FFFD.
func jsonRoundTrip(s string) string {
	b, _ := json.Marshal(s)
	var back string
	_ = json.Unmarshal(b, &back)
	return back
}

// checkJSON asserts that the JSON report decodes back to the report.
func checkJSON(t testing.TB, s string) {
	got := render(t, "json", hostileReport(s), Options{})
	var back Report
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatalf("input %q: %v", s, err)
	}
	if back.Jobs[0].Findings[0].Because != jsonRoundTrip(s) {
		t.Errorf("input %q: because %q after the round trip", s, back.Jobs[0].Findings[0].Because)
	}
}

func TestHostileInputCannotForgeAReport(t *testing.T) {
	checks := map[string]func(testing.TB, string){
		"text": checkText, "markdown": checkMarkdown, "github": checkGitHub, "sarif": checkSARIF, "json": checkJSON,
	}
	for format, check := range checks {
		t.Run(format, func(t *testing.T) {
			for _, s := range hostileStrings {
				check(t, s)
			}
		})
	}
}

// TestStructuralChecksCanFail shows the checks above fail on a report whose
// input is not escaped.
func TestStructuralChecksCanFail(t *testing.T) {
	forged := "x\n::error::forged"
	if got := controlChars(forged); !strings.Contains(got, `\n`) || strings.Contains(got, "\n") {
		t.Fatalf("controlChars(%q) = %q", forged, got)
	}
	raw := "| `a` | b |\n\n### forged\n\n<!--"
	if reflect.DeepEqual(mdShape(t, "| `a` | b |"), mdShape(t, raw)) {
		t.Error("mdShape does not see a forged heading")
	}
	if !linkable.MatchString("cc @team") || linkable.MatchString(inCode.ReplaceAllString("<code>@team</code>", "")) {
		t.Error("linkable does not tell a mention outside code")
	}
	if ghLine.MatchString("::error title=a:b,file=x::m") || !ghLine.MatchString("::error title=a%3Ab,file=x::m") {
		t.Error("ghLine accepts an unescaped property")
	}
	if rfc3986Ref.MatchString("a b.tf") || !rfc3986Ref.MatchString("a%20b.tf") {
		t.Error("rfc3986Ref accepts a space")
	}
}

func TestEscapers(t *testing.T) {
	tests := []struct {
		name, in, want string
		fn             func(string) string
	}{
		{"control newline", "a\nb", `a\nb`, controlChars},
		{"control escape", "\x1b[2J", `\x1b[2J`, controlChars},
		{"control C1", "a\u0085b", `a\u0085b`, controlChars},
		{"control bidi", "a\u202eb", `a\u202eb`, controlChars},
		{"control invalid", "a\xffb", `a\xffb`, controlChars},
		{"control keeps unicode", "❌ é 日本", "❌ é 日本", controlChars},
		{"md link", "[a](b)", `\[a\](b)`, mdText},
		{"md image", "![a](b)", `!\[a\](b)`, mdText},
		{"md html", "<!-- x -->", `\<!-- x --\>`, mdText},
		{"md autolink", "https://e.x www.e.x", `https\://e.x www\.e.x`, mdText},
		{"md mention", "@team #1", "@\u2060team \\#\u20601", mdText},
		{"md snake_case kept", "aws_iam_role _x_", `aws_iam_role \_x\_`, mdText},
		{"md pipe", "a|b", `a\|b`, mdText},
		{"md entity", "&amp;", `\&amp;`, mdText},
		{"code plain", "a.b", "`a.b`", func(s string) string { return mdCode(s, false) }},
		{"code backticks", "a``b", "```a``b```", func(s string) string { return mdCode(s, false) }},
		{"code edge backtick", "`a", "`` `a ``", func(s string) string { return mdCode(s, false) }},
		{"code cell pipe", "a|b", "`a\\|b`", func(s string) string { return mdCode(s, true) }},
		{"html", `<a href="x">&`, `&lt;a href="x"&gt;&amp;`, mdHTML},
		{"uri plain", "modules/a/main.tf", "modules/a/main.tf", sarifURI},
		{"uri hostile", "a b#%c?.tf", "a%20b%23%25c%3F.tf", sarifURI},
		{"uri colon", "c:x.tf", "c%3Ax.tf", sarifURI},
		{"uri absolute", "/tmp/p q.json", "file:///tmp/p%20q.json", sarifURI},
		{"gh data", "a\n%b\x1b", `a%0A%25b\x1b`, ghData},
		{"gh property", "a:b,c", "a%3Ab%2Cc", ghProperty},
		{"text line start", "::error::x", "./::error::x", lineStart},
		{"text line start plain", "plan.json", "plan.json", lineStart},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func addSeeds(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
}

func FuzzTextReport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) { checkText(t, s) })
}

func FuzzMarkdownReport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) { checkMarkdown(t, s) })
}

func FuzzGitHubReport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) { checkGitHub(t, s) })
}

func FuzzSARIFReport(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) { checkSARIF(t, s) })
}
