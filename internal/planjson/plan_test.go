package planjson

import (
	"path/filepath"
	"slices"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
)

// largePlan builds a plan of n jobs from validator's benchmark plan
// (plantest.Large).
func largePlan(tb testing.TB, n int) []byte {
	return plantest.Large(tb, filepath.Join("..", "..", "validator", "testdata", "bench", "plan.json"), n)
}

// TestOfTypeIsTheScan holds OfType, an index, to the scan of every resource
// it replaced, for every mode and type of every plan in the repository and
// for types no plan has, and checks that appending to its answer does not
// write into the index.
func TestOfTypeIsTheScan(t *testing.T) {
	paths, err := filepath.Glob("../../examples/validate/*/plan.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example plans: %v", err)
	}
	more, err := filepath.Glob("../../validator/testdata/plans/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range append(paths, more...) {
		doc, err := Load(path, LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ix := Index(doc)
		type modeType struct {
			mode tfjson.ResourceMode
			typ  string
		}
		asked := map[modeType]bool{
			{tfjson.ManagedResourceMode, "aws_no_such_type"}: true,
			{tfjson.DataResourceMode, "aws_glue_job"}:        true,
			{tfjson.ManagedResourceMode, ""}:                 true,
			{tfjson.ManagedResourceMode, "zzz"}:              true,
		}
		for _, r := range ix.Resources {
			asked[modeType{r.Mode, r.Type}] = true
		}
		for mt := range asked {
			var want []*Resource
			for _, r := range ix.Resources {
				if r.Mode == mt.mode && r.Type == mt.typ {
					want = append(want, r)
				}
			}
			got := ix.OfType(mt.mode, mt.typ)
			if !slices.Equal(got, want) {
				t.Errorf("%s: OfType(%s, %q) = %d instances, want the %d the scan finds", path, mt.mode, mt.typ, len(got), len(want))
			}
			if cap(got) != len(got) {
				t.Errorf("%s: OfType(%s, %q) has room to append into the index", path, mt.mode, mt.typ)
			}
		}
	}
}
