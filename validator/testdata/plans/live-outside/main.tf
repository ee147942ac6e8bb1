# A job whose data lives in a bucket another team owns: the bucket, its
# policy, its default encryption key and the organization's SCPs are all
# outside this plan, named only by literal bucket name. Offline every
# decision about them is unknown; glueaccess validate --aws looks them up.

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

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "glue" {
  name = "glue-live"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "data" {
  name = "partner-data"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "arn:aws:s3:::partner-data/*" },
      { Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::partner-data" },
      { Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" },
    ]
  })
}

resource "aws_glue_job" "etl" {
  name     = "partner-etl"
  role_arn = aws_iam_role.glue.arn
  command {
    name            = "glueetl"
    script_location = "s3://partner-data/scripts/etl.py"
  }
  glue_version = "4.0"
}
