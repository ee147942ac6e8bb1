variable "name" {
  type = string
}

resource "aws_s3_bucket" "b" {
  bucket = var.name
}

output "arn" {
  value = aws_s3_bucket.b.arn
}

output "name" {
  value = aws_s3_bucket.b.bucket
}

output "dir" {
  value = path.module
}

output "token" {
  value     = "t-${var.name}"
  sensitive = true
}
