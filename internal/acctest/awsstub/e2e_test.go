package awsstub_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
	awsschema "github.com/glueaccess/terraform-provider-glueaccess/internal/acctest/awsstub/schema"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

const sampleDir = "testdata/sample"

// TestSchemaRoundTrip: terraform reads the schema from the stand-in and
// prints back the very document it was built from.
func TestSchemaRoundTrip(t *testing.T) {
	t.Parallel()
	tf := acctest.Terraform(t)
	dir := t.TempDir()
	cfg := "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := tf.RunCommand(t.Context(), dir, "providers", "schema", "-json")
	if err != nil {
		t.Fatal(err)
	}
	var gotDoc, wantDoc any
	if err := json.Unmarshal(got, &gotDoc); err != nil {
		t.Fatalf("terraform printed invalid JSON: %v", err)
	}
	if err := json.Unmarshal(awsschema.JSON, &wantDoc); err != nil {
		t.Fatal(err)
	}
	gotJSON, _ := json.Marshal(gotDoc)
	wantJSON, _ := json.Marshal(wantDoc)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("terraform providers schema -json differs from the embedded schema (%d vs %d bytes)", len(gotJSON), len(wantJSON))
	}
}

// TestMisspelledArgumentRejected: terraform validate checks names against
// the served schema, as it would with the real provider.
func TestMisspelledArgumentRejected(t *testing.T) {
	t.Parallel()
	tf := acctest.Terraform(t)
	dir := t.TempDir()
	cfg := `resource "aws_s3_bucket" "b" {
  bucket_name = "typo"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	err := tf.RunValidate(t.Context(), dir)
	if err == nil {
		t.Fatal("terraform validate accepted bucket_name on aws_s3_bucket")
	}
	if want := `An argument named "bucket_name" is not expected here`; !strings.Contains(err.Error(), want) {
		t.Errorf("validate failed for another reason than %q:\n%v", want, err)
	}
}

// TestSamplePlan validates and plans the sample Glue configuration and
// checks what the plan says about computed values and policy documents.
func TestSamplePlan(t *testing.T) {
	t.Parallel()
	tf := acctest.Terraform(t)
	tf.Validate(t, sampleDir)
	raw := tf.Plan(t, sampleDir, nil)

	var plan tfjson.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatalf("decoding plan JSON: %v", err)
	}
	if err := plan.Validate(); err != nil {
		t.Fatal(err)
	}
	changes := map[string]*tfjson.ResourceChange{}
	for _, rc := range plan.ResourceChanges {
		changes[rc.Address] = rc
	}
	change := func(addr string) *tfjson.Change {
		t.Helper()
		rc, ok := changes[addr]
		if !ok || rc.Change == nil {
			t.Fatalf("plan has no change for %s", addr)
		}
		return rc.Change
	}
	after := func(addr, attr string) any {
		t.Helper()
		return change(addr).After.(map[string]any)[attr]
	}
	unknown := func(addr, attr string) bool {
		t.Helper()
		v, _ := change(addr).AfterUnknown.(map[string]any)[attr].(bool)
		return v
	}

	t.Run("computed identifiers are unknown until apply", func(t *testing.T) {
		for _, c := range []struct{ addr, attr string }{
			{"aws_s3_bucket.raw", "arn"},
			{"aws_iam_role.glue", "arn"},
			{"aws_iam_role.glue", "unique_id"},
			{"aws_iam_role.glue", "tags_all"}, // no tags, no default tags
			{"aws_kms_key.data", "arn"},
			{"aws_kms_key.data", "key_id"},
			{"aws_kms_key.data", "policy"},
			{"aws_vpc_endpoint.s3", "id"},
			{"aws_glue_job.nightly", "glue_version"},
			{"aws_organizations_policy.deny_unencrypted", "id"},
			{"module.job_logs.aws_cloudwatch_log_group.this", "arn"},
		} {
			if !unknown(c.addr, c.attr) {
				t.Errorf("%s.%s is not unknown in after_unknown", c.addr, c.attr)
			}
		}
	})

	t.Run("configured values and provider defaults are known", func(t *testing.T) {
		for _, c := range []struct {
			addr, attr string
			want       any
		}{
			{"aws_s3_bucket.raw", "bucket", "sales-raw-zone"},
			{"aws_s3_bucket.raw", "tags_all", map[string]any{"Team": "data"}},
			{"aws_s3_bucket.raw", "region", "eu-west-1"},
			{"aws_iam_role.glue", "path", "/"},
			{"aws_kms_key.data", "is_enabled", true},
			{"aws_kms_key.data", "key_usage", "ENCRYPT_DECRYPT"},
			{"aws_vpc_endpoint.s3", "vpc_endpoint_type", "Gateway"},
			{"aws_organizations_policy.deny_unencrypted", "type", "SERVICE_CONTROL_POLICY"},
			{"module.job_logs.aws_cloudwatch_log_group.this", "name", "/aws-glue/jobs/nightly"},
		} {
			got, _ := json.Marshal(after(c.addr, c.attr))
			want, _ := json.Marshal(c.want)
			if !bytes.Equal(got, want) {
				t.Errorf("%s.%s = %s, want %s", c.addr, c.attr, got, want)
			}
		}
		cmd := after("aws_glue_job.nightly", "command").([]any)[0].(map[string]any)
		if cmd["name"] != "glueetl" {
			t.Errorf("aws_glue_job.nightly command[0].name = %v, want the provider default glueetl", cmd["name"])
		}
	})

	t.Run("policy document referencing an unknown ARN is deferred", func(t *testing.T) {
		rc := changes["data.aws_iam_policy_document.job"]
		if rc == nil {
			t.Fatal("no deferred read of data.aws_iam_policy_document.job in resource_changes")
		}
		if !rc.Change.Actions.Read() || rc.ActionReason != tfjson.ActionReasonReadBecauseConfigUnknown {
			t.Errorf("actions %v reason %q, want read because config unknown", rc.Change.Actions, rc.ActionReason)
		}
		if !unknown("data.aws_iam_policy_document.job", "json") {
			t.Error("json of the deferred document is not unknown")
		}
		if !unknown("aws_iam_role_policy.job", "policy") {
			t.Error("the inline policy built from the deferred document is not unknown")
		}
	})

	t.Run("fully known policy documents are rendered exactly", func(t *testing.T) {
		docs := map[string]map[string]any{}
		for _, r := range plan.PriorState.Values.RootModule.Resources {
			if r.Type == "aws_iam_policy_document" {
				docs[r.Address] = r.AttributeValues
			}
		}
		bucket := docs["data.aws_iam_policy_document.bucket"]
		if bucket == nil {
			t.Fatal("data.aws_iam_policy_document.bucket was not read during plan")
		}
		wantJSON := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyInsecureTransport",
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::sales-raw-zone/*",
        "arn:aws:s3:::sales-raw-zone"
      ],
      "Principal": "*",
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    }
  ]
}`
		if bucket["json"] != wantJSON {
			t.Errorf("json:\n%v\nwant:\n%s", bucket["json"], wantJSON)
		}
		if bucket["id"] != policydoc.ID(wantJSON) {
			t.Errorf("id %v, want the provider's hash of json %s", bucket["id"], policydoc.ID(wantJSON))
		}
		assume := docs["data.aws_iam_policy_document.assume"]
		if assume == nil {
			t.Fatal("data.aws_iam_policy_document.assume was not read during plan")
		}
		if got := after("aws_iam_role.glue", "assume_role_policy"); got != assume["json"] {
			t.Errorf("role trust policy %v is not the rendered document %v", got, assume["json"])
		}
		if want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"glue.amazonaws.com"}}]}`; assume["minified_json"] != want {
			t.Errorf("minified_json %v, want %s", assume["minified_json"], want)
		}
		stmt := assume["statement"].([]any)[0].(map[string]any)
		if stmt["effect"] != "Allow" || stmt["sid"] != "" {
			t.Errorf("statement state effect %v sid %q, want the provider's normalized Allow and empty sid", stmt["effect"], stmt["sid"])
		}
	})

	t.Run("account and region come from the provider configuration", func(t *testing.T) {
		var account any
		for _, r := range plan.PriorState.Values.RootModule.Resources {
			if r.Address == "data.aws_caller_identity.current" {
				account = r.AttributeValues["account_id"]
			}
		}
		if account != "444455556666" {
			t.Errorf("caller account %v, want the single allowed account 444455556666", account)
		}
		if out := plan.OutputChanges["region"]; out == nil || out.After != "eu-west-1" {
			t.Errorf("region output %+v, want eu-west-1", out)
		}
	})
}
