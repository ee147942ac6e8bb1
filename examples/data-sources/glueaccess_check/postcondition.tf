# fail_on = "never" only sets the outputs; the postcondition decides, and its
# error message lists every finding with its fix.
data "glueaccess_check" "reporting" {
  fail_on = "never"

  job {
    name            = "reporting"
    role_arn        = "arn:aws:iam::111122223333:role/glue-reporting"
    script_location = "s3://etl-artifacts/jobs/reporting.py"
  }

  role {
    policies = [jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::etl-artifacts/jobs/*" },
        { Sid = "ListSales", Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::sales-data" },
        { Sid = "ReadSales", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::sales-data/2024/*" },
      ]
    })]
  }

  bucket {
    name = "etl-artifacts"
  }
  bucket {
    name = "sales-data"
  }

  access {
    path = "s3://sales-data/2024/"
    mode = "read"
  }

  lifecycle {
    postcondition {
      condition     = self.allowed
      error_message = join("\n", self.summary)
    }
  }
}
