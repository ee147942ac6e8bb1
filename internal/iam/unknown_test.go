package iam

import (
	"slices"
	"strings"
	"testing"
)

// TestUnknownLeaves decides requests whose policies hold unknown leaves, in
// each layer, for Allow and Deny, in each element and each operator family,
// and checks the decision and the leaves an Unknown result names.
func TestUnknownLeaves(t *testing.T) {
	t.Parallel()
	U := UnknownLeaf("u")
	const (
		allowAll  = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`
		objectARN = "arn:aws:s3:::data-bucket/in/part-0.parquet"
	)
	stmt := func(effect, body string) string { return `{"Effect":"` + effect + `",` + body + `}` }
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	q := func(s string) string { return strings.ReplaceAll(s, "\x00", `\u0000`) } // JSON-escaped leaf
	uq := q(U)
	type layerCase struct {
		kind Kind
		put  func(in *Input, p *Policy)
		// principal: the layer's statements name a Principal.
		principal bool
	}
	layers := map[string]layerCase{
		"identity": {KindIdentity, func(in *Input, p *Policy) { in.Identity = append(in.Identity, p) }, false},
		"boundary": {KindBoundary, func(in *Input, p *Policy) { in.Boundary = p }, false},
		"session":  {KindSession, func(in *Input, p *Policy) { in.Session = p }, false},
		"resource": {KindResource, func(in *Input, p *Policy) { in.Resource = p }, true},
		"scp":      {KindSCP, func(in *Input, p *Policy) { in.SCPs = [][]*Policy{{p}} }, false},
		"rcp":      {KindRCP, func(in *Input, p *Policy) { in.RCPs = [][]*Policy{{p}} }, true},
		"endpoint": {KindEndpoint, func(in *Input, p *Policy) { in.Endpoint = p }, true},
	}
	// Elements holding a leaf that may match the request.
	elements := map[string]string{
		"whole Action":        `"Action":"` + uq + `","Resource":"*"`,
		"Action service name": `"Action":"s3:` + uq + `","Resource":"*"`,
		"Resource":            `"Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/` + uq + `"`,
		"NotAction":           `"NotAction":"` + uq + `","Resource":"*"`,
		"NotResource":         `"Action":"s3:*","NotResource":"` + uq + `"`,
		"condition value":     `"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-` + uq + `"}}`,
		"condition key":       `"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"` + uq + `":"x"}}`,
	}
	for lname, l := range layers {
		for ename, body := range elements {
			principal := ""
			if l.principal {
				principal = `"Principal":"*",`
			}
			t.Run(lname+"/Deny/"+ename, func(t *testing.T) {
				t.Parallel()
				in := &Input{Identity: []*Policy{mustParse(t, doc(allowAll), KindIdentity)}}
				allowHere := ""
				if l.kind == KindBoundary || l.kind == KindSession || l.kind == KindSCP || l.kind == KindEndpoint {
					allowHere = stmt("Allow", principal+`"Action":"*","Resource":"*"`) + ","
				}
				l.put(in, mustParse(t, doc(allowHere+stmt("Deny", principal+body)), l.kind))
				ctx := NewContext()
				ctx.Set("aws:SourceVpce", "vpce-1")
				r := Evaluate(in, glueRequest(objectARN, ctx))
				if r.Decision != Unknown || !slices.Equal(r.UnknownLeaves, []string{"u"}) {
					t.Fatalf("%v leaves %v, want Unknown on [u]: a Deny that may apply (%s)", r.Decision, r.UnknownLeaves, r.Explain(glueRequest(objectARN, nil)))
				}
			})
			if l.kind == KindRCP {
				continue // an RCP grants nothing: only its Deny statements matter
			}
			t.Run(lname+"/Allow/"+ename, func(t *testing.T) {
				t.Parallel()
				in := &Input{}
				if l.kind != KindIdentity && l.kind != KindResource {
					in.Identity = []*Policy{mustParse(t, doc(allowAll), KindIdentity)}
				}
				l.put(in, mustParse(t, doc(stmt("Allow", principal+body)), l.kind))
				ctx := NewContext()
				ctx.Set("aws:SourceVpce", "vpce-1")
				r := Evaluate(in, glueRequest(objectARN, ctx))
				want, leaves := Unknown, []string{"u"}
				if ename == "NotAction" || ename == "NotResource" {
					// NotAction [u] grants unless u names the action.
					want = Unknown
				}
				if r.Decision != want || !slices.Equal(r.UnknownLeaves, leaves) {
					t.Fatalf("%v leaves %v, want %v on %v: the only Allow may or may not apply", r.Decision, r.UnknownLeaves, want, leaves)
				}
			})
		}
	}

	// Leaves that cannot match, and leaves that cannot change the outcome.
	decided := map[string]struct {
		in   func(t *testing.T) *Input
		want Decision
	}{
		"an unknown Allow cannot remove an explicit Deny": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(stmt("Allow", `"Action":"`+uq+`","Resource":"`+uq+`"`), stmt("Deny", `"Action":"s3:*","Resource":"*"`)), KindIdentity)}}
		}, ExplicitlyDenied},
		"an unknown Allow beside a known grant": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(allowAll, stmt("Allow", `"Action":"`+uq+`","Resource":"*"`)), KindIdentity)}}
		}, Allowed},
		"a Deny whose known text rules the resource out": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(allowAll, stmt("Deny", `"Action":"s3:*","Resource":"arn:aws:s3:::other-`+uq+`/*"`)), KindIdentity)}}
		}, Allowed},
		"a Deny whose action's known service differs": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(allowAll, stmt("Deny", `"Action":"kms:`+uq+`","Resource":"*"`)), KindIdentity)}}
		}, Allowed},
		"a NotAction that lists the action beside a leaf": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(allowAll, stmt("Deny", `"NotAction":["s3:GetObject","`+uq+`"],"Resource":"*"`)), KindIdentity)}}
		}, Allowed},
		"a condition value whose known text cannot equal": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(allowAll, stmt("Deny", `"Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-9`+uq+`"}}`)), KindIdentity)}}
		}, Allowed},
		"a negated condition whose known text cannot equal": {func(t *testing.T) *Input {
			return &Input{Identity: []*Policy{mustParse(t, doc(allowAll, stmt("Deny", `"Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-9`+uq+`"}}`)), KindIdentity)}}
		}, ExplicitlyDenied},
		"a bucket policy whose unknown principal is in another account only": {func(t *testing.T) *Input {
			return &Input{Resource: mustParse(t, doc(stmt("Allow", `"Principal":{"AWS":"arn:aws:iam::444455556666:role/`+uq+`"},"Action":"s3:*","Resource":"*"`)), KindResource)}
		}, ImplicitlyDenied},
	}
	for name, tc := range decided {
		t.Run("decided/"+name, func(t *testing.T) {
			t.Parallel()
			ctx := NewContext()
			ctx.Set("aws:SourceVpce", "vpce-1")
			if r := Evaluate(tc.in(t), glueRequest(objectARN, ctx)); r.Decision != tc.want {
				t.Fatalf("%v (leaves %v), want %v", r.Decision, r.UnknownLeaves, tc.want)
			}
		})
	}
}

