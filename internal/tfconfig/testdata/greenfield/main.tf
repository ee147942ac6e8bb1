provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/deployer"
  }
}

variable "env" {
  type = string
}

locals {
  prefix      = "etl-${var.env}"
  bucket_name = "${local.prefix}-data"
}

resource "aws_s3_bucket" "data" {
  bucket = local.bucket_name
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecure<&>"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_iam_role" "glue" {
  name = "glue-${var.env}"
  path = "/service/"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_kms_key" "data" {
  description = "data"
}

resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://${aws_s3_bucket.data.bucket}/jobs/nightly.py"
  }
  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.data.bucket}/tmp/"
    "--kms-key" = aws_kms_key.data.arn
    "--when"    = timestamp()
  }
}
