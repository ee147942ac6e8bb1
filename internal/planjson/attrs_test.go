package planjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	tfjson "github.com/hashicorp/terraform-json"
)

// decodedAttributes is what the attribute values of a resource used to be:
// its JSON object decoded by encoding/json, without the members that are
// null, and of a name given twice the last member that is not null. It is
// built from the tokens so that repeated names are seen.
func decodedAttributes(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	out := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		// A number out of float64 range is a type error after which
		// encoding/json decodes the rest, leaving nil in its place.
		var typeErr *json.UnmarshalTypeError
		if err := dec.Decode(&v); err != nil && !errors.As(err, &typeErr) {
			t.Fatal(err)
		}
		if v != nil {
			out[tok.(string)] = v
		}
	}
	return out
}

// knownAtDecoded is knownAt over decoded values: the reading every reader of
// the planned values had before they were kept as text.
func knownAtDecoded(values map[string]any, unknown any, attr string) (any, bool) {
	if attr == "" {
		return nil, false
	}
	var v any = values
	u := unknown
	for _, seg := range strings.Split(attr, ".") {
		if b, ok := u.(bool); ok && b {
			return nil, false
		}
		v, u = step(v, seg), step(u, seg)
		if v == nil {
			return nil, false
		}
	}
	if b, ok := u.(bool); ok && b {
		return nil, false
	}
	return v, true
}

// valuePaths lists the dot path of every value in v below prefix, and paths
// that lead nowhere next to them.
func valuePaths(prefix string, v any) []string {
	join := func(seg string) string {
		if prefix == "" {
			return seg
		}
		return prefix + "." + seg
	}
	out := []string{join("absent"), join("0"), join("")}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if strings.Contains(k, ".") {
				continue // not reachable by a dot path
			}
			out = append(out, join(k))
			out = append(out, valuePaths(join(k), x)...)
		}
	case []any:
		out = append(out, join(strconv.Itoa(len(t))), join("99999999999999999999"))
		for i, x := range t {
			out = append(out, join(strconv.Itoa(i)))
			out = append(out, valuePaths(join(strconv.Itoa(i)), x)...)
		}
	}
	return out
}

// assertReadsAsDecoded checks that every path of the resource reads what
// it read when the values were decoded whole.
func assertReadsAsDecoded(t *testing.T, r *Resource, values map[string]any) {
	t.Helper()
	for _, p := range valuePaths("", values) {
		want, wantOK := knownAtDecoded(values, r.Unknown, p)
		got, gotOK := r.Known(p)
		if gotOK != wantOK || !reflect.DeepEqual(got, want) {
			t.Errorf("%s %q reads %#v (%v), decoded it read %#v (%v)", r.Address, p, got, gotOK, want, wantOK)
		}
	}
	for k, want := range values {
		if got := r.Attribute(k); !reflect.DeepEqual(got, want) {
			t.Errorf("%s attribute %q is %#v, decoded it was %#v", r.Address, k, got, want)
		}
	}
}

// TestAttributesReadAsDecodedInEveryPlan holds the values kept as text to
// the decoded values they replace, at every path of every resource of every
// plan in the repository, unknown values included.
func TestAttributesReadAsDecodedInEveryPlan(t *testing.T) {
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
	inputs := map[string][]byte{"generated large plan": largePlan(t, 3)}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[p] = data
	}
	read := 0
	for name, data := range inputs {
		doc, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range Index(doc).Resources {
			if r.values.text == nil {
				continue
			}
			read++
			assertReadsAsDecoded(t, r, decodedAttributes(t, r.values.text))
		}
	}
	if read < 100 {
		t.Errorf("read the values of only %d resources", read)
	}
}

