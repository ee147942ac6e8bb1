package datasources

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

var (
	_ datasource.DataSource                   = &SimulationDataSource{}
	_ datasource.DataSourceWithConfigure      = &SimulationDataSource{}
	_ datasource.DataSourceWithValidateConfig = &SimulationDataSource{}
)

// defaultSessionName is the role-session name AWS Glue uses for job runs
// (observed in CloudTrail, not documented); it is the simulation's default
// because Glue jobs are what this provider is about.
const defaultSessionName = "GlueJobRunnerSession"

// actionPattern is service:Action with no wildcard: one request names one action.
var actionPattern = regexp.MustCompile(`^[a-zA-Z0-9-]+:[a-zA-Z0-9]+$`)

// NewSimulationDataSource returns the glueaccess_policy_simulation data source.
func NewSimulationDataSource() datasource.DataSource {
	return &SimulationDataSource{}
}

// SimulationDataSource evaluates one request against policy documents of every
// layer, offline.
type SimulationDataSource struct {
	defaults *ProviderData
}

// simulationModel is the configuration and state of glueaccess_policy_simulation.
type simulationModel struct {
	Principal          types.String `tfsdk:"principal"`
	SessionName        types.String `tfsdk:"session_name"`
	Action             types.String `tfsdk:"action"`
	Resource           types.String `tfsdk:"resource"`
	ResourceAccount    types.String `tfsdk:"resource_account"`
	Context            types.Map    `tfsdk:"context"`
	IdentityPolicies   types.List   `tfsdk:"identity_policies"`
	PermissionBoundary types.String `tfsdk:"permission_boundary"`
	SessionPolicy      types.String `tfsdk:"session_policy"`
	ResourcePolicy     types.String `tfsdk:"resource_policy"`
	SCPLevels          types.List   `tfsdk:"scp_levels"`
	RCPLevels          types.List   `tfsdk:"rcp_levels"`
	VPCEndpointPolicy  types.String `tfsdk:"vpc_endpoint_policy"`

	Decision           types.String `tfsdk:"decision"`
	DecidedBy          types.String `tfsdk:"decided_by"`
	Allowed            types.Bool   `tfsdk:"allowed"`
	Message            types.String `tfsdk:"message"`
	Statements         types.List   `tfsdk:"statements"`
	MissingContextKeys types.List   `tfsdk:"missing_context_keys"`
}

// statementAttrTypes is the object type of one element of statements.
var statementAttrTypes = map[string]attr.Type{
	"layer":  types.StringType,
	"level":  types.Int64Type,
	"policy": types.StringType,
	"index":  types.Int64Type,
	"sid":    types.StringType,
	"effect": types.StringType,
}

// Metadata sets the type name glueaccess_policy_simulation.
func (d *SimulationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_policy_simulation"
}

