package tfconfig

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// refSet records which attributes of a resource or module call an expression uses.
type refSet struct {
	all   bool
	names map[string]bool
	rng   hcl.Range
}

func (r *refSet) add(name string) {
	if name == "" {
		r.all = true
		return
	}
	r.names[name] = true
}

func attrStep(t hcl.Traversal, i int) string {
	if i >= len(t) {
		return ""
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// attrAfter returns the attribute named after position i, skipping one index step.
func attrAfter(t hcl.Traversal, i int) string {
	if i < len(t) {
		if _, ok := t[i].(hcl.TraverseIndex); ok {
			i++
		}
	}
	return attrStep(t, i)
}

// context builds the evaluation context holding exactly what the traversals reference.
// References are resolved in sorted order so that diagnostics, cycle reports included, are
// the same on every run. path.cwd is the root module directory, where terraform runs.
func (sc *scope) context(travs []hcl.Traversal, rep repetition, extra map[string]cty.Value) (*hcl.EvalContext, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	vars := map[string]cty.Value{}
	varNames := map[string]hcl.Range{}
	localNames := map[string]hcl.Range{}
	resources := map[string]*refSet{}
	modules := map[string]*refSet{}
	ref := func(m map[string]*refSet, key string, rng hcl.Range) *refSet {
		if m[key] == nil {
			m[key] = &refSet{names: map[string]bool{}, rng: rng}
		}
		return m[key]
	}
	for _, t := range travs {
		root := t.RootName()
		if _, ok := extra[root]; ok {
			continue
		}
		rng := t.SourceRange()
		switch root {
		case "var", "local":
			name := attrStep(t, 1)
			if name == "" {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
					Detail: fmt.Sprintf("%s must be followed by an attribute name", root), Subject: rng.Ptr()})
				continue
			}
			if root == "var" {
				varNames[name] = rng
			} else {
				localNames[name] = rng
			}
		case "count":
			if rep.countIndex == cty.NilVal {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: `Reference to "count" in non-counted context`,
					Detail: "count.index is only valid in blocks that set count", Subject: rng.Ptr()})
				continue
			}
			vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": rep.countIndex})
		case "each":
			if rep.eachKey == cty.NilVal {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: `Reference to "each" in context without for_each`,
					Detail: "each.key and each.value are only valid in blocks that set for_each", Subject: rng.Ptr()})
				continue
			}
			vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": rep.eachKey, "value": rep.eachValue})
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(sc.mod.Dir), "root": cty.StringVal("."), "cwd": cty.StringVal(sc.ev.cwd),
			})
		case "terraform":
			ws := cty.StringVal(sc.ev.opts.Workspace)
			if sc.ev.opts.Workspace == "" {
				ws = cty.StringVal("default").Mark(derivedMark(`terraform.workspace taken as "default": the plan does not record it`))
			}
			// terraform.applying is false while planning (Terraform 1.10 and later).
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": ws, "applying": cty.False})
		case "module":
			name := attrStep(t, 1)
			if name == "" {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
					Detail: "module must be followed by a module call name", Subject: rng.Ptr()})
				continue
			}
			ref(modules, name, rng).add(attrAfter(t, 2))
		case "data":
			typ, name := attrStep(t, 1), attrStep(t, 2)
			if typ == "" || name == "" {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
					Detail: "data must be followed by a data source type and name", Subject: rng.Ptr()})
				continue
			}
			ref(resources, resourceKey(Data, typ, name), rng).add(attrAfter(t, 3))
		case "ephemeral":
			// Ephemeral resources (Terraform 1.10 and later) exist only while Terraform runs;
			// the plan records no value for them.
			vars["ephemeral"] = unknown("ephemeral resources have no value in the plan (%s)", rangeString(rng))
		case "self":
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
				Detail: "self is only valid in provisioner and connection blocks", Subject: rng.Ptr()})
		default:
			name := attrStep(t, 1)
			if name == "" {
				// Left out on purpose: hcl reports the unknown name with its position.
				continue
			}
			if sc.mod.Resources[resourceKey(Managed, root, name)] == nil {
				// As in Terraform, any other root is a resource type.
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared resource",
					Detail: fmt.Sprintf("resource %s.%s is not declared in module %s", root, name, sc.mod.Dir), Subject: rng.Ptr()})
				continue
			}
			ref(resources, resourceKey(Managed, root, name), rng).add(attrAfter(t, 2))
		}
	}
	if len(varNames) > 0 {
		obj := map[string]cty.Value{}
		for _, name := range slices.Sorted(maps.Keys(varNames)) {
			v, d := sc.variable(name, varNames[name])
			diags = append(diags, d...)
			obj[name] = v
		}
		vars["var"] = cty.ObjectVal(obj)
	}
	if len(localNames) > 0 {
		obj := map[string]cty.Value{}
		for _, name := range slices.Sorted(maps.Keys(localNames)) {
			v, d := sc.local(name, localNames[name])
			diags = append(diags, d...)
			obj[name] = v
		}
		vars["local"] = cty.ObjectVal(obj)
	}
	if len(modules) > 0 {
		obj := map[string]cty.Value{}
		for _, name := range slices.Sorted(maps.Keys(modules)) {
			v, d := sc.moduleValue(name, modules[name])
			diags = append(diags, d...)
			obj[name] = v
		}
		vars["module"] = cty.ObjectVal(obj)
	}
	byType := map[string]map[string]cty.Value{}
	dataByType := map[string]map[string]cty.Value{}
	for _, key := range slices.Sorted(maps.Keys(resources)) {
		r := sc.mod.Resources[key]
		if r == nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared resource",
				Detail: fmt.Sprintf("%s is not declared in module %s", key, sc.mod.Dir), Subject: resources[key].rng.Ptr()})
			continue
		}
		v, d := sc.resourceValue(r, resources[key])
		diags = append(diags, d...)
		target := byType
		if r.Mode == Data {
			target = dataByType
		}
		if target[r.Type] == nil {
			target[r.Type] = map[string]cty.Value{}
		}
		target[r.Type][r.Name] = v
	}
	for typ, objs := range byType {
		vars[typ] = cty.ObjectVal(objs)
	}
	if len(dataByType) > 0 {
		obj := map[string]cty.Value{}
		for typ, objs := range dataByType {
			obj[typ] = cty.ObjectVal(objs)
		}
		vars["data"] = cty.ObjectVal(obj)
	}
	for k, v := range extra {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: sc.ev.functions()}, diags
}

