package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
)

// allowedPlan writes the ga001-fixed example plan with its job planned n
// times under other addresses and names: a plan where every job is allowed.
func allowedPlan(t *testing.T, n int) string {
	t.Helper()
	plan := plantest.Map(t, filepath.Join(repoRoot, "examples", "validate", "ga001-fixed", "plan.json"))
	// copies returns list with every aws_glue_job.nightly element made n
	// elements, aws_glue_job.jobNN named etl-NN.
	copies := func(list []any, after func(map[string]any) map[string]any) []any {
		var out []any
		for _, e := range list {
			m := e.(map[string]any)
			if m["address"] != "aws_glue_job.nightly" {
				out = append(out, e)
				continue
			}
			for i := range n {
				c := plantest.Clone(m).(map[string]any)
				c["address"], c["name"] = fmt.Sprintf("aws_glue_job.job%02d", i), fmt.Sprintf("job%02d", i)
				after(c)["name"] = fmt.Sprintf("etl-%02d", i)
				out = append(out, c)
			}
		}
		return out
	}
	plan["resource_changes"] = copies(plan["resource_changes"].([]any), func(rc map[string]any) map[string]any {
		return rc["change"].(map[string]any)["after"].(map[string]any)
	})
	root := plan["planned_values"].(map[string]any)["root_module"].(map[string]any)
	root["resources"] = copies(root["resources"].([]any), func(r map[string]any) map[string]any {
		return r["values"].(map[string]any)
	})
	// The configuration (where role_arn's reference is) has one block per
	// job too.
	conf := plan["configuration"].(map[string]any)["root_module"].(map[string]any)
	conf["resources"] = copies(conf["resources"].([]any), func(r map[string]any) map[string]any { return map[string]any{} })
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return plantest.WriteFile(t, "plan.json", out)
}

// TestAllowedJobsOneLineEach: a plan where nothing is wrong prints its
// header and notes, one line per job, and the summary; --verbose adds each
// job's assumptions.
func TestAllowedJobsOneLineEach(t *testing.T) {
	const jobs = 36
	plan := allowedPlan(t, jobs)
	code, out, errOut := validate(t, "--no-config", plan)
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	blank := 0
	for blank < len(lines) && lines[blank] != "" {
		if blank > 0 && !strings.HasPrefix(lines[blank], "note: ") {
			t.Errorf("line %d %q: want the plan's notes before the jobs", blank+1, lines[blank])
		}
		blank++
	}
	body := lines[blank+1:]
	if len(body) != jobs+3 {
		t.Fatalf("%d lines after the plan's notes, want one per job (%d), a blank line, the summary and what is not shown:\n%s", len(body), jobs, out)
	}
	for i, l := range body[:jobs] {
		if want := fmt.Sprintf("ALLOWED aws_glue_job.job%02d (job etl-%02d, role ", i, i); !strings.HasPrefix(l, want) {
			t.Errorf("line %q, want it to begin %q", l, want)
		}
	}
	if body[jobs] != "" || body[jobs+1] != "36 Glue jobs: 36 allowed, 0 denied, 0 unknown (0 findings, 0 suppressed)" ||
		body[jobs+2] != "36 assumptions on jobs not shown (--verbose shows them)" {
		t.Errorf("summary %q", body[jobs:])
	}

	code, verbose, _ := validate(t, "--no-config", "--verbose", plan)
	if code != 0 || strings.Count(verbose, "\n  assumes: ") != jobs || strings.Contains(verbose, "not shown") {
		t.Errorf("--verbose: exit %d, want each job's assumption and nothing said hidden:\n%s", code, verbose)
	}
}

// TestPluralsThroughTheCLI: one job, one finding.
func TestPluralsThroughTheCLI(t *testing.T) {
	dir := filepath.Join(repoRoot, "examples", "validate", "ga001-deny")
	code, out, errOut := validate(t, "--config-dir", dir, filepath.Join(dir, "plan.json"))
	if code != 1 || !strings.Contains(out, "\n1 Glue job: 0 allowed, 1 denied, 0 unknown (1 finding, 0 suppressed)\n") {
		t.Errorf("exit %d; stderr %s; summary not in the singular:\n%s", code, errOut, out)
	}
	code, md, _ := validate(t, "--config-dir", dir, "--format", "markdown", filepath.Join(dir, "plan.json"))
	if code != 1 || !strings.Contains(md, "1 of 1 Glue job would get 403") || !strings.Contains(md, "; 1 finding (0 suppressed).") {
		t.Errorf("markdown not in the singular:\n%s", md)
	}
}

// TestColorFlagAndNoColor: --color always and never win over everything;
// auto colours only a terminal, and NO_COLOR turns it off only when it is
// not empty. Output to a buffer is not a terminal.
func TestColorFlagAndNoColor(t *testing.T) {
	plan := allowedPlan(t, 1)
	const green = "\x1b[32mALLOWED\x1b[0m"
	tests := []struct {
		flag    string
		noColor string // "-" unsets it
		want    bool
	}{
		{"always", "-", true},
		{"always", "1", true},
		{"never", "-", false},
		{"auto", "-", false},
		{"auto", "", false},
		{"", "-", false},
	}
	for _, tc := range tests {
		t.Run(tc.flag+" NO_COLOR="+tc.noColor, func(t *testing.T) {
			setNoColor(t, tc.noColor)
			args := []string{"--no-config", plan}
			if tc.flag != "" {
				args = append([]string{"--color", tc.flag}, args...)
			}
			code, out, errOut := validate(t, args...)
			if code != 0 || strings.Contains(out, green) != tc.want || !tc.want && strings.Contains(out, "\x1b") {
				t.Errorf("exit %d, colour %v, want %v; stderr %s\n%q", code, strings.Contains(out, green), tc.want, errOut, out)
			}
		})
	}
	if code, _, errOut := validate(t, "--color", "sometimes", "--no-config", plan); code != 2 || !strings.Contains(errOut, `--color "sometimes": want auto, always, never`) {
		t.Errorf("--color sometimes: exit %d, stderr %s", code, errOut)
	}
}

// setNoColor sets NO_COLOR for the test, "-" unsetting it.
func setNoColor(t *testing.T, v string) {
	t.Setenv("NO_COLOR", v)
	if v == "-" {
		os.Unsetenv("NO_COLOR")
	}
}
