package policydoc

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzRenderPolicyJSON feeds arbitrary text as source and override
// documents: Render must return an error or two encodings of one document,
// never panic (the provider itself crashes on some of these inputs).
func FuzzRenderPolicyJSON(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Resource":"*","Principal":{"AWS":["1","2"]},"Condition":{"Bool":{"aws:SecureTransport":true}}}]}`,
		`{"Statement":[{"Principal":"*","Condition":{"StringEquals":{"k":["a",1]}}}]}`,
		`{"Statement":[null]}`,
		`{"Statement":{"Effect":"Allow"}}`,
		`null`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		doc := Document{
			SourcePolicyDocuments:   []string{src},
			Statements:              []Statement{{Sid: "A", Actions: []string{"s3:GetObject"}}},
			OverridePolicyDocuments: []string{src},
		}
		pretty, minified, err := Render(doc)
		if err != nil {
			return
		}
		var a, b any
		if err := json.Unmarshal([]byte(pretty), &a); err != nil {
			t.Fatalf("json is not JSON: %v\n%s", err, pretty)
		}
		if err := json.Unmarshal([]byte(minified), &b); err != nil {
			t.Fatalf("minified_json is not JSON: %v\n%s", err, minified)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("json and minified_json differ:\n%s\n%s", pretty, minified)
		}
	})
}
