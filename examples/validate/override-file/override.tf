# Terraform merges this file into main.tf: the statement blocks below replace
# all statement blocks of data.aws_iam_policy_document.s3 there.
data "aws_iam_policy_document" "s3" {
  statement {
    sid       = "ReadCode"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.code.arn}/*"]
  }
  statement {
    sid       = "ListLake"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.lake.arn]
  }
  statement {
    sid       = "ReadWriteLake"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
  }
}

# Smaller workers and a short timeout in this environment; every other argument
# of aws_glue_job.claims stays as main.tf sets it.
resource "aws_glue_job" "claims" {
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  timeout           = 30
}
