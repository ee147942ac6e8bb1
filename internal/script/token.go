package script

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// kind is a token's kind.
type kind uint8

const (
	tEOF     kind = iota
	tName         // identifier or keyword
	tString       // string literal, value decoded; f-strings and interpolations have parts
	tNumber       // numeric literal (its value is never needed)
	tOp           // operator or delimiter
	tNewline      // end of a logical line (statement separator)
)

// token is one lexical token. For a tString, parts holds the literal text
// and the embedded expressions in order; a plain string has one literal part.
type token struct {
	kind   kind
	text   string // the name or operator; for tString the decoded text when it has no expressions
	line   int
	indent int    // columns of indentation of the logical line a tNewline ends (Python)
	parts  []part // tString only
	bytes  bool   // a bytes literal (b"..."), which is never a path
	id     int32  // the string literal's number, unique in the script
}

// number gives every string literal, nested ones included, its id.
func number(toks []token, next *int32) {
	for i := range toks {
		if toks[i].kind != tString {
			continue
		}
		*next++
		toks[i].id = *next
		for _, p := range toks[i].parts {
			number(p.expr, next)
		}
	}
}

// part is a piece of a string literal: literal text, or an embedded
// expression's tokens (an f-string replacement field, a Scala ${...}).
type part struct {
	lit  string
	expr []token
	line int
	// isExpr distinguishes an expression part from empty literal text.
	isExpr bool
}

// SyntaxError is a script the tokenizer cannot read: an unterminated string,
// an unbalanced f-string brace. Line is 1-based.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// maxNesting bounds how deeply f-strings and interpolations may nest, and the
// expression parser's recursion, so that no input can exhaust the stack.
const maxNesting = 64

// pyOps are Python's operators and delimiters, longest first within each
// starting character (Python Language Reference, "Operators", "Delimiters").
var pyOps = []string{
	"**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=",
	"<<", "<=", "==", ">=", ">>", "@=", "^=", "|=",
}

// pyLexer tokenizes Python 3 source (Python Language Reference, "Lexical
// analysis").
type pyLexer struct {
	src   string
	pos   int
	line  int
	depth int // bracket depth: newlines inside brackets join lines
	out   []token
	nest  int
}

// lexPython returns the tokens of src. Indentation is recorded on each
// tNewline as the indentation of the line it ends, which is all the reader
// needs of Python's block structure.
func lexPython(src string, line, nest int) ([]token, error) {
	if nest > maxNesting {
		return nil, &SyntaxError{Line: line, Msg: "f-strings nested too deeply"}
	}
	lx := &pyLexer{src: src, line: line, nest: nest, out: make([]token, 0, len(src)/4+4)}
	if err := lx.run(); err != nil {
		return nil, err
	}
	return lx.out, nil
}

func (lx *pyLexer) emit(t token) { lx.out = append(lx.out, t) }

