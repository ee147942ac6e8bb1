provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::999999999999:role/first-hop"
  }
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/deployer"
  }
}

variable "jobs" {
  type = map(object({
    script  = string
    workers = optional(number, 2)
  }))
}

# Declared out of order on purpose: locals are evaluated by dependency.
locals {
  artifacts = "artifacts-${local.suffix}"
  suffix    = "${local.env}-eu"
  env       = "prod"
}

module "bucket" {
  source = "./modules/bucket"
  name   = local.artifacts
}

module "role" {
  source     = "./modules/role"
  for_each   = toset(["reader", "writer"])
  name       = "glue-${each.key}"
  bucket_arn = module.bucket.arn
}

module "shared" {
  source  = "example/shared/aws"
  version = "1.0.0"
}

resource "aws_glue_job" "j" {
  for_each = var.jobs
  name     = each.key
  role_arn = module.role["reader"].arn
  command {
    script_location = "s3://${module.bucket.name}/${each.value.script}"
  }
  default_arguments = {
    "--workers" = tostring(each.value.workers)
    "--kms"     = module.shared.key_arn
    "--dir"     = module.bucket.dir
    "--token"   = module.bucket.token
  }
}

resource "aws_s3_object" "script" {
  count  = 2
  bucket = module.bucket.name
  key    = "scripts/${count.index}.py"
}
