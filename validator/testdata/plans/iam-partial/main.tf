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
resource "aws_kms_key" "tag" {
  description = "only its id is used, to make a name unknown until apply"
}
resource "aws_s3_bucket" "code" {
  bucket = "ip-code"
}
resource "aws_s3_bucket" "data" {
  bucket = "ip-data"
}
resource "aws_iam_policy" "a" {
  name   = "ip-a"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }] })
}
resource "aws_iam_policy" "data" {
  name = "ip-data"
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::ip-data" },
    { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "arn:aws:s3:::ip-data/*" },
  ] })
}
resource "aws_iam_role" "glue" {
  name = "ip"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
  # Its name is not known until apply; the policy is.
  inline_policy {
    name   = "code-${aws_kms_key.tag.key_id}"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::ip-code/*" }] })
  }
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.a.arn
}
resource "aws_iam_role_policy_attachment" "data" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.data.arn
}
# One element, two candidates: which policy stays is not known from the plan.
resource "aws_iam_role_policy_attachments_exclusive" "glue" {
  role_name   = aws_iam_role.glue.name
  policy_arns = [var.strict ? aws_iam_policy.a.arn : aws_iam_policy.data.arn]
}
resource "aws_glue_job" "etl" {
  name     = "ip"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://ip-code/etl.py"
  }
  default_arguments = {
    "--TempDir" = "s3://ip-data/tmp/"
  }
}