func (lx *pyLexer) run() error {
	atLineStart := true
	indent := 0
	lineHasTokens := false
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if atLineStart {
			// Measure indentation: spaces count 1, a tab moves to the next
			// multiple of 8, form feeds reset (the Language Reference's rule).
			indent = 0
			for lx.pos < len(lx.src) {
				switch lx.src[lx.pos] {
				case ' ':
					indent++
				case '\t':
					indent = (indent/8 + 1) * 8
				case '\f':
					indent = 0
				default:
					goto measured
				}
				lx.pos++
			}
		measured:
			atLineStart = false
			continue
		}
		switch {
		case c == '\n' || c == '\r':
			lx.pos++
			if c == '\r' && lx.pos < len(lx.src) && lx.src[lx.pos] == '\n' {
				lx.pos++
			}
			if lx.depth == 0 && lineHasTokens {
				lx.emit(token{kind: tNewline, line: lx.line, indent: indent})
				lineHasTokens = false
			}
			lx.line++
			if lx.depth == 0 {
				atLineStart = true
			}
		case c == ' ' || c == '\t' || c == '\f':
			lx.pos++
		case c == '#':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
				lx.pos++
			}
		case c == '\\':
			// Explicit line joining: a backslash ends the physical line.
			lx.pos++
			if lx.pos < len(lx.src) && lx.src[lx.pos] == '\r' {
				lx.pos++
			}
			if lx.pos < len(lx.src) && lx.src[lx.pos] == '\n' {
				lx.pos++
				lx.line++
				continue
			}
			if lx.pos >= len(lx.src) {
				continue
			}
			return &SyntaxError{Line: lx.line, Msg: "a backslash outside a string does not end the line"}
		case isDigit(c) || c == '.' && lx.pos+1 < len(lx.src) && isDigit(lx.src[lx.pos+1]):
			start := lx.pos
			for lx.pos < len(lx.src) && (isNameByte(lx.src[lx.pos]) || lx.src[lx.pos] == '.' ||
				(lx.src[lx.pos] == '+' || lx.src[lx.pos] == '-') && (lx.src[lx.pos-1] == 'e' || lx.src[lx.pos-1] == 'E')) {
				lx.pos++
			}
			lx.emit(token{kind: tNumber, text: lx.src[start:lx.pos], line: lx.line})
			lineHasTokens = true
		case isNameStart(c):
			start := lx.pos
			for lx.pos < len(lx.src) && isNameByte(lx.src[lx.pos]) {
				lx.pos++
			}
			name := lx.src[start:lx.pos]
			if lx.pos < len(lx.src) && (lx.src[lx.pos] == '"' || lx.src[lx.pos] == '\'') && isStringPrefix(name) {
				if err := lx.str(strings.ToLower(name)); err != nil {
					return err
				}
			} else {
				lx.emit(token{kind: tName, text: name, line: lx.line})
			}
			lineHasTokens = true
		case c == '"' || c == '\'':
			if err := lx.str(""); err != nil {
				return err
			}
			lineHasTokens = true
		default:
			op := string(c)
			for _, o := range pyOps {
				if strings.HasPrefix(lx.src[lx.pos:], o) {
					op = o
					break
				}
			}
			switch op {
			case "(", "[", "{":
				lx.depth++
			case ")", "]", "}":
				if lx.depth > 0 {
					lx.depth--
				}
			}
			lx.pos += len(op)
			lx.emit(token{kind: tOp, text: op, line: lx.line})
			lineHasTokens = true
		}
	}
	if lineHasTokens {
		lx.emit(token{kind: tNewline, line: lx.line, indent: indent})
	}
	lx.emit(token{kind: tEOF, line: lx.line})
	return nil
}

// isStringPrefix reports whether name is a string prefix (any case): r, u,
// b, br, rb, f, fr, rf, and the template-string prefixes t, tr, rt.
func isStringPrefix(name string) bool {
	switch strings.ToLower(name) {
	case "r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt":
		return true
	}
	return false
}

