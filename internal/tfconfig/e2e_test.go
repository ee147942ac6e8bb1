package tfconfig_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/tfconfig"
)

// realPlan runs terraform plan on a fixture with the offline stand-in for hashicorp/aws.
func realPlan(t *testing.T, fixture string, vars map[string]string) (*tfconfig.Evaluator, *tfjson.Plan) {
	t.Helper()
	tf := acctest.Terraform(t)
	dir := filepath.Join("testdata", fixture)
	var plan tfjson.Plan
	if err := json.Unmarshal(tf.Plan(t, dir, vars), &plan); err != nil {
		t.Fatalf("decode plan: %v", err)
	}
	cfg, diags := tfconfig.Load(dir)
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", dir, diags.Error())
	}
	ev, err := cfg.Bind(&plan, tfconfig.Options{})
	if err != nil {
		t.Fatalf("bind the real plan: %v", err)
	}
	return ev, &plan
}

// unknownInPlan reports whether terraform left the value at path of address unknown.
func unknownInPlan(plan *tfjson.Plan, address string, path ...string) bool {
	for _, rc := range plan.ResourceChanges {
		if rc.Address != address || rc.Change == nil {
			continue
		}
		u := rc.Change.AfterUnknown
		for _, p := range path {
			m, _ := u.(map[string]any)
			u = m[p]
		}
		b, _ := u.(bool)
		return b
	}
	return false
}

func TestRealPlanGreenfieldValuesDecided(t *testing.T) {
	ev, plan := realPlan(t, "greenfield", map[string]string{"env": "prod"})
	tests := []struct {
		address, attr string
		path          []string
		want          string
		prefixOnly    bool // a symbolic key ARN: only its form is fixed
	}{
		{address: "aws_s3_bucket_policy.data", attr: "policy", want: `{"Statement":[{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny","Principal":"*",` +
			`"Resource":["arn:aws:s3:::etl-prod-data","arn:aws:s3:::etl-prod-data/*"],"Sid":"DenyInsecure\u003c\u0026\u003e"}],"Version":"2012-10-17"}`},
		{address: "aws_glue_job.nightly", attr: "role_arn", want: "arn:aws:iam::111122223333:role/service/glue-prod"},
		{address: "aws_glue_job.nightly", attr: "default_arguments", path: []string{"--kms-key"},
			want: "arn:aws:kms:eu-west-1:111122223333:key/symbolic-", prefixOnly: true},
	}
	for _, tc := range tests {
		t.Run(tc.address+"."+tc.attr, func(t *testing.T) {
			if !unknownInPlan(plan, tc.address, append([]string{tc.attr}, tc.path...)...) {
				t.Fatalf("terraform already knows %s.%s; the test needs it unknown", tc.address, tc.attr)
			}
			v, err := ev.Attribute(tc.address, append([]string{tc.attr}, tc.path...)...)
			if err != nil {
				t.Fatal(err)
			}
			matches := v.Known && (v.Val.AsString() == tc.want || tc.prefixOnly && strings.HasPrefix(v.Val.AsString(), tc.want))
			if !matches {
				t.Errorf("%s.%s %v = %#v (unknown: %q), want %q", tc.address, tc.attr, tc.path, v.Val, v.Unknown, tc.want)
			}
		})
	}
}

func TestRealPlanPolicyDocumentDecided(t *testing.T) {
	ev, plan := realPlan(t, "document", nil)
	if !unknownInPlan(plan, "aws_iam_role_policy.glue", "policy") {
		t.Fatal("terraform already knows the role policy; the test needs it unknown")
	}
	v, err := ev.Attribute("aws_iam_role_policy.glue", "policy")
	if err != nil {
		t.Fatal(err)
	}
	if !v.Known {
		t.Fatalf("policy unknown: %s", v.Unknown)
	}
	got := v.Val.AsString()
	for _, want := range []string{
		`"Sid": "Replaced",` + "\n" + `      "Effect": "Allow",` + "\n" + `      "Action": "s3:ListBucket",` + "\n" + `      "Resource": "arn:aws:s3:::raw-zone"`,
		`"AWS": "arn:aws:iam::111122223333:role/glue"`,
		`"aws:PrincipalAccount": "111122223333"`,
		`"Sid": "Logs"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("policy lacks %s:\n%s", want, got)
		}
	}
	// Documents terraform read during planning come from the plan, unchanged.
	base, err := ev.PolicyDocumentJSON("data.aws_iam_policy_document.override")
	if err != nil {
		t.Fatal(err)
	}
	if !base.Known || len(base.Derived) != 0 {
		t.Errorf("override document: known %v, notes %q; want the plan's own value", base.Known, base.Derived)
	}
}
