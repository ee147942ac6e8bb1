# for_each and count instances keep their full addresses.
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

locals {
  # Job name → whether its role may write the shared data bucket.
  jobs = {
    orders    = true
    customers = false
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "example-glue-data"
}

resource "aws_iam_role" "job" {
  for_each           = local.jobs
  name               = "glue-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "job" {
  for_each = local.jobs
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.data.arn]
  }
  statement {
    sid       = "Objects"
    actions   = each.value ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"] : ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/${each.key}/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  for_each = local.jobs
  name     = "s3-access"
  role     = aws_iam_role.job[each.key].name
  policy   = data.aws_iam_policy_document.job[each.key].json
}

resource "aws_glue_job" "job" {
  for_each = local.jobs
  name     = each.key
  role_arn = aws_iam_role.job[each.key].arn

  command {
    script_location = "s3://${aws_s3_bucket.data.bucket}/${each.key}/script.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.data.bucket}/${each.key}/temporary/"
  }
}

# Two replicas of a read-only job sharing the orders role.
resource "aws_glue_job" "replica" {
  count    = 2
  name     = "orders-replica-${count.index}"
  role_arn = aws_iam_role.job["orders"].arn

  command {
    script_location = "s3://${aws_s3_bucket.data.bucket}/orders/replica.py"
  }
}
