# Zone buckets made with for_each, and a role policy written with jsonencode
# whose resource lists are computed with built-in functions (templatestring,
# startswith, strcontains, one, alltrue) from bucket ARNs known only after
# apply. The raw zone is read-only for the job and protected by a Deny.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-north-1"
}

variable "env" {
  type    = string
  default = "dev"
}

variable "scratch_writes" {
  description = "Let the job write the scratch zone (its TempDir)."
  type        = bool
  default     = true
}

locals {
  zones = ["raw", "curated", "scratch"]

  # Rendered with templatestring below, once per bucket.
  objects_tpl = "$${arn}/$${prefix}*"
}

resource "aws_s3_bucket" "zone" {
  for_each = toset(local.zones)
  bucket   = "telemetry-${var.env}-${each.key}"
}

locals {
  scratch_bucket = one([for z, b in aws_s3_bucket.zone : b.bucket if strcontains(z, "scratch")])
  write_scratch  = alltrue([var.scratch_writes, contains(local.zones, "scratch")])

  bucket_arns = [for b in aws_s3_bucket.zone : b.arn]
  read_arns   = [for b in aws_s3_bucket.zone : templatestring(local.objects_tpl, { arn = b.arn, prefix = "" })]
  write_arns = [
    for z, b in aws_s3_bucket.zone : templatestring(local.objects_tpl, { arn = b.arn, prefix = "" })
    if !startswith(z, "raw") && (z != "scratch" || local.write_scratch)
  ]
  raw_arns = [
    for z, b in aws_s3_bucket.zone : templatestring(local.objects_tpl, { arn = b.arn, prefix = "" })
    if startswith(z, "raw")
  ]
}

resource "aws_iam_role" "job" {
  name = "telemetry-${var.env}-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "zones" {
  name = "zones"
  role = aws_iam_role.job.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListZones"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation"]
        Resource = local.bucket_arns
      },
      {
        Sid      = "ReadZones"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = local.read_arns
      },
      {
        Sid      = "WriteZones"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = local.write_arns
      },
      {
        Sid      = "KeepRawImmutable"
        Effect   = "Deny"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = local.raw_arns
      },
    ]
  })
}

resource "aws_glue_job" "rollup" {
  name         = "telemetry-${var.env}-rollup"
  role_arn     = aws_iam_role.job.arn
  glue_version = "5.0"

  command {
    script_location = "s3://${aws_s3_bucket.zone["raw"].bucket}/jobs/rollup.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${local.scratch_bucket}/glue/"
  }
}
