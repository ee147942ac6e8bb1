package datasources_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const simAddr = "data.glueaccess_policy_simulation.t"

// simConfig wraps the body of one glueaccess_policy_simulation block; locals
// hold reusable documents.
func simConfig(body string) string {
	return `
locals {
  read_b = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = "Read", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }]
  })
  full_access = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

data "glueaccess_policy_simulation" "t" {
  principal        = "arn:aws:iam::111122223333:role/etl/glue-etl"
  resource_account = "111122223333"
` + body + `
}
`
}

func TestAccSimulationDecisions(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body      string
		decision  string
		decidedBy string
		// policy and sid of the first decisive statement; empty policy means
		// none is expected (an implicit deny has no decisive statement).
		policy, sid string
		message     *regexp.Regexp
	}{
		"identity policy allows": {
			body: `
  action            = "s3:GetObject"
  resource          = "arn:aws:s3:::b/in/x.csv"
  identity_policies = [local.read_b]`,
			decision: "Allowed", decidedBy: "identity", policy: "identity_policies[0]", sid: "Read",
			message: regexp.MustCompile(`allowed by identity-based policy`),
		},
		"no identity policy allows the action": {
			body: `
  action            = "s3:PutObject"
  resource          = "arn:aws:s3:::b/out/x.csv"
  identity_policies = [local.read_b]`,
			decision: "ImplicitlyDenied", decidedBy: "identity",
			message: regexp.MustCompile(`^arn:aws:sts::111122223333:assumed-role/glue-etl/GlueJobRunnerSession is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/out/x.csv because no identity-based policy allows`),
		},
		"bucket policy denies outside the VPC endpoint": {
			body: `
  action            = "s3:GetObject"
  resource          = "arn:aws:s3:::b/in/x.csv"
  identity_policies = [local.read_b]
  resource_policy = jsonencode({
    Statement = [{
      Sid = "DenyOutsideVpce", Effect = "Deny", Principal = "*", Action = "s3:*"
      Resource  = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
    }]
  })`,
			decision: "ExplicitlyDenied", decidedBy: "resource", policy: "resource_policy", sid: "DenyOutsideVpce",
			message: regexp.MustCompile(`explicit deny in a resource-based policy`),
		},
		"bucket policy deny does not apply through the endpoint": {
			body: `
  action            = "s3:GetObject"
  resource          = "arn:aws:s3:::b/in/x.csv"
  identity_policies = [local.read_b]
  context           = { "aws:SourceVpce" = ["vpce-1a2b3c4d"] }
  resource_policy = jsonencode({
    Statement = [{
      Sid = "DenyOutsideVpce", Effect = "Deny", Principal = "*", Action = "s3:*"
      Resource  = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
    }]
  })`,
			decision: "Allowed", decidedBy: "identity", policy: "identity_policies[0]", sid: "Read",
			message: regexp.MustCompile(`allowed`),
		},
		"an OU level of SCPs has no allow": {
			body: `
  action            = "s3:GetObject"
  resource          = "arn:aws:s3:::b/in/x.csv"
  identity_policies = [local.read_b]
  scp_levels = [
    [local.full_access],
    [jsonencode({ Statement = [{ Sid = "OnlyEc2", Effect = "Allow", Action = "ec2:*", Resource = "*" }] })],
  ]`,
			decision: "ImplicitlyDenied", decidedBy: "scp[1]",
			message: regexp.MustCompile(`service control policy`),
		},
		"permissions boundary does not allow": {
			body: `
  action              = "s3:GetObject"
  resource            = "arn:aws:s3:::b/in/x.csv"
  identity_policies   = [local.read_b]
  permission_boundary = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }] })`,
			decision: "ImplicitlyDenied", decidedBy: "boundary",
			message: regexp.MustCompile(`permissions boundary`),
		},
		"VPC endpoint policy lists another bucket only": {
			body: `
  action              = "s3:GetObject"
  resource            = "arn:aws:s3:::b/in/x.csv"
  identity_policies   = [local.read_b]
  vpc_endpoint_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::other/*" }] })`,
			decision: "ImplicitlyDenied", decidedBy: "vpc-endpoint",
			message: regexp.MustCompile(`VPC endpoint policy`),
		},
		"KMS key policy without root delegation denies an IAM allow": {
			body: `
  action            = "kms:Decrypt"
  resource          = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  identity_policies = [jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "*" }] })]
  resource_policy = jsonencode({ Statement = [{
    Sid = "AdminsOnly", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/admin" }
    Action = "kms:*", Resource = "*"
  }] })`,
			decision: "ImplicitlyDenied", decidedBy: "kms-key-policy",
			message: regexp.MustCompile(`not authorized to perform: kms:Decrypt .* because no resource-based policy allows`),
		},
		"KMS key policy delegating to IAM allows": {
			body: `
  action            = "kms:Decrypt"
  resource          = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  identity_policies = [jsonencode({ Statement = [{ Sid = "UseKey", Effect = "Allow", Action = "kms:Decrypt", Resource = "*" }] })]
  resource_policy = jsonencode({ Statement = [{
    Sid = "EnableIAM", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }
    Action = "kms:*", Resource = "*"
  }] })`,
			decision: "Allowed", decidedBy: "identity", policy: "identity_policies[0]", sid: "UseKey",
			message: regexp.MustCompile(`allowed`),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue(simAddr, tfjsonpath.New("decision"), knownvalue.StringExact(tc.decision)),
				statecheck.ExpectKnownValue(simAddr, tfjsonpath.New("decided_by"), knownvalue.StringExact(tc.decidedBy)),
				statecheck.ExpectKnownValue(simAddr, tfjsonpath.New("allowed"), knownvalue.Bool(tc.decision == "Allowed")),
				statecheck.ExpectKnownValue(simAddr, tfjsonpath.New("message"), knownvalue.StringRegexp(tc.message)),
			}
			if tc.policy != "" {
				checks = append(checks,
					statecheck.ExpectKnownValue(simAddr, tfjsonpath.New("statements").AtSliceIndex(0).AtMapKey("policy"), knownvalue.StringExact(tc.policy)),
					statecheck.ExpectKnownValue(simAddr, tfjsonpath.New("statements").AtSliceIndex(0).AtMapKey("sid"), knownvalue.StringExact(tc.sid)))
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps:                    []resource.TestStep{{Config: simConfig(tc.body), ConfigStateChecks: checks}},
			})
		})
	}
}

