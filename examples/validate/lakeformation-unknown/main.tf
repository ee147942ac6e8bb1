# lakeformation-fixed without the table grant in the plan (granted in the
# console or another stack, or not at all): the location is governed by Lake
# Formation, so the job role's permissions cannot decide.
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

data "aws_iam_policy_document" "glue_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "lf_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lakeformation.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-governed-artifacts"
}

resource "aws_s3_bucket" "lake" {
  bucket = "example-governed-lake"
}

# The role Lake Formation assumes to vend credentials for the lake.
resource "aws_iam_role" "lf_register" {
  name               = "lake-registration"
  assume_role_policy = data.aws_iam_policy_document.lf_assume.json
}

data "aws_iam_policy_document" "lf_register" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-governed-lake/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::example-governed-lake"]
  }
}

resource "aws_iam_role_policy" "lf_register" {
  name   = "lake-data"
  role   = aws_iam_role.lf_register.id
  policy = data.aws_iam_policy_document.lf_register.json
}

resource "aws_lakeformation_resource" "lake" {
  arn                   = "arn:aws:s3:::example-governed-lake"
  role_arn              = aws_iam_role.lf_register.arn
  hybrid_access_enabled = false
}

resource "aws_glue_catalog_database" "sales" {
  name = "sales"
}

resource "aws_glue_catalog_table" "orders" {
  name          = "orders"
  database_name = aws_glue_catalog_database.sales.name
  table_type    = "EXTERNAL_TABLE"

  storage_descriptor {
    location      = "s3://example-governed-lake/sales/orders/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    columns {
      name = "order_id"
      type = "string"
    }
  }
}

resource "aws_iam_role" "glue" {
  name               = "orders-report"
  assume_role_policy = data.aws_iam_policy_document.glue_assume.json
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "Scripts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-governed-artifacts/*"]
  }
  statement {
    sid       = "TempDir"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-governed-artifacts/tmp/*"]
  }
  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::example-governed-artifacts"]
  }
  statement {
    sid       = "LakeFormationCredentials"
    actions   = ["lakeformation:GetDataAccess"]
    resources = ["*"]
  }
  statement {
    sid     = "OrdersTable"
    actions = ["glue:GetTable", "glue:GetPartitions"]
    resources = [
      "arn:aws:glue:eu-west-1:111122223333:catalog",
      "arn:aws:glue:eu-west-1:111122223333:database/sales",
      "arn:aws:glue:eu-west-1:111122223333:table/sales/orders",
    ]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "orders-report"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "report" {
  name         = "orders-report"
  role_arn     = aws_iam_role.glue.arn
  glue_version = "4.0"

  command {
    script_location = "s3://example-governed-artifacts/scripts/orders_report.py"
  }

  default_arguments = {
    "--TempDir"        = "s3://example-governed-artifacts/tmp/"
    "--input_database" = aws_glue_catalog_database.sales.name
    "--input_table"    = aws_glue_catalog_table.orders.name
  }
}