// str reads a string literal at lx.pos (the opening quote) with prefix.
func (lx *pyLexer) str(prefix string) error {
	raw := strings.Contains(prefix, "r")
	fmtd := strings.ContainsAny(prefix, "ft")
	bytes := strings.Contains(prefix, "b")
	q := lx.src[lx.pos]
	quote := string(q)
	if strings.HasPrefix(lx.src[lx.pos:], strings.Repeat(quote, 3)) {
		quote = strings.Repeat(quote, 3)
	}
	startLine := lx.line
	lx.pos += len(quote)
	triple := len(quote) == 3
	if !triple && !fmtd {
		// Most literals hold no escape: their text is the source itself.
		if i := strings.IndexAny(lx.src[lx.pos:], quote+"\\\n\r"); i >= 0 && lx.src[lx.pos+i] == q {
			text := lx.src[lx.pos : lx.pos+i]
			lx.pos += i + 1
			lx.emit(token{kind: tString, line: startLine, bytes: bytes, text: text, parts: []part{{lit: text, line: startLine}}})
			return nil
		}
	}
	var parts []part
	var lit strings.Builder
	for {
		if lx.pos >= len(lx.src) {
			return &SyntaxError{Line: startLine, Msg: "unterminated string"}
		}
		if strings.HasPrefix(lx.src[lx.pos:], quote) {
			lx.pos += len(quote)
			break
		}
		c := lx.src[lx.pos]
		switch {
		case c == '\n' || c == '\r':
			if !triple {
				return &SyntaxError{Line: startLine, Msg: "unterminated string"}
			}
			lit.WriteByte('\n')
			lx.pos++
			if c == '\r' && lx.pos < len(lx.src) && lx.src[lx.pos] == '\n' {
				lx.pos++
			}
			lx.line++
		case c == '\\':
			if lx.pos+1 >= len(lx.src) {
				return &SyntaxError{Line: startLine, Msg: "unterminated string"}
			}
			next := lx.src[lx.pos+1]
			if next == '\n' || next == '\r' {
				lx.line++
			}
			if raw {
				// In a raw string a backslash stays, and keeps the next
				// character from ending the string.
				lit.WriteByte('\\')
				if next == '\r' && lx.pos+2 < len(lx.src) && lx.src[lx.pos+2] == '\n' {
					lit.WriteString("\r\n")
					lx.pos += 3
					continue
				}
				_, n := utf8.DecodeRuneInString(lx.src[lx.pos+1:])
				lit.WriteString(lx.src[lx.pos+1 : lx.pos+1+n])
				lx.pos += 1 + n
				continue
			}
			n := decodeEscape(lx.src[lx.pos:], &lit, bytes)
			lx.pos += n
		case fmtd && c == '{':
			if lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '{' {
				lit.WriteByte('{')
				lx.pos += 2
				continue
			}
			parts = append(parts, part{lit: lit.String(), line: lx.line})
			lit.Reset()
			p, err := lx.field(quote)
			if err != nil {
				return err
			}
			parts = append(parts, p)
		case fmtd && c == '}':
			if lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '}' {
				lit.WriteByte('}')
				lx.pos += 2
				continue
			}
			return &SyntaxError{Line: lx.line, Msg: "single '}' in an f-string"}
		default:
			lit.WriteByte(c)
			lx.pos++
		}
	}
	t := token{kind: tString, line: startLine, bytes: bytes}
	if len(parts) == 0 {
		t.text = lit.String()
		t.parts = []part{{lit: t.text, line: startLine}}
	} else {
		t.parts = append(parts, part{lit: lit.String(), line: lx.line})
	}
	lx.emit(t)
	return nil
}

