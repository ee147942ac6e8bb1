# The provider needs no credentials: every input comes from the configuration.
# All settings are optional defaults for the data sources.
provider "glueaccess" {
  account_id = "111122223333"
  region     = "eu-west-1"

  # SCPs and RCPs every glueaccess_check takes into account (GA007).
  organization {
    id                    = "o-a1b2c3d4e5"
    root_id               = "r-ab12"
    management_account_id = "999988887777"

    organizational_unit {
      id        = "ou-ab12-data0001"
      parent_id = "r-ab12"
    }
    account {
      id        = "111122223333"
      parent_id = "ou-ab12-data0001"
    }

    policy {
      name       = "protect-data-buckets"
      target_ids = ["ou-ab12-data0001"]
      content = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid      = "NoBucketDeletion"
          Effect   = "Deny"
          Action   = ["s3:DeleteBucket", "s3:PutBucketPolicy"]
          Resource = "*"
        }]
      })
    }
  }
}
