# A job added to an account whose data lake already exists: the raw bucket
# and its KMS key are read through data sources, the account comes from a
# variable in allowed_account_ids.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "account_id" {
  type    = string
  default = "444455556666"
}

variable "raw_bucket" {
  type    = string
  default = "acme-raw-events"
}

provider "aws" {
  region              = "us-west-2"
  allowed_account_ids = [var.account_id]
}

data "aws_s3_bucket" "raw" {
  bucket = var.raw_bucket
}

data "aws_kms_key" "raw" {
  key_id = "alias/acme-raw"
}

resource "aws_s3_bucket" "scripts" {
  bucket = "acme-events-glue-scripts"
}

resource "aws_iam_role" "events" {
  name = "acme-events-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "events" {
  name = "s3-and-kms"
  role = aws_iam_role.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${aws_s3_bucket.scripts.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation"]
        Resource = data.aws_s3_bucket.raw.arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = "${data.aws_s3_bucket.raw.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = data.aws_kms_key.raw.arn
      },
    ]
  })
}

resource "aws_glue_job" "events" {
  name     = "acme-events-compact"
  role_arn = aws_iam_role.events.arn

  command {
    script_location = "s3://${aws_s3_bucket.scripts.bucket}/compact.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${data.aws_s3_bucket.raw.bucket}/_glue_tmp/"
  }
}
