package iam

import "strings"

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	any      bool     // "*" or {"AWS": "*"}
	accounts []string // 12-digit account ids, from "<id>" or "arn:<partition>:iam::<id>:root"
	arns     []string // role, user and assumed-role session ARNs, compared exactly
	services []string // lower-cased service principals
	// Federated and CanonicalUser entries are kept out of the lists: they never
	// match a role session or IAM user caller.
}

// principalMatch says how a statement's principal matched the caller; the
// evaluation rules treat each class differently in same-account requests.
type principalMatch uint8

const (
	pmNone    principalMatch = iota
	pmAccount                // the caller's account (":root" or account id): delegates to IAM
	pmRole                   // "*" or the caller's role ARN: limited by boundary and session policy
	pmExact                  // the exact session, user or service ARN: not limited
)

// addAWS adds one "AWS" principal entry.
func (ps *principalSet) addAWS(v string) {
	switch {
	case v == "*":
		ps.any = true
	case isAccountID(v):
		ps.accounts = append(ps.accounts, v)
	case strings.ContainsAny(v, "*?"):
		// Partial wildcards are not valid in principals: the entry matches nobody.
	default:
		if segs, ok := splitARN(v); ok && segs[2] == "iam" && segs[5] == "root" && isAccountID(segs[4]) {
			ps.accounts = append(ps.accounts, segs[4])
			return
		}
		ps.arns = append(ps.arns, v)
	}
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// match returns the strongest way the set names the caller.
func (ps *principalSet) match(p *Principal, account string) principalMatch {
	if p.Service != "" {
		switch {
		case contains(ps.services, strings.ToLower(p.Service)):
			return pmExact
		case ps.any:
			return pmRole
		}
		return pmNone
	}
	switch {
	case p.ARN != "" && contains(ps.arns, p.ARN):
		return pmExact
	case ps.any:
		return pmRole
	case p.RoleARN != "" && contains(ps.arns, p.RoleARN):
		return pmRole
	case account != "" && contains(ps.accounts, account):
		return pmAccount
	}
	return pmNone
}

// exempts reports whether a NotPrincipal set leaves the caller out. AWS
// evaluates the whole chain of a caller: a role session is exempt only when its
// account, its role and the session itself are all listed (an IAM user: its
// account and the user).
func (ps *principalSet) exempts(p *Principal, account string) bool {
	if ps.any {
		return true
	}
	if p.Service != "" {
		return contains(ps.services, strings.ToLower(p.Service))
	}
	if p.ARN == "" || !contains(ps.arns, p.ARN) || !contains(ps.accounts, account) {
		return false
	}
	return p.RoleARN == "" || contains(ps.arns, p.RoleARN)
}
