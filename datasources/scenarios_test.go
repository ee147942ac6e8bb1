package datasources_test

// The seven denials of the test world, each with the change that fixes it.
// denied and fixed share everything else, so a passing "fixed" run proves the
// denial came from exactly that condition.
type scenario struct {
	denied, fixed world
	// id and fix are what the error diagnostic must name: the check id and a
	// distinctive part of the fix text.
	id, fix string
}

// roleWithoutDelete is fullRolePolicy minus s3:DeleteObject on the target: the
// classic "writes granted only PutObject" defect.
const roleWithoutDelete = `jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Locate", Effect = "Allow", Action = "s3:GetBucketLocation", Resource = "*" },
      { Sid = "List", Effect = "Allow", Action = ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
        Resource = ["arn:aws:s3:::etl-artifacts", "arn:aws:s3:::etl-scratch", "arn:aws:s3:::raw-zone", "arn:aws:s3:::curated-zone"] },
      { Sid = "ReadScript", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::etl-artifacts/jobs/*" },
      { Sid = "Temp", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource = "arn:aws:s3:::etl-scratch/tmp/*" },
      { Sid = "ReadSource", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::raw-zone/orders/*" },
      { Sid = "WriteTarget", Effect = "Allow", Action = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource = "arn:aws:s3:::curated-zone/orders/*" },
    ]
  })`

// vpceOnlyPolicy denies raw-zone to every request not through vpce-0a1b2c3d.
const vpceOnlyPolicy = `policy = jsonencode({
      Statement = [{
        Sid = "DenyOutsideVpce", Effect = "Deny", Principal = "*", Action = "s3:*"
        Resource  = ["arn:aws:s3:::raw-zone", "arn:aws:s3:::raw-zone/*"]
        Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d" } }
      }]
    })`

// vpcJob places the job in a subnet that routes S3 through vpce-0a1b2c3d.
const vpcJob = `connection {
      name      = "vpc-net"
      subnet_id = "subnet-0a1b2c3d"
    }`

func endpoint(policy string) string {
	return `vpc_endpoint {
    id     = "vpce-0a1b2c3d"
    vpc_id = "vpc-0a1b2c3d"
    ` + policy + `
  }`
}

// endpointRawOnly lets only raw-zone, the script and temp buckets through.
const endpointRawOnly = `policy = jsonencode({
      Statement = [{ Sid = "KnownBuckets", Effect = "Allow", Principal = "*", Action = "s3:*",
        Resource = ["arn:aws:s3:::raw-zone", "arn:aws:s3:::raw-zone/*", "arn:aws:s3:::etl-scratch", "arn:aws:s3:::etl-scratch/*", "arn:aws:s3:::etl-artifacts", "arn:aws:s3:::etl-artifacts/*"] }]
    })`

const endpointAll = `policy = jsonencode({
      Statement = [{ Sid = "GlueBuckets", Effect = "Allow", Principal = "*", Action = "s3:*",
        Resource = ["arn:aws:s3:::raw-zone", "arn:aws:s3:::raw-zone/*", "arn:aws:s3:::etl-scratch", "arn:aws:s3:::etl-scratch/*", "arn:aws:s3:::etl-artifacts", "arn:aws:s3:::etl-artifacts/*", "arn:aws:s3:::curated-zone", "arn:aws:s3:::curated-zone/*"] }]
    })`

// crossAccountCurated makes curated-zone a bucket of account B that grants
// the role, optionally requiring the bucket-owner-full-control ACL.
func crossAccountCurated(extraStatements string) string {
	return `owner_account    = "444455556666"
    object_ownership = "BucketOwnerPreferred"
    policy = jsonencode({
      Statement = [
        { Sid = "GlueJob", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/glue-etl" },
          Action = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource = "arn:aws:s3:::curated-zone" },
        { Sid = "GlueJobObjects", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/glue-etl" },
          Action = ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource = "arn:aws:s3:::curated-zone/*" },
        ` + extraStatements + `
      ]
    })`
}

const requireOwnerACL = `{ Sid = "RequireOwnerFullControl", Effect = "Deny", Principal = "*", Action = "s3:PutObject",
          Resource = "arn:aws:s3:::curated-zone/*",
          Condition = { StringNotEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } } },`

// roleWithPutACL adds s3:PutObjectAcl on the target to the full policy.
const roleWithPutACL = `jsonencode({
    Version = "2012-10-17"
    Statement = concat(jsondecode(` + fullRolePolicy + `).Statement, [
      { Sid = "WriteAcl", Effect = "Allow", Action = "s3:PutObjectAcl", Resource = ["arn:aws:s3:::curated-zone/orders/*", "arn:aws:s3:::etl-scratch/tmp/*"] },
    ])
  })`

