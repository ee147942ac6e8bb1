package iam

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
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

// TestDeriveIsClone checks that a derived context reads as a clone does:
// random sequences of Set, SetUnknown and SetUnknownPrefix, with a Derive
// in one copy where the other has a Clone, give the same lookups of every
// key (values, unknown, name), the same aws:PrincipalArn and the same
// entries in the same order (each, which the KMS grant check walks).
func TestDeriveIsClone(t *testing.T) {
	t.Parallel()
	keys := []string{"aws:PrincipalArn", "AWS:principalarn", "aws:SourceVpce", "kms:EncryptionContext:aws:s3:arn", "KMS:encryptioncontext:Team", "aws:PrincipalTag/team", "s3:prefix"}
	prefixes := []string{"aws:PrincipalTag/", "kms:EncryptionContext:", "S3:"}
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 3000 {
		cloned, derived := NewContext(), NewContext()
		var bases []*Context // every context derived from, kept to show they do not change
		var frozen []string
		for range r.IntN(14) {
			k := keys[r.IntN(len(keys))]
			v := []string{strconv.Itoa(r.IntN(3))}
			switch r.IntN(6) {
			case 0:
				cloned.SetUnknown(k)
				derived.SetUnknown(k)
			case 1:
				p := prefixes[r.IntN(len(prefixes))]
				cloned.SetUnknownPrefix(p)
				derived.SetUnknownPrefix(p)
			case 2:
				bases = append(bases, derived)
				frozen = append(frozen, dumpContext(derived, keys))
				cloned, derived = cloned.Clone(), derived.Derive()
			case 3:
				cloned, derived = cloned.Clone(), derived.Clone()
			default:
				cloned.Set(k, v...)
				derived.Set(k, v...)
			}
		}
		if got, want := dumpContext(derived, keys), dumpContext(cloned, keys); got != want {
			t.Fatalf("trial %d: derived\n%s\ncloned\n%s", trial, got, want)
		}
		for i, b := range bases {
			if got := dumpContext(b, keys); got != frozen[i] {
				t.Fatalf("trial %d: a base changed after Derive:\n%s\nwas\n%s", trial, got, frozen[i])
			}
		}
	}
}

// dumpContext renders what a context answers for keys (and for a key under
// each prefix), its aws:PrincipalArn and its entries in order.
func dumpContext(c *Context, keys []string) string {
	var b strings.Builder
	for _, k := range append(slices.Clone(keys), "aws:PrincipalTag/other", "kms:EncryptionContext:other", "s3:other") {
		e, ok := c.lookup(newCtxKey(k))
		if !ok {
			fmt.Fprintf(&b, "%s absent\n", k)
			continue
		}
		fmt.Fprintf(&b, "%s %q unknown=%v values=%q\n", k, e.name, e.unknown, e.values)
	}
	v, one := principalArnOf(c)
	fmt.Fprintf(&b, "principalArn %q %v\n", v, one)
	for e := range c.each {
		fmt.Fprintf(&b, "entry %q %v %q\n", e.name, e.unknown, e.values)
	}
	return b.String()
}
