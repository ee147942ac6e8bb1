resource "aws_kms_key" "k" {}

output "key_arn" {
  value = aws_kms_key.k.arn
}
