# Jobs that name their role by a literal ARN while the plan creates a role of
# that name (its own ARN known only after apply). The role of the same name
# in the same account is that role; in another account it is another role,
# whose policies the plan does not show; so is a role of that name under
# another path.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "etl" {
  name = "etl-runner"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_s3_bucket" "lake" {
  bucket = "acme-lake-curated"
}

resource "aws_iam_role_policy" "lake" {
  name = "lake"
  role = aws_iam_role.etl.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = "arn:aws:s3:::acme-lake-curated" },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "arn:aws:s3:::acme-lake-curated/*" },
    ]
  })
}

locals {
  role_accounts = {
    same  = "111122223333"
    other = "444455556666"
  }
}

resource "aws_glue_job" "by_arn" {
  for_each = local.role_accounts
  name     = "curate-${each.key}"
  role_arn = "arn:aws:iam::${each.value}:role/etl-runner"

  command {
    script_location = "s3://acme-lake-curated/jobs/curate.py"
  }

  default_arguments = {
    "--TempDir" = "s3://acme-lake-curated/tmp/"
  }
}

resource "aws_glue_job" "by_path" {
  name     = "curate-path"
  role_arn = "arn:aws:iam::111122223333:role/svc/etl-runner"

  command {
    script_location = "s3://acme-lake-curated/jobs/curate.py"
  }

  default_arguments = {
    "--TempDir" = "s3://acme-lake-curated/tmp/"
  }
}
