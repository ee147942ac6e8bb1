package iam

import (
	"iter"
	"slices"
	"strings"
	"sync/atomic"
)

// Policy is a parsed, validated and compiled policy document. Policies are
// immutable after Parse and safe for concurrent use by many Evaluate calls.
type Policy struct {
	Label string // where it came from, e.g. "aws_iam_role_policy.glue" or an AWS managed policy ARN; set before the first Evaluate, never after
	Kind  Kind
	// Version is the document's Version element ("" when absent). Only
	// "2012-10-17" substitutes policy variables.
	Version string
	ID      string

	statements []statement
	// byService lists, for each service that some Action names literally,
	// the statements a request for that service may match, in document
	// order; anyService lists those for any other service: statements with
	// NotAction or with a wildcard in an Action's service. A request then
	// never visits statements that name only other services.
	byService  []serviceStatements
	anyService []candidate
	// warnings are the parts of the document AWS refuses (see Warning).
	warnings []Warning
	// document is the text the policy was parsed from.
	document string
	// refs[i] holds the last Result.Statements slice whose final entry was
	// statement i, for reuse (see evaluator.sharedRefs).
	refs []atomic.Pointer[refsMemo]
}

type serviceStatements struct {
	service string // lower-cased
	stmts   []candidate
}

// candidate is a statement a request may match. When group is not negative
// the statement's Action can only match through that group (the one naming
// the request's service), and only its patterns are tried.
type candidate struct {
	stmt  int32
	group int32
}

// candidates returns the statements a request whose action's service prefix
// is service (lower-cased) may match, in document order.
func (p *Policy) candidates(service string) []candidate {
	for i := range p.byService {
		if p.byService[i].service == service {
			return p.byService[i].stmts
		}
	}
	return p.anyService
}

// indexServices builds byService and anyService once the statements are
// compiled.
func (p *Policy) indexServices() {
	anyService := func(st *statement) bool {
		return st.notAction || st.actions.group("") >= 0 || st.actUnknown != nil
	}
	// The services are found first, so that byService is allocated once.
	var servicesBuf [16]string
	services := servicesBuf[:0]
	for i := range p.statements {
		if st := &p.statements[i]; !anyService(st) {
			for _, g := range st.actions.groups {
				if !slices.Contains(services, g.service) {
					services = append(services, g.service)
				}
			}
		}
	}
	if len(services) > 0 {
		p.byService = make([]serviceStatements, len(services))
		for k, service := range services {
			p.byService[k].service = service
		}
	}
	// The lists share one buffer; none is longer than the policy.
	buf := make([]candidate, 0, len(p.statements)*(len(p.byService)+1))
	for k := range p.byService {
		start := len(buf)
		for i := range p.statements {
			st := &p.statements[i]
			switch g := st.actions.group(p.byService[k].service); {
			case anyService(st):
				buf = append(buf, candidate{stmt: int32(i), group: -1})
			case g >= 0:
				buf = append(buf, candidate{stmt: int32(i), group: int32(g)})
			}
		}
		p.byService[k].stmts = buf[start:len(buf):len(buf)]
	}
	start := len(buf)
	for i := range p.statements {
		if anyService(&p.statements[i]) {
			buf = append(buf, candidate{stmt: int32(i), group: -1})
		}
	}
	p.anyService = buf[start:len(buf):len(buf)]
}

// Document returns the text the policy was parsed from.
func (p *Policy) Document() string { return p.document }

// StatementCount returns the number of statements in the document.
func (p *Policy) StatementCount() int { return len(p.statements) }

// ActionPattern is one entry of an Action or NotAction element, for linting
// against the action catalog.
type ActionPattern struct {
	Statement int    // 0-based statement index
	Sid       string // the statement's Sid, if any
	Not       bool   // true for NotAction
	Pattern   string // as written, e.g. "s3:Get*"
}

// ActionPatterns lists every Action/NotAction entry of the policy in document order.
func (p *Policy) ActionPatterns() []ActionPattern {
	return slices.Collect(p.EachActionPattern())
}

// EachActionPattern yields what ActionPatterns lists, without making the
// list.
func (p *Policy) EachActionPattern() iter.Seq[ActionPattern] {
	return func(yield func(ActionPattern) bool) {
		for i := range p.statements {
			st := &p.statements[i]
			for _, a := range st.rawActions {
				if !yield(ActionPattern{Statement: st.index, Sid: st.sid, Not: st.notAction, Pattern: a}) {
					return
				}
			}
		}
	}
}

