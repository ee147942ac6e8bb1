package planjson

import "strings"

// A resource's after_unknown tree marks with true every leaf terraform knows
// only after apply ("JSON Output Format", Terraform docs). The readers here
// answer for dot paths ("rule.0.payer") what the plan knows, so that an
// unknown value is never read as absent or null.

// Known returns the planned value at a dot path when it is known.
func (r *Resource) Known(attr string) (any, bool) {
	if attr == "" {
		return nil, false
	}
	var v jsonAt
	var u = r.Unknown
	for i, rest, more := 0, attr, true; more; i++ {
		var seg string
		seg, rest, more = strings.Cut(rest, ".")
		if b, ok := u.(bool); ok && b {
			return nil, false
		}
		var found bool
		if i == 0 {
			v, found = r.values.member(seg)
		} else {
			v, found = v.step(seg)
		}
		u = step(u, seg)
		if !found || v.isNull() {
			return nil, false
		}
	}
	if b, ok := u.(bool); ok && b {
		return nil, false
	}
	// A number out of float64 range decodes as nil, as encoding/json leaves
	// it, and a nil value is not a known one.
	if x := v.decode(); x != nil {
		return x, true
	}
	return nil, false
}

// step returns the element of an after_unknown tree at one segment of a dot
// path.
func step(v any, seg string) any {
	switch t := v.(type) {
	case map[string]any:
		return t[seg]
	case []any:
		i := 0
		for _, c := range seg {
			if c < '0' || c > '9' {
				return nil
			}
			i = i*10 + int(c-'0')
			if i > len(t) {
				return nil
			}
		}
		if i < len(t) {
			return t[i]
		}
	}
	return nil
}

// IsUnknown reports whether the value at attr is marked unknown until apply.
func (r *Resource) IsUnknown(attr string) bool {
	u := r.Unknown
	for seg := range strings.SplitSeq(attr, ".") {
		if b, ok := u.(bool); ok {
			return b
		}
		u = step(u, seg)
	}
	b, _ := u.(bool)
	return b
}

// UnknownAt returns the after_unknown subtree at a dot path.
func (r *Resource) UnknownAt(attr string) any {
	u := r.Unknown
	for seg := range strings.SplitSeq(attr, ".") {
		if _, leaf := u.(bool); leaf {
			return u
		}
		u = step(u, seg)
	}
	return u
}

// AnyUnknown reports whether an after_unknown subtree marks any leaf.
func AnyUnknown(u any) bool {
	switch t := u.(type) {
	case bool:
		return t
	case map[string]any:
		for _, x := range t {
			if AnyUnknown(x) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if AnyUnknown(x) {
				return true
			}
		}
	}
	return false
}
