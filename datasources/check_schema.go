package datasources

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

// fail_on values.
const (
	failOnDeny    = "deny"
	failOnUnknown = "unknown"
	failOnNever   = "never"
)

// checkModel is the configuration and state of glueaccess_check.
type checkModel struct {
	FailOn       types.String       `tfsdk:"fail_on"`
	LookupAWS    types.Bool         `tfsdk:"lookup_aws"`
	Job          *jobModel          `tfsdk:"job"`
	Crawler      *crawlerModel      `tfsdk:"crawler"`
	Role         *roleModel         `tfsdk:"role"`
	Buckets      types.List         `tfsdk:"bucket"`
	KMSKeys      types.List         `tfsdk:"kms_key"`
	VPCEndpoint  *vpcEndpointModel  `tfsdk:"vpc_endpoint"`
	Organization *OrganizationModel `tfsdk:"organization"`
	Access       types.List         `tfsdk:"access"`

	Allowed  types.Bool   `tfsdk:"allowed"`
	Verdict  types.String `tfsdk:"verdict"`
	Findings types.List   `tfsdk:"findings"`
	Summary  types.List   `tfsdk:"summary"`

	// jobUnknown is set when the job block itself is not known yet (a
	// dynamic block over an unknown collection): it is there, just not yet.
	jobUnknown bool
}

type jobModel struct {
	Name                    types.String                `tfsdk:"name"`
	RoleARN                 types.String                `tfsdk:"role_arn"`
	Command                 types.String                `tfsdk:"command"`
	GlueVersion             types.String                `tfsdk:"glue_version"`
	Region                  types.String                `tfsdk:"region"`
	ScriptLocation          types.String                `tfsdk:"script_location"`
	DefaultArguments        types.Map                   `tfsdk:"default_arguments"`
	NonOverridableArguments types.Map                   `tfsdk:"non_overridable_arguments"`
	Connections             types.List                  `tfsdk:"connection"`
	SecurityConfiguration   *securityConfigurationModel `tfsdk:"security_configuration"`
}

type connectionModel struct {
	Name     types.String `tfsdk:"name"`
	SubnetID types.String `tfsdk:"subnet_id"`
}

type securityConfigurationModel struct {
	Name             types.String `tfsdk:"name"`
	S3EncryptionMode types.String `tfsdk:"s3_encryption_mode"`
	S3KMSKeyARN      types.String `tfsdk:"s3_kms_key_arn"`
}

type roleModel struct {
	Policies                  types.List   `tfsdk:"policies"`
	ManagedPolicyARNs         types.List   `tfsdk:"managed_policy_arns"`
	PermissionsBoundary       types.String `tfsdk:"permissions_boundary"`
	PermissionsBoundaryPolicy types.String `tfsdk:"permissions_boundary_policy"`
	Tags                      types.Map    `tfsdk:"tags"`
	PoliciesComplete          types.Bool   `tfsdk:"policies_complete"`
}

type bucketModel struct {
	Name                  types.String `tfsdk:"name"`
	OwnerAccount          types.String `tfsdk:"owner_account"`
	Region                types.String `tfsdk:"region"`
	Policy                types.String `tfsdk:"policy"`
	ObjectOwnership       types.String `tfsdk:"object_ownership"`
	RequesterPays         types.Bool   `tfsdk:"requester_pays"`
	KMSKeyARN             types.String `tfsdk:"kms_key_arn"`
	BucketKeyEnabled      types.Bool   `tfsdk:"bucket_key_enabled"`
	RestrictPublicBuckets types.Bool   `tfsdk:"restrict_public_buckets"`
}

type kmsKeyModel struct {
	ARN     types.String `tfsdk:"arn"`
	Policy  types.String `tfsdk:"policy"`
	Aliases types.List   `tfsdk:"aliases"`
	Enabled types.Bool   `tfsdk:"enabled"`
	Grants  types.List   `tfsdk:"grant"`
}

type grantModel struct {
	Name                    types.String `tfsdk:"name"`
	GranteePrincipal        types.String `tfsdk:"grantee_principal"`
	Operations              types.List   `tfsdk:"operations"`
	EncryptionContextEquals types.Map    `tfsdk:"encryption_context_equals"`
	EncryptionContextSubset types.Map    `tfsdk:"encryption_context_subset"`
}

type vpcEndpointModel struct {
	ID     types.String `tfsdk:"id"`
	VPCID  types.String `tfsdk:"vpc_id"`
	Type   types.String `tfsdk:"type"`
	Policy types.String `tfsdk:"policy"`
}

type accessModel struct {
	Path types.String `tfsdk:"path"`
	Mode types.String `tfsdk:"mode"`
}

