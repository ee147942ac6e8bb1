variable "name" {
  type = string
}

variable "bucket_arn" {
  type = string
}

resource "aws_iam_role" "r" {
  name               = var.name
  path               = "/glue/"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "p" {
  name = "s3"
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${var.bucket_arn}/*" }]
  })
}

output "arn" {
  value = aws_iam_role.r.arn
}
