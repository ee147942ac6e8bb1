package validator

import (
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// builder turns the indexed plan into access facts. It asks its resolver for
// every attribute value, so values the plan leaves unknown can be supplied by
// a later configuration evaluator.
type builder struct {
	ix  *planIndex
	res resolver
	shared
}

func from(r *planjson.Resource, attr string) access.Provenance {
	return access.Provenance{Address: r.Address, Attribute: attr}
}

// raw returns the resolved value at a dot path.
func (b *builder) raw(r *planjson.Resource, attr string) (any, bool) {
	v, _, ok := b.resolve(r, attr)
	return v, ok
}

// resolve returns the resolved value at a dot path and where it came from.
func (b *builder) resolve(r *planjson.Resource, attr string) (any, access.Provenance, bool) {
	return resolveFrom(b.res, r.Address, attr)
}

// str reads a string attribute. A null that is not marked unknown is a known
// empty string: the argument is not set.
func (b *builder) str(r *planjson.Resource, attr string) access.Value[string] {
	p := from(r, attr)
	if v, src, ok := b.resolve(r, attr); ok {
		if s, ok := v.(string); ok {
			return access.Known(s, src)
		}
		return access.Unknown[string](p)
	}
	if r.IsUnknown(attr) {
		return access.Unknown[string](p)
	}
	return access.Known("", p)
}

// boolean reads a bool attribute with the value a null stands for.
func (b *builder) boolean(r *planjson.Resource, attr string, null bool) access.Value[bool] {
	p := from(r, attr)
	if v, src, ok := b.resolve(r, attr); ok {
		if x, ok := v.(bool); ok {
			return access.Known(x, src)
		}
		return access.Unknown[bool](p)
	}
	if r.IsUnknown(attr) {
		return access.Unknown[bool](p)
	}
	return access.Known(null, p)
}

// strMap reads a map(string) attribute; null is a known empty map.
func (b *builder) strMap(r *planjson.Resource, attr string) access.Value[map[string]string] {
	p := from(r, attr)
	v, src, ok := b.resolve(r, attr)
	if !ok {
		if r.IsUnknown(attr) {
			return access.Unknown[map[string]string](p)
		}
		return access.Known(map[string]string{}, p)
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return access.Unknown[map[string]string](p)
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		s, isStr := x.(string)
		// An element the plan marks unknown may still be supplied by the
		// configuration, whose provenance has a file.
		if !isStr || r.IsUnknown(attr+"."+k) && src.File == "" {
			return access.Unknown[map[string]string](p)
		}
		out[k] = s
	}
	return access.Known(out, src)
}

// strList reads a list or set of strings; ok is false when it is unknown or
// holds unknown elements.
func (b *builder) strList(r *planjson.Resource, attr string) ([]string, bool) {
	v, ok := b.raw(r, attr)
	if !ok {
		return nil, !r.IsUnknown(attr)
	}
	l, isList := v.([]any)
	if !isList {
		return nil, false
	}
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, isStr := x.(string)
		if !isStr {
			return out, false
		}
		out = append(out, s)
	}
	return out, true
}

// symbol returns an attribute's value, or, when it is unknown until apply, a
// stand-in naming it ("aws_subnet.a.id"). Configuration references to the
// attribute resolve to the same stand-in, so resources created together still
// link to each other (a subnet to its route table, an endpoint to its VPC).
func (b *builder) symbol(r *planjson.Resource, attr string) string {
	if v, ok := b.raw(r, attr); ok {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return r.Address + "." + attr
}

// isSymbol reports whether s is a stand-in made by symbol.
func isSymbol(s string, r *planjson.Resource) bool {
	return strings.HasPrefix(s, r.Address+".")
}

// linked returns the value an attribute will have: its known value, else the
// value (or stand-in) of the resource attribute its configuration references.
// target is the referenced resource, when there is one.
func (b *builder) linked(r *planjson.Resource, path ...string) (val string, target *planjson.Resource, known bool) {
	attr := strings.Join(path, ".0.")
	if v, ok := b.raw(r, attr); ok {
		if s, ok := v.(string); ok {
			t, _ := b.ix.Reference(r, path...)
			return s, t.Resource, true
		}
	}
	t, ok := b.ix.Reference(r, path...)
	if !ok {
		return "", nil, !r.IsUnknown(attr)
	}
	a := t.Attr
	if a == "" {
		a = "id"
	}
	return b.symbol(t.Resource, a), t.Resource, true
}

// linkedList is linked for a list of strings: known elements plus the
// stand-ins of referenced resources.
func (b *builder) linkedList(r *planjson.Resource, attr string) []string {
	out, _ := b.strList(r, attr)
	for _, t := range b.ix.References(r, attr) {
		a := t.Attr
		if a == "" {
			a = "id"
		}
		s := b.symbol(t.Resource, a)
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// configured reports whether the configuration sets an attribute (as opposed
// to the provider computing it).
func configured(r *planjson.Resource, attr string) bool {
	return r.Expression(attr) != nil
}
