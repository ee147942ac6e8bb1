package datasources

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/livefacts"
)

// lookupAWS fills the facts the arguments leave out from live AWS lookups
// (lookup_aws = true), with the provider's aws_* settings; the Region
// defaults to the job's. It returns the filled facts and the reasons of the
// lookups that could not establish a fact.
func lookupAWS(ctx context.Context, pd *ProviderData, f *access.Facts, diags *diag.Diagnostics) (*access.Facts, []string) {
	var opts awslive.Options
	if pd != nil {
		opts = pd.AWS
	}
	opts.Enabled = true
	if r, ok := f.Job.Region.Get(); ok && opts.Region == "" {
		opts.Region = r
	}
	l, err := awslive.New(ctx, opts)
	if err != nil {
		diags.AddAttributeError(path.Root("lookup_aws"), "Cannot look up facts in AWS", err.Error())
		return f, nil
	}
	return livefacts.New(l).Fill(ctx, f)
}
