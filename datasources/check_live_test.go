package datasources_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive/awsfake"
)

// liveCheck is a job reading its script from partner-data, a bucket with no
// bucket block: only lookup_aws can tell its policy, key and organization.
func liveCheck(endpoint, lookup string) string {
	return `
provider "glueaccess" {
  region           = "eu-west-1"
  aws_endpoint_url = "` + endpoint + `"
}

data "glueaccess_check" "t" {
  fail_on    = "never"
  lookup_aws = ` + lookup + `
  job {
    name            = "partner-etl"
    role_arn        = "arn:aws:iam::111122223333:role/glue-live"
    command         = "pythonshell"
    script_location = "s3://partner-data/scripts/etl.py"
  }
  role {
    policies = [jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::partner-data/*" },
        { Effect = "Allow", Action = "kms:Decrypt", Resource = "*" },
      ]
    })]
  }
}
`
}

// TestAccCheckLookupAWS runs glueaccess_check against the fake AWS: without
// lookup_aws the outside bucket stays unknown and nothing is sent; with it
// the live bucket policy denies and is cited.
func TestAccCheckLookupAWS(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.KeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.Secret)
	const denyRole = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyGlueLive","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-data/*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/glue-live"}}}]}`
	const delegate = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	const noSCP = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	fake := awsfake.New(t, awsfake.World(denyRole, delegate, noSCP))
	// Without lookup_aws the provider points at a fake that fails the test
	// on any call.
	off := awsfake.New(t, nil)
	finding := tfjsonpath.New("findings").AtSliceIndex(0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{
			{
				Config: liveCheck(off.URL, "false"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("verdict"), knownvalue.StringExact("unknown")),
					statecheck.ExpectKnownValue(checkAddr, finding.AtMapKey("reason"), knownvalue.StringExact("bucket-not-in-plan")),
				},
			},
			{
				Config: liveCheck(fake.URL, "true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("verdict"), knownvalue.StringExact("denied")),
					statecheck.ExpectKnownValue(checkAddr, finding.AtMapKey("id"), knownvalue.StringExact("GA002")),
					statecheck.ExpectKnownValue(checkAddr, finding.AtMapKey("decided_by"),
						knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(`bucket policy s3:GetBucketPolicy arn:aws:s3:::partner-data (live) statement 0`)))),
				},
			},
		},
	})
	if n := fake.Count("s3:GetBucketPolicy"); n == 0 {
		t.Error("lookup_aws = true sent no s3:GetBucketPolicy")
	}
}

// TestAccCheckLookupAWSOrganization: with lookup_aws and no organization
// block, the organization id and the account's path come from
// Organizations, so a bucket perimeter on aws:PrincipalOrgID and
// aws:PrincipalOrgPaths is decided: allowed for the organization and OU the
// fake AWS puts the account in, denied for another.
func TestAccCheckLookupAWSOrganization(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.KeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.Secret)
	perimeter := func(orgID, path string) string {
		return `{"Version":"2012-10-17","Statement":[` +
			`{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::partner-data/*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"` + orgID + `"}}},` +
			`{"Sid":"OUOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::partner-data/*","Condition":{"ForAllValues:StringNotLike":{"aws:PrincipalOrgPaths":"` + path + `"}}}]}`
	}
	const delegate = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	const noSCP = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	ouPath := awsfake.OrgID + "/" + awsfake.RootID + "/" + awsfake.OUID + "/*"
	cases := []struct {
		name, policy, verdict string
	}{
		{"inside the organization and OU", perimeter(awsfake.OrgID, ouPath), "allowed"},
		{"another organization", perimeter("o-zz99zz99zz", ouPath), "denied"},
		{"another OU", perimeter(awsfake.OrgID, awsfake.OrgID+"/"+awsfake.RootID+"/ou-ab12-other999/*"), "denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := awsfake.New(t, awsfake.World(tc.policy, delegate, noSCP))
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps: []resource.TestStep{{
					Config:            liveCheck(fake.URL, "true"),
					ConfigStateChecks: expectVerdict(tc.verdict),
				}},
			})
			if n := fake.Count("organizations:DescribeOrganization"); n == 0 {
				t.Error("lookup_aws = true sent no organizations:DescribeOrganization")
			}
		})
	}
}

// TestAccCheckLookupAWSOrganizationBlockWithoutID: with lookup_aws and an
// organization block that gives the tree but not the id, the id comes from
// Organizations and the account's aws:PrincipalOrgPaths is built from the
// block's tree with it: allowed when the block places the account in the OU
// the perimeter names, denied when the block places it elsewhere.
func TestAccCheckLookupAWSOrganizationBlockWithoutID(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.KeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.Secret)
	ouPath := awsfake.OrgID + "/" + awsfake.RootID + "/" + awsfake.OUID + "/*"
	perimeter := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::partner-data/*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"` + awsfake.OrgID + `"}}},` +
		`{"Sid":"OUOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::partner-data/*","Condition":{"ForAllValues:StringNotLike":{"aws:PrincipalOrgPaths":"` + ouPath + `"}}}]}`
	const delegate = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	const noSCP = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	withOrg := func(endpoint, ou string) string {
		return strings.TrimSuffix(liveCheck(endpoint, "true"), "}\n") + `  organization {
    root_id = "` + awsfake.RootID + `"
    organizational_unit {
      id        = "` + ou + `"
      parent_id = "` + awsfake.RootID + `"
    }
    account {
      id        = "111122223333"
      parent_id = "` + ou + `"
    }
  }
}
`
	}
	cases := []struct{ name, ou, verdict string }{
		{"the block places the account in the perimeter's OU", awsfake.OUID, "allowed"},
		{"the block places the account in another OU", "ou-ab12-other999", "denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := awsfake.New(t, awsfake.World(perimeter, delegate, noSCP))
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps: []resource.TestStep{{
					Config:            withOrg(fake.URL, tc.ou),
					ConfigStateChecks: expectVerdict(tc.verdict),
				}},
			})
			if n := fake.Count("organizations:DescribeOrganization"); n == 0 {
				t.Error("lookup_aws = true sent no organizations:DescribeOrganization")
			}
		})
	}
}
