package tfconfig

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// resourceValue is the value of a resource reference: the attributes refs uses, per instance.
func (sc *scope) resourceValue(r *Resource, refs *refSet) (cty.Value, hcl.Diagnostics) {
	e, diags := sc.expandResource(r)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	if e.unknown != cty.NilVal {
		return e.unknown, nil
	}
	objs := make([]cty.Value, len(e.keys))
	for i, key := range e.keys {
		addr := instanceAddress(sc.addr, r.Address(), key)
		available := sc.attributeNames(r, key)
		names := slices.Sorted(maps.Keys(refs.names))
		if refs.all {
			names = available
		}
		_, inPlan := sc.ev.plan.instances[addr]
		obj := map[string]cty.Value{}
		for _, name := range names {
			if inPlan && !slices.Contains(available, name) {
				// Reported here rather than in instanceAttr so the position is the reference's.
				return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported attribute",
					Detail: fmt.Sprintf("%s has no attribute %q", addr, name), Subject: refs.rng.Ptr()})
			}
			v, _, d := sc.instanceAttr(r, key, e.reps[i], name)
			diags = append(diags, d...)
			obj[name] = v
		}
		objs[i] = cty.ObjectVal(obj)
	}
	return collect(e, objs), diags
}

// attributeNames lists every attribute an instance has: from the plan, the configuration
// and the values this package derives.
func (sc *scope) attributeNames(r *Resource, key cty.Value) []string {
	names := map[string]bool{}
	if pv, ok := sc.ev.plan.instances[instanceAddress(sc.addr, r.Address(), key)]; ok && pv.Type().IsObjectType() {
		for n := range pv.Type().AttributeTypes() {
			names[n] = true
		}
	}
	attrs, blocks, _ := bodyItems(r.Body)
	for n := range attrs {
		names[n] = true
	}
	for _, b := range blocks {
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			names[b.Labels[0]] = true
		} else {
			names[b.Type] = true
		}
	}
	for _, n := range derivableNames(r) {
		names[n] = true
	}
	return slices.Sorted(maps.Keys(names))
}

// instanceAttr is one attribute of one resource instance: the plan's value when it is
// wholly known, else the configured expression, else a derived value, else whatever the
// plan has (with its unknown marks). The range is where the attribute is configured.
func (sc *scope) instanceAttr(r *Resource, key cty.Value, rep repetition, name string) (cty.Value, hcl.Range, hcl.Diagnostics) {
	addr := instanceAddress(sc.addr, r.Address(), key)
	rng := r.DeclRange
	attrs, blocks, _ := bodyItems(r.Body)
	if a := attrs[name]; a != nil {
		rng = a.Range
	} else {
		for _, b := range blocks {
			if b.Type == name || (b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == name) {
				rng = b.Range()
				break
			}
		}
	}
	v, diags := sc.ev.memoized(addr+"."+name, rng, func() (cty.Value, hcl.Diagnostics) {
		v, d := sc.attrValue(r, key, rep, addr, name, rng)
		// Unknown parts are named by this reference (see PolicyDocument).
		return withOrigin(v, addr+"."+name), d
	})
	return v, rng, diags
}

// attrValue is instanceAttr's value, before it is memoized.
func (sc *scope) attrValue(r *Resource, key cty.Value, rep repetition, addr, name string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	pv, inPlan := sc.ev.plan.instances[addr]
	var planAttr cty.Value
	if inPlan && pv.Type().IsObjectType() && pv.Type().HasAttribute(name) {
		planAttr = pv.GetAttr(name)
		if planAttr.IsWhollyKnown() {
			return planAttr, nil
		}
	}
	if cv, ok, d := sc.configValue(r.Body, nestedBlocks[r.Type], rep, name); ok {
		if planAttr != cty.NilVal && !d.HasErrors() {
			return overlay(planAttr, cv), d
		}
		return cv, d
	}
	if dv, ok, d := sc.derive(r, key, rep, name); ok {
		return dv, d
	}
	if planAttr != cty.NilVal {
		return planAttr, nil
	}
	if inPlan {
		// The plan lists every attribute of the resource's schema.
		return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported attribute",
			Detail: fmt.Sprintf("%s has no attribute %q", addr, name), Subject: rng.Ptr()}}
	}
	return unknown("%s.%s is neither in the plan nor configured", addr, name), nil
}

