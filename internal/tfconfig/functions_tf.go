package tfconfig

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"golang.org/x/crypto/ssh"
	"golang.org/x/text/encoding/ianaindex"
)

// This file holds Terraform's own functions: those whose behaviour differs from cty's
// stdlib or that cty does not have. Each follows the function's page in the Terraform
// language documentation (https://developer.hashicorp.com/terraform/language/functions);
// the differential test in console_test.go checks them against terraform console.

func makeStringFunc(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(s), nil
		},
	})
}

func hashFunc(sum func([]byte) []byte, encode func([]byte) string) function.Function {
	return makeStringFunc(func(s string) (string, error) { return encode(sum([]byte(s))), nil })
}

func md5Sum(b []byte) []byte    { h := md5.Sum(b); return h[:] }
func sha1Sum(b []byte) []byte   { h := sha1.Sum(b); return h[:] }
func sha256Sum(b []byte) []byte { h := sha256.Sum256(b); return h[:] }
func sha512Sum(b []byte) []byte { h := sha512.Sum512(b); return h[:] }

var b64 = base64.StdEncoding.EncodeToString

var base64DecodeFunc = makeStringFunc(func(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("failed to decode base64 data %q", s)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("the result of decoding the provided string is not valid UTF-8")
	}
	return string(b), nil
})

var base64GzipFunc = makeStringFunc(func(s string) (string, error) {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write([]byte(s)); err != nil {
		return "", err
	}
	// Terraform flushes before closing, which adds an empty stored block.
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return b64(buf.Bytes()), nil
})

// urlencodeFunc is Terraform's urlencode: query escaping, a space becoming +.
var urlencodeFunc = makeStringFunc(func(s string) (string, error) {
	return url.QueryEscape(s), nil
})

// The path functions work on the path as written, like Terraform's (filepath.Base and
// filepath.Dir, so on the platform's separators).
var basenameFunc = makeStringFunc(func(s string) (string, error) { return filepath.Base(s), nil })
var dirnameFunc = makeStringFunc(func(s string) (string, error) { return filepath.Dir(s), nil })

// stringPredicate builds startswith and endswith. An unknown string whose known prefix
// already decides the answer (a template such as "arn:${x}") gives a known result, as in
// Terraform.
func stringPredicate(f func(s, affix string) bool, usePrefix bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "str", Type: cty.String, AllowUnknown: true},
			{Name: "affix", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			affix := args[1].AsString()
			if !args[0].IsKnown() {
				if !usePrefix {
					return cty.UnknownVal(cty.Bool), nil
				}
				if affix == "" {
					return cty.True, nil
				}
				known := args[0].Range().StringPrefix()
				if known != "" {
					if strings.HasPrefix(known, affix) {
						return cty.True, nil
					}
					if len(known) >= len(affix) {
						return cty.False, nil
					}
				}
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(f(args[0].AsString(), affix)), nil
		},
	})
}

var strcontainsFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.Contains(args[0].AsString(), args[1].AsString())), nil
	},
})

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sub := args[1].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			return stdlib.RegexReplace(args[0], cty.StringVal(sub[1:len(sub)-1]), args[2])
		}
		return stdlib.Replace(args[0], args[1], args[2])
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither null nor an
// empty string, after converting all of them to one type (cty's version skips only nulls).
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, fmt.Errorf("all arguments must have the same type")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		for _, a := range args {
			v, err := convert.Convert(a, ty)
			if err != nil {
				return cty.UnknownVal(ty), err
			}
			if !v.IsKnown() {
				return cty.UnknownVal(ty), nil
			}
			if v.IsNull() || (ty == cty.String && v.AsString() == "") {
				continue
			}
			return v, nil
		}
		return cty.NilVal, fmt.Errorf("no non-null, non-empty-string arguments")
	},
})

