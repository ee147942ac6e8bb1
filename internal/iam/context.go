package iam

import (
	"slices"
	"strings"
)

// Context is the request context: condition keys (case-insensitive) to values.
// A key not set is absent; a key marked with SetUnknown has a value that is not
// known (e.g. aws:SourceIp at plan time).
type Context struct {
	// entries holds one entry per key, in the order the keys were first
	// set. A request carries a handful of keys, so a scan that compares the
	// hashes of the keys first finds one faster than a map lookup.
	entries []ctxEntry
	// unknownPrefixes (lower-cased) mark every key under them that was not
	// set as unknown: a role whose tags are not known has aws:PrincipalTag/*
	// keys that may or may not be present, so none of them is absent.
	unknownPrefixes []string
	// principalArn is 1 + the index of the aws:PrincipalArn entry, or 0:
	// every request resolves its caller's role from that key (see
	// principalArnOf), so Set keeps its place rather than each request
	// scanning for it.
	principalArn int
	// base, when set, is the context this one was derived from (Derive):
	// its entries and prefixes count where this context's own do not say.
	base *Context
}

type ctxEntry struct {
	key     ctxKey
	name    string // as last set, for encryption-context keys whose case matters
	values  []string
	unknown bool
}

// ctxKey is a condition key as it is looked up: lower-cased, since keys are
// case-insensitive, with a hash of that text so that a lookup compares the
// text of one key only, however many keys share its length. Policies compute
// their keys' hashes once, at Parse.
type ctxKey struct {
	lower string
	hash  uint32
}

func newCtxKey(key string) ctxKey {
	lower := strings.ToLower(key)
	// FNV-1a: simple, and good enough to tell a few dozen keys apart.
	h := uint32(2166136261)
	for i := 0; i < len(lower); i++ {
		h = (h ^ uint32(lower[i])) * 16777619
	}
	return ctxKey{lower: lower, hash: h}
}

// ContextKey is a condition key made ready for a context once (lower-cased
// and hashed), for a key set on many contexts: Set does that work on every
// call.
type ContextKey struct {
	key  ctxKey
	name string
}

// NewContextKey prepares a condition key for SetKey and SetUnknownKey.
func NewContextKey(name string) ContextKey { return ContextKey{key: newCtxKey(name), name: name} }

// SetKey is Set of a prepared key.
func (c *Context) SetKey(k ContextKey, values ...string) {
	c.put(ctxEntry{key: k.key, name: k.name, values: append([]string(nil), values...)})
}

// SetUnknownKey is SetUnknown of a prepared key.
func (c *Context) SetUnknownKey(k ContextKey) {
	c.put(ctxEntry{key: k.key, name: k.name, unknown: true})
}

// SetUnknownPrefixKey is SetUnknownPrefix of a prepared prefix.
func (c *Context) SetUnknownPrefixKey(prefix ContextKey) {
	c.unknownPrefixes = append(c.unknownPrefixes, prefix.key.lower)
}

// NewContext returns an empty request context.
func NewContext() *Context { return &Context{} }

// Set sets a key to one or more values (several values make a multi-valued key).
// Setting a key with no values makes it present with an empty set of values.
func (c *Context) Set(key string, values ...string) {
	c.put(ctxEntry{key: newCtxKey(key), name: key, values: append([]string(nil), values...)})
}

// SetUnknown marks a key as present-or-absent-but-not-known.
func (c *Context) SetUnknown(key string) {
	c.put(ctxEntry{key: newCtxKey(key), name: key, unknown: true})
}

// SetUnknownPrefix marks every key that starts with prefix
// (case-insensitively) and is not set as unknown rather than absent: for
// tag keys of a principal or an object whose tags are not known. A key set
// with Set or SetUnknown keeps that entry.
func (c *Context) SetUnknownPrefix(prefix string) {
	c.unknownPrefixes = append(c.unknownPrefixes, strings.ToLower(prefix))
}

