package tfconfig

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

func documentPlan(t *testing.T, cfg *Config) *tfjson.Plan {
	t.Helper()
	read := tfjson.Actions{tfjson.ActionRead}
	plan := planFor(t, cfg, nil,
		create("aws_s3_bucket.raw", map[string]any{"bucket": "raw-zone"}, "arn", "id"),
		create("aws_kms_key.raw", map[string]any{}, "arn", "key_id", "id"),
		create("aws_iam_role.glue", map[string]any{"name": "glue", "path": "/"}, "arn", "id"),
		// base has only constant inputs but is read with glue's dependencies pending.
		change("", "data.aws_iam_policy_document.base", nil, read, map[string]any{}, "json", "minified_json", "id"),
		change("", "data.aws_iam_policy_document.glue", nil, read, map[string]any{}, "json", "minified_json", "id"),
		create("aws_iam_role_policy.glue", map[string]any{"name": "glue"}, "role", "policy", "id"),
	)
	// Data sources read during planning are in the prior state only.
	plan.PriorState = &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: []*tfjson.StateResource{
		{Address: "data.aws_caller_identity.me", Mode: tfjson.DataResourceMode, Type: "aws_caller_identity", Name: "me",
			AttributeValues: map[string]any{"account_id": "111122223333", "id": "111122223333"}},
		{Address: "data.aws_iam_policy_document.override", Mode: tfjson.DataResourceMode, Type: "aws_iam_policy_document", Name: "override",
			AttributeValues: map[string]any{"json": `{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}`}},
	}}}}
	return plan
}

func TestPolicyDocumentRenderedAsTheProviderRendersIt(t *testing.T) {
	cfg := load(t, "document")
	ev := bind(t, cfg, documentPlan(t, cfg), Options{})
	keyARN := mustString(t, attribute(t, ev, "aws_kms_key.raw", "arn"))
	got := attribute(t, ev, "aws_iam_role_policy.glue", "policy")
	readStatement := func(sid, prefix string) string {
		return `
    {
      "Sid": "` + sid + `",
      "Effect": "Allow",
      "Action": [
        "s3:PutObject",
        "s3:GetObject"
      ],
      "Resource": "arn:aws:s3:::raw-zone/` + prefix + `",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/glue"
      },
      "Condition": {
        "StringEquals": {
          "aws:PrincipalAccount": "111122223333",
          "aws:SourceVpce": "vpce-1"
        }
      }
    },`
	}
	// Source statements first, "Replaced" replaced in place by the configuration's
	// statement with that Sid, dynamic statements expanded where they are written, the
	// override's statement last; sets in descending order, one element as a string.
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Deny",
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    },
    {
      "Sid": "Replaced",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::raw-zone"
    },` + readStatement("ReadIn", "in/*") + readStatement("ReadOut", "out/*") + `
    {
      "Effect": "Allow",
      "Action": [
        "kms:GenerateDataKey",
        "kms:Decrypt"
      ],
      "Resource": "` + keyARN + `"
    },
    {
      "Sid": "Logs",
      "Effect": "Allow",
      "Action": "logs:PutLogEvents",
      "Resource": "*"
    }
  ]
}`
	if s := mustString(t, got); s != want {
		t.Errorf("policy:\n%s\nwant:\n%s", s, want)
	}
	for _, note := range []string{
		"data.aws_iam_policy_document.glue.json: rendered from its configuration",
		"aws_s3_bucket.raw.arn: bucket ARN derived from its name",
		"account 111122223333 from allowed_account_ids of provider aws",
	} {
		if !containsNote(got.Derived, note) {
			t.Errorf("notes %q lack %q", got.Derived, note)
		}
	}
}

func TestPolicyDocumentJSONAndMinified(t *testing.T) {
	cfg := load(t, "document")
	ev := bind(t, cfg, documentPlan(t, cfg), Options{})
	doc, err := ev.PolicyDocumentJSON("data.aws_iam_policy_document.base")
	if err != nil {
		t.Fatal(err)
	}
	mini := attribute(t, ev, "data.aws_iam_policy_document.base", "minified_json")
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"Deny","Effect":"Deny","Action":"s3:*","Resource":"*",` +
		`"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"Replaced","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	if got := mustString(t, mini); got != want {
		t.Errorf("minified_json = %s, want %s", got, want)
	}
	pretty := mustString(t, doc)
	if !strings.HasPrefix(pretty, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [") {
		t.Errorf("json is not the two-space indented form: %s", pretty)
	}
	if got, want := mustString(t, attribute(t, ev, "data.aws_iam_policy_document.base", "id")), policydoc.ID(pretty); got != want {
		t.Errorf("id = %s, want %s, the provider's checksum of json", got, want)
	}
	// A value the plan knows is used as it is, without rendering.
	known, err := ev.PolicyDocumentJSON("data.aws_iam_policy_document.override")
	if err != nil {
		t.Fatal(err)
	}
	if got := mustString(t, known); !strings.HasPrefix(got, `{"Version":"2012-10-17","Statement":[{"Sid":"Logs"`) || len(known.Derived) != 0 {
		t.Errorf("override json = %s (notes %q), want the plan's value with no derivation", got, known.Derived)
	}
}

func TestCallerIdentityDerivedFromProviderWhenNotRead(t *testing.T) {
	cfg := load(t, "document")
	plan := documentPlan(t, cfg)
	plan.PriorState.Values.RootModule.Resources = plan.PriorState.Values.RootModule.Resources[1:] // no caller identity value
	ev := bind(t, cfg, plan, Options{})
	v := attribute(t, ev, "data.aws_caller_identity.me", "account_id")
	if got := mustString(t, v); got != "111122223333" {
		t.Errorf("account_id = %q, want 111122223333 from the provider's allowed_account_ids", got)
	}
	if !containsNote(v.Derived, "account 111122223333 from allowed_account_ids of provider aws (main.tf:1)") {
		t.Errorf("notes %q do not say where the account came from", v.Derived)
	}
}

func TestPolicyDocumentUnknownInputStaysUnknown(t *testing.T) {
	cfg := load(t, "noaccount")
	plan := planFor(t, cfg, nil,
		create("aws_iam_role.r", map[string]any{"name": "r", "path": "/"}, "arn", "unique_id"),
		change("", "data.aws_iam_policy_document.p", nil, tfjson.Actions{tfjson.ActionRead}, map[string]any{}, "json"),
		create("aws_iam_role_policy.p", map[string]any{"name": "p", "role": "r"}, "id", "policy"))
	ev := bind(t, cfg, plan, Options{AccountID: "111122223333"})
	v := attribute(t, ev, "aws_iam_role_policy.p", "policy")
	if v.Known {
		t.Fatalf("policy is known (%#v) although the role's unique id is not", v.Val)
	}
	if !strings.Contains(v.Unknown, "aws_iam_role.r.unique_id is known only after apply") {
		t.Errorf("reason %q does not name the role's unique id", v.Unknown)
	}
}

func TestDocumentArgumentConversion(t *testing.T) {
	tests := []struct {
		in      cty.Value
		want    string
		wantErr bool
	}{
		{in: cty.StringVal("s3:GetObject"), want: "s3:GetObject"},
		{in: cty.True, want: "true"},
		{in: cty.NumberIntVal(5), want: "5"},
		{in: cty.NumberFloatVal(1.5), want: "1.5"},
		{in: cty.NullVal(cty.String), wantErr: true},
		{in: cty.ListValEmpty(cty.String), wantErr: true},
	}
	for _, tc := range tests {
		got, err := toString(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("toString(%#v) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
