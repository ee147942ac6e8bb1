# A crawler whose role has only the AWSGlueServiceRole managed policy: it
# may list every bucket, but reads objects only in buckets named aws-glue-*,
# so crawling the raw zone is denied.
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

resource "aws_iam_role" "crawler" {
  name               = "raw-events-crawler"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.crawler.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_s3_bucket" "raw" {
  bucket = "example-raw-zone"
}

resource "aws_glue_catalog_database" "raw" {
  name = "raw_events"
}

resource "aws_glue_crawler" "events" {
  name          = "raw-events"
  role          = aws_iam_role.crawler.name
  database_name = aws_glue_catalog_database.raw.name
  schedule      = "cron(15 2 * * ? *)"

  s3_target {
    path       = "s3://example-raw-zone/events/"
    exclusions = ["**/_SUCCESS", "**.crc"]
  }

  schema_change_policy {
    delete_behavior = "LOG"
    update_behavior = "UPDATE_IN_DATABASE"
  }
}
