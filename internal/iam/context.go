package iam

import (
	"maps"
	"strings"
)

// Context is the request context: condition keys (case-insensitive) to values.
// A key not set is absent; a key marked with SetUnknown has a value that is not
// known (e.g. aws:SourceIp at plan time).
type Context struct {
	entries map[string]ctxEntry // by lower-cased key
}

type ctxEntry struct {
	name    string // as first set, for encryption-context keys whose case matters
	values  []string
	unknown bool
}

// NewContext returns an empty request context.
func NewContext() *Context { return &Context{entries: map[string]ctxEntry{}} }

// Set sets a key to one or more values (several values make a multi-valued key).
// Setting a key with no values makes it present with an empty set of values.
func (c *Context) Set(key string, values ...string) {
	c.init()
	c.entries[strings.ToLower(key)] = ctxEntry{name: key, values: append([]string(nil), values...)}
}

// SetUnknown marks a key as present-or-absent-but-not-known.
func (c *Context) SetUnknown(key string) {
	c.init()
	c.entries[strings.ToLower(key)] = ctxEntry{name: key, unknown: true}
}

// Clone returns an independent copy, for deriving per-request contexts from a
// shared base.
func (c *Context) Clone() *Context {
	if c == nil || c.entries == nil {
		return NewContext()
	}
	// Entries are replaced, never changed in place, so the copies may share
	// their value slices; maps.Clone copies the table whole, which is much
	// cheaper than inserting the keys again for every request.
	return &Context{entries: maps.Clone(c.entries)}
}

func (c *Context) init() {
	if c.entries == nil {
		c.entries = map[string]ctxEntry{}
	}
}

// lookup finds a key that is already lower-case.
func (c *Context) lookup(lkey string) (ctxEntry, bool) {
	if c == nil {
		return ctxEntry{}, false
	}
	e, ok := c.entries[lkey]
	return e, ok
}
