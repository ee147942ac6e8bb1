package validator

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// decision is what a twin must share with its original: per job the verdict
// and per finding its id, verdict, action, resource and reason.
func decision(rep *report.Report) map[string][]string {
	out := map[string][]string{}
	for _, j := range rep.Jobs {
		d := []string{"verdict " + j.Verdict}
		for _, f := range j.Findings {
			d = append(d, strings.Join([]string{f.ID, f.Verdict, f.Action, f.Resource, f.Reason}, " "))
		}
		out[j.Address] = d
	}
	return out
}

func unknownFindings(rep *report.Report) int {
	n := 0
	for _, j := range rep.Jobs {
		for _, f := range j.Findings {
			if f.Verdict == report.VerdictUnknown {
				n++
			}
		}
	}
	return n
}

func TestGreenfieldTwinsDecideAsTheirOriginals(t *testing.T) {
	for _, name := range greenfieldTwins {
		t.Run(name, func(t *testing.T) {
			orig := filepath.Join(examplesDir, name)
			twin := filepath.Join(examplesDir, "greenfield-"+name)
			want := validateExample(t, orig, filepath.Join(orig, "plan.json"))
			got := validateExample(t, twin, filepath.Join(twin, "plan.json"))
			if len(got.Plan.Warnings) != 0 {
				t.Fatalf("the twin's configuration was not used: %q", got.Plan.Warnings)
			}
			wd, gd := decision(want), decision(got)
			for _, addr := range slices.Sorted(maps.Keys(wd)) {
				if !slices.Equal(gd[addr], wd[addr]) {
					t.Errorf("%s decided\n  %q\nwant, as the original,\n  %q", addr, gd[addr], wd[addr])
				}
			}
			if len(gd) != len(wd) {
				t.Errorf("%d jobs decided, the original has %d", len(gd), len(wd))
			}
			// The plan alone leaves what the configuration determines unknown:
			// without it the twin is not decided like the original.
			planOnly := validateExampleWith(t, twin, filepath.Join(twin, "plan.json"), "")
			if unknownFindings(planOnly) <= unknownFindings(got) {
				t.Errorf("plan alone has %d unknown findings, with the configuration %d: the twin is not greenfield", unknownFindings(planOnly), unknownFindings(got))
			}
		})
	}
}

func TestGreenfieldFindingsCiteDerivedValues(t *testing.T) {
	dir := filepath.Join(examplesDir, "greenfield-ga002-deny")
	rep := validateExample(t, dir, filepath.Join(dir, "plan.json"))
	if len(rep.Jobs) != 1 || len(rep.Jobs[0].Findings) != 1 {
		t.Fatalf("jobs %+v, want one job with one finding", rep.Jobs)
	}
	j := rep.Jobs[0]
	f := j.Findings[0]
	if f.ID != "GA002" || f.DecidedBy == nil || f.DecidedBy.Sid != "OnlyThroughVpce" {
		t.Fatalf("finding %+v, want GA002 decided by statement OnlyThroughVpce", f)
	}
	if loc := f.DecidedBy.Location; loc == nil || loc.String() != "main.tf:65" {
		t.Errorf("deciding statement at %v, want main.tf:65 (its statement block)", loc)
	}
	if j.Location == nil || j.Location.String() != "main.tf:90" {
		t.Errorf("job at %v, want main.tf:90", j.Location)
	}
	const arn = "aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:35)"
	if !slices.Contains(f.Evidence, arn) {
		t.Errorf("evidence %q does not say the bucket ARN the policy names was derived", f.Evidence)
	}
	var codes []string
	for _, a := range j.Assumptions {
		if a.Text == arn {
			codes = append(codes, a.Code)
		}
	}
	if !slices.Equal(codes, []string{"derived-value"}) {
		t.Errorf("assumptions %+v do not state the derived bucket ARN once", j.Assumptions)
	}
}

