# The fix of script-scala: the clicks bucket's Deny exempts the Glue job's
# role beside the analytics role.
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
  name               = "clicks-etl"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "clicks" {
  bucket = "example-clicks"
}

resource "aws_s3_bucket" "curated" {
  bucket = "example-curated"
}

resource "aws_s3_object" "script" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "jobs/ClicksJob.scala"
  source = "${path.module}/src/ClicksJob.scala"
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
    resources = ["arn:aws:s3:::example-clicks", "arn:aws:s3:::example-curated"]
  }
  statement {
    sid       = "ReadClicks"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-clicks/clicks/*"]
  }
  statement {
    sid       = "WriteCurated"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::example-curated/clicks/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

# Only the analytics role and the Glue job's role may read the clicks bucket.
data "aws_iam_policy_document" "clicks" {
  statement {
    sid       = "OnlyAnalytics"
    effect    = "Deny"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-clicks/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::111122223333:role/analytics", "arn:aws:iam::111122223333:role/clicks-etl"]
    }
  }
}

resource "aws_s3_bucket_policy" "clicks" {
  bucket = aws_s3_bucket.clicks.id
  policy = data.aws_iam_policy_document.clicks.json
}

resource "aws_glue_job" "clicks" {
  name         = "clicks-etl"
  role_arn     = aws_iam_role.glue.arn
  glue_version = "4.0"

  command {
    script_location = "s3://${aws_s3_object.script.bucket}/${aws_s3_object.script.key}"
  }

  default_arguments = {
    "--job-language"  = "scala"
    "--class"         = "ClicksJob"
    "--clicks_bucket" = aws_s3_bucket.clicks.id
  }
}
