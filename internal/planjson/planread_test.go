package planjson

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// TestReadPlanMatchesEncodingJSON holds the one-pass reader to the Document
// encoding/json decodes, over every plan in the repository, compact and
// indented, and the generated large plan.
func TestReadPlanMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("../../examples/validate/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../validator/testdata/plans/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, more...)
	if len(paths) < 20 {
		t.Fatalf("found only %d plans", len(paths))
	}
	inputs := map[string][]byte{
		"generated large plan": largePlan(t, 5),
		// Terraform rarely writes empty or null collections, but encoding/json
		// tells [] and {} (empty) from null (nil): the reader must too.
		"empty collections": []byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[],"child_modules":[]}},` +
			`"resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":[],"after":{}}}],` +
			`"configuration":{"root_module":{"outputs":{},"resources":[],"module_calls":{"m":{"expressions":{},"module":{"outputs":{},"resources":[],"module_calls":{}}}}}}}`),
		"null collections": []byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":null,"child_modules":null}},` +
			`"resource_changes":[null,{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":null}}],` +
			`"configuration":{"root_module":{"outputs":{"o":null},"resources":[null],"module_calls":{"m":null}}}}`),
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, data); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&indented, data, "", "  "); err != nil {
			t.Fatal(err)
		}
		inputs[p+" compact"] = compact.Bytes()
		inputs[p+" indented"] = indented.Bytes()
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := readPlan(data)
			if err != nil {
				t.Fatalf("the one-pass reader left a plan terraform wrote to encoding/json: %v", err)
			}
			want, err := unmarshalPlan(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the one-pass reader and encoding/json decode different documents")
			}
		})
	}
}

func TestReadPlanLeavesTheUnusualToEncodingJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"field name in another case":      `{"Format_Version":"1.2","planned_values":{}}`,
		"repeated field":                  `{"format_version":"1.2","format_version":"1.3"}`,
		"repeated nested field":           `{"format_version":"1.2","resource_changes":[{"change":{"after":{},"after":{}}}]}`,
		"wrong type":                      `{"format_version":"1.2","resource_changes":"all of them"}`,
		"number where a string goes":      `{"format_version":1.2}`,
		"invalid JSON in a skipped value": `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"values":{"a":01}}]}}}`,
		"bad escape in a skipped string":  `{"format_version":"1.2","resource_changes":[{"change":{"before":"\x"}}]}`,
		"trailing data":                   `{"format_version":"1.2"} {}`,
		"truncated":                       `{"format_version":"1.2","resource_changes":[{"address":"a"`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if doc, err := readPlan([]byte(in)); err == nil {
				t.Errorf("the one-pass reader decided %+v itself", doc)
			}
		})
	}
}

// FuzzReadPlan checks that whatever the one-pass reader decodes,
// encoding/json decodes to the same Document.
func FuzzReadPlan(f *testing.F) {
	f.Add(`{"format_version":"1.2","resource_changes":[{"address":"a.b","index":0,"change":{"actions":["create"],"after":{"x":[1,"y"]},"after_unknown":{"x":true}}}]}`)
	f.Add(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"a","values":{}}],"child_modules":[null,{"address":"m"}]}}}`)
	f.Add(`{"format_version":"1.2","configuration":{"provider_config":{"aws":{"name":"aws"}},"root_module":{"outputs":{"o":{"expression":{"references":["a.b"]}},"n":null},"resources":[{"address":"a.b","expressions":{"x":{"constant_value":1}}},null],"module_calls":{"m":{"expressions":{},"module":{}}}}},"prior_state":null,"values":null}`)
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			// prescan refuses such files before either decoder runs.
			return
		}
		got, err := readPlan([]byte(in))
		if err != nil {
			return
		}
		want, err := unmarshalPlan([]byte(in))
		if err != nil {
			t.Fatalf("encoding/json refuses what the one-pass reader decoded: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decoded %+v, encoding/json gives %+v", got, want)
		}
	})
}
