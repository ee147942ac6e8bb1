package planjson

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
)

func TestLoadRefusesWhatIsNotAPlan(t *testing.T) {
	t.Parallel()
	for name, tc := range plantest.NotPlans() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "missing.json")
			if tc.Data != nil {
				path = plantest.WriteFile(t, "plan.json", tc.Data)
			}
			doc, err := Load(path, LoadOptions{})
			if doc != nil || !errors.Is(err, ErrNotAPlan) {
				t.Fatalf("Load = %v, %v; want an error wrapping ErrNotAPlan", doc, err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, tc.Want) {
				t.Errorf("error %q does not name the file %s and say %q", clip([]byte(msg)), path, tc.Want)
			}
		})
	}
}

func TestLoadPlanRefusesFilesOverTheLimit(t *testing.T) {
	t.Parallel()
	path := plantest.WriteFile(t, "plan.json", []byte(`{"format_version":"1.2","planned_values":{"root_module":{}}}`))
	_, err := Load(path, LoadOptions{MaxBytes: 10})
	if err == nil || !strings.Contains(err.Error(), "over the 10-byte limit") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want the size limit named with the file", err)
	}
	if _, err := Load(path, LoadOptions{MaxBytes: 1 << 20}); err != nil {
		t.Fatalf("a file under the limit was refused: %v", err)
	}
}

func TestDecodePlanHandlesA64MBStringValue(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 64<<20)
	data := []byte(`{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[{"address":"aws_s3_object.big","mode":"managed","type":"aws_s3_object","name":"big","values":{"content":"` + huge + `"}}]}}}`)
	p, err := Decode(data)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	ix := Index(p)
	r := ix.Lookup("aws_s3_object.big")
	if r == nil || len(r.Attribute("content").(string)) != 64<<20 {
		t.Fatalf("the 64 MB value was not kept")
	}
}

func TestFormatVersionRange(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{"0.1": true, "0.2": true, "1.0": true, "1.2": true, "1.99": true, "0.0": false, "2.0": false, "10.1": false, "1.2.3": true, "": false, "1.x": false, "+1.2": false, "1.2.3.4": false}
	for v, ok := range cases {
		err := checkFormatVersion(v)
		if (err == nil) != ok {
			t.Errorf("format_version %q: err = %v, want accepted=%v", v, err, ok)
		}
	}
}
