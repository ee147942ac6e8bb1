package policydoc

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// The wire types have the field order, tags and Go value shapes of the
// provider's own model, so that encoding/json produces the provider's bytes:
// struct field order gives key order, map keys come out sorted, and the
// default HTML escaping (`<` → \u003c, `>` → \u003e, `&` → \u0026) is kept
// because the provider uses the same encoder with the same settings.
//
// Element fields hold either a string (one element) or a list: []string for
// values built from configuration, []any for values read back from a source
// or override document, which keep their JSON order and types.

type wireDoc struct {
	Version    string           `json:",omitempty"`
	Id         string           `json:",omitempty"` // the key is "Id", as in the provider
	Statements []*wireStatement `json:"Statement,omitempty"`
}

type wireStatement struct {
	Sid           string         `json:",omitempty"`
	Effect        string         `json:",omitempty"`
	Actions       any            `json:"Action,omitempty"`
	NotActions    any            `json:"NotAction,omitempty"`
	Resources     any            `json:"Resource,omitempty"`
	NotResources  any            `json:"NotResource,omitempty"`
	Principals    wirePrincipals `json:"Principal,omitempty"`
	NotPrincipals wirePrincipals `json:"NotPrincipal,omitempty"`
	Conditions    wireConditions `json:"Condition,omitempty"`
}

// wirePrincipal.Identifiers is a string or a []string.
type wirePrincipal struct {
	Type        string
	Identifiers any
}

type wirePrincipals []wirePrincipal

// wireCondition.Values is a string or a []string.
type wireCondition struct {
	Test     string
	Variable string
	Values   any
}

type wireConditions []wireCondition

// MarshalJSON groups principals by type. A lone {"*": "*"} becomes the bare
// string "*"; {"AWS": "*"} is left alone, because IAM treats the two
// differently in trust policies. Identifier lists are emitted in descending
// order and concatenated across blocks of the same type.
func (ps wirePrincipals) MarshalJSON() ([]byte, error) {
	if len(ps) == 1 && ps[0].Type == "*" {
		switch ids := ps[0].Identifiers.(type) {
		case string:
			if ids == "*" {
				return []byte(`"*"`), nil
			}
		case []string:
			if len(ids) == 1 && ids[0] == "*" {
				return []byte(`"*"`), nil
			}
		}
	}
	byType := map[string]any{}
	for _, p := range ps {
		switch ids := p.Identifiers.(type) {
		case []string:
			sorted := descending(ids)
			switch prev := byType[p.Type].(type) {
			case nil:
				byType[p.Type] = sorted
			case string:
				byType[p.Type] = append([]string{prev}, sorted...)
			case []string:
				byType[p.Type] = append(prev, sorted...)
			}
		case string:
			switch prev := byType[p.Type].(type) {
			case nil:
				byType[p.Type] = ids
			case string:
				byType[p.Type] = []string{prev, ids}
			case []string:
				byType[p.Type] = append(prev, ids)
			}
		default:
			return nil, fmt.Errorf("principal type %q: identifiers of type %T", p.Type, ids)
		}
	}
	return json.Marshal(byType)
}

// UnmarshalJSON reads the Principal element of a source or override
// document: a bare string means everyone (type "*"), an object maps types to
// one identifier or a list of them.
func (ps *wirePrincipals) UnmarshalJSON(b []byte) error {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var out wirePrincipals
	switch v := raw.(type) {
	case string:
		out = wirePrincipals{{Type: "*", Identifiers: []string{"*"}}}
	case map[string]any:
		for _, typ := range slices.Sorted(maps.Keys(v)) {
			switch ids := v[typ].(type) {
			case string:
				out = append(out, wirePrincipal{Type: typ, Identifiers: ids})
			case []any:
				list := make([]string, 0, len(ids))
				for i, id := range ids {
					s, ok := id.(string)
					if !ok {
						return fmt.Errorf("principal type %q identifier %d: %T is not a string", typ, i, id)
					}
					list = append(list, s)
				}
				out = append(out, wirePrincipal{Type: typ, Identifiers: list})
			default:
				return fmt.Errorf("principal type %q: identifiers of type %T", typ, ids)
			}
		}
	default:
		return fmt.Errorf("principal of type %T", raw)
	}
	*ps = out
	return nil
}

// MarshalJSON emits {test: {variable: values}}. Blocks sharing test and
// variable have their values concatenated in block order; values are never
// sorted because a list's order is the user's. One value becomes a string.
func (cs wireConditions) MarshalJSON() ([]byte, error) {
	byTest := map[string]map[string][]string{}
	for _, c := range cs {
		if byTest[c.Test] == nil {
			byTest[c.Test] = map[string][]string{}
		}
		vals := byTest[c.Test][c.Variable]
		if vals == nil {
			vals = []string{}
		}
		switch v := c.Values.(type) {
		case []string:
			vals = append(vals, v...)
		case string:
			vals = append(vals, v)
		default:
			return nil, fmt.Errorf("condition %s %q: values of type %T", c.Test, c.Variable, v)
		}
		byTest[c.Test][c.Variable] = vals
	}
	out := make(map[string]map[string]any, len(byTest))
	for test, vars := range byTest {
		out[test] = make(map[string]any, len(vars))
		for variable, vals := range vars {
			if len(vals) == 1 {
				out[test][variable] = vals[0]
			} else {
				out[test][variable] = vals
			}
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the Condition element of a source or override
// document. A string value becomes a one-element list and a boolean its
// "true"/"false" string; a list holding a non-string is an error (the
// provider would crash on it). Like the provider, it drops a condition whose value
// is a number, null or an object: the merged document silently loses it.
func (cs *wireConditions) UnmarshalJSON(b []byte) error {
	var raw map[string]map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var out wireConditions
	for _, test := range slices.Sorted(maps.Keys(raw)) {
		for _, variable := range slices.Sorted(maps.Keys(raw[test])) {
			switch v := raw[test][variable].(type) {
			case string:
				out = append(out, wireCondition{Test: test, Variable: variable, Values: []string{v}})
			case bool:
				out = append(out, wireCondition{Test: test, Variable: variable, Values: strconv.FormatBool(v)})
			case []any:
				vals := make([]string, 0, len(v))
				for i, e := range v {
					s, ok := e.(string)
					if !ok {
						return fmt.Errorf("condition %s %q value %d: %T is not a string", test, variable, i, e)
					}
					vals = append(vals, s)
				}
				out = append(out, wireCondition{Test: test, Variable: variable, Values: vals})
			}
		}
	}
	*cs = out
	return nil
}

// descending returns a copy of l sorted in reverse lexicographic order, the
// order the provider emits string sets in.
func descending(l []string) []string {
	out := slices.Clone(l)
	slices.Sort(out)
	slices.Reverse(out)
	return out
}
