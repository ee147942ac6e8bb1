package validator

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// TestReuseCacheKeepsFromSecondUse: a key used once keeps nothing, a key used
// twice is built twice and then kept, and a nil build is never kept.
func TestReuseCacheKeepsFromSecondUse(t *testing.T) {
	c := &reuseCache[string]{}
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
	if c.m["once"] != nil {
		t.Error("a key used once keeps its value")
	}
	if c.m["shared"] == nil || *c.m["shared"] != "shared-built" {
		t.Errorf("a key used four times keeps %v", c.m["shared"])
	}
	if want := map[string]int{"once": 1, "shared": 2, "none": 2}; builds["once"] != want["once"] || builds["shared"] != want["shared"] || builds["none"] != want["none"] {
		t.Errorf("builds = %v, want %v", builds, want)
	}
	if _, ok := c.m["none"]; ok {
		t.Error("a nil build left an entry")
	}
}

// TestReuseCacheConcurrentUse: goroutines asking for keys at once (run it
// with -race) each get the value of their key, a key asked for by several
// ends up kept, one asked for once does not, and no goroutine builds a key
// kept before it asked.
func TestReuseCacheConcurrentUse(t *testing.T) {
	const workers, shared, single = 8, 16, 64
	c := &reuseCache[string]{}
	var builds [shared + single]atomic.Int32
	get := func(k int) *string {
		key := strconv.Itoa(k)
		return c.get(key, func() *string {
			builds[k].Add(1)
			v := "v" + key
			return &v
		})
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range shared {
				if v := get(k); v == nil || *v != "v"+strconv.Itoa(k) {
					t.Errorf("worker %d: key %d got %v", w, k, v)
				}
			}
			for k := shared + w*single/workers; k < shared+(w+1)*single/workers; k++ {
				if v := get(k); v == nil || *v != "v"+strconv.Itoa(k) {
					t.Errorf("worker %d: key %d got %v", w, k, v)
				}
			}
		}()
	}
	wg.Wait()
	for k := range shared + single {
		kept := c.m[strconv.Itoa(k)]
		if k < shared && kept == nil {
			t.Errorf("key %d, asked for by %d workers, is not kept", k, workers)
		}
		if k >= shared && kept != nil {
			t.Errorf("key %d, asked for once, is kept", k)
		}
		if n := builds[k].Load(); n > workers || n < 1 {
			t.Errorf("key %d built %d times", k, n)
		}
	}
}
