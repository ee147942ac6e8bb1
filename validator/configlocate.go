package validator

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/tfconfig"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// The locating below reads the loaded configuration's syntax trees only, never
// the evaluator, so it is safe on the goroutines that check jobs.

var (
	provenanceType = reflect.TypeFor[access.Provenance]()
	policyDocType  = reflect.TypeFor[access.PolicyDoc]()
)

// walkProvenance calls visit for every Provenance in the facts.
func walkProvenance(f *access.Facts, visit func(access.Provenance)) {
	walkFacts(reflect.ValueOf(f), func(v reflect.Value) {
		if v.Type() == provenanceType {
			visit(v.Interface().(access.Provenance))
		}
	})
}

// policyDocs returns every policy document in the facts by its label.
func policyDocs(f *access.Facts) map[string]*access.PolicyDoc {
	out := map[string]*access.PolicyDoc{}
	walkFacts(reflect.ValueOf(f), func(v reflect.Value) {
		if v.Type() != policyDocType {
			return
		}
		d := v.Interface().(access.PolicyDoc)
		label := d.Label
		if label == "" {
			label = d.From.String()
		}
		if _, dup := out[label]; !dup {
			out[label] = &d
		}
	})
	return out
}

// walkFacts visits v and every value reachable from it. Facts are a tree
// (shared parts are shared between jobs, never cyclic); seen guards anyway.
func walkFacts(v reflect.Value, visit func(reflect.Value)) {
	seen := map[uintptr]bool{}
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Struct:
			visit(v)
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		}
	}
	walk(v)
}

// block returns the module and the resource block an instance address names.
func (c *configEval) block(address string) (*tfconfig.Module, *tfconfig.Resource) {
	mod := c.cfg.Root
	parts := planjson.SplitRef(address)
	for len(parts) >= 2 && parts[0] == "module" {
		call := mod.ModuleCalls[planjson.TrimKey(parts[1])]
		if call == nil || call.Module == nil {
			return nil, nil
		}
		mod, parts = call.Module, parts[2:]
	}
	local := make([]string, len(parts))
	for i, p := range parts {
		local[i] = planjson.TrimKey(p)
	}
	want := strings.Join(local, ".")
	for _, r := range mod.Resources {
		if r.Address() == want {
			return mod, r
		}
	}
	return nil, nil
}

// resourceLocation is where the block of the instance at address starts.
func (c *configEval) resourceLocation(address string) *report.Location {
	if _, r := c.block(address); r != nil {
		return locationOf(r.DeclRange)
	}
	return nil
}

// attributeExpr returns the expression of an attribute at a dot path of a
// resource block ("policy", "inline_policy.0.policy"), and the range to show
// when the path cannot be followed (the block's, or the nearest attribute's).
func attributeExpr(r *tfconfig.Resource, path string) (hclsyntax.Expression, hcl.Range) {
	body, ok := r.Body.(*hclsyntax.Body)
	if !ok {
		return nil, r.DeclRange
	}
	segs := strings.Split(path, ".")
	for len(segs) >= 3 {
		var blocks []*hclsyntax.Block
		for _, b := range body.Blocks {
			if b.Type == segs[0] {
				blocks = append(blocks, b)
			}
		}
		i, err := strconv.Atoi(segs[1])
		if err != nil || i < 0 || i >= len(blocks) {
			return nil, r.DeclRange
		}
		body, segs = blocks[i].Body, segs[2:]
	}
	if a := body.Attributes[segs[0]]; a != nil {
		return a.Expr, a.SrcRange
	}
	return nil, r.DeclRange
}

// statementLocation locates statement index (or the statement with sid) of
// the policy document doc: a statement of jsonencode({Statement = [...]}), a
// statement block of the data "aws_iam_policy_document" the policy
// references, else the policy attribute. Index -1 (no statement allows)
// locates the policy attribute.
func (c *configEval) statementLocation(doc *access.PolicyDoc, index int, sid string) *report.Location {
	mod, r := c.block(doc.From.Address)
	if r == nil {
		return nil
	}
	if r.Mode == tfconfig.Data && r.Type == "aws_iam_policy_document" {
		return locationOf(documentStatement(r, index, sid))
	}
	expr, rng := attributeExpr(r, doc.From.Attribute)
	if expr == nil || index < 0 {
		return locationOf(rng)
	}
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		expr = w.Wrapped
	}
	switch e := expr.(type) {
	case *hclsyntax.FunctionCallExpr:
		if e.Name == "jsonencode" && len(e.Args) == 1 {
			if st := encodedStatement(e.Args[0], index, sid); st != nil {
				return locationOf(*st)
			}
		}
	case *hclsyntax.ScopeTraversalExpr:
		t := e.Traversal
		if len(t) >= 3 && t.RootName() == "data" {
			typ, tok := t[1].(hcl.TraverseAttr)
			name, nok := t[2].(hcl.TraverseAttr)
			if tok && nok && typ.Name == "aws_iam_policy_document" {
				for _, d := range mod.Resources {
					if d.Mode == tfconfig.Data && d.Type == typ.Name && d.Name == name.Name {
						return locationOf(documentStatement(d, index, sid))
					}
				}
			}
		}
	}
	return locationOf(rng)
}

