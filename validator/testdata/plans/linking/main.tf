# Every link the validator follows when values are unknown until apply:
# job → role (reference) → inline, attached customer and AWS managed policies,
# boundary; job → connection (reference) → subnet → route table → endpoint;
# job → security configuration → KMS key (and its alias); bucket → default
# encryption key; SCP attachment → account from aws_caller_identity.

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

data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "boundary" {
  name = "glue-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "kms:*"], Resource = "*" }]
  })
}

resource "aws_iam_role" "glue" {
  name                 = "glue-linked"
  path                 = "/jobs/"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_policy" "data" {
  name = "glue-data"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "arn:aws:s3:::example-linked-data/*" }]
  })
}

resource "aws_iam_role_policy_attachment" "data" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.data.arn
}

resource "aws_iam_role_policy_attachment" "service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_iam_role_policy" "list" {
  name = "list"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:ListBucket", "kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" }]
  })
}

resource "aws_s3_bucket" "data" {
  bucket = "example-linked-data"
}

resource "aws_kms_key" "data" {
  description = "linked data key"
}

resource "aws_kms_alias" "data" {
  name          = "alias/glue-linked"
  target_key_id = aws_kms_key.data.key_id
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_glue_security_configuration" "kms" {
  name = "sc-linked"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "DISABLED"
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.data.arn
    }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "glue" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "glue" {
  subnet_id      = aws_subnet.glue.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_glue_connection" "net" {
  name            = "linked-net"
  connection_type = "NETWORK"
  physical_connection_requirements {
    availability_zone      = "eu-west-1a"
    subnet_id              = aws_subnet.glue.id
    security_group_id_list = ["sg-0123456789abcdef0"]
  }
}

resource "aws_glue_job" "linked" {
  name                   = "linked"
  role_arn               = aws_iam_role.glue.arn
  security_configuration = aws_glue_security_configuration.kms.name
  connections            = [aws_glue_connection.net.name]
  command {
    script_location = "s3://example-linked-data/scripts/linked.py"
  }
  default_arguments = {
    "--TempDir" = "s3://example-linked-data/temporary/"
  }
  tags = {
    "glueaccess:read" = "s3://example-linked-data/input/"
  }
}

resource "aws_organizations_policy" "guard" {
  name = "guard"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "s3:PutObjectAcl", Resource = "*" }]
  })
}

resource "aws_organizations_policy_attachment" "account" {
  policy_id = aws_organizations_policy.guard.id
  target_id = data.aws_caller_identity.current.account_id
}


# The bucket relaxes one Block Public Access setting; the others keep the
# resource's defaults (false), not the defaults of a bucket without it.
resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  restrict_public_buckets = false
  block_public_policy     = true
}
