package iam

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// node is a JSON value read so that object members keep their order and
// duplicates, and numbers keep their text.
type node struct {
	kind    nodeKind
	text    string   // string, number ("12"), bool ("true") text
	members []member // object
	items   []*node  // array
}

type nodeKind uint8

const (
	nodeNull nodeKind = iota
	nodeString
	nodeNumber
	nodeBool
	nodeObject
	nodeArray
)

func (k nodeKind) String() string {
	return [...]string{"null", "string", "number", "boolean", "object", "array"}[k]
}

type member struct {
	key string
	val *node
}

// maxDepth bounds nesting; policies are at most five levels deep, so anything
// far deeper is rejected rather than recursed into.
const maxDepth = 32

// The reader accepts and rejects exactly what encoding/json's Decoder.Token
// loop it replaced did, with the same messages, so that a malformed policy
// reads as it always has. That loop reported a document cut short in three
// ways depending on where the cut fell; they are kept.
var (
	errCutAtValue = errors.New("unexpected end of JSON input") // where a value should start
	errCutInValue = io.ErrUnexpectedEOF                        // inside a string, number or literal
	errCutAtDelim = io.EOF                                     // where a delimiter or key should follow
)

var errTooDeep = fmt.Errorf("nesting deeper than %d levels", maxDepth)

// decodeNode reads exactly one JSON value from doc. Strings without escapes
// and numbers are slices of doc, so the tree keeps doc alive.
func decodeNode(doc string) (*node, error) {
	// The stacks hold the members and items of the open containers; a policy
	// rarely has more than a few dozen at once.
	r := reader{s: doc, stackMembers: make([]member, 0, 32), stackItems: make([]*node, 0, 32)}
	n, err := r.value(0)
	if err != nil {
		return nil, err
	}
	r.skipSpace()
	if r.pos < len(r.s) {
		return nil, fmt.Errorf("unexpected data after the top-level value at byte %d", r.trailingOffset())
	}
	return n, nil
}

// reader is a recursive-descent JSON reader over one document. Nodes, members
// and items are carved from chunks rather than allocated one by one.
type reader struct {
	s       string
	pos     int
	nodes   []node
	members []member
	items   []*node
	// Members and items of the containers being read, until their closing
	// delimiter says how many to carve.
	stackMembers []member
	stackItems   []*node
	scratch      []byte // a string being unescaped
	// Nodes, members and items made so far, to size the next chunk.
	made, madeMembers, madeItems int
}

