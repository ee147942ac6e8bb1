package simulate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// FuzzDecode feeds arbitrary bytes to the request-file decoder: it must never
// panic, must either return a case or an error of one of the two documented
// classes, and a decoded case must be evaluable.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"request":{"principal":"arn:aws:iam::111122223333:role/r","action":"s3:GetObject","resource":"*"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode("fuzz.json", data)
		if err != nil {
			if !errors.Is(err, ErrInvalidRequestFile) && !errors.Is(err, iam.ErrPolicySyntax) {
				t.Fatalf("error outside the documented classes: %v", err)
			}
			return
		}
		if c == nil || c.Input == nil || c.Request == nil {
			t.Fatalf("nil case parts without an error: %+v", c)
		}
		_ = iam.Evaluate(c.Input, c.Request)
	})
}
