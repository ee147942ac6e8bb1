# GA003 fixed: BucketOwnerEnforced makes the bucket owner own every object.
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

# The partner's account uploads the job script into our bucket.
provider "aws" {
  alias  = "partner"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/uploader"
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
    resources = ["arn:aws:s3:::example-glue-artifacts/*"]
  }
  statement {
    sid       = "ListData"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = ["arn:aws:s3:::example-glue-data"]
  }
  statement {
    sid       = "ReadWriteData"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::example-glue-data/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "s3-access"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_object" "script" {
  provider = aws.partner
  bucket   = "example-glue-artifacts"
  key      = "scripts/nightly.py"
  content  = "print('nightly')"
}

resource "aws_glue_job" "nightly" {
  name     = "nightly"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://example-glue-artifacts/scripts/nightly.py"
  }

  default_arguments = {
    "--TempDir" = "s3://example-glue-data/temporary/"
  }
}
