# Three jobs, one role: one allowed, one denied, one unknown.
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
  name               = "glue-etl"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-glue-data"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }
  statement {
    sid       = "ListData"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.data.arn]
  }
  statement {
    sid       = "ReadWriteData"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

# Allowed: everything it touches is covered by the role policy.
resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.artifacts.bucket}/scripts/nightly.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.data.bucket}/temporary/"
  }
}

# Denied: writes Spark UI event logs to a bucket the role has no access to.
resource "aws_s3_bucket" "logs" {
  bucket = "example-glue-logs"
}

resource "aws_glue_job" "reporting" {
  name     = "reporting"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.artifacts.bucket}/scripts/reporting.py"
  }

  default_arguments = {
    "--TempDir"               = "s3://${aws_s3_bucket.data.bucket}/temporary/"
    "--enable-spark-ui"       = "true"
    "--spark-event-logs-path" = "s3://example-glue-logs/spark/"
  }
}

# Unknown: the script lives in a bucket this plan does not manage.
resource "aws_glue_job" "legacy" {
  name     = "legacy"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://team-legacy-scripts/legacy.py"
  }
}
