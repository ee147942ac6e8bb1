package awsid

import "strings"

// AWS Organizations id shapes, from the Organizations API reference
// (Organization.Id, Root.Id, OrganizationalUnit.Id):
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html

// IsOrganizationID reports whether s is an organization id: "o-" and 10 to
// 32 lowercase letters or digits.
func IsOrganizationID(s string) bool {
	rest, ok := strings.CutPrefix(s, "o-")
	return ok && isLowerDigits(rest, 10, 32)
}

// IsRootID reports whether s is an organization root id: "r-" and 4 to 32
// lowercase letters or digits.
func IsRootID(s string) bool {
	rest, ok := strings.CutPrefix(s, "r-")
	return ok && isLowerDigits(rest, 4, 32)
}

// IsOUID reports whether s is an organizational unit id: "ou-", 4 to 32
// lowercase letters or digits (the root's), "-", and 8 to 32 more.
func IsOUID(s string) bool {
	rest, ok := strings.CutPrefix(s, "ou-")
	if !ok {
		return false
	}
	root, unit, ok := strings.Cut(rest, "-")
	return ok && isLowerDigits(root, 4, 32) && isLowerDigits(unit, 8, 32)
}

// isLowerDigits reports whether s is min to max lowercase ASCII letters or digits.
func isLowerDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLowerDigit(s[i]) {
			return false
		}
	}
	return true
}
