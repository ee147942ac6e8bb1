terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "code" {
  bucket = "fs-code"
}
resource "aws_s3_bucket" "data" {
  bucket = "fs-data"
}
resource "aws_iam_role" "glue" {
  name = "fs-etl"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}
# The bucket ARNs are known only after apply, so the plan shows the rendered
# template as "(known after apply)": its contents must not reach a report.
resource "aws_iam_role_policy" "glue" {
  name = "fs-etl"
  role = aws_iam_role.glue.id
  policy = templatefile("${path.module}/policy.json.tpl", {
    code_bucket = aws_s3_bucket.code.arn
    data_bucket = aws_s3_bucket.data.arn
  })
}
resource "aws_glue_job" "etl" {
  name     = "fs-etl"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://fs-code/etl.py"
  }
  default_arguments = {
    "--TempDir" = "s3://fs-data/tmp/"
    # The folder is read from a file; the whole path is known only after apply.
    "--extra-py-files" = "s3://fs-code/${trimspace(file("${path.module}/libs.txt"))}/${aws_iam_role.glue.unique_id}.whl"
  }
}
