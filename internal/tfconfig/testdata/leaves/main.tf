# Policies that are known but for a few strings, and policies whose
# structure is unknown (see leaves.go).
variable "extra_actions" {
  type = list(string)
}

resource "aws_s3_bucket" "data" {
  bucket = "etl-data"
}

resource "aws_s3_bucket" "staging" {
  bucket_prefix = "staging-"
}

data "aws_s3_bucket" "raw" {
  bucket = aws_s3_bucket.staging.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_iam_role" "glue" {
  name               = "glue"
  assume_role_policy = "{}"
}

# One statement decides reads of etl-data; the other names a bucket read at
# apply, and its condition the role's unique id.
resource "aws_iam_role_policy" "encoded" {
  name = "encoded"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Data"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${aws_s3_bucket.data.arn}/*"]
      },
      {
        Sid      = "Raw"
        Effect   = "Allow"
        Action   = var.extra_actions
        Resource = [data.aws_s3_bucket.raw.arn, "${data.aws_s3_bucket.raw.arn}/*"]
        Condition = {
          StringLike = { "aws:userid" = "${aws_iam_role.glue.unique_id}:*" }
        }
      },
      {
        Effect   = "Deny"
        Action   = "s3:DeleteObject"
        Resource = "arn:aws:s3:::${aws_s3_bucket.staging.bucket}/logs/*"
      },
    ]
  })
}

locals {
  document = data.aws_iam_policy_document.doc.json
}

data "aws_iam_policy_document" "doc" {
  statement {
    sid       = "Data"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
  statement {
    sid       = "Quarantine"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${data.aws_s3_bucket.raw.arn}/*"]
    condition {
      test     = "StringNotLike"
      variable = "aws:userid"
      values   = ["${aws_iam_role.glue.unique_id}:*"]
    }
  }
}

resource "aws_iam_role_policy" "document" {
  name   = "document"
  role   = aws_iam_role.glue.name
  policy = local.document
}

# Structural unknowns: the whole document stays unknown.
resource "aws_iam_role_policy" "effect" {
  name = "effect"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = aws_iam_role.glue.unique_id == "" ? "Deny" : "Allow", Action = "s3:*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "statements" {
  name = "statements"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for a in split(",", aws_iam_role.glue.unique_id) : { Effect = "Deny", Action = a, Resource = "*" }]
  })
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = toset(split(",", aws_iam_role.glue.unique_id))
    content {
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "dynamic" {
  name   = "dynamic"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.dynamic.json
}

resource "aws_iam_role_policy" "principal" {
  name = "principal"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*", Principal = aws_iam_role.glue.unique_id }]
  })
}

resource "aws_iam_role_policy" "transformed" {
  name   = "transformed"
  role   = aws_iam_role.glue.name
  policy = replace(jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = data.aws_s3_bucket.raw.arn }] }), "GetObject", "*")
}

resource "aws_iam_role_policy" "sensitive" {
  name = "sensitive"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = [data.aws_s3_bucket.raw.arn, sensitive("arn:aws:s3:::secret/*")] }]
  })
}

# A heredoc: an ARN inside a JSON string is a leaf.
resource "aws_iam_role_policy" "heredoc" {
  name   = "heredoc"
  role   = aws_iam_role.glue.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "Data", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.data.arn}/*"},
        {"Sid": "Raw", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "${data.aws_s3_bucket.raw.arn}/*"}
      ]
    }
  EOT
}

# A heredoc whose unknown value stands outside a string, or is not an
# identifier AWS restricts: the whole document stays unknown.
resource "aws_iam_role_policy" "heredoc_outside" {
  name   = "heredoc_outside"
  role   = aws_iam_role.glue.name
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ${jsonencode([data.aws_s3_bucket.raw.arn])}}]}
  EOT
}

resource "aws_iam_role_policy" "heredoc_effect" {
  name   = "heredoc_effect"
  role   = aws_iam_role.glue.name
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "${aws_iam_role.glue.unique_id}", "Action": "s3:GetObject", "Resource": "*"}]}
  EOT
}

resource "aws_iam_role_policy" "heredoc_name" {
  name   = "heredoc_name"
  role   = aws_iam_role.glue.name
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${var.extra_actions[0]}/*"}]}
  EOT
}

# A heredoc value named like an ARN but read from a map of strings a stack
# or a script returns (not an attribute AWS assigns): it may hold a quote and
# close the string, so the whole document stays unknown.
resource "aws_cloudformation_stack" "net" {
  name          = "net"
  template_body = "{}"
}

resource "aws_iam_role_policy" "heredoc_output" {
  name   = "heredoc_output"
  role   = aws_iam_role.glue.name
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["${aws_cloudformation_stack.net.outputs.bucket_arn}"]}]}
  EOT
}

# A literal that holds the engine's leaf marker would read as a leaf no
# reference names: the whole document stays unknown.
resource "aws_iam_role_policy" "forged" {
  name = "forged"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "s3:*", NotResource = ["\u0000forged\u0000", data.aws_s3_bucket.raw.arn] }]
  })
}
