package iam

import "testing"

// TestUnknownPrefix checks that keys under a prefix marked unknown are
// unknown unless set, case-insensitively, and that clones keep the mark.
func TestUnknownPrefix(t *testing.T) {
	t.Parallel()
	c := NewContext()
	c.Set("aws:PrincipalTag/team", "etl")
	c.SetUnknownPrefix("aws:PrincipalTag/")
	for _, ctx := range []*Context{c, c.Clone()} {
		for key, want := range map[string]string{
			"aws:PrincipalTag/team":    "known",
			"AWS:principaltag/Suspend": "unknown",
			"aws:PrincipalTagX":        "absent",
			"aws:ResourceTag/team":     "absent",
		} {
			e, ok := ctx.lookup(newCtxKey(key))
			got := "absent"
			switch {
			case ok && e.unknown:
				got = "unknown"
			case ok:
				got = "known"
			}
			if got != want {
				t.Errorf("%s is %s, want %s", key, got, want)
			}
		}
	}
}
