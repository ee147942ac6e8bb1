provider "aws" {
  region = "us-west-2"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/ci"
  }
}

data "aws_partition" "p" {}
data "aws_region" "r" {}

resource "aws_iam_policy" "s3" {
  name   = "s3-read"
  path   = "/etl/"
  policy = "{}"
}

resource "aws_kms_key" "eu" {
  region = "eu-central-1"
}

resource "aws_kms_alias" "eu" {
  name          = "alias/etl"
  target_key_id = aws_kms_key.eu.key_id
  region        = "eu-central-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-west-2.s3"
  route_table_ids = [aws_vpc.main.main_route_table_id]
}

resource "aws_s3_bucket_policy" "vpce_only" {
  bucket = "data"
  policy = jsonencode({ Condition = { StringEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } } })
}

resource "aws_glue_connection" "net" {
  name            = "net"
  connection_type = "NETWORK"
}

resource "aws_glue_job" "j" {
  name     = "j"
  role_arn = "arn:${data.aws_partition.p.partition}:iam::123456789012:role/glue"
  command {
    script_location = "s3://data/j.py"
  }
  connections = [aws_glue_connection.net.name]
}

resource "aws_organizations_organization" "org" {}

resource "aws_organizations_organizational_unit" "ou" {
  name      = "etl"
  parent_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_policy" "deny" {
  name    = "deny"
  content = "{}"
}

resource "aws_organizations_policy_attachment" "ou" {
  policy_id = aws_organizations_policy.deny.id
  target_id = aws_organizations_organizational_unit.ou.id
}
