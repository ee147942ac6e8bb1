package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// fixSpec describes a fix before its statements are built from the needs of
// its group.
type fixSpec struct {
	op, target, resource, policy, node, bucket, key string
	index                                           int
	// principal is the Principal of resource-policy statements (bucket and
	// key policies); endpointPrincipal restricts an endpoint statement to the
	// role with an aws:PrincipalArn condition.
	principal, endpointPrincipal string
	// viaService, when set, replaces the resources of identity statements
	// with "*" limited by kms:ViaService: the key's ARN is not known yet.
	viaService string
	// stmt is the rewritten statement of an exempt-principal fix (nil for
	// remove-statement).
	stmt    map[string]any
	setting *Setting
	text    string
}

// key identifies a fix for grouping.
func (s *fixSpec) groupKey() string {
	if s == nil {
		return ""
	}
	return strings.Join([]string{s.op, s.target, s.resource, s.policy, strconv.Itoa(s.index), s.node, s.bucket, s.key, s.viaService}, "|")
}

// exemptFix changes a Deny statement so it no longer applies to the job's
// role: the fix for an explicit deny sits on the layer that denied. When the
// Deny already conditions on aws:PrincipalArn the fix edits that condition
// (principalEdit) rather than stacking a contradictory one next to it.
func (c *checker) exemptFix(k iam.LayerKind, ref *PolicyRef, stmt map[string]any, n Need) *fixSpec {
	if stmt == nil {
		return nil
	}
	fs := &fixSpec{op: OpExemptPrincipal, policy: ref.Policy, index: ref.Index, node: ref.Node, resource: ref.Policy}
	var who, how string
	kms := strings.HasPrefix(n.Action, "kms:")
	switch k {
	case iam.LayerIdentity, iam.LayerSession:
		fs.target = TargetIdentity
		who, how = "the role's own policy "+ref.Policy+" denies it", "remove or narrow that Deny (shown exempting the role)"
	case iam.LayerBoundary:
		fs.target = TargetBoundary
		who, how = "the permissions boundary "+ref.Policy+" denies it", "narrow the boundary's Deny (shown exempting the role)"
	case iam.LayerResource, iam.LayerKeyPolicy:
		if kms {
			fs.target, fs.key = TargetKeyPolicy, n.Key
			who, how = "the key policy denies it", "exempt the role from the Deny"
		} else {
			fs.target, fs.bucket = TargetBucketPolicy, n.Bucket
			who, how = "the bucket policy of "+n.Bucket+" denies it", "exempt the role from the Deny with an aws:PrincipalArn condition"
			if stmt["NotPrincipal"] != nil {
				how += " (NotPrincipal naming the role does not exempt its session " + c.sessionARN() + ")"
			}
		}
	case iam.LayerEndpoint:
		fs.target = TargetEndpointPolicy
		who, how = "the VPC endpoint policy denies it", "exempt the role from the Deny"
	case iam.LayerSCP:
		fs.target = TargetSCP
		who, how = "an SCP attached to "+ref.Node+" denies it", "add an exception for the role to that Deny"
	case iam.LayerRCP:
		fs.target = TargetRCP
		who, how = "an RCP attached to "+ref.Node+" denies it", "add an exception for the role to that Deny"
	default:
		return nil
	}
	e := c.principalEdit(stmt)
	switch only := c.statementCount(ref.Policy) == 1; {
	case e.remove && only && (fs.target == TargetKeyPolicy || fs.target == TargetBoundary):
		// A key policy and a boundary cannot be left empty, and a boundary
		// made only of this Deny must gain an Allow anyway.
		e = c.exceptRole(cloneJSON(stmt))
	case e.remove && only:
		e.how = "delete " + ref.Policy + ": its only statement is a Deny whose " + e.cond + " condition names only this role"
	case e.remove:
		e.how = "remove " + describeRef(ref) + ": its " + e.cond + " condition names only this role"
	}
	fs.stmt = e.stmt
	if e.remove {
		fs.op = OpRemoveStatement
	}
	if e.how != "" {
		how = e.how
	}
	fs.text = who + ": " + how
	return fs
}

