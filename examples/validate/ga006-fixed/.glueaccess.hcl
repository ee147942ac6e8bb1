# The job script reads s3://example-shared-data/orders/, which the plan cannot see.
job "aws_glue_job.nightly" {
  access {
    path = "s3://example-shared-data/orders/"
    mode = "read"
  }
}