// TestUnknownPrincipal: an unknown Principal entry may name the caller, and
// how strongly matters: a bucket policy grant to an unknown principal is
// unknown, and so is a NotPrincipal exemption.
func TestUnknownPrincipal(t *testing.T) {
	t.Parallel()
	uq := strings.ReplaceAll(UnknownLeaf("p"), "\x00", `\u0000`)
	tests := map[string]struct {
		policy string
		want   Decision
	}{
		"Allow to an unknown principal":           {`{"Effect":"Allow","Principal":{"AWS":"` + uq + `"},"Action":"s3:*","Resource":"*"}`, Unknown},
		"Allow to an unknown role of the account": {`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/` + uq + `"},"Action":"s3:*","Resource":"*"}`, Unknown},
		"Allow to an unknown service":             {`{"Effect":"Allow","Principal":{"Service":"` + uq + `"},"Action":"s3:*","Resource":"*"}`, ImplicitlyDenied},
		"Deny NotPrincipal an unknown principal":  {`{"Effect":"Deny","NotPrincipal":{"AWS":"` + uq + `"},"Action":"s3:*","Resource":"*"}`, Unknown},
		"Deny NotPrincipal another account and a leaf of it": {`{"Effect":"Deny","NotPrincipal":{"AWS":["444455556666","arn:aws:iam::444455556666:user/` + uq + `"]},"Action":"s3:*","Resource":"*"}`,
			ExplicitlyDenied},
		"Deny to an unknown principal": {`{"Effect":"Deny","Principal":"` + uq + `","Action":"s3:*","Resource":"*"}`, Unknown},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, `{"Version":"2012-10-17","Statement":[`+tc.policy+`]}`, KindResource)
			in := &Input{Resource: p}
			if strings.Contains(tc.policy, "Deny") {
				in.Identity = []*Policy{mustParse(t, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity)}
			}
			r := Evaluate(in, glueRequest("arn:aws:s3:::b/k", nil))
			if r.Decision != tc.want {
				t.Fatalf("%v (leaves %v), want %v", r.Decision, r.UnknownLeaves, tc.want)
			}
			if r.Decision == Unknown && !slices.Equal(r.UnknownLeaves, []string{"p"}) {
				t.Errorf("leaves %v, want [p]", r.UnknownLeaves)
			}
		})
	}
}