func TestAttributesReadLikeDecodedValues(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ values, unknown string }{
		"nested blocks and maps": {
			values:  `{"command":[{"name":"glueetl","script_location":"s3://b/k.py"}],"default_arguments":{"--TempDir":"s3://t/"},"tags":{}}`,
			unknown: `{"command":[{"script_location":true}]}`,
		},
		"unknown attribute absent from the values": {
			values:  `{"name":"j"}`,
			unknown: `{"arn":true,"id":true}`,
		},
		"unknown element of a list": {
			values:  `{"managed_policy_arns":["arn:aws:iam::aws:policy/A",null]}`,
			unknown: `{"managed_policy_arns":[false,true]}`,
		},
		"unknown whole": {
			values:  `{"name":"j"}`,
			unknown: `true`,
		},
		"escapes in strings and names": {
			values: `{"policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}\n","na\u006de":"\ud83d\ude00","tags":{"k\"ey":"v\\w"}}`,
		},
		"null, empty and false": {
			values: `{"a":null,"b":[],"c":{},"d":false,"e":"","f":[null],"g":{"h":null},"i":0}`,
		},
		"repeated names": {
			values: `{"a":1,"a":null,"b":null,"b":{"x":1,"x":null},"c":[1],"c":[2,3]}`,
		},
		"number out of range": {
			values: `{"big":1e400,"list":[1e400,2],"map":{"k":-1e999}}`,
		},
		"spaces": {
			values:  "{ \"a\" : [ { \"b\" : \"c\" } , 2 ] ,\n\t\"d\" : { \"e\" : null } }",
			unknown: "{ \"a\" : [ { \"b\" : true } ] }",
		},
		"deep": {
			values: `{"a":{"b":{"c":[[[{"d":"e"}]]]}}}`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := newValueDecoder()
			r := &Resource{Address: "x.y", values: d.attributes([]byte(c.values))}
			if c.unknown != "" {
				r.Unknown = d.unknown([]byte(c.unknown))
			}
			assertReadsAsDecoded(t, r, decodedAttributes(t, []byte(c.values)))
		})
	}
}

// TestAttributesOfValuesThatAreNotAnObject: an after value that is null, a
// list or a string leaves the resource without attributes.
func TestAttributesOfValuesThatAreNotAnObject(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, `null`, `[{"a":1}]`, `"a"`, `1`, `{"a":`} {
		r := &Resource{values: newValueDecoder().attributes([]byte(in))}
		if v, ok := r.Known("a"); ok || r.Attribute("a") != nil {
			t.Errorf("values %q: attribute a reads %#v", in, v)
		}
	}
}

// TestAttributesScanObjectsWithoutIndex covers reads of values read
// without the member index (objects over 4 GiB): the same answers.
func TestAttributesScanObjectsWithoutIndex(t *testing.T) {
	t.Parallel()
	in := `{"a":1,"b":null,"a":{"x":[true]},"b":"s","c":null}`
	indexed := newValueDecoder().attributes([]byte(in))
	scanned := attrs{text: indexed.text}
	for _, name := range []string{"a", "b", "c", "d"} {
		if got, want := scanned.get(name), indexed.get(name); !reflect.DeepEqual(got, want) {
			t.Errorf("attribute %q scanned reads %#v, indexed %#v", name, got, want)
		}
	}
	if got := scanned.get("b"); got != "s" {
		t.Errorf("attribute b reads %#v, want the last member that is not null", got)
	}
}

