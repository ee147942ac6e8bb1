# GA007: an SCP on the workload account denies s3:DeleteObject, which the
# job needs to manage its temporary files.
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

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "glue" {
  name               = "glue-etl"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-glue-artifacts"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-glue-data"
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadScripts"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }
  statement {
    sid       = "ListData"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.data.arn]
  }
  statement {
    sid       = "ReadWriteData"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

# Organizations policies are managed from the management account.
provider "aws" {
  alias  = "management"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/org-admin"
  }
}

resource "aws_organizations_policy" "no_deletes" {
  provider = aws.management
  name     = "no-s3-deletes"
  type     = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ProtectData"
      Effect   = "Deny"
      Action   = "s3:DeleteObject"
      Resource = "*"
    }]
  })
}

resource "aws_organizations_policy_attachment" "workload" {
  provider  = aws.management
  policy_id = aws_organizations_policy.no_deletes.id
  target_id = "111122223333"
}

resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.artifacts.bucket}/scripts/nightly.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.data.bucket}/temporary/"
  }
}
