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
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

// Policy documents with unknown leaves.
//
// A policy built with jsonencode or data "aws_iam_policy_document" is, at
// plan time, often known but for a few strings: an ARN of a bucket read at
// apply in one Resource element, a VPC endpoint id in one condition value.
// Terraform then shows the whole document as "(known after apply)". The IAM
// engine can decide with such a document when each unknown string is marked
// as an unknown leaf that stands for every string it could be (see
// internal/iam, UnknownLeaf), so PolicyDocument renders the document with
// those leaves marked instead of giving up on all of it.
//
// A leaf may stand only where a string of the policy grammar stands and its
// value cannot change the document's shape: an element of Action, NotAction,
// Resource or NotResource, a value of a Principal or NotPrincipal entry, a
// condition value, and (in aws_iam_policy_document) a condition's variable.
// Anything else that is unknown (an Effect, a Sid, a Version, a whole
// Principal or Condition block, a statement, the statement list's length) is
// structural: the whole document stays unknown.
//
// Where an element list itself is unknown (resources = var.arns with
// var.arns known only after apply), its length is not known either; it is
// written as one leaf. That is sound because the engine decides request by
// request, and for one request a list of any length matches or not exactly
// as one string that could be anything (the empty list matches no request, as
// a leaf that names nothing; in NotResource, every request, as a leaf that
// names nothing).

// originMark names the reference an unknown value was read through
// ("data.aws_s3_bucket.raw.arn", "var.bucket"): an unknown leaf of a policy
// is named by it. A resource attribute's reference replaces the names of the
// values it was built from, so a leaf is named as the configuration writes it.
type originMark string

// Document is a policy document whose text is known but for unknown leaves.
type Document struct {
	// JSON is the document as the configuration renders it, with each unknown
	// leaf written as the caller's leaf(id).
	JSON string
	// Leaves are the ids of the unknown leaves, sorted, once each: the
	// references they are read through, or why they are unknown when no
	// reference names them.
	Leaves []string
	// Range is where the attribute is configured.
	Range hcl.Range
	// Derived lists, sorted, how values the document rests on were derived
	// (as Value.Derived).
	Derived []string
}

// PolicyDocument renders attribute attr (a top-level attribute such as
// "policy") of the resource instance at address as a policy document with its
// unknown leaves marked by leaf(id). ok is false when the value is wholly
// known (use Attribute), sensitive or made from a file (it must not be
// shown), not written in a form this package follows (jsonencode of a value,
// a data "aws_iam_policy_document"'s json or minified_json, through locals),
// or unknown in its structure.
func (ev *Evaluator) PolicyDocument(address, attr string, leaf func(id string) string) (doc Document, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			doc, ok = Document{}, false
		}
	}()
	whole, err := ev.Attribute(address, attr)
	if err != nil || whole.Known || whole.Sensitive {
		return Document{}, false
	}
	sc, r, _, rep, err := ev.instanceOf(address)
	if err != nil {
		return Document{}, false
	}
	attrs, _, _ := bodyItems(r.Body)
	a := attrs[attr]
	if a == nil {
		return Document{}, false
	}
	w := &leafWalk{leaf: leaf, leaves: map[string]bool{}, derived: map[string]bool{}}
	text, ok := sc.documentText(a.Expr, rep, w, 0)
	if !ok || w.bad {
		return Document{}, false
	}
	return Document{JSON: text, Leaves: slices.Sorted(maps.Keys(w.leaves)), Range: a.Range, Derived: slices.Sorted(maps.Keys(w.derived))}, true
}

// maxDocumentHops bounds the locals followed to a document's expression.
const maxDocumentHops = 16

