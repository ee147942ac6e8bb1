# The script writes to a prefix it reads from Parameter Store at run time:
# no plan can say where, so the job is unknown, naming the script line.
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
  name               = "orders-export"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "curated" {
  bucket = "example-curated"
}

resource "aws_s3_object" "script" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "jobs/export.py"
  source = "${path.module}/jobs/export.py"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-glue-artifacts/*"]
  }
  statement {
    sid       = "ReadCurated"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::example-curated"]
  }
  statement {
    sid       = "ReadOrders"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-curated/orders_daily/*"]
  }
  statement {
    sid       = "ReadExportPrefix"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:eu-west-1:111122223333:parameter/etl/export-prefix"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "export" {
  name         = "orders-export"
  role_arn     = aws_iam_role.glue.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_object.script.bucket}/${aws_s3_object.script.key}"
  }
}
