package datasources_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// wrapped matches text as Terraform prints it in a diagnostic, where any
// space may have become a line break.
func wrapped(text string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`)
}

func expectVerdict(verdict string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("verdict"), knownvalue.StringExact(verdict)),
		statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("allowed"), knownvalue.Bool(verdict == "allowed")),
	}
}

// TestAccCheckDeniedThenFixed runs each of the seven denials three ways: with
// fail_on = "never" the outputs name the check; with the default the plan
// fails on an error naming the check and its fix; with the fix applied the
// job is allowed.
func TestAccCheckDeniedThenFixed(t *testing.T) {
	t.Parallel()
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			never := sc.denied
			never.failOn = "never"
			outputs := append(expectVerdict("denied"),
				statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(sc.id)),
				statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("verdict"), knownvalue.StringExact("deny")),
				statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("summary").AtSliceIndex(0),
					knownvalue.StringRegexp(regexp.MustCompile(`^`+sc.id+` deny: role glue-etl would not be authorized to perform `))),
				statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("fix_json"),
					knownvalue.StringRegexp(regexp.MustCompile(`^\{"target":`))),
			)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps: []resource.TestStep{
					{Config: never.config(), ConfigStateChecks: outputs},
					{
						Config: sc.denied.config(),
						ExpectError: regexp.MustCompile(`(?s)` + sc.id + ` [a-z0-9-]+: job nightly would be denied.*Fix: .*` +
							wrapped(sc.fix)),
					},
					{
						Config: sc.fixed.config(),
						ConfigStateChecks: append(expectVerdict("allowed"),
							statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings"), knownvalue.ListExact(nil))),
					},
				},
			})
		})
	}
}

// TestAccCheckPostcondition: fail_on = "never" leaves the decision to the
// configuration, and a postcondition on allowed fails the plan with the summary.
func TestAccCheckPostcondition(t *testing.T) {
	t.Parallel()
	w := scenarios["GA001 identity policy lacks s3:DeleteObject on the target"].denied
	w.failOn = "never"
	w.extra = `lifecycle {
    postcondition {
      condition     = self.allowed
      error_message = join("\n", self.summary)
    }
  }`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config:      w.config(),
			ExpectError: regexp.MustCompile(`(?s)Resource postcondition failed.*GA001 deny: role glue-etl would not be authorized to perform\s+s3:DeleteObject`),
		}},
	})
}

// TestAccCheckBlockOnlyWarns: in a check block an assertion on allowed does not
// stop the run; the denial stays visible in the outputs.
func TestAccCheckBlockOnlyWarns(t *testing.T) {
	t.Parallel()
	w := scenarios["GA001 identity policy lacks s3:DeleteObject on the target"].denied
	w.failOn = "never"
	w.outside = `
check "glue_access" {
  assert {
    condition     = data.glueaccess_check.t.allowed
    error_message = join("\n", data.glueaccess_check.t.summary)
  }
}`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: w.config(),
			ConfigStateChecks: append(expectVerdict("denied"),
				statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact("GA001"))),
		}},
	})
}

// TestAccCheckInCheckBlockDefaultOnlyWarns: a glueaccess_check scoped to a
// check block keeps the default fail_on = "deny", and Terraform turns its
// error into a warning: plan and apply go on and create the other resources.
// (Outside a check block the same error stops the plan, as
// TestAccCheckDeniedThenFixed shows.)
func TestAccCheckInCheckBlockDefaultOnlyWarns(t *testing.T) {
	t.Parallel()
	w := scenarios["GA001 identity policy lacks s3:DeleteObject on the target"].denied
	w.outside = `
  assert {
    condition     = data.glueaccess_check.t.allowed
    error_message = join("\n", data.glueaccess_check.t.summary)
  }
}

resource "terraform_data" "after" {
  input = "created"
}`
	cfg := w.config()
	if !strings.Contains(cfg, `data "glueaccess_check" "t" {`) {
		t.Fatal("the configuration has no glueaccess_check to scope")
	}
	cfg = strings.Replace(cfg, `data "glueaccess_check" "t" {`, "check \"glue_access\" {\ndata \"glueaccess_check\" \"t\" {", 1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: cfg,
			// A check-scoped data source whose read failed is planned to be
			// read again during apply ("config will be reloaded to verify a
			// check block") on every plan.
			ExpectNonEmptyPlan: true,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("terraform_data.after", tfjsonpath.New("output"), knownvalue.StringExact("created")),
			},
		}},
	})
}

// TestAccCheckDeferredToApply: a role policy that only exists after apply
// (terraform_data's output is unknown in the plan) defers the read; the plan
// shows a read with unknown outputs, and apply decides.
func TestAccCheckDeferredToApply(t *testing.T) {
	t.Parallel()
	deferred := func(policy string) world {
		return world{
			rolePolicy: "terraform_data.policy.output",
			outside: `
resource "terraform_data" "policy" {
  input = ` + policy + `
}`,
		}
	}
	readAtApply := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(checkAddr, plancheck.ResourceActionRead),
		plancheck.ExpectUnknownValue(checkAddr, tfjsonpath.New("verdict")),
	}}
	t.Run("allowed at apply", func(t *testing.T) {
		t.Parallel()
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6,
			Steps: []resource.TestStep{{
				Config:            deferred(fullRolePolicy).config(),
				ConfigPlanChecks:  readAtApply,
				ConfigStateChecks: expectVerdict("allowed"),
			}},
		})
	})
	t.Run("denied at apply", func(t *testing.T) {
		t.Parallel()
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6,
			Steps: []resource.TestStep{{
				Config:      deferred(roleWithoutDelete).config(),
				ExpectError: regexp.MustCompile(`(?s)GA001 role-s3-permissions: job nightly would be denied.*s3:DeleteObject`),
			}},
		})
	})
}

// TestAccCheckFailOnUnknown: a bucket the job writes but the check does not
// describe cannot be decided: a warning by default, an error with
// fail_on = "unknown".
func TestAccCheckFailOnUnknown(t *testing.T) {
	t.Parallel()
	undescribed := func(failOn string) world {
		return world{failOn: failOn, extra: `access {
    path = "s3://undescribed-bucket/out/"
    mode = "write"
  }`}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{
			{Config: undescribed("").config(), ConfigStateChecks: expectVerdict("unknown")},
			{
				Config:      undescribed("unknown").config(),
				ExpectError: regexp.MustCompile(`(?s)cannot decide whether job nightly is allowed.*undescribed-bucket`),
			},
		},
	})
}

// TestAccCheckInvalidInputs: malformed inputs are rejected before any read, each
// on the attribute that holds it (Terraform quotes that line).
func TestAccCheckInvalidInputs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		w    world
		from string // text of the valid configuration to replace
		to   string
		want string
	}{
		"malformed role policy": {
			from: "policies = [", to: `policies = ["{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": 7}]}", `,
			want: `(?s)Invalid policy document.*role\.policies\[0\].*Statement\[0\]\.Action`,
		},
		"role policy naming an action that does not exist": {
			from: `Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject",`, to: `Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObjects",`,
			want: `(?s)Action does not exist in statement 2 \("ReadScript"\).*policies = \[jsonencode.*Action "s3:GetObjects" does\s+not\s+exist;\s+did\s+you\s+mean\s+"s3:GetObject"\?\s+AWS\s+ignores`,
		},
		"role policy naming an API operation instead of its action": {
			from: `Action = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]`, to: `Action = ["s3:ListObjectsV2", "s3:ListBucketMultipartUploads"]`,
			want: `(?s)Action does not exist in statement 1 \("List"\).*Action "s3:ListObjectsV2" does\s+not\s+exist:\s+"s3:ListObjectsV2"\s+is\s+an\s+API\s+operation;\s+its\s+IAM\s+action\s+is\s+"s3:ListBucket"\.\s+AWS\s+ignores`,
		},
		"organization policy naming an unknown service": {
			w:    world{extra: organization(false)},
			from: `Effect = "Deny", Action = "s3:*"`, to: `Effect = "Deny", Action = "s4:*"`,
			want: `(?s)Action does not exist in statement 0 \("DenyS3OutsideVpce"\).*content = jsonencode.*Action "s4:\*" uses\s+unknown\s+service\s+prefix\s+"s4";\s+did\s+you\s+mean\s+"s3"\?`,
		},
		"role ARN of a user": {
			from: `role_arn        = "arn:aws:iam::111122223333:role/glue-etl"`, to: `role_arn = "arn:aws:iam::111122223333:user/glue-etl"`,
			want: `(?s)Invalid role ARN.*role_arn = "arn:aws:iam::111122223333:user/glue-etl"`,
		},
		"script location that is not an S3 URL": {
			from: `script_location = "s3://etl-artifacts/jobs/nightly.py"`, to: `script_location = "https://etl-artifacts/jobs/nightly.py"`,
			want: `(?s)Invalid S3 URL.*script_location = "https://`,
		},
		"unknown access mode": {
			from: `mode = "write"`, to: `mode = "append"`,
			want: `(?s)Invalid value.*mode = "append".*"append" is not one of read, write, readwrite, temp`,
		},
		"temp dir that is not an S3 URL": {
			from: `"--TempDir" = "s3://etl-scratch/tmp/"`, to: `"--TempDir" = "hdfs://namenode/glue-temp"`,
			want: `(?s)Invalid S3 URL.*"--TempDir" = "hdfs://namenode/glue-temp".*job parameter --TempDir: invalid value:\s+"hdfs://namenode/glue-temp" is not an\s+S3 URL`,
		},
		"bucket name with capitals": {
			from: `name = "raw-zone"`, to: `name = "Raw_Zone"`,
			want: `(?s)Invalid bucket name.*name = "Raw_Zone"`,
		},
		"alias where a key ARN is needed": {
			w:    world{extra: kmsKey("")},
			from: `arn = "` + keyARN + `"`, to: `arn = "arn:aws:kms:eu-west-1:111122223333:alias/etl"`,
			want: `(?s)Invalid KMS key ARN.*arn = "arn:aws:kms:eu-west-1:111122223333:alias/etl".*is an alias\s+ARN`,
		},
		"unknown fail_on": {
			w:    world{failOn: "never"},
			from: `fail_on = "never"`, to: `fail_on = "sometimes"`,
			want: `(?s)Invalid value.*"sometimes" is not one of deny, unknown, never`,
		},
		"policy attached to a node that is not in the organization": {
			w:    world{extra: organization(false)},
			from: `target_ids = ["ou-ab12-data0001"]`, to: `target_ids = ["ou-ab12-missing01"]`,
			want: `(?s)Unknown policy target.*"ou-ab12-missing01" is not the root`,
		},
		"endpoint block without its VPC": {
			w:    world{jobExtra: vpcJob, extra: endpoint("")},
			from: `vpc_id = "vpc-0a1b2c3d"`, to: ``,
			want: `(?s)Missing required argument.*"vpc_endpoint.vpc_id" is required`,
		},
		"job block without its role": {
			from: `role_arn        = "arn:aws:iam::111122223333:role/glue-etl"`, to: ``,
			want: `(?s)Missing required argument.*"job.role_arn" is required`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := tc.w.config()
			if !strings.Contains(cfg, tc.from) {
				t.Fatalf("test configuration has no %q to replace", tc.from)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				Steps: []resource.TestStep{{
					Config:      strings.Replace(cfg, tc.from, tc.to, 1),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// TestAccCheckRequiresJob: without a job block there is nothing to decide.
func TestAccCheckRequiresJob(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config:      `data "glueaccess_check" "t" {}`,
			ExpectError: regexp.MustCompile(`(?s)Missing job block.*needs a job block`),
		}},
	})
}

