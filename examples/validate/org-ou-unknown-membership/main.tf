# An SCP attached to an OU whose member accounts this plan does not show:
# whether it governs the job's account depends on where the account sits.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "glue" {
  name               = "glue-etl"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-glue-data"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-glue-artifacts/*"]
  }
  statement {
    sid       = "ListData"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = ["arn:aws:s3:::example-glue-data"]
  }
  statement {
    sid       = "ReadWriteData"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::example-glue-data/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

# The landing-zone team creates a "sandbox" OU with a guardrail. Which
# accounts move into it is decided elsewhere (account vending), so this plan
# cannot tell whether 111122223333 is one of them.
provider "aws" {
  alias  = "management"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/org-admin"
  }
}

resource "aws_organizations_organizational_unit" "sandbox" {
  provider  = aws.management
  name      = "sandbox"
  parent_id = "r-a1b2"
}

data "aws_iam_policy_document" "guardrail" {
  statement {
    sid       = "NoDeletes"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
  }
}

resource "aws_organizations_policy" "guardrail" {
  provider = aws.management
  name     = "sandbox-no-deletes"
  type     = "SERVICE_CONTROL_POLICY"
  content  = data.aws_iam_policy_document.guardrail.json
}

resource "aws_organizations_policy_attachment" "sandbox" {
  provider  = aws.management
  policy_id = aws_organizations_policy.guardrail.id
  target_id = aws_organizations_organizational_unit.sandbox.id
}

# Writes temporary files under --TempDir, and deletes them: the guardrail
# would block it if the account is in the sandbox OU.
resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://example-glue-artifacts/scripts/nightly.py"
  }

  default_arguments = {
    "--TempDir" = "s3://example-glue-data/temporary/"
  }
}

# Only reads: the guardrail denies nothing it does, wherever the account is.
resource "aws_glue_job" "reporting" {
  name     = "reporting"
  role_arn = aws_iam_role.glue.arn

  command {
    name            = "pythonshell"
    script_location = "s3://example-glue-artifacts/scripts/reporting.py"
  }
}
