# The role may use the landing bucket, named at apply, for everything; an
# explicit Deny protects the curated bucket from writes. The job's TempDir is
# in the curated bucket: the Deny decides, whatever the landing bucket's name.
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

resource "aws_s3_bucket" "curated" {
  bucket = "example-glue-curated"
}

resource "aws_s3_bucket" "landing" {
  bucket_prefix = "landing-"
}

data "aws_s3_bucket" "landing" {
  bucket = aws_s3_bucket.landing.bucket
}

resource "aws_iam_role_policy" "job" {
  name = "s3-access"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadScripts"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${aws_s3_bucket.artifacts.arn}/*"
      },
      {
        Sid      = "UseLanding"
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = [data.aws_s3_bucket.landing.arn, "${data.aws_s3_bucket.landing.arn}/*"]
      },
      {
        Sid      = "ReadCurated"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.curated.arn, "${aws_s3_bucket.curated.arn}/*"]
      },
      {
        Sid      = "ProtectCurated"
        Effect   = "Deny"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.curated.arn}/*"
      },
    ]
  })
}

resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://example-glue-artifacts/scripts/nightly.py"
  }

  default_arguments = {
    "--TempDir" = "s3://example-glue-curated/temporary/"
  }
}
