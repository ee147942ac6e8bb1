# Inside a check block the outcome is a warning: plan and apply go on, and the
# warning names each finding and its fix. Errors of a data source scoped to the
# check block are reported as warnings too, so the default fail_on works here.
check "glue_job_can_reach_its_data" {
  data "glueaccess_check" "archive" {
    job {
      name            = "archive"
      role_arn        = "arn:aws:iam::111122223333:role/glue-archive"
      script_location = "s3://etl-artifacts/jobs/archive.py"
      region          = "eu-west-1"

      connection {
        name      = "private-subnet"
        subnet_id = "subnet-0a1b2c3d4e5f67890"
      }
    }

    role {
      policies = [jsonencode({
        Version = "2012-10-17"
        Statement = [
          { Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::etl-artifacts/jobs/*" },
          { Sid = "ListArchive", Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::archive-zone" },
          { Sid = "WriteArchive", Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource = "arn:aws:s3:::archive-zone/*" },
        ]
      })]
    }

    bucket {
      name = "etl-artifacts"
    }
    bucket {
      name = "archive-zone"
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid       = "OnlyThroughTheEndpoint"
          Effect    = "Deny"
          Principal = "*"
          Action    = "s3:*"
          Resource  = ["arn:aws:s3:::archive-zone", "arn:aws:s3:::archive-zone/*"]
          Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890" } }
        }]
      })
    }

    vpc_endpoint {
      id     = "vpce-0a1b2c3d4e5f67890"
      vpc_id = "vpc-0a1b2c3d4e5f67890"
    }

    access {
      path = "s3://archive-zone/"
      mode = "write"
    }
  }

  assert {
    condition     = data.glueaccess_check.archive.allowed
    error_message = join("\n", data.glueaccess_check.archive.summary)
  }
}
