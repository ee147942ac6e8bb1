# A library the same apply uploads, named by the object's id: the key is
# known only after apply, but the role may read every key of the bucket, so
# the job is decided for every value the key can take.
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

resource "aws_s3_bucket" "libs" {
  bucket = "example-glue-libs"
}

resource "aws_s3_object" "wheel" {
  bucket = aws_s3_bucket.libs.id
  key    = "wheels/helpers-1.4.0-py3-none-any.whl"
  source = "helpers-1.4.0-py3-none-any.whl"
}

resource "aws_s3_object" "script" {
  bucket = aws_s3_bucket.libs.id
  key    = "scripts/nightly.py"
  source = "nightly.py"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadCode"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.libs.arn}/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    name            = "pythonshell"
    script_location = "s3://example-glue-libs/scripts/nightly.py"
  }

  default_arguments = {
    "--extra-py-files" = "s3://example-glue-libs/${aws_s3_object.wheel.id}"
  }
}
