package tfconfig

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Evaluator answers questions about attribute values of one configuration bound to one plan.
// It evaluates lazily and memoizes; it is not safe for concurrent use.
type Evaluator struct {
	cfg         *Config
	opts        Options
	cwd         string
	plan        *planIndex
	root        *scope
	funcs       map[string]function.Function
	budget      *budget
	unsupported map[string]bool
	memo        map[string]memoEntry
	active      map[string]bool
	stack       []string
}

type memoEntry struct {
	val   cty.Value
	diags hcl.Diagnostics
}

// scope is one module instance.
type scope struct {
	ev        *Evaluator
	mod       *Module
	addr      string // module instance address; "" for the root module
	parent    *scope
	call      *ModuleCall
	rep       repetition            // count/each of this instance, evaluated in the parent
	children  map[string]*expansion // module call instances by call name
	resources map[string]*expansion // resource instances by resource key
}

// repetition holds count.index or each.key/each.value; unset fields are cty.NilVal.
type repetition struct {
	countIndex, eachKey, eachValue cty.Value
}

// guard runs f unless key is already being evaluated, in which case it reports the cycle.
func (ev *Evaluator) guard(key string, rng hcl.Range, f func() hcl.Diagnostics) hcl.Diagnostics {
	if ev.active[key] {
		start := 0
		for i, k := range ev.stack {
			if k == key {
				start = i
			}
		}
		chain := append(append([]string(nil), ev.stack[start:]...), key)
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cycle in configuration",
			Detail: strings.Join(chain, " → "), Subject: rng.Ptr()}}
	}
	ev.active[key] = true
	ev.stack = append(ev.stack, key)
	diags := f()
	ev.stack = ev.stack[:len(ev.stack)-1]
	delete(ev.active, key)
	return diags
}

// memoized evaluates f once per key, reporting cycles.
func (ev *Evaluator) memoized(key string, rng hcl.Range, f func() (cty.Value, hcl.Diagnostics)) (cty.Value, hcl.Diagnostics) {
	if e, ok := ev.memo[key]; ok {
		return e.val, e.diags
	}
	if len(ev.stack) >= ev.budget.lim.MaxDepth {
		return unknown("%s: references nest deeper than the limit of %d", key, ev.budget.lim.MaxDepth), nil
	}
	if r := ev.budget.expired(); r != "" {
		return unknown("%s: %s", key, r), nil
	}
	v := cty.DynamicVal
	diags := ev.guard(key, rng, func() hcl.Diagnostics {
		var d hcl.Diagnostics
		v, d = f()
		return d
	})
	if v == cty.NilVal {
		v = cty.DynamicVal
	}
	if why := ev.budget.oversized(v); why != "" {
		v = unknown("%s would hold %s", key, why)
	}
	ev.memo[key] = memoEntry{val: v, diags: diags}
	return v, diags
}

func (ev *Evaluator) functions() map[string]function.Function {
	return funcsWith(ev.funcs, ev.unsupported)
}

// eval evaluates an expression in a module instance. extra holds names bound by dynamic
// blocks (their iterators), which shadow everything else.
func (sc *scope) eval(expr hcl.Expression, rep repetition, extra map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	ctx, diags := sc.context(expr.Variables(), rep, extra)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	// Functions this package does not know get their stand-in before evaluation, so that
	// try() and can() do not mistake the missing function for a failure of their argument.
	if native, ok := expr.(hclsyntax.Expression); ok {
		_ = hclsyntax.VisitAll(native, func(n hclsyntax.Node) hcl.Diagnostics {
			if c, ok := n.(*hclsyntax.FunctionCallExpr); ok && !sc.ev.unsupported[c.Name] {
				if _, known := sc.ev.funcs[c.Name]; known {
					return nil
				}
				if sc.ev.unsupported == nil {
					sc.ev.unsupported = map[string]bool{}
				}
				sc.ev.unsupported[c.Name] = true
			}
			return nil
		})
		ctx.Functions = sc.ev.functions()
	}
	for {
		v, d := expr.Value(ctx)
		missing := unknownFunctions(d)
		if len(missing) == 0 {
			return v, d
		}
		// An unsupported function loses only the values computed from it: retry with a
		// stand-in that returns an unknown value naming the function.
		if sc.ev.unsupported == nil {
			sc.ev.unsupported = map[string]bool{}
		}
		for _, name := range missing {
			if sc.ev.unsupported[name] {
				return v, d
			}
			sc.ev.unsupported[name] = true
		}
		ctx.Functions = sc.ev.functions()
	}
}

