package script

import (
	"strings"
	"unicode/utf8"
)

// scalaLexer tokenizes Scala 2 / 3 source (Scala Language Specification,
// "Lexical Syntax"): nested block comments, "..." strings with escapes,
// """...""" raw strings, interpolated strings (s"", f"", raw"" and any other
// interpolator) with $name and ${expr}, character and symbol literals,
// back-quoted identifiers, and the newline rule that ends a statement only
// where one can end and the next can begin.
type scalaLexer struct {
	src    string
	pos    int
	line   int
	stack  []byte // open brackets: newlines separate statements only in braces or at the top
	out    []token
	nest   int
	nlSeen bool // a newline since the last token
}

func lexScala(src string, line, nest int) ([]token, error) {
	if nest > maxNesting {
		return nil, &SyntaxError{Line: line, Msg: "interpolations nested too deeply"}
	}
	lx := &scalaLexer{src: src, line: line, nest: nest, out: make([]token, 0, len(src)/4+4)}
	if err := lx.run(); err != nil {
		return nil, err
	}
	return lx.out, nil
}

// canEnd reports whether t can end a statement (the specification's list).
func canEnd(t token) bool {
	switch t.kind {
	case tName, tString, tNumber:
		switch t.text {
		case "if", "else", "match", "with", "extends", "yield", "catch", "finally", "do", "then", "val", "var", "def", "new":
			return false
		}
		return true
	case tOp:
		switch t.text {
		case ")", "]", "}", "_":
			return true
		}
	}
	return false
}

// canBegin reports whether a token starting with s can begin a statement.
func canBegin(s string) bool {
	for _, w := range []string{"catch", "else", "extends", "finally", "match", "with", "yield", "then"} {
		if strings.HasPrefix(s, w) && (len(s) == len(w) || !isNameByte(s[len(w)])) {
			return false
		}
	}
	if s == "" {
		return false
	}
	switch s[0] {
	case ',', '.', ';', ':', '=', ')', ']', '}', '#':
		return false
	}
	return true
}

const scalaOpChars = "!#%&*+-/:<=>?@\\^|~"

func (lx *scalaLexer) run() error {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n':
			lx.pos++
			lx.line++
			lx.nlSeen = true
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			lx.pos++
		case strings.HasPrefix(lx.src[lx.pos:], "//"):
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
		case strings.HasPrefix(lx.src[lx.pos:], "/*"):
			start := lx.line
			depth := 0
			for {
				if lx.pos >= len(lx.src) {
					return &SyntaxError{Line: start, Msg: "unterminated comment"}
				}
				if strings.HasPrefix(lx.src[lx.pos:], "/*") {
					depth++
					lx.pos += 2
					continue
				}
				if strings.HasPrefix(lx.src[lx.pos:], "*/") {
					depth--
					lx.pos += 2
					if depth == 0 {
						break
					}
					continue
				}
				if lx.src[lx.pos] == '\n' {
					lx.line++
					lx.nlSeen = true
				}
				lx.pos++
			}
		case isDigit(c) || c == '.' && lx.pos+1 < len(lx.src) && isDigit(lx.src[lx.pos+1]):
			start := lx.pos
			lx.pos = lx.skipWhile(start, func(b byte) bool { return isNameByte(b) || b == '.' })
			lx.emitToken(start, token{kind: tNumber, text: lx.src[start:lx.pos], line: lx.line})
		case isNameStart(c):
			start := lx.pos
			for lx.pos < len(lx.src) && isNameByte(lx.src[lx.pos]) {
				lx.pos++
			}
			name := lx.src[start:lx.pos]
			if lx.pos < len(lx.src) && lx.src[lx.pos] == '"' {
				// An interpolator: id"..." or id"""...""".
				if err := lx.str(start, name); err != nil {
					return err
				}
				continue
			}
			lx.emitToken(start, token{kind: tName, text: name, line: lx.line})
		case c == '`':
			start := lx.pos
			end := strings.IndexByte(lx.src[lx.pos+1:], '`')
			if end < 0 || strings.ContainsRune(lx.src[lx.pos+1:lx.pos+1+end], '\n') {
				return &SyntaxError{Line: lx.line, Msg: "unterminated back-quoted identifier"}
			}
			name := lx.src[lx.pos+1 : lx.pos+1+end]
			lx.pos = start + end + 2
			lx.emitToken(start, token{kind: tName, text: name, line: lx.line})
		case c == '"':
			if err := lx.str(lx.pos, ""); err != nil {
				return err
			}
		case c == '\'':
			if err := lx.char(); err != nil {
				return err
			}
		case strings.IndexByte("()[]{},;.", c) >= 0:
			start := lx.pos
			lx.pos++
			switch c {
			case '(', '[', '{':
				lx.emitToken(start, token{kind: tOp, text: string(c), line: lx.line})
				lx.stack = append(lx.stack, c)
				continue
			case ')', ']', '}':
				if len(lx.stack) > 0 {
					lx.stack = lx.stack[:len(lx.stack)-1]
				}
			case ';':
				lx.nlSeen = false
				lx.out = append(lx.out, token{kind: tNewline, line: lx.line})
				continue
			}
			lx.emitToken(start, token{kind: tOp, text: string(c), line: lx.line})
		case strings.IndexByte(scalaOpChars, c) >= 0:
			start := lx.pos
			for lx.pos < len(lx.src) && strings.IndexByte(scalaOpChars, lx.src[lx.pos]) >= 0 &&
				!strings.HasPrefix(lx.src[lx.pos:], "//") && !strings.HasPrefix(lx.src[lx.pos:], "/*") {
				lx.pos++
			}
			lx.emitToken(start, token{kind: tOp, text: lx.src[start:lx.pos], line: lx.line})
		default:
			// Any other byte (a stray control character) is skipped: it
			// cannot start a path.
			_, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
			lx.pos += n
		}
	}
	lx.out = append(lx.out, token{kind: tNewline, line: lx.line}, token{kind: tEOF, line: lx.line})
	return nil
}

