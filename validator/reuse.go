package validator

import "sync"

// reuseCache keeps what was built for a key from the key's second use on.
// Most keys of a plan are used by one job only (a job's own role or bucket),
// and keeping what was built for those would hold it until the last job is
// checked; a key that several jobs use is built twice, then shared.
//
// It is safe for concurrent use: the check workers build job facts. A value
// is built outside the lock (two workers may build one key at once, each
// getting a value equal to the other's), so builds of different keys run in
// parallel; build must not depend on which job asks.
type reuseCache[V any] struct {
	mu sync.Mutex
	// m holds the value kept for each key; an entry that is present but nil
	// marks a key used once.
	m map[string]*V
}

// get returns the value kept for key, or builds it with build, keeping it
// when key was used before. Nothing is kept of a nil value.
func (c *reuseCache[V]) get(key string, build func() *V) *V {
	c.mu.Lock()
	v := c.m[key]
	c.mu.Unlock()
	if v != nil {
		return v
	}
	if v = build(); v == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept := c.m[key]; kept != nil {
		// Built and kept by another worker meanwhile: share that one.
		return kept
	}
	if c.m == nil {
		c.m = map[string]*V{}
	}
	if _, marked := c.m[key]; marked {
		c.m[key] = v
	} else {
		c.m[key] = nil
	}
	return v
}
