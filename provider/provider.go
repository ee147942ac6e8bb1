// Package provider is the glueaccess Terraform provider: it decides offline,
// during terraform plan, whether an AWS Glue job would be denied access to
// Amazon S3 or AWS KMS, through the data sources in package datasources.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/datasources"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// Address is the provider's registry source address.
const Address = "registry.terraform.io/glueaccess/glueaccess"

var (
	_ provider.Provider                   = &GlueAccessProvider{}
	_ provider.ProviderWithValidateConfig = &GlueAccessProvider{}
)

// GlueAccessProvider is the glueaccess provider. It holds no credentials and
// makes no network calls: everything it decides comes from its configuration.
type GlueAccessProvider struct {
	version string
}

// New returns a constructor of the provider at the given version, the shape
// providerserver.Serve and the test factories expect.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &GlueAccessProvider{version: version}
	}
}

// providerModel is the provider configuration.
type providerModel struct {
	AccountID    types.String                   `tfsdk:"account_id"`
	Partition    types.String                   `tfsdk:"partition"`
	Region       types.String                   `tfsdk:"region"`
	AWSProfile   types.String                   `tfsdk:"aws_profile"`
	AWSRegion    types.String                   `tfsdk:"aws_region"`
	AWSEndpoint  types.String                   `tfsdk:"aws_endpoint_url"`
	Organization *datasources.OrganizationModel `tfsdk:"organization"`
}

// Metadata sets the provider type name and version.
func (p *GlueAccessProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "glueaccess"
	resp.Version = p.version
}

// Schema describes the optional defaults and the organization.
func (p *GlueAccessProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	node := func(desc string) schema.ListNestedBlock {
		return schema.ListNestedBlock{
			MarkdownDescription: desc,
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"id":        schema.StringAttribute{Required: true, MarkdownDescription: datasources.OrgNodeIDDescription},
				"parent_id": schema.StringAttribute{Required: true, MarkdownDescription: datasources.OrgParentDescription},
			}},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The glueaccess provider decides, during `terraform plan`, whether an AWS Glue job would be " +
			"denied access to Amazon S3 or AWS KMS, for each of seven causes (GA001 identity policy, GA002 bucket policy, " +
			"GA003 object ownership, GA004 VPC endpoint policy, GA005 KMS, GA006 Requester Pays, GA007 SCP/RCP). " +
			"It needs no credentials and nothing leaves the machine: every input comes from the configuration. " +
			"All settings are optional defaults for the data sources.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Default AWS account id (12 digits): the owner of buckets whose `owner_account` is " +
					"not set, and the resource account of simulated requests whose ARN carries none.",
			},
			"partition": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "AWS partition used to build ARNs (`aws`, `aws-cn`, `aws-us-gov`). Defaults to the partition of the job's role ARN, else `aws`.",
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Default AWS Region of the job, used for `kms:ViaService` (`s3.<region>.amazonaws.com`), " +
					"`aws:RequestedRegion` and the VPC endpoint's service name.",
			},
			"aws_profile": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Shared config profile for `lookup_aws = true` lookups. Defaults to the standard AWS credential chain.",
			},
			"aws_region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Default AWS Region of `lookup_aws = true` lookups. Defaults to the job's Region.",
			},
			"aws_endpoint_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Send every `lookup_aws = true` call to this endpoint (local stand-ins, tests) instead of AWS.",
			},
		},
		Blocks: map[string]schema.Block{
			"organization": schema.SingleNestedBlock{
				MarkdownDescription: datasources.OrgDescription + " Used by every `glueaccess_check` that has no " +
					"`organization` block of its own.",
				Attributes: map[string]schema.Attribute{
					"id":                       schema.StringAttribute{Optional: true, MarkdownDescription: datasources.OrgIDDescription},
					"management_account_id":    schema.StringAttribute{Optional: true, MarkdownDescription: datasources.OrgManagementDescription},
					"root_id":                  schema.StringAttribute{Optional: true, MarkdownDescription: datasources.OrgRootDescription},
					"full_aws_access_detached": schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: datasources.OrgDetachedDescription},
				},
				Blocks: map[string]schema.Block{
					"organizational_unit": node(datasources.OrgUnitDescription),
					"account":             node(datasources.OrgAccountDescription),
					"policy": schema.ListNestedBlock{
						MarkdownDescription: datasources.OrgPolicyDescription,
						NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
							"name":       schema.StringAttribute{Required: true, MarkdownDescription: datasources.OrgPolicyNameDesc},
							"type":       schema.StringAttribute{Optional: true, MarkdownDescription: datasources.OrgPolicyTypeDesc},
							"content":    schema.StringAttribute{Required: true, MarkdownDescription: datasources.OrgPolicyContentDesc},
							"target_ids": schema.ListAttribute{Required: true, ElementType: types.StringType, MarkdownDescription: datasources.OrgPolicyTargetsDesc},
						}},
					},
				},
			},
		},
	}
}

// ValidateConfig checks every known setting and reports each problem on its
// attribute; values unknown until apply are skipped.
func (p *GlueAccessProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	check := func(v types.String, attrName, summary string, fn func(string) error) {
		if known(v) {
			if err := fn(v.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root(attrName), summary, err.Error())
			}
		}
	}
	check(m.AccountID, "account_id", "Invalid account id", datasources.CheckAccountID)
	check(m.Partition, "partition", "Invalid partition", datasources.CheckPartition)
	check(m.Region, "region", "Invalid region", datasources.CheckRegion)
	if m.Organization != nil {
		resp.Diagnostics.Append(m.Organization.Validate(path.Root("organization"))...)
	}
}

// Configure hands the settings to the data sources.
func (p *GlueAccessProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pd := &datasources.ProviderData{
		AccountID: m.AccountID.ValueString(),
		Partition: m.Partition.ValueString(),
		Region:    m.Region.ValueString(),
		AWS: awslive.Options{
			Profile:     m.AWSProfile.ValueString(),
			Region:      m.AWSRegion.ValueString(),
			EndpointURL: m.AWSEndpoint.ValueString(),
		},
	}
	if m.Organization != nil {
		org, diags := m.Organization.Organization(path.Root("organization"))
		resp.Diagnostics.Append(diags...)
		pd.Organization = org
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.DataSourceData = pd
}

// DataSources lists glueaccess_check and glueaccess_policy_simulation.
func (p *GlueAccessProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		datasources.NewCheckDataSource,
		datasources.NewSimulationDataSource,
	}
}

// Resources is empty: the provider only reads.
func (p *GlueAccessProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}

// known reports whether v holds a value that can be checked now.
func known(v attr.Value) bool {
	return !v.IsNull() && !v.IsUnknown()
}
