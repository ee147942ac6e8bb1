terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "us-west-2"
}
variable "context" {
  type = any
  default = {
    namespace   = "acme"
    environment = "prod"
  }
}
variable "jobs" {
  type = map(object({ script = string, workers = number }))
  default = {
    clicks = { script = "clicks.py", workers = 2 }
    views  = { script = "views.py", workers = 4 }
  }
}
locals {
  namespace = lookup(var.context, "namespace", null)
  stage     = lookup(var.context, "stage", null)
  id        = join("-", compact([local.namespace, lookup(var.context, "environment", null), local.stage]))
}
resource "aws_s3_bucket" "artifacts" {
  bucket = "${local.id}-glue-artifacts"
}
resource "aws_iam_role" "glue" {
  name = "${local.id}-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "glue.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "s3" {
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "${aws_s3_bucket.artifacts.arn}/scripts/*" },
    ]
  })
}
resource "aws_glue_job" "this" {
  for_each          = var.jobs
  name              = "${local.id}-${each.key}"
  role_arn          = aws_iam_role.glue.arn
  number_of_workers = each.value.workers
  worker_type       = "G.1X"
  glue_version      = "4.0"
  command {
    script_location = "s3://${aws_s3_bucket.artifacts.bucket}/scripts/${each.value.script}"
  }
  default_arguments = {
    "--TempDir" = "s3://${aws_s3_bucket.artifacts.bucket}/tmp/${each.key}/"
  }
}
