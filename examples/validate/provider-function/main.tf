# Two Glue jobs whose role policies name their buckets with the AWS provider's
# provider::aws::arn_build. The bucket names come from aws_s3_bucket.*.id,
# known only after apply, so the plan leaves both policies unknown.
# No account number anywhere: the account comes from aws_caller_identity.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  prefix = "billing-prod"
}

resource "aws_s3_bucket" "scripts" {
  bucket = "${local.prefix}-glue-scripts"
}

resource "aws_s3_bucket" "invoices" {
  bucket = "${local.prefix}-invoices"
}

resource "aws_s3_bucket" "exports" {
  bucket = "${local.prefix}-exports"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ingest" {
  name               = "${local.prefix}-ingest"
  path               = "/glue/"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "export" {
  name               = "${local.prefix}-export"
  path               = "/glue/"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

# S3 ARNs carry neither a Region nor an account: arn:aws:s3:::bucket/key.
resource "aws_iam_role_policy" "ingest" {
  name = "s3"
  role = aws_iam_role.ingest.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Scripts"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = provider::aws::arn_build(data.aws_partition.current.partition, "s3", "", "", "${aws_s3_bucket.scripts.id}/jobs/*")
      },
      {
        Sid    = "Invoices"
        Effect = "Allow"
        Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
        Resource = [
          provider::aws::arn_build(data.aws_partition.current.partition, "s3", "", "", aws_s3_bucket.invoices.id),
          provider::aws::arn_build(data.aws_partition.current.partition, "s3", "", "", "${aws_s3_bucket.invoices.id}/*"),
        ]
      },
    ]
  })
}

# The same policy written with the Region and the caller's account in the
# bucket ARNs, as for most other services.
resource "aws_iam_role_policy" "export" {
  name = "s3"
  role = aws_iam_role.export.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Scripts"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = provider::aws::arn_build(data.aws_partition.current.partition, "s3", "", "", "${aws_s3_bucket.scripts.id}/jobs/*")
      },
      {
        Sid    = "Exports"
        Effect = "Allow"
        Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
        Resource = [
          provider::aws::arn_build(data.aws_partition.current.partition, "s3", data.aws_region.current.region, data.aws_caller_identity.current.account_id, aws_s3_bucket.exports.id),
          provider::aws::arn_build(data.aws_partition.current.partition, "s3", data.aws_region.current.region, data.aws_caller_identity.current.account_id, "${aws_s3_bucket.exports.id}/*"),
        ]
      },
    ]
  })
}

resource "aws_glue_job" "ingest" {
  name         = "${local.prefix}-ingest"
  role_arn     = aws_iam_role.ingest.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_bucket.scripts.bucket}/jobs/ingest.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.invoices.bucket}/tmp/"
  }
}

resource "aws_glue_job" "export" {
  name         = "${local.prefix}-export"
  role_arn     = aws_iam_role.export.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_bucket.scripts.bucket}/jobs/export.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.exports.bucket}/tmp/"
  }
}
