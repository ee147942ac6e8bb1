package tfconfig

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// expansion is the set of instances of a resource or module call.
type expansion struct {
	kind    expansionKind
	keys    []cty.Value
	reps    []repetition
	scopes  []*scope  // module calls only
	unknown cty.Value // set when the instances cannot be decided
}

type expansionKind int

const (
	single expansionKind = iota
	counted
	keyed
)

// expandCall returns the instances of a module call made from this scope.
func (sc *scope) expandCall(call *ModuleCall) (*expansion, hcl.Diagnostics) {
	if e := sc.children[call.Name]; e != nil {
		return e, nil
	}
	var e *expansion
	label := "instances of module." + call.Name
	if sc.addr != "" {
		label = sc.addr + "." + label
	}
	diags := sc.ev.guard(label, call.DeclRange, func() hcl.Diagnostics {
		var d hcl.Diagnostics
		e, d = sc.expand(call.Count, call.ForEach, sc.ev.plan.keys[sc.addr+"|module."+call.Name])
		return d
	})
	if diags.HasErrors() || e == nil {
		return nil, diags
	}
	if e.unknown == cty.NilVal {
		for i, key := range e.keys {
			addr := "module." + call.Name + keyString(key)
			if sc.addr != "" {
				addr = sc.addr + "." + addr
			}
			e.scopes = append(e.scopes, &scope{ev: sc.ev, mod: call.Module, addr: addr, parent: sc, call: call, rep: e.reps[i]})
		}
	}
	if sc.children == nil {
		sc.children = map[string]*expansion{}
	}
	sc.children[call.Name] = e
	return e, nil
}

// expand decides instance keys from count or for_each. planKeys, when not empty, are the
// keys the plan has; they win over evaluation, but each.value still comes from for_each.
func (sc *scope) expand(count, forEach hcl.Expression, planKeys []cty.Value) (*expansion, hcl.Diagnostics) {
	switch {
	case count != nil:
		e := &expansion{kind: counted}
		if len(planKeys) == 0 {
			v, diags := sc.eval(count, repetition{}, nil)
			if diags.HasErrors() {
				return nil, diags
			}
			n, err := countValue(v)
			if err != nil {
				return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid count argument", Detail: err.Error(), Subject: count.Range().Ptr()}}
			}
			if n < 0 {
				e.unknown = unknown("count at %s depends on values known only after apply", rangeString(count.Range()))
				return e, nil
			}
			if lim := sc.ev.budget.lim.MaxElements; int64(n) > lim {
				e.unknown = unknown("count at %s is %d, more than the limit of %d instances", rangeString(count.Range()), n, lim)
				return e, nil
			}
			for i := range n {
				planKeys = append(planKeys, cty.NumberIntVal(int64(i)))
			}
		}
		for _, k := range planKeys {
			e.keys = append(e.keys, k)
			e.reps = append(e.reps, repetition{countIndex: k})
		}
		return e, nil
	case forEach != nil:
		e := &expansion{kind: keyed}
		v, diags := sc.eval(forEach, repetition{}, nil)
		if diags.HasErrors() {
			return nil, diags
		}
		elems, known, err := forEachElements(v)
		if err != nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid for_each argument", Detail: err.Error(), Subject: forEach.Range().Ptr()}}
		}
		if !known && len(planKeys) == 0 {
			e.unknown = unknown("for_each at %s depends on values known only after apply", rangeString(forEach.Range()))
			return e, nil
		}
		if len(planKeys) == 0 {
			for _, k := range slices.Sorted(maps.Keys(elems)) {
				planKeys = append(planKeys, cty.StringVal(k))
			}
		}
		for _, k := range planKeys {
			val, ok := elems[k.AsString()]
			if !ok {
				val = unknown("each.value for key %q: for_each at %s is not known", k.AsString(), rangeString(forEach.Range()))
			}
			e.keys = append(e.keys, k)
			e.reps = append(e.reps, repetition{eachKey: k, eachValue: val})
		}
		return e, nil
	}
	return &expansion{kind: single, keys: []cty.Value{cty.NilVal}, reps: []repetition{{}}}, nil
}

// countValue reads a count; -1 means unknown.
func countValue(v cty.Value) (int, error) {
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() {
		return -1, nil
	}
	if v.IsNull() {
		return 0, fmt.Errorf("count must not be null")
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil {
		return 0, fmt.Errorf("count must be a whole number: %w", err)
	}
	i, acc := n.AsBigFloat().Int64()
	if acc != 0 || i < 0 {
		return 0, fmt.Errorf("count must be a non-negative whole number, got %s", n.AsBigFloat().String())
	}
	if i > math.MaxInt32 {
		i = math.MaxInt32 // past any limit; expand refuses it
	}
	return int(i), nil
}

// forEachElements reads a for_each map or set of strings into key → each.value, keeping
// the marks of the collection on every element.
func forEachElements(v cty.Value) (map[string]cty.Value, bool, error) {
	plain, marks := v.Unmark()
	if !plain.IsKnown() {
		return nil, false, nil
	}
	if plain.IsNull() {
		return nil, false, fmt.Errorf("for_each must not be null")
	}
	ty := plain.Type()
	out := map[string]cty.Value{}
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		for k, e := range plain.AsValueMap() {
			out[k] = e.WithMarks(marks)
		}
	case ty.IsSetType():
		if !plain.IsWhollyKnown() {
			return nil, false, nil
		}
		for it := plain.ElementIterator(); it.Next(); {
			_, e := it.Element()
			e, em := e.Unmark()
			if e.Type() != cty.String || e.IsNull() {
				return nil, false, fmt.Errorf("for_each set must contain strings")
			}
			out[e.AsString()] = e.WithMarks(marks, em)
		}
	default:
		return nil, false, fmt.Errorf("for_each must be a map or a set of strings, got %s", ty.FriendlyName())
	}
	return out, true, nil
}

// collect shapes instance values the way Terraform does: one object, a tuple for count,
// an object keyed by each.key for for_each.
func collect(e *expansion, objs []cty.Value) cty.Value {
	switch e.kind {
	case counted:
		return cty.TupleVal(objs)
	case keyed:
		m := map[string]cty.Value{}
		for i, k := range e.keys {
			m[k.AsString()] = objs[i]
		}
		return cty.ObjectVal(m)
	}
	if len(objs) == 0 {
		return cty.DynamicVal
	}
	return objs[0]
}

// expandResource returns the instances of a resource in this module instance.
func (sc *scope) expandResource(r *Resource) (*expansion, hcl.Diagnostics) {
	if e := sc.resources[r.Address()]; e != nil {
		return e, nil
	}
	var e *expansion
	label := "instances of " + instanceAddress(sc.addr, r.Address(), cty.NilVal)
	diags := sc.ev.guard(label, r.DeclRange, func() hcl.Diagnostics {
		var d hcl.Diagnostics
		e, d = sc.expand(r.Count, r.ForEach, sc.ev.plan.keys[sc.addr+"|"+r.Address()])
		return d
	})
	if diags.HasErrors() || e == nil {
		return nil, diags
	}
	if sc.resources == nil {
		sc.resources = map[string]*expansion{}
	}
	sc.resources[r.Address()] = e
	return e, diags
}

func (e *expansion) find(key cty.Value) int {
	for i, k := range e.keys {
		if keyString(k) == keyString(key) {
			return i
		}
	}
	return -1
}
