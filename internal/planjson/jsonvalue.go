package planjson

import (
	"errors"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// valueDecoder reads the plan (readPlan), indexes the planned attribute
// values of resources (attributes) and decodes them when read (jsonAt),
// decodes after_unknown trees and configuration expressions, into the shapes
// encoding/json gives for any: map[string]any, []any, string, float64, bool
// and nil. It exists because these values are most of a large plan, and
// encoding/json reads every value twice (a validity scan, then the decode),
// allocates every object key anew and grows every map and slice as it goes.
//
// Here each value is read once. Object keys of what is kept come from a
// small set (attribute names), so a decoder with keys interns them; maps and
// slices are made at their final size from a scratch stack; and strings
// without escapes refer to the input bytes instead of copying them, which
// Decode's contract (the data must not change afterwards) makes sound.
//
// The bytes were already validated by the envelope decode, so errors here
// only guard against misuse: the decoder never panics and reports an error
// for anything that is not JSON.
type valueDecoder struct {
	data  []byte
	pos   int
	depth int
	// keys interns object keys; nil leaves them referring to the input.
	keys  map[string]string
	pairs []pair
	items []any
	// key is the offset of the key of the member members is reading.
	key int
	// offsets is the scratch list of attributes.
	offsets []uint32
	// outOfRange is set by a number too large for a float64.
	outOfRange bool
	// unknowns are the after_unknown trees decoded so far, by their text.
	unknowns map[string]any
}

type pair struct {
	key   string
	value any
}

var errBadValue = errors.New("malformed JSON value")

func newValueDecoder() *valueDecoder {
	return &valueDecoder{keys: make(map[string]string, 256), unknowns: map[string]any{}}
}

// reset starts on new input, dropping what an earlier error left behind.
func (d *valueDecoder) reset(raw []byte) {
	d.data, d.pos, d.depth = raw, 0, 0
	clear(d.pairs)
	d.pairs = d.pairs[:0]
	clear(d.items)
	d.items = d.items[:0]
}

// unknown decodes an after_unknown tree keeping only what marks a leaf
// unknown: members that are false or hold no true leaf are dropped, array
// elements without a true leaf become nil (indexes must stay), and a tree
// without any true leaf is nil. Every reader of Resource.Unknown treats
// false, absent and nil alike, and most of after_unknown is false or empty.
//
// Resources of one type created alike have the same after_unknown text, so a
// tree is decoded once per text and shared: nothing writes to
// Resource.Unknown, and a plan's thousands of copies of one tree would
// otherwise stay live while its jobs are checked.
func (d *valueDecoder) unknown(raw []byte) any {
	key := alias(raw)
	if v, ok := d.unknowns[key]; ok {
		return v
	}
	d.reset(raw)
	v, err := d.unknownValue()
	if err != nil || v == nil {
		return nil
	}
	d.unknowns[key] = v
	return v
}

func (d *valueDecoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\r', '\n':
			d.pos++
		default:
			return
		}
	}
}

// enter bounds the nesting at maxNesting, as checkNesting does before
// encoding/json decodes a plan.
func (d *valueDecoder) enter() error {
	d.depth++
	if d.depth > maxNesting {
		return errBadValue
	}
	d.pos++
	return nil
}

func (d *valueDecoder) value() (any, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, errBadValue
	}
	switch c := d.data[d.pos]; c {
	case '{':
		if err := d.enter(); err != nil {
			return nil, err
		}
		base := len(d.pairs)
		err := d.members(func(key []byte) error {
			v, err := d.value()
			if err != nil {
				return err
			}
			d.pairs = append(d.pairs, pair{d.intern(key), v})
			return nil
		})
		if err != nil {
			return nil, err
		}
		m := make(map[string]any, len(d.pairs)-base)
		for _, p := range d.pairs[base:] {
			m[p.key] = p.value
		}
		clear(d.pairs[base:])
		d.pairs = d.pairs[:base]
		d.depth--
		return m, nil
	case '[':
		if err := d.enter(); err != nil {
			return nil, err
		}
		base := len(d.items)
		err := d.elements(func() error {
			v, err := d.value()
			if err != nil {
				return err
			}
			d.items = append(d.items, v)
			return nil
		})
		if err != nil {
			return nil, err
		}
		s := make([]any, len(d.items)-base)
		copy(s, d.items[base:])
		clear(d.items[base:])
		d.items = d.items[:base]
		d.depth--
		return s, nil
	case '"':
		b, escaped, err := d.str()
		if err != nil {
			return nil, err
		}
		if escaped {
			return string(b), nil
		}
		return alias(b), nil
	default:
		return d.literal()
	}
}

