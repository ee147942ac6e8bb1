package script

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// Lang is a script language.
type Lang string

// Script languages Glue runs (command[0].script_location of a glueetl job is
// Python or Scala; --job-language says which).
const (
	Python Lang = "python"
	Scala  Lang = "scala"
)

// LangOf returns the language of a script by its file name.
func LangOf(name string) (Lang, bool) {
	switch strings.ToLower(path.Ext(name)) {
	case ".py":
		return Python, true
	case ".scala":
		return Scala, true
	}
	return "", false
}

// Mode is what a reference does with its location.
type Mode string

// Modes. ModeNamed is a location the script names (an S3 URL literal) without
// a use the reader recognises: what the job does with it is unknown.
const (
	ModeRead   Mode = "read"
	ModeWrite  Mode = "write"
	ModeDelete Mode = "delete"
	ModeNamed  Mode = "named"
)

// Ref is one location the script reads, writes or deletes.
type Ref struct {
	Mode Mode
	// URL is the S3 URL, or its known start when Unknown is set ("" when
	// nothing of it is known). Empty for a catalog table.
	URL string
	// Unknown names what ends the URL (or the table name) that the script
	// does not reveal, with its line: "job argument --input_path, which is
	// not among the job's arguments (line 12)".
	Unknown string
	// Catalog is set for a Data Catalog table: Database and Table name it,
	// "" where the script does not reveal it (Unknown then says so).
	Catalog         bool
	Database, Table string
	// Line is the 1-based line of the call (or of the literal for
	// ModeNamed).
	Line int
	// Call names the operation: "spark.read.parquet",
	// "create_dynamic_frame.from_options", "LOCATION in spark.sql".
	Call string
}

// Options are what the reader needs from the job.
type Options struct {
	// Args are the job's arguments as the script receives them, keyed
	// "--name" (default_arguments overlaid by non_overridable_arguments).
	Args map[string]string
	// ArgsUnknown, when set, says why the job's arguments are not known at
	// plan time: every argument the script reads is then unknown.
	ArgsUnknown string
	// Unknown are arguments whose values are not known at plan time, keyed
	// "--name", each with why.
	Unknown map[string]string
}

// Read returns the locations src reads and writes, in line order. An error
// is a script the tokenizer cannot read (a *SyntaxError); the caller must
// then treat the script's needs as unknown.
func Read(src []byte, lang Lang, opt Options) (refs []Ref, err error) {
	// A script may come from an untrusted pull request: a bug the fuzz
	// targets have not found yet makes the script's needs unknown (the
	// caller reports the error) rather than stopping the validation. The
	// fuzz targets fail on any error that is not a SyntaxError.
	defer func() {
		if p := recover(); p != nil {
			refs, err = nil, fmt.Errorf("internal error reading the script: %v", p)
		}
	}()
	var toks []token
	switch lang {
	case Python:
		toks, err = lexPython(string(src), 1, 0)
	case Scala:
		toks, err = lexScala(string(src), 1, 0)
	default:
		return nil, fmt.Errorf("unknown script language %q", lang)
	}
	if err != nil {
		return nil, err
	}
	var ids int32
	number(toks, &ids)
	r := &reader{opt: opt, scala: lang == Scala, scopes: []map[string]value{{}}, used: map[int32]bool{}}
	r.run(toks)
	return r.result(toks), nil
}

// reader walks the statements in order, keeping simple variables.
type reader struct {
	opt   Options
	scala bool
	// scopes are the variables of the module and of each function being
	// read, innermost last: a function's assignments do not change the
	// module's variables (Python's and Scala's scoping).
	scopes []map[string]value
	// params are the parameters of the def just read, bound in the scope
	// its block opens.
	params map[string]value
	used   map[int32]bool // literals a recognised call (or an inert one) used
	refs   []Ref
	// blocks is the stack of open blocks (Python: by indentation; Scala: by
	// braces), each with whether it runs conditionally.
	blocks []block
}

type block struct {
	indent int
	cond   bool
	scope  bool // the block is a function's (or class's) body
}