// statement is the compiled form of one Statement entry.
type statement struct {
	policy *Policy // the document holding the statement
	index  int
	sid    string
	effect Effect

	notAction  bool
	rawActions []string // as written, for ActionPatterns
	actions    actionSet
	// actUnknown are the Action or NotAction entries holding unknown leaves,
	// kept out of actions: they can only make a match unknown.
	actUnknown []unknownText
	// leaves: actUnknown or the principal holds unknown leaves, and the
	// statement is finished by evalStatementLeaves.
	leaves bool

	// hasResource is false only for SCP/RCP/endpoint statements written without
	// Resource or NotResource, which then cover every resource.
	hasResource bool
	notResource bool
	resources   []resourcePattern
	// anyResource: a Resource element whose first entry is "*". Entries are
	// tried in order until one matches, so the statement covers every
	// resource and the later entries are never looked at.
	anyResource bool

	// principal is nil when the statement has neither Principal nor NotPrincipal.
	principal    *principalSet
	notPrincipal bool
	// anyByPrincipalArn: Principal "*" narrowed by a condition on
	// aws:PrincipalArn. IAM documents that boundaries and session policies do
	// not limit what such a grant allows in the same account, so it counts like
	// a grant naming the exact caller.
	anyByPrincipalArn bool

	conditions []condition
}

// actionSet is a compiled Action or NotAction element. Patterns are grouped
// by their literal service prefix, so that a request for s3:GetObject tests
// one string per service and globs only the s3 patterns of a long list.
type actionSet struct {
	groups []actionGroup
	// all is set when a pattern is a bare "*": the set matches every action.
	all bool
}

type actionGroup struct {
	service string // lower-cased; "" for patterns with a wildcard in the service
	// globs are lower-cased and matched case-insensitively. In a group with a
	// service they hold only the part after "service:", matched against the
	// action's name: the service is compared once per group, and "s3:*"
	// becomes a lone star.
	globs []glob
	// any is set when some pattern is a lone star ("*", "s3:*"): the group
	// then matches every subject without trying its patterns.
	any bool
}

// newActionSet compiles the patterns of one Action or NotAction element.
func newActionSet(patterns []string) actionSet {
	var s actionSet
	// One lower-cased copy of all the patterns, sliced per pattern; ASCII
	// lower-casing keeps every byte in place.
	all := asciiLower(strings.Join(patterns, ""))
	// each calls f with every pattern, lower-cased, and its service.
	each := func(f func(pattern, service string)) {
		off := 0
		for _, raw := range patterns {
			pattern, service := all[off:off+len(raw)], ""
			off += len(raw)
			if j := strings.IndexByte(pattern, ':'); j > 0 && !strings.ContainsAny(pattern[:j], "*?") {
				service = pattern[:j]
			}
			f(pattern, service)
		}
	}
	// The globs of all groups share one buffer, and their tokens another, so
	// the groups and their sizes are found first.
	var countBuf [8]int
	counts := countBuf[:0]
	each(func(_, service string) {
		if gi := s.group(service); gi >= 0 {
			counts[gi]++
			return
		}
		s.groups = append(s.groups, actionGroup{service: service})
		counts = append(counts, 1)
	})
	globs, off := make([]glob, len(patterns)), 0
	for gi, n := range counts {
		s.groups[gi].globs = globs[off : off : off+n]
		off += n
	}
	toks := make([]gtok, 0, tokenBound(all)+len(patterns))
	each(func(pattern, service string) {
		var g glob
		if service != "" {
			pattern = pattern[len(service)+1:]
		}
		if start := len(toks); pattern != "" {
			toks = appendTokens(toks, pattern)
			g.toks = toks[start:len(toks):len(toks)]
		}
		gi := s.group(service)
		s.groups[gi].globs = append(s.groups[gi].globs, g)
		if len(g.toks) == 1 && g.toks[0].kind == tokStar {
			s.groups[gi].any = true
			s.all = s.all || service == ""
		}
	})
	return s
}

// match reports whether a request action ("s3:GetObject") matches some
// pattern of the set, case-insensitively; service is the action's service
// prefix in lower case ("s3").
func (s *actionSet) match(action, service string) bool {
	// name is the action after "service:"; an action without that shape
	// matches no pattern that names a service.
	name, named := "", len(action) > len(service) && action[len(service)] == ':'
	if named {
		name = action[len(service)+1:]
	}
	for i := range s.groups {
		g := &s.groups[i]
		subject := name
		switch {
		case g.service == "":
			subject = action
		case g.service != service || !named:
			continue
		}
		if g.match(subject) {
			return true
		}
	}
	return false
}

// match reports whether subject (the action's name, or the whole action for
// the wildcard-service group) matches a pattern of the group.
func (g *actionGroup) match(subject string) bool {
	if g.any {
		return true
	}
	for j := range g.globs {
		if g.globs[j].match(subject, true) {
			return true
		}
	}
	return false
}

// group returns the index of the group of service, or -1.
func (s *actionSet) group(service string) int {
	return slices.IndexFunc(s.groups, func(g actionGroup) bool { return g.service == service })
}