// lookupFunc is Terraform's lookup: the default may be null (cty's refuses a null
// default), and the default is optional.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowMarked: true},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, fmt.Errorf("lookup() takes no more than three arguments")
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			if !args[1].IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			key, _ := args[1].Unmark()
			if ty.HasAttribute(key.AsString()) {
				return ty.AttributeType(key.AsString()), nil
			}
			if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.NilType, function.NewArgErrorf(0, "the given object has no attribute %q", key.AsString())
		case ty.IsMapType():
			if len(args) == 3 {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
				}
			}
			return ty.ElementType(), nil
		}
		return cty.NilType, function.NewArgErrorf(0, "lookup() requires a map as the first argument")
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		m, mapMarks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		k := key.AsString()
		if !m.IsWhollyKnown() {
			return cty.UnknownVal(ty).WithMarks(mapMarks, keyMarks), nil
		}
		if m.Type().IsObjectType() {
			if m.Type().HasAttribute(k) {
				return m.GetAttr(k).WithMarks(mapMarks, keyMarks), nil
			}
		} else if m.HasIndex(cty.StringVal(k)) == cty.True {
			return m.Index(cty.StringVal(k)).WithMarks(mapMarks, keyMarks), nil
		}
		if len(args) == 3 {
			d, err := convert.Convert(args[2], ty)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
			}
			return d.WithMarks(mapMarks, keyMarks), nil
		}
		return cty.UnknownVal(ty), fmt.Errorf("lookup failed to find key %q", k)
	},
})

// lengthFunc is Terraform's length, which also counts the characters of a string.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() {
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number).WithMarks(marks), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))).WithMarks(marks), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		case ty == cty.String:
			n, err := stdlib.Strlen(v)
			return n.WithMarks(marks), err
		default:
			return v.Length().WithMarks(marks), nil
		}
	},
})

// indexFunc is Terraform's index(list, value): the position of the first equal element.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		if !(list.Type().IsListType() || list.Type().IsTupleType()) {
			return cty.NilVal, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		if !list.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot search an empty list")
		}
		for it := list.ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq, err := stdlib.Equal(v, args[1])
			if err != nil {
				return cty.NilVal, err
			}
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, function.NewArgErrorf(1, "item not found")
	},
})

// oneFunc is Terraform's one: null for an empty collection, its element for one element.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch elems := ty.TupleElementTypes(); len(elems) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return elems[0], nil
			}
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		v := args[0]
		n := v.Length()
		if !n.IsKnown() {
			return cty.UnknownVal(ty), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ty), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
})

// boolsFunc builds alltrue and anytrue over a list of bools.
func boolsFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			// alltrue stops at the first element that is not true, unknown included;
			// anytrue looks for a true element past unknown ones.
			sawUnknown := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, v := it.Element()
				switch {
				case !v.IsKnown() && all:
					return cty.UnknownVal(cty.Bool), nil
				case !v.IsKnown():
					sawUnknown = true
				case v.IsNull():
					if all {
						return cty.False, nil
					}
				case v.True() != all:
					return cty.BoolVal(!all), nil
				}
			}
			if sawUnknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

// sumFunc is Terraform's sum of a list, set or tuple of numbers.
var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		ty := list.Type()
		if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum noniterable")
		}
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := cty.NumberIntVal(0)
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
			}
			n, err := convert.Convert(v, cty.Number)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

