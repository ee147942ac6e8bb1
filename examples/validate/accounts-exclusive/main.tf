# Terraform runs with an assumed deployment role whose ARN is built from a
# variable; the job role's managed policies are pinned with
# aws_iam_role_policy_attachments_exclusive. The older attachment of the
# policy that grants the data bucket is not in the exclusive list, so apply
# detaches it again.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "account_id" {
  type    = string
  default = "777788889999"
}

locals {
  deploy_role = "arn:aws:iam::${var.account_id}:role/terraform-deploy"
}

provider "aws" {
  region = "ap-southeast-2"
  assume_role {
    role_arn     = local.deploy_role
    session_name = "glue-pipeline"
  }
}

resource "aws_s3_bucket" "jobs" {
  bucket = "payments-glue-jobs"
}

resource "aws_s3_bucket" "ledger" {
  bucket = "payments-ledger"
}

resource "aws_iam_role" "glue" {
  name = "payments-glue"
  path = "/service/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}

resource "aws_iam_policy" "scripts" {
  name = "payments-glue-scripts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.jobs.arn}/*"
    }]
  })
}

resource "aws_iam_policy" "ledger" {
  name = "payments-glue-ledger"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = aws_s3_bucket.ledger.arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.ledger.arn}/*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "scripts" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.scripts.arn
}

resource "aws_iam_role_policy_attachment" "ledger" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.ledger.arn
}

resource "aws_iam_role_policy_attachments_exclusive" "glue" {
  role_name   = aws_iam_role.glue.name
  policy_arns = [aws_iam_policy.scripts.arn]
}

resource "aws_glue_job" "settle" {
  name     = "payments-settle"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.jobs.bucket}/settle.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.ledger.bucket}/tmp/"
  }
}
