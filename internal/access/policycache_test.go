package access

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"weak"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
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

// countingRun returns a Run that counts its parses by key.
func countingRun() (*Run, func(policyKey) int) {
	r := NewRun()
	var mu sync.Mutex
	n := map[policyKey]int{}
	r.parse = func(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
		mu.Lock()
		n[policyKey{kind, label, doc}]++
		mu.Unlock()
		return iam.ParseString(doc, kind, label)
	}
	return r, func(k policyKey) int {
		mu.Lock()
		defer mu.Unlock()
		return n[k]
	}
}

// collect runs the collector until what is only weakly reachable is gone.
func collect() {
	runtime.GC()
	runtime.GC()
}

// TestRunHoldsOnlySharedDocuments checks what a Run parses and what it
// holds: a document read by two checks is parsed once, whether the second
// comes while the first holds the parse, or after the first let go when the
// document is shared by construction (SCPs, RCPs, what Check makes); a
// document read once is not held, so it costs the run no memory once its
// reader is done.
func TestRunHoldsOnlySharedDocuments(t *testing.T) {
	doc := func(i int) string {
		return policy(allow(acts("s3:GetObject"), "arn:aws:s3:::b"+strconv.Itoa(i)+"/*"))
	}
	held := func(t *testing.T, r *Run, k policyKey) bool {
		t.Helper()
		p, _ := r.parseKey(k, false)
		w := weak.Make(p)
		p = nil
		_ = p
		collect()
		runtime.KeepAlive(r) // the run is what may hold it
		return w.Value() != nil
	}
	t.Run("second reader while the first holds the parse", func(t *testing.T) {
		r, parses := countingRun()
		k := policyKey{iam.KindIdentity, "aws_iam_role_policy.a", doc(1)}
		p1, _ := r.parseKey(k, false)
		p2, _ := r.parseKey(k, false)
		runtime.KeepAlive(p1)
		collect()
		p3, _ := r.parseKey(k, false)
		if p1 != p2 || p2 != p3 || parses(k) != 1 {
			t.Fatalf("parsed %d times (same parse: %v, %v), want once", parses(k), p1 == p2, p2 == p3)
		}
	})
	t.Run("shared by construction, readers far apart", func(t *testing.T) {
		r, parses := countingRun()
		for _, tc := range []struct {
			k    policyKey
			keep bool
		}{
			{policyKey{iam.KindSCP, "scp", doc(2)}, false},
			{policyKey{iam.KindRCP, "rcp", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`}, false},
			{policyKey{iam.KindKeyPolicy, "aws_kms_key.k (default key policy)", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`}, true},
		} {
			for range 3 {
				if _, err := r.parseKey(tc.k, tc.keep); err != nil {
					t.Fatal(err)
				}
				collect()
			}
			if parses(tc.k) != 1 {
				t.Errorf("%s: parsed %d times, want once", tc.k.label, parses(tc.k))
			}
		}
	})
	t.Run("read once: not held", func(t *testing.T) {
		r, parses := countingRun()
		k := policyKey{iam.KindIdentity, "aws_iam_role_policy.one", doc(3)}
		if held(t, r, k) {
			t.Error("a document read once is held by the run")
		}
		// Read again after its parse is gone: parsed again (nothing said
		// it was shared), and held from then on.
		if !held(t, r, k) || parses(k) != 2 {
			t.Errorf("second reading: parsed %d times in all, want 2, and held", parses(k))
		}
		if held(t, r, k); parses(k) != 2 {
			t.Errorf("third reading parsed again")
		}
	})
	t.Run("invalid documents", func(t *testing.T) {
		r, parses := countingRun()
		k := policyKey{iam.KindIdentity, "broken", `{"Statement":[{"Effect":"Maybe"}]}`}
		_, e1 := r.parseKey(k, false)
		collect()
		_, e2 := r.parseKey(k, false)
		if e1 == nil || e1 != e2 || parses(k) != 1 {
			t.Errorf("errors %v and %v after %d parses, want one parse error twice", e1, e2, parses(k))
		}
	})
}

// TestRunTakesOnlyItsOwnParse checks that a parse remembered under a hash
// is handed out only for the same document, kind and label: the hash is a
// hint (two keys may share one), the key decides.
func TestRunTakesOnlyItsOwnParse(t *testing.T) {
	want := policyKey{iam.KindIdentity, "aws_iam_role_policy.a", policy(allow(acts("s3:GetObject"), "arn:aws:s3:::a/*"))}
	others := []policyKey{
		{iam.KindIdentity, "aws_iam_role_policy.a", policy(allow(acts("s3:*"), "*"))},
		{iam.KindIdentity, "aws_iam_role_policy.b", want.doc},
		{iam.KindBoundary, want.label, want.doc},
	}
	for _, other := range others {
		r := NewRun()
		p, err := iam.ParseString(other.doc, other.kind, other.label)
		if err != nil {
			t.Fatal(err)
		}
		// As if other had been read once and hashed like want.
		r.seen[hashKey(r.seed, want)] = weak.Make(p)
		got, err := r.parseKey(want, false)
		if err != nil {
			t.Fatal(err)
		}
		if got == p || got.Document() != want.doc || got.Label != want.label || got.Kind != want.kind {
			t.Errorf("with %v remembered, read %q (%v, %v), want the parse of %v", other, got.Document(), got.Label, got.Kind, want)
		}
		runtime.KeepAlive(p)
	}
}