// principalEdit is the rewrite of a Deny statement that exempts the role.
type principalEdit struct {
	stmt map[string]any // the rewritten statement (nil when remove)
	// remove is set when the Deny targets only the role: the fix removes it.
	remove bool
	cond   string // the condition naming the role ("ArnEquals aws:PrincipalArn"), when remove
	how    string // what the edit does, for the fix text; "" for the default (and remove)
}

// Condition operators on aws:PrincipalArn a Deny can use: negated ones list
// the principals it spares, positive ones the principals it targets.
var (
	negatedPrincipalOps  = []string{"ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike"}
	positivePrincipalOps = []string{"ArnEquals", "ArnLike", "StringEquals", "StringLike"}
)

// principalEdit decides how to exempt the role from a Deny statement:
//   - a negated allow-list on aws:PrincipalArn gets the role ARN added;
//   - a positive list naming the role ARN exactly loses it, and the statement
//     goes when the role was its only value (the Deny then targets nothing
//     else: every condition of a statement must hold);
//   - otherwise an ArnNotEquals aws:PrincipalArn condition is added.
//
// A positive list that reaches the role through a pattern is left alone: the
// pattern names other principals too, so the role is excepted instead.
func (c *checker) principalEdit(stmt map[string]any) principalEdit {
	out := cloneJSON(stmt)
	cond, _ := out["Condition"].(map[string]any)
	for _, op := range slices.Sorted(maps.Keys(cond)) {
		if !slices.Contains(negatedPrincipalOps, strings.TrimSuffix(op, "IfExists")) {
			continue
		}
		block, _ := cond[op].(map[string]any)
		if key := principalArnKey(block); key != "" {
			vals := strs(block[key])
			if !slices.Contains(vals, c.role.ARN) {
				vals = append(vals, c.role.ARN)
			}
			block[key] = toAny(vals)
			return principalEdit{stmt: out, how: "add the role to the principals the Deny spares (" + op + " " + key + ")"}
		}
	}
	for _, op := range slices.Sorted(maps.Keys(cond)) {
		base := strings.TrimSuffix(op, "IfExists")
		if !slices.Contains(positivePrincipalOps, base) {
			continue
		}
		block, _ := cond[op].(map[string]any)
		key := principalArnKey(block)
		if key == "" {
			continue
		}
		vals := strs(block[key])
		patterns := base != "StringEquals"
		var rest []string
		for _, v := range vals {
			switch {
			case v == c.role.ARN:
			case strings.Contains(v, "${") || patterns && iam.MatchWildcard(v, c.role.ARN):
				// A pattern covering the role, or a policy variable that may
				// stand for it.
				return c.exceptRole(out)
			default:
				rest = append(rest, v)
			}
		}
		if len(rest) == len(vals) {
			continue
		}
		if len(rest) == 0 {
			return principalEdit{remove: true, cond: op + " " + key}
		}
		block[key] = toAny(rest)
		return principalEdit{stmt: out, how: "remove the role from the principals the Deny targets (" + op + " " + key + ")"}
	}
	return c.exceptRole(out)
}

// exceptRole adds ArnNotEquals aws:PrincipalArn <role> to a statement.
func (c *checker) exceptRole(out map[string]any) principalEdit {
	cond, _ := out["Condition"].(map[string]any)
	if cond == nil {
		cond = map[string]any{}
	}
	block, _ := cond["ArnNotEquals"].(map[string]any)
	if block == nil {
		block = map[string]any{}
	}
	block["aws:PrincipalArn"] = toAny(append(strs(block["aws:PrincipalArn"]), c.role.ARN))
	cond["ArnNotEquals"] = block
	out["Condition"] = cond
	return principalEdit{stmt: out}
}

// principalArnKey returns the spelling of aws:PrincipalArn in a condition
// block (condition keys are case-insensitive), or "".
func principalArnKey(block map[string]any) string {
	for _, k := range slices.Sorted(maps.Keys(block)) {
		if strings.EqualFold(k, "aws:PrincipalArn") {
			return k
		}
	}
	return ""
}

// statementOf returns statement index of the policy labelled label, as a
// generic JSON object, or nil.
func (c *checker) statementOf(label string, index int) map[string]any {
	for _, doc := range c.docs {
		if doc.label() == label && doc.Known {
			return statementAt(doc.JSON, index)
		}
	}
	return nil
}

