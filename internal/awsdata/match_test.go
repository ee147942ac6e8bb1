package awsdata

import (
	"testing"
)

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
