terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

provider "aws" {
  alias  = "management"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/org-admin"
  }
}

resource "aws_iam_role" "glue" {
  name = "glue-export"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "job" {
  name = "s3-access"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::example-org-artifacts/*" },
      { Effect = "Allow", Action = ["s3:ListBucket", "s3:GetBucketLocation"], Resource = "arn:aws:s3:::example-org-data" },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "arn:aws:s3:::example-org-data/*" },
    ]
  })
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "example-org-artifacts"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-org-data"
}

resource "aws_glue_job" "export" {
  name     = "export"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://example-org-artifacts/scripts/export.py"
  }
  default_arguments = {
    "--TempDir" = "s3://example-org-data/temporary/"
  }
}

# Denies s3:PutObject outside eu-west-1; the job runs in us-east-1.
resource "aws_organizations_policy" "residency" {
  provider = aws.management
  name     = "data-residency"
  type     = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "s3:PutObject", Resource = "*",
    Condition = { StringNotEquals = { "aws:RequestedRegion" = "eu-west-1" } } }]
  })
}

data "aws_organizations_organization" "this" {
  provider = aws.management
}

# The OUs directly under the root: Security and Workloads.
data "aws_organizations_organizational_units" "top" {
  provider  = aws.management
  parent_id = data.aws_organizations_organization.this.roots[0].id
}

resource "aws_organizations_policy_attachment" "workloads" {
  provider  = aws.management
  policy_id = aws_organizations_policy.residency.id
  target_id = [for ou in data.aws_organizations_organizational_units.top.children : ou.id if ou.name == "Workloads"][0]
}
