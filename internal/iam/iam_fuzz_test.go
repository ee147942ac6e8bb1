package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

func FuzzParse(f *testing.F) {
	for _, doc := range testDocs {
		f.Add([]byte(doc), uint8(KindIdentity))
	}
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333"]},"Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username, 'x'}/${*}","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]}}}}`), uint8(KindResource))
	f.Add([]byte(`{"Statement":[{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"*"}]}`), uint8(KindResource))
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Action":"*"}}`), uint8(KindSCP))
	f.Add([]byte(`[`), uint8(KindIdentity))
	f.Add([]byte(`{"a":"\ud83d\ude00 \ud800\u0041 \udc00 \u0000 \u00e9\/\b"}`), uint8(KindIdentity))
	f.Add([]byte("{\"a\":\"\xff\xc3(\xed\xa0\x80\"}"), uint8(KindIdentity))
	f.Add([]byte(`{"a":[-0.5e+3,1E9,true,false,null,{}]} 12`), uint8(KindIdentity))
	f.Add([]byte(`{"a":tru}`), uint8(KindIdentity))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		checkDecodeNode(t, data)
		k := Kind(kind % 8)
		p, err := Parse(data, k, "fuzz")
		if err != nil {
			var se *SyntaxError
			if !errors.Is(err, ErrPolicySyntax) || !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError wrapping ErrPolicySyntax", err)
			}
			return
		}
		again, err := Parse(data, k, "fuzz")
		if err != nil || !reflect.DeepEqual(p, again) {
			t.Fatalf("parse is not stable: %v", err)
		}
		if len(p.ActionPatterns()) == 0 {
			t.Fatal("a parsed policy has no action patterns")
		}
		ctx := NewContext()
		ctx.Set("aws:SecureTransport", "true")
		ctx.SetUnknown("aws:SourceIp")
		in := &Input{Identity: []*Policy{p}, Resource: p, SCPs: [][]*Policy{{p}}, RCPs: [][]*Policy{{p}}, Endpoint: p, Boundary: p, Session: p}
		for _, action := range []string{"s3:GetObject", "kms:Decrypt"} {
			req := glueRequest(objectARN, ctx)
			req.Action = action
			r := Evaluate(in, req)
			if r.Decision < Allowed || r.Decision > Unknown {
				t.Fatalf("decision %d out of range", r.Decision)
			}
			_ = r.Explain(req)
		}
	})
}

// checkDecodeNode holds decodeNode to the encoding/json Token reader it
// replaced: the same tree or the same error message. And whatever
// json.Valid rejects it rejects; whatever json.Valid accepts it accepts
// unless it nests deeper than maxDepth.
func checkDecodeNode(t *testing.T, data []byte) {
	t.Helper()
	got, err := decodeNode(string(data))
	want, wantErr := refDecodeNode(data)
	switch {
	case err != nil && wantErr != nil:
		if err.Error() != wantErr.Error() {
			t.Fatalf("decodeNode(%q) error %q, reference says %q", data, err, wantErr)
		}
	case err != nil || wantErr != nil:
		t.Fatalf("decodeNode(%q) error %v, reference error %v", data, err, wantErr)
	case !reflect.DeepEqual(got, want):
		t.Fatalf("decodeNode(%q) = %s, reference says %s", data, dumpNode(got), dumpNode(want))
	}
	if valid := json.Valid(data); !valid && err == nil {
		t.Fatalf("decodeNode(%q) accepted what json.Valid rejects", data)
	} else if valid && err != nil && !errors.Is(err, errTooDeep) {
		t.Fatalf("decodeNode(%q) rejected what json.Valid accepts: %v", data, err)
	}
}

// dumpNode prints a node tree for failure messages.
func dumpNode(n *node) string {
	switch n.kind {
	case nodeObject:
		var b strings.Builder
		b.WriteByte('{')
		for i, m := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%s", m.key, dumpNode(m.val))
		}
		return b.String() + "}"
	case nodeArray:
		items := make([]string, len(n.items))
		for i, item := range n.items {
			items[i] = dumpNode(item)
		}
		return "[" + strings.Join(items, ",") + "]"
	case nodeString:
		return fmt.Sprintf("%q", n.text)
	}
	return n.kind.String() + "(" + n.text + ")"
}

// refDecodeNode is the encoding/json Token reader decodeNode replaced, kept
// as the reference its behaviour is held to.
func refDecodeNode(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := refReadNode(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("unexpected data after the top-level value at byte %d", dec.InputOffset())
	}
	return n, nil
}

