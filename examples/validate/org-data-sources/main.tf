# A data-residency guardrail: an SCP, attached to the "Workloads" OU that
# this configuration finds through Organizations data sources, denies
# s3:PutObject outside eu-west-1. The job runs in us-east-1.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region              = "us-east-1"
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
  name               = "glue-export"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-export-artifacts"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-export-data"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }
  statement {
    sid       = "ListData"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.data.arn]
  }
  statement {
    sid       = "ReadWriteData"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

# The organization is read, not managed, from the management account.
provider "aws" {
  alias  = "management"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/org-reader"
  }
}

data "aws_organizations_organization" "this" {
  provider = aws.management
}

data "aws_organizations_organizational_unit" "workloads" {
  provider  = aws.management
  parent_id = data.aws_organizations_organization.this.roots[0].id
  name      = "Workloads"
}

data "aws_iam_policy_document" "residency" {
  statement {
    sid       = "StayInIreland"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }
}

resource "aws_organizations_policy" "residency" {
  provider = aws.management
  name     = "data-residency"
  type     = "SERVICE_CONTROL_POLICY"
  content  = data.aws_iam_policy_document.residency.json
}

resource "aws_organizations_policy_attachment" "workloads" {
  provider  = aws.management
  policy_id = aws_organizations_policy.residency.id
  target_id = data.aws_organizations_organizational_unit.workloads.id
}

# Writes its output: s3:PutObject from us-east-1.
resource "aws_glue_job" "export" {
  name     = "export"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.artifacts.bucket}/scripts/export.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.data.bucket}/temporary/"
  }
}

# Only reads its script: the guardrail denies nothing it does.
resource "aws_glue_job" "report" {
  name     = "report"
  role_arn = aws_iam_role.glue.arn

  command {
    name            = "pythonshell"
    script_location = "s3://${aws_s3_bucket.artifacts.bucket}/scripts/report.py"
  }
}