func (lx *scalaLexer) skipWhile(i int, f func(byte) bool) int {
	for i < len(lx.src) && f(lx.src[i]) {
		i++
	}
	return i
}

// emitToken emits t, which began at start, inserting a statement separator
// before it when a newline ends the previous statement.
func (lx *scalaLexer) emitToken(start int, t token) {
	if lx.nlSeen && len(lx.out) > 0 && (len(lx.stack) == 0 || lx.stack[len(lx.stack)-1] == '{') &&
		canEnd(lx.out[len(lx.out)-1]) && canBegin(lx.src[start:]) {
		lx.out = append(lx.out, token{kind: tNewline, line: t.line})
	}
	lx.nlSeen = false
	lx.out = append(lx.out, t)
}

// char reads a character literal ('a', '\n', '\u0041') or a symbol literal
// ('name), neither of which can be a path.
func (lx *scalaLexer) char() error {
	start := lx.pos
	rest := lx.src[lx.pos+1:]
	if strings.HasPrefix(rest, "\\") {
		end := strings.IndexByte(rest[1:], '\'')
		if end < 0 || strings.ContainsRune(rest[:end+1], '\n') {
			return &SyntaxError{Line: lx.line, Msg: "unterminated character literal"}
		}
		lx.pos += end + 3
	} else if _, n := utf8.DecodeRuneInString(rest); n > 0 && len(rest) > n && rest[n] == '\'' {
		lx.pos += n + 2
	} else if len(rest) > 0 && isNameStart(rest[0]) {
		lx.pos = lx.skipWhile(lx.pos+1, isNameByte)
	} else {
		return &SyntaxError{Line: lx.line, Msg: "unterminated character literal"}
	}
	lx.emitToken(start, token{kind: tNumber, text: lx.src[start:lx.pos], line: lx.line})
	return nil
}