// overlay combines a partly unknown plan value with the configured value: the plan's known
// parts win (they include provider defaults the configuration does not state), the
// configuration fills in what the plan leaves unknown.
func overlay(plan, config cty.Value) cty.Value {
	p, pm := plan.Unmark()
	c, cm := config.Unmark()
	switch {
	case p.IsWhollyKnown():
		return plan
	case !p.IsKnown():
		return config
	case !c.IsKnown():
		// Keep the plan's known parts; the configuration knows why the rest is unknown.
		return plan.WithMarks(cm)
	case p.IsNull() || c.IsNull():
		return config
	}
	pt, ct := p.Type(), c.Type()
	switch {
	case (pt.IsObjectType() || pt.IsMapType()) && (ct.IsObjectType() || ct.IsMapType()):
		out := map[string]cty.Value{}
		for k, v := range c.AsValueMap() {
			out[k] = v
		}
		for k, v := range p.AsValueMap() {
			if cv, ok := out[k]; ok {
				out[k] = overlay(v, cv)
			} else {
				out[k] = v
			}
		}
		return cty.ObjectVal(out).WithMarks(pm, cm)
	case (pt.IsTupleType() || pt.IsListType()) && (ct.IsTupleType() || ct.IsListType()) && p.LengthInt() == c.LengthInt():
		ps, cs := p.AsValueSlice(), c.AsValueSlice()
		out := make([]cty.Value, len(ps))
		for i := range ps {
			out[i] = overlay(ps[i], cs[i])
		}
		return cty.TupleVal(out).WithMarks(pm, cm)
	}
	return config
}

// configValue evaluates an attribute or nested block type as configured in a body.
// jsonBlocks names the nested block types of the body, which JSON syntax writes as objects.
func (sc *scope) configValue(body hcl.Body, jsonBlocks map[string]bool, rep repetition, name string) (cty.Value, bool, hcl.Diagnostics) {
	attrs, blocks, diags := bodyItems(body)
	if diags.HasErrors() {
		return cty.DynamicVal, true, diags
	}
	if jsonDynamicTypes(body)[name] {
		return unknown("dynamic %q blocks in JSON syntax are not expanded (%s)", name, rangeString(body.MissingItemRange())), true, nil
	}
	if a := attrs[name]; a != nil {
		v, d := sc.eval(a.Expr, rep, nil)
		if _, native := body.(*hclsyntax.Body); !native && jsonBlocks[name] {
			// JSON syntax writes a single block as an object; the plan shape is a list.
			if plain, _ := v.Unmark(); plain.IsKnown() && !plain.IsNull() && plain.Type().IsObjectType() {
				v = cty.TupleVal([]cty.Value{v})
			}
		}
		return v, true, d
	}
	var matching []*hclsyntax.Block
	for _, b := range blocks {
		if b.Type == name || (b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == name) {
			matching = append(matching, b)
		}
	}
	if len(matching) == 0 {
		return cty.NilVal, false, nil
	}
	v, d := sc.blocksValue(matching, rep, nil)
	return v, true, d
}

// nestedBlocks names, per resource type, the nested block types this package reads, so
// that JSON-syntax configuration gets the same list-of-objects shape as native syntax.
var nestedBlocks = map[string]map[string]bool{
	"aws_glue_job":                     {"command": true, "execution_property": true, "notification_property": true},
	"aws_iam_role":                     {"inline_policy": true},
	"aws_iam_policy_document":          {"statement": true},
	"aws_glue_connection":              {"physical_connection_requirements": true},
	"aws_s3_bucket_acl":                {"access_control_policy": true},
	"aws_vpc_endpoint":                 {"dns_options": true},
	"aws_s3_bucket_versioning":         {"versioning_configuration": true},
	"aws_kms_grant":                    {"constraints": true},
	"aws_s3_bucket_ownership_controls": {"rule": true},
	"aws_s3_bucket_server_side_encryption_configuration": {"rule": true},
	"aws_glue_security_configuration":                    {"encryption_configuration": true},
}

// blocksValue evaluates blocks of one type, expanding dynamic blocks in place, into a
// tuple of objects (the plan's shape for nested blocks).
func (sc *scope) blocksValue(blocks []*hclsyntax.Block, rep repetition, extra map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var objs []cty.Value
	for _, b := range blocks {
		if b.Type != "dynamic" {
			obj, d := sc.bodyObject(b.Body, rep, extra)
			diags = append(diags, d...)
			objs = append(objs, obj)
			continue
		}
		expanded, d := sc.dynamicBlock(b, rep, extra)
		diags = append(diags, d...)
		if d.HasErrors() {
			return cty.DynamicVal, diags
		}
		if expanded == nil {
			return unknown("dynamic %q block at %s: for_each depends on values known only after apply", b.Labels[0], rangeString(b.DefRange())), diags
		}
		objs = append(objs, expanded...)
	}
	return cty.TupleVal(objs), diags
}

