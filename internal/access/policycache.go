package access

import (
	"hash/maphash"
	"slices"
	"sync"
	"weak"

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

// Run is what the checks of one run (every job of one plan) share: each
// policy document is parsed once however many jobs read it and however many
// documents the run holds, and the organization tree is indexed once, each
// account's place in it worked out once. A bounded cache cannot promise
// that: on a plan with more shared documents than it holds, every job parses
// them again and the run's cost grows with jobs times documents. A Run keeps
// what it parsed until it is dropped, so it lives as long as the run, never
// the process. Safe for concurrent use; the zero value is not: use NewRun.
//
// What a Run holds on to differs by document, so that the documents that
// belong to one job (most of a large plan's) are not all held until the end
// of the run, which would raise its peak memory for nothing:
//   - SCPs and RCPs, and the documents Check makes itself (AWS managed
//     policies, default key policies), are kept from their first parse:
//     every job below an SCP, attaching a managed policy or using a key
//     reads them.
//   - Any other document is remembered through a weak pointer from its
//     first parse: while the job that read it still holds the parse, a
//     second reader gets the same parse, which is then kept for the run.
//     Only when the first reader has let go and the collector has reclaimed
//     the parse is the document parsed again (and then kept): a document
//     is parsed at most twice in a run.
type Run struct {
	seed maphash.Seed
	mu   sync.Mutex
	// parses are the documents held, and those being parsed for a first
	// reader, by hash of the key; a collision chains.
	parses map[uint64][]*runParse
	// seen are the documents parsed once and not held, by hash of the key:
	// their parse while something else holds it.
	seen map[uint64]weak.Pointer[iam.Policy]
	orgs sync.Map // *Organization -> *orgIndexOnce
	// parse is iam.ParseString; tests count parses through it.
	parse func(doc string, kind iam.Kind, label string) (*iam.Policy, error)
}

// runParse is one document's parse in a run; once makes the goroutines that
// ask for it together wait for one parse.
type runParse struct {
	key  policyKey
	once sync.Once
	p    *iam.Policy // written in once
	err  error       // likewise
	// Guarded by Run.mu:
	keep bool // held for the rest of the run
}

// NewRun returns an empty Run.
func NewRun() *Run {
	return &Run{seed: maphash.MakeSeed(), parses: map[uint64][]*runParse{},
		seen: map[uint64]weak.Pointer[iam.Policy]{}, parse: iam.ParseString}
}

// Parse is iam.Parse through the run's table: the checks' own parses come
// here, and so should any other reading of the run's documents (the
// validator's action lint), so that a document is parsed once per run
// whoever reads it first. The label must be the one the checks give the
// document (its Label, else its From) for the two to share the parse.
func (r *Run) Parse(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
	return r.parseKey(policyKey{kind: kind, label: label, doc: doc}, false)
}

// lookup finds k's entry among the parses. The caller holds mu.
func (r *Run) lookup(sum uint64, k policyKey) *runParse {
	for _, c := range r.parses[sum] {
		if c.key == k {
			return c
		}
	}
	return nil
}

// hold adds an entry for k, with the parse of its first reading when that
// is still held elsewhere. The caller holds mu.
func (r *Run) hold(sum uint64, k policyKey) *runParse {
	e := &runParse{key: k}
	if w, ok := r.seen[sum]; ok {
		delete(r.seen, sum)
		// The sum is only a hint: the parse is taken only for the same
		// document, kind and label.
		if p := w.Value(); p != nil && p.Document() == k.doc && p.Label == k.label && p.Kind == k.kind {
			e.once.Do(func() { e.p = p })
		}
	}
	r.parses[sum] = append(r.parses[sum], e)
	return e
}

// parseKey is iam.Parse of k, held for the rest of the run as Run says;
// keep holds it from the first parse.
func (r *Run) parseKey(k policyKey, keep bool) (*iam.Policy, error) {
	sum := hashKey(r.seed, k)
	r.mu.Lock()
	e := r.lookup(sum, k)
	switch {
	case e == nil:
		_, again := r.seen[sum]
		e = r.hold(sum, k)
		// Read before (or a collision of sums, which only holds a
		// document early): shared, so held from now on.
		e.keep = again
	default:
		// Being parsed for its first reader: shared.
		e.keep = true
	}
	if keep || k.kind == iam.KindSCP || k.kind == iam.KindRCP {
		e.keep = true
	}
	r.mu.Unlock()
	e.once.Do(func() { e.p, e.err = r.parse(k.doc, k.kind, k.label) })
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.keep || e.err != nil {
		// An invalid document stays held: its error is small, and the
		// next reader gets it without a parse.
		return e.p, e.err
	}
	// Read by its first reader only: remembered without being held.
	chain := r.parses[sum]
	if i := slices.Index(chain, e); i >= 0 {
		if chain = slices.Delete(chain, i, i+1); len(chain) == 0 {
			delete(r.parses, sum)
		} else {
			r.parses[sum] = chain
		}
		r.seen[sum] = weak.Make(e.p)
	}
	return e.p, e.err
}

// parsePolicy parses a document through the run's table when the check is
// part of a run, else through the process-wide cache. keep says the document
// is shared by every job that reads it (see Run).
func (c *checker) parsePolicy(doc string, kind iam.Kind, label string, keep bool) (*iam.Policy, error) {
	if c.opts.Run != nil {
		return c.opts.Run.parseKey(policyKey{kind: kind, label: label, doc: doc}, keep)
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
	p, err := iam.ParseString(k.doc, k.kind, k.label)
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