func FuzzAttributes(f *testing.F) {
	f.Add(`{"a":[1,{"b":"\u00e9"}],"c":null,"a":2}`)
	f.Add(`{"tags":{"k":null},"rule":[{"id":"x"}],"n":1e400}`)
	f.Add(`{"x":"\ud83d\ude00","y":-0.5e-3,"z":[[],{}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) || !json.Valid([]byte(in)) || checkNesting([]byte(in)) != nil {
			// Decode refuses such files before any value is read.
			return
		}
		r := &Resource{Address: "x.y", values: newValueDecoder().attributes([]byte(in))}
		assertReadsAsDecoded(t, r, decodedAttributes(t, []byte(in)))
	})
}

// tfjsonExpression decodes an expression the way tfjson does.
func tfjsonExpression(raw string) *tfjson.Expression {
	var e tfjson.Expression
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		return nil
	}
	return &e
}

func TestExpressionMatchesTFJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"references":                      `{"references":["aws_iam_role.r.arn","aws_iam_role.r"]}`,
		"escaped reference":               `{"references":["aws_s3_bucket.b[\"x\"].arn","aws_s3_bucket.b[\"x\"]"]}`,
		"constant string":                 `{"constant_value":"glue-job"}`,
		"constant object":                 `{"constant_value":{"a":[1,true,null],"b":{}}}`,
		"constant null":                   `{"constant_value":null}`,
		"both":                            `{"constant_value":"x","references":["var.a"]}`,
		"both, references first":          `{"references":["var.a"],"constant_value":"x"}`,
		"empty references":                `{"references":[],"constant_value":2}`,
		"null references":                 `{"references":null}`,
		"empty object":                    `{}`,
		"other members":                   `{"references":["a.b"],"source":"x"}`,
		"nested blocks":                   `[{"script_location":{"references":["aws_s3_object.s.key"]},"name":{"constant_value":"glueetl"}}]`,
		"two nested blocks":               `[{"a":{"constant_value":1}},{"a":{"constant_value":2}}]`,
		"nested blocks within blocks":     `[{"rule":[{"id":{"constant_value":"x"}}]}]`,
		"null block and null expression":  `[null,{"a":null}]`,
		"empty block list":                `[]`,
		"empty block":                     `[{}]`,
		"repeated name in a block":        `[{"a":{"constant_value":1},"a":{"constant_value":2}}]`,
		"name in another case":            `{"References":["a.b"]}`,
		"repeated references":             `{"references":["a.b"],"references":["c.d"]}`,
		"null reference":                  `{"references":[null,"a.b"]}`,
		"number reference":                `{"references":[1]}`,
		"references not a list":           `{"references":"a.b"}`,
		"constant out of range":           `{"constant_value":1e400}`,
		"constant with spaces":            "{ \"constant_value\" : [ 1 , 2 ] }",
		"block that is not an object":     `["a"]`,
		"expression that is not one":      `[{"a":"b"}]`,
		"string":                          `"x"`,
		"number":                          `1`,
		"unusual value in a nested block": `[{"a":{"References":["x.y"]}}]`,
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, want := decodeExpression(lazyJSON(raw)), tfjsonExpression(raw)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded %s, tfjson gives %s", describeExpression(got), describeExpression(want))
			}
		})
	}
}

// TestExpressionReadsCommonShapesItself keeps the fast reader in use: the
// shapes terraform writes are not left to encoding/json.
func TestExpressionReadsCommonShapesItself(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		`{"references":["aws_iam_role.r.arn","aws_iam_role.r"]}`,
		`{"constant_value":{"a":[1,"b"]}}`,
		`[{"script_location":{"references":["x.y"]}},null]`,
	} {
		d := valueDecoder{data: []byte(raw)}
		if _, err := d.expression(); err != nil {
			t.Errorf("%s: %v, want it read without encoding/json", raw, err)
		}
	}
}

// TestExpressionsOfEveryPlanMatchTFJSON decodes every configuration
// expression of every plan in the repository both ways.
func TestExpressionsOfEveryPlanMatchTFJSON(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("../../examples/validate/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../validator/testdata/plans/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(raw lazyJSON) {
		n++
		if got, want := decodeExpression(raw), tfjsonExpression(string(raw)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded %s, tfjson gives %s", raw, describeExpression(got), describeExpression(want))
		}
	}
	var walk func(m *configModule)
	walk = func(m *configModule) {
		if m == nil {
			return
		}
		for _, o := range m.Outputs {
			if o != nil {
				check(o.Expression)
			}
		}
		for _, r := range m.Resources {
			if r != nil {
				for _, raw := range r.Expressions {
					check(raw)
				}
			}
		}
		for _, c := range m.ModuleCalls {
			if c != nil {
				for _, raw := range c.Expressions {
					check(raw)
				}
				walk(c.Module)
			}
		}
	}
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if doc.Config != nil {
			walk(doc.Config.RootModule)
		}
	}
	if n < 100 {
		t.Errorf("checked only %d expressions", n)
	}
}

func FuzzExpression(f *testing.F) {
	f.Add(`{"references":["a.b","a"],"constant_value":null}`)
	f.Add(`[{"a":{"constant_value":[1,"x"]},"b":null},null]`)
	f.Add(`{"constant_value":{"k":"\u00e9"},"x":1e400}`)
	f.Fuzz(func(t *testing.T, raw string) {
		if !utf8.ValidString(raw) || !json.Valid([]byte(raw)) || checkNesting([]byte(raw)) != nil || !lazyJSON(raw).present() {
			// The plan decoder refuses such files before any expression is
			// read, and an absent or null expression is none.
			return
		}
		if got, want := decodeExpression(lazyJSON(raw)), tfjsonExpression(raw); !reflect.DeepEqual(got, want) {
			t.Errorf("decoded %s, tfjson gives %s", describeExpression(got), describeExpression(want))
		}
	})
}

// describeExpression renders an expression for a failure message.
func describeExpression(e *tfjson.Expression) string {
	if e == nil {
		return "nil"
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
