locals {
  a = local.b
  b = "${local.a}-x"
}

resource "aws_s3_bucket" "b" {
  bucket = local.a
}

resource "aws_s3_bucket" "ok" {
  bucket = "fine"
}
