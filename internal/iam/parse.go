package iam

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// SyntaxError is the error Parse returns: what is wrong and where, as a JSON
// path such as Statement[1].Condition.StringEquals. It wraps ErrPolicySyntax.
type SyntaxError struct {
	Label string // the policy's label
	Path  string // JSON path of the offending element; "" for the whole document
	Msg   string
}

func (e *SyntaxError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s %q: %s", ErrPolicySyntax, e.Label, e.Msg)
	}
	return fmt.Sprintf("%s %q at %s: %s", ErrPolicySyntax, e.Label, e.Path, e.Msg)
}

// Unwrap lets errors.Is(err, ErrPolicySyntax) hold.
func (e *SyntaxError) Unwrap() error { return ErrPolicySyntax }

// Versions of the policy language.
const (
	Version2012 = "2012-10-17" // policy variables are substituted
	Version2008 = "2008-10-17" // ${...} is literal text
)

// Parse parses and validates a policy document of the given kind. label names the
// document in results and errors. Errors wrap ErrPolicySyntax.
func Parse(data []byte, kind Kind, label string) (*Policy, error) {
	// One copy of the document; the node tree and the policy share its bytes.
	return ParseString(string(data), kind, label)
}

// ParseString is Parse of a document held as a string, without copying it:
// the policy shares the string's bytes (Document returns it).
func ParseString(doc string, kind Kind, label string) (*Policy, error) {
	ps := parser{label: label, kind: kind}
	if len(strings.TrimSpace(doc)) == 0 {
		return nil, ps.errorf("", "empty policy document")
	}
	root, err := decodeNode(doc)
	if err != nil {
		return nil, ps.errorf("", "malformed JSON: %v", err)
	}
	p, err := ps.policy(root)
	if p != nil {
		p.document = doc
	}
	return p, err
}

// parser carries what every validation step needs to report errors.
type parser struct {
	label string
	kind  Kind
	// scratch holds a string list read only to be compiled, reused from one
	// element to the next.
	scratch []string
	// warnings are the parts of the document AWS refuses (see Warning).
	warnings []Warning
}

