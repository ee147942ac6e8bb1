package access

import (
	"hash/maphash"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// Policies repeat across checks: every organization node carries
// FullAWSAccess, every job of a plan shares the key policy, the SCPs and the
// AWS managed policies, and the provider re-reads the same configuration on
// every plan. Parsing is the larger part of a check, so compiled policies are
// shared through a process-wide cache. An iam.Policy is immutable after Parse
// and safe for concurrent use, which is what makes sharing one sound.
//
// The cache admits a document only the second time it is seen: documents
// unique to one job (a large plan has thousands) would otherwise push the
// shared ones out and hold memory for nothing. Entries live in two
// generations; when the current one is full it becomes the previous one and
// the older is dropped, and a hit in the previous generation moves the entry
// back, so documents in use stay while the memory stays bounded.
const (
	policyCacheGeneration = 1024    // entries per generation
	policyCacheBytes      = 4 << 20 // document bytes per generation; a compiled policy is a small multiple
	policyCacheSeen       = 8192    // first sightings remembered before forgetting them all
)

// policyKey identifies a parse: the same text parsed as another kind or under
// another label is another policy (kinds validate differently, and the label
// is part of the result and of its errors).
type policyKey struct {
	kind  iam.Kind
	label string
	doc   string
}

// policyEntry is one parse outcome; err is the iam.Parse error, cached too, as
// a document that failed once fails the same way again.
type policyEntry struct {
	key policyKey
	p   *iam.Policy
	err error
}

type policyCache struct {
	mu       sync.Mutex
	seed     maphash.Seed
	cur      map[uint64]*policyEntry
	curBytes int // document bytes held by cur
	prev     map[uint64]*policyEntry
	seen     map[uint64]struct{}
}

var policyParses = &policyCache{
	seed: maphash.MakeSeed(),
	cur:  map[uint64]*policyEntry{},
	seen: map[uint64]struct{}{},
}

// parsePolicy is iam.Parse through the process-wide cache.
func parsePolicy(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
	return policyParses.parse(policyKey{kind: kind, label: label, doc: doc})
}

// Run is what the checks of one run (every job of one plan) share: policy
// documents are parsed once or twice however many jobs read them and
// however many documents the run holds, and the organization tree is
// indexed once, each account's place in it worked out once. A bounded cache
// cannot promise that: on a plan with more shared documents than it holds,
// every job parses them again and the run's cost grows with jobs times
// documents. A Run keeps what it parsed until it is dropped, so it lives as
// long as the run, never the process. Safe for concurrent use; the zero
// value is not: use NewRun.
//
// SCPs and RCPs are kept from their first parse: every job of an account
// below them reads them. Other documents are kept from their second
// sighting (a shared document is parsed twice, then never again): most
// belong to one job, and keeping thousands of those until the end of the
// run would raise the run's peak memory for nothing.
type Run struct {
	seed   maphash.Seed
	mu     sync.Mutex
	parses map[uint64][]*runParse // by hash of the key; a collision chains
	seen   map[uint64]bool        // first sightings of documents not kept yet
	orgs   sync.Map               // *Organization -> *orgIndexOnce
}

// runParse is one document's parse in a run; once makes the goroutines that
// ask for it together wait for one parse.
type runParse struct {
	key  policyKey
	once sync.Once
	p    *iam.Policy
	err  error
}

// NewRun returns an empty Run.
func NewRun() *Run {
	return &Run{seed: maphash.MakeSeed(), parses: map[uint64][]*runParse{}, seen: map[uint64]bool{}}
}

// Parse is iam.Parse through the run's table: the checks' own parses come
// here, and so should any other reading of the run's documents (the
// validator's action lint), so that an SCP or RCP is parsed once per run
// whoever reads it first. The label must be the one the checks give the
// document (its Label, else its From) for the two to share the parse.
func (r *Run) Parse(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
	return r.parse(policyKey{kind: kind, label: label, doc: doc})
}

// parse is iam.Parse of k, kept for the rest of the run as Run says.
func (r *Run) parse(k policyKey) (*iam.Policy, error) {
	sum := hashKey(r.seed, k)
	r.mu.Lock()
	var e *runParse
	for _, c := range r.parses[sum] {
		if c.key == k {
			e = c
			break
		}
	}
	if e == nil {
		if k.kind != iam.KindSCP && k.kind != iam.KindRCP && !r.seen[sum] {
			// A collision of sums only makes a document kept early.
			r.seen[sum] = true
			r.mu.Unlock()
			return iam.Parse([]byte(k.doc), k.kind, k.label)
		}
		delete(r.seen, sum)
		e = &runParse{key: k}
		r.parses[sum] = append(r.parses[sum], e)
	}
	r.mu.Unlock()
	e.once.Do(func() { e.p, e.err = iam.Parse([]byte(k.doc), k.kind, k.label) })
	return e.p, e.err
}

// parsePolicy parses a document through the run's table when the check is
// part of a run, else through the process-wide cache.
func (c *checker) parsePolicy(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
	if c.opts.Run != nil {
		return c.opts.Run.parse(policyKey{kind: kind, label: label, doc: doc})
	}
	return parsePolicy(doc, kind, label)
}

// hash digests a key; entries compare the whole key, so a collision costs a
// parse, never a wrong policy.
func (pc *policyCache) hash(k policyKey) uint64 { return hashKey(pc.seed, k) }

func hashKey(seed maphash.Seed, k policyKey) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteByte(byte(k.kind))
	h.WriteString(k.label)
	h.WriteByte(0)
	h.WriteString(k.doc)
	return h.Sum64()
}

func (pc *policyCache) parse(k policyKey) (*iam.Policy, error) {
	sum := pc.hash(k)
	pc.mu.Lock()
	e := pc.lookup(sum, k)
	pc.mu.Unlock()
	if e != nil {
		return e.p, e.err
	}
	// Parse outside the lock: two goroutines may parse the same document
	// at once, and either result is as good as the other.
	p, err := iam.Parse([]byte(k.doc), k.kind, k.label)
	pc.mu.Lock()
	pc.admit(sum, &policyEntry{key: k, p: p, err: err})
	pc.mu.Unlock()
	return p, err
}

// lookup returns the cached entry for k, moving it into the current
// generation when found in the previous one. The caller holds mu.
func (pc *policyCache) lookup(sum uint64, k policyKey) *policyEntry {
	if e, ok := pc.cur[sum]; ok && e.key == k {
		return e
	}
	e, ok := pc.prev[sum]
	if !ok || e.key != k {
		return nil
	}
	delete(pc.prev, sum)
	pc.store(sum, e)
	return e
}

// admit caches e when its key was seen before, and otherwise only remembers
// the sighting. The caller holds mu.
func (pc *policyCache) admit(sum uint64, e *policyEntry) {
	if _, ok := pc.seen[sum]; !ok {
		if len(pc.seen) >= policyCacheSeen {
			clear(pc.seen)
		}
		pc.seen[sum] = struct{}{}
		return
	}
	delete(pc.seen, sum)
	pc.store(sum, e)
}

// store puts e into the current generation, starting a new one when full.
// The caller holds mu.
func (pc *policyCache) store(sum uint64, e *policyEntry) {
	if len(pc.cur) >= policyCacheGeneration || pc.curBytes+len(e.key.doc) > policyCacheBytes {
		pc.prev, pc.cur, pc.curBytes = pc.cur, make(map[uint64]*policyEntry, len(pc.cur)), 0
	}
	pc.cur[sum] = e
	pc.curBytes += len(e.key.doc)
}
