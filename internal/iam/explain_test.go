package iam

import (
	"strconv"
	"testing"
)

func TestDecisionString(t *testing.T) {
	t.Parallel()
	want := map[Decision]string{Allowed: "Allowed", ImplicitlyDenied: "ImplicitlyDenied", ExplicitlyDenied: "ExplicitlyDenied", Unknown: "Unknown", Decision(9): "Decision(9)", Decision(-1): "Decision(-1)"}
	for d, s := range want {
		if d.String() != s {
			t.Errorf("Decision(%d).String() = %q, want %q", int(d), d.String(), s)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	const head = sessionARN + " is not authorized to perform: s3:GetObject on resource: " + objectARN
	tests := map[string]struct {
		c    evalCase
		want string
	}{
		"no identity policy":   {evalCase{}, head + " because no identity-based policy allows the s3:GetObject action"},
		"cross account bucket": {evalCase{identity: []string{"read"}, resAccount: acctB}, head + " because no resource-based policy allows the s3:GetObject action"},
		"bucket policy deny":   {evalCase{identity: []string{"read"}, resource: "bp-vpce"}, head + " with an explicit deny in a resource-based policy"},
		"identity deny":        {evalCase{identity: []string{"deny-get"}}, head + " with an explicit deny in an identity-based policy"},
		"endpoint":             {evalCase{identity: []string{"read"}, endpoint: "vpce-other"}, head + " because no VPC endpoint policy allows the s3:GetObject action"},
		"endpoint deny":        {evalCase{identity: []string{"read"}, endpoint: "vpce-deny"}, head + " with an explicit deny in a VPC endpoint policy"},
		"scp deny":             {evalCase{identity: []string{"read"}, scps: [][]string{{"full", "scp-deny-s3"}}}, head + " with an explicit deny in a service control policy"},
		"scp allow missing":    {evalCase{identity: []string{"read"}, scps: [][]string{{"ec2"}}}, head + " because no service control policy allows the s3:GetObject action"},
		"rcp deny":             {evalCase{identity: []string{"read"}, rcps: [][]string{{"rcp-org"}}}, head + " with an explicit deny in a resource control policy"},
		"boundary":             {evalCase{identity: []string{"read"}, boundary: "ec2"}, head + " because no permissions boundary allows the s3:GetObject action"},
		"boundary deny":        {evalCase{identity: []string{"s3all"}, boundary: "deny-get"}, head + " with an explicit deny in a permissions boundary"},
		"session":              {evalCase{identity: []string{"read"}, session: "ec2"}, head + " because no session policy allows the s3:GetObject action"},
		"session deny":         {evalCase{identity: []string{"s3all"}, session: "deny-get"}, head + " with an explicit deny in a session policy"},
		"allowed by identity": {evalCase{identity: []string{"read"}},
			sessionARN + ` is authorized to perform: s3:GetObject on resource: ` + objectARN + `: allowed by identity-based policy "read" statement 0 (Sid "Read")`},
		"allowed by bucket policy": {evalCase{resource: "bp-role"},
			sessionARN + ` is authorized to perform: s3:GetObject on resource: ` + objectARN + `: allowed by resource-based policy "bp-role" statement 0 (Sid "Grant")`},
		"allowed by grant": {evalCase{action: "kms:Decrypt", resourceARN: keyARN, grants: []Grant{{Label: "g", GranteePrincipal: roleARN, Operations: []string{"Decrypt"}}}},
			sessionARN + ` is authorized to perform: kms:Decrypt on resource: ` + keyARN + `: allowed by KMS grant "g" statement 0`},
		"unknown": {evalCase{identity: []string{"read"}, resource: "deny-unknown", keys: []ctxKV{unknownKey("aws:SourceIp")}},
			sessionARN + ` is possibly not authorized to perform: s3:GetObject on resource: ` + objectARN + `: the decision depends on unknown values of [aws:SourceIp] in a resource-based policy`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in, req := tc.c.build(t)
			if got := Evaluate(in, req).Explain(req); got != tc.want {
				t.Errorf("Explain =\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestExplainNamesServiceAndToleratesNilRequest(t *testing.T) {
	t.Parallel()
	req := &Request{Principal: Principal{Service: "glue.amazonaws.com"}, Action: "s3:GetObject", Resource: objectARN}
	r := Evaluate(&Input{}, req)
	want := "glue.amazonaws.com is not authorized to perform: s3:GetObject on resource: " + objectARN + " because no resource-based policy allows the s3:GetObject action"
	if got := r.Explain(req); got != want {
		t.Errorf("Explain = %q, want %q", got, want)
	}
	if got := (Result{Decision: ImplicitlyDenied, DecidedBy: identity}).Explain(nil); got != " is not authorized to perform:  on resource:  because no identity-based policy allows the  action" {
		t.Errorf("Explain(nil) = %q", got)
	}
}

func TestPolicyNounCoversEveryLayer(t *testing.T) {
	t.Parallel()
	for k, want := range map[LayerKind]string{
		LayerIdentity: "identity-based policy", LayerBoundary: "permissions boundary", LayerSession: "session policy",
		LayerResource: "resource-based policy", LayerKeyPolicy: "resource-based policy", LayerGrant: "KMS grant",
		LayerSCP: "service control policy", LayerRCP: "resource control policy", LayerEndpoint: "VPC endpoint policy", "": "policy",
	} {
		if got := policyNoun(k); got != want {
			t.Errorf("policyNoun(%q) = %q, want %q", k, got, want)
		}
	}
}

func TestContextCloneIsIndependent(t *testing.T) {
	t.Parallel()
	base := NewContext()
	base.Set("aws:SecureTransport", "true")
	c := base.Clone()
	c.Set("aws:SourceVpce", "vpce-1")
	c.SetUnknown("aws:SecureTransport")
	if _, ok := base.lookup(newCtxKey("aws:sourcevpce")); ok {
		t.Error("Clone shares entries with its source")
	}
	if e, _ := base.lookup(newCtxKey("aws:securetransport")); e.unknown || len(e.values) != 1 {
		t.Errorf("source entry changed: %+v", e)
	}
	var zero Context
	zero.Set("k:a", "1")
	zero.SetUnknown("k:b")
	if e, ok := zero.lookup(newCtxKey("k:a")); !ok || e.values[0] != "1" {
		t.Error("a zero Context should be usable")
	}
	if (*Context)(nil).Clone() == nil {
		t.Error("Clone of nil should return an empty context")
	}
	// Clones of one base, each adding keys and prefixes of its own after
	// the other, see only their own: whatever room the base's lists have
	// spare is not shared.
	base.Set("x:2", "2")
	base.Set("x:3", "3") // three entries: room for a fourth
	base.SetUnknownPrefix("p1:")
	base.SetUnknownPrefix("p2:")
	base.SetUnknownPrefix("p3:")
	a, b := base.Clone(), base.Clone()
	for i := range 20 {
		a.Set("a:k"+strconv.Itoa(i), "a")
		b.Set("b:k"+strconv.Itoa(i), "b")
	}
	a.SetUnknownPrefix("a:tag/")
	b.SetUnknownPrefix("b:tag/")
	for _, tc := range []struct {
		ctx     *Context
		own     string
		foreign string
	}{{a, "a", "b"}, {b, "b", "a"}} {
		if e, ok := tc.ctx.lookup(newCtxKey(tc.own + ":k19")); !ok || e.values[0] != tc.own {
			t.Errorf("clone %s lost its own key", tc.own)
		}
		if _, ok := tc.ctx.lookup(newCtxKey(tc.foreign + ":k0")); ok {
			t.Errorf("clone %s sees a key of clone %s", tc.own, tc.foreign)
		}
		if _, ok := tc.ctx.lookup(newCtxKey(tc.foreign + ":tag/x")); ok {
			t.Errorf("clone %s sees a prefix of clone %s", tc.own, tc.foreign)
		}
	}
	if _, ok := base.lookup(newCtxKey("a:tag/x")); ok {
		t.Error("a clone's prefix reached its source")
	}
}