// documentText follows expr to a form whose structure it can read, and renders it.
func (sc *scope) documentText(expr hcl.Expression, rep repetition, w *leafWalk, hops int) (string, bool) {
	if hops > maxDocumentHops {
		return "", false
	}
	switch e := expr.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return sc.documentText(e.Wrapped, rep, w, hops+1)
	case *hclsyntax.FunctionCallExpr:
		if e.Name == budgetFunc && len(e.Args) == 1 {
			// An interpolation, metered (see meter).
			return sc.documentText(e.Args[0], rep, w, hops+1)
		}
		if (e.Name != "jsonencode" && e.Name != "core::jsonencode") || len(e.Args) != 1 || e.ExpandFinal {
			return "", false
		}
		v, diags := sc.eval(e.Args[0], rep, nil)
		if diags.HasErrors() {
			return "", false
		}
		plain := w.walk(v, nil, nil, jsonLeafAt)
		if w.bad {
			return "", false
		}
		src, err := ctyjson.Marshal(plain, plain.Type())
		if err != nil {
			return "", false
		}
		return string(src), true
	case *hclsyntax.TemplateExpr:
		return sc.templateText(e, rep, w)
	case *hclsyntax.ScopeTraversalExpr:
		steps := splitSteps(e.Traversal)
		switch {
		case len(steps) == 2 && steps[0].name == "local" && steps[1].key == cty.NilVal:
			a := sc.mod.Locals[steps[1].name]
			if a == nil {
				return "", false
			}
			return sc.documentText(a.Expr, repetition{}, w, hops+1)
		case len(steps) == 4 && steps[0].name == "data" && steps[1].name == "aws_iam_policy_document" && steps[3].key == cty.NilVal:
			return sc.documentData(steps[2].name, steps[2].key, steps[3].name, w)
		}
	case *hclsyntax.RelativeTraversalExpr:
		// data.aws_iam_policy_document.x[each.key].json
		ix, ok := e.Source.(*hclsyntax.IndexExpr)
		if !ok || len(e.Traversal) != 1 {
			return "", false
		}
		col, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		attr, isAttr := e.Traversal[0].(hcl.TraverseAttr)
		if !ok || !isAttr {
			return "", false
		}
		steps := splitSteps(col.Traversal)
		if len(steps) != 3 || steps[0].name != "data" || steps[1].name != "aws_iam_policy_document" || steps[2].key != cty.NilVal {
			return "", false
		}
		key, diags := sc.eval(ix.Key, rep, nil)
		key, _ = key.Unmark()
		if diags.HasErrors() || !key.IsWhollyKnown() || key.IsNull() {
			return "", false
		}
		return sc.documentData(steps[2].name, key, attr.Name, w)
	}
	return "", false
}

// templateText renders a policy written as a template (a heredoc, or a
// quoted string with interpolations): the configuration's own JSON text. An
// interpolation whose value is unknown becomes a leaf only when it sits
// inside a JSON string at a place where leafAt allows one, and when it reads
// an identifier AWS assigns (see identifierRef): the template inserts the
// value as it is, unescaped, so only a value that cannot hold a quote or a
// backslash leaves the document's structure as written.
func (sc *scope) templateText(e *hclsyntax.TemplateExpr, rep repetition, w *leafWalk) (string, bool) {
	var text strings.Builder
	var ids []string // leaf ids by placeholder number
	for _, part := range e.Parts {
		v, diags := sc.eval(part, rep, nil)
		if diags.HasErrors() {
			return "", false
		}
		plain, marks := v.UnmarkDeep()
		w.note(marks)
		if w.bad {
			return "", false
		}
		if plain.IsWhollyKnown() {
			str, err := toString(plain)
			if err != nil || strings.ContainsRune(str, 0) || strings.Contains(strings.ToLower(str), `\u0000`) {
				return "", false
			}
			text.WriteString(str)
			continue
		}
		if !identifierRef(part) {
			return "", false
		}
		fmt.Fprintf(&text, `\u0000%d\u0000`, len(ids))
		ids = append(ids, leafID([]cty.ValueMarks{marks}))
	}
	src := text.String()
	var doc any
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		return "", false
	}
	// Every placeholder must be found once, inside a string at a place a
	// leaf may stand (never in an object key).
	found := make([]int, len(ids))
	if !placeholdersAt(doc, nil, found) {
		return "", false
	}
	for i, n := range found {
		if n != 1 {
			return "", false
		}
		w.leaves[ids[i]] = true
		escaped, _ := json.Marshal(w.leaf(ids[i]))
		src = strings.Replace(src, fmt.Sprintf(`\u0000%d\u0000`, i), string(escaped[1:len(escaped)-1]), 1)
	}
	return src, true
}

// placeholdersAt counts the placeholders of templateText in the strings of
// a decoded document, and reports false when one stands where no leaf may
// (jsonLeafAt) or in a key.
func placeholdersAt(v any, path []string, found []int) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.ContainsRune(k, 0) || !placeholdersAt(e, append(slices.Clip(path), k), found) {
				return false
			}
		}
	case []any:
		for _, e := range v {
			if !placeholdersAt(e, path, found) {
				return false
			}
		}
	case string:
		if !strings.ContainsRune(v, 0) {
			return true
		}
		if !jsonLeafAt(path) {
			return false
		}
		parts := strings.Split(v, "\x00")
		if len(parts)%2 == 0 {
			return false
		}
		for i := 1; i < len(parts); i += 2 {
			n, err := strconv.Atoi(parts[i])
			if err != nil || n < 0 || n >= len(found) {
				return false
			}
			found[n]++
		}
	}
	return true
}