// str reads a string at lx.pos (the opening quote); interp is the
// interpolator's name ("" for a plain string). Escapes are processed in
// plain strings and by the s and f interpolators, never in raw"" or in a
// plain triple-quoted string.
func (lx *scalaLexer) str(start int, interp string) error {
	triple := strings.HasPrefix(lx.src[lx.pos:], `"""`)
	startLine := lx.line
	if triple {
		lx.pos += 3
	} else {
		lx.pos++
	}
	escapes := interp != "raw" && !(triple && interp == "")
	var parts []part
	var lit strings.Builder
	for {
		if lx.pos >= len(lx.src) {
			return &SyntaxError{Line: startLine, Msg: "unterminated string"}
		}
		c := lx.src[lx.pos]
		if triple && strings.HasPrefix(lx.src[lx.pos:], `"""`) {
			// The string ends at the last quote of a run of three or more.
			n := 3
			for lx.pos+n < len(lx.src) && lx.src[lx.pos+n] == '"' {
				n++
			}
			lit.WriteString(strings.Repeat(`"`, n-3))
			lx.pos += n
			break
		}
		if !triple && c == '"' {
			lx.pos++
			break
		}
		switch {
		case c == '\n':
			if !triple {
				return &SyntaxError{Line: startLine, Msg: "unterminated string"}
			}
			lit.WriteByte('\n')
			lx.line++
			lx.pos++
		case c == '\\' && escapes:
			if lx.pos+1 >= len(lx.src) {
				return &SyntaxError{Line: startLine, Msg: "unterminated string"}
			}
			switch lx.src[lx.pos+1] {
			case 'b', 't', 'n', 'f', 'r', '"', '\'', '\\':
				lit.WriteByte(map[byte]byte{'b': 8, 't': '\t', 'n': '\n', 'f': 12, 'r': '\r', '"': '"', '\'': '\'', '\\': '\\'}[lx.src[lx.pos+1]])
				lx.pos += 2
			case 'u':
				i := lx.pos + 1
				for i < len(lx.src) && lx.src[i] == 'u' {
					i++
				}
				if v, ok := hexVal(lx.src[i:], 4); ok {
					lit.WriteRune(rune(v))
					lx.pos = i + 4
				} else {
					lit.WriteByte('\\')
					lx.pos++
				}
			default:
				lit.WriteByte('\\')
				lx.pos++
			}
		case c == '\\' && !triple && interp == "raw" && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '"':
			// raw"\"" keeps both characters and does not end the string.
			lit.WriteString(`\"`)
			lx.pos += 2
		case c == '$' && interp != "":
			if lx.pos+1 >= len(lx.src) {
				return &SyntaxError{Line: startLine, Msg: "unterminated string"}
			}
			switch n := lx.src[lx.pos+1]; {
			case n == '$':
				lit.WriteByte('$')
				lx.pos += 2
			case n == '"':
				// $" is an escaped quote (Scala 2.13.? and Scala 3).
				lit.WriteByte('"')
				lx.pos += 2
			case n == '{':
				parts = append(parts, part{lit: lit.String(), line: lx.line})
				lit.Reset()
				p, err := lx.block()
				if err != nil {
					return err
				}
				parts = append(parts, p)
			case isNameStart(n) && n != '_' || n == '_' && lx.pos+2 < len(lx.src) && isNameByte(lx.src[lx.pos+2]):
				parts = append(parts, part{lit: lit.String(), line: lx.line})
				lit.Reset()
				end := lx.skipWhile(lx.pos+1, isNameByte)
				parts = append(parts, part{expr: []token{{kind: tName, text: lx.src[lx.pos+1 : end], line: lx.line}, {kind: tNewline, line: lx.line}, {kind: tEOF, line: lx.line}},
					isExpr: true, line: lx.line})
				lx.pos = end
			default:
				return &SyntaxError{Line: lx.line, Msg: "invalid string interpolation: '$' must be followed by an identifier, '{', '$' or '\"'"}
			}
		default:
			lit.WriteByte(c)
			lx.pos++
		}
	}
	t := token{kind: tString, line: startLine}
	if len(parts) == 0 {
		t.text = lit.String()
		t.parts = []part{{lit: t.text, line: startLine}}
	} else {
		t.parts = append(parts, part{lit: lit.String(), line: lx.line})
	}
	lx.emitToken(start, t)
	return nil
}

// block reads ${ ... } in an interpolated string, balancing braces and
// skipping strings inside, and tokenizes the expression.
func (lx *scalaLexer) block() (part, error) {
	startLine := lx.line
	lx.pos += 2
	start := lx.pos
	depth := 0
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch c {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				toks, err := lexScala(lx.src[start:lx.pos], startLine, lx.nest+1)
				if err != nil {
					return part{}, err
				}
				lx.pos++
				return part{expr: toks, isExpr: true, line: startLine}, nil
			}
			depth--
		case '\n':
			lx.line++
		case '"':
			sub := &scalaLexer{src: lx.src, pos: lx.pos, line: lx.line, nest: lx.nest + 1}
			if sub.nest > maxNesting {
				return part{}, &SyntaxError{Line: lx.line, Msg: "interpolations nested too deeply"}
			}
			if err := sub.str(lx.pos, ""); err != nil {
				return part{}, err
			}
			lx.pos, lx.line = sub.pos, sub.line
			continue
		}
		lx.pos++
	}
	return part{}, &SyntaxError{Line: startLine, Msg: "unterminated ${ in an interpolated string"}
}
