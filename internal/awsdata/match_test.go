package awsdata

import (
	"regexp"
	"strings"
	"testing"
)

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
		"star in the middle":               {"get*acl", "getobjectacl", true},
		"star needs backtracking":          {"*list*s", "listbucketversions", true},
		"suffix must be at the end":        {"*acl", "getobjectacls", false},
		"question mark is one char":        {"?etobject", "getobject", true},
		"question mark is not zero":        {"getobject?", "getobject", false},
		"question mark is not two":         {"g?tobject", "geetobject", false},
		"prefix only":                      {"get", "getobject", false},
		"repeated segment":                 {"a*bc", "abcbc", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := matchWildcard(tc.pattern, tc.s); got != tc.want {
				t.Errorf("matchWildcard(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
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
		// The matcher works on bytes, the regexp on runes: compare on ASCII only.
		for _, str := range []string{pattern, s} {
			for i := 0; i < len(str); i++ {
				if str[i] >= 0x80 {
					return
				}
			}
		}
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := matchWildcard(pattern, s); got != want {
			t.Errorf("matchWildcard(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		a, b string
		want int
	}{
		"equal":             {"getobject", "getobject", 0},
		"one insertion":     {"getobject", "getobjects", 1},
		"one deletion":      {"decrypt", "decryp", 1},
		"one substitution":  {"s3:getobject", "s4:getobject", 1},
		"one transposition": {"getobject", "getobejct", 1},
		"both empty":        {"", "", 0},
		"from empty":        {"", "abc", 3},
		"unrelated":         {"abc", "xyz", 3},
		"symmetric, longer": {"listbucket", "listbucketversions", 8},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := editDistance(tc.a, tc.b); got != tc.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := editDistance(tc.b, tc.a); got != tc.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d (distance is symmetric)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}