// roleWithKMS adds kms:Decrypt on the data key to the full policy.
const roleWithKMS = `jsonencode({
    Version = "2012-10-17"
    Statement = concat(jsondecode(` + fullRolePolicy + `).Statement, [
      { Sid = "UseDataKey", Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    ])
  })`

func kmsKey(policy string) string {
	return `kms_key {
    arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ` + policy + `
  }`
}

// adminsOnlyKeyPolicy has no root delegation and does not name the job's role.
const adminsOnlyKeyPolicy = `policy = jsonencode({
      Statement = [{ Sid = "AdminsOnly", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/admin" }, Action = "kms:*", Resource = "*" }]
    })`

const rootDelegationKeyPolicy = `policy = jsonencode({
      Statement = [
        { Sid = "AdminsOnly", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/admin" }, Action = "kms:*", Resource = "*" },
        { Sid = "EnableIAM", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      ]
    })`

// requesterPaysRaw makes raw-zone a Requester Pays bucket of account B that
// grants the role read access.
const requesterPaysRaw = `owner_account  = "444455556666"
    requester_pays = true
    policy = jsonencode({
      Statement = [
        { Sid = "GlueJob", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/glue-etl" },
          Action = ["s3:ListBucket", "s3:GetBucketLocation"], Resource = "arn:aws:s3:::raw-zone" },
        { Sid = "GlueJobObjects", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/glue-etl" },
          Action = "s3:GetObject", Resource = "arn:aws:s3:::raw-zone/*" },
      ]
    })`

// organization puts account A under an OU whose SCP denies S3 outside the
// VPC endpoint; exempt adds the job's role as an exception.
func organization(exempt bool) string {
	condition := `{ StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d" } }`
	if exempt {
		condition = `{ StringNotEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d" }, ArnNotEquals = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/glue-etl" } }`
	}
	return `organization {
    root_id = "r-ab12"
    organizational_unit {
      id        = "ou-ab12-data0001"
      parent_id = "r-ab12"
    }
    account {
      id        = "111122223333"
      parent_id = "ou-ab12-data0001"
    }
    policy {
      name       = "data-perimeter"
      target_ids = ["ou-ab12-data0001"]
      content = jsonencode({
        Statement = [{ Sid = "DenyS3OutsideVpce", Effect = "Deny", Action = "s3:*", Resource = "*",
          Condition = ` + condition + ` }]
      })
    }
  }`
}

var scenarios = map[string]scenario{
	"GA001 identity policy lacks s3:DeleteObject on the target": {
		denied: world{rolePolicy: roleWithoutDelete},
		fixed:  world{},
		id:     "GA001", fix: "s3:DeleteObject",
	},
	"GA002 bucket policy denies requests outside the VPC endpoint": {
		denied: world{raw: vpceOnlyPolicy},
		fixed:  world{raw: vpceOnlyPolicy, jobExtra: vpcJob, extra: endpoint("")},
		id:     "GA002", fix: "aws:PrincipalArn",
	},
	"GA003 cross-account target requires bucket-owner-full-control": {
		denied: world{curated: crossAccountCurated(requireOwnerACL)},
		fixed: world{curated: crossAccountCurated(requireOwnerACL), rolePolicy: roleWithPutACL,
			jobExtra: `non_overridable_arguments = { "--conf" = "spark.hadoop.fs.s3.canned.acl=BucketOwnerFullControl" }`},
		id: "GA003", fix: "bucket-owner-full-control ACL",
	},
	"GA004 VPC endpoint policy omits the target bucket": {
		denied: world{jobExtra: vpcJob, extra: endpoint(endpointRawOnly)},
		fixed:  world{jobExtra: vpcJob, extra: endpoint(endpointAll)},
		id:     "GA004", fix: "curated-zone",
	},
	"GA005 key policy neither delegates to IAM nor names the role": {
		denied: world{raw: `kms_key_arn = "` + keyARN + `"`, rolePolicy: roleWithKMS, extra: kmsKey(adminsOnlyKeyPolicy)},
		fixed:  world{raw: `kms_key_arn = "` + keyARN + `"`, rolePolicy: roleWithKMS, extra: kmsKey(rootDelegationKeyPolicy)},
		id:     "GA005", fix: "kms:Decrypt",
	},
	"GA006 Requester Pays source without the request-payer header": {
		denied: world{raw: requesterPaysRaw},
		fixed: world{raw: requesterPaysRaw,
			jobExtra: `non_overridable_arguments = { "--conf" = "spark.hadoop.fs.s3.useRequesterPaysHeader=true" }`},
		id: "GA006", fix: "useRequesterPaysHeader",
	},
	"GA007 SCP on the account's OU denies S3 outside the VPC endpoint": {
		denied: world{extra: organization(false)},
		fixed:  world{extra: organization(true)},
		id:     "GA007", fix: "glue-etl",
	},
}