func (ps *parser) errorf(path, format string, args ...any) *SyntaxError {
	return &SyntaxError{Label: ps.label, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// resourceBased reports whether statements of this kind name a Principal.
func (ps *parser) resourceBased() bool {
	switch ps.kind {
	case KindResource, KindKeyPolicy, KindEndpoint, KindRCP:
		return true
	}
	return false
}

func join(path, elem string) string {
	if path == "" {
		return elem
	}
	return path + "." + elem
}

// pathFunc returns the JSON path of an element. Paths name elements only in
// errors, so they are built only when one is reported.
type pathFunc func() string

// rootPath is the path of the whole document.
func rootPath() string { return "" }

// key is the path of member k of the object at p.
func (p pathFunc) key(k string) pathFunc { return func() string { return join(p(), k) } }

// index is the path of item i of the array at p.
func (p pathFunc) index(i int) pathFunc {
	return func() string { return p() + "[" + strconv.Itoa(i) + "]" }
}

// uniqueMembers rejects an object that repeats a key; with fold, keys that
// differ only in case count as the same.
func (ps *parser) uniqueMembers(path pathFunc, n *node, fold bool) error {
	for i := 1; i < len(n.members); i++ {
		for j := 0; j < i; j++ {
			a, b := n.members[i].key, n.members[j].key
			if a == b || fold && strings.EqualFold(a, b) {
				return ps.errorf(join(path(), a), "duplicate key %q", a)
			}
		}
	}
	return nil
}

func (ps *parser) policy(root *node) (*Policy, error) {
	if root.kind != nodeObject {
		return nil, ps.errorf("", "policy document must be a JSON object, not %s", root.kind)
	}
	if err := ps.uniqueMembers(rootPath, root, false); err != nil {
		return nil, err
	}
	p := &Policy{Label: ps.label, Kind: ps.kind}
	var stmts *node
	for _, m := range root.members {
		switch m.key {
		case "Version":
			if m.val.kind != nodeString {
				return nil, ps.errorf("Version", "must be a string, not %s", m.val.kind)
			}
			if m.val.text != Version2012 && m.val.text != Version2008 {
				return nil, ps.errorf("Version", "unsupported version %q (want %q or %q)", m.val.text, Version2012, Version2008)
			}
			p.Version = m.val.text
		case "Id":
			if m.val.kind != nodeString {
				return nil, ps.errorf("Id", "must be a string, not %s", m.val.kind)
			}
			p.ID = m.val.text
		case "Statement":
			stmts = m.val
		default:
			return nil, ps.errorf(m.key, "unknown policy element %q", m.key)
		}
	}
	if stmts == nil {
		return nil, ps.errorf("", "missing Statement")
	}
	variables := p.Version == Version2012
	switch stmts.kind {
	case nodeObject:
		st, err := ps.statement(pathFunc(rootPath).key("Statement"), 0, stmts, variables)
		if err != nil {
			return nil, err
		}
		p.statements = []statement{st}
	case nodeArray:
		if len(stmts.items) == 0 {
			return nil, ps.errorf("Statement", "no statements")
		}
		p.statements = make([]statement, 0, len(stmts.items))
		for i, item := range stmts.items {
			st, err := ps.statement(pathFunc(rootPath).key("Statement").index(i), i, item, variables)
			if err != nil {
				return nil, err
			}
			p.statements = append(p.statements, st)
		}
	default:
		return nil, ps.errorf("Statement", "must be an object or an array of objects, not %s", stmts.kind)
	}
	if err := ps.iamSids(p.statements, stmts.kind == nodeArray); err != nil {
		return nil, err
	}
	for i := range p.statements {
		p.statements[i].policy = p
	}
	p.refs = make([]atomic.Pointer[refsMemo], len(p.statements))
	p.indexServices()
	p.warnings = ps.warnings
	return p, nil
}

// iamSids applies IAM's own rules for policies it stores (identity policies
// and permissions boundaries): a Sid holds only ASCII letters and digits and is
// unique within the policy. Resource-based policies keep their services' looser
// rules (S3 accepts spaces and punctuation).
func (ps *parser) iamSids(stmts []statement, array bool) error {
	if ps.kind != KindIdentity && ps.kind != KindBoundary {
		return nil
	}
	path := func(i int) string {
		if array {
			return "Statement[" + strconv.Itoa(i) + "].Sid"
		}
		return "Statement.Sid"
	}
	for i := range stmts {
		sid := stmts[i].sid
		for j := 0; j < len(sid); j++ {
			if c := sid[j]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				return ps.errorf(path(i), "Sid %q must hold only ASCII letters and digits", sid)
			}
		}
		for j := 0; j < i; j++ {
			if sid != "" && stmts[j].sid == sid {
				return ps.errorf(path(i), "Sid %q repeats statement %d's; Sids must be unique within a policy", sid, j)
			}
		}
	}
	return nil
}

func (ps *parser) statement(path pathFunc, index int, n *node, variables bool) (statement, error) {
	st := statement{index: index}
	if n.kind != nodeObject {
		return st, ps.errorf(path(), "statement must be an object, not %s", n.kind)
	}
	if err := ps.uniqueMembers(path, n, false); err != nil {
		return st, err
	}
	var effect, action, notAction, resource, notResource, principal, notPrincipal, cond *node
	for _, m := range n.members {
		switch m.key {
		case "Sid":
			if m.val.kind != nodeString {
				return st, ps.errorf(join(path(), "Sid"), "must be a string, not %s", m.val.kind)
			}
			st.sid = m.val.text
		case "Effect":
			effect = m.val
		case "Action":
			action = m.val
		case "NotAction":
			notAction = m.val
		case "Resource":
			resource = m.val
		case "NotResource":
			notResource = m.val
		case "Principal":
			principal = m.val
		case "NotPrincipal":
			notPrincipal = m.val
		case "Condition":
			cond = m.val
		default:
			return st, ps.errorf(join(path(), m.key), "unknown statement element %q", m.key)
		}
	}

	switch {
	case effect == nil:
		return st, ps.errorf(path(), "missing Effect")
	case effect.kind != nodeString:
		return st, ps.errorf(join(path(), "Effect"), "must be a string, not %s", effect.kind)
	case effect.text == string(Allow):
		st.effect = Allow
	case effect.text == string(Deny):
		st.effect = Deny
	default:
		return st, ps.errorf(join(path(), "Effect"), "invalid Effect %q (want \"Allow\" or \"Deny\")", effect.text)
	}

	if err := ps.actions(path, &st, action, notAction); err != nil {
		return st, err
	}
	if err := ps.resources(path, &st, resource, notResource, variables); err != nil {
		return st, err
	}
	if err := ps.principals(path, &st, principal, notPrincipal); err != nil {
		return st, err
	}
	if st.notPrincipal && st.effect == Allow {
		// IAM documents that NotPrincipal must be used with Deny; an Allow
		// with it would grant everyone else, anonymous callers included.
		return st, ps.errorf(join(path(), "NotPrincipal"), "NotPrincipal is supported only with \"Effect\": \"Deny\"")
	}
	if cond != nil {
		conds, err := ps.conditions(&st, path.key("Condition"), cond, variables)
		if err != nil {
			return st, err
		}
		st.conditions = conds
	}
	st.leaves = st.actUnknown != nil || st.principal != nil && (st.principal.unknown != nil || st.principal.unknownServices != nil)
	if st.principal != nil && !st.notPrincipal && st.principal.any {
		for i := range st.conditions {
			// Only a positive comparison names principals; a negated one
			// (ArnNotEquals ...) grants everyone else and stays capped.
			if c := &st.conditions[i]; c.lkey.lower == "aws:principalarn" && !c.negated {
				st.anyByPrincipalArn = true
				break
			}
		}
	}
	return st, nil
}

// stringList appends to dst a string or the strings of an array. Numbers are
// accepted only where AWS accepts them (account ids in principals, condition
// values). A nil dst gets a list of its own, for callers that keep it.
func (ps *parser) stringList(path pathFunc, n *node, numbers bool, dst []string) ([]string, error) {
	scalar := func(p pathFunc, v *node) (string, error) {
		switch {
		case v.kind == nodeString:
			return v.text, nil
		case numbers && (v.kind == nodeNumber || v.kind == nodeBool):
			return v.text, nil
		}
		return "", ps.errorf(p(), "must be a string, not %s", v.kind)
	}
	if n.kind != nodeArray {
		if n.kind != nodeString && (!numbers || n.kind != nodeNumber && n.kind != nodeBool) {
			return nil, ps.errorf(path(), "must be a string or an array of strings, not %s", n.kind)
		}
		s, err := scalar(path, n)
		return append(dst, s), err
	}
	if dst == nil {
		dst = make([]string, 0, len(n.items))
	}
	for i, item := range n.items {
		s, err := scalar(path.index(i), item)
		if err != nil {
			return nil, err
		}
		dst = append(dst, s)
	}
	return dst, nil
}

func (ps *parser) actions(path pathFunc, st *statement, action, notAction *node) error {
	elem, n := "Action", action
	switch {
	case action != nil && notAction != nil:
		return ps.errorf(path(), "both Action and NotAction")
	case action == nil && notAction == nil:
		return ps.errorf(path(), "missing Action or NotAction")
	case notAction != nil:
		elem, n, st.notAction = "NotAction", notAction, true
	}
	list, err := ps.stringList(path.key(elem), n, false, nil)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return ps.errorf(join(path(), elem), "no actions")
	}
	known := list
	for i, a := range list {
		if hasUnknown(a) {
			u, ok := parseUnknown(a, true, true)
			if !ok {
				return ps.errorf(join(path(), elem)+"["+strconv.Itoa(i)+"]", "%v", errUnclosedLeaf)
			}
			st.actUnknown = append(st.actUnknown, u)
			if len(known) == len(list) {
				known = append([]string(nil), list[:i]...)
			}
			continue
		}
		if a != "*" && !validAction(a) {
			return ps.errorf(join(path(), elem)+"["+strconv.Itoa(i)+"]", "action %q is not of the form service:Name", a)
		}
		if len(known) != len(list) {
			known = append(known, a)
		}
	}
	st.rawActions, st.actions = known, newActionSet(known)
	return nil
}

