package access

import "encoding/json"

// CheckID is one of the seven conditions.
type CheckID string

// The seven conditions (docs/model.md#the-seven-conditions).
const (
	GA001 CheckID = "GA001" // identity policy or permissions boundary
	GA002 CheckID = "GA002" // bucket policy
	GA003 CheckID = "GA003" // object ownership
	GA004 CheckID = "GA004" // VPC endpoint policy
	GA005 CheckID = "GA005" // KMS
	GA006 CheckID = "GA006" // Requester Pays
	GA007 CheckID = "GA007" // SCP / RCP
)

// Titles are the short names of the checks (SARIF rule names).
var Titles = map[CheckID]string{
	GA001: "role-s3-permissions",
	GA002: "bucket-policy",
	GA003: "object-ownership",
	GA004: "vpc-endpoint-policy",
	GA005: "kms-permissions",
	GA006: "requester-pays",
	GA007: "organizations-policies",
}

// Verdict of a finding.
type Verdict string

// Finding verdicts. Passes are not findings.
const (
	Deny        Verdict = "deny"
	UnknownVerd Verdict = "unknown"
)

// JobVerdict is the verdict of a whole job.
type JobVerdict string

// Job verdicts: denied if any finding denies, else unknown if any finding is
// unknown, else allowed.
const (
	JobAllowed JobVerdict = "allowed"
	JobDenied  JobVerdict = "denied"
	JobUnknown JobVerdict = "unknown"
)

// Reason codes: the stable findings[].reason values (docs/validate.md#json-contract-version-1).
const (
	ReasonNoAllow               = "no-allow"
	ReasonExplicitDeny          = "explicit-deny"
	ReasonBoundaryMissing       = "boundary-missing"
	ReasonWrongARNShape         = "wrong-arn-shape"
	ReasonRoleNotInPlan         = "role-not-in-plan"
	ReasonRoleARNUnknown        = "role-arn-unknown"
	ReasonUnresolvedPolicies    = "unresolved-policies"
	ReasonPolicyUnknown         = "policy-unknown"
	ReasonInvalidPolicy         = "invalid-policy"
	ReasonLocationUnknown       = "location-unknown"
	ReasonUnsupportedEndpoint   = "unsupported-s3-endpoint-kind"
	ReasonCrossAccountNoAllow   = "cross-account-no-allow"
	ReasonRestrictPublicBuckets = "restrict-public-buckets"
	ReasonServicePrincipalOnly  = "service-principal-only"
	ReasonVPCECondition         = "vpce-condition"
	ReasonSSECondition          = "sse-condition"
	ReasonNotPrincipalSession   = "notprincipal-session"
	ReasonBucketNotInPlan       = "bucket-not-in-plan"
	ReasonBucketPolicyUnmanaged = "bucket-policy-unmanaged"
	ReasonConditionUnknown      = "condition-key-unknown"
	ReasonWriterOwnedObjects    = "writer-owned-objects"
	ReasonACLRequiredNotSent    = "acl-required-not-sent"
	ReasonPutObjectACLMissing   = "putobjectacl-missing"
	ReasonOwnershipUnmanaged    = "ownership-unmanaged"
	ReasonEndpointDenies        = "endpoint-denies"
	ReasonEndpointNoAllow       = "endpoint-no-allow"
	ReasonRoutingUnknown        = "routing-unknown"
	ReasonIAMNoKMS              = "iam-no-kms"
	ReasonKeyPolicyNoAllow      = "keypolicy-no-allow"
	ReasonCrossAccountKey       = "cross-account-key"
	ReasonEncryptionContext     = "encryption-context-mismatch"
	ReasonAWSManagedKeyCross    = "aws-managed-key-cross-account"
	ReasonKeyUnknown            = "key-unknown"
	ReasonNoRequestPayerHeader  = "no-request-payer-header"
	ReasonGlueLoaderRP          = "glue-loader-requester-pays"
	ReasonAccountUnknown        = "account-unknown"
	ReasonSCPDeny               = "scp-deny"
	ReasonSCPNoAllowAtLevel     = "scp-no-allow-at-level"
	ReasonRCPDeny               = "rcp-deny"
	ReasonOrgStructureUnknown   = "org-structure-unknown"
)

