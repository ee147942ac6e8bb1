package validator

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseConfig feeds arbitrary bytes to the .glueaccess.hcl parser: it must
// never panic, and it must either return declarations or an error, never both
// nil.
func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "validate", "*", ".glueaccess.hcl"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("job \"aws_glue_job.x\" {\n  access {\n    path = \"s3://b/p/\"\n    mode = \"read\"\n  }\n}\n"))
	f.Add([]byte("suppress {\n}\n"))
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		decl, err := parseConfig(data, ".glueaccess.hcl", ".glueaccess.hcl")
		if err == nil && decl == nil {
			t.Fatal("ParseConfig returned neither declarations nor an error")
		}
	})
}
