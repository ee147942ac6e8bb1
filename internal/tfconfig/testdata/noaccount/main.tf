resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    condition {
      test     = "StringLike"
      variable = "aws:userid"
      values   = ["${aws_iam_role.r.unique_id}:*"]
    }
  }
}

resource "aws_iam_role_policy" "p" {
  name   = "p"
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.p.json
}