// JobReport is the outcome of Check for one job.
type JobReport struct {
	Job     string     `json:"job"` // the job's address
	Verdict JobVerdict `json:"verdict"`
	// Findings are deny and unknown findings, ordered by ID, then verdict
	// (deny first), then reason, then the first need.
	Findings []Finding `json:"findings"`
	// Needs are every S3 and KMS request the job was found to make, in a stable
	// order, for transparency.
	Needs []Need `json:"needs"`
	// Assumptions made while deciding; they do not make the job unknown.
	Assumptions []Assumption `json:"assumptions,omitempty"`
	// Notes are informational remarks (candidate s3:// values in custom
	// arguments, a recommended action not known to be allowed).
	Notes []string `json:"notes,omitempty"`
	// ActionGaps are the recommended and advisory requests the policies do
	// not allow, sorted: the job runs without them.
	ActionGaps []ActionGap `json:"action_gaps,omitempty"`
}

// ActionGap is a request the job may make but does not need (Need.Required
// false) that the policies do not allow.
type ActionGap struct {
	// Kind is "recommended", or "advisory" for kms:Encrypt, which S3 never
	// calls (docs/model.md#kms-needs).
	Kind     string `json:"kind"`
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// Decision is the IAM decision ("ImplicitlyDenied", "ExplicitlyDenied")
	// and Layer the layer that reached it ("identity", "resource", ...).
	Decision string `json:"decision"`
	Layer    string `json:"layer"`
}

// Assumption is something taken as true without evidence.
type Assumption struct {
	Code string `json:"code"` // "no-org-data", "object-encrypted-with-bucket-default", "conf-propagation", ...
	Text string `json:"text"`
}

// Finding is one reason the job would be denied (or might be).
type Finding struct {
	ID      CheckID `json:"id"`
	Title   string  `json:"title"`
	Verdict Verdict `json:"verdict"`
	Job     string  `json:"job"`
	// Needs are the requests this finding is about; findings about the same
	// layer and statement are grouped, so one finding may list several.
	Needs []Need `json:"needs"`
	// Because says why, in AWS's words: "role glue-etl would not be authorized
	// to perform s3:GetObject on arn:aws:s3:::sales/in/* because no
	// identity-based policy allows the s3:GetObject action".
	Because string `json:"because"`
	// DecidedBy is the statement (explicit deny, or the policy lacking an
	// allow, with Index -1) that decided; nil for structural findings.
	DecidedBy *PolicyRef `json:"decided_by,omitempty"`
	// Missing lists, for unknown findings, the exact facts that are missing
	// and how to supply them.
	Missing []Missing `json:"missing,omitempty"`
	Reason  string    `json:"reason"`
	Fix     *Fix      `json:"fix,omitempty"`
}

// PolicyRef names a policy statement.
type PolicyRef struct {
	// Layer is identity, boundary, resource (bucket policy), kms-key-policy,
	// kms-grant, vpc-endpoint, scp, rcp, or a setting layer
	// (LayerObjectOwnership, LayerRequesterPays). Describe renders it.
	Layer string `json:"layer"`
	// Level is the position of Node on the known part of the account's path
	// for scp/rcp, root first: 0 is the root when the root is known, else the
	// topmost known node (Node is the stable way to name the level).
	Level int `json:"level,omitempty"`
	// Node is the organization node id for scp/rcp.
	Node string `json:"node,omitempty"`
	// Policy is the policy's label (a Terraform address or managed policy ARN).
	Policy string `json:"policy"`
	// Index is the 0-based statement index; -1 when no statement decided (a
	// missing allow).
	Index int    `json:"index"`
	Sid   string `json:"sid,omitempty"`
}

// Missing is one fact that is needed and not known.
type Missing struct {
	Fact string `json:"fact"` // "owner account of bucket raw-zone"
	How  string `json:"how"`  // "declare it in .glueaccess.hcl: bucket \"raw-zone\" { owner_account = \"...\" }"
}

// Need origins: where a need comes from.
const (
	OriginLibrary  = "library-read"
	OriginDataRead = "data-read"
	OriginWrite    = "data-write"
	OriginTemp     = "temp"
	OriginLog      = "log-write"
	// OriginDelete is a location whose objects the job deletes
	// (purge_s3_path: "Deletes files from the specified Amazon S3 path
	// recursively", AWS Glue Developer Guide, "GlueContext class").
	OriginDelete = "data-delete"
)

