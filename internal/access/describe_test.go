package access

import "testing"

func TestDescribeNamesLayerPolicyAndStatement(t *testing.T) {
	cases := map[string]struct {
		ref  PolicyRef
		want string
	}{
		"an explicit deny with its Sid": {PolicyRef{Layer: "resource", Policy: "aws_s3_bucket_policy.raw", Index: 1, Sid: "DenyOutsideVpce"},
			`bucket policy aws_s3_bucket_policy.raw statement 1 (Sid "DenyOutsideVpce")`},
		"a statement without Sid": {PolicyRef{Layer: "kms-key-policy", Policy: "aws_kms_key.data policy", Index: 0},
			"key policy aws_kms_key.data policy statement 0"},
		"a missing allow": {PolicyRef{Layer: "identity", Policy: "aws_iam_role_policy.glue", Index: -1},
			"identity-based policy aws_iam_role_policy.glue (no statement allows)"},
		"an SCP names the node it is attached to": {PolicyRef{Layer: "scp", Level: 1, Node: "ou-ab12-data0001", Policy: "aws_organizations_policy.perimeter", Index: 0, Sid: "Stay"},
			`service control policy aws_organizations_policy.perimeter attached to ou-ab12-data0001 statement 0 (Sid "Stay")`},
		"a level where no SCP allows is named by its node": {PolicyRef{Layer: "scp", Level: 1, Node: "ou-ab12-data0001", Policy: "ou-ab12-data0001", Index: -1},
			"service control policy at ou-ab12-data0001 (no statement allows)"},
		"a label already naming the node is not repeated": {PolicyRef{Layer: "rcp", Node: "r-ab12", Policy: "rcp of r-ab12", Index: 2},
			"resource control policy rcp of r-ab12 statement 2"},
		"a bucket without a policy is not named twice": {PolicyRef{Layer: "resource", Policy: "bucket policy of shared-data", Index: -1},
			"bucket policy of shared-data (no statement allows)"},
		"a setting is not a policy without an allow": {PolicyRef{Layer: LayerRequesterPays, Policy: "aws_s3_bucket_request_payment_configuration.raw", Index: -1},
			"Requester Pays setting of aws_s3_bucket_request_payment_configuration.raw"},
		"the object ownership layer names the writer": {PolicyRef{Layer: LayerObjectOwnership, Policy: "aws_s3_object.feed", Index: -1},
			"Object Ownership of aws_s3_object.feed"},
		"a Sid is quoted, whatever it holds": {PolicyRef{Layer: "vpc-endpoint", Policy: "aws_vpc_endpoint.s3", Index: 0, Sid: "a\"b\nc"},
			`VPC endpoint policy aws_vpc_endpoint.s3 statement 0 (Sid "a\"b\nc")`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := tc.ref.Describe(); got != tc.want {
				t.Errorf("Describe() = %q, want %q", got, tc.want)
			}
		})
	}
}
