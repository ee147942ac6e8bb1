package iam

import (
	"slices"
	"strings"
)

// Policy is a parsed, validated and compiled policy document. Policies are
// immutable after Parse and safe for concurrent use by many Evaluate calls.
type Policy struct {
	Label string // where it came from, e.g. "aws_iam_role_policy.glue" or an AWS managed policy ARN
	Kind  Kind
	// Version is the document's Version element ("" when absent). Only
	// "2012-10-17" substitutes policy variables.
	Version string
	ID      string

	statements []statement
}

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
	var out []ActionPattern
	for i := range p.statements {
		st := &p.statements[i]
		for _, a := range st.rawActions {
			out = append(out, ActionPattern{Statement: st.index, Sid: st.sid, Not: st.notAction, Pattern: a})
		}
	}
	return out
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

	// hasResource is false only for SCP/RCP/endpoint statements written without
	// Resource or NotResource, which then cover every resource.
	hasResource bool
	notResource bool
	resources   []resourcePattern

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
}

type actionGroup struct {
	service string // lower-cased; "" for patterns with a wildcard in the service
	globs   []glob // lower-cased; matched case-insensitively
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
	group := func(service string) int {
		return slices.IndexFunc(s.groups, func(g actionGroup) bool { return g.service == service })
	}
	// The globs of all groups share one buffer, and their tokens another, so
	// the groups and their sizes are found first.
	var countBuf [8]int
	counts := countBuf[:0]
	each(func(_, service string) {
		if gi := group(service); gi >= 0 {
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
		if start := len(toks); pattern != "" {
			toks = appendTokens(toks, pattern)
			g.toks = toks[start:len(toks):len(toks)]
		}
		gi := group(service)
		s.groups[gi].globs = append(s.groups[gi].globs, g)
	})
	return s
}

// match reports whether a request action ("s3:GetObject") matches some
// pattern of the set, case-insensitively; service is the action's service
// prefix in lower case ("s3").
func (s *actionSet) match(action, service string) bool {
	for i := range s.groups {
		g := &s.groups[i]
		if g.service != "" && g.service != service {
			continue
		}
		for j := range g.globs {
			if g.globs[j].match(action, true) {
				return true
			}
		}
	}
	return false
}
