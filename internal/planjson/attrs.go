package planjson

import (
	"bytes"
	"errors"
	"math"
	"strings"
)

// attrs are the planned attribute values of a resource, kept as the text of
// their JSON object and decoded one attribute at a time when read.
//
// The text is a slice of the plan's bytes, which stay in memory anyway (the
// decoded strings refer to them), so keeping it costs nothing. Decoded into
// maps, the values were half of what a large plan keeps live while its jobs
// are checked; since the garbage collector lets the heap grow to twice what
// is live, that set the peak memory of a validation.
//
// A read sees what the decoded map held: an attribute that is null reads as
// absent, and of a name given twice the last member that is not null counts.
type attrs struct {
	// text is the JSON object; nil when the values are absent or not an
	// object.
	text []byte
	// members are the offsets in text of the keys of the members that are
	// not null, in order. nil (for an object over 4 GiB) means reads scan
	// text instead.
	members []uint32
}

// attributes indexes raw, the planned or prior values of a resource; see
// attrs. The bytes were checked when the plan was decoded; malformed ones
// leave the values empty.
func (d *valueDecoder) attributes(raw []byte) attrs {
	d.reset(raw)
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		return attrs{}
	}
	if uint64(len(raw)) > math.MaxUint32 {
		if d.skip() != nil {
			return attrs{}
		}
		return attrs{text: raw}
	}
	if d.enter() != nil {
		return attrs{}
	}
	offsets := d.offsets[:0]
	err := d.members(func([]byte) error {
		d.skipSpace()
		if !d.null() {
			offsets = append(offsets, uint32(d.key))
			return d.skip()
		}
		return nil
	})
	d.offsets = offsets[:0]
	if err != nil {
		return attrs{}
	}
	return attrs{text: raw, members: append(make([]uint32, 0, len(offsets)), offsets...)}
}

// get returns the value of the attribute named name, decoded as
// encoding/json decodes into any; nil when it is null or absent.
func (a attrs) get(name string) any {
	v, ok := a.member(name)
	if !ok {
		return nil
	}
	return v.decode()
}

// member finds the attribute named name: the last member of that name that
// is not null.
func (a attrs) member(name string) (jsonAt, bool) {
	if a.text == nil {
		return jsonAt{}, false
	}
	if a.members == nil {
		return jsonAt{text: a.text}.field(name, true)
	}
	for i := len(a.members) - 1; i >= 0; i-- {
		if end, ok := keyIs(a.text, int(a.members[i]), name); ok {
			d := valueDecoder{data: a.text, pos: end}
			d.skipSpace()
			d.pos++ // the colon, checked when the plan was decoded
			d.skipSpace()
			return jsonAt{text: a.text, pos: d.pos}, true
		}
	}
	return jsonAt{}, false
}

// keyIs reports whether the object key whose opening quote is at off in
// text is name, once unescaped, and returns the offset after its closing
// quote. Keys without escapes, nearly all of them, are compared in place.
func keyIs(text []byte, off int, name string) (end int, ok bool) {
	start := off + 1
	if start > len(text) {
		return 0, false
	}
	raw := text[start:]
	if len(raw) > len(name) && raw[len(name)] == '"' && string(raw[:len(name)]) == name && !strings.ContainsAny(name, `\"`) {
		return start + len(name) + 1, true
	}
	if q := bytes.IndexByte(raw, '"'); q >= 0 && bytes.IndexByte(raw[:q], '\\') < 0 {
		// A key without escapes that is not name.
		return 0, false
	}
	d := valueDecoder{data: text, pos: off}
	key, _, err := d.str()
	if err != nil || string(key) != name {
		return 0, false
	}
	return d.pos, true
}

// jsonAt is the JSON value starting at pos in text (after any spaces).
type jsonAt struct {
	text []byte
	pos  int
}

// decode returns the value as encoding/json decodes it into any; nil for
// null and for what is not JSON.
func (j jsonAt) decode() any {
	d := valueDecoder{data: j.text, pos: j.pos}
	v, err := d.value()
	if err != nil {
		return nil
	}
	return v
}

// isNull reports whether the value is JSON null.
func (j jsonAt) isNull() bool {
	d := valueDecoder{data: j.text, pos: j.pos}
	return d.null()
}

// step returns the value at one segment of a dot path: the member of an
// object named seg (the last one, as decoding into a map keeps), or the
// element of an array at index seg. ok is false when there is none, as the
// step of a decoded value gives nil.
func (j jsonAt) step(seg string) (jsonAt, bool) {
	d := valueDecoder{data: j.text, pos: j.pos}
	d.skipSpace()
	if d.pos >= len(d.data) {
		return jsonAt{}, false
	}
	switch d.data[d.pos] {
	case '{':
		return j.field(seg, false)
	case '[':
		return j.element(seg)
	}
	return jsonAt{}, false
}

// field returns the value of the last member named name of the object at j;
// with skipNull, the last that is not null.
func (j jsonAt) field(name string, skipNull bool) (jsonAt, bool) {
	d := valueDecoder{data: j.text, pos: j.pos}
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' || d.enter() != nil {
		return jsonAt{}, false
	}
	found := -1
	err := d.members(func(key []byte) error {
		d.skipSpace()
		if string(key) == name && !(skipNull && (jsonAt{text: d.data, pos: d.pos}).isNull()) {
			found = d.pos
		}
		return d.skip()
	})
	if err != nil || found < 0 {
		return jsonAt{}, false
	}
	return jsonAt{text: j.text, pos: found}, true
}

// element returns the element of the array at j at index seg, a string of
// decimal digits; an empty seg reads as 0, as the step of a decoded value
// has always read it.
func (j jsonAt) element(seg string) (jsonAt, bool) {
	n := 0
	for _, c := range seg {
		if c < '0' || c > '9' {
			return jsonAt{}, false
		}
		n = n*10 + int(c-'0')
		if n > len(j.text) {
			// More than the array can have elements.
			return jsonAt{}, false
		}
	}
	d := valueDecoder{data: j.text, pos: j.pos}
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '[' || d.enter() != nil {
		return jsonAt{}, false
	}
	i := 0
	err := d.elements(func() error {
		d.skipSpace()
		if i == n {
			return errFound
		}
		i++
		return d.skip()
	})
	if !errors.Is(err, errFound) {
		return jsonAt{}, false
	}
	return jsonAt{text: j.text, pos: d.pos}, true
}

// errFound stops a scan at the element sought.
var errFound = errors.New("found")