// lookup returns a name's value from the innermost scope that has it.
func (r *reader) lookup(name string) (value, bool) {
	for i := len(r.scopes) - 1; i >= 0; i-- {
		if v, ok := r.scopes[i][name]; ok {
			return v, true
		}
	}
	return value{}, false
}

// setEverywhere sets a name in every scope that has it.
func (r *reader) setEverywhere(name string, v value) {
	for _, s := range r.scopes {
		if _, ok := s[name]; ok {
			s[name] = v
		}
	}
}

// push opens a block; a function's body opens a scope holding its
// parameters.
func (r *reader) push(b block) {
	r.blocks = append(r.blocks, b)
	if b.scope {
		s := r.params
		if s == nil {
			s = map[string]value{}
		}
		r.scopes = append(r.scopes, s)
	}
	r.params = nil
}

// pop closes the innermost block.
func (r *reader) pop() {
	if b := r.blocks[len(r.blocks)-1]; b.scope && len(r.scopes) > 1 {
		r.scopes = r.scopes[:len(r.scopes)-1]
	}
	r.blocks = r.blocks[:len(r.blocks)-1]
}

// conditional reports whether a statement at this point may not run (it is
// inside an if, a loop, a try, a match): an assignment there adds an
// alternative instead of replacing the value.
func (r *reader) conditional() bool {
	for _, b := range r.blocks {
		if b.cond {
			return true
		}
	}
	return false
}

// condHeads are the statements whose block runs conditionally.
var condHeads = map[string]bool{"if": true, "elif": true, "else": true, "for": true, "while": true, "try": true,
	"except": true, "finally": true, "with": false, "match": true, "case": true, "catch": true, "do": true, "async": true}

func (r *reader) run(toks []token) {
	start := 0
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		switch {
		case t.kind == tNewline || t.kind == tEOF:
			if i > start {
				r.statement(toks[start:i], t.indent)
			}
			start = i + 1
		case r.scala && t.kind == tOp && t.text == "{":
			if i > start {
				r.statement(toks[start:i], 0)
			}
			cond := i > start && condHeads[toks[start].text] || i > start && (toks[i-1].text == "=>" || toks[i-1].text == "else")
			scope := false
			for _, t := range toks[start:i] {
				if t.kind == tName && t.text == "def" {
					scope = true
				}
			}
			r.push(block{cond: cond, scope: scope})
			start = i + 1
		case r.scala && t.kind == tOp && t.text == "}":
			if i > start {
				r.statement(toks[start:i], 0)
			}
			if len(r.blocks) > 0 {
				r.pop()
			}
			start = i + 1
		}
	}
}

// statement reads one statement (a logical line; for Python, indent is its
// indentation).
func (r *reader) statement(toks []token, indent int) {
	if !r.scala {
		for len(r.blocks) > 0 && r.blocks[len(r.blocks)-1].indent >= indent {
			r.pop()
		}
	}
	r.params = nil
	p := &parser{toks: toks, scala: r.scala, eof: token{kind: tEOF, line: toks[len(toks)-1].line}}
	head := toks[0]
	if !r.scala && head.kind == tName {
		if cond, ok := condHeads[head.text]; ok || head.text == "def" || head.text == "class" {
			scope := head.text == "def" || head.text == "class"
			defer func() { r.push(block{indent: indent, cond: cond, scope: scope}) }()
		}
	}
	// A docstring or a bare string is inert.
	if head.kind == tString && len(toks) == 1 {
		r.used[toks[0].id] = true
		return
	}
	if head.kind == tName {
		switch head.text {
		case "import", "from":
			for i := 1; i < len(toks); i++ {
				if toks[i].kind == tName && (i+1 >= len(toks) || toks[i+1].text == "," || toks[i+1].kind == tEOF || toks[i+1].kind == tNewline) {
					r.bind(toks[i].text, unknown(fmt.Sprintf("imported name %s (line %d)", safeName(toks[i].text), head.line)), false)
				}
			}
			return
		case "def", "class":
			r.def(p)
			return
		case "for":
			r.forStmt(p)
			return
		case "val", "var", "lazy":
			p.next()
			if head.text == "lazy" {
				p.next()
			}
			r.assign(p)
			return
		case "global", "nonlocal":
			// A function may assign the name at a time the reader does not
			// know: it stays unknown from here on.
			for i := 1; i < len(toks); i++ {
				if toks[i].kind == tName {
					u := unknown(fmt.Sprintf("%s, declared global at line %d", safeName(toks[i].text), head.line))
					r.scopes[0][toks[i].text] = u
					r.bind(toks[i].text, u, false)
				}
			}
			return
		}
		if !r.scala && (head.text == "with" || head.text == "except") {
			r.asTargets(p)
		}
		if head.text == "if" || head.text == "elif" || head.text == "while" || head.text == "else" || head.text == "return" ||
			head.text == "assert" || head.text == "yield" || head.text == "try" || head.text == "finally" || head.text == "case" {
			p.next()
		}
	}
	if r.isAssignment(p) {
		r.assign(p)
		return
	}
	r.exprs(p)
}