func (r *reader) skipSpace() {
	for r.pos < len(r.s) {
		switch r.s[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// chunk is how many elements to allocate when a pool runs dry, made of them
// having been needed so far: as many again, pro rata, for the rest of the
// document, plus some slack. A pool's first chunk is sized from the document
// alone, at one element per bytesPer bytes (indented policies run at about
// one node per 30 bytes, one member per 50, one array item per 60).
func (r *reader) chunk(made, bytesPer int) int {
	if made == 0 {
		return len(r.s)/bytesPer + 8
	}
	return made*(len(r.s)-r.pos)/r.pos + 8
}

func (r *reader) newNode(kind nodeKind, text string) *node {
	if len(r.nodes) == 0 {
		r.nodes = make([]node, r.chunk(r.made, 32))
	}
	r.made++
	n := &r.nodes[0]
	r.nodes = r.nodes[1:]
	n.kind, n.text = kind, text
	return n
}

// carve moves the last k elements of *stack into a slice taken from *pool,
// refilling the pool with a chunk of size elements when it runs short.
func carve[T any](pool, stack *[]T, k, size int) []T {
	if len(*pool) < k {
		*pool = make([]T, max(k, size))
	}
	out := (*pool)[:k:k]
	*pool = (*pool)[k:]
	copy(out, (*stack)[len(*stack)-k:])
	*stack = (*stack)[:len(*stack)-k]
	return out
}

func syntaxErr(c byte, context string) error {
	return errors.New("invalid character " + quoteChar(c) + context)
}

// quoteChar formats c as encoding/json's messages do.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// value reads the value starting at the next non-space byte.
func (r *reader) value(depth int) (*node, error) {
	r.skipSpace()
	if r.pos == len(r.s) {
		return nil, errCutAtValue
	}
	switch c := r.s[r.pos]; c {
	case '{':
		r.pos++
		return r.object(depth)
	case '[':
		r.pos++
		return r.array(depth)
	case '"':
		s, err := r.str()
		if err != nil {
			return nil, err
		}
		return r.newNode(nodeString, s), nil
	case 't':
		if err := r.literal("true"); err != nil {
			return nil, err
		}
		return r.newNode(nodeBool, "true"), nil
	case 'f':
		if err := r.literal("false"); err != nil {
			return nil, err
		}
		return r.newNode(nodeBool, "false"), nil
	case 'n':
		if err := r.literal("null"); err != nil {
			return nil, err
		}
		return r.newNode(nodeNull, ""), nil
	default:
		if c == '-' || '0' <= c && c <= '9' {
			start := r.pos
			if err := r.number(); err != nil {
				return nil, err
			}
			return r.newNode(nodeNumber, r.s[start:r.pos]), nil
		}
		return nil, syntaxErr(c, " looking for beginning of value")
	}
}

// object reads the members after '{'. Its values are at depth+1.
func (r *reader) object(depth int) (*node, error) {
	r.skipSpace()
	if r.pos == len(r.s) {
		return nil, errCutAtDelim
	}
	if c := r.s[r.pos]; c == '}' {
		r.pos++
		return r.newNode(nodeObject, ""), nil
	} else if c != '"' {
		// Right after '{' encoding/json names no context.
		return nil, syntaxErr(c, "")
	}
	base := len(r.stackMembers)
	for {
		key, err := r.str()
		if err != nil {
			return nil, err
		}
		// The depth is checked before the colon, as the Token loop did.
		if depth+1 > maxDepth {
			return nil, errTooDeep
		}
		r.skipSpace()
		if r.pos == len(r.s) {
			return nil, errCutAtValue
		}
		if c := r.s[r.pos]; c != ':' {
			return nil, syntaxErr(c, " after object key")
		}
		r.pos++
		val, err := r.value(depth + 1)
		if err != nil {
			return nil, err
		}
		r.stackMembers = append(r.stackMembers, member{key: key, val: val})
		r.skipSpace()
		if r.pos == len(r.s) {
			return nil, errCutAtDelim
		}
		switch c := r.s[r.pos]; c {
		case '}':
			r.pos++
			n := r.newNode(nodeObject, "")
			k := len(r.stackMembers) - base
			n.members = carve(&r.members, &r.stackMembers, k, r.chunk(r.madeMembers, 48))
			r.madeMembers += k
			return n, nil
		case ',':
			r.pos++
			r.skipSpace()
			if r.pos == len(r.s) {
				return nil, errCutAtDelim
			}
			if c := r.s[r.pos]; c != '"' {
				return nil, syntaxErr(c, " looking for beginning of object key string")
			}
		default:
			return nil, syntaxErr(c, " after object key:value pair")
		}
	}
}

// array reads the items after '['. They are at depth+1.
func (r *reader) array(depth int) (*node, error) {
	r.skipSpace()
	if r.pos == len(r.s) {
		return nil, errCutAtDelim
	}
	switch r.s[r.pos] {
	case ']':
		r.pos++
		return r.newNode(nodeArray, ""), nil
	case '}':
		return nil, syntaxErr('}', " looking for beginning of value")
	}
	// Only an array with items is too deep: an empty one at the limit passes,
	// as it did with the Token loop.
	if depth+1 > maxDepth {
		return nil, errTooDeep
	}
	base := len(r.stackItems)
	for {
		item, err := r.value(depth + 1)
		if err != nil {
			return nil, err
		}
		r.stackItems = append(r.stackItems, item)
		r.skipSpace()
		if r.pos == len(r.s) {
			return nil, errCutAtDelim
		}
		switch c := r.s[r.pos]; c {
		case ']':
			r.pos++
			n := r.newNode(nodeArray, "")
			k := len(r.stackItems) - base
			n.items = carve(&r.items, &r.stackItems, k, r.chunk(r.madeItems, 64))
			r.madeItems += k
			return n, nil
		case ',':
			r.pos++
		default:
			return nil, syntaxErr(c, " after array element")
		}
	}
}

// literal reads want (true, false or null) at r.pos, whose first byte is
// already known to match.
func (r *reader) literal(want string) error {
	for i := 1; i < len(want); i++ {
		if r.pos+i == len(r.s) {
			return errCutInValue
		}
		if c := r.s[r.pos+i]; c != want[i] {
			return syntaxErr(c, " in literal "+want+" (expecting "+quoteChar(want[i])+")")
		}
	}
	r.pos += len(want)
	return nil
}

// number reads a number at r.pos: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// It stops at the first byte that cannot continue the number; what may follow
// is the caller's business.
func (r *reader) number() error {
	s, i := r.s, r.pos
	digit := func(i int) bool { return i < len(s) && '0' <= s[i] && s[i] <= '9' }
	// need reports the byte at i that should have been a digit.
	need := func(i int, context string) error {
		if i == len(s) {
			return errCutInValue
		}
		return syntaxErr(s[i], context)
	}
	if s[i] == '-' {
		i++
		if !digit(i) {
			return need(i, " in numeric literal")
		}
	}
	if s[i] == '0' {
		i++
	} else {
		for digit(i) {
			i++
		}
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digit(i) {
			return need(i, " after decimal point in numeric literal")
		}
		for digit(i) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digit(i) {
			return need(i, " in exponent of numeric literal")
		}
		for digit(i) {
			i++
		}
	}
	r.pos = i
	return nil
}

// str reads the string at r.pos (on its opening quote). A string without
// escapes or invalid UTF-8 is a slice of the document; otherwise it is
// decoded as encoding/json does: each byte of invalid UTF-8 and each lone
// surrogate escape becomes U+FFFD.
func (r *reader) str() (string, error) {
	s := r.s
	start := r.pos + 1
	i := start
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			r.pos = i + 1
			return s[start:i], nil
		case c == '\\' || c < ' ':
			return r.strSlow(start, i)
		case c < utf8.RuneSelf:
			i++
		default:
			rr, size := utf8.DecodeRuneInString(s[i:])
			if rr == utf8.RuneError && size == 1 {
				return r.strSlow(start, i)
			}
			i += size
		}
	}
	return "", errCutInValue
}

// strSlow continues str from i, the first byte that needs decoding.
func (r *reader) strSlow(start, i int) (string, error) {
	s := r.s
	b := append(r.scratch[:0], s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			r.pos = i + 1
			r.scratch = b
			return string(b), nil
		case c < ' ':
			return "", syntaxErr(c, " in string literal")
		case c == '\\':
			i++
			if i == len(s) {
				return "", errCutInValue
			}
			switch e := s[i]; e {
			case '"', '\\', '/':
				b = append(b, e)
				i++
			case 'b':
				b = append(b, '\b')
				i++
			case 'f':
				b = append(b, '\f')
				i++
			case 'n':
				b = append(b, '\n')
				i++
			case 'r':
				b = append(b, '\r')
				i++
			case 't':
				b = append(b, '\t')
				i++
			case 'u':
				rr, err := hex4(s, i+1)
				if err != nil {
					return "", err
				}
				i += 5
				if utf16.IsSurrogate(rr) {
					// A pair only if a well-formed \u escape follows at once;
					// otherwise this half alone becomes U+FFFD and what
					// follows is read on its own.
					lo := rune(-1)
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if v, err := hex4(s, i+2); err == nil {
							lo = v
						}
					}
					if rr = utf16.DecodeRune(rr, lo); rr != utf8.RuneError {
						i += 6
					}
				}
				b = utf8.AppendRune(b, rr)
			default:
				return "", syntaxErr(e, " in string escape code")
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			rr, size := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, rr) // RuneError for an invalid byte
			i += size
		}
	}
	return "", errCutInValue
}

// hex4 reads the four hex digits of a \u escape starting at s[i].
func hex4(s string, i int) (rune, error) {
	var r rune
	for k := i; k < i+4; k++ {
		if k >= len(s) {
			return 0, errCutInValue
		}
		c := s[k]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, syntaxErr(c, " in \\u hexadecimal character escape")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// trailingOffset is the byte offset encoding/json's Decoder reported for data
// after the top-level value: past an opening delimiter or a complete scalar,
// else at the first byte.
func (r *reader) trailingOffset() int {
	p := r.pos
	switch c := r.s[p]; c {
	case '{', '[':
		return p + 1
	case ']', '}', ',', ':':
		return p
	}
	if _, err := r.value(0); err == nil {
		return r.pos
	}
	return p
}
