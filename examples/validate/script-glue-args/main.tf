# A GlueContext script reads its paths through getResolvedOptions; the job's
# default_arguments give them, so each is checked against the role.
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

variable "stage" {
  type    = string
  default = "prod"
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
  name               = "events-curate"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "landing" {
  bucket = "example-landing"
}

resource "aws_s3_bucket" "curated" {
  bucket = "example-curated"
}

resource "aws_s3_object" "script" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "jobs/events.py"
  source = "${path.module}/jobs/events.py"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-glue-artifacts/*"]
  }
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = ["arn:aws:s3:::example-landing", "arn:aws:s3:::example-curated"]
  }
  statement {
    sid       = "ReadAndClearLanding"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-landing/events/*"]
  }
  statement {
    sid       = "WriteCurated"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::example-curated/events/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "curate" {
  name         = "events-curate"
  role_arn     = aws_iam_role.glue.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_object.script.bucket}/${aws_s3_object.script.key}"
  }

  default_arguments = {
    "--input_path"  = "s3://${aws_s3_bucket.landing.id}/events/"
    "--output_path" = "s3://${aws_s3_bucket.curated.id}/events/"
    "--stage"       = var.stage
  }
}
