# Would the job's role be allowed to read an object of a bucket in another
# account, through a VPC endpoint, under the organization's SCPs?
data "glueaccess_policy_simulation" "read_shared" {
  principal        = "arn:aws:iam::111122223333:role/glue-etl"
  action           = "s3:GetObject"
  resource         = "arn:aws:s3:::shared-data/exports/2024/01.parquet"
  resource_account = "444455556666"
  context = {
    "aws:SourceVpce" = ["vpce-0a1b2c3d4e5f67890"]
  }

  identity_policies = [jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "ReadShared", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::shared-data/*" }]
  })]

  resource_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GlueFromAccountA"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/glue-etl" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::shared-data/*"
    }]
  })

  scp_levels = [
    [jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })],
    [jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "*", Resource = "*" },
        { Sid = "StayInVpc", Effect = "Deny", Action = "s3:*", Resource = "*",
        Condition = { Null = { "aws:SourceVpce" = "true" } } },
      ]
    })],
  ]

  vpc_endpoint_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::shared-data", "arn:aws:s3:::shared-data/*"]
    }]
  })
}

output "read_shared" {
  value = data.glueaccess_policy_simulation.read_shared.message
}