func TestStatementLocations(t *testing.T) {
	tests := []struct {
		example, want string
	}{
		{"greenfield-ga007-deny", "main.tf:78"},  // jsonencode({Statement = [{...}]})
		{"greenfield-ga002-deny", "main.tf:65"},  // statement block of a data aws_iam_policy_document
		{"greenfield-ga004-deny", "main.tf:102"}, // no statement allows: the policy argument
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			dir := filepath.Join(examplesDir, tc.example)
			rep := validateExample(t, dir, filepath.Join(dir, "plan.json"))
			for _, j := range rep.Jobs {
				for _, f := range j.Findings {
					if f.Verdict == report.VerdictDeny && f.DecidedBy != nil {
						if f.DecidedBy.Location == nil || f.DecidedBy.Location.String() != tc.want {
							t.Errorf("%s decided by %s at %v, want %s", f.ID, f.DecidedBy.Describe(), f.DecidedBy.Location, tc.want)
						}
						return
					}
				}
			}
			t.Fatal("no deny finding with a deciding policy")
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
			args: []string{"--verbose", "--config-dir", twin, plan}, code: ExitDenied,
			stdout: []string{"DENIED aws_glue_job.nightly", "at main.tf:67", "assumes: aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:35)"},
			absent: "unknown (policy-unknown)",
		},
		"no-config decides from the plan alone": {
			args: []string{"--no-config", plan}, code: ExitAllowed,
			stdout: []string{"UNKNOWN aws_glue_job.nightly", "unknown (policy-unknown)"},
			absent: "at main.tf",
		},
		"configuration of another plan": {
			args: []string{"--config-dir", other, plan}, code: ExitAllowed, warning: true,
			stdout: []string{"is not the one", "aws_glue_connection.vpc", "decided from the plan alone", "UNKNOWN aws_glue_job.nightly"},
			stderr: "warning: the Terraform configuration in " + other,
		},
		"syntax error": {
			args: []string{"--config-dir", syntax, plan}, code: ExitAllowed, warning: true,
			stdout: []string{"is invalid (main.tf:43: ", "decided from the plan alone", "UNKNOWN aws_glue_job.nightly"},
			stderr: "main.tf:43",
		},
		"undeclared reference": {
			args: []string{"--config-dir", badRef, plan}, code: ExitAllowed, warning: true,
			stdout: []string{"main.tf:", "Reference to undeclared resource", "decided from the plan alone", "UNKNOWN aws_glue_job.nightly"},
			stderr: "Reference to undeclared resource",
		},
		"config-dir without configuration": {args: []string{"--config-dir", empty, plan}, code: ExitError, stderr: "no .tf or .tf.json files"},
		"config-dir missing":               {args: []string{"--config-dir", filepath.Join(empty, "none"), plan}, code: ExitError, stderr: "--config-dir"},
		"config-dir and no-config":         {args: []string{"--config-dir", twin, "--no-config", plan}, code: ExitError, stderr: "exclude each other"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tc.args, &stdout, &stderr)
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
			if tc.code == ExitError {
				return
			}
			// Every format carries the warning.
			for _, format := range []string{"json", "sarif", "github", "markdown"} {
				var out bytes.Buffer
				Run(append([]string{"--format", format}, tc.args...), &out, &bytes.Buffer{})
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
	if code := Run([]string{"--format", "sarif", "--config-dir", twin, filepath.Join(twin, "plan.json")}, &stdout, &bytes.Buffer{}); code != ExitDenied {
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
		{"configuration of the working directory", []string{"plan.json"}, ExitDenied, "DENIED aws_glue_job.nightly (job nightly, role arn:aws:iam::111122223333:role/glue-etl) at main.tf:67"},
		{"no-config", []string{"--no-config", "plan.json"}, ExitAllowed, "UNKNOWN aws_glue_job.nightly (job nightly, role arn:aws:iam::111122223333:role/glue-etl)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(tc.args, &stdout, &stderr); code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, stdout.String())
			}
		})
	}
}