// Schema describes the request, the policies of every layer and the outputs.
func (d *SimulationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	levels := types.ListType{ElemType: types.StringType}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Evaluates one request against the policy documents you give, for every layer of AWS's " +
			"evaluation logic (identity policies, permissions boundary, session policy, resource policy, SCPs and RCPs " +
			"level by level, VPC endpoint policy), offline and without credentials. It is the general-purpose sibling of " +
			"`aws_iam_principal_policy_simulation`: nothing is read from AWS, so it works in `terraform plan` on policies " +
			"that do not exist yet. A policy document that names an action that does not exist (`s3:GetObjects`), checked " +
			"against the embedded catalog of AWS actions, is an error on that document naming the closest real action: AWS " +
			"would silently ignore the entry.",
		Attributes: map[string]schema.Attribute{
			"principal": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The caller: an IAM role ARN (`arn:aws:iam::111122223333:role/glue-etl`; the request is " +
					"made by a session of it), an assumed-role session ARN, an IAM user ARN, or a service principal " +
					"such as `glue.amazonaws.com`.",
			},
			"session_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Role-session name used to build the session ARN when `principal` is a role ARN. " +
					"Defaults to `" + defaultSessionName + "`, the name AWS Glue uses for job runs.",
			},
			"action": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The API action, e.g. `s3:GetObject` or `kms:Decrypt`. Wildcards are not allowed: a request names one action.",
			},
			"resource": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ARN of the resource, e.g. `arn:aws:s3:::sales/in/2024/01.csv` or a KMS key ARN.",
			},
			"resource_account": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Account that owns the resource. Needed for S3, whose ARNs carry no account; defaults " +
					"to the account in the resource ARN, else the provider's `account_id`.",
			},
			"context": schema.MapAttribute{
				Optional:    true,
				ElementType: types.ListType{ElemType: types.StringType},
				MarkdownDescription: "Request context: condition key to its values, e.g. `{ \"aws:SourceVpce\" = [\"vpce-1a2b3c4d\"] }`. " +
					"Several values make a multi-valued key. `aws:PrincipalArn`, `aws:PrincipalAccount` and " +
					"`aws:ResourceAccount` are derived from the request unless set here.",
			},
			"identity_policies": schema.ListAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Identity-based policy documents (JSON) of the principal: inline and attached managed policies.",
			},
			"permission_boundary": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Permissions boundary document (JSON) of the principal; when set, it must also allow.",
			},
			"session_policy": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Session policy document (JSON) passed when the role was assumed; when set, it must also allow.",
			},
			"resource_policy": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Resource-based policy (JSON) of the resource: the bucket policy for `s3:` actions, the key " +
					"policy for `kms:` actions (a key policy is authoritative: with none, nothing is allowed).",
			},
			"scp_levels": schema.ListAttribute{
				Optional:    true,
				ElementType: levels,
				MarkdownDescription: "Service control policies governing the principal's account, one list per level, root " +
					"first, then each OU, then the account. At every level some policy must allow; `FullAWSAccess` is " +
					"not implicit, so include it where it is attached. Leave unset when the account is not governed by SCPs.",
			},
			"rcp_levels": schema.ListAttribute{
				Optional:    true,
				ElementType: levels,
				MarkdownDescription: "Resource control policies governing the resource's account, one list per level, root " +
					"first. `RCPFullAWSAccess` is implicit at every level, so only Deny statements matter.",
			},
			"vpc_endpoint_policy": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Policy (JSON) of the VPC endpoint the request travels through; unset means no endpoint is in the path.",
			},
			"decision": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied` or `Unknown`.",
			},
			"decided_by": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The layer that decided: `identity`, `boundary`, `session`, `resource`, `kms-key-policy`, " +
					"`kms-grant`, `vpc-endpoint`, or `scp[N]` / `rcp[N]` with N the 0-based organization level.",
			},
			"allowed": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the request is allowed.",
			},
			"message": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The decision in the words AWS uses for AccessDenied messages.",
			},
			"statements": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The decisive statements: the matching Deny statements for an explicit deny, or the " +
					"Allow statements that granted, one per layer that had to allow.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"layer":  schema.StringAttribute{Computed: true, MarkdownDescription: "Layer kind, e.g. `identity` or `scp`."},
					"level":  schema.Int64Attribute{Computed: true, MarkdownDescription: "Organization level for `scp`/`rcp` (root = 0), else 0."},
					"policy": schema.StringAttribute{Computed: true, MarkdownDescription: "The policy, named by its input attribute, e.g. `identity_policies[1]`."},
					"index":  schema.Int64Attribute{Computed: true, MarkdownDescription: "0-based position of the statement in `Statement`."},
					"sid":    schema.StringAttribute{Computed: true, MarkdownDescription: "The statement's `Sid`, empty if it has none."},
					"effect": schema.StringAttribute{Computed: true, MarkdownDescription: "`Allow` or `Deny`."},
				}},
			},
			"missing_context_keys": schema.ListAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Condition keys the decisive (or nearly matching) statements referenced but the request " +
					"did not carry; set them in `context` to see how the decision changes.",
			},
		},
	}
}

// Configure keeps the provider's defaults (account, partition, region).
func (d *SimulationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.defaults = providerData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what is known at validate time: the principal, action,
// resource and account formats, and that every policy document parses.
func (d *SimulationDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m simulationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if known(m.Principal) {
		if _, err := simulationPrincipal(m.Principal.ValueString(), defaultSessionName); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("principal"), "Invalid principal", err.Error())
		}
	}
	if known(m.Action) && !actionPattern.MatchString(m.Action.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("action"), "Invalid action",
			fmt.Sprintf("%q is not an action of the form service:Action (for example s3:GetObject); wildcards are not allowed.", m.Action.ValueString()))
	}
	if known(m.Resource) {
		if _, err := parseARN(m.Resource.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("resource"), "Invalid resource ARN", err.Error())
		}
	}
	if known(m.ResourceAccount) {
		if err := CheckAccountID(m.ResourceAccount.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("resource_account"), "Invalid account id", err.Error())
		}
	}
	_, diags := m.input(ctx)
	resp.Diagnostics.Append(diags...)
}

// Read evaluates the request and records the decision.
func (d *SimulationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m simulationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := m.input(ctx)
	resp.Diagnostics.Append(diags...)
	request, diags := m.request(ctx, d.defaults)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	result := iam.Evaluate(in, request)
	m.Decision = types.StringValue(result.Decision.String())
	m.DecidedBy = types.StringValue(layerName(result.DecidedBy))
	m.Allowed = types.BoolValue(result.Decision == iam.Allowed)
	m.Message = types.StringValue(result.Explain(request))

	stmts := make([]attr.Value, 0, len(result.Statements))
	for _, s := range result.Statements {
		obj, diags := types.ObjectValue(statementAttrTypes, map[string]attr.Value{
			"layer":  types.StringValue(string(s.Layer.Kind)),
			"level":  types.Int64Value(int64(s.Layer.Level)),
			"policy": types.StringValue(s.Policy),
			"index":  types.Int64Value(int64(s.Index)),
			"sid":    types.StringValue(s.Sid),
			"effect": types.StringValue(string(s.Effect)),
		})
		resp.Diagnostics.Append(diags...)
		stmts = append(stmts, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: statementAttrTypes}, stmts)
	resp.Diagnostics.Append(diags...)
	m.Statements = list
	missing, diags := types.ListValueFrom(ctx, types.StringType, nonNil(result.MissingContextKeys))
	resp.Diagnostics.Append(diags...)
	m.MissingContextKeys = missing
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// input parses every known policy document into its layer; each parse error,
// and each action the document names that does not exist, is reported on the
// attribute (and list element) that holds the document.
func (m *simulationModel) input(ctx context.Context) (*iam.Input, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := &iam.Input{}
	one := func(v types.String, at string, kind iam.Kind) *iam.Policy {
		if !known(v) {
			return nil
		}
		p, err := parsePolicy(v.ValueString(), kind, at)
		if err != nil {
			diags.AddAttributeError(path.Root(at), "Invalid policy document", err.Error())
		}
		addActionErrors(&diags, path.Root(at), p)
		return p
	}
	docs, d := listStrings(m.IdentityPolicies, path.Root("identity_policies"))
	diags.Append(d...)
	for i, doc := range docs {
		if !known(doc.Value) {
			continue
		}
		p, err := parsePolicy(doc.Value.ValueString(), iam.KindIdentity, fmt.Sprintf("identity_policies[%d]", i))
		if err != nil {
			diags.AddAttributeError(doc.Path, "Invalid policy document", err.Error())
			continue
		}
		addActionErrors(&diags, doc.Path, p)
		in.Identity = append(in.Identity, p)
	}
	in.Boundary = one(m.PermissionBoundary, "permission_boundary", iam.KindBoundary)
	in.Session = one(m.SessionPolicy, "session_policy", iam.KindSession)
	resourceKind := iam.KindResource
	if known(m.Action) && strings.HasPrefix(strings.ToLower(m.Action.ValueString()), "kms:") {
		resourceKind = iam.KindKeyPolicy
	}
	in.Resource = one(m.ResourcePolicy, "resource_policy", resourceKind)
	in.Endpoint = one(m.VPCEndpointPolicy, "vpc_endpoint_policy", iam.KindEndpoint)

	var ds diag.Diagnostics
	in.SCPs, ds = policyLevels(ctx, m.SCPLevels, "scp_levels", iam.KindSCP)
	diags.Append(ds...)
	in.RCPs, ds = policyLevels(ctx, m.RCPLevels, "rcp_levels", iam.KindRCP)
	diags.Append(ds...)
	return in, diags
}

// policyLevels parses a list(list(string)) of organization policies, root first.
func policyLevels(ctx context.Context, l types.List, attrName string, kind iam.Kind) ([][]*iam.Policy, diag.Diagnostics) {
	if !known(l) {
		return nil, nil
	}
	var levels []types.List
	diags := l.ElementsAs(ctx, &levels, false)
	out := make([][]*iam.Policy, 0, len(levels))
	for i, level := range levels {
		docs, d := listStrings(level, path.Root(attrName).AtListIndex(i))
		diags.Append(d...)
		parsed := make([]*iam.Policy, 0, len(docs))
		for j, doc := range docs {
			if !known(doc.Value) {
				continue
			}
			p, err := parsePolicy(doc.Value.ValueString(), kind, fmt.Sprintf("%s[%d][%d]", attrName, i, j))
			if err != nil {
				diags.AddAttributeError(doc.Path, "Invalid policy document", err.Error())
				continue
			}
			addActionErrors(&diags, doc.Path, p)
			parsed = append(parsed, p)
		}
		out = append(out, parsed)
	}
	return out, diags
}

// request builds the iam request: principal, action, resource, account and context.
func (m *simulationModel) request(ctx context.Context, defaults *ProviderData) (*iam.Request, diag.Diagnostics) {
	var diags diag.Diagnostics
	session := defaultSessionName
	if known(m.SessionName) {
		session = m.SessionName.ValueString()
	}
	principal, err := simulationPrincipal(m.Principal.ValueString(), session)
	if err != nil {
		diags.AddAttributeError(path.Root("principal"), "Invalid principal", err.Error())
		return nil, diags
	}
	resourceAccount := m.ResourceAccount.ValueString()
	if resourceAccount == "" {
		if a, err := parseARN(m.Resource.ValueString()); err == nil && a.Account != "" {
			resourceAccount = a.Account
		} else if defaults != nil {
			resourceAccount = defaults.AccountID
		}
	}

	rc := iam.NewContext()
	if principal.RoleARN != "" {
		rc.Set("aws:PrincipalArn", principal.RoleARN)
	} else if principal.ARN != "" {
		rc.Set("aws:PrincipalArn", principal.ARN)
	}
	if principal.Account != "" {
		rc.Set("aws:PrincipalAccount", principal.Account)
	}
	if resourceAccount != "" {
		rc.Set("aws:ResourceAccount", resourceAccount)
	}
	if known(m.Context) {
		var entries map[string]types.List
		diags.Append(m.Context.ElementsAs(ctx, &entries, false)...)
		for _, key := range slices.Sorted(maps.Keys(entries)) {
			values, d := stringValues(entries[key], path.Root("context").AtMapKey(key))
			diags.Append(d...)
			rc.Set(key, values...)
		}
	}
	return &iam.Request{
		Principal:       principal,
		Action:          m.Action.ValueString(),
		Resource:        m.Resource.ValueString(),
		ResourceAccount: resourceAccount,
		Context:         rc,
	}, diags
}

// simulationPrincipal turns the principal attribute into the caller AWS sees: a
// role becomes a session of that role, named session.
func simulationPrincipal(s, session string) (iam.Principal, error) {
	if !strings.HasPrefix(s, "arn:") {
		if strings.HasSuffix(s, ".amazonaws.com") && !strings.ContainsAny(s, " /:") {
			return iam.Principal{Service: s}, nil
		}
		return iam.Principal{}, fmt.Errorf("%w: %q is neither an ARN nor a service principal such as glue.amazonaws.com", errBadValue, s)
	}
	a, err := parseARN(s)
	if err != nil {
		return iam.Principal{}, err
	}
	switch {
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
		if _, err := checkRoleARN(s); err != nil {
			return iam.Principal{}, err
		}
		_, name, _ := awsid.ParseRoleARN(s)
		return iam.Principal{
			ARN:     awsid.AssumedRoleARN(a.Partition, a.Account, name, session),
			RoleARN: s,
			Account: a.Account,
		}, nil
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		_, role, _, ok := awsid.ParseAssumedRoleARN(s)
		if !ok || !awsid.IsAccountID(a.Account) {
			return iam.Principal{}, fmt.Errorf("%w: %q is not an assumed-role ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>)", errBadValue, s)
		}
		// The session ARN does not carry the role's path; "/" is the usual one.
		return iam.Principal{
			ARN:     s,
			RoleARN: awsid.RoleARN(a.Partition, a.Account, role),
			Account: a.Account,
		}, nil
	case a.Service == "iam" && awsid.IsAccountID(a.Account):
		return iam.Principal{ARN: s, Account: a.Account}, nil
	}
	return iam.Principal{}, fmt.Errorf("%w: %q is not an IAM role, user, root or assumed-role ARN", errBadValue, s)
}

// layerName renders a layer as decided_by shows it: the kind, with the
// organization level for SCPs and RCPs.
func layerName(l iam.Layer) string {
	if l.Kind == iam.LayerSCP || l.Kind == iam.LayerRCP {
		return fmt.Sprintf("%s[%d]", l.Kind, l.Level)
	}
	return string(l.Kind)
}

// nonNil turns a nil slice into an empty one so that Terraform sees [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
