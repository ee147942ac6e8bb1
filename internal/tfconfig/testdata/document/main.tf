provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "vpce" {
  type    = string
  default = "vpce-1"
}

data "aws_caller_identity" "me" {}

resource "aws_s3_bucket" "raw" {
  bucket = "raw-zone"
}

resource "aws_kms_key" "raw" {}

resource "aws_iam_role" "glue" {
  name               = "glue"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Deny"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    sid       = "Replaced"
    actions   = ["s3:ListAllMyBuckets"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}

locals {
  prefixes = { in = "in/*", out = "out/*" }
  conditions = {
    "aws:SourceVpce"       = var.vpce
    "aws:PrincipalAccount" = data.aws_caller_identity.me.account_id
  }
}

data "aws_iam_policy_document" "glue" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "Replaced"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.raw.arn]
  }

  dynamic "statement" {
    for_each = local.prefixes
    iterator = p
    content {
      sid       = "Read${title(p.key)}"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${aws_s3_bucket.raw.arn}/${p.value}"]
      principals {
        type        = "AWS"
        identifiers = [aws_iam_role.glue.arn]
      }
      dynamic "condition" {
        for_each = local.conditions
        content {
          test     = "StringEquals"
          variable = condition.key
          values   = [condition.value]
        }
      }
    }
  }

  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.raw.arn]
  }
}

resource "aws_iam_role_policy" "glue" {
  name   = "glue"
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.glue.json
}
