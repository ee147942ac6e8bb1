terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "eu-west-1"
}
variable "strict" {
  type    = bool
  default = true
}
resource "aws_s3_bucket" "code" {
  bucket = "mu-code"
}
resource "aws_iam_policy" "strict" {
  name   = "mu-strict"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.code.arn}/*" }] })
}
resource "aws_iam_policy" "loose" {
  name   = "mu-loose"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
resource "aws_iam_role" "glue" {
  name = "mu"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    var.strict ? aws_iam_policy.strict.arn : aws_iam_policy.loose.arn,
  ]
}
resource "aws_glue_job" "etl" {
  name     = "mu"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://mu-code/etl.py"
  }
  default_arguments = {
    "--TempDir" = "s3://mu-code/tmp/"
  }
}
