terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "eu-central-1"
}
data "aws_s3_bucket" "landing" {
  bucket = "shared-landing-zone"
}
resource "aws_iam_role" "glue" {
  name = "landing-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "glue.amazonaws.com" } }]
  })
}
data "aws_iam_policy_document" "s3" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${data.aws_s3_bucket.landing.arn}/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [data.aws_s3_bucket.landing.arn]
  }
}
resource "aws_iam_role_policy" "s3" {
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.s3.json
}
resource "aws_glue_job" "ingest" {
  name     = "landing-ingest"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://${data.aws_s3_bucket.landing.id}/code/ingest.py"
  }
}
