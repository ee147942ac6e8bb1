# Names come from a label module: one base label for the stack, child labels
# for the bucket and the job that inherit its context. The role's temp prefix
# is named by the wrong label, so the job cannot write its --TempDir.
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

variable "stage" {
  type    = string
  default = "prod"
}

module "base" {
  source = "./modules/label"

  context = {
    namespace = "Acme"
    delimiter = "-"
  }
  stage = var.stage
  name  = "orders"
}

module "lake_label" {
  source = "./modules/label"

  context    = module.base.context
  attributes = ["lake"]
}

module "job_label" {
  source = "./modules/label"

  context    = module.base.context
  attributes = ["nightly"]
}

resource "aws_s3_bucket" "lake" {
  bucket = module.lake_label.id
  tags   = module.lake_label.tags
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
  name               = format("%s-glue", module.job_label.id)
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = module.job_label.tags
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.lake.arn]
  }
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.lake.arn}/scripts/*", "${aws_s3_bucket.lake.arn}/input/*"]
  }
  # Per-job prefixes, named by the labels. The temp prefix uses the base
  # label (acme-prod-orders) where the job's TempDir uses the job's label
  # (acme-prod-orders-nightly).
  statement {
    sid     = "WriteOwnPrefixes"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = [
      "${aws_s3_bucket.lake.arn}/spark-logs/${module.job_label.id}/*",
      "${aws_s3_bucket.lake.arn}/tmp/${module.base.id}/*",
    ]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = format("%s-s3", module.job_label.id)
  role   = aws_iam_role.job.id
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "nightly" {
  name         = module.job_label.id
  role_arn     = aws_iam_role.job.arn
  glue_version = "4.0"
  tags         = module.job_label.tags

  command {
    script_location = "s3://${aws_s3_bucket.lake.bucket}/scripts/${module.job_label.id}.py"
  }

  default_arguments = {
    "--TempDir"               = "s3://${aws_s3_bucket.lake.bucket}/tmp/${module.job_label.id}/"
    "--enable-spark-ui"       = "true"
    "--spark-event-logs-path" = "s3://${aws_s3_bucket.lake.bucket}/spark-logs/${module.job_label.id}/"
  }
}
