# A realistic Glue ETL setup: the job reads raw data from one bucket, with a
# KMS-encrypted security configuration, inside a VPC whose S3 gateway
# endpoint has its own policy, in an account governed by an SCP.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["444455556666"]
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

resource "aws_s3_bucket" "raw" {
  bucket = "sales-raw-zone"
  tags = {
    Team = "data"
  }
}

resource "aws_kms_key" "data" {
  description = "Glue job data key"
}

# Fully known: rendered during plan.
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

# References the key ARN, unknown until apply: Terraform defers the read.
data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadRaw"
    actions   = ["s3:ListBucket", "s3:GetObject"]
    resources = [aws_s3_bucket.raw.arn, "${aws_s3_bucket.raw.arn}/*"]
  }
  statement {
    sid       = "UseKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.job.json
}

# Fully known (the bucket name is configured, the ARN is written out).
data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      "arn:aws:s3:::sales-raw-zone",
      "arn:aws:s3:::sales-raw-zone/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "raw" {
  bucket = aws_s3_bucket.raw.id
  policy = data.aws_iam_policy_document.bucket.json
}

resource "aws_glue_security_configuration" "kms" {
  name = "sc-kms"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "DISABLED"
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.data.arn
    }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "glue" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "glue" {
  subnet_id      = aws_subnet.glue.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = ["arn:aws:s3:::sales-raw-zone", "arn:aws:s3:::sales-raw-zone/*"]
    }]
  })
}

resource "aws_glue_job" "nightly" {
  name                   = "nightly"
  role_arn               = aws_iam_role.glue.arn
  security_configuration = aws_glue_security_configuration.kms.name
  command {
    script_location = "s3://sales-raw-zone/scripts/nightly.py"
  }
  default_arguments = {
    "--TempDir" = "s3://sales-raw-zone/temporary/"
  }
}

resource "aws_organizations_policy" "deny_unencrypted" {
  name = "deny-unencrypted-uploads"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = "s3:PutObject"
      Resource = "*"
      Condition = {
        Null = { "s3:x-amz-server-side-encryption" = "true" }
      }
    }]
  })
}

resource "aws_organizations_policy_attachment" "account" {
  policy_id = aws_organizations_policy.deny_unencrypted.id
  target_id = data.aws_caller_identity.current.account_id
}

output "region" {
  value = data.aws_region.current.region
}

module "job_logs" {
  source   = "./modules/job_logs"
  job_name = aws_glue_job.nightly.name
}
