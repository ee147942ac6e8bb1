package iam

import (
	"strconv"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	any      bool     // "*" or {"AWS": "*"}
	accounts []string // 12-digit account ids, from "<id>" or "arn:<partition>:iam::<id>:root"
	arns     []string // role, user and assumed-role session ARNs, compared exactly
	services []string // lower-cased service principals
	// unknown and unknownServices are AWS and Service entries holding
	// unknown leaves (see UnknownLeaf).
	unknown         []unknownText
	unknownServices []unknownText
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
	case awsid.IsAccountID(v):
		ps.accounts = append(ps.accounts, v)
	case strings.ContainsAny(v, "*?"):
		// Partial wildcards are not valid in principals: the entry matches nobody.
	default:
		if segs, ok := awsid.SplitARN(v); ok && segs[2] == "iam" && segs[5] == "root" && awsid.IsAccountID(segs[4]) {
			ps.accounts = append(ps.accounts, segs[4])
			return
		}
		ps.arns = append(ps.arns, v)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// caller is the principal of a request as the evaluation sees it: a role
// ARN named as the caller stands for a session of that role, and the role ARN
// carries its path (see evaluator.resolveRole).
type caller struct {
	arn     string // the caller's ARN as the request names it
	roleARN string // the role of a session (or the role named as caller), path included
	service string // a service principal, instead of arn
	// asRole: the request names the role ARN itself. A role never signs a
	// request, its sessions do, so it is matched as a session of that role
	// whose session name is not known.
	asRole bool
	// serviceLinked: the role is a service-linked role (path
	// /aws-service-role/), which SCPs and RCPs do not restrict.
	serviceLinked bool
}

// match returns the strongest way the set names the caller.
func (ps *principalSet) match(c *caller, account string) principalMatch {
	if c.service != "" {
		switch {
		case contains(ps.services, strings.ToLower(c.service)):
			return pmExact
		case ps.any:
			return pmRole
		}
		return pmNone
	}
	switch {
	case !c.asRole && c.arn != "" && contains(ps.arns, c.arn):
		return pmExact
	case ps.any:
		return pmRole
	case c.roleARN != "" && contains(ps.arns, c.roleARN):
		// IAM: "resource-based policies that grant permissions to an IAM
		// role ARN are limited by an implicit deny in a permissions boundary
		// or session policy".
		return pmRole
	case account != "" && contains(ps.accounts, account):
		return pmAccount
	}
	return pmNone
}

// exempts reports whether a NotPrincipal set leaves the caller out. AWS
// evaluates the whole chain of a caller: a role session is exempt only when its
// account, its role and the session itself are all listed (an IAM user: its
// account and the user). A role named as the caller stands for a session whose
// name is not known, so no list can be known to exempt it.
func (ps *principalSet) exempts(c *caller, account string) bool {
	if ps.any {
		return true
	}
	if c.service != "" {
		return contains(ps.services, strings.ToLower(c.service))
	}
	if c.asRole || c.arn == "" || !contains(ps.arns, c.arn) || !contains(ps.accounts, account) {
		return false
	}
	return c.roleARN == "" || contains(ps.arns, c.roleARN)
}

// principalArnKey is aws:PrincipalArn, whose entry Context.Set keeps the
// place of (see principalArnOf).
var principalArnKey = newCtxKey("aws:PrincipalArn")

// resolveCaller returns the caller of a request with principal p and context
// ctx, or why the principal cannot be evaluated.
//
// A session ARN (arn:aws:sts::A:assumed-role/NAME/SESSION) has no path; its
// role's ARN does (role/service-role/NAME for the roles the Glue console
// creates). Principal and NotPrincipal entries name the role with its path, and
// aws:PrincipalArn carries that ARN on every request a session makes, so when
// the context holds it, it is the role ARN to match. It must name the
// caller's own role: same partition, account and role name.
func resolveCaller(p *Principal, ctx *Context) (caller, string) {
	c := caller{arn: p.ARN, roleARN: p.RoleARN, service: p.Service}
	v, one := principalArnOf(ctx)
	msg := c.resolveRole(v, one, &linkedMemo{})
	return c, msg
}

// principalArnOf returns the value of aws:PrincipalArn in ctx, and whether it
// has exactly one known value: only then does it name the caller's role.
//
// A key under an unknown prefix (Context.SetUnknownPrefix) but not set is
// unknown, which counts as not one value, as an absent key does.
func principalArnOf(ctx *Context) (string, bool) {
	if ctx == nil {
		return "", false
	}
	for ctx.principalArn == 0 {
		if ctx = ctx.base; ctx == nil { // a derived context reads its base's
			return "", false
		}
	}
	if e := &ctx.entries[ctx.principalArn-1]; !e.unknown && len(e.values) == 1 {
		return e.values[0], true
	}
	return "", false
}

// resolveRole applies resolveCaller's rules for role sessions and role ARNs;
// v is the context's aws:PrincipalArn when one is set (see principalArnOf).
func (c *caller) resolveRole(v string, one bool, linked *linkedMemo) string {
	if c.service != "" {
		return ""
	}
	if c.roleARN != "" && c.roleARN != c.arn && (!one || v == c.roleARN) {
		// The common case, a session whose role ARN is given: only a
		// context naming another ARN needs the checks below.
		c.serviceLinked = linked.isServiceLinked(c.roleARN)
		return ""
	}
	segs, ok := awsid.SplitARN(c.arn)
	if !ok {
		return ""
	}
	var name string
	switch {
	case segs[2] == "iam" && strings.HasPrefix(segs[5], "role/"):
		c.asRole = true
		name = segs[5][strings.LastIndexByte(segs[5], '/')+1:]
		if c.roleARN == "" {
			c.roleARN = c.arn
		}
	case segs[2] == "sts" && strings.HasPrefix(segs[5], "assumed-role/"):
		rest := segs[5][len("assumed-role/"):]
		i := strings.IndexByte(rest, '/')
		if i <= 0 {
			return ""
		}
		name = rest[:i]
	default:
		return ""
	}
	if one && v != c.roleARN {
		rs, ok := awsid.SplitARN(v)
		if !ok || rs[1] != segs[1] || rs[2] != "iam" || rs[4] != segs[4] || !strings.HasPrefix(rs[5], "role/") ||
			rs[5][strings.LastIndexByte(rs[5], '/')+1:] != name {
			return "context key aws:PrincipalArn " + strconv.Quote(v) + " is not the ARN of the caller's role " + strconv.Quote(name) + " in account " + segs[4]
		}
		if c.roleARN != "" && hasRolePath(c.roleARN) {
			return "context key aws:PrincipalArn " + strconv.Quote(v) + " and the principal's role ARN " + strconv.Quote(c.roleARN) + " name different paths"
		}
		c.roleARN = v
	}
	c.serviceLinked = linked.isServiceLinked(c.roleARN)
	return ""
}

// isServiceLinked reports whether a role ARN's path is /aws-service-role/,
// the path of every service-linked role: the first "/" of a role ARN ends
// "role", and the path follows it.
func isServiceLinked(roleARN string) bool {
	i := strings.IndexByte(roleARN, '/')
	return i >= 0 && strings.HasPrefix(roleARN[i+1:], "aws-service-role/")
}

// linkedMemo remembers whether the last role ARN it was asked about is
// service-linked. A job's requests come from one role, and an evaluator
// (pooled) keeps its memo from request to request.
type linkedMemo struct {
	roleARN string
	linked  bool
}

func (m *linkedMemo) isServiceLinked(roleARN string) bool {
	if roleARN != m.roleARN {
		m.roleARN, m.linked = roleARN, isServiceLinked(roleARN)
	}
	return m.linked
}

// hasRolePath reports whether a role ARN has a path other than "/".
func hasRolePath(roleARN string) bool {
	i := strings.Index(roleARN, ":role/")
	return i >= 0 && strings.IndexByte(roleARN[i+len(":role/"):], '/') >= 0
}

// CheckPrincipal returns why Evaluate cannot take p as the caller of a request
// with context ctx, or "": today, that the context's aws:PrincipalArn names
// another role than the caller's (see Principal).
func CheckPrincipal(p *Principal, ctx *Context) string {
	_, msg := resolveCaller(p, ctx)
	return msg
}

// maybe returns the strongest way an unknown entry of the set could name the
// caller, or pmNone. A whole unknown entry could be "*", the caller's own
// ARN, its role or its account.
func (ps *principalSet) maybe(c *caller, account string) principalMatch {
	best := pmNone
	if c.service != "" {
		svc := strings.ToLower(c.service)
		for i := range ps.unknownServices {
			if ps.unknownServices[i].maybe(svc, true) {
				best = pmExact
			}
		}
		for i := range ps.unknown {
			if ps.unknown[i].whole {
				best = max(best, pmRole) // "*"
			}
		}
		return best
	}
	root := rootARN(c.arn, account)
	for i := range ps.unknown {
		u := &ps.unknown[i]
		switch {
		case !c.asRole && c.arn != "" && (u.whole || u.maybe(c.arn, false)):
			best = pmExact
		case u.whole || c.roleARN != "" && u.maybe(c.roleARN, false):
			best = max(best, pmRole)
		case account != "" && (u.maybe(account, false) || u.maybe(root, false)):
			best = max(best, pmAccount)
		}
	}
	return best
}

// maybeExempts reports whether an unknown entry of a NotPrincipal set could
// supply a name of the caller that the known entries lack (see exempts).
func (ps *principalSet) maybeExempts(c *caller, account string) bool {
	if c.service != "" {
		for i := range ps.unknownServices {
			if ps.unknownServices[i].maybe(strings.ToLower(c.service), true) {
				return true
			}
		}
		return false
	}
	if c.asRole {
		return false
	}
	root := rootARN(c.arn, account)
	for i := range ps.unknown {
		u := &ps.unknown[i]
		if u.whole || u.maybe(c.arn, false) || c.roleARN != "" && u.maybe(c.roleARN, false) ||
			account != "" && (u.maybe(account, false) || u.maybe(root, false)) {
			return true
		}
	}
	return false
}

// rootARN is the root user ARN of account in the partition of arn.
func rootARN(arn, account string) string {
	segs, ok := awsid.SplitARN(arn)
	if !ok || account == "" {
		return ""
	}
	return "arn:" + segs[1] + ":iam::" + account + ":root"
}

// notePrincipalLeaves notes the unknown leaves of a Principal or NotPrincipal.
func (ev *evaluator) notePrincipalLeaves(ps *principalSet) {
	for i := range ps.unknown {
		ev.noteLeaves(&ps.unknown[i])
	}
	for i := range ps.unknownServices {
		ev.noteLeaves(&ps.unknownServices[i])
	}
}
