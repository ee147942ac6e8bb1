# Describe the job once in locals and give the same values to the job and to
# the check. The check then reads during `terraform plan`: a data source that
# references a resource being created (aws_iam_role.glue.arn,
# aws_glue_job.nightly.name) is only read at apply.
locals {
  account_id = "111122223333"
  role_name  = "glue-etl"
  role_arn   = "arn:aws:iam::${local.account_id}:role/${local.role_name}"
  script     = "s3://etl-artifacts/jobs/nightly.py"
  arguments = {
    "--TempDir"        = "s3://etl-scratch/tmp/"
    "--enable-metrics" = "true"
  }
}

data "aws_iam_policy_document" "glue" {
  statement {
    sid       = "Locate"
    actions   = ["s3:GetBucketLocation"]
    resources = ["*"]
  }
  statement {
    sid     = "List"
    actions = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [
      "arn:aws:s3:::etl-artifacts",
      "arn:aws:s3:::etl-scratch",
      "arn:aws:s3:::raw-zone",
      "arn:aws:s3:::curated-zone",
    ]
  }
  statement {
    sid       = "ReadScript"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::etl-artifacts/jobs/*"]
  }
  statement {
    sid       = "TempDir"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::etl-scratch/tmp/*"]
  }
  statement {
    sid       = "ReadOrders"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::raw-zone/orders/*"]
  }
  statement {
    sid       = "WriteOrders"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::curated-zone/orders/*"]
  }
}

resource "aws_iam_role" "glue" {
  name = local.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "glue" {
  name   = "s3-data"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.glue.json
}

resource "aws_glue_job" "nightly" {
  name              = "nightly"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  default_arguments = local.arguments

  command {
    script_location = local.script
  }
}

data "glueaccess_check" "nightly" {
  job {
    name              = "nightly"
    role_arn          = local.role_arn
    script_location   = local.script
    default_arguments = local.arguments
  }

  role {
    policies            = [data.aws_iam_policy_document.glue.json]
    managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
  }

  bucket {
    name = "etl-artifacts"
  }
  bucket {
    name = "etl-scratch"
  }
  bucket {
    name = "raw-zone"
  }
  bucket {
    name = "curated-zone"
  }

  # What the script reads and writes: Terraform cannot see inside it.
  access {
    path = "s3://raw-zone/orders/"
    mode = "read"
  }
  access {
    path = "s3://curated-zone/orders/"
    mode = "write"
  }
}
