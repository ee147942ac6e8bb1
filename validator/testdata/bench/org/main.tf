# One of each piece of a multi-account Glue estate under an organization;
# orgPlan (validator/benchgen_test.go) copies the pieces of its plan.json
# into plans of any size. Tokens the generator replaces in copies:
#   acctq0 / 555500000000  a workload account (provider alias and number)
#   jobq0                  a job with its role, policy, bucket and bucket policy
#   ouaq0 / oubq0          an OU under the root / under another OU
#   scpaq0, scpbq0, rcpaq0 an SCP or RCP and its attachment
# The organization is read from the management account; guardrails are
# managed here and attached to the root, OUs and accounts.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/org-admin"
  }
}

provider "aws" {
  alias               = "acctq0"
  region              = "eu-west-1"
  allowed_account_ids = ["555500000000"]
}

data "aws_organizations_organization" "org" {}

data "aws_organizations_organizational_unit" "ouaq0" {
  parent_id = data.aws_organizations_organization.org.roots[0].id
  name      = "ouaq0"
}

data "aws_organizations_organizational_unit" "oubq0" {
  parent_id = data.aws_organizations_organizational_unit.ouaq0.id
  name      = "oubq0"
}

# A region guardrail: harmless to jobs in eu-west-1.
resource "aws_organizations_policy" "scpaq0" {
  name = "scpaq0"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "scpaq0"
      Effect    = "Deny"
      NotAction = ["iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*", "route53:*"]
      Resource  = "*"
      Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] } }
    }]
  })
}

# Data protection: no deletes. Denies the jobs below it (temporary files).
resource "aws_organizations_policy" "scpbq0" {
  name = "scpbq0"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "scpbq0"
      Effect   = "Deny"
      Action   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
      Resource = "*"
    }]
  })
}

# A data perimeter: only principals of the organization reach its buckets.
resource "aws_organizations_policy" "rcpaq0" {
  name = "rcpaq0"
  type = "RESOURCE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "rcpaq0"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "*"
      Condition = {
        StringNotEqualsIfExists = { "aws:PrincipalOrgID" = data.aws_organizations_organization.org.id }
        BoolIfExists            = { "aws:PrincipalIsAWSService" = "false" }
      }
    }]
  })
}

resource "aws_organizations_policy_attachment" "scpaq0_root" {
  policy_id = aws_organizations_policy.scpaq0.id
  target_id = data.aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_policy_attachment" "scpaq0_ou" {
  policy_id = aws_organizations_policy.scpaq0.id
  target_id = data.aws_organizations_organizational_unit.ouaq0.id
}

resource "aws_organizations_policy_attachment" "scpbq0_acct" {
  policy_id = aws_organizations_policy.scpbq0.id
  target_id = "555500000000"
}

resource "aws_organizations_policy_attachment" "rcpaq0_ou" {
  policy_id = aws_organizations_policy.rcpaq0.id
  target_id = data.aws_organizations_organizational_unit.oubq0.id
}

resource "aws_kms_key" "keyacctq0" {
  provider    = aws.acctq0
  description = "Glue data key of acctq0"
}

resource "aws_iam_role" "jobq0" {
  provider = aws.acctq0
  name     = "glue-jobq0"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
  tags = { team = "data", job = "jobq0" }
}

resource "aws_iam_role_policy" "jobq0" {
  provider = aws.acctq0
  name     = "s3-jobq0"
  role     = aws_iam_role.jobq0.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "List", Effect = "Allow", Action = ["s3:ListBucket", "s3:GetBucketLocation"], Resource = "arn:aws:s3:::bench-jobq0" },
      { Sid = "Objects", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource = "arn:aws:s3:::bench-jobq0/*" },
      { Sid = "Key", Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*", Condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } } },
    ]
  })
}

resource "aws_s3_bucket" "jobq0" {
  provider = aws.acctq0
  bucket   = "bench-jobq0"
  tags     = { team = "data", job = "jobq0" }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "jobq0" {
  provider = aws.acctq0
  bucket   = aws_s3_bucket.jobq0.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.keyacctq0.arn
    }
  }
}

resource "aws_s3_bucket_policy" "jobq0" {
  provider = aws.acctq0
  bucket   = aws_s3_bucket.jobq0.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TLSOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::bench-jobq0", "arn:aws:s3:::bench-jobq0/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_glue_job" "jobq0" {
  provider = aws.acctq0
  name     = "jobq0"
  role_arn = aws_iam_role.jobq0.arn

  command {
    script_location = "s3://bench-jobq0/scripts/job.py"
  }

  default_arguments = {
    "--TempDir"                          = "s3://bench-jobq0/temporary/"
    "--enable-metrics"                   = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    "--job-bookmark-option"              = "job-bookmark-enable"
  }
  tags = { team = "data", job = "jobq0" }
}
