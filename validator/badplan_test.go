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

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
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
	for name, tc := range plantest.NotPlans() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "missing.json")
			if tc.Data != nil {
				path = writeFile(t, "plan.json", tc.Data)
			}
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := Run([]string{"--config", "", path}, &stdout, &stderr)
			if code != ExitError {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, ExitError, stderr.String())
			}
			msg := stderr.String()
			if !strings.Contains(msg, path) {
				t.Errorf("message does not name the file %s: %s", path, clipString(msg, 40))
			}
			if !strings.Contains(msg, tc.Want) {
				t.Errorf("message %q does not say %q", clipString(msg, 300), tc.Want)
			}
			if len(msg) > 2000 {
				t.Errorf("message is %d bytes; hostile input must not be echoed", len(msg))
			}
			if stdout.Len() != 0 {
				t.Errorf("wrote a report for bad input: %s", clipString(stdout.String(), 40))
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
