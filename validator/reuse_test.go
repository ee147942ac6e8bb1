package validator

import "testing"

// TestReuseCacheKeepsFromSecondUse: a key used once keeps nothing, a key used
// twice is built twice and then kept, and a nil build is never kept.
func TestReuseCacheKeepsFromSecondUse(t *testing.T) {
	c := reuseCache[string]{}
	builds := map[string]int{}
	get := func(key string) *string {
		return c.get(key, func() *string {
			builds[key]++
			if key == "none" {
				return nil
			}
			v := key + "-built"
			return &v
		})
	}
	for _, key := range []string{"once", "shared", "shared", "shared", "shared", "none", "none"} {
		if v := get(key); (v == nil) != (key == "none") {
			t.Fatalf("get(%q) = %v", key, v)
		}
	}
	if c["once"] != nil {
		t.Error("a key used once keeps its value")
	}
	if c["shared"] == nil || *c["shared"] != "shared-built" {
		t.Errorf("a key used four times keeps %v", c["shared"])
	}
	if want := map[string]int{"once": 1, "shared": 2, "none": 2}; builds["once"] != want["once"] || builds["shared"] != want["shared"] || builds["none"] != want["none"] {
		t.Errorf("builds = %v, want %v", builds, want)
	}
	if _, ok := c["none"]; ok {
		t.Error("a nil build left an entry")
	}
}
