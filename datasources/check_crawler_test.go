package datasources_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// crawlerConfig is a crawler form check: a crawler reading raw-zone/events/
// whose role may list the bucket, with getObject as the resource its role
// may read and target as extra target blocks.
func crawlerConfig(getObject, targets string) string {
	return strings.NewReplacer("%GET%", getObject, "%TARGETS%", targets).Replace(`
provider "glueaccess" {
  region = "eu-west-1"
}

data "glueaccess_check" "t" {
  fail_on = "never"

  crawler {
    name     = "raw-events"
    role_arn = "arn:aws:iam::111122223333:role/crawler"
    s3_target {
      path       = "raw-zone/events"
      exclusions = ["**.tmp"]
    }
    %TARGETS%
  }

  role {
    policies = [jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::raw-zone"] },
        { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["%GET%"] },
      ]
    })]
  }

  bucket {
    name = "raw-zone"
  }
}
`)
}

// TestAccCheckCrawler: the crawler form decides the crawler's role against
// its targets, names the crawler in findings, and cannot be combined with a
// job block.
func TestAccCheckCrawler(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{
			{
				Config:            crawlerConfig("arn:aws:s3:::raw-zone/events/*", ""),
				ConfigStateChecks: expectVerdict("allowed"),
			},
			{
				Config: strings.Replace(crawlerConfig("arn:aws:s3:::raw-zone/events/*", ""), "  crawler {", `  job {
    name     = "nightly"
    role_arn = "arn:aws:iam::111122223333:role/glue-etl"
  }
  crawler {`, 1),
				ExpectError: regexp.MustCompile(`Conflicting blocks`),
			},
			{
				Config: crawlerConfig("arn:aws:s3:::raw-zone/other/*", ""),
				ConfigStateChecks: append(expectVerdict("denied"),
					statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("action"), knownvalue.StringExact("s3:GetObject")),
					statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("resource"), knownvalue.StringExact("arn:aws:s3:::raw-zone/events/*"))),
			},
			{
				// A Delta target writing manifests needs write access too.
				Config: crawlerConfig("arn:aws:s3:::raw-zone/*", `delta_target {
      delta_tables   = ["s3://raw-zone/delta/sessions/"]
      write_manifest = true
    }`),
				ConfigStateChecks: append(expectVerdict("denied"),
					statecheck.ExpectKnownValue(checkAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("action"), knownvalue.StringRegexp(regexp.MustCompile(`s3:PutObject`)))),
			},
		},
	})
}