func refReadNode(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &node{kind: nodeNull}, nil
	case string:
		return &node{kind: nodeString, text: t}, nil
	case json.Number:
		return &node{kind: nodeNumber, text: t.String()}, nil
	case bool:
		if t {
			return &node{kind: nodeBool, text: "true"}, nil
		}
		return &node{kind: nodeBool, text: "false"}, nil
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: nodeObject}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				val, err := refReadNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{key: key, val: val})
			}
			_, err := dec.Token() // '}'
			return n, err
		case '[':
			n := &node{kind: nodeArray}
			for dec.More() {
				item, err := refReadNode(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, item)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// refGlob is a direct recursive reading of the wildcard rules: "*" matches any
// run of characters, "?" one character, everything else itself.
func refGlob(p, s string) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		for i := 0; ; {
			if refGlob(p[1:], s[i:]) {
				return true
			}
			if i == len(s) {
				return false
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	case '?':
		if s == "" {
			return false
		}
		_, n := utf8.DecodeRuneInString(s)
		return refGlob(p[1:], s[n:])
	}
	return s != "" && p[0] == s[0] && refGlob(p[1:], s[1:])
}

// refMatchARN applies refGlob field by field over six ARN fields (ArnLike).
func refMatchARN(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	ps, as := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(ps) != 6 || len(as) != 6 {
		return false
	}
	for i := range ps {
		if !refGlob(ps[i], as[i]) {
			return false
		}
	}
	return true
}

// refMatchResource reads the Resource element's wildcard rules as a regular
// expression over the whole ARN: in the first five fields "?" is one
// character other than ':' and "*" a run without ':' unless it ends the field,
// where IAM documents that it may expand beyond the colon boundaries; in the
// sixth field (the resource, colons included) "*" and "?" match anything.
func refMatchResource(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	if len(strings.SplitN(arn, ":", 6)) != 6 {
		return false
	}
	fields := strings.SplitN(pattern, ":", 6)
	var re strings.Builder
	re.WriteString(`^(?s)`)
	for i, f := range fields {
		if i > 0 {
			re.WriteByte(':')
		}
		for j, r := range f {
			switch {
			case r == '*' && (i == 5 || j == len(f)-1):
				re.WriteString(`.*`)
			case r == '*':
				re.WriteString(`[^:]*`)
			case r == '?' && i == 5:
				re.WriteString(`.`)
			case r == '?':
				re.WriteString(`[^:]`)
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
	}
	re.WriteByte('$')
	return regexp.MustCompile(re.String()).MatchString(arn)
}

func FuzzMatchResource(f *testing.F) {
	f.Add("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key")
	f.Add("arn:aws:s3:::*/*aws-glue-*/*", "arn:aws:s3:::b/x/aws-glue-1/y")
	f.Add("arn:aws:logs:*:*:log-group:*", "arn:aws:logs:eu-west-1:1:log-group:a:b")
	f.Add("arn:*:s3:::b?", "arn:aws:s3:::b1")
	f.Add("*", "anything")
	f.Add("arn:aws:kms:*", "arn:aws:kms:r:1:key/x")
	f.Add("**", "0")
	f.Add("arn:aws:s3:*:*:secret*", "arn:aws:s3:::b/x:secret-1")
	f.Add("arn:aws:*:foo", "arn:aws:s3:::foo")
	f.Add("arn:a*:s3", "arn:aws:s3:::b")
	f.Add("arn:*:*:*:*", "arn:aws:kms:r:1:key/a:b:c")
	f.Fuzz(func(t *testing.T, pattern, arn string) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(arn) || len(pattern) > 64 || len(arn) > 128 {
			return
		}
		segs, ok := awsid.SplitARN(arn)
		g := compileARNPattern(pattern)
		if got, want := g.match(&segs, arn, ok), refMatchARN(pattern, arn); got != want {
			t.Fatalf("ArnLike match(%q, %q) = %v, reference says %v", pattern, arn, got, want)
		}
		g = compileResourcePattern(pattern)
		if got, want := g.match(&segs, arn, ok), refMatchResource(pattern, arn); got != want {
			t.Fatalf("Resource match(%q, %q) = %v, reference says %v", pattern, arn, got, want)
		}
	})
}

func FuzzMatchAction(f *testing.F) {
	f.Add("s3:Get*", "s3:GetObject")
	f.Add("S3:*OBJECT", "s3:getobject")
	f.Add("*:?et*", "kms:GetKeyPolicy")
	f.Add("s3:List*Uploads", "s3:ListMultipartUploadParts")
	f.Fuzz(func(t *testing.T, pattern, action string) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(action) || len(pattern) > 64 || len(action) > 128 {
			return
		}
		service, _, _ := strings.Cut(action, ":")
		set := newActionSet([]string{pattern})
		if got, want := set.match(action, asciiLower(service)), refGlob(asciiLower(pattern), asciiLower(action)); got != want {
			t.Fatalf("match(%q, %q) = %v, reference says %v", pattern, action, got, want)
		}
	})
}

// negations pairs each negatable operator with its negation.
var negations = map[string]string{
	"StringEquals": "StringNotEquals", "StringEqualsIgnoreCase": "StringNotEqualsIgnoreCase",
	"StringLike": "StringNotLike", "NumericEquals": "NumericNotEquals", "DateEquals": "DateNotEquals",
	"IpAddress": "NotIpAddress", "ArnLike": "ArnNotLike", "ArnEquals": "ArnNotEquals",
}

func FuzzCondition(f *testing.F) {
	f.Add("StringEquals", "aws:SourceVpce", "vpce-1", "vpce-1", false)
	f.Add("ForAllValues:StringLikeIfExists", "aws:TagKeys", "a*", "abc", false)
	f.Add("NumericLessThan", "s3:max-keys", "10", "9", false)
	f.Add("DateGreaterThan", "aws:CurrentTime", "2020-01-01", "2024-01-01T00:00:00Z", false)
	f.Add("IpAddress", "aws:SourceIp", "10.0.0.0/8", "10.1.2.3", true)
	f.Add("ArnLike", "aws:SourceArn", "arn:aws:iam::*:role/x", "arn:aws:iam::1:role/x", false)
	f.Add("Null", "aws:TokenIssueTime", "true", "", false)
	f.Add("BinaryEquals", "k:b", "YQ==", "YQ==", false)
	f.Add("StringEquals", "k:v", "${k:w, 'd'}", "d", false)
	f.Fuzz(func(t *testing.T, op, key, value, reqValue string, unknown bool) {
		if strings.EqualFold(key, "aws:PrincipalArn") {
			// The engine checks the key against the caller's role (see
			// resolveCaller); it is no free condition key.
			return
		}
		cond := map[string]map[string][]string{op: {key: {value}}}
		doc, err := json.Marshal(map[string]any{
			"Version":   "2012-10-17",
			"Statement": map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": cond},
		})
		if err != nil {
			return
		}
		p, err := Parse(doc, KindIdentity, "fuzz")
		if err != nil {
			return
		}
		ctx := NewContext()
		switch {
		case unknown:
			ctx.SetUnknown(key)
		case reqValue != "":
			ctx.Set(key, reqValue, reqValue+"x")
		}
		r := Evaluate(&Input{Identity: []*Policy{p}}, glueRequest(objectARN, ctx))
		if r.Decision == ExplicitlyDenied || r.Decision < Allowed || r.Decision > Unknown {
			t.Fatalf("decision %v for an allow-only policy", r.Decision)
		}
		if (r.Decision == Unknown) != (len(r.UnknownKeys)+len(r.UnknownLeaves) > 0) {
			t.Fatalf("decision %v with UnknownKeys %v and UnknownLeaves %v", r.Decision, r.UnknownKeys, r.UnknownLeaves)
		}
		// An operator and its negation disagree on a known, single-valued key.
		neg, ok := negations[op]
		if !ok || unknown || reqValue == "" || strings.Contains(value, "${") || hasUnknown(value) || hasUnknown(key) {
			return
		}
		ctx = NewContext()
		ctx.Set(key, reqValue)
		req := glueRequest(objectARN, ctx)
		pos := Evaluate(&Input{Identity: []*Policy{p}}, req)
		negDoc := strings.Replace(string(doc), `"`+op+`"`, `"`+neg+`"`, 1)
		np, err := Parse([]byte(negDoc), KindIdentity, "fuzz")
		if err != nil {
			t.Fatalf("negated operator does not parse: %v", err)
		}
		if negR := Evaluate(&Input{Identity: []*Policy{np}}, req); (pos.Decision == Allowed) == (negR.Decision == Allowed) {
			t.Fatalf("%s and %s agree (%v) on %q vs %q", op, neg, pos.Decision, value, reqValue)
		}
	})
}