// identifierRef reports whether expr reads an identifier whose characters
// AWS restricts, so that it holds no quote or backslash: a top-level
// attribute of a resource or data source that is an ARN
// (aws_s3_bucket.x.arn, data.aws_s3_bucket.x.arn, aws_iam_role.r.arn,
// *_arn), a bucket name ("bucket", lower-case letters, digits, dots and
// hyphens; Amazon S3 "Bucket naming rules"), an account id, a role's unique
// id or a KMS key id. Other names and ids (an S3 object's id is its key,
// which may hold any character) are not, nor is a value read from inside an
// attribute (aws_cloudformation_stack.s.outputs.bucket_arn,
// data.external.x.result.role_arn): a map of strings a stack or a program
// returns holds whatever it was given.
func identifierRef(expr hclsyntax.Expression) bool {
	for {
		if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
			expr = w.Wrapped
			continue
		}
		if c, ok := expr.(*hclsyntax.FunctionCallExpr); ok && c.Name == budgetFunc && len(c.Args) == 1 {
			expr = c.Args[0] // an interpolation, metered (see meter)
			continue
		}
		break
	}
	t, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return false
	}
	switch t.Traversal.RootName() {
	case "var", "local", "each", "count", "path", "terraform", "self", "module":
		return false
	}
	last, ok := t.Traversal[len(t.Traversal)-1].(hcl.TraverseAttr)
	if !ok {
		return false
	}
	// type.name.attr, or data.type.name.attr (name indexed or not).
	want := 3
	if t.Traversal.RootName() == "data" {
		want = 4
	}
	if len(splitSteps(t.Traversal)) != want {
		return false
	}
	switch n := last.Name; n {
	case "arn", "bucket", "account_id", "unique_id", "key_id":
		return true
	default:
		return strings.HasSuffix(n, "_arn")
	}
}

// documentData renders the json or minified_json of an instance of a data
// "aws_iam_policy_document" in this module, with its unknown leaves marked.
func (sc *scope) documentData(name string, key cty.Value, attr string, w *leafWalk) (string, bool) {
	if attr != "json" && attr != "minified_json" {
		return "", false
	}
	r := sc.mod.Resources[resourceKey(Data, "aws_iam_policy_document", name)]
	if r == nil {
		return "", false
	}
	e, diags := sc.expandResource(r)
	if diags.HasErrors() || e.unknown != cty.NilVal {
		return "", false
	}
	i := e.find(key)
	if i < 0 {
		return "", false
	}
	if v, _, d := sc.instanceAttr(r, e.keys[i], e.reps[i], attr); !d.HasErrors() {
		plain, marks := v.UnmarkDeep()
		if plain.IsWhollyKnown() && !plain.IsNull() && plain.Type() == cty.String {
			w.note(marks)
			return plain.AsString(), !w.bad
		}
	}
	args, diags := sc.documentArgs(r, e.reps[i])
	if diags.HasErrors() {
		return "", false
	}
	plain := w.walk(args, nil, nil, documentLeafAt)
	if w.bad || !conditionKeysDistinct(plain) {
		return "", false
	}
	doc, err := documentFromValue(plain)
	if err != nil {
		return "", false
	}
	pretty, mini, err := policydoc.Render(doc)
	if err != nil {
		return "", false
	}
	if attr == "minified_json" {
		return mini, true
	}
	return pretty, true
}

// jsonLeafAt reports whether an unknown value may be a leaf at path (object
// keys, list indexes left out) of a policy document given to jsonencode.
func jsonLeafAt(path []string) bool {
	if len(path) < 2 || path[0] != "Statement" {
		return false
	}
	switch path[1] {
	case "Action", "NotAction", "Resource", "NotResource":
		return len(path) == 2
	case "Principal", "NotPrincipal":
		return len(path) == 3 // {"AWS": <leaf>}, never the whole block or its type
	case "Condition":
		return len(path) == 4 // {"StringEquals": {"aws:SourceVpce": <leaf>}}
	}
	return false
}

// documentLeafAt is jsonLeafAt for the arguments of a data
// "aws_iam_policy_document".
func documentLeafAt(path []string) bool {
	if len(path) < 2 || path[0] != "statement" {
		return false
	}
	switch path[1] {
	case "actions", "not_actions", "resources", "not_resources":
		return len(path) == 2
	case "principals", "not_principals":
		return len(path) == 3 && path[2] == "identifiers"
	case "condition":
		return len(path) == 3 && (path[2] == "values" || path[2] == "variable")
	}
	return false
}

// conditionKeysDistinct reports whether no statement of evaluated
// aws_iam_policy_document arguments has an unknown condition variable beside
// another condition with the same test: the provider merges conditions with
// the same test and variable, and two unknown variables that look alike here
// may differ at apply.
func conditionKeysDistinct(args cty.Value) bool {
	for _, st := range blockList(getAttr(args, "statement")) {
		tests := map[string]int{}
		leafy := map[string]bool{}
		for _, c := range blockList(getAttr(st, "condition")) {
			test, _ := optString(getAttr(c, "test"), "")
			tests[test]++
			if v, err := optString(getAttr(c, "variable"), ""); err == nil && strings.ContainsRune(v, 0) {
				leafy[test] = true
			}
		}
		for t := range leafy {
			if tests[t] > 1 {
				return false
			}
		}
	}
	return true
}

