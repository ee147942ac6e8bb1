# Disabled by renaming with a leading dot: Terraform does not load files whose
# names start with ".". Were it loaded, this explicit Deny would stop the job
# writing its TempDir.
data "aws_iam_policy_document" "deny_tmp_writes" {
  statement {
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.etl.arn}/tmp/*"]
  }
}

resource "aws_iam_role_policy" "deny_tmp_writes" {
  name   = "deny-tmp-writes"
  role   = aws_iam_role.etl.id
  policy = data.aws_iam_policy_document.deny_tmp_writes.json
}