func TestAccSimulationInvalidInputs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body string
		want *regexp.Regexp
	}{
		"malformed identity policy names the element and JSON path": {
			body: `
  action            = "s3:GetObject"
  resource          = "arn:aws:s3:::b/x"
  identity_policies = [local.read_b, jsonencode({ Statement = [{ Effect = "Allw", Action = "s3:*", Resource = "*" }] })]`,
			want: regexp.MustCompile(`(?s)Invalid policy document.*identity_policies\[1\].*Statement\[0\]\.Effect`),
		},
		"identity policy naming an action that does not exist": {
			body: `
  action            = "s3:GetObject"
  resource          = "arn:aws:s3:::b/x"
  identity_policies = [local.read_b, jsonencode({ Statement = [{ Sid = "Typo", Effect = "Allow", Action = ["s3:GetObjects"], Resource = "*" }] })]`,
			want: regexp.MustCompile(`(?s)Action does not exist in statement 0 \("Typo"\).*identity_policies = \[local\.read_b, jsonencode.*Action "s3:GetObjects" does\s+not\s+exist;\s+did\s+you\s+mean\s+"s3:GetObject"\?`),
		},
		"boundary whose NotAction names an action that does not exist": {
			body: `
  action              = "s3:GetObject"
  resource            = "arn:aws:s3:::b/x"
  identity_policies   = [local.read_b]
  permission_boundary = jsonencode({ Statement = [{ Effect = "Allow", NotAction = "iam:PassRoles", Resource = "*" }] })`,
			want: regexp.MustCompile(`(?s)Action does not exist in statement 0.*permission_boundary = jsonencode.*NotAction "iam:PassRoles"\s+does\s+not\s+exist;\s+did\s+you\s+mean\s+"iam:PassRole"\?`),
		},
		"SCP in a level naming an action that does not exist": {
			body: `
  action     = "s3:GetObject"
  resource   = "arn:aws:s3:::b/x"
  scp_levels = [[local.full_access], [jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObjectz", Resource = "*" }] })]]`,
			want: regexp.MustCompile(`(?s)Action does not exist in statement 0.*Action "s3:GetObjectz" does\s+not\s+exist;\s+did\s+you\s+mean\s+"s3:GetObject"\?.*this\s+entry\s+of\s+scp_levels\[1\]\[0\]`),
		},
		"wildcard action": {
			body: `
  action   = "s3:Get*"
  resource = "arn:aws:s3:::b/x"`,
			want: regexp.MustCompile(`(?s)Invalid action.*action\s+= "s3:Get\*"`),
		},
		"resource that is not an ARN": {
			body: `
  action   = "s3:GetObject"
  resource = "s3://b/x"`,
			want: regexp.MustCompile(`(?s)Invalid resource ARN.*resource\s+= "s3://b/x"`),
		},
		"malformed SCP in a level": {
			body: `
  action     = "s3:GetObject"
  resource   = "arn:aws:s3:::b/x"
  scp_levels = [[local.full_access], ["{not json"]]`,
			want: regexp.MustCompile(`(?s)Invalid policy document.*scp_levels\[1\]\[0\]`),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps:                    []resource.TestStep{{Config: simConfig(tc.body), ExpectError: tc.want}},
			})
		})
	}
}