// put replaces the entry of e's key, or adds it. The name of a replaced
// entry follows the latest Set, as a map keyed by the lower-cased key did.
func (c *Context) put(e ctxEntry) {
	if i := c.index(e.key); i >= 0 {
		c.entries[i] = e
		return
	}
	if e.key == principalArnKey {
		c.principalArn = len(c.entries) + 1
	}
	c.entries = append(c.entries, e)
}

// cloneRoom is the room a clone leaves for keys set after it: a request
// cloned from a shared base adds a handful of its own.
const cloneRoom = 8

// Clone returns an independent copy, for deriving per-request contexts from a
// shared base.
func (c *Context) Clone() *Context {
	if c == nil {
		return NewContext()
	}
	// Entries are replaced, never changed in place, so the copies may share
	// their value slices. The prefixes are only appended to: the copy shares
	// them with their capacity clipped. A derived context's copy shares its
	// base.
	entries := make([]ctxEntry, len(c.entries), len(c.entries)+cloneRoom)
	copy(entries, c.entries)
	return &Context{entries: entries, unknownPrefixes: slices.Clip(c.unknownPrefixes), principalArn: c.principalArn, base: c.base}
}

// deriveRoom is the room a derived context starts with: the keys a request
// of a Glue job sets on top of its job's are four or fewer.
const deriveRoom = 4

// Derive returns a context holding every key of c, in which keys can be set
// without changing c, as Clone's, but without copying c: c is read through
// it. c must not change while the derived context is in use: for the
// contexts of many requests that share most of their keys, built once.
func (c *Context) Derive() *Context {
	if c == nil {
		return NewContext()
	}
	return &Context{entries: make([]ctxEntry, 0, deriveRoom), base: c}
}

// each yields the entries of the context, its base's included, in the order
// a Clone of the base with the same keys set would hold them: the base's
// first (in place where this context sets the same key), then its own.
func (c *Context) each(yield func(*ctxEntry) bool) {
	if c.base == nil {
		for i := range c.entries {
			if !yield(&c.entries[i]) {
				return
			}
		}
		return
	}
	var inBase []bool // own entries whose key the base holds
	for e := range c.base.each {
		if i := c.index(e.key); i >= 0 {
			if inBase == nil {
				inBase = make([]bool, len(c.entries))
			}
			inBase[i] = true
			e = &c.entries[i]
		}
		if !yield(e) {
			return
		}
	}
	for i := range c.entries {
		if (inBase == nil || !inBase[i]) && !yield(&c.entries[i]) {
			return
		}
	}
}

// index returns the position of the entry of a key, or -1.
func (c *Context) index(k ctxKey) int {
	for i := range c.entries {
		if e := &c.entries[i]; e.key.hash == k.hash && e.key.lower == k.lower {
			return i
		}
	}
	return -1
}

// prefixUnknown is the entry lookup hands out for a key under an unknown
// prefix. Callers read entries and never write them.
var prefixUnknown = ctxEntry{unknown: true}

// lookup finds a key. The entry is the context's own, not a copy: copying it
// on every condition was a measurable share of a request (see
// docs/performance.md); callers only read it.
func (c *Context) lookup(k ctxKey) (*ctxEntry, bool) {
	if c == nil {
		return nil, false
	}
	for i := range c.entries {
		if e := &c.entries[i]; e.key.hash == k.hash && e.key.lower == k.lower {
			return e, true
		}
	}
	if c.base != nil {
		return c.lookupDerived(k)
	}
	for _, p := range c.unknownPrefixes {
		if strings.HasPrefix(k.lower, p) {
			return &prefixUnknown, true
		}
	}
	return nil, false
}

// lookupDerived is lookup in a derived context past its own entries: its
// bases' entries, then every prefix. (Apart, so that a context that is not
// derived pays one test for it.)
func (c *Context) lookupDerived(k ctxKey) (*ctxEntry, bool) {
	for x := c.base; x != nil; x = x.base {
		for i := range x.entries {
			if e := &x.entries[i]; e.key.hash == k.hash && e.key.lower == k.lower {
				return e, true
			}
		}
	}
	for x := c; x != nil; x = x.base {
		for _, p := range x.unknownPrefixes {
			if strings.HasPrefix(k.lower, p) {
				return &prefixUnknown, true
			}
		}
	}
	return nil, false
}
