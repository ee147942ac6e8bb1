# A job reading a table managed in another stack: the table is a data
# source (the stand-in's catalog keeps every table under
# s3://stub-glue-catalog-<account>/<database>/<table>/), the write target a
# table of this plan with no location of its own, under its database's
# location_uri.
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

resource "aws_iam_role" "glue" {
  name = "catalog-etl"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

data "aws_glue_catalog_table" "events" {
  database_name = "shared"
  name          = "events"
}

resource "aws_glue_catalog_database" "mart" {
  name         = "mart"
  location_uri = "s3://example-mart/warehouse/"
}

resource "aws_glue_catalog_table" "daily" {
  name          = "daily"
  database_name = aws_glue_catalog_database.mart.name
}

resource "aws_s3_bucket" "mart" {
  bucket = "example-mart"
}

resource "aws_iam_role_policy" "glue" {
  name = "catalog-etl"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::example-mart/scripts/*", "arn:aws:s3:::stub-glue-catalog-111122223333/shared/events/*"] },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = ["arn:aws:s3:::stub-glue-catalog-111122223333", "arn:aws:s3:::example-mart"] },
      { Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject"], Resource = ["arn:aws:s3:::example-mart/warehouse/*"] },
      { Effect = "Allow", Action = ["glue:GetTable", "glue:GetPartitions"], Resource = [
        "arn:aws:glue:eu-west-1:111122223333:catalog",
        "arn:aws:glue:eu-west-1:111122223333:database/*",
        "arn:aws:glue:eu-west-1:111122223333:table/*/*",
      ] },
    ]
  })
}

resource "aws_glue_job" "daily" {
  name     = "daily"
  role_arn = aws_iam_role.glue.arn

  command {
    script_location = "s3://example-mart/scripts/daily.py"
  }

  default_arguments = {
    "--source_database" = data.aws_glue_catalog_table.events.database_name
    "--source_table"    = data.aws_glue_catalog_table.events.name
    "--target_database" = aws_glue_catalog_database.mart.name
    "--target_table"    = aws_glue_catalog_table.daily.name
  }
}
