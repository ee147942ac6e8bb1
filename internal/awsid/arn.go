package awsid

import "strings"

// ARN is an Amazon Resource Name split into its six colon-separated fields;
// Resource keeps any further colons ("key/abc", "function:f:1").
// See "Amazon Resource Names (ARNs)":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s into the fields of an ARN. It checks only the shape:
// the "arn" prefix and six fields; any field may be empty. Callers that need
// a well-formed ARN check the fields they use (IsPartition, IsAccountID, ...).
func ParseARN(s string) (ARN, bool) {
	f, ok := SplitARN(s)
	if !ok || f[0] != "arn" {
		return ARN{}, false
	}
	return ARN{Partition: f[1], Service: f[2], Region: f[3], Account: f[4], Resource: f[5]}, true
}

// SplitARN splits s into the six colon-separated fields of an ARN without
// looking at them (the first is "arn" in an ARN); the last keeps any further
// colons. It reports false when s has fewer than six fields. It allocates
// nothing: internal/iam splits every request's resource with it.
func SplitARN(s string) (f [6]string, ok bool) {
	// One pass over the bytes: the fields before the resource are short, so a
	// plain loop beats a call to strings.IndexByte per field.
	seg, start := 0, 0
	for i := 0; i < len(s) && seg < len(f)-1; i++ {
		if s[i] == ':' {
			f[seg] = s[start:i]
			seg++
			start = i + 1
		}
	}
	if seg < len(f)-1 {
		return f, false
	}
	f[len(f)-1] = s[start:]
	return f, true
}

// String writes the ARN: arn:partition:service:region:account:resource.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// AccountOfARN returns the account field of an ARN, "" when s is not one.
func AccountOfARN(s string) string {
	a, _ := ParseARN(s)
	return a.Account
}

// IsPartition reports whether s has the shape of an AWS partition name:
// aws, aws-cn, aws-us-gov, aws-iso-b, ...
func IsPartition(s string) bool {
	rest, ok := strings.CutPrefix(s, "aws")
	if !ok {
		return false
	}
	for rest != "" {
		var word string
		rest, ok = strings.CutPrefix(rest, "-")
		if !ok {
			return false
		}
		word, rest = cutLower(rest)
		if word == "" {
			return false
		}
	}
	return true
}

// cutLower splits s after its leading run of lowercase ASCII letters.
func cutLower(s string) (word, rest string) {
	i := 0
	for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
		i++
	}
	return s[:i], s[i:]
}

// IsAccountID reports whether s is an AWS account id: twelve ASCII digits.
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
func IsAccountID(s string) bool {
	return len(s) == 12 && isDigits(s)
}

// IsRegionName reports whether s has the shape of an AWS Region name:
// eu-west-1, us-gov-east-1, ap-southeast-5, eusc-de-east-1 (the AWS European
// Sovereign Cloud, partition aws-eusc). Two to four lowercase letters, one or
// more lowercase words, then a number, each after a hyphen.
// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
func IsRegionName(s string) bool {
	first, rest := cutLower(s)
	if len(first) < 2 || len(first) > 4 {
		return false
	}
	words := 0
	for {
		var ok bool
		rest, ok = strings.CutPrefix(rest, "-")
		if !ok {
			return false
		}
		if word, after := cutLower(rest); word != "" {
			rest, words = after, words+1
			continue
		}
		return words > 0 && rest != "" && isDigits(rest)
	}
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// isDigits reports whether s is all ASCII digits (true for "").
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseAccountARN parses an ARN whose fields before the resource hold no
// placeholder: a partition "aws" followed by letters and hyphens, a
// service and a Region (possibly empty) of lowercase letters, digits and
// hyphens, and a twelve-digit account. Text still waiting for a value
// ("arn:aws:kms:${var.region}:111122223333:key/k") gives false.
func ParseAccountARN(s string) (ARN, bool) {
	a, ok := ParseARN(s)
	if !ok || !strings.HasPrefix(a.Partition, "aws") || !allBytes(a.Partition, isLetterHyphen) ||
		a.Service == "" || !allBytes(a.Service, isLowerDigitHyphen) || !allBytes(a.Region, isLowerDigitHyphen) || !IsAccountID(a.Account) {
		return ARN{}, false
	}
	return a, true
}

func isLetterHyphen(c byte) bool { return isLower(c) || 'A' <= c && c <= 'Z' || c == '-' }
