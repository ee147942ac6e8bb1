package awsstub

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// attrs returns the attributes of a known, non-null object value, or nil.
func attrs(v tftypes.Value) map[string]tftypes.Value {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		return nil
	}
	return m
}

// elems returns the elements of a known, non-null list, set or tuple, or nil.
func elems(v tftypes.Value) []tftypes.Value {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	var l []tftypes.Value
	if err := v.As(&l); err != nil {
		return nil
	}
	return l
}

// mapElems returns the elements of a known, non-null map, or nil.
func mapElems(v tftypes.Value) map[string]tftypes.Value {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		return nil
	}
	return m
}

// knownString returns a known, non-null string value.
func knownString(v tftypes.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() || !v.Type().Is(tftypes.String) {
		return "", false
	}
	var s string
	if err := v.As(&s); err != nil {
		return "", false
	}
	return s, true
}

// knownStrings returns the elements of a fully known list or set of
// strings; ok is false when the collection or an element is not known.
func knownStrings(v tftypes.Value) (out []string, ok bool) {
	if v.IsNull() {
		return nil, true
	}
	if !v.IsFullyKnown() {
		return nil, false
	}
	for _, e := range elems(v) {
		s, known := knownString(e)
		if !known {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// knownStringMap returns a fully known map of strings; ok is false when the
// map or one of its values is not known.
func knownStringMap(v tftypes.Value) (out map[string]string, ok bool) {
	if v.IsNull() {
		return nil, true
	}
	if !v.IsFullyKnown() {
		return nil, false
	}
	out = map[string]string{}
	for k, e := range mapElems(v) {
		s, known := knownString(e)
		if !known {
			return nil, false
		}
		out[k] = s
	}
	return out, true
}

// knownBool returns a known, non-null bool value.
func knownBool(v tftypes.Value) (bool, bool) {
	if !v.IsKnown() || v.IsNull() || !v.Type().Is(tftypes.Bool) {
		return false, false
	}
	var b bool
	if err := v.As(&b); err != nil {
		return false, false
	}
	return b, true
}

func stringSetValue(ss []string) tftypes.Value {
	vals := make([]tftypes.Value, 0, len(ss))
	for _, s := range ss {
		vals = append(vals, stringValue(s))
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vals)
}

func stringValue(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func boolValue(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func numberValue(n int64) tftypes.Value {
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
}

func stringMapValue(m map[string]string) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(m))
	for k, s := range m {
		vals[k] = stringValue(s)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
}
