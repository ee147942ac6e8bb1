package iam

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

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

// TestContextKeyIsSet checks that a prepared key sets what Set, SetUnknown
// and SetUnknownPrefix set with the same name: random sequences of the two
// kinds of call, in mixed case, build identical contexts.
func TestContextKeyIsSet(t *testing.T) {
	t.Parallel()
	names := []string{"aws:SourceVpce", "AWS:sourcevpce", "s3:prefix", "kms:EncryptionContext:aws:s3:arn", "aws:PrincipalArn", "aws:PrincipalTag/", "S3:ExistingObjectTag/"}
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		byName, byKey := NewContext(), NewContext()
		for range r.IntN(12) {
			name := names[r.IntN(len(names))]
			k := NewContextKey(name)
			v := strconv.Itoa(r.IntN(3))
			switch r.IntN(3) {
			case 0:
				byName.Set(name, v)
				byKey.SetKey(k, v)
			case 1:
				byName.SetUnknown(name)
				byKey.SetUnknownKey(k)
			case 2:
				byName.SetUnknownPrefix(name)
				byKey.SetUnknownPrefixKey(k)
			}
		}
		if !reflect.DeepEqual(byName, byKey) {
			t.Fatalf("trial %d: by name %+v, by prepared key %+v", trial, byName, byKey)
		}
	}
}