// findingAttrTypes is the object type of one element of findings.
var findingAttrTypes = map[string]attr.Type{
	"id":         types.StringType,
	"title":      types.StringType,
	"verdict":    types.StringType,
	"reason":     types.StringType,
	"action":     types.StringType,
	"resource":   types.StringType,
	"because":    types.StringType,
	"decided_by": types.StringType,
	"fix":        types.StringType,
	"fix_json":   types.StringType,
}

func strAttr(required bool, desc string) schema.StringAttribute {
	return schema.StringAttribute{Required: required, Optional: !required, MarkdownDescription: desc}
}

func strList(required bool, desc string) schema.ListAttribute {
	return schema.ListAttribute{Required: required, Optional: !required, ElementType: types.StringType, MarkdownDescription: desc}
}

func strMap(desc string) schema.MapAttribute {
	return schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc}
}

// defaultText says what an attribute left out means (lead, "Default
// `true`"): S3's default for a new bucket, since when, and where AWS says so.
func defaultText(lead, since, doc string) string {
	s := lead + ", S3's default for a new bucket"
	if since != "" {
		s += " since " + since
	}
	return s + " ([AWS documentation](" + doc + "))."
}

func optBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, MarkdownDescription: desc}
}

func computedStr(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

// checkSchema is the schema of glueaccess_check.
func checkSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Decides, during `terraform plan`, whether an AWS Glue job would get 403 Access Denied from " +
			"Amazon S3 or AWS KMS, for each of seven causes: GA001 identity policy or permissions boundary, GA002 bucket " +
			"policy, GA003 object ownership, GA004 VPC endpoint policy, GA005 KMS, GA006 Requester Pays, GA007 SCP/RCP. " +
			"Everything is evaluated offline from the inputs; nothing is read from AWS unless `lookup_aws = true`. With the default " +
			"`fail_on = \"deny\"` a denial is an error, so the plan fails and names the fix. A policy document that names " +
			"an action that does not exist (`s3:GetObjects`), checked against the embedded catalog of AWS actions, is an " +
			"error on that document naming the closest real action, or for an API operation name (`s3:ListObjectsV2`) the " +
			"action that authorizes it (`s3:ListBucket`): AWS would silently ignore the entry.",
		Attributes: map[string]schema.Attribute{
			"fail_on": strAttr(false, "Which findings become error diagnostics: `deny` (default) errors on every finding that "+
				"would be denied and warns on unknown ones; `unknown` also errors on findings that cannot be decided; `never` "+
				"reports none and only sets the outputs, for a `postcondition` or a `check` block's `assert`. In an ordinary "+
				"`data` block an error stops `terraform plan` and `terraform apply`; in a `data` block inside a `check` block "+
				"Terraform reports the error as a warning and plan and apply go on."),
			"lookup_aws": optBool("Look up in AWS, read-only, the facts the arguments leave out (default `false`): the settings " +
				"of buckets the job uses that have no `bucket` block, the policy and grants of keys without a `kms_key` block, " +
				"the policies of a role with `policies_complete = false` and none listed, the connection's network, and the " +
				"organization's SCPs and RCPs when there is no `organization` block, or its `id` and `management_account_id` " +
				"when the block leaves them out (the block's tree is kept and the paths are built from it). Facts from AWS are cited with their source " +
				"(`s3:GetBucketPolicy arn:aws:s3:::b (live)`); a lookup that fails leaves its fact unknown and warns with the " +
				"reason. Credentials come from the standard AWS chain and the provider's `aws_profile`."),
			"allowed": schema.BoolAttribute{Computed: true, MarkdownDescription: "True when `verdict` is `allowed`: no finding denies and none is unknown."},
			"verdict": computedStr("`allowed`, `denied` (some finding denies) or `unknown` (no denial, but something could not be decided)."),
			"findings": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every reason the job would be (or might be) denied, ordered by check id. Passes are not listed.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         computedStr("Check id, `GA001` to `GA007`."),
					"title":      computedStr("Short name of the check, e.g. `role-s3-permissions`."),
					"verdict":    computedStr("`deny` or `unknown`."),
					"reason":     computedStr("Stable reason code, e.g. `no-allow`, `explicit-deny`, `cross-account-no-allow`."),
					"action":     computedStr("The S3 or KMS action(s) concerned, comma-separated."),
					"resource":   computedStr("The resource ARN(s) concerned, comma-separated."),
					"because":    computedStr("Why, in the words AWS uses for AccessDenied messages."),
					"decided_by": computedStr("The layer, policy and statement that decided, e.g. `bucket policy bucket[0].policy statement 1 (Sid \"DenyOutsideVpc\")`."),
					"fix":        computedStr("The smallest change that fixes it, in one sentence."),
					"fix_json":   computedStr("The fix as JSON: target layer, operation, where, and the policy statement or setting to apply. Empty when there is none."),
				}},
			},
			"summary": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "One readable line per finding: `GA002 deny: <because>. Fix: <fix>`, or for an unknown finding `... To decide it: <what to supply>`.",
			},
		},
		Blocks: map[string]schema.Block{
			"job": schema.SingleNestedBlock{
				MarkdownDescription: "The Glue job, in the shape of `aws_glue_job`. Terraform cannot mark a single block as " +
					"mandatory, so it is listed with the optional ones, but every `glueaccess_check` must have one: without it the " +
					"read fails with `Missing job block`.",
				Attributes: map[string]schema.Attribute{
					"name":     strAttr(false, "Job name, as `aws_glue_job.name`. Must be set: a `job` block without it is an error."),
					"role_arn": strAttr(false, "ARN of the job's IAM role (`aws_iam_role.x.arn`), with its path. Must be set: a `job` block without it is an error."),
					"command": strAttr(false, "Job type, `command[0].name`: `glueetl` (default), `gluestreaming`, "+
						"`pythonshell` or `glueray`. Spark settings passed with `--conf` only apply to the first two."),
					"glue_version": strAttr(false, "Glue version, e.g. `5.0`."),
					"region": strAttr(false, "Region the job runs in. Defaults to the provider's `region`, else the Region "+
						"of the security configuration's key or of the first `kms_key`."),
					"script_location": strAttr(false, "`command[0].script_location`: the S3 URL of the script, which Glue reads "+
						"before the job starts."),
					"default_arguments": strMap("`default_arguments`: job parameters such as `--TempDir`, `--extra-py-files`, " +
						"`--spark-event-logs-path` or `--conf`; the S3 locations in them become reads and writes the job makes."),
					"non_overridable_arguments": strMap("`non_overridable_arguments`; they win over `default_arguments`."),
				},
				Blocks: map[string]schema.Block{
					"connection": schema.ListNestedBlock{
						MarkdownDescription: "Glue connections of the job, in job order. Glue places the job in the subnet " +
							"of the first connection that has one; its S3 traffic then goes through the `vpc_endpoint` if " +
							"that block is given, else through a NAT.",
						NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
							"name":      strAttr(true, "Connection name."),
							"subnet_id": strAttr(false, "`physical_connection_requirements[0].subnet_id`; unset for connections without network placement."),
						}},
					},
					"security_configuration": schema.SingleNestedBlock{
						MarkdownDescription: "The job's `aws_glue_security_configuration`, S3 encryption part. Every object " +
							"the job writes is encrypted this way, and `SSE-KMS` makes each write need `kms:GenerateDataKey` " +
							"and `kms:Decrypt` on the key.",
						Attributes: map[string]schema.Attribute{
							"name":               strAttr(false, "Name of the security configuration. Must be set when the block is given."),
							"s3_encryption_mode": strAttr(false, access.S3EncryptionModes.Markdown()+". Default `"+string(access.S3EncryptionDisabled)+"`."),
							"s3_kms_key_arn":     strAttr(false, "KMS key (or alias) ARN for `SSE-KMS`."),
						},
					},
				},
			},
			"role": schema.SingleNestedBlock{
				MarkdownDescription: "The policies of the job's role. Without this block the role's permissions are " +
					"unknown and GA001 cannot be decided.",
				Attributes: map[string]schema.Attribute{
					"policies": strList(false, "Identity policy documents (JSON) of the role: inline policies and the "+
						"documents of customer managed policies, e.g. `data.aws_iam_policy_document.glue.json`."),
					"managed_policy_arns": strList(false, "ARNs of attached managed policies. AWS managed policies "+
						"(`arn:aws:iam::aws:policy/...`) are resolved from the set embedded in the provider; give the "+
						"documents of customer managed ones in `policies`, otherwise a missing Allow is unknown."),
					"permissions_boundary": strAttr(false, "ARN of the permissions boundary (AWS managed, or customer "+
						"managed with its document in `permissions_boundary_policy`)."),
					"permissions_boundary_policy": strAttr(false, "Permissions boundary document (JSON); it must also allow every request."),
					"tags":                        strMap("Role tags, for `aws:PrincipalTag/...` conditions."),
					"policies_complete": optBool("Whether the listed policies are all the role has (default `true`). " +
						"Set `false` when more are attached elsewhere: a missing Allow is then unknown instead of a denial."),
				},
			},
			"bucket": schema.ListNestedBlock{
				MarkdownDescription: "A bucket the job reads or writes. A bucket the job uses that is not described here " +
					"makes its decisions unknown.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"name": strAttr(true, "Bucket name."),
					"owner_account": strAttr(false, "Account that owns the bucket. Defaults to the provider's `account_id`, "+
						"else the account of the job's role (same-account)."),
					"region": strAttr(false, "Region of the bucket; defaults to the job's Region."),
					"policy": strAttr(false, "Bucket policy (JSON), as `aws_s3_bucket_policy.policy`. Unset means the bucket "+
						"has no policy."),
					"object_ownership": strAttr(false, access.Ownerships.Name+": "+access.Ownerships.Markdown()+". "+
						defaultText("Default `"+string(access.NewBucketOwnership.Value)+"`", access.NewBucketOwnership.Since, access.NewBucketOwnership.Doc)),
					"requester_pays": optBool("Whether the bucket is Requester Pays (`payer = \"" + string(access.PayerRequester) + "\"`). " +
						defaultText("Default `false`", access.NewBucketPayer.Since, access.NewBucketPayer.Doc)),
					"kms_key_arn": strAttr(false, "Default encryption key (`kms_master_key_id` of an `"+string(access.SSEKMS)+"` rule); "+
						"objects are assumed to be encrypted with it. "+
						defaultText("Unset means SSE-S3", access.NewBucketEncryption.Since, access.NewBucketEncryption.Doc)),
					"bucket_key_enabled": optBool("Whether S3 Bucket Keys are enabled (changes the KMS encryption context to the bucket ARN); default `false`."),
					"restrict_public_buckets": optBool("Block Public Access `restrict_public_buckets`. " +
						defaultText("Default `true`", access.NewBucketBlockPublicAccess.Since, access.NewBucketBlockPublicAccess.Doc)),
				}},
			},
			"kms_key": schema.ListNestedBlock{
				MarkdownDescription: "A customer managed KMS key that encrypts the job's data (bucket default or security configuration).",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"arn": strAttr(true, "Key ARN (`arn:aws:kms:<region>:<account>:key/<id>`)."),
						"policy": strAttr(false, "Key policy (JSON). Unset means AWS's default key policy, which delegates "+
							"to IAM in the key's account."),
						"aliases": strList(false, "Alias names (`alias/etl`) or alias ARNs that point to the key."),
						"enabled": optBool("Whether the key is enabled; default `true`."),
					},
					Blocks: map[string]schema.Block{
						"grant": schema.ListNestedBlock{
							MarkdownDescription: "A grant on the key, as `aws_kms_grant`.",
							NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
								"name":                      strAttr(false, "Grant name, used in findings."),
								"grantee_principal":         strAttr(true, "ARN of the grantee, e.g. the job's role."),
								"operations":                strList(true, "Granted operations, e.g. `[\"Decrypt\", \"GenerateDataKey\"]`."),
								"encryption_context_equals": strMap("Grant constraint: the encryption context must equal this map."),
								"encryption_context_subset": strMap("Grant constraint: the encryption context must contain this map."),
							}},
						},
					},
				},
			},
			"vpc_endpoint": schema.SingleNestedBlock{
				MarkdownDescription: "The S3 VPC endpoint the job's subnet routes through. Only requests of jobs with a " +
					"`connection` that has a `subnet_id` use it; script and library downloads go through Glue's proxy " +
					"unless `--disable-proxy-v2` is `true`.",
				Attributes: map[string]schema.Attribute{
					"id":     strAttr(false, "Endpoint id (`vpce-…`), the value of `aws:SourceVpce`. Must be set when the block is given."),
					"vpc_id": strAttr(false, "VPC id (`vpc-…`), the value of `aws:SourceVpc`. Must be set when the block is given."),
					"type":   strAttr(false, "`Gateway` (default) or `Interface` (with private DNS)."),
					"policy": strAttr(false, "Endpoint policy (JSON). Unset means the default full-access policy."),
				},
			},
			"crawler":      crawlerBlock(),
			"organization": organizationBlock(OrgDescription + " Replaces the provider's `organization` for this check."),
			"access": schema.ListNestedBlock{
				MarkdownDescription: "A data location the job's script reads or writes. Scripts name their sources and " +
					"sinks in code, which Terraform cannot see; declare them here.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"path": strAttr(true, "S3 URL of the location (`s3://bucket/prefix/`); `s3a://` and `s3n://` are accepted."),
					"mode": strAttr(true, access.AccessModes.Markdown()+"."),
				}},
			},
		},
	}
}
