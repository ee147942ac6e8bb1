// Command terraform-provider-aws serves the offline stand-in for the
// hashicorp/aws provider (internal/acctest/awsstub). Terraform runs it
// through a dev_overrides entry in its CLI configuration; it is never
// published.
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest/awsstub"
	awsschema "github.com/glueaccess/terraform-provider-glueaccess/internal/acctest/awsstub/schema"
)

func main() {
	srv, err := awsstub.New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "terraform-provider-aws (offline stand-in): %v\n", err)
		os.Exit(1)
	}
	if err := tf5server.Serve(awsschema.ProviderAddress, func() tfprotov5.ProviderServer { return srv }); err != nil {
		fmt.Fprintf(os.Stderr, "terraform-provider-aws (offline stand-in): %v\n", err)
		os.Exit(1)
	}
}