// TestRunConcurrentReaders reads a mix of documents from several goroutines
// that hold some parses, drop others and collect between reads: every read
// gets the parse of its own document, documents shared by construction are
// parsed once, and no other document more than twice. With -race it checks
// the locking.
func TestRunConcurrentReaders(t *testing.T) {
	r, parses := countingRun()
	var keys []policyKey
	for i := range 24 {
		kind := []iam.Kind{iam.KindIdentity, iam.KindResource, iam.KindSCP}[i%3]
		d := policy(allow(acts("s3:GetObject"), "arn:aws:s3:::b"+strconv.Itoa(i)+"/*"))
		if kind == iam.KindResource {
			d = policy(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b` + strconv.Itoa(i) + `/*"}`)
		}
		keys = append(keys, policyKey{kind, "p" + strconv.Itoa(i), d})
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			var kept []*iam.Policy
			for i := range 300 {
				k := keys[(i*7+g*5)%len(keys)]
				p, err := r.parseKey(k, false)
				if err != nil || p.Document() != k.doc || p.Label != k.label || p.Kind != k.kind {
					t.Errorf("read %v, got %v (%v)", k, p, err)
					return
				}
				if i%3 == 0 {
					kept = append(kept, p)
				}
				if i%50 == 0 {
					// Let go of what this reader held, so that later reads
					// find some parses collected.
					runtime.KeepAlive(kept)
					kept = nil
					runtime.GC()
				}
			}
		})
	}
	wg.Wait()
	for _, k := range keys {
		limit := 2
		if k.kind == iam.KindSCP {
			limit = 1
		}
		if n := parses(k); n < 1 || n > limit {
			t.Errorf("%s (%v) parsed %d times, want 1 to %d", k.label, k.kind, n, limit)
		}
	}
}

// TestRunParsesEachDocumentOfAnEstateOnce checks jobs as a run does, one
// after another with the collector run between them: the documents the
// jobs share (an AWS managed policy, a key's default policy, an SCP) are
// each parsed once in the run, a bucket policy whose first reader let go
// before the second read twice and then held, and the decisions are those
// of the jobs checked alone.
func TestRunParsesEachDocumentOfAnEstateOnce(t *testing.T) {
	sharedBucket := `{"Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/*"}`
	org := &Organization{Nodes: []OrgNode{
		{ID: "r-root", Kind: NodeRoot, SCPs: []PolicyDoc{doc("aws_organizations_policy.guard", policy(stmt("Deny", acts("s3:DeleteBucket"), "*")))}},
		{ID: acctA, Kind: NodeAccount, Parent: fact("r-root", "aws_organizations_account.a")},
	}}
	job := func(i int) *Facts {
		f := with(
			bucketPolicy("etl-scripts", sharedBucket),
			addRolePolicy("aws_iam_role_policy.kms", allow(acts("kms:Decrypt", "kms:GenerateDataKey"), keyARN)),
			func(f *Facts) {
				f.Job.Address = fmt.Sprintf("aws_glue_job.j%d", i)
				f.Role.Managed = []ManagedPolicy{{ARN: fact(glueServiceRole, "aws_iam_role_policy_attachment.glue")}}
				f.Job.SecurityConfiguration = &SecurityConfiguration{Name: "sc", S3EncryptionMode: fact(S3EncryptionSSEKMS, "sc"), S3KMSKeyARN: fact(keyARN, "sc")}
				f.Keys = []KMSKey{{ARN: fact(keyARN, "aws_kms_key.data"), Address: "aws_kms_key.data", Account: fact(acctA, "aws_kms_key.data")}}
				f.Org = org
			})
		return f
	}
	const jobs = 4
	r, parses := countingRun()
	bucketDoc := job(0).Buckets[0].Policy
	for i := range jobs {
		f := job(i)
		if got, want := dump(Check(f, Options{Run: r})), dump(Check(job(i), Options{})); got != want {
			t.Fatalf("job %d with the run:\n%s\nwant\n%s", i, got, want)
		}
		collect()
	}
	managed, ok := awsdata.ManagedPolicy(glueServiceRole)
	if !ok {
		t.Fatal("no embedded " + glueServiceRole)
	}
	for _, k := range []policyKey{
		{iam.KindIdentity, glueServiceRole, string(managed.Document)},
		{iam.KindKeyPolicy, "aws_kms_key.data (default key policy)", defaultKeyPolicy(&job(0).Keys[0]).JSON},
		{iam.KindSCP, "aws_organizations_policy.guard", org.Nodes[0].SCPs[0].JSON},
		{iam.KindSCP, "FullAWSAccess@r-root", fullAWSAccess},
	} {
		if n := parses(k); n != 1 {
			t.Errorf("%s parsed %d times in the run, want once", k.label, n)
		}
	}
	// The plan's own document: its first reader let go and the collector
	// ran before the second read, so it was parsed again, then held.
	if n := parses(policyKey{iam.KindResource, bucketDoc.label(), bucketDoc.JSON}); n != 2 {
		t.Errorf("the shared bucket policy parsed %d times in the run, want twice", n)
	}
}