// statementCount returns the number of statements of the policy labelled
// label, 0 when it is not known.
func (c *checker) statementCount(label string) int {
	for _, doc := range c.docs {
		if doc.label() == label && doc.Known {
			return len(statementList(doc.JSON))
		}
	}
	return 0
}

// statementAt parses a policy document and returns one statement.
func statementAt(doc string, index int) map[string]any {
	list := statementList(doc)
	if index < 0 || index >= len(list) {
		return nil
	}
	m, _ := list[index].(map[string]any)
	return m
}

// statementList parses a policy document and returns its statements (one
// object or an array of them) as a list.
func statementList(doc string) []any {
	var d map[string]any
	if json.Unmarshal([]byte(doc), &d) != nil {
		return nil
	}
	switch s := d["Statement"].(type) {
	case map[string]any:
		return []any{s}
	case []any:
		return s
	}
	return nil
}

// cloneJSON deep-copies a JSON object.
func cloneJSON(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// buildFix renders a fix for a group of needs.
func (c *checker) buildFix(s *fixSpec, needs []Need) *Fix {
	if s == nil {
		return nil
	}
	f := &Fix{Target: s.target, Op: s.op, Resource: s.resource, Policy: s.policy, Index: s.index, Node: s.node,
		Bucket: s.bucket, Key: s.key, Setting: s.setting, Text: s.text}
	var stmts []map[string]any
	switch s.op {
	case OpExemptPrincipal:
		stmts = []map[string]any{s.stmt}
	case OpAddStatement:
		stmts = allowStatements(needs, s)
	}
	var hcl []string
	for _, st := range stmts {
		b, err := json.Marshal(st)
		if err != nil {
			continue
		}
		f.Statements = append(f.Statements, b)
		hcl = append(hcl, statementHCL(st))
	}
	f.HCL = strings.Join(hcl, "\n")
	return f
}

// allowStatements builds the minimal Allow statements for needs: one
// statement per set of resources sharing the same actions, listing in its
// own statement with an s3:prefix condition naming each prefix bare, with
// "/" and with "/*" (docs/model.md#actions-per-intent: s3:GetBucketLocation never sits under a
// prefix condition).
func allowStatements(needs []Need, s *fixSpec) []map[string]any {
	type listKey struct{ res, action string }
	listPrefixes := map[listKey][]string{}
	wholeList := map[listKey]bool{}
	byRes := map[string]map[string]bool{}
	for _, n := range needs {
		res := n.Resource
		if s.target == TargetKeyPolicy || s.viaService != "" {
			res = "*"
		}
		if n.Action == actListBucket {
			k := listKey{res, n.Action}
			if n.Prefix == "" {
				wholeList[k] = true
			} else {
				listPrefixes[k] = append(listPrefixes[k], n.Prefix)
			}
			continue
		}
		if byRes[res] == nil {
			byRes[res] = map[string]bool{}
		}
		byRes[res][n.Action] = true
	}
	var out []map[string]any
	// Resources with identical action sets share a statement.
	byActs := map[string][]string{}
	for _, res := range slices.Sorted(maps.Keys(byRes)) {
		acts := strings.Join(slices.Sorted(maps.Keys(byRes[res])), ",")
		byActs[acts] = append(byActs[acts], res)
	}
	for _, acts := range slices.Sorted(maps.Keys(byActs)) {
		out = append(out, map[string]any{"Effect": "Allow", "Action": toAny(strings.Split(acts, ",")), "Resource": toAny(byActs[acts])})
	}
	var lks []listKey
	for k := range listPrefixes {
		lks = append(lks, k)
	}
	for k := range wholeList {
		if _, ok := listPrefixes[k]; !ok {
			lks = append(lks, k)
		}
	}
	sort.Slice(lks, func(i, j int) bool { return lks[i].res+lks[i].action < lks[j].res+lks[j].action })
	for _, k := range lks {
		st := map[string]any{"Effect": "Allow", "Action": toAny([]string{k.action}), "Resource": toAny([]string{k.res})}
		if !wholeList[k] {
			var vals []string
			for _, p := range listPrefixes[k] {
				vals = append(vals, p, p+"*")
				// A directory is also listed by its bare name (docs/model.md#actions-per-intent:
				// "orders", "orders/", "orders/*").
				if bare := strings.TrimSuffix(p, "/"); bare != p && bare != "" {
					vals = append(vals, bare)
				}
			}
			slices.Sort(vals)
			vals = slices.Compact(vals)
			st["Condition"] = map[string]any{"StringLike": map[string]any{"s3:prefix": toAny(vals)}}
		}
		out = append(out, st)
	}
	for i, st := range out {
		st["Sid"] = fmt.Sprintf("GlueAccess%d", i+1)
		if s.viaService != "" {
			st["Condition"] = map[string]any{"StringEquals": map[string]any{"kms:ViaService": s.viaService}}
		}
		switch {
		case s.principal != "":
			st["Principal"] = map[string]any{"AWS": s.principal}
		case s.endpointPrincipal != "":
			st["Principal"] = "*"
			cond, _ := st["Condition"].(map[string]any)
			if cond == nil {
				cond = map[string]any{}
			}
			cond["ArnEquals"] = map[string]any{"aws:PrincipalArn": s.endpointPrincipal}
			st["Condition"] = cond
		}
	}
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// strs reads a JSON string-or-array value.
func strs(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// statementHCL renders a statement as an aws_iam_policy_document statement
// block.
func statementHCL(st map[string]any) string {
	var b strings.Builder
	b.WriteString("statement {\n")
	// Attribute lines are collected first so their "=" align as terraform fmt
	// aligns them.
	var attrs [][2]string
	line := func(name, val string) { attrs = append(attrs, [2]string{name, val}) }
	list := func(vs []string) string {
		q := make([]string, len(vs))
		for i, v := range vs {
			q[i] = strconv.Quote(v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	if sid, ok := st["Sid"].(string); ok && sid != "" {
		line("sid", strconv.Quote(sid))
	}
	if e, ok := st["Effect"].(string); ok {
		line("effect", strconv.Quote(e))
	}
	for _, f := range []struct{ json, hcl string }{{"Action", "actions"}, {"NotAction", "not_actions"}, {"Resource", "resources"}, {"NotResource", "not_resources"}} {
		if v, ok := st[f.json]; ok {
			line(f.hcl, list(strs(v)))
		}
	}
	width := 0
	for _, a := range attrs {
		width = max(width, len(a[0]))
	}
	for _, a := range attrs {
		fmt.Fprintf(&b, "  %-*s = %s\n", width, a[0], a[1])
	}
	for _, f := range []struct{ json, hcl string }{{"Principal", "principals"}, {"NotPrincipal", "not_principals"}} {
		switch p := st[f.json].(type) {
		case string:
			fmt.Fprintf(&b, "  %s {\n    type        = \"*\"\n    identifiers = [\"*\"]\n  }\n", f.hcl)
		case map[string]any:
			for _, t := range slices.Sorted(maps.Keys(p)) {
				fmt.Fprintf(&b, "  %s {\n    type        = %q\n    identifiers = %s\n  }\n", f.hcl, t, list(strs(p[t])))
			}
		}
	}
	if cond, ok := st["Condition"].(map[string]any); ok {
		for _, op := range slices.Sorted(maps.Keys(cond)) {
			m, _ := cond[op].(map[string]any)
			for _, k := range slices.Sorted(maps.Keys(m)) {
				fmt.Fprintf(&b, "  condition {\n    test     = %q\n    variable = %q\n    values   = %s\n  }\n", op, k, list(strs(m[k])))
			}
		}
	}
	b.WriteString("}")
	return b.String()
}

// ErrFixNotApplicable is returned by ApplyFix when the fix's target is not in
// the facts.
var ErrFixNotApplicable = errors.New("fix not applicable")

// ApplyFix returns a copy of f with fix applied, the way a user would apply
// it: statements appended to the target policy (or a new inline policy on the
// role), a Deny statement replaced by its rewritten form or removed, a job
// argument or bucket setting changed. f is not modified.
func ApplyFix(f *Facts, fix Fix) (*Facts, error) {
	g, err := cloneFacts(f)
	if err != nil {
		return nil, err
	}
	switch fix.Op {
	case OpAddStatement:
		err = addStatements(g, fix)
	case OpExemptPrincipal:
		err = replaceStatement(g, fix)
	case OpRemoveStatement:
		err = removeStatement(g, fix)
	case OpSetArgument:
		err = setArgument(g, fix)
	case OpSetBucket:
		err = setBucket(g, fix)
	default:
		err = fmt.Errorf("apply fix: unknown op %q: %w", fix.Op, ErrFixNotApplicable)
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

func cloneFacts(f *Facts) (*Facts, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("copy facts: %w", err)
	}
	var g Facts
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("copy facts: %w", err)
	}
	return &g, nil
}

// newDoc makes a policy document of statements.
func newDoc(label string, stmts []json.RawMessage) *PolicyDoc {
	return &PolicyDoc{Label: label, JSON: docJSON(stmts), Known: true, From: Provenance{Note: "glueaccess fix"}}
}

func docJSON(stmts []json.RawMessage) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b)
}

// appendTo appends statements to an existing document.
func appendTo(doc *PolicyDoc, stmts []json.RawMessage) error {
	if !doc.Known {
		return fmt.Errorf("apply fix to %s: policy text not known: %w", doc.label(), ErrFixNotApplicable)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(doc.JSON), &d); err != nil {
		return fmt.Errorf("apply fix to %s: %w", doc.label(), err)
	}
	var list []any
	switch s := d["Statement"].(type) {
	case map[string]any:
		list = []any{s}
	case []any:
		list = s
	}
	for _, st := range stmts {
		var m any
		if err := json.Unmarshal(st, &m); err != nil {
			return fmt.Errorf("apply fix to %s: %w", doc.label(), err)
		}
		list = append(list, m)
	}
	d["Statement"] = list
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("apply fix to %s: %w", doc.label(), err)
	}
	doc.JSON = string(b)
	return nil
}

func addStatements(g *Facts, fix Fix) error {
	notFound := fmt.Errorf("apply fix: %s %q not in the facts: %w", fix.Target, fix.Resource, ErrFixNotApplicable)
	switch fix.Target {
	case TargetIdentity:
		if g.Role == nil {
			return notFound
		}
		label := fmt.Sprintf("glueaccess-fix-%d", len(g.Role.Inline)+1)
		g.Role.Inline = append(g.Role.Inline, *newDoc(label, fix.Statements))
		return nil
	case TargetBoundary:
		if g.Role == nil || g.Role.Boundary == nil || g.Role.Boundary.Document == nil {
			return notFound
		}
		return appendTo(g.Role.Boundary.Document, fix.Statements)
	case TargetBucketPolicy:
		for i := range g.Buckets {
			if b := &g.Buckets[i]; b.Name == fix.Bucket {
				if b.Policy == nil {
					b.Policy = newDoc("bucket policy of "+b.Name, fix.Statements)
					return nil
				}
				return appendTo(b.Policy, fix.Statements)
			}
		}
	case TargetKeyPolicy:
		for i := range g.Keys {
			if k := &g.Keys[i]; k.ARN.V == fix.Key {
				if k.Policy == nil {
					k.Policy = defaultKeyPolicy(k)
				}
				return appendTo(k.Policy, fix.Statements)
			}
		}
	case TargetEndpointPolicy:
		if g.Network != nil {
			for i := range g.Network.Endpoints {
				e := &g.Network.Endpoints[i]
				if e.Policy != nil && e.Policy.label() == fix.Policy {
					return appendTo(e.Policy, fix.Statements)
				}
			}
		}
	case TargetSCP, TargetRCP:
		if g.Org != nil {
			for i := range g.Org.Nodes {
				n := &g.Org.Nodes[i]
				if n.ID != fix.Node {
					continue
				}
				doc := newDoc(fmt.Sprintf("glueaccess-fix@%s", n.ID), fix.Statements)
				if fix.Target == TargetSCP {
					n.SCPs = append(n.SCPs, *doc)
				} else {
					n.RCPs = append(n.RCPs, *doc)
				}
				return nil
			}
		}
	}
	return notFound
}

// eachDoc visits every policy document of the facts.
func eachDoc(g *Facts, visit func(*PolicyDoc)) {
	if r := g.Role; r != nil {
		for i := range r.Inline {
			visit(&r.Inline[i])
		}
		for i := range r.Managed {
			if r.Managed[i].Document != nil {
				visit(r.Managed[i].Document)
			}
		}
		if r.Boundary != nil && r.Boundary.Document != nil {
			visit(r.Boundary.Document)
		}
	}
	for i := range g.Buckets {
		if g.Buckets[i].Policy != nil {
			visit(g.Buckets[i].Policy)
		}
	}
	for i := range g.Keys {
		if g.Keys[i].Policy != nil {
			visit(g.Keys[i].Policy)
		}
	}
	if g.Network != nil {
		for i := range g.Network.Endpoints {
			if g.Network.Endpoints[i].Policy != nil {
				visit(g.Network.Endpoints[i].Policy)
			}
		}
	}
	if g.Org != nil {
		for i := range g.Org.Nodes {
			for j := range g.Org.Nodes[i].SCPs {
				visit(&g.Org.Nodes[i].SCPs[j])
			}
			for j := range g.Org.Nodes[i].RCPs {
				visit(&g.Org.Nodes[i].RCPs[j])
			}
		}
	}
}

// replaceStatement puts the rewritten statement in place of the one it was
// rewritten from: the statement at fix.Index, or, when an earlier fix removed
// a statement before it, the one that differs from it only in Condition.
func replaceStatement(g *Facts, fix Fix) error {
	if len(fix.Statements) != 1 {
		return fmt.Errorf("apply fix: exempt-principal needs exactly one statement, got %d: %w", len(fix.Statements), ErrFixNotApplicable)
	}
	var st map[string]any
	if err := json.Unmarshal(fix.Statements[0], &st); err != nil {
		return fmt.Errorf("apply fix to %s: %w", fix.Policy, err)
	}
	_, err := editStatement(g, fix, func(s any) bool { return sameButCondition(s, st) }, func(list []any, i int) []any {
		list[i] = st
		return list
	})
	return err
}

// sameButCondition reports whether statement a is b apart from Condition.
func sameButCondition(a any, b map[string]any) bool {
	m, ok := a.(map[string]any)
	if !ok {
		return false
	}
	x, y := maps.Clone(m), maps.Clone(b)
	delete(x, "Condition")
	delete(y, "Condition")
	return reflect.DeepEqual(x, y)
}

// removeStatement removes a Deny statement that names only the role in a
// positive aws:PrincipalArn condition: the one at fix.Index, or, when an
// earlier fix removed a statement before it, the first such statement. A
// policy left without statements (AWS rejects an empty one) is deleted, as the
// fix text says.
func removeStatement(g *Facts, fix Fix) error {
	if g.Role == nil || !g.Role.ARN.Known {
		return fmt.Errorf("apply fix: remove-statement needs the role's ARN: %w", ErrFixNotApplicable)
	}
	arn := g.Role.ARN.V
	left, err := editStatement(g, fix, func(s any) bool { return targetsOnly(s, arn) }, func(list []any, i int) []any {
		return slices.Delete(list, i, i+1)
	})
	if err != nil || left > 0 {
		return err
	}
	return dropDoc(g, fix.Policy)
}

// targetsOnly reports whether a statement is a Deny whose positive
// aws:PrincipalArn condition names only arn.
func targetsOnly(s any, arn string) bool {
	m, ok := s.(map[string]any)
	if !ok || m["Effect"] != "Deny" {
		return false
	}
	cond, _ := m["Condition"].(map[string]any)
	for op, block := range cond {
		b, _ := block.(map[string]any)
		key := principalArnKey(b)
		if key != "" && slices.Contains(positivePrincipalOps, strings.TrimSuffix(op, "IfExists")) {
			if vals := strs(b[key]); len(vals) > 0 && !slices.ContainsFunc(vals, func(v string) bool { return v != arn }) {
				return true
			}
		}
	}
	return false
}

// editStatement changes the statement list of the policy fix.Policy with
// edit, called with the index of the statement the fix is about: fix.Index
// when is holds there, else the first statement for which it holds. It
// returns how many statements are left.
func editStatement(g *Facts, fix Fix, is func(any) bool, edit func([]any, int) []any) (int, error) {
	var target *PolicyDoc
	eachDoc(g, func(d *PolicyDoc) {
		if target == nil && d.label() == fix.Policy {
			target = d
		}
	})
	if target == nil {
		return 0, fmt.Errorf("apply fix: policy %q not in the facts: %w", fix.Policy, ErrFixNotApplicable)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(target.JSON), &d); err != nil {
		return 0, fmt.Errorf("apply fix to %s: %w", fix.Policy, err)
	}
	var list []any
	switch s := d["Statement"].(type) {
	case map[string]any:
		list = []any{s}
	case []any:
		list = s
	}
	i := fix.Index
	if i < 0 || i >= len(list) || !is(list[i]) {
		i = slices.IndexFunc(list, is)
	}
	if i < 0 {
		return 0, fmt.Errorf("apply fix to %s: no statement %d as the fix describes it: %w", fix.Policy, fix.Index, ErrFixNotApplicable)
	}
	list = edit(list, i)
	d["Statement"] = list
	b, err := json.Marshal(d)
	if err != nil {
		return 0, fmt.Errorf("apply fix to %s: %w", fix.Policy, err)
	}
	target.JSON = string(b)
	return len(list), nil
}

// dropDoc deletes the policy labelled label from wherever it sits. Key
// policies and boundaries are never deleted by a fix.
func dropDoc(g *Facts, label string) error {
	is := func(d *PolicyDoc) bool { return d != nil && d.label() == label }
	if r := g.Role; r != nil {
		r.Inline = slices.DeleteFunc(r.Inline, func(d PolicyDoc) bool { return is(&d) })
		r.Managed = slices.DeleteFunc(r.Managed, func(m ManagedPolicy) bool { return is(m.Document) })
	}
	for i := range g.Buckets {
		if is(g.Buckets[i].Policy) {
			g.Buckets[i].Policy = nil
		}
	}
	if g.Network != nil {
		for i := range g.Network.Endpoints {
			if is(g.Network.Endpoints[i].Policy) {
				g.Network.Endpoints[i].Policy = nil
			}
		}
	}
	if g.Org != nil {
		for i := range g.Org.Nodes {
			n := &g.Org.Nodes[i]
			n.SCPs = slices.DeleteFunc(n.SCPs, func(d PolicyDoc) bool { return is(&d) })
			n.RCPs = slices.DeleteFunc(n.RCPs, func(d PolicyDoc) bool { return is(&d) })
		}
	}
	var left bool
	eachDoc(g, func(d *PolicyDoc) { left = left || is(d) })
	if left {
		return fmt.Errorf("apply fix: policy %q cannot be deleted: %w", label, ErrFixNotApplicable)
	}
	return nil
}

func setArgument(g *Facts, fix Fix) error {
	if fix.Setting == nil {
		return fmt.Errorf("apply fix: set-argument without a setting: %w", ErrFixNotApplicable)
	}
	args := g.Job.DefaultArguments
	if !args.Known {
		if !args.From.IsZero() {
			return fmt.Errorf("apply fix: default_arguments of %s not known: %w", g.Job.Address, ErrFixNotApplicable)
		}
		args = Known(map[string]string{}, Provenance{Address: g.Job.Address, Attribute: "default_arguments"})
	}
	if args.V == nil {
		args.V = map[string]string{}
	}
	name, val := fix.Setting.Name, fix.Setting.Value
	if name == "--conf" {
		if old := strings.TrimSpace(args.V["--conf"]); old != "" {
			val = old + " --conf " + val
		}
	}
	args.V[name] = val
	g.Job.DefaultArguments = args
	return nil
}

func setBucket(g *Facts, fix Fix) error {
	if fix.Setting == nil {
		return fmt.Errorf("apply fix: set-bucket without a setting: %w", ErrFixNotApplicable)
	}
	for i := range g.Buckets {
		b := &g.Buckets[i]
		if b.Name != fix.Bucket {
			continue
		}
		v := Known(fix.Setting.Value, Provenance{Note: "glueaccess fix"})
		switch fix.Setting.Name {
		case "object_ownership":
			b.ObjectOwnership = v
		case "request_payer":
			b.RequestPayer = v
		case "sse_algorithm":
			b.SSEAlgorithm = v
			b.SSEKMSKeyID = Known("", v.From)
		default:
			return fmt.Errorf("apply fix: unknown bucket setting %q: %w", fix.Setting.Name, ErrFixNotApplicable)
		}
		return nil
	}
	return fmt.Errorf("apply fix: bucket %q not in the facts: %w", fix.Bucket, ErrFixNotApplicable)
}
