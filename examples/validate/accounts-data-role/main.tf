# A platform team owns the Glue role and the lake key; this stack only adds
# a job, its buckets and an inline policy on the shared role, reading the
# role and the key through data sources.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
  default_tags {
    tags = { Team = "finance-analytics" }
  }
}

data "aws_iam_role" "glue" {
  name = "platform-glue-shared"
}

data "aws_kms_alias" "lake" {
  name = "alias/platform-lake"
}

resource "aws_s3_bucket" "ledger" {
  bucket = "finance-ledger-exports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = data.aws_kms_alias.lake.target_key_arn
    }
  }
}

resource "aws_iam_role_policy" "ledger" {
  name = "finance-ledger-exports"
  role = data.aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = aws_s3_bucket.ledger.arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.ledger.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = data.aws_kms_alias.lake.target_key_arn
      },
    ]
  })
}

resource "aws_glue_job" "export" {
  name     = "finance-ledger-export"
  role_arn = data.aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.ledger.bucket}/scripts/export.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.ledger.bucket}/tmp/"
  }
}
