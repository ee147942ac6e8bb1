# One job's worth of resources; BenchmarkValidateLargePlan copies its plan
# 3,000 times, replacing the token j0 with each job's number.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_kms_key" "shared" {
  description = "shared key"
}

resource "aws_iam_role" "role_j0" {
  name = "glue-j0"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
  tags = { team = "data", job = "j0", cost_center = "analytics-j0" }
}

resource "aws_iam_role_policy" "policy_j0" {
  name = "s3-j0"
  role = aws_iam_role.role_j0.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "List", Effect = "Allow", Action = ["s3:ListBucket", "s3:GetBucketLocation"], Resource = "arn:aws:s3:::bench-data-j0" },
      { Sid = "Objects", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource = "arn:aws:s3:::bench-data-j0/*" },
    ]
  })
}

resource "aws_s3_bucket" "bucket_j0" {
  bucket = "bench-data-j0"
  tags   = { team = "data", job = "j0" }
}

resource "aws_s3_bucket_policy" "bucket_policy_j0" {
  bucket = aws_s3_bucket.bucket_j0.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TLSOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::bench-data-j0", "arn:aws:s3:::bench-data-j0/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_glue_job" "job_j0" {
  name     = "job-j0"
  role_arn = aws_iam_role.role_j0.arn

  command {
    script_location = "s3://bench-data-j0/scripts/job.py"
  }

  default_arguments = {
    "--TempDir"                          = "s3://bench-data-j0/temporary/"
    "--enable-metrics"                   = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    "--job-bookmark-option"              = "job-bookmark-enable"
  }
  tags = { team = "data", job = "j0" }
}
