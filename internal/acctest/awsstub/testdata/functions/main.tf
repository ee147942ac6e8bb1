# Calls each provider function of hashicorp/aws that the stand-in serves, on
# known values (Terraform calls the provider at plan time) and on a value only
# known after apply (Terraform does not call it and plans the result unknown).

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

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_iam_role" "glue" {
  name               = "etl"
  path               = "/service/glue/"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
}

output "parsed" {
  value = provider::aws::arn_parse("arn:aws:s3:::sales-raw/input/*")
}

output "built" {
  value = provider::aws::arn_build(data.aws_partition.current.partition, "iam", "", data.aws_caller_identity.current.account_id, "role/service/glue/etl")
}

output "trimmed" {
  value = provider::aws::trim_iam_role_path("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/service/glue/etl")
}

output "trimmed_later" {
  value = provider::aws::trim_iam_role_path(aws_iam_role.glue.arn)
}
