package access

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

func newTestPolicyCache() *policyCache {
	return &policyCache{seed: policyParses.seed, cur: map[uint64]*policyEntry{}, seen: map[uint64]struct{}{}}
}

// TestPolicyCacheSharesOnlyIdenticalParses checks that a cached policy is
// handed out only for the same document, kind and label, and only from the
// second sighting on (one-off documents are not kept).
func TestPolicyCacheSharesOnlyIdenticalParses(t *testing.T) {
	allow := policy(stmt("Allow", []string{"s3:GetObject"}, "*"))
	deny := policy(stmt("Deny", []string{"s3:GetObject"}, "*"))
	tests := []struct {
		name        string
		first, then policyKey
		wantShared  bool
	}{
		{"same document, kind and label", policyKey{iam.KindIdentity, "a", allow}, policyKey{iam.KindIdentity, "a", allow}, true},
		{"another label names another policy", policyKey{iam.KindIdentity, "a", allow}, policyKey{iam.KindIdentity, "b", allow}, false},
		{"another kind validates differently", policyKey{iam.KindIdentity, "a", allow}, policyKey{iam.KindSCP, "a", allow}, false},
		{"another document", policyKey{iam.KindIdentity, "a", allow}, policyKey{iam.KindIdentity, "a", deny}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pc := newTestPolicyCache()
			first, err := pc.parse(tc.first)
			if err != nil {
				t.Fatal(err)
			}
			// The second sighting parses again and admits; the third is a hit.
			if again, _ := pc.parse(tc.first); again == first {
				t.Fatalf("a document seen once was cached")
			}
			admitted, _ := pc.parse(tc.first)
			then, err := pc.parse(tc.then)
			if err != nil {
				t.Fatal(err)
			}
			if shared := then == admitted; shared != tc.wantShared {
				t.Fatalf("shared = %v, want %v", shared, tc.wantShared)
			}
			if then.Label != tc.then.label || then.Kind != tc.then.kind {
				t.Errorf("got policy %q of kind %v, want %q of kind %v", then.Label, then.Kind, tc.then.label, tc.then.kind)
			}
		})
	}
}

// TestPolicyCacheKeepsParseErrors checks that an invalid document fails the
// same way from the cache as when parsed.
func TestPolicyCacheKeepsParseErrors(t *testing.T) {
	pc := newTestPolicyCache()
	k := policyKey{iam.KindIdentity, "broken", `{"Statement":[{"Effect":"Maybe"}]}`}
	_, want := iam.Parse([]byte(k.doc), k.kind, k.label)
	if want == nil {
		t.Fatal("the fixture must be an invalid policy")
	}
	for i := range 3 {
		p, err := pc.parse(k)
		if p != nil || !errors.Is(err, iam.ErrPolicySyntax) || err.Error() != want.Error() {
			t.Fatalf("parse %d: got %v, %v; want nil, %v", i, p, err, want)
		}
	}
}

// TestPolicyCacheBounded checks that the cache forgets documents beyond its
// two generations and keeps the ones in use.
func TestPolicyCacheBounded(t *testing.T) {
	pc := newTestPolicyCache()
	hot := policyKey{iam.KindSCP, "FullAWSAccess@r-1", fullAWSAccess}
	_, _ = pc.parse(hot) // the first parse fills the cache
	want, _ := pc.parse(hot)
	for i := range 3 * policyCacheGeneration {
		k := policyKey{iam.KindIdentity, "p" + strconv.Itoa(i), policy(stmt("Allow", []string{"s3:GetObject"}, "*"))}
		_, _ = pc.parse(k)
		_, _ = pc.parse(k)
		if i%policyCacheGeneration == 0 {
			if got, _ := pc.parse(hot); got != want {
				t.Fatalf("after %d documents the policy in use was evicted", i)
			}
		}
	}
	if n := len(pc.cur) + len(pc.prev); n > 2*policyCacheGeneration {
		t.Errorf("%d entries cached, want at most %d", n, 2*policyCacheGeneration)
	}
	if len(pc.seen) > policyCacheSeen {
		t.Errorf("%d sightings remembered, want at most %d", len(pc.seen), policyCacheSeen)
	}
}

// TestPolicyCacheBoundedByBytes checks that large documents start a new
// generation before the document bytes held pass the bound.
func TestPolicyCacheBoundedByBytes(t *testing.T) {
	pc := newTestPolicyCache()
	sid := strings.Repeat("x", 256<<10)
	const n = 40 // 10 MB of documents, more than two generations hold
	for i := range n {
		k := policyKey{iam.KindIdentity, "big" + strconv.Itoa(i),
			`{"Version":"2012-10-17","Statement":[{"Sid":"` + sid + `","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}
		_, _ = pc.parse(k)
		if _, err := pc.parse(k); err != nil {
			t.Fatal(err)
		}
	}
	if held := bytesOf(pc.cur) + bytesOf(pc.prev); held > 2*policyCacheBytes {
		t.Errorf("%d document bytes cached, want at most %d", held, 2*policyCacheBytes)
	}
	if got := bytesOf(pc.cur); pc.curBytes != got {
		t.Errorf("curBytes = %d, the current generation holds %d", pc.curBytes, got)
	}
}

func bytesOf(gen map[uint64]*policyEntry) int {
	n := 0
	for _, e := range gen {
		n += len(e.key.doc)
	}
	return n
}

// TestPolicyCacheConcurrent runs parses of shared documents from many
// goroutines; with -race it checks the locking.
func TestPolicyCacheConcurrent(t *testing.T) {
	pc := newTestPolicyCache()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := policyKey{iam.KindSCP, "FullAWSAccess@ou-" + strconv.Itoa((g+i)%5), fullAWSAccess}
				if p, err := pc.parse(k); err != nil || p.Label != k.label {
					t.Errorf("got %v, %v for %s", p, err, k.label)
					return
				}
			}
		})
	}
	wg.Wait()
}
