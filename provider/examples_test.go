package provider_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
	"github.com/glueaccess/terraform-provider-glueaccess/provider"
)

// mainPackage is the provider binary's package, built for dev_overrides.
const mainPackage = "github.com/glueaccess/terraform-provider-glueaccess"

// TestAccExamples runs terraform validate and plan on every documentation
// example, each alone in a directory with the required_providers it needs,
// and checks what the data sources decided during the plan.
func TestAccExamples(t *testing.T) {
	tf := acctest.Terraform(t, acctest.WithProvider(provider.Address, mainPackage))
	cases := map[string]struct {
		file string
		// want maps a data source address read during plan to attribute
		// values it must have; an empty map only requires a clean plan.
		want map[string]map[string]any
	}{
		"provider": {file: "provider/provider.tf"},
		"check data source with aws resources": {
			file: "data-sources/glueaccess_check/data-source.tf",
			want: map[string]map[string]any{"data.glueaccess_check.nightly": {"verdict": "allowed", "allowed": true}},
		},
		"check with postcondition": {
			file: "data-sources/glueaccess_check/postcondition.tf",
			want: map[string]map[string]any{"data.glueaccess_check.reporting": {"verdict": "allowed", "fail_on": "never"}},
		},
		"check with an organization perimeter": {
			file: "data-sources/glueaccess_check/organization-perimeter.tf",
			want: map[string]map[string]any{"data.glueaccess_check.ingest": {"verdict": "allowed", "allowed": true}},
		},
		"check block": {
			file: "data-sources/glueaccess_check/check-block.tf",
			want: map[string]map[string]any{"data.glueaccess_check.archive": {"verdict": "allowed"}},
		},
		"policy simulation": {
			file: "data-sources/glueaccess_policy_simulation/data-source.tf",
			want: map[string]map[string]any{"data.glueaccess_policy_simulation.read_shared": {"decision": "Allowed", "allowed": true}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := exampleDir(t, filepath.Join("..", "examples", tc.file))
			tf.Validate(t, dir)
			var plan tfjson.Plan
			if err := json.Unmarshal(tf.Plan(t, dir, nil), &plan); err != nil {
				t.Fatalf("decoding the plan of %s: %v", tc.file, err)
			}
			for addr, attrs := range tc.want {
				values := readDuringPlan(t, &plan, addr)
				for attr, want := range attrs {
					if got := values[attr]; got != want {
						t.Errorf("%s.%s = %v, want %v (summary: %v)", addr, attr, got, want, values["summary"])
					}
				}
			}
		})
	}
}

// exampleDir copies one example file into a fresh directory with a
// terraform block naming the providers it uses, as a module author's
// configuration would have.
func exampleDir(t *testing.T, file string) string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("reading example: %v", err)
	}
	providers := `    glueaccess = { source = "glueaccess/glueaccess" }` + "\n"
	if strings.Contains(string(src), `"aws_`) {
		providers += `    aws = { source = "hashicorp/aws" }` + "\n"
	}
	dir := t.TempDir()
	versions := "terraform {\n  required_providers {\n" + providers + "  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(file)), src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readDuringPlan returns the values of a data source that Terraform read
// while planning (not deferred to apply), failing the test otherwise.
func readDuringPlan(t *testing.T, plan *tfjson.Plan, addr string) map[string]any {
	t.Helper()
	for _, rc := range plan.ResourceChanges {
		if rc.Address != addr || rc.Change == nil || !rc.Change.Actions.Read() {
			continue
		}
		// A data source scoped to a check block is always listed as a read,
		// but Terraform has read it during plan and records the result.
		if after, ok := rc.Change.After.(map[string]any); ok && rc.ActionReason == tfjson.ActionReasonReadBecauseCheckNested {
			return after
		}
		t.Fatalf("%s is deferred to apply (%s); the example should let it read during plan", addr, rc.ActionReason)
	}
	if plan.PriorState != nil && plan.PriorState.Values != nil {
		for _, r := range plan.PriorState.Values.RootModule.Resources {
			if r.Address == addr {
				return r.AttributeValues
			}
		}
	}
	t.Fatalf("%s was not read during plan", addr)
	return nil
}

// TestAccCheckBlockExampleWarns: when the job in the check-block example would
// be denied (here: its VPC endpoint block removed, so the bucket policy's
// aws:SourceVpce condition denies), the plan still succeeds and the denial
// is a warning naming the check and its fix.
func TestAccCheckBlockExampleWarns(t *testing.T) {
	tf := acctest.Terraform(t, acctest.WithProvider(provider.Address, mainPackage))
	dir := exampleDir(t, filepath.Join("..", "examples", "data-sources", "glueaccess_check", "check-block.tf"))
	file := filepath.Join(dir, "check-block.tf")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "    vpc_endpoint {\n      id     = \"vpce-0a1b2c3d4e5f67890\"\n      vpc_id = \"vpc-0a1b2c3d4e5f67890\"\n    }\n"
	if !strings.Contains(string(src), endpoint) {
		t.Fatalf("check-block.tf no longer has the vpc_endpoint block this test removes")
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(src), endpoint, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := tf.RunCommand(t.Context(), dir, "plan", "-input=false", "-lock=false", "-no-color")
	if err != nil {
		t.Fatalf("a failing check block must not fail the plan: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"Warning: GA002 bucket-policy: job archive would be denied",
		"OnlyThroughTheEndpoint",
		"Fix:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
}