func unknownFunctions(diags hcl.Diagnostics) []string {
	var names []string
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallUnknownDiagExtra](d)
		if !ok {
			continue
		}
		names = append(names, extra.CalledFunctionNamespace()+extra.CalledFunctionName())
	}
	return names
}

// instanceOf finds the scope, resource, key and repetition an absolute address names.
func (ev *Evaluator) instanceOf(address string) (*scope, *Resource, cty.Value, repetition, error) {
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(address), "address", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: invalid address %q: %s", ErrNotFound, address, diags.Error())
	}
	steps := splitSteps(tr)
	sc := ev.root
	for len(steps) >= 2 && steps[0].name == "module" {
		call := sc.mod.ModuleCalls[steps[1].name]
		if call == nil || call.Module == nil {
			return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: %q: no module call %q in %s", ErrNotFound, address, steps[1].name, sc.mod.Dir)
		}
		e, d := sc.expandCall(call)
		if d.HasErrors() {
			return nil, nil, cty.NilVal, repetition{}, diagError(d)
		}
		i := e.find(steps[1].key)
		if i < 0 {
			return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: %q: module instance %s%s is not known", ErrNotFound, address, steps[1].name, keyString(steps[1].key))
		}
		sc = e.scopes[i]
		steps = steps[2:]
	}
	mode := Managed
	if len(steps) > 0 && steps[0].name == "data" {
		mode = Data
		steps = steps[1:]
	}
	if len(steps) != 2 || steps[0].key != cty.NilVal {
		return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: %q is not a resource instance address", ErrNotFound, address)
	}
	r := sc.mod.Resources[resourceKey(mode, steps[0].name, steps[1].name)]
	if r == nil {
		return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: %q is not declared in the configuration", ErrNotFound, address)
	}
	e, d := sc.expandResource(r)
	if d.HasErrors() {
		return nil, nil, cty.NilVal, repetition{}, diagError(d)
	}
	if e.unknown != cty.NilVal {
		return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: the instances of %s are not known", ErrNotFound, r.Address())
	}
	i := e.find(steps[1].key)
	if i < 0 {
		return nil, nil, cty.NilVal, repetition{}, fmt.Errorf("%w: %q: no such instance", ErrNotFound, address)
	}
	return sc, r, e.keys[i], e.reps[i], nil
}

type step struct {
	name string
	key  cty.Value
}

func splitSteps(tr hcl.Traversal) []step {
	var steps []step
	for _, s := range tr {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			steps = append(steps, step{name: s.Name})
		case hcl.TraverseAttr:
			steps = append(steps, step{name: s.Name})
		case hcl.TraverseIndex:
			if len(steps) > 0 {
				steps[len(steps)-1].key = s.Key
			}
		}
	}
	return steps
}

// Attribute returns attribute path[0] of the resource instance at address (e.g.
// `module.etl.aws_glue_job.j["orders"]`), descending into it by the remaining path
// elements (attribute names, map keys or list indexes). path must not be empty.
func (ev *Evaluator) Attribute(address string, path ...string) (val Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error evaluating %s: %v", address, p)
		}
	}()
	if len(path) == 0 {
		return Value{}, fmt.Errorf("%w: no attribute given for %q", ErrNotFound, address)
	}
	sc, r, key, rep, err := ev.instanceOf(address)
	if err != nil {
		return Value{}, err
	}
	v, rng, diags := sc.instanceAttr(r, key, rep, path[0])
	if diags.HasErrors() {
		return Value{}, fmt.Errorf("evaluate %s.%s: %w", address, path[0], diagError(diags))
	}
	for _, p := range path[1:] {
		v, err = descend(v, p)
		if err != nil {
			return Value{}, fmt.Errorf("%w: %s.%s: %w", ErrNotFound, address, strings.Join(path, "."), err)
		}
	}
	return finish(v, rng), nil
}

