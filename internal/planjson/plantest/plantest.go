// Package plantest holds what the tests of internal/planjson and validator
// share to make plans: a large plan replicated from a real one, and real
// plans as generic JSON to be changed into what terraform never writes.
package plantest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Large builds, deterministically, a plan of n jobs from the real plan at
// path: every entry mentioning the token j0 is copied n times with the token
// replaced by j<i>, the others (a shared KMS key) kept once. The result is
// compact, like terraform show -json.
func Large(tb testing.TB, path string, n int) []byte {
	tb.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(src, &doc); err != nil {
		tb.Fatal(err)
	}
	replicate := func(list json.RawMessage) json.RawMessage {
		var items []json.RawMessage
		if err := json.Unmarshal(list, &items); err != nil {
			tb.Fatal(err)
		}
		var out []json.RawMessage
		for _, it := range items {
			var compact bytes.Buffer
			if err := json.Compact(&compact, it); err != nil {
				tb.Fatal(err)
			}
			if !bytes.Contains(compact.Bytes(), []byte("j0")) {
				out = append(out, compact.Bytes())
				continue
			}
			for i := range n {
				out = append(out, bytes.ReplaceAll(compact.Bytes(), []byte("j0"), []byte("j"+strconv.Itoa(i))))
			}
		}
		b, err := json.Marshal(out)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	// resources lists live at planned_values.root_module.resources,
	// configuration.root_module.resources and resource_changes.
	nested := func(key string, path ...string) {
		var outer map[string]json.RawMessage
		if err := json.Unmarshal(doc[key], &outer); err != nil {
			tb.Fatal(err)
		}
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(outer[path[0]], &inner); err != nil {
			tb.Fatal(err)
		}
		inner[path[1]] = replicate(inner[path[1]])
		outer[path[0]], _ = json.Marshal(inner)
		doc[key], _ = json.Marshal(outer)
	}
	nested("planned_values", "root_module", "resources")
	nested("configuration", "root_module", "resources")
	doc["resource_changes"] = replicate(doc["resource_changes"])
	delete(doc, "relevant_attributes")
	out, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// WriteFile writes data to a file named name in a new test directory and
// returns its path.
func WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Map reads the plan at path as generic JSON.
func Map(t testing.TB, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Change returns the resource change at addr of a plan read by Map.
func Change(t testing.TB, m map[string]any, addr string) map[string]any {
	t.Helper()
	for _, rc := range m["resource_changes"].([]any) {
		if rc := rc.(map[string]any); rc["address"] == addr {
			return rc
		}
	}
	t.Fatalf("no change %s", addr)
	return nil
}

// Clone deep-copies generic JSON.
func Clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// NotPlan is a file that is not a terraform plan, and what a message about it
// says the file is.
type NotPlan struct {
	Data []byte // nil: the file does not exist
	Want string
}

// NotPlans are files that are not terraform plans, by name: every reader of
// plans refuses each, saying what it is.
func NotPlans() map[string]NotPlan {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	huge := strings.Repeat("a", 64<<20)
	plan := `{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{}},"resource_changes":[]}`
	return map[string]NotPlan{
		"empty file":                 {[]byte(""), "is empty"},
		"only whitespace":            {[]byte(" \n\t "), "is empty"},
		"not JSON":                   {[]byte("plan: yes\n"), "is not JSON"},
		"JSON array":                 {[]byte(`[{"format_version":"1.2"}]`), "is a JSON array"},
		"JSON scalar":                {[]byte(`"1.2"`), "is a single JSON value"},
		"state JSON":                 {[]byte(`{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`), "is a state"},
		"provider schema dump":       {[]byte(`{"format_version":"1.0","provider_schemas":{"registry.terraform.io/hashicorp/aws":{}}}`), "is a provider schema dump"},
		"future format version":      {[]byte(`{"format_version":"2.0","planned_values":{"root_module":{}}}`), `format_version "2.0"`},
		"format version not numeric": {[]byte(`{"format_version":"one","planned_values":{}}`), "not a version number"},
		"format version a number":    {[]byte(`{"format_version":1.2,"planned_values":{}}`), "has a number where a plan has a string (field format_version"},
		"no format version":          {[]byte(`{"planned_values":{"root_module":{}}}`), "without format_version"},
		"no plan sections":           {[]byte(`{"format_version":"1.2"}`), "none of planned_values"},
		"truncated":                  {[]byte(plan[:len(plan)/2]), "is truncated"},
		"binary":                     {[]byte{0x7b, 0x00, 0xff, 0xfe, 0x01}, "is binary data"},
		"wrong types":                {[]byte(`{"format_version":"1.2","resource_changes":"all of them"}`), "has a string where a plan has"},
		"100k-deep nesting":          {[]byte(`{"format_version":"1.2","planned_values":` + deep + `}`), "nested more than"},
		"64 MB format_version":       {[]byte(`{"format_version":"` + huge + `","planned_values":{}}`), "not a version number"},
		"missing file":               {nil, "cannot open"},
	}
}
