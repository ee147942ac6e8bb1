# A job reading a catalog table of its own stack, written without an account
# number: the provider names a Region only, the job's role and the table's
# catalog are in the same (unnamed) account, and the names come from a
# for_each over a map of tables.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  tables = {
    orders = { database = "sales", prefix = "orders" }
  }
}

resource "aws_s3_bucket" "lake" {
  bucket = "example-noacct-lake"
}

resource "aws_glue_catalog_database" "sales" {
  name = "sales"
}

resource "aws_glue_catalog_table" "t" {
  for_each      = local.tables
  name          = each.key
  database_name = aws_glue_catalog_database.sales.name

  storage_descriptor {
    location = "s3://${aws_s3_bucket.lake.bucket}/${each.value.prefix}/"
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "glue" {
  name               = "noacct-etl"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "glue" {
  name = "noacct-etl"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::example-noacct-lake/*"] },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::example-noacct-lake"] },
      { Effect = "Allow", Action = ["glue:GetTable", "glue:GetPartitions", "glue:GetDatabase"], Resource = ["*"] },
    ]
  })
}

resource "aws_glue_job" "etl" {
  name     = "noacct-etl"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://${aws_s3_bucket.lake.bucket}/scripts/etl.py"
  }

  default_arguments = {
    "--database_name" = aws_glue_catalog_table.t["orders"].database_name
    "--source-table"  = aws_glue_catalog_table.t["orders"].name
  }
}
