# A stack as committed: the job's role may read the lake and is denied writing
# it, and the job's --TempDir is in the lake. override.tf, kept next to it,
# replaces the role's policy document with one that also grants writes.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

locals {
  project = "claims-etl"
}

resource "aws_s3_bucket" "code" {
  bucket = "${local.project}-code"
}

resource "aws_s3_bucket" "lake" {
  bucket = "${local.project}-lake"
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

resource "aws_iam_role" "glue" {
  name               = "${local.project}-glue"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

# Read-only access to the lake, with writes explicitly denied. override.tf
# replaces every statement block of this data source.
data "aws_iam_policy_document" "s3" {
  statement {
    sid       = "ReadCode"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.code.arn}/*"]
  }
  statement {
    sid       = "ReadLake"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.lake.arn, "${aws_s3_bucket.lake.arn}/*"]
  }
  statement {
    sid       = "NoLakeWrites"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
  }
}

resource "aws_iam_policy" "s3" {
  name   = "${local.project}-s3"
  policy = data.aws_iam_policy_document.s3.json
}

resource "aws_iam_role_policy_attachment" "s3" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.s3.arn
}

resource "aws_glue_job" "claims" {
  name     = local.project
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.code.bucket}/claims/main.py"
  }

  default_arguments = {
    "--TempDir"      = "s3://${aws_s3_bucket.lake.bucket}/_glue_tmp/"
    "--job-language" = "python"
  }
}
