package planjson

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest/awsstub/schema"
)

// TestGoverningKindsAreTheProviderSchemas holds every attribute of governing
// to the hashicorp/aws schema the offline stand-in serves: it exists on its
// resource or data source, and the JSON kind the table expects is the one
// terraform writes for its schema type (string → string; list, set and
// list/set blocks → array; map, object and single blocks → object).
func TestGoverningKindsAreTheProviderSchemas(t *testing.T) {
	var doc struct {
		ProviderSchemas map[string]struct {
			Resources   map[string]schemaEntry `json:"resource_schemas"`
			DataSources map[string]schemaEntry `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(schema.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	ps := doc.ProviderSchemas[schema.ProviderAddress]
	for key, attrs := range governing {
		entry, ok := ps.Resources[key]
		if typ, data := strings.CutPrefix(key, "data."); data {
			entry, ok = ps.DataSources[typ]
		}
		if !ok {
			t.Errorf("%s: not in the provider schema", key)
			continue
		}
		for _, a := range attrs {
			want, ok := entry.kind(a.name)
			if !ok {
				t.Errorf("%s.%s: not in the provider schema", key, a.name)
			} else if a.kind != want {
				t.Errorf("%s.%s: governing expects %s, the schema makes terraform write %s", key, a.name, kindName(a.kind), kindName(want))
			}
		}
	}
}

type schemaEntry struct {
	Block struct {
		Attributes map[string]struct {
			Type json.RawMessage `json:"type"`
		} `json:"attributes"`
		BlockTypes map[string]struct {
			NestingMode string `json:"nesting_mode"`
		} `json:"block_types"`
	} `json:"block"`
}

// kind is the JSON kind terraform writes for the attribute or block name.
func (e schemaEntry) kind(name string) (attrKind, bool) {
	if b, ok := e.Block.BlockTypes[name]; ok {
		if b.NestingMode == "list" || b.NestingMode == "set" {
			return '[', true
		}
		return '{', true
	}
	a, ok := e.Block.Attributes[name]
	if !ok {
		return 0, false
	}
	var prim string
	if json.Unmarshal(a.Type, &prim) == nil {
		if prim == "string" {
			return '"', true
		}
		return 0, true // number, bool: the table has none
	}
	var complex []json.RawMessage
	if json.Unmarshal(a.Type, &complex) != nil || len(complex) == 0 {
		return 0, true
	}
	var c string
	_ = json.Unmarshal(complex[0], &c)
	if c == "list" || c == "set" || c == "tuple" {
		return '[', true
	}
	return '{', true
}
