# typo-action: the role's inline policy names s3:GetObjects, an action that
# does not exist. AWS ignores the entry, so nothing allows reading the script.
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

resource "aws_iam_role_policy" "glue" {
  name = "s3-access"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadScripts"
        Effect   = "Allow"
        Action   = ["s3:GetObjects"]
        Resource = ["arn:aws:s3:::example-glue-artifacts/*"]
      },
      {
        Sid      = "ListData"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
        Resource = ["arn:aws:s3:::example-glue-data"]
      },
      {
        Sid      = "ReadWriteData"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = ["arn:aws:s3:::example-glue-data/*"]
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
    "--TempDir" = "s3://example-glue-data/temporary/"
  }
}