// encodedStatement returns the range of a statement inside the object
// expression given to jsonencode.
func encodedStatement(e hclsyntax.Expression, index int, sid string) *hcl.Range {
	obj, ok := e.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	for _, item := range obj.Items {
		if objectKey(item.KeyExpr) != "Statement" {
			continue
		}
		switch v := item.ValueExpr.(type) {
		case *hclsyntax.TupleConsExpr:
			if sid != "" {
				for _, st := range v.Exprs {
					if o, ok := st.(*hclsyntax.ObjectConsExpr); ok && literalItem(o, "Sid") == sid {
						rng := st.Range()
						return &rng
					}
				}
			}
			if index < len(v.Exprs) {
				rng := v.Exprs[index].Range()
				return &rng
			}
		case *hclsyntax.ObjectConsExpr:
			if index == 0 {
				rng := v.Range()
				return &rng
			}
		}
	}
	return nil
}

// documentStatement returns the range of a statement block of a data
// "aws_iam_policy_document": the one with the Sid, else the index-th when the
// blocks map one to one onto the rendered statements (no dynamic blocks, no
// merged source or override documents); else the data block.
func documentStatement(r *tfconfig.Resource, index int, sid string) hcl.Range {
	body, ok := r.Body.(*hclsyntax.Body)
	if !ok || index < 0 {
		return r.DeclRange
	}
	var statements []*hclsyntax.Block
	oneToOne := body.Attributes["source_policy_documents"] == nil && body.Attributes["override_policy_documents"] == nil
	for _, b := range body.Blocks {
		switch {
		case b.Type == "statement":
			statements = append(statements, b)
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == "statement":
			oneToOne = false
		}
	}
	if sid != "" {
		for _, b := range statements {
			if a := b.Body.Attributes["sid"]; a != nil && literalString(a.Expr) == sid {
				return b.DefRange()
			}
		}
	}
	if oneToOne && index < len(statements) {
		return statements[index].DefRange()
	}
	return r.DeclRange
}

// objectKey returns the literal name of an object constructor key.
func objectKey(e hclsyntax.Expression) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
			return name
		}
		return literalString(k.Wrapped)
	}
	return literalString(e)
}

// literalItem returns the literal string value of an object item.
func literalItem(o *hclsyntax.ObjectConsExpr, key string) string {
	for _, item := range o.Items {
		if objectKey(item.KeyExpr) == key {
			return literalString(item.ValueExpr)
		}
	}
	return ""
}

// literalString returns the value of a string expression without references, "" otherwise.
func literalString(e hclsyntax.Expression) string {
	if len(e.Variables()) > 0 {
		return ""
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// locate adds what the configuration tells about a decided job: where the job
// and each deciding policy statement are, and which derived values the job's
// facts and each finding's deciding policy rest on.
func (c *configEval) locate(j *report.Job, f *access.Facts) {
	j.Location = c.resourceLocation(j.Address)
	for _, n := range derivedNotes(f) {
		j.Assumptions = append(j.Assumptions, report.Assumption{Code: "derived-value", Text: n})
	}
	for _, n := range c.withheldNotes(f) {
		j.Assumptions = append(j.Assumptions, report.Assumption{Code: "withheld-value", Text: n})
	}
	var docs map[string]*access.PolicyDoc
	for i := range j.Findings {
		d := j.Findings[i].DecidedBy
		if d == nil {
			continue
		}
		if docs == nil {
			docs = policyDocs(f)
		}
		doc := docs[d.Policy]
		if doc == nil {
			// A layer with no statement that allows is labelled by its
			// resource (the role of an identity policy).
			d.Location = c.resourceLocation(d.Policy)
			continue
		}
		d.Location = c.statementLocation(doc, d.Index, d.Sid)
		if doc.From.File != "" && doc.From.Note != "" {
			j.Findings[i].Evidence = strings.Split(doc.From.Note, "; ")
		}
	}
}
