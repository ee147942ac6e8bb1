terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "eu-west-1"
}
variable "env" {
  type    = string
  default = "dev"
}
resource "aws_s3_bucket" "etl" {
  bucket = "acme-etl-${var.env}"
}
resource "aws_iam_role" "glue" {
  name = "acme-glue-${var.env}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}
resource "aws_iam_role_policy_attachment" "service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}
resource "aws_iam_role_policy" "s3" {
  name = "s3"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "${aws_s3_bucket.etl.arn}/*" },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = aws_s3_bucket.etl.arn },
    ]
  })
}
resource "aws_glue_job" "orders" {
  name     = "orders-${var.env}"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://${aws_s3_bucket.etl.bucket}/scripts/orders.py"
  }
  default_arguments = {
    "--TempDir"  = "s3://${aws_s3_bucket.etl.bucket}/tmp/"
    "--job-language" = "python"
  }
}
