# A working stack whose directory also holds files Terraform never reads: a
# disabled policy kept as .deny-tmp-writes.tf and an editor backup main.tf~.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

variable "env" {
  type    = string
  default = "staging"
}

resource "aws_s3_bucket" "etl" {
  bucket = "ledger-${var.env}-etl"
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

resource "aws_iam_role" "etl" {
  name               = "ledger-${var.env}-etl"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "etl" {
  statement {
    sid       = "Bucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.etl.arn]
  }
  statement {
    sid       = "Objects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.etl.arn}/*"]
  }
}

resource "aws_iam_role_policy" "etl" {
  name   = "s3"
  role   = aws_iam_role.etl.id
  policy = data.aws_iam_policy_document.etl.json
}

resource "aws_glue_job" "ledger" {
  name     = "ledger-${var.env}"
  role_arn = aws_iam_role.etl.arn

  command {
    script_location = "s3://${aws_s3_bucket.etl.bucket}/scripts/ledger.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.etl.bucket}/tmp/"
  }
}
