package datasources

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

var (
	_ datasource.DataSource                   = &CheckDataSource{}
	_ datasource.DataSourceWithConfigure      = &CheckDataSource{}
	_ datasource.DataSourceWithValidateConfig = &CheckDataSource{}
)

// NewCheckDataSource returns the glueaccess_check data source.
func NewCheckDataSource() datasource.DataSource {
	return &CheckDataSource{}
}

// CheckDataSource decides whether a Glue job would be denied access to S3 or
// KMS, from inputs describing the job and its surroundings.
type CheckDataSource struct {
	defaults *ProviderData
}

// Metadata sets the type name glueaccess_check.
func (d *CheckDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_check"
}

// Schema describes the job, its surroundings and the outputs.
func (d *CheckDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = checkSchema()
}

// Configure keeps the provider's defaults.
func (d *CheckDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.defaults = providerData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig reports every malformed known input on its attribute path;
// values unknown until apply are skipped.
func (d *CheckDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	m, diags := decodeCheck(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(m.validateFacts()...)
}

// Read runs the seven checks and sets the outputs; with fail_on it turns
// findings into error diagnostics so that the plan fails.
func (d *CheckDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	m, diags := decodeCheck(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	facts, diags := m.facts(d.defaults)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.LookupAWS.ValueBool() {
		var notes []string
		facts, notes = lookupAWS(ctx, d.defaults, facts, &resp.Diagnostics)
		for _, n := range notes {
			resp.Diagnostics.AddWarning("AWS lookup left a fact unknown", n)
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}
	report := access.Check(facts, access.Options{})
	resp.Diagnostics.Append(m.setOutputs(report)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(failDiagnostics(m.failOn(), report)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state, diags := withOutputs(ctx, req.Config.Raw, map[string]attr.Value{
		"allowed": m.Allowed, "verdict": m.Verdict, "findings": m.Findings, "summary": m.Summary,
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.State.Raw = state
}

// withOutputs returns the configuration object with the computed outputs
// filled in: the state of a data source. Building it directly avoids
// converting the whole model back through reflection, which costs more than
// the seven checks.
func withOutputs(ctx context.Context, config tftypes.Value, outputs map[string]attr.Value) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		diags.AddError("Cannot read configuration", fmt.Sprintf("reading the configuration object: %v. Please report this issue to the provider developers.", err))
		return tftypes.Value{}, diags
	}
	for name, v := range outputs {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Cannot set output", fmt.Sprintf("converting %s: %v. Please report this issue to the provider developers.", name, err))
			continue
		}
		attrs[name] = tv
	}
	return tftypes.NewValue(config.Type(), attrs), diags
}

// failOn returns fail_on with its default.
func (m *checkModel) failOn() string {
	if m.FailOn.IsNull() {
		return failOnDeny
	}
	return m.FailOn.ValueString()
}

// decidedBy renders a policy reference as one phrase, in the words every
// report uses (access.PolicyRef.Describe); "" when no statement decided.
func decidedBy(r *access.PolicyRef) string {
	if r == nil {
		return ""
	}
	return r.Describe()
}

// distinct joins the distinct values of field over needs, in first-seen order.
func distinct(needs []access.Need, field func(access.Need) string) string {
	seen := map[string]bool{}
	var out []string
	for _, n := range needs {
		if v := field(n); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return strings.Join(out, ", ")
}
