package datasources_test

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/glueaccess/terraform-provider-glueaccess/provider"
)

// protoV6 serves the provider under test in-process to the terraform binary.
var protoV6 = map[string]func() (tfprotov6.ProviderServer, error){
	"glueaccess": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// TestMain makes terraform-plugin-testing hermetic: the terraform binary on
// PATH (never a download), no version checkpoint calls, and an empty CLI
// configuration instead of whatever the environment names (possibly a file
// that does not exist).
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "datasources tests drive the terraform CLI: put terraform on PATH or set TF_ACC_TERRAFORM_PATH")
			return 1
		}
		os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
	cfg, err := os.CreateTemp("", "glueaccess-tfrc-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating an empty terraform CLI configuration:", err)
		return 1
	}
	cfg.Close()
	defer os.Remove(cfg.Name())
	os.Setenv("TF_CLI_CONFIG_FILE", cfg.Name())
	return m.Run()
}
