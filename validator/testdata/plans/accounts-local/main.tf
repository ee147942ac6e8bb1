terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
locals {
  account_id = var.account_id
}
variable "account_id" {
  type    = string
  default = "210987654321"
}
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = [local.account_id]
}
resource "aws_kms_key" "data" {
  description = "av data"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Root"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}
resource "aws_s3_bucket" "data" {
  bucket = "av-data"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}
resource "aws_iam_role" "glue" {
  name = "av"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "s3" {
  name = "s3"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::av-data"] },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = ["arn:aws:s3:::av-data/*"] },
      { Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = ["*"] },
    ]
  })
}
resource "aws_glue_job" "etl" {
  name     = "av"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://av-data/etl.py"
  }
}
