package tfconfig

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Override files (override.tf, *_override.tf and their .tf.json forms) change blocks of
// the module's other files, as the Terraform documentation describes
// (https://developer.hashicorp.com/terraform/language/files/override): each top-level
// block of an override file must match a block already defined (same type and labels; for
// a provider, the same alias); each of its arguments replaces the original argument; each
// of its nested block types replaces every original block of that type (a dynamic block
// counts as the type it generates); a lifecycle block is merged argument by argument. In
// locals blocks, each value replaces the value of the same name. Override files apply in
// the lexical order of their names, after every other file.

// applyOverrides merges the blocks of one override file into blocks.
func applyOverrides(blocks, overrides []*hcl.Block) ([]*hcl.Block, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	for _, o := range overrides {
		switch o.Type {
		case "terraform":
			// Settings this evaluator does not read (backend, required providers).
			continue
		case "locals":
			diags = append(diags, overrideLocals(blocks, o)...)
			continue
		}
		i := slices.IndexFunc(blocks, func(b *hcl.Block) bool { return sameBlock(b, o) })
		if i < 0 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing base block to override",
				Detail:  fmt.Sprintf("there is no %s block %s to override", o.Type, strings.Join(o.Labels, ".")),
				Subject: o.DefRange.Ptr()})
			continue
		}
		merged, d := mergeBlock(blocks[i], o)
		diags = append(diags, d...)
		if merged != nil {
			blocks[i] = merged
		}
	}
	return blocks, diags
}

func sameBlock(a, b *hcl.Block) bool {
	if a.Type != b.Type || !slices.Equal(a.Labels, b.Labels) {
		return false
	}
	if a.Type == "provider" {
		return providerAlias(a) == providerAlias(b)
	}
	return true
}

func providerAlias(b *hcl.Block) string {
	c, _, _ := b.Body.PartialContent(providerSchema)
	if a := c.Attributes["alias"]; a != nil {
		s, _ := stringLiteral(a.Expr)
		return s
	}
	return ""
}

// overrideLocals replaces, in whichever locals block defines it, each local the override
// block sets.
func overrideLocals(blocks []*hcl.Block, o *hcl.Block) hcl.Diagnostics {
	ob, ok := o.Body.(*hclsyntax.Body)
	if !ok {
		return jsonOverride(o)
	}
	for _, name := range slices.Sorted(maps.Keys(ob.Attributes)) {
		found := false
		for i, b := range blocks {
			bb, ok := b.Body.(*hclsyntax.Body)
			if b.Type != "locals" || !ok || bb.Attributes[name] == nil {
				continue
			}
			merged := *bb
			merged.Attributes = hclsyntax.Attributes{}
			for k, v := range bb.Attributes {
				merged.Attributes[k] = v
			}
			merged.Attributes[name] = ob.Attributes[name]
			nb := *b
			nb.Body = &merged
			blocks[i] = &nb
			found = true
			break
		}
		if !found {
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Missing base local value to override",
				Detail: fmt.Sprintf("there is no local value %q to override", name), Subject: ob.Attributes[name].NameRange.Ptr()}}
		}
	}
	return nil
}

func jsonOverride(o *hcl.Block) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Override in JSON syntax not supported",
		Detail:  "this evaluator merges override files only when both the override and the original block are in native syntax",
		Subject: o.DefRange.Ptr()}}
}

// mergeBlock returns base with the arguments and nested blocks of o.
func mergeBlock(base, o *hcl.Block) (*hcl.Block, hcl.Diagnostics) {
	bb, ok1 := base.Body.(*hclsyntax.Body)
	ob, ok2 := o.Body.(*hclsyntax.Body)
	if !ok1 || !ok2 {
		return nil, jsonOverride(o)
	}
	if (base.Type == "resource" || base.Type == "data") && ob.Attributes["depends_on"] != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported override",
			Detail: "the depends_on argument may not be overridden", Subject: ob.Attributes["depends_on"].SrcRange.Ptr()}}
	}
	merged := mergeBody(bb, ob, base.Type == "resource" || base.Type == "data")
	nb := *base
	nb.Body = merged
	return &nb, nil
}

func mergeBody(bb, ob *hclsyntax.Body, mergeLifecycle bool) *hclsyntax.Body {
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: bb.SrcRange, EndRange: bb.EndRange}
	for k, v := range bb.Attributes {
		merged.Attributes[k] = v
	}
	for k, v := range ob.Attributes {
		merged.Attributes[k] = v
	}
	generated := func(b *hclsyntax.Block) string {
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			return b.Labels[0]
		}
		return b.Type
	}
	replaced := map[string]bool{}
	for _, b := range ob.Blocks {
		replaced[generated(b)] = true
	}
	var baseLifecycle *hclsyntax.Block
	for _, b := range bb.Blocks {
		if mergeLifecycle && b.Type == "lifecycle" {
			baseLifecycle = b
		}
		if !replaced[generated(b)] {
			merged.Blocks = append(merged.Blocks, b)
		}
	}
	for _, b := range ob.Blocks {
		if b.Type == "lifecycle" && baseLifecycle != nil {
			nb := *b
			nb.Body = mergeBody(baseLifecycle.Body, b.Body, false)
			b = &nb
		}
		merged.Blocks = append(merged.Blocks, b)
	}
	return merged
}