// unknownValue is value for after_unknown trees; see unknown. It returns
// nil for every subtree without a true leaf.
func (d *valueDecoder) unknownValue() (any, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, errBadValue
	}
	switch d.data[d.pos] {
	case '{':
		if err := d.enter(); err != nil {
			return nil, err
		}
		base := len(d.pairs)
		err := d.members(func(key []byte) error {
			v, err := d.unknownValue()
			if err == nil && v != nil {
				d.pairs = append(d.pairs, pair{d.intern(key), v})
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		d.depth--
		if len(d.pairs) == base {
			return nil, nil
		}
		m := make(map[string]any, len(d.pairs)-base)
		for _, p := range d.pairs[base:] {
			m[p.key] = p.value
		}
		clear(d.pairs[base:])
		d.pairs = d.pairs[:base]
		return m, nil
	case '[':
		if err := d.enter(); err != nil {
			return nil, err
		}
		base := len(d.items)
		marked := false
		err := d.elements(func() error {
			v, err := d.unknownValue()
			marked = marked || v != nil
			d.items = append(d.items, v)
			return err
		})
		if err != nil {
			return nil, err
		}
		d.depth--
		var s []any
		if marked {
			s = make([]any, len(d.items)-base)
			copy(s, d.items[base:])
		}
		clear(d.items[base:])
		d.items = d.items[:base]
		if s == nil {
			return nil, nil
		}
		return s, nil
	case '"':
		_, _, err := d.str()
		return nil, err
	default:
		v, err := d.literal()
		if b, ok := v.(bool); ok && b {
			return true, err
		}
		return nil, err
	}
}

// intern returns the key as a string shared by every equal key; without
// keys, as a string referring to b.
func (d *valueDecoder) intern(b []byte) string {
	if d.keys == nil {
		return alias(b)
	}
	key, ok := d.keys[string(b)]
	if !ok {
		key = string(b)
		d.keys[key] = key
	}
	return key
}

// members reads the members of an object whose '{' was consumed, calling
// member after each key (unescaped; it may alias the input) and colon, up
// to and including the '}'.
func (d *valueDecoder) members(member func(key []byte) error) error {
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return nil
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return errBadValue
		}
		d.key = d.pos
		key, _, err := d.str()
		if err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return errBadValue
		}
		d.pos++
		if err := member(key); err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(d.data) {
			return errBadValue
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return nil
		default:
			return errBadValue
		}
	}
}

// elements reads the elements of an array whose '[' was consumed, up to and
// including the ']'.
func (d *valueDecoder) elements(element func() error) error {
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return nil
	}
	for {
		if err := element(); err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(d.data) {
			return errBadValue
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return nil
		default:
			return errBadValue
		}
	}
}

// str reads a string at d.pos (its opening quote) and returns its content:
// the input bytes themselves when it has no escape, else a new unescaped
// slice, which escaped reports.
func (d *valueDecoder) str() (b []byte, escaped bool, err error) {
	start := d.pos + 1
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i], false, nil
		case c == '\\':
			return d.unescape(start)
		case c < 0x20:
			return nil, false, errBadValue
		}
	}
	return nil, false, errBadValue
}

// unescape decodes a string with escapes starting at start, the way
// encoding/json does: a lone or invalid surrogate becomes U+FFFD.
func (d *valueDecoder) unescape(start int) ([]byte, bool, error) {
	out := make([]byte, 0, 32)
	i := start
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return out, true, nil
		case c < 0x20:
			return nil, false, errBadValue
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			return nil, false, errBadValue
		}
		switch e := d.data[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(d.data[i+2:])
			if r < 0 {
				return nil, false, errBadValue
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if i+1 < len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, hex4(d.data[i+2:])); dec != unicode.ReplacementChar {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
				}
				r = unicode.ReplacementChar
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return nil, false, errBadValue
		}
		i += 2
	}
	return nil, false, errBadValue
}

// hex4 reads four hex digits; -1 if there are not four.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// literal reads true, false, null or a number. A number out of float64
// range decodes as nil, as encoding/json leaves it.
func (d *valueDecoder) literal() (any, error) {
	rest := d.data[d.pos:]
	for _, lit := range [...]struct {
		text  string
		value any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(rest) >= len(lit.text) && string(rest[:len(lit.text)]) == lit.text {
			d.pos += len(lit.text)
			return lit.value, nil
		}
	}
	end := numberEnd(d.data, d.pos)
	if end < 0 {
		return nil, errBadValue
	}
	text := d.data[d.pos:end]
	d.pos = end
	f, err := strconv.ParseFloat(alias(text), 64)
	if err != nil {
		var num *strconv.NumError
		if errors.As(err, &num) && errors.Is(num.Err, strconv.ErrRange) {
			d.outOfRange = true
			return nil, nil
		}
		return nil, errBadValue
	}
	return f, nil
}

// numberEnd returns the end of the JSON number starting at i, or -1 if
// none starts there: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(b []byte, i int) int {
	digits := func(i int) int {
		j := i
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		return j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return -1
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		i = digits(i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

// skip reads past one value, checking that it is JSON, without keeping it.
func (d *valueDecoder) skip() error {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return errBadValue
	}
	switch d.data[d.pos] {
	case '{':
		if err := d.enter(); err != nil {
			return err
		}
		if err := d.members(func([]byte) error { return d.skip() }); err != nil {
			return err
		}
	case '[':
		if err := d.enter(); err != nil {
			return err
		}
		if err := d.elements(d.skip); err != nil {
			return err
		}
	case '"':
		_, err := d.skipString()
		return err
	default:
		_, err := d.literal()
		return err
	}
	d.depth--
	return nil
}

// skipString reads past a string, checking its escapes, without unescaping
// it; escaped reports whether it had any.
func (d *valueDecoder) skipString() (escaped bool, err error) {
	for i := d.pos + 1; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return escaped, nil
		case c < 0x20:
			return false, errBadValue
		case c == '\\':
			if i+1 >= len(d.data) {
				return false, errBadValue
			}
			switch d.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if hex4(d.data[i+2:]) < 0 {
					return false, errBadValue
				}
				i += 5
			default:
				return false, errBadValue
			}
			escaped = true
		}
	}
	return false, errBadValue
}

// alias returns b as a string without copying it. Sound only while b does
// not change, which Decode requires of its input.
func alias(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
