resource "aws_s3_bucket" "var" {
  bucket = var.missing
}

resource "aws_s3_bucket" "res" {
  bucket = aws_s3_bucket.nope.bucket
}

resource "aws_s3_bucket" "count" {
  bucket = "b-${count.index}"
}

resource "aws_s3_bucket" "attr" {
  bucket = aws_s3_bucket.var.no_such_attribute
}

resource "aws_s3_bucket" "call" {
  bucket = lower(1, 2)
}
