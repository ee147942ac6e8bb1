package report

// DocsURL is where the rule documentation lives; rule help URIs point at
// anchors of docs/validate.md.
const DocsURL = "https://github.com/glueaccess/terraform-provider-glueaccess/blob/main/docs/validate.md"

// Rule describes one condition GA001..GA007.
type Rule struct {
	ID    string
	Name  string
	Short string
	Help  string
}

// HelpURI returns the rule's documentation link.
func (r Rule) HelpURI() string { return DocsURL + "#" + lower(r.ID) }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Rules are the seven conditions in id order.
var Rules = []Rule{
	{"GA001", "role-s3-permissions", "The Glue job's IAM role lacks the S3 permissions it needs.",
		"No identity-based policy of the job role allows the action on the resource, an identity policy or the permissions boundary denies it, or the boundary does not allow it. Fix: add a statement to the role (object actions on bucket/prefix*, s3:ListBucket on the bucket ARN with an s3:prefix condition, s3:GetBucketLocation in its own statement)."},
	{"GA002", "bucket-policy", "The bucket policy denies the job, or does not allow a cross-account job.",
		"A Deny statement of the bucket policy matches the request (network perimeter on aws:SourceVpce, encryption headers, principal perimeter), or the bucket is in another account and its policy does not allow the role. Fix: allow the role in the bucket policy, exempt it from the Deny, or change the job (VPC connection, security configuration) to meet the condition."},
	{"GA003", "object-ownership", "Objects are owned by another account than the bucket owner.",
		"With ACLs enabled, objects written by another account belong to that account and bucket policy allows do not apply to them; a bucket policy may also require bucket-owner-full-control. Fix: set Object Ownership to BucketOwnerEnforced, or have writers send bucket-owner-full-control (and allow s3:PutObjectAcl)."},
	{"GA004", "vpc-endpoint-policy", "The S3 VPC endpoint the job's traffic uses does not allow the request.",
		"The job runs in a subnet whose route table sends S3 traffic through a VPC endpoint whose policy does not allow the action on the bucket, or restricts principals. Fix: add the buckets and actions the job needs to the endpoint policy."},
	{"GA005", "kms-permissions", "The job cannot use the KMS key that encrypts the data.",
		"SSE-KMS objects need kms:Decrypt (reads) and kms:GenerateDataKey plus kms:Decrypt (writes): the key policy must allow the role (directly, or by root delegation together with an IAM allow), and cross-account both must allow. Fix: add a kms statement to the role and, where needed, to the key policy."},
	{"GA006", "requester-pays", "The bucket is Requester Pays and the job does not send x-amz-request-payer.",
		"Requests from another account to a Requester Pays bucket need the requester-pays header. Fix: set --conf spark.hadoop.fs.s3.useRequesterPaysHeader=true on the job, or turn Requester Pays off."},
	{"GA007", "organizations-policies", "An SCP or RCP denies the request.",
		"A service control policy on the role's account path denies the action or no SCP allows it at some level, or a resource control policy on the bucket's (or key's) account path denies it. Fix: add an exception for the role or allow the actions at every level."},
}

// RuleByID returns the rule with an id.
func RuleByID(id string) (Rule, int, bool) {
	for i, r := range Rules {
		if r.ID == id {
			return r, i, true
		}
	}
	return Rule{}, -1, false
}
