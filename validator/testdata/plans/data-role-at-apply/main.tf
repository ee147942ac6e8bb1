terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "code" {
  bucket = "dra-code"
}
# Read only at apply: it waits for the bucket.
data "aws_iam_role" "shared" {
  name       = "dra-shared"
  depends_on = [aws_s3_bucket.code]
}
resource "aws_iam_role_policy" "code" {
  name = "code"
  role = data.aws_iam_role.shared.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::dra-code/*"] }]
  })
}
resource "aws_glue_job" "etl" {
  name     = "dra"
  role_arn = data.aws_iam_role.shared.arn
  command {
    script_location = "s3://dra-code/etl.py"
  }
}