// TestAccCheckValidationSkipsUnknown: a role ARN known only after apply is not
// validated at plan time; the read waits for it and then decides.
func TestAccCheckValidationSkipsUnknown(t *testing.T) {
	t.Parallel()
	w := world{outside: `
resource "terraform_data" "role" {
  input = "arn:aws:iam::111122223333:role/glue-etl"
}`}
	cfg := strings.Replace(w.config(), `role_arn        = "arn:aws:iam::111122223333:role/glue-etl"`, `role_arn = terraform_data.role.output`, 1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(checkAddr, plancheck.ResourceActionRead),
			}},
			ConfigStateChecks: expectVerdict("allowed"),
		}},
	})
}

// TestAccProviderInvalidSettings: provider settings are validated on their path.
func TestAccProviderInvalidSettings(t *testing.T) {
	t.Parallel()
	cfg := strings.Replace(world{}.config(), `region = "eu-west-1"`, `region = "eu-west-1"
  account_id = "1234"`, 1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)Invalid account id.*account_id = "1234"`),
		}},
	})
}

// TestAccProviderOrganization: the provider's organization applies to every
// check without one, and a check's own organization block replaces it.
func TestAccProviderOrganization(t *testing.T) {
	t.Parallel()
	ownTree := `organization {
    root_id = "r-ab12"
    account {
      id        = "111122223333"
      parent_id = "r-ab12"
    }
  }`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{
			{
				Config:      world{providerExtra: organization(false)}.config(),
				ExpectError: regexp.MustCompile(`(?s)GA007 organizations-policies: job nightly would be denied.*DenyS3OutsideVpce`),
			},
			{
				Config:            world{providerExtra: organization(false), extra: ownTree}.config(),
				ConfigStateChecks: expectVerdict("allowed"),
			},
		},
	})
}
