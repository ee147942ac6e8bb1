package awsid

import "strings"

// KMS key identifiers, from "Key identifiers (KeyId)" in the AWS KMS
// developer guide: https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
// and the alias naming rules in "Creating aliases":
// https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html

// IsKMSKeyResource reports whether s is the resource part of a KMS key or
// alias ARN: "key/" and 1 to 128 letters, digits or hyphens, or "alias/"
// and 1 to 250 letters, digits, "/", "_" or "-".
func IsKMSKeyResource(s string) bool {
	if id, ok := strings.CutPrefix(s, "key/"); ok {
		return len(id) >= 1 && len(id) <= 128 && allBytes(id, isKeyIDChar)
	}
	if name, ok := strings.CutPrefix(s, "alias/"); ok {
		return len(name) >= 1 && len(name) <= 250 && allBytes(name, isAliasChar)
	}
	return false
}

// IsKMSKeyARN reports whether s is a KMS key ARN or, with aliasOK, a KMS
// alias ARN: arn:partition:kms:region:account:key/id (or alias/name).
func IsKMSKeyARN(s string, aliasOK bool) bool {
	a, ok := ParseARN(s)
	return ok && IsPartition(a.Partition) && a.Service == "kms" && IsRegionName(a.Region) && IsAccountID(a.Account) &&
		IsKMSKeyResource(a.Resource) && (aliasOK || !strings.HasPrefix(a.Resource, "alias/"))
}

// KMSKeyRegion returns the Region of a KMS key or alias ARN; false when s is
// not such an ARN or its Region field is not a Region name (a placeholder
// still waiting for a value).
func KMSKeyRegion(s string) (string, bool) {
	a, ok := ParseARN(s)
	if !ok || a.Service != "kms" || !IsRegionName(a.Region) {
		return "", false
	}
	return a.Region, true
}

// IsKMSKeyRef reports whether s is something KMS accepts as a key to use: a
// key ARN or alias ARN, a key id (a UUID, "mrk-" and a UUID, or "mrk-" and 32
// hex digits), or an alias name ("alias/...").
func IsKMSKeyRef(s string) bool {
	if a, ok := ParseARN(s); ok {
		if !strings.HasPrefix(a.Partition, "aws") || !allBytes(a.Partition, isLowerHyphen) ||
			a.Service != "kms" || a.Region == "" || !allBytes(a.Region, isLowerDigitHyphen) || !IsAccountID(a.Account) {
			return false
		}
		if id, ok := strings.CutPrefix(a.Resource, "key/"); ok {
			id = strings.TrimPrefix(id, "mrk-")
			return len(id) >= 32 && len(id) <= 36 && allBytes(id, isHexHyphen)
		}
		return isAliasName(a.Resource)
	}
	return IsKMSKeyID(s) || isAliasName(s)
}

// IsKMSKeyID reports whether s is a KMS key id: a lowercase UUID
// (1234abcd-12ab-34cd-56ef-1234567890ab), "mrk-" and such a UUID, or "mrk-"
// and 32 lowercase hex digits (a multi-Region key).
func IsKMSKeyID(s string) bool {
	id, mrk := strings.CutPrefix(s, "mrk-")
	if mrk && len(id) == 32 && allBytes(id, isLowerHex) {
		return true
	}
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if id[i] != '-' {
				return false
			}
		} else if !isLowerHex(id[i]) {
			return false
		}
	}
	return true
}

// isAliasName reports whether s is "alias/" and one or more letters, digits,
// "/", "_" or "-".
func isAliasName(s string) bool {
	name, ok := strings.CutPrefix(s, "alias/")
	return ok && name != "" && allBytes(name, isAliasChar)
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isLetterDigit(c byte) bool { return isLowerDigit(c) || 'A' <= c && c <= 'Z' }
func isKeyIDChar(c byte) bool   { return isLetterDigit(c) || c == '-' }
func isAliasChar(c byte) bool   { return isLetterDigit(c) || c == '/' || c == '_' || c == '-' }
func isLowerHex(c byte) bool    { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }
func isHexHyphen(c byte) bool   { return isLowerHex(c) || c == '-' }
func isLowerHyphen(c byte) bool { return isLower(c) || c == '-' }
func isLowerDigitHyphen(c byte) bool {
	return isLowerDigit(c) || c == '-'
}
