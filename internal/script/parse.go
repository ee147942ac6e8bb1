package script

// The expression parser is deliberately small: it builds the expressions a
// path can be made of (names, strings, attribute chains, calls with keyword
// arguments, subscripts, lists, dicts, "+" and "%", conditional expressions)
// and turns anything else into an opaque node, so that no input stops it.
// Every loop consumes at least one token, and recursion is bounded by
// maxNesting.

type nodeKind uint8

const (
	nOpaque nodeKind = iota // something the reader does not follow
	nName
	nStr
	nAttr  // x.name
	nCall  // x(args)
	nIndex // x[y]
	nList  // [a, b], (a, b), {a, b}, Seq(a, b) is a call
	nDict  // {k: v}
	nBin   // x op y
	nCond  // x if y else z
)

type node struct {
	kind  nodeKind
	line  int
	name  string // nName, nAttr, nBin operator
	tok   *token // nStr
	toks  []*token
	x     *node // nAttr, nCall, nIndex, nBin, nCond
	y, z  *node
	args  []*node // nCall positional arguments; nList elements; nDict keys
	kws   []kwArg // nCall keyword arguments
	vals  []*node // nDict values
	inner []*node // calls nested in an opaque node, still visited
}

type kwArg struct {
	name string
	val  *node
}

type parser struct {
	toks  []token
	i     int
	depth int
	scala bool
	eof   token // returned past the last token
}

func (p *parser) peek() *token {
	if p.i >= len(p.toks) {
		return &p.eof
	}
	return &p.toks[p.i]
}

func (p *parser) next() *token {
	t := p.peek()
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}

func (p *parser) isName(s string) bool {
	t := p.peek()
	return t.kind == tName && t.text == s
}

// atEnd reports whether the current statement is over.
func (p *parser) atEnd() bool {
	t := p.peek()
	return t.kind == tEOF || t.kind == tNewline
}

// closes reports whether the current token closes a bracket (or, in Scala,
// opens a block): an expression stops there.
func (p *parser) closes() bool {
	t := p.peek()
	if t.kind != tOp {
		return false
	}
	switch t.text {
	case ")", "]", "}", ",", ":", "=", ";":
		return true
	case "{":
		return p.scala
	}
	return false
}

// skipBracket skips to the token after the bracket that closes the one just
// consumed, collecting any calls inside as opaque content.
func (p *parser) skipBracket(n *node) {
	depth := 1
	for depth > 0 {
		t := p.peek()
		if t.kind == tEOF {
			return
		}
		if t.kind == tOp {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
		}
		if t.kind == tString && n != nil {
			n.toks = append(n.toks, t)
		}
		p.next()
	}
}

// expr parses an expression; it returns an opaque node (having consumed at
// least one token) when the tokens are not an expression it knows.
func (p *parser) expr() *node {
	if p.depth > maxNesting {
		n := &node{kind: nOpaque, line: p.peek().line}
		p.skipStatement(n)
		return n
	}
	p.depth++
	defer func() { p.depth-- }()
	x := p.binary()
	if !p.scala && p.isName("if") {
		// x if cond else alt
		line := p.peek().line
		p.next()
		cond := p.binary()
		if p.isName("else") {
			p.next()
			return &node{kind: nCond, line: line, x: x, y: cond, z: p.expr()}
		}
		return &node{kind: nOpaque, line: line, inner: []*node{x, cond}}
	}
	return x
}

// skipStatement consumes the rest of the statement into n.
func (p *parser) skipStatement(n *node) {
	for !p.atEnd() {
		t := p.next()
		if t.kind == tString {
			n.toks = append(n.toks, t)
		}
	}
}

// binaryOps are the infix operators; only + and % build strings.
var binaryOps = map[string]bool{"+": true, "%": true, "-": true, "*": true, "/": true, "//": true, "**": true,
	"==": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true, "|": true, "&": true, "^": true,
	"->": true, "&&": true, "||": true, "++": true, "<<": true, ">>": true, "@": true, ":+": true, "+:": true}

var binaryWords = map[string]bool{"and": true, "or": true, "in": true, "is": true, "not": true}

func (p *parser) binary() *node {
	x := p.unary()
	for {
		t := p.peek()
		if t.kind == tOp && binaryOps[t.text] || t.kind == tName && binaryWords[t.text] && !p.scala {
			op := p.next().text
			if op == "not" && p.isName("in") || op == "is" && p.isName("not") {
				p.next()
			}
			y := p.unary()
			x = &node{kind: nBin, line: t.line, name: op, x: x, y: y}
			continue
		}
		return x
	}
}

func (p *parser) unary() *node {
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+" || t.text == "~" || t.text == "!" || t.text == "*" || t.text == "**") ||
		t.kind == tName && (t.text == "not" || t.text == "await") && !p.scala {
		p.next()
		return &node{kind: nOpaque, line: t.line, inner: []*node{p.unary()}}
	}
	if t.kind == tName && t.text == "lambda" && !p.scala {
		// lambda params: body — the body may hold calls.
		p.next()
		for !p.atEnd() && !p.isOp(":") {
			p.next()
		}
		if p.isOp(":") {
			p.next()
		}
		return &node{kind: nOpaque, line: t.line, inner: []*node{p.expr()}}
	}
	if t.kind == tName && t.text == "new" && p.scala {
		p.next()
	}
	return p.postfix(p.primary())
}

