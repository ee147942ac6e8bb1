package awsid

import "strings"

// IAM role and policy ARNs: arn:partition:iam::account:role/path/name and
// arn:partition:iam::account:policy/path/name, where the path is "/" or
// "/segments/" and names hold letters, digits and +=,.@_-. See "IAM
// identifiers" and "IAM and AWS STS quotas" (role names up to 64
// characters, policy names up to 128, paths up to 512):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html

// ParseRoleARN splits an IAM role ARN and returns the role's name (the last
// segment; the ones before it are the path). It checks the shape only: the
// iam service, no Region, and a resource "role/" followed by a name.
func ParseRoleARN(s string) (a ARN, name string, ok bool) {
	return parseIAMARN(s, "role/")
}

// IsRoleARN reports whether s is a well-formed IAM role ARN: a known
// partition shape, a 12-digit account, a valid path and a role name.
func IsRoleARN(s string) bool {
	a, name, ok := ParseRoleARN(s)
	return ok && IsPartition(a.Partition) && IsAccountID(a.Account) && isIAMName(name, 64) &&
		isIAMPath(a.Resource[len("role"):len(a.Resource)-len(name)])
}

// IsPolicyARN reports whether s is a well-formed IAM managed policy ARN:
// a customer managed policy (12-digit account) or an AWS managed one
// (account "aws").
func IsPolicyARN(s string) bool {
	a, name, ok := parseIAMARN(s, "policy/")
	return ok && IsPartition(a.Partition) && (a.Account == "aws" || IsAccountID(a.Account)) && isIAMName(name, 128) &&
		isIAMPath(a.Resource[len("policy"):len(a.Resource)-len(name)])
}

// RoleARN is the ARN of the role at pathName ("name" or "path/name") in
// account.
func RoleARN(partition, account, pathName string) string {
	return "arn:" + partition + ":iam::" + account + ":role/" + pathName
}

// Role sessions: arn:partition:sts::account:assumed-role/role-name/session-name.
// The session ARN names the role without its path. See "IAM identifiers",
// "Unique identifiers" and the assumed-role ARN in the AWS STS AssumeRole
// response:
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html

// AssumedRoleARN is the ARN of session of the role named role.
func AssumedRoleARN(partition, account, role, session string) string {
	return "arn:" + partition + ":sts::" + account + ":assumed-role/" + role + "/" + session
}

// ParseAssumedRoleARN splits a role session ARN into the role's name and the
// session's. It checks the shape only: the sts service and a resource
// "assumed-role/" followed by two non-empty segments.
func ParseAssumedRoleARN(s string) (a ARN, role, session string, ok bool) {
	a, ok = ParseARN(s)
	if !ok || a.Service != "sts" {
		return ARN{}, "", "", false
	}
	rest, found := strings.CutPrefix(a.Resource, "assumed-role/")
	role, session, two := strings.Cut(rest, "/")
	if !found || !two || role == "" || session == "" || strings.Contains(session, "/") {
		return ARN{}, "", "", false
	}
	return a, role, session, true
}

func parseIAMARN(s, kind string) (ARN, string, bool) {
	a, ok := ParseARN(s)
	if !ok || a.Service != "iam" || a.Region != "" || !strings.HasPrefix(a.Resource, kind) {
		return ARN{}, "", false
	}
	name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	return a, name, name != ""
}

// isIAMName: 1 to max letters, digits and +=,.@_-.
func isIAMName(s string, max int) bool {
	return len(s) >= 1 && len(s) <= max && allBytes(s, func(c byte) bool {
		return isLetterDigit(c) || strings.IndexByte("+=,.@_-", c) >= 0
	})
}

// isIAMPath: "/", or "/", printable ASCII but space, and "/"; at most 512
// characters.
func isIAMPath(s string) bool {
	return s == "/" || len(s) >= 3 && len(s) <= 512 && s[0] == '/' && s[len(s)-1] == '/' && allBytes(s, func(c byte) bool { return '!' <= c && c <= '~' })
}
