terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region  = "eu-west-1"
  profile = "etl"
}
provider "aws" {
  alias   = "lake"
  region  = "eu-west-1"
  profile = "lake"
}
resource "aws_s3_bucket" "lake" {
  provider = aws.lake
  bucket   = "acct-test-lake"
}
resource "aws_s3_bucket" "code" {
  bucket = "acct-test-code"
}
resource "aws_iam_role" "glue" {
  name = "acct-test"
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
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::acct-test-code/*"] },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::acct-test-other"] },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = ["arn:aws:s3:::acct-test-other/*"] },
    ]
  })
}
resource "aws_glue_job" "etl" {
  name     = "acct-test"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://acct-test-code/etl.py"
  }
  default_arguments = {
    "--TempDir" = "s3://acct-test-lake/tmp/"
  }
}
