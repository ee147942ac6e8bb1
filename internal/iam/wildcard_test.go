package iam

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMatchWildcard: MatchWildcard is IAM's wildcard rule for callers outside
// the evaluator (the action catalog in internal/awsdata, fix advice in
// internal/access).
func TestMatchWildcard(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		pattern, s string
		want       bool
	}{
		"exact":                            {"getobject", "getobject", true},
		"differs":                          {"getobject", "putobject", false},
		"star matches all":                 {"*", "anything", true},
		"star matches empty":               {"get*", "get", true},
		"double star":                      {"**", "", true},
		"empty pattern matches only empty": {"", "x", false},
		"empty pattern matches empty":      {"", "", true},
		"star in the middle":               {"get*acl", "getobjectacl", true},
		"star needs backtracking":          {"*list*s", "listbucketversions", true},
		"suffix must be at the end":        {"*acl", "getobjectacls", false},
		"question mark is one char":        {"?etobject", "getobject", true},
		"question mark is not zero":        {"getobject?", "getobject", false},
		"question mark is not two":         {"g?tobject", "geetobject", false},
		"question mark is one rune":        {"caf?", "café", true},
		"star in the text is a letter":     {"*a", "*xa", true},
		"prefix only":                      {"get", "getobject", false},
		"repeated segment":                 {"a*bc", "abcbc", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := MatchWildcard(tc.pattern, tc.s); got != tc.want {
				t.Errorf("MatchWildcard(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

// FuzzMatchWildcard compares the matcher with a regular expression built from
// the same pattern.
func FuzzMatchWildcard(f *testing.F) {
	f.Add("get*acl", "getobjectacl")
	f.Add("*list*s", "listbucketversions")
	f.Add("a?c*", "abcd")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		var re strings.Builder
		re.WriteString(`(?s)\A`)
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(".*")
			case '?':
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString(`\z`)
		// Both work on runes; invalid UTF-8 reads differently in the regexp.
		if !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := MatchWildcard(pattern, s); got != want {
			t.Errorf("MatchWildcard(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}
