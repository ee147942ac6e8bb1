package tfconfig

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// testLeaf writes a leaf as <id>, so that tests can read documents.
func testLeaf(id string) string { return "<" + id + ">" }

func leavesEvaluator(t *testing.T) *Evaluator {
	t.Helper()
	cfg := load(t, "leaves")
	read := tfjson.Actions{tfjson.ActionRead}
	var policies []*tfjson.ResourceChange
	for _, name := range []string{"encoded", "document", "effect", "statements", "dynamic", "principal", "transformed", "sensitive", "heredoc", "heredoc_outside", "heredoc_effect", "heredoc_name", "heredoc_output", "forged"} {
		policies = append(policies, create("aws_iam_role_policy."+name, map[string]any{"name": name, "role": "glue"}, "id", "policy"))
	}
	plan := planFor(t, cfg, nil, append([]*tfjson.ResourceChange{
		create("aws_s3_bucket.data", map[string]any{"bucket": "etl-data"}, "arn", "id"),
		create("aws_s3_bucket.staging", map[string]any{"bucket_prefix": "staging-"}, "arn", "id", "bucket"),
		change("", "data.aws_s3_bucket.raw", nil, read, map[string]any{}, "arn", "bucket", "id", "region"),
		create("aws_cloudformation_stack.net", map[string]any{"name": "net", "template_body": "{}"}, "id", "outputs"),
		create("aws_vpc_endpoint.s3", map[string]any{"vpc_id": "vpc-1"}, "id", "arn", "policy"),
		create("aws_iam_role.glue", map[string]any{"name": "glue", "path": "/"}, "arn", "id", "unique_id"),
		change("", "data.aws_iam_policy_document.doc", nil, read, map[string]any{}, "json", "minified_json", "id"),
		change("", "data.aws_iam_policy_document.dynamic", nil, read, map[string]any{}, "json", "minified_json", "id"),
	}, policies...)...)
	return bind(t, cfg, plan, Options{AccountID: "111122223333"})
}

// statements decodes a document's statements.
func statements(t *testing.T, doc string) []map[string]any {
	t.Helper()
	var d struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatalf("document %s: %v", doc, err)
	}
	return d.Statement
}

func TestPolicyDocumentMarksUnknownLeaves(t *testing.T) {
	ev := leavesEvaluator(t)
	tests := []struct {
		address string
		leaves  []string
		want    []string // statements as JSON, in order
	}{
		{"aws_iam_role_policy.encoded",
			[]string{"aws_iam_role.glue.unique_id", "aws_s3_bucket.staging.bucket", "data.aws_s3_bucket.raw.arn", "var.extra_actions"},
			[]string{
				`{"Action":["s3:GetObject"],"Effect":"Allow","Resource":["arn:aws:s3:::etl-data/*"],"Sid":"Data"}`,
				`{"Action":"<var.extra_actions>","Condition":{"StringLike":{"aws:userid":"<aws_iam_role.glue.unique_id>"}},"Effect":"Allow","Resource":["<data.aws_s3_bucket.raw.arn>","<data.aws_s3_bucket.raw.arn>"],"Sid":"Raw"}`,
				// The known start of a string is kept.
				`{"Action":"s3:DeleteObject","Effect":"Deny","Resource":"arn:aws:s3:::<aws_s3_bucket.staging.bucket>"}`,
			}},
		{"aws_iam_role_policy.document",
			[]string{"aws_iam_role.glue.unique_id", "data.aws_s3_bucket.raw.arn"},
			[]string{
				`{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::etl-data/*","Sid":"Data"}`,
				`{"Action":"s3:*","Condition":{"StringNotLike":{"aws:userid":"<aws_iam_role.glue.unique_id>"}},"Effect":"Deny","Resource":"<data.aws_s3_bucket.raw.arn>","Sid":"Quarantine"}`,
			}},
		{"aws_iam_role_policy.heredoc",
			[]string{"data.aws_s3_bucket.raw.arn"},
			[]string{
				`{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::etl-data/*","Sid":"Data"}`,
				`{"Action":"s3:GetObject","Effect":"Allow","Resource":"<data.aws_s3_bucket.raw.arn>/*","Sid":"Raw"}`,
			}},
	}
	for _, tc := range tests {
		doc, ok := ev.PolicyDocument(tc.address, "policy", testLeaf)
		if !ok {
			t.Errorf("%s: no document", tc.address)
			continue
		}
		if !slices.Equal(doc.Leaves, tc.leaves) {
			t.Errorf("%s: leaves %q, want %q", tc.address, doc.Leaves, tc.leaves)
		}
		var got []string
		for _, st := range statements(t, doc.JSON) {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(st); err != nil {
				t.Fatal(err)
			}
			got = append(got, strings.TrimSpace(b.String()))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: statements\n%s\nwant\n%s", tc.address, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
		if doc.Range.Filename == "" || doc.Range.Start.Line == 0 {
			t.Errorf("%s: no range", tc.address)
		}
		if !containsNote(doc.Derived, "aws_s3_bucket.data.arn") {
			t.Errorf("%s: notes %q do not say how the data bucket's ARN was derived", tc.address, doc.Derived)
		}
	}
}

func TestPolicyDocumentStructuralUnknownStaysUnknown(t *testing.T) {
	ev := leavesEvaluator(t)
	for address, why := range map[string]string{
		"aws_iam_role_policy.effect":          "an unknown Effect",
		"aws_iam_role_policy.statements":      "a statement list built over an unknown collection",
		"aws_iam_role_policy.dynamic":         "a dynamic statement block over an unknown collection",
		"aws_iam_role_policy.principal":       "an unknown whole Principal",
		"aws_iam_role_policy.transformed":     "a document transformed after jsonencode",
		"aws_iam_role_policy.sensitive":       "a sensitive element",
		"aws_iam_role_policy.heredoc_outside": "a heredoc value outside a JSON string",
		"aws_iam_role_policy.heredoc_effect":  "a heredoc value as the Effect",
		"aws_iam_role_policy.heredoc_name":    "a heredoc value that is not an identifier AWS restricts",
		"aws_iam_role_policy.heredoc_output":  "a heredoc value read from a stack's outputs, which may hold a quote",
		"aws_iam_role_policy.forged":          "a literal holding the leaf marker",
	} {
		if doc, ok := ev.PolicyDocument(address, "policy", testLeaf); ok {
			t.Errorf("%s: %s gave a document: %s", address, why, doc.JSON)
		}
		if v := attribute(t, ev, address, "policy"); v.Known {
			t.Errorf("%s: policy is known", address)
		}
	}
}

func TestPolicyDocumentWhollyKnownIsNotPartial(t *testing.T) {
	ev := leavesEvaluator(t)
	if doc, ok := ev.PolicyDocument("aws_iam_role.glue", "assume_role_policy", testLeaf); ok {
		t.Errorf("a known attribute gave a partial document %s", doc.JSON)
	}
}
