provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deployer"
  }
}

resource "aws_kms_key" "eu" {}

resource "aws_kms_key" "us" {
  provider = aws.us
}

module "child" {
  source = "./child"
  providers = {
    aws = aws.us
  }
}

resource "aws_iam_role" "unnamed" {
  assume_role_policy = "{}"
}

resource "aws_iam_role" "prefixed" {
  name_prefix        = "glue-"
  assume_role_policy = "{}"
}

resource "aws_s3_bucket" "none" {
  count  = 0
  bucket = "never"
}

resource "aws_s3_bucket" "later" {
  count  = length(provider::corp::buckets())
  bucket = "later-${count.index}"
}

resource "aws_glue_job" "j" {
  name     = "j"
  role_arn = aws_iam_role.unnamed.arn
  command {
    script_location = "s3://x/y.py"
  }
  default_arguments = {
    "--none"  = jsonencode(aws_s3_bucket.none[*].arn)
    "--later" = jsonencode(aws_s3_bucket.later[*].arn)
  }
}
