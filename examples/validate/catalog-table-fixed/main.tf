# catalog-table-deny fixed: the role may also read the table's definition
# (glue:GetTable, and glue:GetPartitions for its partitions) on the table,
# its database and the catalog, as Glue requires for a table.
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

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "glue" {
  name               = "orders-etl"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-etl-artifacts"
}

resource "aws_s3_bucket" "lake" {
  bucket = "example-sales-lake"
}

resource "aws_glue_catalog_database" "sales" {
  name = "sales"
}

resource "aws_glue_catalog_table" "orders" {
  name          = "orders"
  database_name = aws_glue_catalog_database.sales.name
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    classification = "parquet"
  }

  partition_keys {
    name = "order_date"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://example-sales-lake/curated/orders/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    columns {
      name = "order_id"
      type = "string"
    }
    columns {
      name = "amount"
      type = "decimal(12,2)"
    }
  }
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "Scripts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-etl-artifacts/*"]
  }
  statement {
    sid       = "TempDir"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-etl-artifacts/tmp/*"]
  }
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::example-etl-artifacts", "arn:aws:s3:::example-sales-lake"]
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
  statement {
    sid       = "ReadOrders"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-sales-lake/curated/orders/*"]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "orders-etl"
  role   = aws_iam_role.glue.name
  policy = data.aws_iam_policy_document.job.json
}

resource "aws_glue_job" "orders" {
  name         = "orders-daily"
  role_arn     = aws_iam_role.glue.arn
  glue_version = "4.0"

  command {
    script_location = "s3://example-etl-artifacts/scripts/orders_daily.py"
  }

  default_arguments = {
    "--TempDir"         = "s3://example-etl-artifacts/tmp/"
    "--source_database" = aws_glue_catalog_database.sales.name
    "--source_table"    = aws_glue_catalog_table.orders.name
    "--job-language"    = "python"
    "--enable-metrics"  = "true"
  }
}
