# A data perimeter on the organization: the shared bucket of another account
# denies every principal outside the organization's data OU. With the
# organization's id and tree, aws:PrincipalOrgID and aws:PrincipalOrgPaths
# are decided; without `id` they stay unknown and the check says so.
data "glueaccess_check" "ingest" {
  job {
    name            = "ingest"
    role_arn        = "arn:aws:iam::111122223333:role/glue-ingest"
    script_location = "s3://etl-artifacts/jobs/ingest.py"
    region          = "eu-west-1"
  }

  role {
    policies = [jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::etl-artifacts/jobs/*" },
        { Sid = "ListShared", Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::shared-landing" },
        { Sid = "ReadShared", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::shared-landing/exports/*" },
      ]
    })]
  }

  bucket {
    name = "etl-artifacts"
  }
  bucket {
    name          = "shared-landing"
    owner_account = "444455556666"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "ReadByTheOrganization"
          Effect    = "Allow"
          Principal = "*"
          Action    = ["s3:GetObject", "s3:ListBucket"]
          Resource  = ["arn:aws:s3:::shared-landing", "arn:aws:s3:::shared-landing/*"]
          Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
        },
        {
          Sid       = "OnlyTheDataOU"
          Effect    = "Deny"
          Principal = "*"
          Action    = "s3:*"
          Resource  = ["arn:aws:s3:::shared-landing", "arn:aws:s3:::shared-landing/*"]
          Condition = { "ForAllValues:StringNotLike" = { "aws:PrincipalOrgPaths" = "o-a1b2c3d4e5/r-ab12/ou-ab12-data0001/*" } }
        },
      ]
    })
  }

  organization {
    id      = "o-a1b2c3d4e5"
    root_id = "r-ab12"

    organizational_unit {
      id        = "ou-ab12-data0001"
      parent_id = "r-ab12"
    }
    account {
      id        = "111122223333"
      parent_id = "ou-ab12-data0001"
    }
    account {
      id        = "444455556666"
      parent_id = "r-ab12"
    }
  }

  access {
    path = "s3://shared-landing/exports/"
    mode = "read"
  }
}