// getAttr is attribute name of an object, null when it has none.
func getAttr(obj cty.Value, name string) cty.Value {
	if obj.Type().IsObjectType() && obj.Type().HasAttribute(name) {
		return obj.GetAttr(name)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// leafWalk replaces the unknown leaves of a value by leaf(id), unmarking it.
type leafWalk struct {
	leaf    func(string) string
	leaves  map[string]bool
	derived map[string]bool
	// bad: the value holds an unknown where no leaf may stand, or something
	// sensitive or read from a file, which must not be shown.
	bad bool
}

// note records the provenance marks of a value, and refuses sensitive ones.
func (w *leafWalk) note(marks cty.ValueMarks) {
	for m := range marks {
		switch m := m.(type) {
		case derivedMark:
			w.derived[string(m)] = true
		case sensitiveMark, fileMark:
			w.bad = true
		}
	}
}

// walk returns v without marks, each unknown at a path where leafAt allows a
// leaf replaced by a string holding one; inherited are the marks of the
// values v is part of, which name a leaf whose own marks do not.
func (w *leafWalk) walk(v cty.Value, path []string, inherited []cty.ValueMarks, leafAt func([]string) bool) cty.Value {
	if w.bad {
		return cty.DynamicVal
	}
	plain, marks := v.Unmark()
	w.note(marks)
	if !plain.IsKnown() {
		if !leafAt(path) {
			w.bad = true
			return cty.DynamicVal
		}
		id := leafID(append(inherited, marks))
		w.leaves[id] = true
		prefix := ""
		if plain.Type() == cty.String {
			prefix = plain.Range().StringPrefix()
		}
		return cty.StringVal(prefix + w.leaf(id))
	}
	if plain.IsNull() {
		return plain
	}
	inner := inherited
	if len(marks) > 0 {
		inner = append(slices.Clip(inherited), marks)
	}
	ty := plain.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		out := map[string]cty.Value{}
		for it := plain.ElementIterator(); it.Next(); {
			k, e := it.Element()
			k, _ = k.Unmark()
			if strings.ContainsRune(k.AsString(), 0) {
				w.bad = true // the leaf marker (see below)
				return cty.DynamicVal
			}
			out[k.AsString()] = w.walk(e, append(slices.Clip(path), k.AsString()), inner, leafAt)
		}
		return cty.ObjectVal(out)
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		var out []cty.Value
		for it := plain.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, w.walk(e, path, inner, leafAt))
		}
		if len(out) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(out)
	case ty == cty.String && strings.ContainsRune(plain.AsString(), 0):
		// A known string holding the leaf marker (iam.UnknownLeaf writes
		// leaves between NULs) would read as a leaf no reference names, as
		// in templateText.
		w.bad = true
		return cty.DynamicVal
	}
	return plain
}

// leafID names an unknown leaf by the references in its marks, nearest
// first; else by why it is unknown.
func leafID(marks []cty.ValueMarks) string {
	for i := len(marks) - 1; i >= 0; i-- {
		var names []string
		for m := range marks[i] {
			if o, ok := m.(originMark); ok {
				names = append(names, string(o))
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			return strings.Join(names, ", ")
		}
	}
	for i := len(marks) - 1; i >= 0; i-- {
		var why []string
		for m := range marks[i] {
			if u, ok := m.(unknownMark); ok {
				why = append(why, string(u))
			}
		}
		if len(why) > 0 {
			sort.Strings(why)
			return strings.Join(why, "; ")
		}
	}
	return "a value known only after apply"
}

// withOrigin names the unknown parts of v, an attribute read through a
// reference, by that reference, in place of the names of what it was built
// from.
func withOrigin(v cty.Value, origin string) cty.Value {
	if v == cty.NilVal {
		return v
	}
	plain, pvm := v.UnmarkDeepWithPaths()
	if plain.IsWhollyKnown() {
		return v
	}
	for i := range pvm {
		for m := range pvm[i].Marks {
			if _, ok := m.(originMark); ok {
				marks := make(cty.ValueMarks, len(pvm[i].Marks))
				for k := range pvm[i].Marks {
					if _, drop := k.(originMark); !drop {
						marks[k] = struct{}{}
					}
				}
				pvm[i].Marks = marks
				break
			}
		}
	}
	return plain.MarkWithPaths(pvm).Mark(originMark(origin))
}
