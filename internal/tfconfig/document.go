package tfconfig

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

// policyDocument renders a data "aws_iam_policy_document" from its configuration with the
// provider's own rules (internal/policydoc), so the string equals what the plan would hold.
func (d *deriveCtx) policyDocument(minified bool) cty.Value {
	args, diags := d.sc.documentArgs(d.r, d.rep)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	plain, marks := args.UnmarkDeep()
	if !plain.IsWhollyKnown() {
		return unknown("%s.%s: its arguments depend on values known only after apply", d.addr, d.name).WithMarks(marks)
	}
	doc, err := documentFromValue(plain)
	if err == nil {
		var pretty, mini string
		pretty, mini, err = policydoc.Render(doc)
		if err == nil {
			out := pretty
			if minified {
				out = mini
			}
			return cty.StringVal(out).WithMarks(marks).Mark(derivedMark(d.note("rendered from its configuration as the AWS provider renders it")))
		}
	}
	d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid aws_iam_policy_document",
		Detail: fmt.Sprintf("%s: %v", d.addr, err), Subject: d.r.DeclRange.Ptr()})
	return cty.DynamicVal
}

// documentArgs evaluates every argument and block of the data source into one object.
func (sc *scope) documentArgs(r *Resource, rep repetition) (cty.Value, hcl.Diagnostics) {
	if body, ok := r.Body.(*hclsyntax.Body); ok {
		plain := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: nil, SrcRange: body.SrcRange, EndRange: body.EndRange}
		for name, a := range body.Attributes {
			if !metaArguments[name] {
				plain.Attributes[name] = a
			}
		}
		for _, b := range body.Blocks {
			if !metaArguments[b.Type] {
				plain.Blocks = append(plain.Blocks, b)
			}
		}
		return sc.bodyObject(plain, rep, nil)
	}
	attrs, _, diags := bodyItems(r.Body)
	if len(jsonDynamicTypes(r.Body)) > 0 {
		return unknown("%s uses dynamic blocks in JSON syntax, which are not expanded (%s)", r.Address(), rangeString(r.DeclRange)), diags
	}
	obj := map[string]cty.Value{}
	for name, a := range attrs {
		v, d := sc.eval(a.Expr, rep, nil)
		diags = append(diags, d...)
		obj[name] = v
	}
	return cty.ObjectVal(obj), diags
}

// documentFromValue reads the evaluated arguments into policydoc's model. Blocks are lists
// of objects; JSON syntax may write a single block as an object.
func documentFromValue(v cty.Value) (policydoc.Document, error) {
	var doc policydoc.Document
	var err error
	get := getAttr
	if doc.Version, err = optString(get(v, "version"), "version"); err != nil {
		return doc, err
	}
	if doc.PolicyID, err = optString(get(v, "policy_id"), "policy_id"); err != nil {
		return doc, err
	}
	if doc.SourcePolicyDocuments, err = stringList(get(v, "source_policy_documents"), "source_policy_documents"); err != nil {
		return doc, err
	}
	if doc.OverridePolicyDocuments, err = stringList(get(v, "override_policy_documents"), "override_policy_documents"); err != nil {
		return doc, err
	}
	for i, st := range blockList(get(v, "statement")) {
		where := fmt.Sprintf("statement[%d]", i)
		var s policydoc.Statement
		fields := []struct {
			name string
			dst  *[]string
		}{
			{"actions", &s.Actions}, {"not_actions", &s.NotActions},
			{"resources", &s.Resources}, {"not_resources", &s.NotResources},
		}
		for _, f := range fields {
			if *f.dst, err = stringList(get(st, f.name), where+"."+f.name); err != nil {
				return doc, err
			}
		}
		if s.Sid, err = optString(get(st, "sid"), where+".sid"); err != nil {
			return doc, err
		}
		if s.Effect, err = optString(get(st, "effect"), where+".effect"); err != nil {
			return doc, err
		}
		if s.Principals, err = principals(blockList(get(st, "principals")), where+".principals"); err != nil {
			return doc, err
		}
		if s.NotPrincipals, err = principals(blockList(get(st, "not_principals")), where+".not_principals"); err != nil {
			return doc, err
		}
		for j, c := range blockList(get(st, "condition")) {
			cw := fmt.Sprintf("%s.condition[%d]", where, j)
			var cond policydoc.Condition
			if cond.Test, err = optString(get(c, "test"), cw+".test"); err != nil {
				return doc, err
			}
			if cond.Variable, err = optString(get(c, "variable"), cw+".variable"); err != nil {
				return doc, err
			}
			if cond.Values, err = stringList(get(c, "values"), cw+".values"); err != nil {
				return doc, err
			}
			s.Conditions = append(s.Conditions, cond)
		}
		doc.Statements = append(doc.Statements, s)
	}
	return doc, nil
}

func principals(blocks []cty.Value, where string) ([]policydoc.Principal, error) {
	var out []policydoc.Principal
	for i, b := range blocks {
		w := fmt.Sprintf("%s[%d]", where, i)
		if !b.Type().IsObjectType() || !b.Type().HasAttribute("type") || !b.Type().HasAttribute("identifiers") {
			return nil, fmt.Errorf("%s: type and identifiers are required", w)
		}
		typ, err := optString(b.GetAttr("type"), w+".type")
		if err != nil {
			return nil, err
		}
		ids, err := stringList(b.GetAttr("identifiers"), w+".identifiers")
		if err != nil {
			return nil, err
		}
		out = append(out, policydoc.Principal{Type: typ, Identifiers: ids})
	}
	return out, nil
}

// blockList returns the objects of a nested block value.
func blockList(v cty.Value) []cty.Value {
	if v.IsNull() {
		return nil
	}
	if v.Type().IsObjectType() {
		return []cty.Value{v}
	}
	if !v.CanIterateElements() {
		return nil
	}
	var out []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !e.IsNull() {
			out = append(out, e)
		}
	}
	return out
}

func optString(v cty.Value, where string) (string, error) {
	if v.IsNull() {
		return "", nil
	}
	s, err := toString(v)
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	return s, nil
}

func stringList(v cty.Value, where string) ([]string, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		return nil, fmt.Errorf("%s: a list of strings is required, got %s", where, v.Type().FriendlyName())
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, err := toString(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// toString converts as Terraform converts a primitive given to a string argument.
func toString(v cty.Value) (string, error) {
	if v.IsNull() {
		return "", fmt.Errorf("null is not allowed here")
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", fmt.Errorf("a string is required: %w", err)
	}
	return s.AsString(), nil
}
