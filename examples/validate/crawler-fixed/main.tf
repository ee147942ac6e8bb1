# crawler-deny fixed: besides AWSGlueServiceRole, an inline policy lets the
# crawler role read the objects under its include path.
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

data "aws_iam_policy_document" "read_events" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::example-raw-zone/events/*"]
  }
}

resource "aws_iam_role_policy" "read_events" {
  name   = "read-raw-events"
  role   = aws_iam_role.crawler.id
  policy = data.aws_iam_policy_document.read_events.json
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
