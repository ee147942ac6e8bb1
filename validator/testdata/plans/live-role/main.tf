# A job that runs as a role created by another stack, named by its literal
# ARN: offline its policies are not known; glueaccess validate --aws reads
# them from IAM. The script bucket is created here.

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

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "scripts" {
  bucket = "example-live-scripts"
}

resource "aws_glue_job" "etl" {
  name     = "shared-role-etl"
  role_arn = "arn:aws:iam::111122223333:role/service/shared-glue"
  command {
    name            = "pythonshell"
    script_location = "s3://${aws_s3_bucket.scripts.bucket}/etl.py"
  }
}