// TestUnknownConditionFamilies: a Deny whose condition value is unknown is
// "maybe" in every operator family; a known key absent from the request
// keeps its documented outcome whatever the value.
func TestUnknownConditionFamilies(t *testing.T) {
	t.Parallel()
	uq := strings.ReplaceAll(UnknownLeaf("v"), "\x00", `\u0000`)
	ctx := NewContext()
	for k, v := range map[string]string{"s3:prefix": "a/", "s3:max-keys": "10", "aws:CurrentTime": "2026-01-01T00:00:00Z", "aws:SecureTransport": "true",
		"k:bin": "YQ==", "aws:SourceIp": "10.1.2.3", "aws:SourceArn": "arn:aws:glue:eu-west-1:111122223333:job/x"} {
		ctx.Set(k, v)
	}
	tests := map[string]struct {
		cond string
		want Decision
	}{
		"String":    {`"StringLike":{"s3:prefix":"` + uq + `"}`, Unknown},
		"StringNot": {`"StringNotLike":{"s3:prefix":"` + uq + `"}`, Unknown},
		"Numeric":   {`"NumericLessThan":{"s3:max-keys":"` + uq + `"}`, Unknown},
		// "2<leaf>" may be 20: the known text of a number rules nothing out.
		"Numeric partly known": {`"NumericLessThan":{"s3:max-keys":"2` + uq + `"}`, Unknown},
		"Date":                 {`"DateGreaterThan":{"aws:CurrentTime":"` + uq + `"}`, Unknown},
		"Bool":                 {`"Bool":{"aws:SecureTransport":"` + uq + `"}`, Unknown},
		"Binary":               {`"BinaryEquals":{"k:bin":"` + uq + `"}`, Unknown},
		"IP address":           {`"NotIpAddress":{"aws:SourceIp":"` + uq + `"}`, Unknown},
		"ARN":                  {`"ArnNotLike":{"aws:SourceArn":"arn:aws:glue:*:111122223333:job/` + uq + `"}`, Unknown},
		"ARN known text":       {`"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:444455556666:job/` + uq + `"}`, Allowed},
		"Null":                 {`"Null":{"s3:prefix":"` + uq + `"}`, Unknown},
		"absent key, negated operator applies whatever the value": {`"StringNotEquals":{"k:absent":"` + uq + `"}`, ExplicitlyDenied},
		"absent key, positive operator cannot apply":              {`"StringEquals":{"k:absent":"` + uq + `"}`, Allowed},
		"IfExists on an absent key":                               {`"NumericLessThanIfExists":{"k:absent":"` + uq + `"}`, ExplicitlyDenied},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{`+tc.cond+`}}]}`, KindIdentity)
			r := Evaluate(&Input{Identity: []*Policy{p}}, glueRequest("arn:aws:s3:::b/k", ctx))
			if r.Decision != tc.want {
				t.Fatalf("%v (leaves %v), want %v", r.Decision, r.UnknownLeaves, tc.want)
			}
		})
	}
}

// TestUnknownRequestResource: a resource ARN with an unknown part is matched
// exactly, glob against glob.
func TestUnknownRequestResource(t *testing.T) {
	t.Parallel()
	res := "arn:aws:s3:::libs/" + UnknownLeaf("key")
	tests := map[string]struct {
		resource string
		want     Decision
	}{
		"libs/* covers every key":              {"arn:aws:s3:::libs/*", Allowed},
		"libs/jobs/* covers some":              {"arn:aws:s3:::libs/jobs/*", Unknown},
		"other/* covers none":                  {"arn:aws:s3:::other/*", ImplicitlyDenied},
		"libs* covers every key":               {"arn:aws:s3:::libs*", Allowed},
		"libs/?* needs one character":          {"arn:aws:s3:::libs/?*", Unknown},
		"a field star, only approximated":      {"arn:aws:s3:*:*:libs/*", Unknown},
		"a stretching star":                    {"arn:aws:s3:*", Unknown},
		"the exact key is one of many":         {"arn:aws:s3:::libs/a.py", Unknown},
		"another service":                      {"arn:aws:kms:::libs/*", ImplicitlyDenied},
		"a policy leaf against a request leaf": {"arn:aws:s3:::" + UnknownLeaf("bucket") + "/*", Unknown},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + strings.ReplaceAll(tc.resource, "\x00", `\u0000`) + `"}}`
			r := Evaluate(&Input{Identity: []*Policy{mustParse(t, doc, KindIdentity)}}, glueRequest(res, nil))
			if r.Decision != tc.want {
				t.Fatalf("%v (leaves %v, %s), want %v", r.Decision, r.UnknownLeaves, r.RequestError, tc.want)
			}
			if r.Decision == Unknown && !slices.Contains(r.UnknownLeaves, "key") {
				t.Errorf("leaves %v do not name the request's leaf", r.UnknownLeaves)
			}
		})
	}
	// A leaf before the resource field hides the account: it must be given.
	req := glueRequest("arn:aws:s3:"+UnknownLeaf("region")+"::libs/x", nil)
	req.ResourceAccount = ""
	if r := Evaluate(&Input{}, req); !strings.Contains(r.RequestError, "set ResourceAccount") {
		t.Errorf("request error %q, want it to ask for ResourceAccount", r.RequestError)
	}
}