// exprs evaluates (and recognises calls in) every expression left in the
// statement.
func (r *reader) exprs(p *parser) {
	for !p.atEnd() {
		before := p.i
		n := p.expr()
		r.eval(n)
		if p.i == before {
			p.next()
		}
	}
}

// isAssignment reports whether the statement is "targets = value" or an
// augmented assignment.
func (r *reader) isAssignment(p *parser) bool {
	depth := 0
	for i := p.i; i < len(p.toks); i++ {
		t := p.toks[i]
		if t.kind == tEOF || t.kind == tNewline {
			return false
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case "=", "+=", ":=":
			if depth == 0 {
				return true
			}
		case "==", "!=", "<=", ">=":
		default:
			if depth == 0 && strings.HasSuffix(t.text, "=") && len(t.text) > 1 && !r.scala {
				return true
			}
		}
	}
	return false
}

// assign handles "a = b = value", "a, b = x, y", "a: T = value",
// "a += value", "x.attr = value" and Scala "val a: T = value".
func (r *reader) assign(p *parser) {
	var targets [][]token
	cur := p.i
	depth := 0
	op := "="
	var rhsStart int
	for i := p.i; i < len(p.toks); i++ {
		t := p.toks[i]
		if t.kind == tOp {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
		}
		if t.kind == tOp && depth == 0 && (t.text == "=" || strings.HasSuffix(t.text, "=") && t.text != "==" && t.text != "!=" && t.text != "<=" && t.text != ">=" && len(t.text) > 1) {
			targets = append(targets, p.toks[cur:i])
			cur = i + 1
			op = t.text
			rhsStart = i + 1
			if op != "=" {
				break
			}
			continue
		}
		if t.kind == tEOF || t.kind == tNewline {
			break
		}
	}
	if rhsStart == 0 {
		r.exprs(p)
		return
	}
	p.i = rhsStart
	rhs := p.expr()
	v := r.eval(rhs)
	if p.isOp(",") && !r.scala {
		// a, b = x, y: the value is a tuple.
		v = value{kind: vList, items: []value{v}}
		for p.isOp(",") {
			p.next()
			if p.atEnd() {
				break
			}
			v.items = append(v.items, r.eval(p.expr()))
		}
	}
	r.exprs(p)
	cond := r.conditional()
	for _, tg := range targets {
		for _, n := range changedNames(tg) {
			// x["k"] = v, x.attr = v: the value x holds changes in place.
			if _, ok := r.lookup(n); ok {
				r.bind(n, unknown(fmt.Sprintf("%s, changed at line %d", safeName(n), rhs.line)), false)
			}
		}
		names := targetNames(tg)
		if op == "+=" && len(names) == 1 {
			old, ok := r.lookup(names[0])
			if !ok {
				old = unknown(fmt.Sprintf("%s, not assigned before line %d", safeName(names[0]), rhs.line))
			}
			r.bind(names[0], concat(old, v), cond)
			continue
		}
		if op != "=" && op != ":=" {
			for _, n := range names {
				r.bind(n, unknown(fmt.Sprintf("%s, changed at line %d", safeName(n), rhs.line)), cond)
			}
			continue
		}
		if len(names) == 1 && !isUnpacking(tg) {
			r.bind(names[0], v, cond)
			continue
		}
		if v.kind == vList && len(v.items) == len(names) {
			for k, n := range names {
				r.bind(n, v.items[k], cond)
			}
			continue
		}
		for _, n := range names {
			r.bind(n, unknown(fmt.Sprintf("%s, unpacked at line %d", safeName(n), rhs.line)), cond)
		}
	}
}