// Need is one request the job will make.
type Need struct {
	Action   string `json:"action"`   // "s3:GetObject", "kms:Decrypt"
	Resource string `json:"resource"` // ARN
	// URL is the S3 URL the need comes from (for KMS needs, the S3 location
	// whose encryption needs the key).
	URL    string `json:"url,omitempty"`
	Bucket string `json:"bucket,omitempty"`
	// Prefix is the key or prefix ("" for the whole bucket); IsPrefix says
	// whether it names a prefix.
	Prefix   string `json:"prefix,omitempty"`
	IsPrefix bool   `json:"is_prefix,omitempty"`
	Intent   string `json:"intent"` // library-read, data-read, data-write, temp, log-write
	// Required is false for recommended actions: their gaps are notes only.
	Required bool `json:"required"`
	// Why is a sentence: "--TempDir s3://tmp-bkt/glue/ from aws_glue_job.etl
	// default_arguments".
	Why string `json:"why"`
	// Key is the KMS key ARN for kms needs.
	Key string `json:"key,omitempty"`
	// Unknown names the values known only after apply that end the
	// object's key; Resource then shows them as ${...} after Prefix.
	Unknown string `json:"unknown,omitempty"`
	// Source says where the need was found (the job's definition, a
	// declaration, a line of its script); reports group needs by it.
	Source SourceKind `json:"source,omitempty"`
}

// Fix targets: which layer (or setting) a fix changes.
const (
	TargetIdentity       = "identity"        // add Statement to a new inline policy on the role
	TargetBoundary       = "boundary"        // add Statement to the permissions boundary document
	TargetBucketPolicy   = "bucket-policy"   // add Statement to (or create) the bucket policy
	TargetEndpointPolicy = "endpoint-policy" // add Statement to the VPC endpoint policy
	TargetKeyPolicy      = "key-policy"      // add Statement to the key policy
	TargetSCP            = "scp"             // add Statement as an SCP at Node
	TargetRCP            = "rcp"
	TargetJobArgument    = "job-argument"   // set Setting on the job's default_arguments
	TargetBucketSetting  = "bucket-setting" // set Setting on the bucket
)

// Fix operations.
const (
	// OpAddStatement appends Statement to the target policy (creating it if
	// the layer has none).
	OpAddStatement = "add-statement"
	// OpExemptPrincipal rewrites the Deny statement at Policy/Index so it no
	// longer applies to the job's role: the role ARN is added to the Deny's
	// negated aws:PrincipalArn list (ArnNotEquals, ArnNotLike, StringNotEquals,
	// StringNotLike), or removed from its positive list (ArnEquals, ArnLike,
	// StringEquals, StringLike), or else an ArnNotEquals aws:PrincipalArn
	// condition is added. Statements holds the resulting statement.
	OpExemptPrincipal = "exempt-principal"
	// OpRemoveStatement removes the Deny statement at Policy/Index, which
	// applies to the job's role only (its positive aws:PrincipalArn condition
	// names nothing else). Statements is empty; Index counts statements of
	// the policy before any fix.
	OpRemoveStatement = "remove-statement"
	// OpSetArgument sets a job argument (Setting.Name = key, Setting.Value).
	OpSetArgument = "set-argument"
	// OpSetBucket sets a bucket attribute (Setting.Name = object_ownership or
	// request_payer).
	OpSetBucket = "set-bucket"
)

// Fix is the minimal change for the blocking layer, machine-applicable with
// ApplyFix.
type Fix struct {
	Target string `json:"target"`
	Op     string `json:"op"`
	// Resource says where to put it: "aws_iam_role.glue", "aws_s3_bucket_policy
	// for bucket raw-zone", "aws_kms_key.data", an organization node id.
	Resource string `json:"resource"`
	// Policy and Index name the existing policy and statement the fix changes
	// (OpExemptPrincipal, OpRemoveStatement) or the policy to extend (OpAddStatement; empty when
	// a new policy is created).
	Policy string `json:"policy,omitempty"`
	Index  int    `json:"index,omitempty"`
	// Node is the organization node for SCP/RCP fixes.
	Node string `json:"node,omitempty"`
	// Bucket and Key name the bucket or KMS key ARN a fix is on.
	Bucket string `json:"bucket,omitempty"`
	Key    string `json:"key,omitempty"`
	// Statements are the policy statements to add (OpAddStatement), or the
	// one rewritten statement (OpExemptPrincipal), as JSON.
	Statements []json.RawMessage `json:"statements,omitempty"`
	// HCL is the equivalent aws_iam_policy_document statement blocks.
	HCL     string   `json:"hcl,omitempty"`
	Setting *Setting `json:"setting,omitempty"`
	// Text explains the fix in one sentence.
	Text string `json:"text"`
}

// Setting is a name = value change.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
