# Log group for a Glue job's continuous logging; a local module so the
# harness's `terraform get` step is exercised.

variable "job_name" {
  type = string
}

variable "retention_in_days" {
  type    = number
  default = 30
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws-glue/jobs/${var.job_name}"
  retention_in_days = var.retention_in_days
}

output "arn" {
  value = aws_cloudwatch_log_group.this.arn
}
