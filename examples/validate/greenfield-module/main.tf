# A module that creates a role, a bucket and a job, called twice.
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

module "orders" {
  source      = "./modules/glue_job"
  name        = "orders"
  data_bucket = "example-orders-data"
  grant_write = true
}

module "customers" {
  source      = "./modules/glue_job"
  name        = "customers"
  data_bucket = "example-customers-data"
  grant_write = false
}