func (sc *scope) dynamicBlock(b *hclsyntax.Block, rep repetition, extra map[string]cty.Value) ([]cty.Value, hcl.Diagnostics) {
	fe := b.Body.Attributes["for_each"]
	if fe == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing for_each in dynamic block",
			Detail: fmt.Sprintf("dynamic %q requires for_each", b.Labels[0]), Subject: b.DefRange().Ptr()}}
	}
	iter := b.Labels[0]
	if it := b.Body.Attributes["iterator"]; it != nil {
		name := hcl.ExprAsKeyword(it.Expr)
		if name == "" {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid dynamic iterator name",
				Detail: "iterator must be a single identifier", Subject: it.Expr.Range().Ptr()}}
		}
		iter = name
	}
	var content *hclsyntax.Block
	for _, cb := range b.Body.Blocks {
		if cb.Type == "content" {
			content = cb
		}
	}
	if content == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing content block",
			Detail: fmt.Sprintf("dynamic %q requires a content block", b.Labels[0]), Subject: b.DefRange().Ptr()}}
	}
	coll, diags := sc.eval(fe.Expr, rep, extra)
	if diags.HasErrors() {
		return nil, diags
	}
	plain, marks := coll.Unmark()
	// Terraform expands a dynamic block when its collection's elements are
	// known in number and keys, whatever their values: a map of buckets one
	// of whose ARNs is known only after apply gives a block per bucket, with
	// that block's values unknown. A set with an unknown element is not
	// known in number (the element may equal another).
	if !plain.IsKnown() || plain.Type().IsSetType() && !plain.IsWhollyKnown() {
		return nil, diags
	}
	if plain.IsNull() || !plain.CanIterateElements() {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic for_each value",
			Detail: fmt.Sprintf("cannot use a %s value in for_each", plain.Type().FriendlyName()), Subject: fe.Expr.Range().Ptr()})
	}
	// Nested dynamic blocks multiply; each expansion counts against the budget.
	if r := sc.ev.budget.spend(fmt.Sprintf("dynamic %q at %s", b.Labels[0], rangeString(b.DefRange())), int64(plain.LengthInt()), 0); r != "" {
		return []cty.Value{refused(cty.DynamicPseudoType, r)}, diags
	}
	out := []cty.Value{}
	for it := plain.ElementIterator(); it.Next(); {
		k, v := it.Element()
		inner := map[string]cty.Value{}
		for name, val := range extra {
			inner[name] = val
		}
		inner[iter] = cty.ObjectVal(map[string]cty.Value{"key": k.WithMarks(marks), "value": v.WithMarks(marks)})
		obj, d := sc.bodyObject(content.Body, rep, inner)
		diags = append(diags, d...)
		b := sc.ev.budget
		elements, bytes := size(obj, b.lim.MaxTotalElements, b.lim.MaxTotalBytes)
		if r := b.spend(fmt.Sprintf("dynamic %q at %s", iter, rangeString(fe.Range())), elements, bytes); r != "" {
			return []cty.Value{refused(cty.DynamicPseudoType, r)}, diags
		}
		out = append(out, obj)
	}
	return out, diags
}

// bodyObject evaluates a block body into an object of its attributes and nested blocks.
func (sc *scope) bodyObject(body *hclsyntax.Body, rep repetition, extra map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	obj := map[string]cty.Value{}
	for _, name := range slices.Sorted(maps.Keys(body.Attributes)) {
		v, d := sc.eval(body.Attributes[name].Expr, rep, extra)
		diags = append(diags, d...)
		obj[name] = v
	}
	groups := map[string][]*hclsyntax.Block{}
	for _, b := range body.Blocks {
		typ := b.Type
		if typ == "dynamic" && len(b.Labels) == 1 {
			typ = b.Labels[0]
		}
		groups[typ] = append(groups[typ], b)
	}
	for _, typ := range slices.Sorted(maps.Keys(groups)) {
		v, d := sc.blocksValue(groups[typ], rep, extra)
		diags = append(diags, d...)
		obj[typ] = v
	}
	return cty.ObjectVal(obj), diags
}
