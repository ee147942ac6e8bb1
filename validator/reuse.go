package validator

// reuseCache keeps what was built for a key from the key's second use on.
// Most keys of a plan are used by one job only (a job's own role or bucket),
// and keeping what was built for those would hold it until the last job is
// checked; a key that several jobs use is built twice, then shared.
//
// An entry that is present but nil marks a key used once.
type reuseCache[V any] map[string]*V

// get returns the value kept for key, or builds it with build, keeping it
// when key was used before. Nothing is kept of a nil value.
func (c reuseCache[V]) get(key string, build func() *V) *V {
	v, seen := c[key]
	if v != nil {
		return v
	}
	if v = build(); v != nil {
		c[key] = nil
		if seen {
			c[key] = v
		}
	}
	return v
}
