package validator

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// FuzzValidate feeds arbitrary bytes, seeded with the example plans, through
// decoding, indexing, fact building and the checks: bad input may be
// rejected, never panic.
func FuzzValidate(f *testing.F) {
	for _, name := range []string{"ga004-deny"} {
		data, err := os.ReadFile(filepath.Join(examplesDir, name, "plan.json"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"address":"aws_glue_job.j","mode":"managed","type":"aws_glue_job","name":"j","change":{"actions":["create"],"after":{"role_arn":7,"command":"x","connections":[1]},"after_unknown":true}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := planjson.Decode(data)
		if err != nil {
			return
		}
		rep := decide(newPlanIndex(doc), nil, nil, time.Time{}, nil)
		if rep.Summary.Jobs != rep.Summary.Allowed+rep.Summary.Denied+rep.Summary.Unknown {
			t.Fatalf("summary does not add up: %+v", rep.Summary)
		}
	})
}