// validAction accepts "service:pattern" with a non-empty service of letters,
// digits and dashes.
func validAction(a string) bool {
	i := strings.IndexByte(a, ':')
	if i <= 0 || i == len(a)-1 {
		return false
	}
	for _, c := range a[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '*' || c == '?') {
			return false
		}
	}
	return true
}

func (ps *parser) resources(path pathFunc, st *statement, resource, notResource *node, variables bool) error {
	elem, n := "Resource", resource
	switch {
	case resource != nil && notResource != nil:
		return ps.errorf(path(), "both Resource and NotResource")
	case resource == nil && notResource == nil:
		switch ps.kind {
		case KindSCP, KindRCP, KindEndpoint:
			// These may omit Resource; the statement then covers every resource.
			return nil
		}
		return ps.errorf(path(), "missing Resource or NotResource")
	case notResource != nil:
		elem, n, st.notResource = "NotResource", notResource, true
	}
	st.hasResource = true
	list, err := ps.stringList(path.key(elem), n, false, ps.scratch[:0])
	if err != nil {
		return err
	}
	ps.scratch = list
	if len(list) == 0 {
		return ps.errorf(join(path(), elem), "no resources")
	}
	for i, r := range list {
		if hasUnknown(r) {
			u, ok := parseUnknown(r, true, false)
			if !ok {
				return ps.errorf(join(path(), elem)+"["+strconv.Itoa(i)+"]", "%v", errUnclosedLeaf)
			}
			st.resources = append(st.resources, resourcePattern{unk: &u})
			continue
		}
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			// IAM refuses such an entry ("must be in ARN format or *"); taken
			// as written it would match nothing and quietly void a Deny.
			return ps.errorf(join(path(), elem)+"["+strconv.Itoa(i)+"]", "resource %q is not an ARN or \"*\"", r)
		}
		var rp resourcePattern
		if variables {
			rp.tmpl = parseTemplate(r)
			if rp.tmpl != nil && variableBeforeFifthColon(r) {
				ps.warn(st, join(path(), elem)+"["+strconv.Itoa(i)+"]", "resource %q uses a policy variable before the fifth colon: IAM accepts variables \"only in the resource portion of the ARN\" (\"you can't use a variable to replace parts of the ARN before the fifth colon\")", r)
			}
		}
		if rp.tmpl == nil {
			rp.arn = compileResourcePattern(r)
			rp.plain = true
		}
		st.resources = append(st.resources, rp)
	}
	st.anyResource = !st.notResource && list[0] == "*"
	return nil
}

