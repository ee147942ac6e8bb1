package datasources

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// ProviderData is what the provider hands every data source: the settings a
// data source falls back to when its own configuration leaves them out.
type ProviderData struct {
	AccountID    string               // default bucket owner and resource account
	Partition    string               // "aws" when empty
	Region       string               // the job's Region when the job block sets none
	Organization *access.Organization // nil when the provider has no organization block
	// AWS configures the lookups of lookup_aws = true: Profile, Region
	// (default: the job's Region) and EndpointURL; Enabled is ignored.
	AWS awslive.Options
}

// providerData converts the provider's configure output; nil when the provider
// has not been configured yet (Terraform validates before it configures).
func providerData(v any, diags *diag.Diagnostics) *ProviderData {
	if v == nil {
		return nil
	}
	pd, ok := v.(*ProviderData)
	if !ok {
		diags.AddError("Unexpected data source configure type",
			fmt.Sprintf("Expected *datasources.ProviderData, got %T. Please report this issue to the provider developers.", v))
		return nil
	}
	return pd
}
