# The fix of script-pyspark-deny: the role may list and read the raw orders
# prefix the script reads.
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
  name               = "orders-rollup"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "raw" {
  bucket = "example-raw-orders"
}

resource "aws_s3_bucket" "curated" {
  bucket = "example-curated"
}

resource "aws_s3_object" "script" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "jobs/orders.py"
  source = "${path.module}/jobs/orders.py"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-glue-artifacts/*"]
  }
  statement {
    sid       = "ReadRawOrders"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-raw-orders/orders/*"]
  }
  statement {
    sid       = "ListRawOrders"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::example-raw-orders"]
  }
  statement {
    sid       = "ListCurated"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = ["arn:aws:s3:::example-curated"]
  }
  statement {
    sid       = "WriteCurated"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::example-curated/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "rollup" {
  name         = "orders-rollup"
  role_arn     = aws_iam_role.glue.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_object.script.bucket}/${aws_s3_object.script.key}"
  }
}