func (ps *parser) principals(path pathFunc, st *statement, principal, notPrincipal *node) error {
	elem, n := "Principal", principal
	switch {
	case principal != nil && notPrincipal != nil:
		return ps.errorf(path(), "both Principal and NotPrincipal")
	case principal == nil && notPrincipal == nil:
		switch ps.kind {
		case KindResource, KindKeyPolicy, KindEndpoint:
			return ps.errorf(path(), "missing Principal (required in %s)", ps.kind.policyNoun())
		}
		return nil
	case !ps.resourceBased():
		if notPrincipal != nil {
			elem = "NotPrincipal"
		}
		return ps.errorf(join(path(), elem), "%s is not allowed in %s", elem, ps.kind.policyNoun())
	case notPrincipal != nil:
		elem, n, st.notPrincipal = "NotPrincipal", notPrincipal, true
		if ps.kind == KindRCP {
			return ps.errorf(join(path(), elem), "NotPrincipal is not allowed in %s", ps.kind.policyNoun())
		}
	}
	path = path.key(elem)
	set := &principalSet{}
	switch n.kind {
	case nodeString:
		switch {
		case hasUnknown(n.text):
			u, ok := parseUnknown(n.text, false, false)
			if !ok {
				return ps.errorf(path(), "%v", errUnclosedLeaf)
			}
			set.unknown = append(set.unknown, u)
		case n.text != "*":
			return ps.errorf(path(), "a string principal must be \"*\", not %q", n.text)
		default:
			set.any = true
		}
	case nodeObject:
		if err := ps.uniqueMembers(path, n, false); err != nil {
			return err
		}
		if len(n.members) == 0 {
			return ps.errorf(path(), "no principals")
		}
		for _, m := range n.members {
			list, err := ps.stringList(path.key(m.key), m.val, m.key == "AWS", ps.scratch[:0])
			if err != nil {
				return err
			}
			ps.scratch = list
			if len(list) == 0 {
				// An empty list would silently name nobody, turning a Deny
				// into a no-op; refuse it like an empty Principal object.
				return ps.errorf(join(path(), m.key), "no principals")
			}
			for _, v := range list {
				if !hasUnknown(v) {
					continue
				}
				u, ok := parseUnknown(v, false, m.key == "Service")
				if !ok {
					return ps.errorf(join(path(), m.key), "%v", errUnclosedLeaf)
				}
				switch m.key {
				case "AWS":
					set.unknown = append(set.unknown, u)
				case "Service":
					set.unknownServices = append(set.unknownServices, u)
				}
			}
			switch m.key {
			case "AWS":
				for _, v := range list {
					if !hasUnknown(v) {
						set.addAWS(v)
					}
				}
			case "Service":
				for _, v := range list {
					if !hasUnknown(v) {
						set.services = append(set.services, strings.ToLower(v))
					}
				}
			case "Federated", "CanonicalUser":
			default:
				return ps.errorf(join(path(), m.key), "unknown principal type %q (want AWS, Service, Federated or CanonicalUser)", m.key)
			}
		}
	default:
		return ps.errorf(path(), "must be \"*\" or an object, not %s", n.kind)
	}
	if ps.kind == KindRCP && !set.any && set.unknown == nil {
		return ps.errorf(path(), "a resource control policy's Principal must be \"*\"")
	}
	st.principal = set
	if st.notPrincipal && st.effect == Deny {
		ps.notPrincipalWithoutAccount(st, path)
	}
	return nil
}