// matchkeysFunc is Terraform's matchkeys(values, keys, searchset): the values whose key
// is in searchset, comparing exactly (an unknown search value matches nothing).
var matchkeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType), AllowUnknown: true},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType), AllowUnknown: true},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()})
		if ty == cty.NilType {
			return cty.NilType, fmt.Errorf("keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		values := args[0]
		if !values.IsKnown() {
			return cty.UnknownVal(ty), nil
		}
		if !args[1].IsKnown() {
			return cty.UnknownVal(ty), nil
		}
		if values.LengthInt() != args[1].LengthInt() {
			return cty.ListValEmpty(ty.ElementType()), fmt.Errorf("length of keys and values should be equal")
		}
		common, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()})
		keys, _ := convert.Convert(args[1], common)
		search, _ := convert.Convert(args[2], common)
		if !search.IsKnown() {
			return cty.UnknownVal(ty), nil
		}
		if search.LengthInt() == 0 {
			return cty.ListValEmpty(ty.ElementType()), nil
		}
		if !values.IsWhollyKnown() || !keys.IsWhollyKnown() {
			return cty.UnknownVal(ty), nil
		}
		var out []cty.Value
		for i, k := range keys.AsValueSlice() {
			for it := search.ElementIterator(); it.Next(); {
				if _, s := it.Element(); k.RawEquals(s) {
					out = append(out, values.Index(cty.NumberIntVal(int64(i))))
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(ty.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// transposeFunc is Terraform's transpose of a map of lists of strings.
var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		out := map[string][]cty.Value{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			if !list.IsWhollyKnown() {
				return cty.UnknownVal(ty), nil
			}
			if list.IsNull() {
				return cty.NilVal, fmt.Errorf("input must not contain null list")
			}
			for lit := list.ElementIterator(); lit.Next(); {
				_, v := lit.Element()
				if v.IsNull() {
					return cty.NilVal, fmt.Errorf("input list must not contain null string")
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		m := map[string]cty.Value{}
		for k, v := range out {
			m[k] = cty.ListVal(v)
		}
		return cty.MapVal(m), nil
	},
})

// uuidv5Func is Terraform's uuidv5: a name-based UUID (RFC 4122 section 4.3) in one of
// the predefined namespaces or a namespace given as a UUID.
var uuidv5Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "namespace", Type: cty.String}, {Name: "name", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		namespaces := map[string]string{
			"dns":  "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
			"url":  "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
			"oid":  "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
			"x500": "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
		}
		ns := args[0].AsString()
		if s, ok := namespaces[ns]; ok {
			ns = s
		}
		nsBytes, err := parseUUID(ns)
		if err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("uuidv5() doesn't support namespace %s (%v)", args[0].AsString(), err)
		}
		h := sha1.New()
		h.Write(nsBytes)
		h.Write([]byte(args[1].AsString()))
		u := h.Sum(nil)[:16]
		u[6] = (u[6] & 0x0f) | 0x50
		u[8] = (u[8] & 0x3f) | 0x80
		x := hex.EncodeToString(u)
		return cty.StringVal(x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]), nil
	},
})

// parseUUID reads a UUID in its canonical, urn:uuid:, braced or plain hex forms.
func parseUUID(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.ToLower(s), "urn:uuid:")
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if len(s) == 36 {
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return nil, fmt.Errorf("invalid UUID format")
		}
		s = strings.ReplaceAll(s, "-", "")
	}
	if len(s) != 32 {
		return nil, fmt.Errorf("invalid UUID length: %d", len(s))
	}
	return hex.DecodeString(s)
}

// timecmpFunc is Terraform's timecmp of two RFC 3339 timestamps: -1, 0 or 1.
var timecmpFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "timestamp_a", Type: cty.String}, {Name: "timestamp_b", Type: cty.String}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		a, err := time.Parse(time.RFC3339, args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.Number), function.NewArgErrorf(0, "not a valid RFC3339 timestamp: %s", err)
		}
		b, err := time.Parse(time.RFC3339, args[1].AsString())
		if err != nil {
			return cty.UnknownVal(cty.Number), function.NewArgErrorf(1, "not a valid RFC3339 timestamp: %s", err)
		}
		return cty.NumberIntVal(int64(a.Compare(b))), nil
	},
})

// textEncodingFunc builds textencodebase64 and textdecodebase64 over an IANA character
// encoding name.
func textEncodingFunc(encode bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "string", Type: cty.String}, {Name: "encoding", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[1].AsString()
			enc, err := ianaindex.IANA.Encoding(name)
			if err != nil || enc == nil {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "%q is not a supported IANA encoding name or alias in this Terraform version", name)
			}
			s := args[0].AsString()
			if encode {
				out, err := enc.NewEncoder().String(s)
				if err != nil {
					return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the given string contains characters that cannot be represented in %s", name)
				}
				return cty.StringVal(b64([]byte(out))), nil
			}
			raw, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the given value is has an invalid base64 symbol")
			}
			out, err := enc.NewDecoder().Bytes(raw)
			if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the given string contains symbols that are not defined for %s", name)
			}
			return cty.StringVal(string(out)), nil
		},
	})
}

// rsadecryptFunc is Terraform's rsadecrypt: PKCS #1 v1.5 decryption of base64 ciphertext
// with a PEM private key.
var rsadecryptFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "ciphertext", Type: cty.String}, {Name: "privatekey", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ct, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "failed to decode input %q: cipher text must be base64-encoded", args[0].AsString())
		}
		raw, err := ssh.ParseRawPrivateKey([]byte(args[1].AsString()))
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "invalid private key: %v", err)
		}
		key, ok := raw.(*rsa.PrivateKey)
		if !ok {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "invalid private key type %T", raw)
		}
		out, err := rsa.DecryptPKCS1v15(nil, key, ct) //nolint:staticcheck // Terraform's rsadecrypt is PKCS #1 v1.5 by definition
		if err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("failed to decrypt: %s", err)
		}
		return cty.StringVal(string(out)), nil
	},
})

