package iam

import (
	"strings"
	"testing"
)

// TestDecodeNode pins the reader on what hand-written JSON readers get wrong:
// escapes, surrogates, invalid UTF-8, number text, where a cut or a stray byte
// is reported, and the depth limit. Each case is also held to the
// encoding/json Token reader it replaced (checkDecodeNode).
func TestDecodeNode(t *testing.T) {
	t.Parallel()
	deep := func(n int, inner string) string {
		return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
	}
	tests := map[string]struct {
		doc  string
		want string // dumpNode of the tree, or the error message
	}{
		"members keep order and duplicates": {`{"b":1,"a":2,"b":3}`, `{"b":number(1),"a":number(2),"b":number(3)}`},
		"numbers keep their text":           {`[-0, 1.50, 2E+3, -1e-7, 12345678901234567890]`, `[number(-0),number(1.50),number(2E+3),number(-1e-7),number(12345678901234567890)]`},
		"literals":                          {` [true,false,null,{},[]] `, `[boolean(true),boolean(false),null(),{},[]]`},
		"simple escapes":                    {`"\"\\\/\b\f\n\r\t"`, `"\"\\/\b\f\n\r\t"`},
		"nul escape":                        {`"a\u0000b"`, `"a\x00b"`},
		"surrogate pair":                    {`"\ud83d\ude00"`, `"😀"`},
		"lone high surrogate":               {`"\ud800x"`, "\"\ufffdx\""},
		"high surrogate then non-low":       {`"\ud800\u0041"`, "\"\ufffdA\""},
		"lone low surrogate":                {`"\udc00"`, "\"\ufffd\""},
		"two high surrogates":               {`"\ud800\ud800\udc00"`, "\"\ufffd𐀀\""},
		"invalid utf-8 byte":                {"\"a\xffb\"", "\"a\ufffdb\""},
		"truncated utf-8 sequence":          {"\"\xe2\x82\"", "\"\ufffd\ufffd\""},
		"utf-8 encoded surrogate":           {"\"\xed\xa0\x80\"", "\"\ufffd\ufffd\ufffd\""},
		"valid multibyte text":              {`"é€😀"`, `"é€😀"`},
		"control character in string":       {"\"a\nb\"", `invalid character '\n' in string literal`},
		"unknown escape":                    {`"\x"`, `invalid character 'x' in string escape code`},
		"single quote escape":               {`"\'"`, `invalid character '\'' in string escape code`},
		"bad hex digit":                     {`"\u12g4"`, `invalid character 'g' in \u hexadecimal character escape`},
		"bad hex after high surrogate":      {`"\ud800\u12g4"`, `invalid character 'g' in \u hexadecimal character escape`},
		"leading zero":                      {`[01]`, `invalid character '1' after array element`},
		"bare minus":                        {`[-]`, `invalid character ']' in numeric literal`},
		"dot without digits":                {`[1.]`, `invalid character ']' after decimal point in numeric literal`},
		"exponent without digits":           {`[1e+]`, `invalid character ']' in exponent of numeric literal`},
		"misspelt literal":                  {`[nul]`, `invalid character ']' in literal null (expecting 'l')`},
		"missing value":                     {`{"a":}`, `invalid character '}' looking for beginning of value`},
		"missing colon":                     {`{"a" 1}`, `invalid character '1' after object key`},
		"missing comma in object":           {`{"a":1 "b":2}`, `invalid character '"' after object key:value pair`},
		"missing comma in array":            {`[1 2]`, `invalid character '2' after array element`},
		"trailing comma in object":          {`{"a":1,}`, `invalid character '}' looking for beginning of object key string`},
		"trailing comma in array":           {`[1,]`, `invalid character ']' looking for beginning of value`},
		"non-string key":                    {`{1:2}`, `invalid character '1'`},
		"mismatched close":                  {`[1}`, `invalid character '}' after array element`},
		"cut where a value starts":          {`{"a":`, `unexpected end of JSON input`},
		"cut inside a string":               {`{"a":"bc`, `unexpected EOF`},
		"cut inside a literal":              {`[tr`, `unexpected EOF`},
		"cut after an element":              {`[1`, `EOF`},
		"cut after a comma in an object":    {`{"a":1,`, `EOF`},
		"trailing object":                   {`{} {}`, `unexpected data after the top-level value at byte 4`},
		"trailing scalar":                   {`{} "x"`, `unexpected data after the top-level value at byte 6`},
		"trailing garbage":                  {`{}  x`, `unexpected data after the top-level value at byte 4`},
		"trailing close":                    {"{}\n]", `unexpected data after the top-level value at byte 3`},
		"deepest allowed value":             {deep(32, "1"), strings.Repeat("[", 32) + "number(1)" + strings.Repeat("]", 32)},
		"one level too deep":                {deep(33, "1"), `nesting deeper than 32 levels`},
		"empty array at the limit":          {deep(33, ""), strings.Repeat("[", 33) + strings.Repeat("]", 33)},
		"object member too deep":            {deep(32, `{"a" x`), `nesting deeper than 32 levels`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n, err := decodeNode(tc.doc)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = dumpNode(n)
			}
			if got != tc.want {
				t.Errorf("decodeNode(%q) = %s, want %s", tc.doc, got, tc.want)
			}
			checkDecodeNode(t, []byte(tc.doc))
		})
	}
}
