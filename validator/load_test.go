package validator

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// writeFile writes data to a file in a test directory and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateRejectsWhatIsNotAPlan(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	huge := strings.Repeat("a", 64<<20)
	plan := `{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{}},"resource_changes":[]}`
	cases := map[string]struct {
		data []byte // nil: the file does not exist
		want string // what the message says the file is
	}{
		"empty file":                 {[]byte(""), "is empty"},
		"only whitespace":            {[]byte(" \n\t "), "is empty"},
		"not JSON":                   {[]byte("plan: yes\n"), "is not JSON"},
		"JSON array":                 {[]byte(`[{"format_version":"1.2"}]`), "is a JSON array"},
		"JSON scalar":                {[]byte(`"1.2"`), "is a single JSON value"},
		"state JSON":                 {[]byte(`{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`), "is a state"},
		"provider schema dump":       {[]byte(`{"format_version":"1.0","provider_schemas":{"registry.terraform.io/hashicorp/aws":{}}}`), "is a provider schema dump"},
		"future format version":      {[]byte(`{"format_version":"2.0","planned_values":{"root_module":{}}}`), `format_version "2.0"`},
		"format version not numeric": {[]byte(`{"format_version":"one","planned_values":{}}`), "not a version number"},
		"format version a number":    {[]byte(`{"format_version":1.2,"planned_values":{}}`), "has a number where a plan has a string (field format_version"},
		"no format version":          {[]byte(`{"planned_values":{"root_module":{}}}`), "without format_version"},
		"no plan sections":           {[]byte(`{"format_version":"1.2"}`), "none of planned_values"},
		"truncated":                  {[]byte(plan[:len(plan)/2]), "is truncated"},
		"binary":                     {[]byte{0x7b, 0x00, 0xff, 0xfe, 0x01}, "is binary data"},
		"wrong types":                {[]byte(`{"format_version":"1.2","resource_changes":"all of them"}`), "has a string where a plan has"},
		"100k-deep nesting":          {[]byte(`{"format_version":"1.2","planned_values":` + deep + `}`), "nested more than"},
		"64 MB format_version":       {[]byte(`{"format_version":"` + huge + `","planned_values":{}}`), "not a version number"},
		"missing file":               {nil, "cannot open"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "missing.json")
			if tc.data != nil {
				path = writeFile(t, "plan.json", tc.data)
			}
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := Run([]string{"--config", "", path}, &stdout, &stderr)
			if code != ExitError {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, ExitError, stderr.String())
			}
			msg := stderr.String()
			if !strings.Contains(msg, path) {
				t.Errorf("message does not name the file %s: %s", path, clip([]byte(msg)))
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q does not say %q", clipString(msg, 300), tc.want)
			}
			if len(msg) > 2000 {
				t.Errorf("message is %d bytes; hostile input must not be echoed", len(msg))
			}
			if stdout.Len() != 0 {
				t.Errorf("wrote a report for bad input: %s", clip(stdout.Bytes()))
			}
			if d := time.Since(start); d > 10*time.Second && !raceEnabled {
				t.Errorf("took %v", d)
			}
		})
	}
}

func clipString(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func TestLoadPlanRefusesFilesOverTheLimit(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "plan.json", []byte(`{"format_version":"1.2","planned_values":{"root_module":{}}}`))
	_, err := LoadPlan(path, LoadOptions{MaxBytes: 10})
	if err == nil || !strings.Contains(err.Error(), "over the 10-byte limit") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want the size limit named with the file", err)
	}
	if _, err := LoadPlan(path, LoadOptions{MaxBytes: 1 << 20}); err != nil {
		t.Fatalf("a file under the limit was refused: %v", err)
	}
}

func TestDecodePlanHandlesA64MBStringValue(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 64<<20)
	data := []byte(`{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[{"address":"aws_s3_object.big","mode":"managed","type":"aws_s3_object","name":"big","values":{"content":"` + huge + `"}}]}}}`)
	start := time.Now()
	p, err := DecodePlan(data)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	ix := IndexPlan(p)
	r := ix.Lookup("aws_s3_object.big")
	if r == nil || len(r.Attribute("content").(string)) != 64<<20 {
		t.Fatalf("the 64 MB value was not kept")
	}
	if d := time.Since(start); d > 10*time.Second && !raceEnabled {
		t.Errorf("took %v", d)
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

func TestSetMemoryLimitFollowsThePlanLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT")
	tests := []struct{ plan, want int64 }{
		{1 << 30, 4 << 30},
		{1 << 20, minMemoryLimit},
		{math.MaxInt64 / 2, math.MaxInt64},
	}
	for _, tc := range tests {
		if got := SetMemoryLimit(tc.plan); got != tc.want || debug.SetMemoryLimit(-1) != tc.want {
			t.Errorf("plan limit %d: memory limit %d (runtime %d), want %d", tc.plan, got, debug.SetMemoryLimit(-1), tc.want)
		}
	}
	t.Setenv("GOMEMLIMIT", "123MiB")
	before := debug.SetMemoryLimit(-1)
	if got := SetMemoryLimit(1 << 30); got != before {
		t.Errorf("with GOMEMLIMIT set the limit became %d, want it left at %d", got, before)
	}
}
