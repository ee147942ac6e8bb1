package planjson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValueDecoderMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"empty object":             `{}`,
		"scalars":                  `{"s":"x","n":1.5,"neg":-2e3,"t":true,"f":false,"z":null}`,
		"nested blocks":            `{"grant":[{"id":"a","permissions":["READ","WRITE"]}],"tags":{"k":"v"},"e":[]}`,
		"whitespace":               "{ \"a\" :\n [ 1 , {\"b\" : \"c\"} ] \t}",
		"escapes":                  `{"p":"{\"Version\":\"2012-10-17\"}\n\t\\\/\b\f\r","u":"\u00e9\u4e2d"}`,
		"surrogate pair":           `{"emoji":"\ud83d\ude00"}`,
		"lone surrogate":           `{"bad":"\ud83d x","bad2":"\ude00","bad3":"\ud83d\u0041"}`,
		"escaped key":              `{"a\"b":1,"a\u0062":2}`,
		"duplicate key, last wins": `{"a":1,"a":2}`,
		"number out of range":      `{"big":1e400,"small":1e-400,"after":"kept"}`,
		"utf-8 text":               `{"name":"données-é"}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var want map[string]any
			_ = json.Unmarshal([]byte(in), &want)
			got := decodeObject(in)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded %#v, encoding/json gives %#v", got, want)
			}
		})
	}
}

// decodeObject decodes in as a resource's attribute values are read: as a
// JSON object, nil when it is not one.
func decodeObject(in string) map[string]any {
	m, _ := jsonAt{text: []byte(in)}.decode().(map[string]any)
	return m
}

func TestAttributesLeaveOutOnlyTopLevelNulls(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in   string
		want map[string]any
		// absent are names that must read as absent.
		absent []string
	}{
		"null attribute left out": {
			in:     `{"bucket":"b","acl":null}`,
			want:   map[string]any{"bucket": "b"},
			absent: []string{"acl", "policy"},
		},
		"null element of a map attribute kept": {
			in:   `{"tags":{"k":null}}`,
			want: map[string]any{"tags": map[string]any{"k": nil}},
		},
		"null in a block list kept": {
			in:   `{"grant":[null,{"id":null}]}`,
			want: map[string]any{"grant": []any{nil, map[string]any{"id": nil}}},
		},
		"false and empty values kept": {
			in:   `{"f":false,"s":"","l":[],"m":{}}`,
			want: map[string]any{"f": false, "s": "", "l": []any{}, "m": map[string]any{}},
		},
		"only nulls": {
			in:     `{"a":null,"b":null}`,
			absent: []string{"a", "b"},
		},
		"repeated name: the last that is not null": {
			in:   `{"a":1,"a":2,"a":null,"b":null,"b":"x"}`,
			want: map[string]any{"a": 2.0, "b": "x"},
		},
		"escaped names": {
			in:     `{"a\"b":1,"\u0063":2,"d\u00e9":"e","x\\y":3,"ab":4}`,
			want:   map[string]any{"a\"b": 1.0, "c": 2.0, "d\u00e9": "e", `x\y`: 3.0, "ab": 4.0},
			absent: []string{`\u0063`, `a\"b`, `x\\y`, "a", `a"`, "abc"},
		},
		"spaces": {
			in:   "{ \"a\" :\n [ 1 , {\"b\" : \"c\"} ] ,\t\"n\" : null }",
			want: map[string]any{"a": []any{1.0, map[string]any{"b": "c"}}},
		},
		"not an object": {
			in:     `["a"]`,
			absent: []string{"a", "0"},
		},
		"empty": {
			in:     `{}`,
			absent: []string{"a", ""},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := newValueDecoder().attributes([]byte(c.in))
			for k, want := range c.want {
				if got := a.get(k); !reflect.DeepEqual(got, want) {
					t.Errorf("attribute %q reads %#v, want %#v", k, got, want)
				}
			}
			for _, k := range c.absent {
				if v, ok := a.member(k); ok {
					t.Errorf("attribute %q is present at byte %d, want it absent", k, v.pos)
				}
			}
		})
	}
}

func TestValueDecoderRefusesWhatIsNotAnObject(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"array":            `[1]`,
		"string":           `"x"`,
		"truncated object": `{"a":[1,2`,
		"truncated string": `{"a":"xyz`,
		"missing colon":    `{"a" 1}`,
		"bare word":        `{"a":yes}`,
		"control char":     "{\"a\":\"x\ny\"}",
		"bad escape":       `{"a":"\q"}`,
		"short unicode":    `{"a":"\u12"}`,
		"too deep":         `{"a":` + strings.Repeat("[", maxNesting+1) + strings.Repeat("]", maxNesting+1) + `}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := decodeObject(in); got != nil {
				t.Errorf("decoded %#v from input that is not a JSON object", got)
			}
		})
	}
}

func TestValueDecoderKeepsOnlyUnknownLeaves(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in   string
		want any
	}{
		"nothing unknown":          {`{"arn":false,"tags":{},"grant":[],"rule":[{"id":false}]}`, nil},
		"top-level leaves":         {`{"arn":true,"id":false}`, map[string]any{"arn": true}},
		"index kept in arrays":     {`{"rule":[{"id":false},{"id":true}]}`, map[string]any{"rule": []any{nil, map[string]any{"id": true}}}},
		"whole value unknown":      {`true`, true},
		"strings are not unknowns": {`{"odd":"true"}`, nil},
		"malformed":                {`{"arn":tru`, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := newValueDecoder().unknown([]byte(tc.in))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("kept %#v, want %#v", got, tc.want)
			}
		})
	}
}

// TestValueDecoderSharesEqualUnknownTrees: resources created alike share one
// after_unknown tree; a different text gets its own, and a decoder's second
// sighting of a text gives what the first gave.
func TestValueDecoderSharesEqualUnknownTrees(t *testing.T) {
	t.Parallel()
	d := newValueDecoder()
	first := d.unknown([]byte(`{"arn":true,"id":true}`))
	again := d.unknown([]byte(`{"arn":true,"id":true}`))
	other := d.unknown([]byte(`{"arn":true}`))
	want := map[string]any{"arn": true, "id": true}
	if !reflect.DeepEqual(first, want) || !reflect.DeepEqual(again, want) {
		t.Fatalf("decoded %#v then %#v, want %#v both times", first, again, want)
	}
	if reflect.ValueOf(first).UnsafePointer() != reflect.ValueOf(again).UnsafePointer() {
		t.Error("an after_unknown text seen twice was decoded into a second tree")
	}
	if !reflect.DeepEqual(other, map[string]any{"arn": true}) {
		t.Errorf("a different text decoded as %#v, want its own tree", other)
	}
	if got := d.unknown([]byte(`{"arn":tru`)); got != nil {
		t.Errorf("malformed text after cached ones decoded as %#v, want nil", got)
	}
}

func FuzzValueDecoder(f *testing.F) {
	f.Add(`{"a":[1,{"b":"\u00e9"}],"c":null}`)
	f.Add(`{"x":"\ud83d\ude00","y":-0.5e-3}`)
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) || checkNesting([]byte(in)) != nil {
			// Decode refuses such files before any value is decoded.
			return
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			decodeObject(in) // must not panic
			return
		}
		if got := decodeObject(in); !reflect.DeepEqual(got, want) {
			t.Errorf("decoded %#v, encoding/json gives %#v", got, want)
		}
	})
}
