package validator

import (
	"path/filepath"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// The plan alone knows no more than the plan with its configuration: decided
// without the configuration (--no-config), every job of every example is
// decided as with it, or unknown, never the other decided verdict.
func TestExamplesPlanAloneIsAtWorstUnknown(t *testing.T) {
	for name := range examples {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(examplesDir, name)
			plan := filepath.Join(dir, "plan.json")
			withConfig := map[string]string{}
			for _, j := range validateExample(t, dir, plan).Jobs {
				withConfig[j.Address] = j.Verdict
			}
			alone := validateExampleWith(t, dir, plan, "")
			if len(alone.Jobs) != len(withConfig) {
				t.Errorf("plan alone decides %d jobs, with the configuration %d", len(alone.Jobs), len(withConfig))
			}
			for _, j := range alone.Jobs {
				want, ok := withConfig[j.Address]
				if !ok {
					t.Errorf("%s decided from the plan alone but not with the configuration", j.Address)
					continue
				}
				if j.Verdict != want && j.Verdict != report.Unknown {
					t.Errorf("%s: plan alone decides %s, with the configuration %s; findings: %+v", j.Address, j.Verdict, want, j.Findings)
				}
			}
		})
	}
}
