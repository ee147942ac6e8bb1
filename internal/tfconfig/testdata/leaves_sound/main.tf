# Policies with one value known only after apply (the raw bucket's ARN) at
# the places an attacker or a slip would put it: TestPolicyDocumentLeavesSound
# decides each with the value unknown and with each of many values, which
# must agree whenever the unknown one decides.
data "aws_s3_bucket" "raw" {
  bucket = "raw"
}

locals {
  raw = data.aws_s3_bucket.raw.arn
  # Buckets by use, as a team's module writes them: for_each over a map whose
  # keys are known and one value is not.
  buckets = {
    data = "arn:aws:s3:::data"
    raw  = local.raw
  }
}

resource "aws_iam_role_policy" "deny_not_resource" {
  name = "deny_not_resource"
  role = "glue"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::data/*" },
      { Effect = "Deny", Action = "s3:DeleteObject", Resource = "*" },
      { Effect = "Deny", Action = "s3:*", NotResource = [local.raw, "${local.raw}/*"] },
    ]
  })
}

resource "aws_iam_role_policy" "deny_not_action" {
  name = "deny_not_action"
  role = "glue"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::data/*" },
      { Effect = "Deny", NotAction = [local.raw, "s3:List*"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role_policy" "suffix" {
  name = "suffix"
  role = "glue"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "${local.raw}/*" },
      { Effect = "Deny", Action = "s3:PutObject", Resource = "${local.raw}/in/*" },
    ]
  })
}

resource "aws_iam_role_policy" "condition" {
  name = "condition"
  role = "glue"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = "*" },
      {
        Effect    = "Deny"
        Action    = "s3:*"
        Resource  = "*"
        Condition = { StringNotEqualsIfExists = { "aws:SourceVpce" = local.raw } }
      },
    ]
  })
}

resource "aws_iam_role_policy" "heredoc" {
  name   = "heredoc"
  role   = "glue"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "Action": ["s3:GetObject"], "NotResource": ["arn:aws:s3:::data/*", "${data.aws_s3_bucket.raw.arn}/*"]}
    ]}
  EOT
}

data "aws_iam_policy_document" "buckets" {
  dynamic "statement" {
    for_each = local.buckets
    content {
      sid       = statement.key
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = [statement.value, "${statement.value}/*"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["*"]
    condition {
      test     = "ArnNotLike"
      variable = "aws:SourceArn"
      values   = [local.raw]
    }
  }
}

resource "aws_iam_role_policy" "buckets" {
  name   = "buckets"
  role   = "glue"
  policy = data.aws_iam_policy_document.buckets.json
}

# A bucket policy naming the caller through the unknown value.
resource "aws_s3_bucket_policy" "principal" {
  bucket = "data"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "s3:*", Resource = "arn:aws:s3:::data/*" },
      { Effect = "Deny", Principal = { AWS = "${local.raw}" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::data/*" },
      { Effect = "Deny", NotPrincipal = { AWS = [local.raw] }, Action = "s3:DeleteObject", Resource = "arn:aws:s3:::data/*" },
    ]
  })
}
