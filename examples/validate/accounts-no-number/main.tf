# A stack as most teams write it: no account number anywhere. The role, the
# buckets and the KMS key are all created through the default provider (and
# its region-only alias), so they are in one account whatever its number.
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

# Same credentials, another region: Spark event logs go to a bucket there.
provider "aws" {
  alias  = "logs"
  region = "eu-central-1"
}

variable "env" {
  type    = string
  default = "dev"
}

locals {
  prefix = "orders-${var.env}"
}

resource "aws_kms_key" "lake" {
  description         = "${local.prefix} data lake"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "code" {
  bucket = "${local.prefix}-glue-code"
}

resource "aws_s3_bucket" "lake" {
  bucket = "${local.prefix}-lake"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.lake.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket" "spark_logs" {
  provider = aws.logs
  bucket   = "${local.prefix}-spark-logs"
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

resource "aws_iam_role" "job" {
  name               = "${local.prefix}-glue"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy_attachment" "service" {
  role       = aws_iam_role.job.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "Code"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.code.arn}/*"]
  }
  statement {
    sid       = "LakeList"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.lake.arn, aws_s3_bucket.spark_logs.arn]
  }
  statement {
    sid       = "LakeObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${aws_s3_bucket.lake.arn}/*", "${aws_s3_bucket.spark_logs.arn}/*"]
  }
  statement {
    sid       = "LakeKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.lake.arn]
  }
}

resource "aws_iam_policy" "job" {
  name   = "${local.prefix}-glue-s3"
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_iam_role_policy_attachment" "job" {
  role       = aws_iam_role.job.name
  policy_arn = aws_iam_policy.job.arn
}

resource "aws_glue_job" "orders" {
  name         = "${local.prefix}-orders"
  role_arn     = aws_iam_role.job.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_bucket.code.bucket}/jobs/orders.py"
  }

  default_arguments = {
    "--TempDir"               = "s3://${aws_s3_bucket.lake.bucket}/tmp/"
    "--enable-spark-ui"       = "true"
    "--spark-event-logs-path" = "s3://${aws_s3_bucket.spark_logs.bucket}/orders/"
  }
}
