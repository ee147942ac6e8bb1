terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "us-east-1"
}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
locals {
  prefix = "sales-${data.aws_caller_identity.current.account_id}"
}
resource "aws_s3_bucket" "scripts" {
  bucket = "${local.prefix}-scripts"
}
resource "aws_s3_bucket" "lake" {
  bucket = "${local.prefix}-lake"
}
resource "aws_iam_policy" "s3" {
  name = "glue-s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${aws_s3_bucket.scripts.arn}/*"] },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = ["${aws_s3_bucket.lake.arn}/*"] },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = [aws_s3_bucket.lake.arn, aws_s3_bucket.scripts.arn] },
    ]
  })
}
resource "aws_iam_role" "glue" {
  name = "sales-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "glue.amazonaws.com" } }]
  })
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",
    aws_iam_policy.s3.arn,
  ]
}
resource "aws_glue_job" "daily" {
  name     = "sales-daily"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://${aws_s3_bucket.scripts.id}/daily.py"
  }
  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.lake.id}/_tmp/"
  }
}
