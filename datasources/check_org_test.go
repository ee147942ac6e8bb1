package datasources_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The organization of the test world: account A in OU ou-ab12-data0001 under
// root r-ab12. idLine is the organization id attribute, or "" to leave the id
// out.
func orgTree(idLine string) string {
	return `organization {
    ` + idLine + `
    root_id = "r-ab12"
    organizational_unit {
      id        = "ou-ab12-data0001"
      parent_id = "r-ab12"
    }
    account {
      id        = "111122223333"
      parent_id = "ou-ab12-data0001"
    }
  }`
}

const orgID = `id = "o-a1b2c3d4e5"`

// principalPerimeter is a bucket policy of raw-zone that denies every
// principal whose organization key does not match: the perimeter statements
// of AWS's data perimeter examples, on one key.
func principalPerimeter(op, key, value string) string {
	return fmt.Sprintf(`policy = jsonencode({
      Statement = [{
        Sid = "DenyOutsideOrg", Effect = "Deny", Principal = "*", Action = "s3:*"
        Resource  = ["arn:aws:s3:::raw-zone", "arn:aws:s3:::raw-zone/*"]
        Condition = { %q = { %q = %q } }
      }]
    })`, op, key, value)
}

// resourcePerimeter adds to the role's policies one that denies S3 on
// resources outside the organization (aws:ResourceOrgID).
func resourcePerimeter(value string) string {
	return fullRolePolicy + `, jsonencode({
    Statement = [{ Sid = "OnlyOrgResources", Effect = "Deny", Action = "s3:*", Resource = "*",
      Condition = { StringNotEquals = { "aws:ResourceOrgID" = "` + value + `" } } }]
  })`
}

// TestAccCheckOrganizationKeys decides perimeter policies on the
// organization keys: allowed inside the organization (or OU), denied outside,
// and unknown, naming the key, when the organization id is not given.
func TestAccCheckOrganizationKeys(t *testing.T) {
	t.Parallel()
	const (
		inOrg    = "o-a1b2c3d4e5"
		otherOrg = "o-zz99zz99zz"
		inOU     = "o-a1b2c3d4e5/r-ab12/ou-ab12-data0001/*"
		otherOU  = "o-a1b2c3d4e5/r-ab12/ou-ab12-else0001/*"
	)
	principalID := func(v, id string) world {
		return world{raw: principalPerimeter("StringNotEquals", "aws:PrincipalOrgID", v), extra: orgTree(id)}
	}
	principalPaths := func(v, id string) world {
		return world{raw: principalPerimeter("ForAnyValue:StringNotLike", "aws:PrincipalOrgPaths", v), extra: orgTree(id)}
	}
	resourceID := func(v, id string) world {
		return world{rolePolicy: resourcePerimeter(v), extra: orgTree(id)}
	}
	cases := map[string]struct {
		w world
		// verdict is the expected verdict with fail_on = "never"; want, when
		// set, what the error must say with the default fail_on (deny) or,
		// for unknown, with fail_on = "unknown".
		verdict, want string
	}{
		"PrincipalOrgID inside":  {w: principalID(inOrg, orgID), verdict: "allowed"},
		"PrincipalOrgID outside": {w: principalID(otherOrg, orgID), verdict: "denied", want: `(?s)GA002 bucket-policy: job nightly would be denied.*DenyOutsideOrg`},
		"PrincipalOrgID without the organization id": {w: principalID(inOrg, ""), verdict: "unknown",
			want: `(?s)cannot decide whether job nightly is allowed.*aws:PrincipalOrgID.*organization\s+id`},
		"PrincipalOrgPaths inside the OU":  {w: principalPaths(inOU, orgID), verdict: "allowed"},
		"PrincipalOrgPaths outside the OU": {w: principalPaths(otherOU, orgID), verdict: "denied", want: `(?s)GA002 bucket-policy: job nightly would be denied.*DenyOutsideOrg`},
		"PrincipalOrgPaths without the organization id": {w: principalPaths(inOU, ""), verdict: "unknown",
			want: `(?s)cannot decide whether job nightly is allowed.*aws:PrincipalOrgPaths`},
		"ResourceOrgID inside":  {w: resourceID(inOrg, orgID), verdict: "allowed"},
		"ResourceOrgID outside": {w: resourceID(otherOrg, orgID), verdict: "denied", want: `(?s)GA001 role-s3-permissions: job nightly would be denied.*OnlyOrgResources`},
		"ResourceOrgID without the organization id": {w: resourceID(inOrg, ""), verdict: "unknown",
			want: `(?s)cannot decide whether job nightly is allowed.*aws:ResourceOrgID`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			never := tc.w
			never.failOn = "never"
			steps := []resource.TestStep{{Config: never.config(), ConfigStateChecks: expectVerdict(tc.verdict)}}
			if tc.want != "" {
				strict := tc.w
				if tc.verdict == "unknown" {
					strict.failOn = "unknown"
				}
				steps = append(steps, resource.TestStep{Config: strict.config(), ExpectError: regexp.MustCompile(tc.want)})
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6, Steps: steps})
		})
	}
}

// TestAccCheckOrganizationIDValidated: an organization id of the wrong form is
// an error on the id attribute.
func TestAccCheckOrganizationIDValidated(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config:      world{extra: orgTree(`id = "a1b2c3d4e5"`)}.config(),
			ExpectError: regexp.MustCompile(`(?s)Invalid organization id.*id = "a1b2c3d4e5".*not an AWS\s+Organizations\s+id`),
		}},
	})
}

// TestAccCheckDiagnosticOnPolicyElement: an action error in the second policy
// of role.policies is shown on that element, not on the whole list, and the
// summary names the statement.
func TestAccCheckDiagnosticOnPolicyElement(t *testing.T) {
	t.Parallel()
	bad := strings.Replace(fullRolePolicy, `Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject",`,
		`Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObjects",`, 1)
	first := `jsonencode({ Statement = [{ Sid = "Extra", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::raw-zone/*" }] })`
	cfg := world{rolePolicy: first + ",\n    " + bad}.config()
	// Terraform shows the source of the subject: for the list element it
	// starts with that element's line, "jsonencode({" alone; for the whole
	// list it would start at "policies = [", for the first element at its
	// one-line jsonencode.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: cfg,
			ExpectError: regexp.MustCompile(`(?s)Error: Action does not exist in statement 2 \("ReadScript"\).*` +
				`on terraform_plugin_test\.tf line (\d+), in data "glueaccess_check" "t":\s+\d+:\s+jsonencode\(\{\n.*` +
				`Action "s3:GetObjects" does\s+not\s+exist;\s+did\s+you\s+mean\s+"s3:GetObject"\?\s+AWS\s+ignores.*role\.policies\[1\]`),
		}},
	})
}
