# Action typos outside the role: in the bucket policy of a bucket the job
# reads (a job warning) and in the policy of a bucket no job uses (a plan
# warning). Neither changes the job's verdict.
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

resource "aws_iam_role" "glue" {
  name = "glue-etl"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "glue" {
  name = "s3-access"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::example-glue-artifacts/*"] },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::example-glue-artifacts"] },
    ]
  })
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "NoDeletes"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:DeleteObjects"]
      Resource  = ["arn:aws:s3:::example-glue-artifacts/*"]
    }]
  })
}

resource "aws_s3_bucket" "logs" {
  bucket = "example-glue-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:PutObjectAcls"]
      Resource  = ["arn:aws:s3:::example-glue-logs/*"]
    }]
  })
}

resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://example-glue-artifacts/scripts/nightly.py"
  }
}