// sensitiveFunc and nonsensitiveFunc are Terraform's: they add or remove the sensitive
// mark and change nothing else.
var sensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0].Mark(sensitiveMark{}), nil
	},
})

var nonsensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		delete(marks, sensitiveMark{})
		return v.WithMarks(marks), nil
	},
})

var issensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
	Type: function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		switch {
		case args[0].HasMark(sensitiveMark{}):
			return cty.True, nil
		case !args[0].IsKnown():
			return cty.UnknownVal(cty.Bool), nil
		}
		return cty.False, nil
	},
})

// ephemeralasnullFunc returns its argument: this evaluator has no ephemeral values (the
// plan does not record them), so there is nothing to replace with null.
var ephemeralasnullFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// impureFunc stands in for a function whose result Terraform knows only at apply
// (timestamp, uuid, bcrypt's random salt): the result is unknown, with the reason.
func impureFunc(name string, params []function.Parameter, varParam *function.Parameter, ret cty.Type) function.Function {
	return function.New(&function.Spec{
		Params: params, VarParam: varParam,
		Type: function.StaticReturnType(ret),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(ret).RefineNotNull().Mark(unknownMark(name + "() returns a new value on every run; known only after apply")), nil
		},
	})
}

// plantimestampFunc is the plan's own timestamp, which the plan records.
func plantimestampFunc(ts string) function.Function {
	return function.New(&function.Spec{
		Type: function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			if ts == "" {
				return cty.UnknownVal(cty.String).Mark(unknownMark("plantimestamp(): the plan does not record its timestamp")), nil
			}
			return cty.StringVal(ts), nil
		},
	})
}

// bigInt reads a whole number argument.
func bigInt(v cty.Value, what string) (*big.Int, error) {
	bf := v.AsBigFloat()
	i, acc := bf.Int(nil)
	if acc != big.Exact {
		return nil, fmt.Errorf("%s must be a whole number", what)
	}
	return i, nil
}

// Terraform 1.11 is built with cty 1.16.0, whose stdlib differs from this module's in a
// few functions (cty's CHANGELOG, 1.16.1 to 1.20.0); these wrappers keep 1.16.0's
// behaviour.

// formatFunc gives format and formatlist cty 1.16.0's handling of an argument whose type
// is not known (an untyped null or a wholly unknown value): the result is unknown.
func formatFunc(f function.Function, unknownType cty.Type) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type: func(args []cty.Value) (cty.Type, error) {
			for _, a := range args[1:] {
				if a.Type() == cty.DynamicPseudoType {
					return unknownType, nil
				}
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
			for _, a := range args[1:] {
				if a.Type() == cty.DynamicPseudoType {
					return cty.UnknownVal(ty), nil
				}
			}
			return f.Call(args)
		},
	})
}

// containsFunc refuses a null value, as cty 1.16.0 did.
var containsFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return stdlib.ContainsFunc.Call(args) },
})

// elementFunc refuses a negative index into a tuple whose remainder stays negative, which
// cty 1.16.0 could not handle.
var elementFunc = function.New(&function.Spec{
	Params: stdlib.ElementFunc.Params(),
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty.IsTupleType() && args[1].IsKnown() && !args[1].IsNull() {
			if n := len(ty.TupleElementTypes()); n > 0 {
				if i, acc := args[1].AsBigFloat().Int64(); acc == big.Exact && i%int64(n) < 0 {
					return cty.NilType, function.NewArgErrorf(1, "cannot use element function with a negative index into a tuple")
				}
			}
		}
		return stdlib.ElementFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return stdlib.ElementFunc.Call(args) },
})

// signumFunc accepts only numbers that fit a Go int, as cty 1.16.0 did.
var signumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "num", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if _, acc := args[0].AsBigFloat().Int64(); acc != big.Exact {
			return cty.UnknownVal(cty.Number), function.NewArgErrorf(0, "value must be a whole number, between %d and %d", math.MinInt, math.MaxInt)
		}
		return stdlib.SignumFunc.Call(args)
	},
})
