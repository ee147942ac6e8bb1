package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive/awsfake"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
	"github.com/glueaccess/terraform-provider-glueaccess/validator"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// The tests of glueaccess validate's command line: flags, exit codes and
// messages, through runValidate as the binary runs it.

// examplesDir holds the bundled example plans.
var examplesDir = filepath.Join(repoRoot, "examples", "validate")

// livePlan is validator's plan of a job reading a bucket and key of
// another account, whose policies the --aws lookups read (awsfake.World).
var livePlan = filepath.Join(repoRoot, "validator", "testdata", "plans", "live-outside", "plan.json")

// Policies of the world of livePlan (awsfake.World).
const (
	denyRoleBucketPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyGlueLive","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-data/*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/glue-live"}}}]}`
	delegatingKeyPolicy  = `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	regionSCP            = `{"Version":"2012-10-17","Statement":[{"Sid":"StayInEurope","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`
)

func TestRunExitCodes(t *testing.T) {
	ex := func(name string) string { return filepath.Join(examplesDir, name, "plan.json") }
	dir := t.TempDir()
	// Suppressing the only deny of multi-job leaves one unknown job.
	suppress := filepath.Join(dir, "suppress.hcl")
	if err := os.WriteFile(suppress, []byte(`suppress {
  job    = "aws_glue_job.reporting"
  id     = "GA001"
  reason = "logs bucket access is granted by another team's policy"
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	badConfig := filepath.Join(dir, "bad.hcl")
	if err := os.WriteFile(badConfig, []byte("surprise {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		args []string
		code int
		out  string // text the output must contain
	}{
		"denied job exits 1":                    {[]string{ex("ga001-deny")}, validator.ExitDenied, "DENIED aws_glue_job.nightly"},
		"allowed job exits 0":                   {[]string{ex("ga001-fixed")}, validator.ExitAllowed, "ALLOWED aws_glue_job.nightly"},
		"typo warned and hinted":                {[]string{ex("typo-action")}, validator.ExitDenied, `  warning: aws_iam_role_policy.glue statement 0 ("ReadScripts"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`},
		"typo hint on the finding":              {[]string{ex("typo-action")}, validator.ExitDenied, "rests on: aws_iam_role_policy.glue statement 0 names s3:GetObjects; did you mean s3:GetObject?"},
		"flags after the file":                  {[]string{ex("ga001-fixed"), "--format", "json"}, validator.ExitAllowed, `"verdict": "allowed"`},
		"suppressed deny, unknown left":         {[]string{"--config", suppress, ex("multi-job")}, validator.ExitAllowed, "suppressed deny"},
		"fail on unknown":                       {[]string{"--config", suppress, "--fail-on", "unknown", ex("multi-job")}, validator.ExitDenied, "UNKNOWN aws_glue_job.legacy"},
		"suppression naming no job is an error": {[]string{"--config", suppress, ex("ga001-fixed")}, validator.ExitError, "not an aws_glue_job of this plan"},
		"unknown format":                        {[]string{"--format", "xml", ex("ga001-fixed")}, validator.ExitError, ""},
		"bad fail-on":                           {[]string{"--fail-on", "warning", ex("ga001-fixed")}, validator.ExitError, ""},
		"no file":                               {nil, validator.ExitError, ""},
		"two files":                             {[]string{ex("ga001-fixed"), ex("ga001-deny")}, validator.ExitError, ""},
		"config with unknown block":             {[]string{"--config", badConfig, ex("ga001-fixed")}, validator.ExitError, ""},
		"missing config":                        {[]string{"--config", filepath.Join(dir, "none.hcl"), ex("ga001-fixed")}, validator.ExitError, ""},
		"bad max size":                          {[]string{"--max-plan-bytes", "lots", ex("ga001-fixed")}, validator.ExitError, ""},
		"plan over max size":                    {[]string{"--max-plan-bytes", "100", ex("ga001-fixed")}, validator.ExitError, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runValidate(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.out) {
				t.Errorf("output does not contain %q:\n%s", tc.out, stdout.String())
			}
			if tc.code == validator.ExitError && stderr.Len() == 0 && !strings.Contains(stdout.String(), "error") {
				t.Error("exit 2 without saying why")
			}
		})
	}
}

func TestEveryFormatRendersAnExample(t *testing.T) {
	for _, format := range report.Names() {
		t.Run(format, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runValidate([]string{"--format", format, filepath.Join(examplesDir, "ga004-deny", "plan.json")}, &stdout, &stderr)
			if code != validator.ExitDenied {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), "GA004") {
				t.Errorf("%s output does not name GA004:\n%s", format, stdout.String())
			}
			if format == "json" || format == "sarif" {
				var v any
				if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
					t.Errorf("%s output is not JSON: %v", format, err)
				}
			}
		})
	}
}

// copyExample copies an example's files (not its subdirectories) into a
// temporary directory, replacing main.tf when mainTF is not empty.
func copyExample(t *testing.T, name, mainTF string) string {
	t.Helper()
	src := filepath.Join(examplesDir, name)
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "main.tf" && mainTF != "" {
			data = []byte(mainTF)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestRunWithConfiguration(t *testing.T) {
	twin := filepath.Join(examplesDir, "greenfield-ga001-deny")
	plan := filepath.Join(twin, "plan.json")
	other := filepath.Join(examplesDir, "greenfield-ga004-deny")
	mainTF, err := os.ReadFile(filepath.Join(twin, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	syntax := copyExample(t, "greenfield-ga001-deny", strings.Replace(string(mainTF), "Version = \"2012-10-17\"", "Version = ", 1))
	badRef := copyExample(t, "greenfield-ga001-deny", strings.Replace(string(mainTF), "aws_s3_bucket.data.arn", "aws_s3_bucket.nope.arn", 1))
	empty := t.TempDir()
	cases := map[string]struct {
		args    []string
		code    int
		stdout  []string // every one must appear
		stderr  string
		absent  string // must not appear in stdout
		warning bool   // the report carries a configuration warning
	}{
		"configuration decides": {
			args: []string{"--verbose", "--config-dir", twin, plan}, code: validator.ExitDenied,
			stdout: []string{"DENIED aws_glue_job.nightly", "at main.tf:67", "assumes: aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:35)"},
			absent: "unknown (policy-unknown)",
		},
		"no-config decides from the plan alone": {
			args: []string{"--no-config", plan}, code: validator.ExitAllowed,
			stdout: []string{"UNKNOWN aws_glue_job.nightly", "unknown (policy-unknown)"},
			absent: "at main.tf",
		},
		"configuration of another plan": {
			args: []string{"--config-dir", other, plan}, code: validator.ExitAllowed, warning: true,
			stdout: []string{"is not the one", "aws_glue_connection.vpc", "decided from the plan alone", "UNKNOWN aws_glue_job.nightly"},
			stderr: "warning: the Terraform configuration in " + other,
		},
		"syntax error": {
			args: []string{"--config-dir", syntax, plan}, code: validator.ExitAllowed, warning: true,
			stdout: []string{"is invalid (main.tf:43: ", "decided from the plan alone", "UNKNOWN aws_glue_job.nightly"},
			stderr: "main.tf:43",
		},
		"undeclared reference": {
			args: []string{"--config-dir", badRef, plan}, code: validator.ExitAllowed, warning: true,
			stdout: []string{"main.tf:", "Reference to undeclared resource", "decided from the plan alone", "UNKNOWN aws_glue_job.nightly"},
			stderr: "Reference to undeclared resource",
		},
		"config-dir without configuration": {args: []string{"--config-dir", empty, plan}, code: validator.ExitError, stderr: "no .tf or .tf.json files"},
		"config-dir missing":               {args: []string{"--config-dir", filepath.Join(empty, "none"), plan}, code: validator.ExitError, stderr: "--config-dir"},
		"config-dir and no-config":         {args: []string{"--config-dir", twin, "--no-config", plan}, code: validator.ExitError, stderr: "exclude each other"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runValidate(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("output does not contain %q:\n%s", s, stdout.String())
				}
			}
			if tc.absent != "" && strings.Contains(stdout.String(), tc.absent) {
				t.Errorf("output contains %q:\n%s", tc.absent, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr does not contain %q: %s", tc.stderr, stderr.String())
			}
			if got := strings.Count(stdout.String(), "warning: "); tc.warning != (got == 1) {
				t.Errorf("%d configuration warnings in the text report, want one: %v", got, tc.warning)
			}
			if tc.code == validator.ExitError {
				return
			}
			// Every format carries the warning.
			for _, format := range []string{"json", "sarif", "github", "markdown"} {
				var out bytes.Buffer
				runValidate(append([]string{"--format", format}, tc.args...), &out, &bytes.Buffer{})
				if has := strings.Contains(out.String(), "decided from the plan alone"); has != tc.warning {
					t.Errorf("%s output mentions the configuration warning: %v, want %v", format, has, tc.warning)
				}
			}
		})
	}
}

func TestSARIFPointsAtTheConfiguration(t *testing.T) {
	twin := filepath.Join(examplesDir, "greenfield-ga002-deny")
	var stdout bytes.Buffer
	if code := runValidate([]string{"--format", "sarif", "--config-dir", twin, filepath.Join(twin, "plan.json")}, &stdout, &bytes.Buffer{}); code != validator.ExitDenied {
		t.Fatalf("exit %d", code)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != 1 || len(res[0].Locations) != 1 || len(res[0].RelatedLocations) != 1 {
		t.Fatalf("results %+v, want one with one location and the job as related location", res)
	}
	// Files are named from the repository root, where code scanning looks.
	const file = "examples/validate/greenfield-ga002-deny/main.tf"
	loc, job := res[0].Locations[0].PhysicalLocation, res[0].RelatedLocations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != file || loc.Region.StartLine != 65 {
		t.Errorf("location %+v, want the deciding statement at %s:65", loc, file)
	}
	if job.ArtifactLocation.URI != file || job.Region.StartLine != 90 {
		t.Errorf("related location %+v, want the job at %s:90", job, file)
	}
}

// TestRunReadsTheWorkingDirectory runs validate where terraform plan ran, as
// in CI: the configuration there is used without --config-dir.
func TestRunReadsTheWorkingDirectory(t *testing.T) {
	twin, err := filepath.Abs(filepath.Join(examplesDir, "greenfield-ga001-deny"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(twin)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"configuration of the working directory", []string{"plan.json"}, validator.ExitDenied, "DENIED aws_glue_job.nightly (job nightly, role arn:aws:iam::111122223333:role/glue-etl) at main.tf:67"},
		{"no-config", []string{"--no-config", "plan.json"}, validator.ExitAllowed, "UNKNOWN aws_glue_job.nightly (job nightly, role arn:aws:iam::111122223333:role/glue-etl)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runValidate(tc.args, &stdout, &stderr); code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, stdout.String())
			}
		})
	}
}

func TestAWSFlags(t *testing.T) {
	awsfake.Isolate(t)
	fake := awsfake.New(t, awsfake.World(denyRoleBucketPolicy, delegatingKeyPolicy, regionSCP))
	// The CLI has no credentials flag: supply the fake ones the SDK's way.
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.KeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.Secret)
	var stdout, stderr bytes.Buffer
	code := runValidate([]string{"--aws", "--aws-endpoint-url", fake.URL, "--aws-region", "eu-west-1", "--format", "json", livePlan}, &stdout, &stderr)
	if code != validator.ExitDenied {
		t.Fatalf("exit %d, want %d (denied); stderr %s", code, validator.ExitDenied, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, `"policy": "s3:GetBucketPolicy arn:aws:s3:::partner-data (live)"`) {
		t.Errorf("report does not cite the live bucket policy:\n%s", out)
	}
	if strings.Contains(out+stderr.String(), awsfake.Secret) || strings.Contains(out+stderr.String(), awsfake.KeyID) {
		t.Error("credentials printed")
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet got %q", stderr.String())
	}
}

func TestValidateRejectsWhatIsNotAPlan(t *testing.T) {
	t.Parallel()
	for name, tc := range plantest.NotPlans() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "missing.json")
			if tc.Data != nil {
				path = plantest.WriteFile(t, "plan.json", tc.Data)
			}
			var stdout, stderr bytes.Buffer
			code := runValidate([]string{"--config", "", path}, &stdout, &stderr)
			if code != validator.ExitError {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, validator.ExitError, stderr.String())
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
		if got := setMemoryLimit(tc.plan); got != tc.want || debug.SetMemoryLimit(-1) != tc.want {
			t.Errorf("plan limit %d: memory limit %d (runtime %d), want %d", tc.plan, got, debug.SetMemoryLimit(-1), tc.want)
		}
	}
	t.Setenv("GOMEMLIMIT", "123MiB")
	before := debug.SetMemoryLimit(-1)
	if got := setMemoryLimit(1 << 30); got != before {
		t.Errorf("with GOMEMLIMIT set the limit became %d, want it left at %d", got, before)
	}
}
