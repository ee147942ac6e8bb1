variable "name" {
  type = string
}

variable "data_bucket" {
  type = string
}

# grant_write false leaves the role without write access to its data bucket.
variable "grant_write" {
  type = bool
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "glue-${var.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "data" {
  bucket = var.data_bucket
}

data "aws_iam_policy_document" "access" {
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.data.arn]
  }
  statement {
    sid       = "Objects"
    actions   = var.grant_write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"] : ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}

resource "aws_iam_role_policy" "access" {
  name   = "s3-access"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.access.json
}

resource "aws_glue_job" "this" {
  name     = var.name
  role_arn = aws_iam_role.this.arn

  command {
    script_location = "s3://${aws_s3_bucket.data.bucket}/scripts/${var.name}.py"
  }

  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.data.bucket}/temporary/"
  }
}

output "job_name" {
  value = aws_glue_job.this.name
}