func (p *parser) postfix(x *node) *node {
	for {
		t := p.peek()
		switch {
		case t.kind == tOp && t.text == ".":
			p.next()
			nt := p.peek()
			if nt.kind != tName {
				return &node{kind: nOpaque, line: t.line, inner: []*node{x}}
			}
			p.next()
			x = &node{kind: nAttr, line: nt.line, name: nt.text, x: x}
		case t.kind == tOp && t.text == "(":
			p.next()
			x = p.call(x, t.line)
		case t.kind == tOp && t.text == "[" && !p.scala:
			p.next()
			idx := p.expr()
			if !p.isOp("]") {
				// A slice or a tuple index: not followed.
				o := &node{kind: nOpaque, line: t.line, inner: []*node{x, idx}}
				p.skipBracket(o)
				x = o
				continue
			}
			p.next()
			x = &node{kind: nIndex, line: t.line, x: x, y: idx}
		case t.kind == tOp && t.text == "[" && p.scala:
			// Type arguments: x[T](...).
			p.next()
			p.skipBracket(nil)
		default:
			return x
		}
	}
}

// call parses an argument list after "(".
func (p *parser) call(fn *node, line int) *node {
	c := &node{kind: nCall, line: line, x: fn}
	for !p.isOp(")") {
		if p.peek().kind == tEOF {
			return c
		}
		if p.peek().kind == tNewline {
			// Only Scala emits separators inside brackets, and only inside
			// a block argument; skip them.
			p.next()
			continue
		}
		if t := p.peek(); t.kind == tName && p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tOp && p.toks[p.i+1].text == "=" {
			p.next()
			p.next()
			c.kws = append(c.kws, kwArg{name: t.text, val: p.expr()})
		} else if p.isOp("*") || p.isOp("**") {
			p.next()
			c.args = append(c.args, &node{kind: nOpaque, line: line, inner: []*node{p.expr()}})
		} else if p.closes() && !p.isOp(",") {
			// A stray token ("=", ":", a Scala block): skip it.
			o := &node{kind: nOpaque, line: p.peek().line}
			if p.isOp("{") || p.isOp("(") || p.isOp("[") {
				p.next()
				p.skipBracket(o)
			} else {
				p.next()
			}
			c.args = append(c.args, o)
		} else if !p.isOp(",") {
			a := p.expr()
			if p.isName("for") || p.isName("async") {
				// A generator expression argument.
				o := &node{kind: nOpaque, line: a.line, inner: []*node{a}}
				p.skipBracket(o)
				c.args = append(c.args, o)
				return c
			}
			c.args = append(c.args, a)
		}
		if p.isOp(",") {
			p.next()
		} else if !p.isOp(")") {
			// Something the parser does not know (a Scala type ascription,
			// a keyword): skip to the next argument.
			if p.peek().kind == tEOF {
				return c
			}
			p.next()
		}
	}
	p.next()
	return c
}

func (p *parser) primary() *node {
	t := p.peek()
	switch t.kind {
	case tName:
		p.next()
		return &node{kind: nName, line: t.line, name: t.text}
	case tString:
		p.next()
		n := &node{kind: nStr, line: t.line, tok: t}
		// Adjacent literals are one string (Python's implicit concatenation).
		for !p.scala && p.peek().kind == tString {
			n = &node{kind: nBin, line: t.line, name: "+", x: n, y: &node{kind: nStr, line: p.peek().line, tok: p.next()}}
		}
		return n
	case tNumber:
		p.next()
		return &node{kind: nOpaque, line: t.line}
	case tOp:
		switch t.text {
		case "(":
			p.next()
			return p.seq(t.line, ")", false)
		case "[":
			if p.scala {
				break
			}
			p.next()
			return p.seq(t.line, "]", false)
		case "{":
			if p.scala {
				// A block: the statement loop reads its statements.
				return &node{kind: nOpaque, line: t.line}
			}
			p.next()
			return p.seq(t.line, "}", true)
		}
	}
	// Anything else is consumed as opaque, except what ends the statement or
	// closes a bracket, which the caller handles.
	if !p.atEnd() && !p.closes() {
		p.next()
	}
	return &node{kind: nOpaque, line: t.line}
}

// seq parses a parenthesized expression, tuple, list, set or dict up to close.
func (p *parser) seq(line int, close string, braces bool) *node {
	n := &node{kind: nList, line: line}
	comma := false
	for !p.isOp(close) {
		if p.peek().kind == tEOF {
			return n
		}
		if p.peek().kind == tNewline {
			p.next()
			continue
		}
		if p.isOp("*") || p.isOp("**") {
			// Unpacking: the elements are not known.
			p.next()
			p.expr()
			n.kind = nOpaque
		}
		e := p.expr()
		if p.isName("for") || p.isName("async") {
			o := &node{kind: nOpaque, line: line, inner: []*node{e}}
			p.skipBracket(o)
			return o
		}
		if braces && p.isOp(":") {
			p.next()
			v := p.expr()
			if p.isName("for") {
				o := &node{kind: nOpaque, line: line, inner: []*node{e, v}}
				p.skipBracket(o)
				return o
			}
			n.kind = nDict
			n.vals = append(n.vals, v)
		}
		n.args = append(n.args, e)
		if p.isOp(",") {
			p.next()
			comma = true
		} else if !p.isOp(close) {
			if p.peek().kind == tEOF {
				return n
			}
			o := &node{kind: nOpaque, line: line, inner: n.args}
			p.skipBracket(o)
			return o
		}
	}
	p.next()
	if close == ")" && len(n.args) == 1 && !comma {
		return n.args[0] // a parenthesized expression
	}
	if n.kind == nDict && len(n.vals) != len(n.args) {
		return &node{kind: nOpaque, line: line, inner: n.args}
	}
	return n
}