// variable is var.<name> in this module instance.
func (sc *scope) variable(name string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	v := sc.mod.Variables[name]
	if v == nil {
		return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Reference to undeclared input variable",
			Detail: fmt.Sprintf("no variable named %q is declared in module %s", name, sc.mod.Dir), Subject: rng.Ptr()}}
	}
	label := "var." + name
	if sc.addr != "" {
		label = sc.addr + "." + label
	}
	return sc.ev.memoized(label, rng, func() (cty.Value, hcl.Diagnostics) {
		var val cty.Value
		var diags hcl.Diagnostics
		switch {
		case sc.call == nil && sc.ev.plan.variables[name] != cty.NilVal:
			val = sc.ev.plan.variables[name]
		case sc.call != nil && sc.call.Inputs[name] != nil:
			val, diags = sc.parent.eval(sc.call.Inputs[name].Expr, sc.rep, nil)
		case v.Default != nil:
			val, diags = v.Default.Value(nil)
		case sc.call == nil:
			return unknown("variable %q has no value in the plan", name), nil
		default:
			return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing required argument",
				Detail: fmt.Sprintf("module %q does not set its required variable %q", sc.call.Name, name), Subject: sc.call.DeclRange.Ptr()}}
		}
		if diags.HasErrors() {
			return val, diags
		}
		if v.Type != nil {
			ty, defaults, d := typeexpr.TypeConstraintWithDefaults(v.Type)
			if d.HasErrors() {
				return cty.DynamicVal, append(diags, d...)
			}
			// Defaults and conversion work on unmarked values; the marks (provenance,
			// unknown reasons) go back on at the same paths.
			plain, pvm := val.UnmarkDeepWithPaths()
			if defaults != nil {
				plain = defaults.Apply(plain)
			}
			conv, err := convert.Convert(plain, ty)
			if err != nil {
				return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for variable",
					Detail: fmt.Sprintf("variable %q: %v", name, err), Subject: v.DeclRange.Ptr()})
			}
			val = conv.MarkWithPaths(pvm)
		}
		if v.Sensitive {
			val = val.Mark(sensitiveMark{})
		}
		return val, diags
	})
}

// local is local.<name> in this module instance.
func (sc *scope) local(name string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	a := sc.mod.Locals[name]
	if a == nil {
		return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Reference to undeclared local value",
			Detail: fmt.Sprintf("no local value named %q is declared in module %s", name, sc.mod.Dir), Subject: rng.Ptr()}}
	}
	label := "local." + name
	if sc.addr != "" {
		label = sc.addr + "." + label
	}
	return sc.ev.memoized(label, a.Range, func() (cty.Value, hcl.Diagnostics) {
		return sc.eval(a.Expr, repetition{}, nil)
	})
}

// moduleValue is module.<name>: the outputs refs uses, per instance.
func (sc *scope) moduleValue(name string, refs *refSet) (cty.Value, hcl.Diagnostics) {
	call := sc.mod.ModuleCalls[name]
	if call == nil || call.Module == nil {
		return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Reference to undeclared module",
			Detail: fmt.Sprintf("no module call named %q in module %s", name, sc.mod.Dir), Subject: refs.rng.Ptr()}}
	}
	e, diags := sc.expandCall(call)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	if e.unknown != cty.NilVal {
		return e.unknown, nil
	}
	outputs := slices.Sorted(maps.Keys(refs.names))
	if refs.all {
		outputs = slices.Sorted(maps.Keys(call.Module.Outputs))
	}
	objs := make([]cty.Value, len(e.scopes))
	for i, child := range e.scopes {
		obj := map[string]cty.Value{}
		for _, out := range outputs {
			o := child.mod.Outputs[out]
			if o == nil {
				return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported attribute",
					Detail: fmt.Sprintf("module %q has no output named %q", name, out), Subject: refs.rng.Ptr()})
			}
			v, d := sc.ev.memoized(child.addr+".output."+out, o.Value.Range, func() (cty.Value, hcl.Diagnostics) {
				v, d := child.eval(o.Value.Expr, repetition{}, nil)
				if o.Sensitive {
					v = v.Mark(sensitiveMark{})
				}
				return v, d
			})
			diags = append(diags, d...)
			obj[out] = v
		}
		objs[i] = cty.ObjectVal(obj)
	}
	return collect(e, objs), diags
}
