resource "aws_s3_bucket" "b" {
  bucket = "x"
  policy = jsonencode({ a = })
}
