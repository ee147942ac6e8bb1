package datasources_test

import (
	"strings"
)

// Accounts and ARNs of the test world: the job runs in account A; account B
// owns buckets shared with it.
const (
	accountA  = "111122223333"
	accountB  = "444455556666"
	roleARN   = "arn:aws:iam::111122223333:role/glue-etl"
	keyARN    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	checkAddr = "data.glueaccess_check.t"
)

// world is one glueaccess_check configuration: a realistic nightly job that
// reads raw-zone/orders/ and writes curated-zone/orders/, with every part
// replaceable by a test case.
type world struct {
	failOn string
	// jobExtra goes inside the job block (arguments, connection, security_configuration).
	jobExtra string
	// rolePolicy is the role's identity policy as an HCL expression.
	rolePolicy string
	// raw, curated are the two data buckets' blocks' bodies after name.
	raw, curated string
	// extra goes inside the data source (kms_key, vpc_endpoint, organization).
	extra string
	// outside goes after the data source (postconditions' consumers, check blocks).
	outside string
	// providerExtra goes inside the provider block.
	providerExtra string
}

// fullRolePolicy lets the job read its script, use its temp dir, read the
// source and write the target (the actions of docs/model.md#actions-per-intent).
const fullRolePolicy = `jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Locate", Effect = "Allow", Action = "s3:GetBucketLocation", Resource = "*" },
      { Sid = "List", Effect = "Allow", Action = ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
        Resource = ["arn:aws:s3:::etl-artifacts", "arn:aws:s3:::etl-scratch", "arn:aws:s3:::raw-zone", "arn:aws:s3:::curated-zone"] },
      { Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::etl-artifacts/jobs/*" },
      { Sid = "Temp", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource = "arn:aws:s3:::etl-scratch/tmp/*" },
      { Sid = "ReadSource", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::raw-zone/orders/*" },
      { Sid = "WriteTarget", Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource = "arn:aws:s3:::curated-zone/orders/*" },
    ]
  })`

func (w world) config() string {
	rolePolicy := w.rolePolicy
	if rolePolicy == "" {
		rolePolicy = fullRolePolicy
	}
	failOn := ""
	if w.failOn != "" {
		failOn = `fail_on = "` + w.failOn + `"`
	}
	r := strings.NewReplacer(
		"%FAIL_ON%", failOn, "%JOB_EXTRA%", w.jobExtra, "%ROLE_POLICY%", rolePolicy,
		"%RAW%", w.raw, "%CURATED%", w.curated, "%EXTRA%", w.extra, "%OUTSIDE%", w.outside,
		"%PROVIDER_EXTRA%", w.providerExtra,
	)
	return r.Replace(`
provider "glueaccess" {
  region = "eu-west-1"
  %PROVIDER_EXTRA%
}

data "glueaccess_check" "t" {
  %FAIL_ON%

  job {
    name            = "nightly"
    role_arn        = "arn:aws:iam::111122223333:role/glue-etl"
    script_location = "s3://etl-artifacts/jobs/nightly.py"
    default_arguments = {
      "--TempDir" = "s3://etl-scratch/tmp/"
    }
    %JOB_EXTRA%
  }

  role {
    policies = [%ROLE_POLICY%]
  }

  bucket {
    name = "etl-artifacts"
  }
  bucket {
    name = "etl-scratch"
  }
  bucket {
    name = "raw-zone"
    %RAW%
  }
  bucket {
    name = "curated-zone"
    %CURATED%
  }

  access {
    path = "s3://raw-zone/orders/"
    mode = "read"
  }
  access {
    path = "s3://curated-zone/orders/"
    mode = "write"
  }

  %EXTRA%
}
%OUTSIDE%
`)
}