// isUnpacking reports whether a target list has more than one name.
func isUnpacking(tg []token) bool {
	for _, t := range tg {
		if t.kind == tOp && t.text == "," {
			return true
		}
	}
	return false
}

// targetNames returns the simple names an assignment target binds: "a",
// "a, b", "(a, b)", "a: str" (the annotation is dropped). Attribute and
// subscript targets bind nothing the reader follows.
func targetNames(tg []token) []string {
	var out []string
	for i := 0; i < len(tg); i++ {
		t := tg[i]
		if t.kind == tOp && t.text == ":" {
			// Annotation: skip to the next comma at this level.
			for i < len(tg) && !(tg[i].kind == tOp && tg[i].text == ",") {
				i++
			}
			continue
		}
		if t.kind != tName {
			continue
		}
		if i > 0 && tg[i-1].kind == tOp && tg[i-1].text == "." {
			continue
		}
		if i+1 < len(tg) && tg[i+1].kind == tOp && (tg[i+1].text == "." || tg[i+1].text == "[" || tg[i+1].text == "(") {
			continue
		}
		out = append(out, t.text)
	}
	return out
}

// changedNames returns the names whose value a target changes in place:
// the base of a subscript or attribute target.
func changedNames(tg []token) []string {
	var out []string
	for i := 0; i+1 < len(tg); i++ {
		t := tg[i]
		if t.kind == tName && (i == 0 || !(tg[i-1].kind == tOp && tg[i-1].text == ".")) &&
			tg[i+1].kind == tOp && (tg[i+1].text == "[" || tg[i+1].text == ".") {
			out = append(out, t.text)
		}
	}
	return out
}

// bind sets a name; in a conditional block the new value is one of the
// possibilities.
// A value too large to follow is unknown; its literals are then reported
// on their own, as no recognised call uses them.
func (r *reader) bind(name string, v value, cond bool) {
	if budget := maxParts; oversized(v, &budget) {
		v = unknown(fmt.Sprintf("%s, a value of more than %d parts", safeName(name), maxParts))
	}
	top := r.scopes[len(r.scopes)-1]
	if old, ok := top[name]; ok && cond {
		v = either(old, v)
	}
	top[name] = v
}

// def binds a function's or class's name and its parameters to unknown: a
// parameter's value comes from each call.
func (r *reader) def(p *parser) {
	kw := p.next()
	name := p.peek()
	if name.kind == tName {
		p.next()
		r.bind(name.text, unknown(fmt.Sprintf("%s %s (line %d)", kw.text, safeName(name.text), kw.line)), false)
	}
	r.params = map[string]value{}
	depth := 0
	expectName := true
	for !p.atEnd() {
		t := p.next()
		if t.kind == tOp {
			switch t.text {
			case "(", "[":
				depth++
				if depth == 1 {
					expectName = true
				}
				continue
			case ")", "]":
				depth--
				continue
			case ",":
				if depth == 1 {
					expectName = true
				}
				continue
			case "*", "**":
				continue
			case "=":
				if depth == 1 {
					// A default value: evaluate it for calls in it.
					r.eval(p.expr())
					continue
				}
				if depth == 0 && r.scala {
					// def f(p: T) = body
					r.body(p)
					return
				}
			case ":":
				if depth == 0 && !r.scala {
					// def f(p): body on the same line
					if p.isName("return") {
						p.next()
					}
					r.body(p)
					return
				}
			}
		}
		if t.kind == tName && depth == 1 && expectName {
			if t.text == "implicit" || t.text == "val" || t.text == "var" {
				continue
			}
			r.params[t.text] = unknown(fmt.Sprintf("parameter %s of %s (line %d)", safeName(t.text), safeName(name.text), t.line))
			expectName = false
		}
	}
}