// field reads an f-string replacement field from its '{' to its matching
// '}': the expression (tokenized), then an optional "=", "!conversion" and
// ":format spec" (whose own nested fields are read and ignored). Since Python
// 3.12 the expression may hold strings in the same quotes as the f-string.
func (lx *pyLexer) field(quote string) (part, error) {
	startLine := lx.line
	lx.pos++ // '{'
	start := lx.pos
	depth := 0
	end := -1
	for lx.pos < len(lx.src) && end < 0 {
		c := lx.src[lx.pos]
		switch {
		case c == '(' || c == '[' || c == '{':
			depth++
			lx.pos++
		case c == ')' || c == ']':
			depth--
			lx.pos++
		case c == '}':
			if depth == 0 {
				end = lx.pos
				break
			}
			depth--
			lx.pos++
		case (c == '!' && (lx.pos+1 >= len(lx.src) || lx.src[lx.pos+1] != '=') || c == ':') && depth == 0:
			end = lx.pos
		case c == '"' || c == '\'':
			// A string inside the expression: skip it whole.
			sub := &pyLexer{src: lx.src, pos: lx.pos, line: lx.line, nest: lx.nest + 1}
			if sub.nest > maxNesting {
				return part{}, &SyntaxError{Line: lx.line, Msg: "f-strings nested too deeply"}
			}
			if err := sub.str(""); err != nil {
				return part{}, err
			}
			lx.pos, lx.line = sub.pos, sub.line
		case c == '#':
			return part{}, &SyntaxError{Line: lx.line, Msg: "'#' in an f-string expression"}
		case c == '\n':
			lx.line++
			lx.pos++
		default:
			lx.pos++
		}
		if strings.HasPrefix(lx.src[lx.pos:], quote) && depth == 0 && end < 0 && len(quote) == 1 {
			return part{}, &SyntaxError{Line: startLine, Msg: "f-string: expecting '}'"}
		}
	}
	if end < 0 {
		return part{}, &SyntaxError{Line: startLine, Msg: "f-string: expecting '}'"}
	}
	exprSrc := strings.TrimRight(strings.TrimSpace(lx.src[start:end]), "=")
	toks, err := lexPython(exprSrc, startLine, lx.nest+1)
	if err != nil {
		return part{}, err
	}
	// Conversion and format spec: skip to the closing brace, balancing nested
	// replacement fields of the spec.
	depth = 0
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == '\n' {
			lx.line++
		}
		if c == '{' {
			depth++
		} else if c == '}' {
			if depth == 0 {
				lx.pos++
				return part{expr: toks, isExpr: true, line: startLine}, nil
			}
			depth--
		}
		if strings.HasPrefix(lx.src[lx.pos:], quote) && depth == 0 {
			break
		}
		lx.pos++
	}
	return part{}, &SyntaxError{Line: startLine, Msg: "f-string: expecting '}'"}
}

// decodeEscape decodes the backslash escape at s[0] into b and returns the
// bytes consumed (Python Language Reference, "Escape sequences"). An
// unrecognised escape keeps the backslash, as Python does.
func decodeEscape(s string, b *strings.Builder, bytes bool) int {
	if len(s) < 2 {
		b.WriteString(s)
		return len(s)
	}
	switch c := s[1]; c {
	case '\n':
		return 2
	case '\r':
		if len(s) > 2 && s[2] == '\n' {
			return 3
		}
		return 2
	case '\\', '\'', '"':
		b.WriteByte(c)
	case 'a':
		b.WriteByte(7)
	case 'b':
		b.WriteByte(8)
	case 'f':
		b.WriteByte(12)
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'v':
		b.WriteByte(11)
	case 'x':
		if v, ok := hexVal(s[2:], 2); ok {
			b.WriteRune(rune(v))
			return 4
		}
		b.WriteString(s[:2])
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if v, ok := hexVal(s[2:], n); ok && !bytes && utf8.ValidRune(rune(v)) {
			b.WriteRune(rune(v))
			return 2 + n
		}
		b.WriteString(s[:2])
	case 'N':
		// \N{NAME}: the character's name; no path holds one, so it is kept
		// as written (the text is then not an exact decoding).
		if end := strings.IndexByte(s, '}'); end > 0 && !bytes {
			b.WriteString(s[:end+1])
			return end + 1
		}
		b.WriteString(s[:2])
	default:
		if c >= '0' && c <= '7' {
			v, n := 0, 1
			for n < 4 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
				v = v*8 + int(s[n]-'0')
				n++
			}
			// n counts the backslash; digits are s[1:n].
			b.WriteRune(rune(v))
			return n
		}
		b.WriteString(s[:2])
	}
	return 2
}

func hexVal(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*16 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v*16 + int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v*16 + int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isNameStart and isNameByte accept ASCII identifier characters and every
// byte of a multi-byte UTF-8 sequence: non-ASCII identifiers are names in
// both languages, and no operator is outside ASCII.
func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isNameByte(c byte) bool { return isNameStart(c) || isDigit(c) }