// TestDecidedDespiteNamesSettledLeaves checks that a decision reached while a
// statement's match was unknown names that statement's leaves, and that a
// decision with no unknown match names none.
func TestDecidedDespiteNamesSettledLeaves(t *testing.T) {
	t.Parallel()
	q := func(s string) string { return strings.ReplaceAll(s, "\x00", `\u0000`) }
	raw := q(UnknownLeaf("data.aws_s3_bucket.raw.arn"))
	req := func() *Request {
		return &Request{
			Principal: Principal{ARN: "arn:aws:sts::111122223333:assumed-role/glue/s", RoleARN: "arn:aws:iam::111122223333:role/glue"},
			Action:    "s3:GetObject", Resource: "arn:aws:s3:::data/in/x", ResourceAccount: "111122223333",
		}
	}
	tests := []struct {
		name, doc string
		want      Decision
		despite   []string
	}{
		{"allow beside an unknown allow",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},{"Effect":"Allow","Action":"s3:*","Resource":"` + raw + `"}]}`,
			Allowed, []string{"data.aws_s3_bucket.raw.arn"}},
		{"deny beside an unknown allow",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::data/*"},{"Effect":"Allow","Action":"s3:*","Resource":"` + raw + `"}]}`,
			ExplicitlyDenied, []string{"data.aws_s3_bucket.raw.arn"}},
		{"leaf that cannot match",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},{"Effect":"Deny","Action":"kms:` + raw + `","Resource":"*"}]}`,
			Allowed, nil},
		{"fully known",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`,
			Allowed, nil},
	}
	for _, tc := range tests {
		res, despite := EvaluateDespite(&Input{Identity: []*Policy{mustParse(t, tc.doc, KindIdentity)}}, req())
		if res.Decision != tc.want || !slices.Equal(despite, tc.despite) {
			t.Errorf("%s: %v despite %q, want %v despite %q", tc.name, res.Decision, despite, tc.want, tc.despite)
		}
	}
}
