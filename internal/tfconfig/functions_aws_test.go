package tfconfig

import (
	"testing"

	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// The AWS provider's functions cannot run offline in terraform console (the provider is
// not installed), so they are tested against the provider's documentation
// (registry.terraform.io/providers/hashicorp/aws/latest/docs/functions/...): its examples,
// and the ARN grammar of the AWS documentation ("Identify AWS resources with Amazon
// Resource Names (ARNs)").
func TestAWSProviderFunctions(t *testing.T) {
	ev := functionsEvaluator(t)
	tests := []struct {
		expr string
		want string // the value as JSON; "" for an error
	}{
		{`provider::aws::arn_parse("arn:aws:iam::444455556666:role/example")`,
			`{"account_id":"444455556666","partition":"aws","region":"","resource":"role/example","service":"iam"}`},
		{`provider::aws::arn_parse("arn:aws:s3:::bucket/key:with:colons").resource`, `"bucket/key:with:colons"`},
		{`provider::aws::arn_parse("arn:aws-cn:kms:cn-north-1:111122223333:key/abc").region`, `"cn-north-1"`},
		{`provider::aws::arn_parse("not-an-arn")`, ``},
		{`provider::aws::arn_parse("arn:aws:s3")`, ``},
		{`provider::aws::arn_build("aws", "iam", "", "444455556666", "role/example")`, `"arn:aws:iam::444455556666:role/example"`},
		{`provider::aws::arn_build("aws", "s3", "", "", "bucket")`, `"arn:aws:s3:::bucket"`},
		{`provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/with/path/example")`, `"arn:aws:iam::444455556666:role/example"`},
		{`provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/example")`, `"arn:aws:iam::444455556666:role/example"`},
		{`provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:user/example")`, ``},
		{`provider::aws::trim_iam_role_path("role/example")`, ``},
		{`try(provider::aws::arn_parse("bad"), "x")`, `"x"`},
		{`provider::aws::arn_parse(provider::aws::arn_build("aws", "glue", "eu-west-1", "111122223333", "job/nightly")).service`, `"glue"`},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			v, diags := evalExpr(t, ev, tc.expr)
			if tc.want == "" {
				if !diags.HasErrors() {
					t.Fatalf("%s = %#v, want an error", tc.expr, v.Val)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.expr, diags.Error())
			}
			got, err := ctyjson.SimpleJSONValue{Value: v.Val}.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
}