// body reads a function body on the def's own line in a scope holding its
// parameters; with no body there, the parameters wait for the block.
func (r *reader) body(p *parser) {
	if p.atEnd() {
		return
	}
	r.scopes = append(r.scopes, r.params)
	r.params = nil
	r.exprs(p)
	r.scopes = r.scopes[:len(r.scopes)-1]
}

// forStmt binds the loop variable: each element of a known list, else
// unknown. Python: for x in xs:   Scala: for (x <- xs)
func (r *reader) forStmt(p *parser) {
	line := p.next().line
	var names []string
	for !p.atEnd() && !p.isName("in") && !p.isOp("<-") {
		t := p.next()
		if t.kind == tName {
			names = append(names, t.text)
		}
	}
	if p.atEnd() {
		return
	}
	p.next()
	iter := r.eval(p.expr())
	r.exprs(p)
	for _, n := range names {
		if len(names) == 1 && iter.kind == vList && len(iter.items) > 0 {
			var v value
			for k, it := range iter.items {
				if k == 0 {
					v = it
				} else {
					v = either(v, it)
				}
			}
			r.bind(n, v, false)
			continue
		}
		r.bind(n, unknown(fmt.Sprintf("loop variable %s (line %d)", safeName(n), line)), false)
	}
}

// asTargets binds the names after "as" in with / except statements.
func (r *reader) asTargets(p *parser) {
	for i := p.i; i+1 < len(p.toks); i++ {
		if p.toks[i].kind == tName && p.toks[i].text == "as" && p.toks[i+1].kind == tName {
			n := p.toks[i+1]
			r.bind(n.text, unknown(fmt.Sprintf("%s, bound by %s at line %d", safeName(n.text), p.toks[p.i].text, n.line)), false)
		}
	}
}

// result returns the references in line order: the recognised ones, then
// every S3 URL in a literal no recognised call used.
func (r *reader) result(toks []token) []Ref {
	var walk func(ts []token)
	walk = func(ts []token) {
		for i := range ts {
			t := &ts[i]
			if t.kind != tString || r.used[t.id] || t.bytes {
				continue
			}
			for _, pt := range t.parts {
				if pt.isExpr {
					walk(pt.expr)
					continue
				}
				for _, u := range urlsIn(pt.lit) {
					r.refs = append(r.refs, Ref{Mode: ModeNamed, URL: u, Line: pt.line, Call: "a string literal"})
				}
			}
		}
	}
	walk(toks)
	sort.SliceStable(r.refs, func(i, j int) bool { return r.refs[i].Line < r.refs[j].Line })
	out := r.refs[:0]
	seen := map[Ref]bool{}
	for _, x := range r.refs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// urlsIn returns the S3 URLs in text: each runs from its scheme to the first
// character that cannot be in one.
func urlsIn(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		j := awsid.IndexS3URL(text[i:])
		if j < 0 {
			break
		}
		i += j
		if i > 0 && isNameByte(text[i-1]) {
			i += 2
			continue
		}
		rest, _, _ := awsid.CutS3Scheme(text[i:])
		start := len(text) - len(rest)
		end := start
		for end < len(text) && !strings.ContainsRune(" \t\r\n\"'`,;()[]{}<>|\\", rune(text[end])) {
			end++
		}
		if end > start {
			out = append(out, text[i:end])
		}
		i = end
		if end == start {
			i++
		}
	}
	return out
}

// safeName returns an identifier for a message, or "a name" for anything
// that is not a plain identifier: messages carry no script text other than
// S3 URLs, table names and identifiers.
func safeName(s string) string {
	if s == "" || len(s) > 64 {
		return "a name"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "a name"
		}
	}
	return s
}
