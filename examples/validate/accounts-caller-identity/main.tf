# The account is read once through data "aws_caller_identity" and used to
# name the Glue assets bucket; the role lists its policies in
# managed_policy_arns, one of them created in the same plan.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  assets_bucket = "aws-glue-assets-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.region}"
}

resource "aws_s3_bucket" "assets" {
  bucket = local.assets_bucket
}

resource "aws_s3_bucket" "curated" {
  bucket = "claims-curated-${data.aws_caller_identity.current.account_id}"
}

resource "aws_iam_policy" "curated_write" {
  name = "claims-curated-write"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListCurated"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = aws_s3_bucket.curated.arn
      },
      {
        # Writes only: the job also reads back what it wrote.
        Sid      = "WriteCurated"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.curated.arn}/*"
      },
    ]
  })
}

resource "aws_iam_role" "glue" {
  name = "claims-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",
    aws_iam_policy.curated_write.arn,
  ]
}

resource "aws_glue_job" "claims" {
  name     = "claims-curate"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.assets.bucket}/scripts/claims.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.curated.bucket}/_tmp/"
  }
}
