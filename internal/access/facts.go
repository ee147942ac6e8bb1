// Package access is the Glue access model: given the facts about one AWS Glue
// job and everything around it (its role, the buckets and KMS keys it touches,
// its network placement, the organization's SCPs and RCPs, declared data paths),
// it derives every S3 and KMS request the job will make and decides, for each of
// the seven conditions GA001..GA007, whether the job would get 403 Access Denied,
// why, and the smallest change that fixes it.
//
// Facts are independent of where they came from (a Terraform plan, a
// configuration file, data-source arguments, live AWS). Every value carries its
// provenance and whether it is known. An absent or unknown fact is never
// permissive: the decisions that depend on it become unknown, naming the fact.
package access

import (
	"fmt"
	"strconv"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// Provenance says where a fact value came from, for evidence in findings.
// Fill the fields that apply; String renders them in one phrase.
type Provenance struct {
	// Address is a Terraform address ("aws_glue_job.etl",
	// "module.net.aws_vpc_endpoint.s3[0]").
	Address string `json:"address,omitempty"`
	// Attribute is the attribute of Address ("default_arguments", "policy").
	Attribute string `json:"attribute,omitempty"`
	// File and Line locate a value in a configuration file (.glueaccess.hcl).
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Note is free text for values with no address: "embedded AWS managed
	// policy arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole version v5",
	// "default for a new bucket", "live AWS lookup".
	Note string `json:"note,omitempty"`
}

// String renders the provenance as "aws_glue_job.etl default_arguments",
// "glueaccess.hcl:12", or the note.
func (p Provenance) String() string {
	var s string
	switch {
	case p.Address != "" && p.Attribute != "":
		s = p.Address + " " + p.Attribute
	case p.Address != "":
		s = p.Address
	case p.File != "" && p.Line > 0:
		s = p.File + ":" + strconv.Itoa(p.Line)
	case p.File != "":
		s = p.File
	}
	if p.Note != "" {
		if s == "" {
			return p.Note
		}
		return s + " (" + p.Note + ")"
	}
	return s
}

// IsZero reports whether nothing is recorded: the value was not supplied at all.
func (p Provenance) IsZero() bool { return p == Provenance{} }

// Value is one fact value with its provenance. Known false means the value is
// not known (unknown until apply, or not supplied); V is then meaningless.
// The zero Value is "not supplied"; a non-zero From on an unknown value says
// where the value will come from ("aws_s3_bucket.raw bucket" with a
// bucket_prefix).
type Value[T any] struct {
	V     T          `json:"value"`
	Known bool       `json:"known"`
	From  Provenance `json:"from"`
}

// Known returns a known value with its provenance.
func Known[T any](v T, from Provenance) Value[T] { return Value[T]{V: v, Known: true, From: from} }

// Unknown returns a value that exists but is not known (e.g. computed at
// apply); from says where it will come from.
func Unknown[T any](from Provenance) Value[T] { return Value[T]{From: from} }

// Get returns the value and whether it is known.
func (v Value[T]) Get() (T, bool) { return v.V, v.Known }

// PolicyDoc is a policy document as a fact: its JSON text, where it came from,
// and whether the text is known. A pointer to PolicyDoc that is nil means "no
// such policy" (no bucket policy, no boundary); a PolicyDoc with Known false
// means a policy exists, or may exist, but its text is not known, which makes
// every decision it could change unknown. A known but invalid document is an
// error finding on its address and never lets the job pass.
type PolicyDoc struct {
	// Label names the policy in findings: a Terraform address
	// ("aws_iam_role_policy.glue"), a managed policy ARN, "glueaccess.hcl:12".
	// Empty means From.String().
	Label string     `json:"label,omitempty"`
	JSON  string     `json:"json,omitempty"`
	Known bool       `json:"known"`
	From  Provenance `json:"from"`
	// Leaves, for a document known but for some values, are the ids of the
	// unknown leaves (iam.UnknownLeaf) its JSON holds: the references the
	// values are read through. The engine decides with them three-valued.
	Leaves []string `json:"leaves,omitempty"`
	// shared is set on the documents Check makes itself (AWS managed
	// policies, default key policies): every job that reads one reads the
	// same text, so a Run holds its parse from the first (see Run).
	shared bool
}

// label returns the policy's display label.
func (d *PolicyDoc) label() string {
	if d.Label != "" {
		return d.Label
	}
	if s := d.From.String(); s != "" {
		return s
	}
	return "policy"
}

// Facts are everything known about one Glue job and its surroundings. Build one
// Facts per job; slices may hold facts about unrelated resources (all buckets
// of the plan), Check picks what the job uses.
type Facts struct {
	Job  Job   `json:"job"`
	Role *Role `json:"role,omitempty"` // nil: the role is not known at all (role-not-in-plan)
	// Buckets the job may touch, keyed by name inside each Bucket. A bucket the
	// job needs that is absent here makes its decisions unknown
	// (bucket-not-in-plan).
	Buckets []Bucket `json:"buckets,omitempty"`
	// Keys are the KMS keys in the plan or declared (customer managed and the
	// AWS managed aws/s3 keys when known).
	Keys []KMSKey `json:"keys,omitempty"`
	// Objects are S3 objects the plan writes (aws_s3_object): their real
	// encryption and writer beat the bucket-default assumption.
	Objects []S3Object `json:"objects,omitempty"`
	// Network describes subnets, route tables and S3 VPC endpoints. Nil means no
	// network facts: a job with a VPC connection then has unknown routing.
	Network *Network `json:"network,omitempty"`
	// Org is the organization (SCPs and RCPs). Nil means not visible: GA007 is
	// then a plan-level assumption ("no SCP/RCP restrictions were visible"),
	// not unknown.
	Org *Organization `json:"org,omitempty"`
	// Access are declared data paths the job reads or writes (sources and sinks
	// named in the script, which the plan cannot see).
	Access []AccessPath `json:"access,omitempty"`
	// CatalogTables are the Data Catalog tables the job names (in its
	// arguments or its script); each becomes S3 needs on the table's
	// location and Glue needs on its catalog, database and table ARNs.
	CatalogTables []TableRef `json:"catalog_tables,omitempty"`
	// Catalog holds the Data Catalog and Lake Formation facts the tables
	// are resolved against; nil means none are known.
	Catalog *Catalog `json:"catalog,omitempty"`
	// Crawler, when set, makes the subject an aws_glue_crawler: it has no
	// script or arguments, and its needs are its targets.
	Crawler *Crawler `json:"crawler,omitempty"`
}

// Job is the Glue job itself (aws_glue_job).
type Job struct {
	Address string        `json:"address"` // "aws_glue_job.etl"
	Name    Value[string] `json:"name"`
	// RoleRef is role_arn as configured: an ARN or a role name. Role carries the
	// resolved role.
	RoleRef Value[string] `json:"role_ref"`
	// Command is command[0].name: glueetl, gluestreaming, pythonshell, glueray.
	Command Value[string] `json:"command"`
	// ScriptLocation is command[0].script_location.
	ScriptLocation Value[string] `json:"script_location"`
	// DefaultArguments and NonOverridableArguments are the maps as configured;
	// the effective arguments are the defaults overlaid by the non-overridable
	// ones. An unknown map makes every argument-derived need unknown.
	DefaultArguments        Value[map[string]string] `json:"default_arguments"`
	NonOverridableArguments Value[map[string]string] `json:"non_overridable_arguments"`
	// PartialArguments are arguments of the two maps whose values are known
	// only in part until apply; each stays a need with its unknown part.
	PartialArguments []PartialArgument `json:"partial_arguments,omitempty"`
	// Connections in job order; Glue uses the first with a subnet.
	Connections []Connection `json:"connections,omitempty"`
	// SecurityConfiguration is nil when the job names none.
	SecurityConfiguration *SecurityConfiguration `json:"security_configuration,omitempty"`
	GlueVersion           Value[string]          `json:"glue_version"`
	Region                Value[string]          `json:"region"` // the job's Region
	// Partition is "aws" when empty.
	Partition string `json:"partition,omitempty"`
}

// PartialArgument is a job argument whose value is known only in part at
// plan time: "s3://libs/" followed by the id of an object created by the
// same apply.
type PartialArgument struct {
	Key string `json:"key"` // "--extra-py-files"
	// NonOverridable is set for non_overridable_arguments.
	NonOverridable bool `json:"non_overridable,omitempty"`
	// Prefix is the known text the value starts with ("" when none is known).
	Prefix string `json:"prefix,omitempty"`
	// Leaves are the values known only after apply the argument is built
	// from ("aws_s3_object.wheel.id"), when the configuration names them.
	Leaves []string   `json:"leaves,omitempty"`
	From   Provenance `json:"from"`
}

// Connection is one aws_glue_connection named by the job.
type Connection struct {
	Name string `json:"name"`
	// Found is false when the name is not resolved to a connection (not in the
	// plan and not declared): routing is then unknown if no earlier connection
	// has a subnet.
	Found   bool       `json:"found"`
	Address string     `json:"address,omitempty"`
	From    Provenance `json:"from"`
	// SubnetID is physical_connection_requirements[0].subnet_id; a known empty
	// string means the connection has no network placement.
	SubnetID Value[string] `json:"subnet_id"`
	// S3Properties are connection_properties whose values start with s3://
	// (JDBC_DRIVER_JAR_URI, CUSTOM_JDBC_CERT, KAFKA_CUSTOM_CERT,
	// KAFKA_CLIENT_KEYSTORE, CONNECTOR_URL). Values are never echoed beyond the
	// S3 URL itself.
	S3Properties map[string]string `json:"s3_properties,omitempty"`
	// PartialS3Properties are those properties whose values are known only
	// in part (or not at all) until apply; Key is the property name.
	PartialS3Properties []PartialArgument `json:"partial_s3_properties,omitempty"`
}

// SecurityConfiguration is the job's aws_glue_security_configuration.
type SecurityConfiguration struct {
	Name    string     `json:"name"`
	Address string     `json:"address,omitempty"`
	From    Provenance `json:"from"`
	// S3EncryptionMode is DISABLED, SSE-S3 or SSE-KMS. Unknown (e.g. the
	// configuration is named but not in the plan) makes write-side KMS and
	// encryption-header decisions unknown.
	S3EncryptionMode Value[S3EncryptionMode] `json:"s3_encryption_mode"`
	// S3KMSKeyARN is the key for SSE-KMS (a key ARN or alias ARN).
	S3KMSKeyARN Value[string] `json:"s3_kms_key_arn"`
}

// Role is the job's IAM role.
type Role struct {
	Address string `json:"address,omitempty"` // "aws_iam_role.glue"
	// ARN with path: arn:aws:iam::<A>:role<path><name>.
	ARN      Value[string]            `json:"arn"`
	Name     Value[string]            `json:"name"`
	Account  Value[string]            `json:"account"`
	UniqueID Value[string]            `json:"unique_id"`
	Tags     Value[map[string]string] `json:"tags"`
	// Inline are the inline policies (inline_policy blocks, aws_iam_role_policy).
	Inline []PolicyDoc `json:"inline,omitempty"`
	// Managed are the attached managed policies. A Document that is nil is
	// resolved through Options.ManagedPolicies (the embedded AWS managed set);
	// still unresolved, it makes a missing Allow unknown (unresolved-policies).
	Managed []ManagedPolicy `json:"managed,omitempty"`
	// Boundary is the permissions boundary; nil means none.
	Boundary *ManagedPolicy `json:"boundary,omitempty"`
	// PoliciesComplete is false when more policies may be attached than listed
	// (an existing role whose attachments are managed elsewhere): then a
	// missing Allow is unknown rather than deny.
	PoliciesComplete bool `json:"policies_complete"`
}

// ManagedPolicy is a managed policy attachment (or boundary) by ARN, with its
// document when known.
type ManagedPolicy struct {
	ARN      Value[string] `json:"arn"`
	Document *PolicyDoc    `json:"document,omitempty"`
}

// Bucket is one S3 bucket.
type Bucket struct {
	Name    string     `json:"name"`
	Address string     `json:"address,omitempty"` // "aws_s3_bucket.raw"
	From    Provenance `json:"from"`
	// Owner is the owning account B.
	Owner  Value[string] `json:"owner"`
	Region Value[string] `json:"region"`
	// Policy is the bucket policy; nil means the bucket has none (a new bucket
	// without a policy resource). An existing bucket whose policy is managed
	// elsewhere should carry &PolicyDoc{Known: false}.
	Policy *PolicyDoc `json:"policy,omitempty"`
	// ObjectOwnership is BucketOwnerEnforced, BucketOwnerPreferred or
	// ObjectWriter. Not known on an existing bucket without an ownership
	// resource (ownership-unmanaged).
	ObjectOwnership Value[Ownership] `json:"object_ownership"`
	// ACLConfigured is true when an ACL resource or legacy acl/grant is
	// configured (implies ACLs are enabled).
	ACLConfigured bool `json:"acl_configured,omitempty"`
	// RequestPayer is BucketOwner or Requester. Not known with a provenance
	// Address means computed at apply (GA006 unknown); not known otherwise
	// (nothing manages it) is assumed BucketOwner, recorded as an assumption.
	RequestPayer Value[Payer] `json:"request_payer"`
	// SSEAlgorithm is the default encryption: "" (none: SSE-S3), AES256,
	// aws:kms, aws:kms:dsse. Not supplied on a bucket CreatedInPlan means
	// SSE-S3; not known otherwise makes KMS decisions unknown.
	SSEAlgorithm Value[SSEAlgorithm] `json:"sse_algorithm"`
	// SSEKMSKeyID is kms_master_key_id; empty with aws:kms means aws/s3.
	SSEKMSKeyID      Value[string]     `json:"sse_kms_key_id"`
	BucketKeyEnabled Value[bool]       `json:"bucket_key_enabled"`
	PublicAccess     PublicAccessBlock `json:"public_access"`
	// CreatedInPlan is true for a bucket this plan creates: defaults then
	// describe it exactly (no policy, BucketOwnerEnforced, all public access
	// blocked).
	CreatedInPlan bool `json:"created_in_plan,omitempty"`
}

// PublicAccessBlock are the bucket's Block Public Access settings.
type PublicAccessBlock struct {
	BlockPublicACLs       Value[bool] `json:"block_public_acls"`
	IgnorePublicACLs      Value[bool] `json:"ignore_public_acls"`
	BlockPublicPolicy     Value[bool] `json:"block_public_policy"`
	RestrictPublicBuckets Value[bool] `json:"restrict_public_buckets"`
}

// KMSKey is one KMS key.
type KMSKey struct {
	// ARN is arn:aws:kms:<region>:<K>:key/<id>.
	ARN Value[string] `json:"arn"`
	// ARNPlaceholder is set when ARN stands in for the ARN AWS assigns at
	// apply (a key this plan creates): it links the references to the key,
	// but fixes must not name it.
	ARNPlaceholder bool   `json:"arn_placeholder,omitempty"`
	Address        string `json:"address,omitempty"`
	// KeyID is the bare key id, used to match kms_master_key_id values.
	KeyID   string        `json:"key_id,omitempty"`
	Account Value[string] `json:"account"`
	// Policy is the key policy. Nil means the default key policy (a new key
	// with no policy configured): root delegation to the owning account, so the
	// caller's IAM policy decides. An existing key whose policy is not known
	// must carry &PolicyDoc{Known: false}.
	Policy *PolicyDoc `json:"policy,omitempty"`
	Grants []KMSGrant `json:"grants,omitempty"`
	// Aliases are "alias/name" or alias ARNs resolving to this key.
	Aliases []string    `json:"aliases,omitempty"`
	Enabled Value[bool] `json:"enabled"`
	// AWSManagedS3 marks the AWS managed key aws/s3: usable only by principals
	// of its own account through S3.
	AWSManagedS3 bool `json:"aws_managed_s3,omitempty"`
}

// KMSGrant is a grant on a key.
type KMSGrant struct {
	Label            string            `json:"label"` // "aws_kms_grant.glue"
	GranteePrincipal Value[string]     `json:"grantee_principal"`
	Operations       []string          `json:"operations"` // "Decrypt", "GenerateDataKey", ...
	ContextEquals    map[string]string `json:"context_equals,omitempty"`
	ContextSubset    map[string]string `json:"context_subset,omitempty"`
}

// S3Object is an object the plan writes (aws_s3_object).
type S3Object struct {
	Address string `json:"address,omitempty"`
	Bucket  string `json:"bucket"` // "" when not known
	Key     string `json:"key"`    // "" when not known
	// Unplaced, when set, says which of bucket and key is not known at plan
	// time: the object may then be any object the job reads.
	Unplaced *Missing `json:"unplaced,omitempty"`
	// SSEAlgorithm is server_side_encryption; "" means the bucket default.
	SSEAlgorithm     Value[SSEAlgorithm] `json:"sse_algorithm"`
	KMSKeyID         Value[string]       `json:"kms_key_id"`
	BucketKeyEnabled Value[bool]         `json:"bucket_key_enabled"`
	// WriterAccount is the account of the provider configuration writing it.
	WriterAccount Value[string] `json:"writer_account"`
	ACL           Value[string] `json:"acl"`
}

// Network is the VPC side: where connections' subnets route S3 traffic.
type Network struct {
	Subnets     []Subnet      `json:"subnets,omitempty"`
	VPCs        []VPC         `json:"vpcs,omitempty"`
	RouteTables []RouteTable  `json:"route_tables,omitempty"`
	Endpoints   []VPCEndpoint `json:"endpoints,omitempty"`
}

// Subnet is an aws_subnet.
type Subnet struct {
	ID      string        `json:"id"`
	Address string        `json:"address,omitempty"`
	From    Provenance    `json:"from"`
	VPCID   Value[string] `json:"vpc_id"`
	// RouteTableID is the explicitly associated route table; a known empty
	// string means no explicit association (the VPC's main table applies).
	RouteTableID Value[string] `json:"route_table_id"`
}

// VPC is an aws_vpc.
type VPC struct {
	ID               string        `json:"id"`
	MainRouteTableID Value[string] `json:"main_route_table_id"`
}

// RouteTable is a route table and whether it sends internet-bound traffic to
// a NAT (gateway, instance or transit gateway).
type RouteTable struct {
	ID     string      `json:"id"`
	HasNAT Value[bool] `json:"has_nat"`
}

// VPC endpoint types.
const (
	EndpointGateway   = "Gateway"
	EndpointInterface = "Interface"
)

// VPCEndpoint is an S3 VPC endpoint.
type VPCEndpoint struct {
	ID      string     `json:"id"` // "vpce-..."
	Address string     `json:"address,omitempty"`
	From    Provenance `json:"from"`
	VPCID   string     `json:"vpc_id"`
	// ServiceName is com.amazonaws.<region>.s3.
	ServiceName string `json:"service_name"`
	Type        string `json:"type"` // Gateway or Interface
	// RouteTableIDs are the gateway endpoint's route tables (route_table_ids
	// plus route-table associations).
	RouteTableIDs []string `json:"route_table_ids,omitempty"`
	// PrivateDNS and InboundResolverOnly decide whether an interface endpoint
	// receives in-VPC traffic.
	PrivateDNS          bool `json:"private_dns,omitempty"`
	InboundResolverOnly bool `json:"inbound_resolver_only,omitempty"`
	// Policy is the endpoint policy; nil means the default full-access policy.
	Policy *PolicyDoc `json:"policy,omitempty"`
}

// Organization node kinds.
const (
	NodeRoot    = "root"
	NodeOU      = "ou"
	NodeAccount = "account"
)

// Organization is the AWS Organizations tree with its SCPs and RCPs.
type Organization struct {
	From Provenance `json:"from"`
	// ID is the organization id (o-...), the value of aws:PrincipalOrgID and
	// aws:ResourceOrgID for member accounts; unknown makes those keys unknown.
	ID Value[string] `json:"id"`
	// ManagementAccount is exempt from SCPs and RCPs.
	ManagementAccount Value[string] `json:"management_account"`
	// Nodes are the root, OUs and accounts, each with its attachments.
	// FullAWSAccess is attached at every node unless FullAWSAccessDetached.
	Nodes []OrgNode `json:"nodes"`
	// Unplaced are policies attached to a node that is not known (an
	// attachment whose target_id is known only after apply): each may
	// govern any account, so a result it would change is unknown.
	Unplaced []UnplacedPolicy `json:"unplaced,omitempty"`
}

// UnplacedPolicy is an SCP or RCP whose attachment target is not known.
type UnplacedPolicy struct {
	Attachment string    `json:"attachment"` // "aws_organizations_policy_attachment.workload"
	RCP        bool      `json:"rcp,omitempty"`
	Policy     PolicyDoc `json:"policy"`
	Missing    Missing   `json:"missing"`
}

// OrgNode is a root, OU or account with the SCPs and RCPs attached to it.
type OrgNode struct {
	ID   string `json:"id"` // r-..., ou-...-..., or 12-digit account id
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
	// Address is the Terraform address of the OU or account, when the plan
	// shows it.
	Address string `json:"address,omitempty"`
	// Parent is the parent node id (empty for the root); unknown parent makes
	// the OU levels of the path unknown.
	Parent                Value[string] `json:"parent"`
	SCPs                  []PolicyDoc   `json:"scps,omitempty"`
	RCPs                  []PolicyDoc   `json:"rcps,omitempty"`
	FullAWSAccessDetached bool          `json:"full_aws_access_detached,omitempty"`
}

// AccessPath is a declared data location the job reads or writes.
type AccessPath struct {
	// URL is an s3:// URL; a trailing "/" (or none) names a prefix.
	URL  string     `json:"url"`
	Mode AccessMode `json:"mode"`
	From Provenance `json:"from"`
	// Unknown, when set, names the values known only after apply that
	// complete URL (then only its known start), or the declaration itself
	// when it is not known at all.
	Unknown string `json:"unknown,omitempty"`
	// Source says where the path was found: SourceScript for a line of the
	// job's script (From holds its file and line), SourceDeclared when
	// empty.
	Source SourceKind `json:"source,omitempty"`
}

// Options tune Check.
type Options struct {
	// ManagedPolicies resolves a managed policy ARN to its document and a
	// version id; nil uses the embedded AWS managed policy set.
	ManagedPolicies func(arn string) (doc []byte, version string, ok bool)
	// Compiled, when set, is told of every policy document the checks
	// compile, as they compile it, with the kind it was parsed as: a caller
	// that reads the same documents again (the validator's action lint) can
	// use the compiled policy instead of parsing the text a second time.
	Compiled func(doc *PolicyDoc, kind iam.Kind, p *iam.Policy)
	// Run, when set, is shared by the checks of every job of a run, whose
	// facts share their Organization by pointer: policies are parsed and
	// the organization indexed once for all of them (see Run). nil checks
	// the job on its own, with the process-wide bounded parse cache.
	Run *Run
}

// String renders a Value for messages: the value, or "unknown".
func (v Value[T]) String() string {
	if !v.Known {
		return "unknown"
	}
	return fmt.Sprint(v.V)
}