func (ps *parser) conditions(st *statement, path pathFunc, n *node, variables bool) ([]condition, error) {
	if n.kind != nodeObject {
		return nil, ps.errorf(path(), "must be an object, not %s", n.kind)
	}
	if err := ps.uniqueMembers(path, n, true); err != nil {
		return nil, err
	}
	var out []condition
	for _, opm := range n.members {
		opPath := path.key(opm.key)
		proto, err := parseOperator(opm.key)
		if err != nil {
			return nil, ps.errorf(opPath(), "%v", err)
		}
		if opm.val.kind != nodeObject {
			return nil, ps.errorf(opPath(), "must be an object of condition keys, not %s", opm.val.kind)
		}
		if err := ps.uniqueMembers(opPath, opm.val, true); err != nil {
			return nil, err
		}
		if len(opm.val.members) == 0 {
			return nil, ps.errorf(opPath(), "no condition keys")
		}
		for _, km := range opm.val.members {
			keyPath := opPath.key(km.key)
			if km.key == "" {
				return nil, ps.errorf(keyPath(), "empty condition key")
			}
			vals, err := ps.stringList(keyPath, km.val, true, ps.scratch[:0])
			if err != nil {
				return nil, err
			}
			ps.scratch = vals
			c := proto
			c.key, c.lkey = km.key, newCtxKey(km.key)
			leaves := false
			if hasUnknown(km.key) {
				u, ok := parseUnknown(km.key, false, false)
				if !ok {
					return nil, ps.errorf(keyPath(), "%v", errUnclosedLeaf)
				}
				c.unkKey = &u
			}
			for _, v := range vals {
				if c.kind == opNull && variables && !hasUnknown(v) && parseTemplate(v) != nil {
					return nil, ps.errorf(keyPath(), "value %q: IAM does not support policy variables with the Null condition operator", v)
				}
				cv, err := c.compileValue(v, variables && c.kind != opNull)
				if err != nil {
					return nil, ps.errorf(keyPath(), "%v", err)
				}
				c.values = append(c.values, cv)
				c.vars = c.vars || cv.tmpl != nil
				leaves = leaves || cv.unk != nil
			}
			c.plain = !c.vars && !leaves
			if family := noVariables(c.kind); c.vars && family != "" {
				ps.warn(st, keyPath(), "%s uses a policy variable, which IAM does not support with %s condition operators (\"Policy variables – Not supported\"): AWS refuses the policy", opm.key, family)
			}
			out = append(out, c)
		}
	}
	return out, nil
}