// ConfigAttribute is the top-level attribute name of the resource instance at address
// as the configuration writes it, evaluated even where the plan knows the attribute
// (Attribute then answers the plan's value), so that Value.Files tells which files it is
// made from. ErrNotFound when the configuration does not set it.
func (ev *Evaluator) ConfigAttribute(address, name string) (val Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error evaluating %s: %v", address, p)
		}
	}()
	sc, r, _, rep, err := ev.instanceOf(address)
	if err != nil {
		return Value{}, err
	}
	v, ok, diags := sc.configValue(r.Body, nestedBlocks[r.Type], rep, name)
	if diags.HasErrors() {
		return Value{}, fmt.Errorf("evaluate %s.%s: %w", address, name, diagError(diags))
	}
	if !ok {
		return Value{}, fmt.Errorf("%w: %s.%s is not set in the configuration", ErrNotFound, address, name)
	}
	return finish(v, r.DeclRange), nil
}

// descend steps into a value by attribute name, map key or list index.
func descend(v cty.Value, p string) (cty.Value, error) {
	plain, _ := v.Unmark()
	ty := plain.Type()
	switch {
	case !plain.IsKnown() || ty == cty.DynamicPseudoType:
		return v, nil
	case plain.IsNull():
		return cty.NilVal, fmt.Errorf("cannot read %q of a null value", p)
	case ty.IsObjectType():
		if !ty.HasAttribute(p) {
			return cty.NilVal, fmt.Errorf("no attribute %q", p)
		}
		return v.GetAttr(p), nil
	case ty.IsMapType():
		k := cty.StringVal(p)
		if plain.HasIndex(k).False() {
			return cty.NilVal, fmt.Errorf("no key %q", p)
		}
		return v.Index(k), nil
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		i, err := strconv.Atoi(p)
		if err != nil || i < 0 || i >= plain.LengthInt() {
			return cty.NilVal, fmt.Errorf("no element %q", p)
		}
		if ty.IsSetType() {
			// Sets have no index; their iteration order is cty's, which is deterministic.
			_, marks := v.Unmark()
			return plain.AsValueSlice()[i].WithMarks(marks), nil
		}
		return v.Index(cty.NumberIntVal(int64(i))), nil
	}
	return cty.NilVal, fmt.Errorf("cannot read %q of a %s", p, ty.FriendlyName())
}

// PolicyDocumentJSON returns the json attribute of a data "aws_iam_policy_document"
// instance (e.g. "data.aws_iam_policy_document.glue"): the plan's value when known, else
// rendered from the configuration exactly as the AWS provider renders it.
func (ev *Evaluator) PolicyDocumentJSON(address string) (Value, error) {
	return ev.Attribute(address, "json")
}

// Instances lists the instance addresses of a resource type across all module instances,
// sorted. A "data." prefix selects data sources.
func (ev *Evaluator) Instances(resourceType string) (out []string) {
	defer func() {
		if p := recover(); p != nil {
			out = nil
		}
	}()
	mode := Managed
	if t, ok := strings.CutPrefix(resourceType, "data."); ok {
		mode, resourceType = Data, t
	}
	var walk func(sc *scope)
	walk = func(sc *scope) {
		for _, k := range slices.Sorted(maps.Keys(sc.mod.Resources)) {
			r := sc.mod.Resources[k]
			if r.Mode != mode || r.Type != resourceType {
				continue
			}
			e, d := sc.expandResource(r)
			if d.HasErrors() || e.unknown != cty.NilVal {
				continue
			}
			for _, key := range e.keys {
				out = append(out, instanceAddress(sc.addr, r.Address(), key))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(sc.mod.ModuleCalls)) {
			call := sc.mod.ModuleCalls[name]
			if call.Module == nil {
				continue
			}
			e, d := sc.expandCall(call)
			if d.HasErrors() || e.unknown != cty.NilVal {
				continue
			}
			for _, child := range e.scopes {
				walk(child)
			}
		}
	}
	walk(ev.root)
	sort.Strings(out)
	return out
}

// Resolve returns the value at attr, a dot path such as "arn" or
// "command.0.script_location", of the resource instance at address, in the shape plan JSON
// gives it (string, float64, bool, []any, map[string]any, nil), and whether it is wholly
// known. It answers false for errors too; use Attribute for provenance and errors.
func (ev *Evaluator) Resolve(address, attr string) (any, bool) {
	v, err := ev.Attribute(address, strings.Split(attr, ".")...)
	if err != nil || !v.Known {
		return nil, false
	}
	src, err := ctyjson.Marshal(v.Val, v.Val.Type())
	if err != nil {
		return nil, false
	}
	var out any
	if err := json.Unmarshal(src, &out); err != nil {
		return nil, false
	}
	return out, true
}
