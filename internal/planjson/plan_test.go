package planjson

import (
	"path/filepath"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
)

// largePlan builds a plan of n jobs from validator's benchmark plan
// (plantest.Large).
func largePlan(tb testing.TB, n int) []byte {
	return plantest.Large(tb, filepath.Join("..", "..", "validator", "testdata", "bench", "plan.json"), n)
}
