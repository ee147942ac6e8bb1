package simulate

import (
	"errors"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

const (
	session = "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"
	s3Req   = `"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}`
	allowS3 = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`
)

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		wantPath string
		policy   bool   // the error is a policy syntax error rather than a request-file error
		wantMsg  string // substring of the message
	}{
		{"not JSON", `{"request": `, "", false, "not valid JSON"},
		{"top level not an object", `[1, 2]`, "", false, "expected a JSON object"},
		{"unknown top-level field", `{` + s3Req + `, "identity_policy": []}`, "identity_policy", false, "unknown field"},
		{"missing request", `{"identity_policies": []}`, "request", false, "missing required field"},
		{"unknown request field", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333", "region": "eu-west-1"}}`,
			"request.region", false, "unknown field"},
		{"missing action", `{"request": {"principal": "` + session + `", "resource": "arn:aws:kms:eu-west-1:111122223333:key/k"}}`, "request.action", false, "missing required field"},
		{"missing principal", `{"request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`, "request.principal", false, "missing required field"},
		{"principal and service", `{"request": {"principal": "` + session + `", "principal_service": "glue.amazonaws.com", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request", false, "mutually exclusive"},
		{"service principal without domain", `{"request": {"principal_service": "glue", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_service", false, "not a service principal"},
		{"principal not an ARN", `{"request": {"principal": "GlueJobRole", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal", false, "not a principal ARN"},
		{"malformed session ARN", `{"request": {"principal": "arn:aws:sts::111122223333:assumed-role/GlueJobRole", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal", false, "assumed-role/<role>/<session>"},
		{"role ARN of another role", `{"request": {"principal": "` + session + `", "principal_role_arn": "arn:aws:iam::111122223333:role/service-role/Other", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_role_arn", false, `not the ARN of role "GlueJobRole"`},
		{"role ARN in another account", `{"request": {"principal": "` + session + `", "principal_role_arn": "arn:aws:iam::444455556666:role/GlueJobRole", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_role_arn", false, "in account 111122223333"},
		{"role ARN in another partition", `{"request": {"principal": "` + session + `", "principal_role_arn": "arn:aws-cn:iam::111122223333:role/GlueJobRole", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_role_arn", false, "in account 111122223333"},
		{"role ARN without a partition", `{"request": {"principal": "` + session + `", "principal_role_arn": "arn::iam::111122223333:role/GlueJobRole", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_role_arn", false, "in account 111122223333"},
		{"aws:PrincipalArn of another role", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333", "context": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/service-role/Other"}}}`,
			"request.context", false, `is not the ARN of the caller's role "GlueJobRole"`},
		{"aws:PrincipalArn with another path than principal_role_arn", `{"request": {"principal": "` + session + `", "principal_role_arn": "arn:aws:iam::111122223333:role/a/GlueJobRole", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333", "context": {"aws:principalarn": "arn:aws:iam::111122223333:role/b/GlueJobRole"}}}`,
			"request.context", false, "name different paths"},
		{"role ARN with a service principal", `{"request": {"principal": "glue.amazonaws.com", "principal_role_arn": "arn:aws:iam::111122223333:role/R", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_role_arn", false, "not allowed with a service principal"},
		{"role ARN for a user", `{"request": {"principal": "arn:aws:iam::111122223333:user/alice", "principal_role_arn": "arn:aws:iam::111122223333:role/R", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.principal_role_arn", false, "only for assumed-role session principals"},
		{"S3 resource without account", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}}`,
			"request.resource_account", false, "required for S3 resources"},
		{"resource not an ARN", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "b/k", "resource_account": "111122223333"}}`,
			"request.resource", false, "is not an ARN"},
		{"bad resource account", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "1111"}}`,
			"request.resource_account", false, "not a 12-digit account id"},
		{"resource account contradicts ARN", `{"request": {"principal": "` + session + `", "action": "kms:Decrypt", "resource": "arn:aws:kms:eu-west-1:111122223333:key/k", "resource_account": "444455556666"}}`,
			"request.resource_account", false, "differs from account"},
		{"context value not a string", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333", "context": {"aws:SecureTransport": true}}}`,
			`request.context["aws:SecureTransport"]`, false, "expected a string or an array of strings"},
		{"context key twice in two cases", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333", "context": {"aws:SourceVpce": "a", "AWS:SourceVpce": "b"}}}`,
			`request.context["aws:SourceVpce"]`, false, "case-insensitive"},
		{"identity policies not an array", `{` + s3Req + `, "identity_policies": ` + allowS3 + `}`, "identity_policies", false, "expected a JSON array"},
		{"policy not an object", `{` + s3Req + `, "identity_policies": ["s3:*"]}`, "identity_policies[0]", false, "must be a JSON object"},
		{"scp level not an array", `{` + s3Req + `, "scps": [` + allowS3 + `]}`, "scps[0]", false, "one level of the organization"},
		{"bad policy names the JSON path", `{` + s3Req + `, "identity_policies": [` + allowS3 + `, {"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}]}`,
			"identity_policies[1].Statement[0]", true, "invalid policy document"},
		{"principal in an identity policy", `{` + s3Req + `, "identity_policies": [{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}]}`,
			"identity_policies[0].Statement[0].Principal", true, "invalid policy document"},
		{"bucket policy without principal", `{` + s3Req + `, "resource_policy": ` + allowS3 + `}`, "resource_policy.Statement[0]", true, "invalid policy document"},
		{"bad RCP deep in the levels", `{` + s3Req + `, "rcps": [[], [{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Conditon": {}}]}]]}`, //nolint:misspell // the misspelled element is the point of the case
			"rcps[1][0].Statement[0].Conditon", true, "invalid policy document"}, //nolint:misspell // the path of the misspelled element
		{"unknown grant field", `{` + s3Req + `, "kms_grants": [{"grantee_principal": "arn:aws:iam::111122223333:role/R", "operations": ["Decrypt"], "retiring_principal": "x"}]}`,
			"kms_grants[0].retiring_principal", false, "unknown field"},
		{"grant without operations", `{` + s3Req + `, "kms_grants": [{"grantee_principal": "arn:aws:iam::111122223333:role/R", "operations": []}]}`,
			"kms_grants[0].operations", false, "at least one operation"},
		{"unknown grant constraint", `{` + s3Req + `, "kms_grants": [{"grantee_principal": "arn:aws:iam::111122223333:role/R", "operations": ["Decrypt"], "constraints": {"encryption_context": {}}}]}`,
			"kms_grants[0].constraints.encryption_context", false, "unknown field"},
		{"unknown decision", `{` + s3Req + `, "expect": {"decision": "Denied"}}`, "expect.decision", false, "want Allowed, ImplicitlyDenied or ExplicitlyDenied"},
		{"unknown expect field", `{` + s3Req + `, "expect": {"decision": "Allowed", "reason": "x"}}`, "expect.reason", false, "unknown field"},
		{"unknown layer", `{` + s3Req + `, "expect": {"decision": "Allowed", "decided_by": {"kind": "iam"}}}`, "expect.decided_by.kind", false, `unknown layer "iam"`},
		{"level on a non-organization layer", `{` + s3Req + `, "expect": {"decision": "Allowed", "decided_by": {"kind": "identity", "level": 1}}}`,
			"expect.decided_by.level", false, "only scp and rcp layers"},
		{"negative statement index", `{` + s3Req + `, "expect": {"decision": "Allowed", "statements": [{"policy": "identity_policies[0]", "index": -1}]}}`,
			"expect.statements[0].index", false, "non-negative integer"},
		{"empty action", `{"request": {"principal": "` + session + `", "action": "", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}`,
			"request.action", false, "must not be empty"},
		{"context not an object", `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333", "context": ["aws:SourceVpce"]}}`,
			"request.context", false, "expected a JSON object"},
		{"grant without grantee", `{` + s3Req + `, "kms_grants": [{"operations": ["Decrypt"]}]}`, "kms_grants[0].grantee_principal", false, "missing required field"},
		{"grant constraint values not strings", `{` + s3Req + `, "kms_grants": [{"grantee_principal": "arn:aws:iam::111122223333:role/R", "operations": ["Decrypt"], "constraints": {"encryption_context_subset": {"n": 1}}}]}`,
			"kms_grants[0].constraints.encryption_context_subset", false, "object of string values"},
		{"expect without decision", `{` + s3Req + `, "expect": {"decided_by": {"kind": "identity"}}}`, "expect.decision", false, "missing required field"},
		{"decided_by without kind", `{` + s3Req + `, "expect": {"decision": "Allowed", "decided_by": {"level": 1}}}`, "expect.decided_by.kind", false, "missing required field"},
		{"statement without policy", `{` + s3Req + `, "expect": {"decision": "Allowed", "statements": [{"index": 0}]}}`, "expect.statements[0].policy", false, "missing required field"},
		{"statement without index", `{` + s3Req + `, "expect": {"decision": "Allowed", "statements": [{"policy": "identity_policies[0]"}]}}`, "expect.statements[0].index", false, "missing required field"},
		{"statement sid not a string", `{` + s3Req + `, "expect": {"decision": "Allowed", "statements": [{"policy": "identity_policies[0]", "index": 0, "sid": 7}]}}`, "expect.statements[0].sid", false, "expected a string"},
		{"why not a string", `{` + s3Req + `, "why": ["a"]}`, "why", false, "expected a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode("case.json", []byte(tt.data))
			if err == nil {
				t.Fatalf("Decode() = %+v, want an error", c)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FileError", err, err)
			}
			if fe.File != "case.json" || fe.Path != tt.wantPath {
				t.Errorf("error at file %q path %q, want case.json path %q (%v)", fe.File, fe.Path, tt.wantPath, err)
			}
			wantClass := ErrInvalidRequestFile
			if tt.policy {
				wantClass = iam.ErrPolicySyntax
			}
			if !errors.Is(err, wantClass) {
				t.Errorf("error %v does not wrap %v", err, wantClass)
			}
			if !strings.HasPrefix(err.Error(), "case.json: ") || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q: want it to start with the file name and contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestDecodeRequest(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:444455556666:key/k"
	tests := []struct {
		name        string
		request     string
		want        iam.Principal
		wantAccount string
	}{
		{"session ARN gives the role ARN without path",
			`{"principal": "` + session + `", "action": "kms:Decrypt", "resource": "` + key + `"}`,
			iam.Principal{ARN: session, RoleARN: "arn:aws:iam::111122223333:role/GlueJobRole", Account: "111122223333"}, "444455556666"},
		{"principal_role_arn gives the path",
			`{"principal": "` + session + `", "principal_role_arn": "arn:aws:iam::111122223333:role/service-role/GlueJobRole", "action": "kms:Decrypt", "resource": "` + key + `"}`,
			iam.Principal{ARN: session, RoleARN: "arn:aws:iam::111122223333:role/service-role/GlueJobRole", Account: "111122223333"}, "444455556666"},
		{"session in another partition",
			`{"principal": "arn:aws-cn:sts::111122223333:assumed-role/R/s", "action": "s3:GetObject", "resource": "arn:aws-cn:s3:::b/k", "resource_account": "444455556666"}`,
			iam.Principal{ARN: "arn:aws-cn:sts::111122223333:assumed-role/R/s", RoleARN: "arn:aws-cn:iam::111122223333:role/R", Account: "111122223333"}, "444455556666"},
		{"IAM user has no role",
			`{"principal": "arn:aws:iam::111122223333:user/alice", "action": "kms:Decrypt", "resource": "` + key + `"}`,
			iam.Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"}, "444455556666"},
		{"service principal",
			`{"principal_service": "logging.s3.amazonaws.com", "action": "s3:PutObject", "resource": "arn:aws:s3:::logs/k", "resource_account": "111122223333"}`,
			iam.Principal{Service: "logging.s3.amazonaws.com"}, "111122223333"},
		{"service principal in principal",
			`{"principal": "glue.amazonaws.com", "action": "s3:PutObject", "resource": "arn:aws:s3:::logs/k", "resource_account": "111122223333"}`,
			iam.Principal{Service: "glue.amazonaws.com"}, "111122223333"},
		{"role ARN as principal",
			`{"principal": "arn:aws:iam::111122223333:role/service-role/GlueJobRole", "action": "s3:PutObject", "resource": "arn:aws:s3:::logs/k", "resource_account": "111122223333"}`,
			iam.Principal{ARN: "arn:aws:iam::111122223333:role/service-role/GlueJobRole", RoleARN: "arn:aws:iam::111122223333:role/service-role/GlueJobRole", Account: "111122223333"}, "111122223333"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode("case.json", []byte(`{"request": `+tt.request+`}`))
			if err != nil {
				t.Fatal(err)
			}
			if c.Request.Principal != tt.want {
				t.Errorf("principal = %+v, want %+v", c.Request.Principal, tt.want)
			}
			if c.Request.ResourceAccount != tt.wantAccount {
				t.Errorf("resource account = %q, want %q", c.Request.ResourceAccount, tt.wantAccount)
			}
		})
	}
}

// TestDecodePolicies checks that every document is parsed with the kind and
// label its position implies, and that the request context reaches the engine.
func TestDecodePolicies(t *testing.T) {
	doc := func(principal bool) string {
		if principal {
			return `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`
		}
		return `{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	}
	file := func(action, resource string) string {
		return `{"request": {"principal": "` + session + `", "action": "` + action + `", "resource": "` + resource + `", "resource_account": "111122223333",
			"context": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
		"identity_policies": [` + doc(false) + `, ` + doc(false) + `], "permission_boundary": ` + doc(false) + `,
		"session_policy": ` + doc(false) + `, "resource_policy": ` + doc(true) + `, "vpc_endpoint_policy": ` + doc(true) + `,
		"scps": [[` + doc(false) + `], [` + doc(false) + `, ` + doc(false) + `]], "rcps": [[], [` + doc(true) + `]],
		"kms_grants": [{"grantee_principal": "arn:aws:iam::111122223333:role/GlueJobRole", "operations": ["Decrypt"],
			"constraints": {"encryption_context_equals": {"aws:s3:arn": "arn:aws:s3:::b/k"}}}],
		"why": "every layer", "expect": {"decision": "Allowed", "decided_by": {"kind": "scp", "level": 1}, "statements": []}}`
	}
	c, err := Decode("all.json", []byte(file("s3:GetObject", "arn:aws:s3:::b/k")))
	if err != nil {
		t.Fatal(err)
	}
	in := c.Input
	got := []*iam.Policy{in.Identity[0], in.Identity[1], in.Boundary, in.Session, in.Resource, in.Endpoint, in.SCPs[0][0], in.SCPs[1][1], in.RCPs[1][0]}
	want := []struct {
		label string
		kind  iam.Kind
	}{
		{"identity_policies[0]", iam.KindIdentity}, {"identity_policies[1]", iam.KindIdentity}, {"permission_boundary", iam.KindBoundary},
		{"session_policy", iam.KindSession}, {"resource_policy", iam.KindResource}, {"vpc_endpoint_policy", iam.KindEndpoint},
		{"scps[0][0]", iam.KindSCP}, {"scps[1][1]", iam.KindSCP}, {"rcps[1][0]", iam.KindRCP},
	}
	for i, p := range got {
		if p.Label != want[i].label || p.Kind != want[i].kind {
			t.Errorf("policy %d = %q kind %v, want %q kind %v", i, p.Label, p.Kind, want[i].label, want[i].kind)
		}
	}
	if len(in.RCPs[0]) != 0 {
		t.Errorf("rcps[0] has %d policies, want an empty level", len(in.RCPs[0]))
	}
	if len(in.Grants) != 1 || in.Grants[0].Label != "kms_grants[0]" || in.Grants[0].EncryptionContextEquals["aws:s3:arn"] != "arn:aws:s3:::b/k" ||
		in.Grants[0].EncryptionContextSubset != nil {
		t.Errorf("grants = %+v, want kms_grants[0] with one equals constraint", in.Grants)
	}
	if c.Why != "every layer" || c.Expect.Decision != iam.Allowed || *c.Expect.DecidedBy != (iam.Layer{Kind: iam.LayerSCP, Level: 1}) ||
		c.Expect.Statements == nil || len(c.Expect.Statements) != 0 {
		t.Errorf("why/expect = %q %+v, want the file's values with an empty, non-nil statement list", c.Why, c.Expect)
	}

	// The same resource_policy is a key policy when the action is a KMS action.
	c, err = Decode("kms.json", []byte(file("KMS:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/k")))
	if err != nil {
		t.Fatal(err)
	}
	if c.Input.Resource.Kind != iam.KindKeyPolicy {
		t.Errorf("resource_policy kind = %v for a kms action, want %v", c.Input.Resource.Kind, iam.KindKeyPolicy)
	}

	// null policies and an absent expect leave the layers and the expectation out.
	c, err = Decode("nulls.json", []byte(`{`+s3Req+`, "permission_boundary": null, "resource_policy": null, "vpc_endpoint_policy": null, "session_policy": null, "identity_policies": null}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Input.Boundary != nil || c.Input.Resource != nil || c.Input.Endpoint != nil || c.Input.Session != nil || c.Input.Identity != nil || c.Expect != nil {
		t.Errorf("null layers decoded as %+v, expect %+v; want all nil", c.Input, c.Expect)
	}
}

// TestDecodeContext checks that context values reach the engine unchanged: the
// endpoint-only Allow applies only with the exact endpoint id.
func TestDecodeContext(t *testing.T) {
	policy := `"identity_policies": [{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
		"Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "team"}, "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}]`
	tests := []struct {
		name    string
		context string
		want    iam.Decision
	}{
		{"string and array values", `{"aws:SourceVpce": "vpce-1a2b3c4d", "aws:TagKeys": ["env", "team"]}`, iam.Allowed},
		{"other endpoint", `{"aws:SourceVpce": "vpce-9f8e7d6c", "aws:TagKeys": ["team"]}`, iam.ImplicitlyDenied},
		{"key not listed is absent", `{"aws:TagKeys": ["team"]}`, iam.ImplicitlyDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := `{"request": {"principal": "` + session + `", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333",
				"context": ` + tt.context + `}, ` + policy + `}`
			c, err := Decode("ctx.json", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if got := iam.Evaluate(c.Input, c.Request); got.Decision != tt.want {
				t.Errorf("decision = %v, want %v (%s)", got.Decision, tt.want, got.Explain(c.Request))
			}
		})
	}
}
