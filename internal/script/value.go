package script

import (
	"fmt"
	"strings"
)

type valKind uint8

const (
	vStr  valKind = iota // text, possibly followed by something unknown
	vList                // list, tuple or set of values
	vDict                // dict with string keys
	vArgs                // the dict getResolvedOptions returns
	vAlt                 // one of several values (assigned on different branches)
)

// value is what the reader knows of an expression's value. A vStr with
// unk set is text known up to s and continued by something unknown; unk
// names it ("job argument --input_path, not among the job's arguments").
// An unknown value of any type is a vStr with s "" and unk set.
type value struct {
	kind  valKind
	s     string
	unk   string
	items []value // vList elements, vAlt alternatives
	keys  []string
	vals  []value // vDict values for keys
	// lits are the string literals the value is made of: a recognised call
	// that uses the value uses them, so they are not reported on their own.
	lits []int32
}

// Caps that keep a hostile script from growing values without bound; a
// value past a cap becomes unknown, naming the cap.
const (
	maxItems  = 256
	maxText   = 8 << 10
	maxAltern = 16
	// maxParts caps the parts (list elements, dict values, alternatives
	// and literals, at every depth) of a value a variable holds: "x = [x,
	// x]" or "x = x + x" doubles x on each line, so that a 40-line script
	// would otherwise make every later walk of x take 2^40 steps.
	maxParts = 4096
)

// oversized reports whether v has more than budget parts, walking at most
// budget of them.
func oversized(v value, budget *int) bool {
	*budget -= 1 + len(v.lits)
	if *budget < 0 {
		return true
	}
	for _, x := range v.items {
		if oversized(x, budget) {
			return true
		}
	}
	for _, x := range v.vals {
		if oversized(x, budget) {
			return true
		}
	}
	return false
}

func unknown(why string) value { return value{unk: why} }

func (v value) known() bool { return v.kind == vStr && v.unk == "" }

// concat is a + b for strings: once something unknown is met, the rest is
// unknown too, and the first unknown part names it.
func concat(a, b value) value {
	if a.kind != vStr || b.kind != vStr {
		if a.kind == vAlt || b.kind == vAlt {
			return alternatives(a, b, concat)
		}
		return value{unk: "a value that is not a string", lits: join(a.lits, b.lits)}
	}
	out := value{s: a.s, unk: a.unk, lits: join(a.lits, b.lits)}
	if a.unk == "" {
		out.s += b.s
		out.unk = b.unk
	}
	if len(out.s) > maxText {
		out.s, out.unk = out.s[:maxText], fmt.Sprintf("text past %d bytes", maxText)
	}
	return out
}

// alternatives combines every alternative of a and b with f.
func alternatives(a, b value, f func(a, b value) value) value {
	as, bs := alts(a), alts(b)
	out := value{kind: vAlt}
	for _, x := range as {
		for _, y := range bs {
			out.items = append(out.items, f(x, y))
			if len(out.items) > maxAltern {
				return value{unk: fmt.Sprintf("more than %d possible values", maxAltern), lits: join(a.lits, b.lits)}
			}
		}
	}
	return out
}

// alts returns a value's alternatives (itself when it has none).
func alts(v value) []value {
	if v.kind == vAlt {
		return v.items
	}
	return []value{v}
}

// either is a value that is a or b.
func either(a, b value) value {
	out := value{kind: vAlt}
	seen := map[string]bool{}
	for _, x := range append(alts(a), alts(b)...) {
		k := fmt.Sprintf("%d\x00%s\x00%s", x.kind, x.s, x.unk)
		if x.kind == vStr && seen[k] {
			continue
		}
		seen[k] = true
		out.items = append(out.items, x)
	}
	if len(out.items) == 1 {
		return out.items[0]
	}
	if len(out.items) > maxAltern {
		return value{unk: fmt.Sprintf("more than %d possible values", maxAltern)}
	}
	return out
}

func join(a, b []int32) []int32 {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]int32, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// allLits returns the literals of v and of everything inside it.
func allLits(v value) []int32 {
	out := v.lits
	for _, x := range v.items {
		out = join(out, allLits(x))
	}
	for _, x := range v.vals {
		out = join(out, allLits(x))
	}
	return out
}

// get returns the dict entry for key, and whether the dict is known to have
// it or to lack it (false when the dict is not known).
func (v value) get(key string) (value, bool, bool) {
	if v.kind != vDict {
		return value{}, false, false
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i], true, true
		}
	}
	return value{}, false, true
}

// format applies Python's "%" operator and str.format to known text with
// known arguments in the simple forms paths are built with ("%s", "{}",
// "{0}", "{name}"); anything else is unknown.
func percentFormat(f value, args []value, line int) value {
	if !f.known() {
		return unknown(fmt.Sprintf("a string formatted with %% at line %d", line))
	}
	var b strings.Builder
	out := value{lits: f.lits}
	n := 0
	s := f.s
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == 's' && n < len(args) {
			a := args[n]
			n++
			i++
			out.lits = join(out.lits, a.lits)
			if !a.known() {
				out.s = b.String() + a.s
				out.unk = a.unk
				if a.kind != vStr {
					out.s, out.unk = b.String(), "a value that is not a string"
				}
				return out
			}
			b.WriteString(a.s)
			continue
		}
		out.s, out.unk = b.String(), fmt.Sprintf("a %%-format the reader does not follow at line %d", line)
		return out
	}
	out.s = b.String()
	return out
}

// strFormat is "...".format(args, kw=...) with {} / {0} / {name} fields.
func strFormat(f value, args []value, kws map[string]value, line int) value {
	if !f.known() {
		return unknown(fmt.Sprintf("a string formatted with .format at line %d", line))
	}
	var b strings.Builder
	out := value{lits: f.lits}
	auto := 0
	s := f.s
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '{' && i+1 < len(s) && s[i+1] == '{' || c == '}' && i+1 < len(s) && s[i+1] == '}' {
			b.WriteByte(c)
			i++
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			out.s, out.unk = b.String(), fmt.Sprintf("a .format the reader does not follow at line %d", line)
			return out
		}
		field := s[i+1 : i+end]
		i += end
		var a value
		var ok bool
		switch {
		case field == "":
			if auto < len(args) {
				a, ok = args[auto], true
			}
			auto++
		case len(field) == 1 && isDigit(field[0]):
			if k := int(field[0] - '0'); k < len(args) {
				a, ok = args[k], true
			}
		default:
			a, ok = kws[field]
		}
		if !ok {
			out.s, out.unk = b.String(), fmt.Sprintf("a .format field the reader does not follow at line %d", line)
			return out
		}
		out.lits = join(out.lits, a.lits)
		if !a.known() {
			out.s = b.String() + a.s
			out.unk = a.unk
			if a.kind != vStr {
				out.s, out.unk = b.String(), "a value that is not a string"
			}
			return out
		}
		b.WriteString(a.s)
	}
	out.s = b.String()
	return out
}
