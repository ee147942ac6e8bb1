package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is where the bundled examples live, relative to this package.
const repoRoot = "../.."

// TestSimulateExamples runs the simulate examples that `make demo` and README.md
// show: each file carries its expected decision, and the command must report
// every expectation as met.
func TestSimulateExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", "simulate", "*.json"))
	if err != nil || len(files) < 3 {
		t.Fatalf("want the bundled simulate examples, got %v (%v)", files, err)
	}
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"simulate", "--format", "json"}, files...), &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit code %d, want 1 (the examples include denials); stderr: %s", code, stderr.String())
	}
	decisions := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var out struct {
			File        string `json:"file"`
			Decision    string `json:"decision"`
			Expectation struct {
				Met         bool     `json:"met"`
				Differences []string `json:"differences"`
			} `json:"expectation"`
		}
		if err := json.Unmarshal([]byte(line), &out); err != nil {
			t.Fatalf("output line is not JSON: %v\n%s", err, line)
		}
		if !out.Expectation.Met {
			t.Errorf("%s: expectation not met: %v", out.File, out.Expectation.Differences)
		}
		decisions[filepath.Base(out.File)] = out.Decision
	}
	want := map[string]string{
		"allowed.json":         "Allowed",
		"denied.json":          "ExplicitlyDenied",
		"denied-no-allow.json": "ImplicitlyDenied",
	}
	for file, decision := range want {
		if decisions[file] != decision {
			t.Errorf("%s decided %q, want %q", file, decisions[file], decision)
		}
	}
}

// TestValidateDemo runs the validate command of `make demo`: a greenfield plan
// whose job is denied by a bucket policy, decided from the configuration.
func TestValidateDemo(t *testing.T) {
	dir := filepath.Join(repoRoot, "examples", "validate", "greenfield-ga002-deny")
	var stdout, stderr bytes.Buffer
	code := run([]string{"validate", "--config-dir", dir, filepath.Join(dir, "plan.json")}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit code %d, want 1 (denied); stderr: %s\nstdout: %s", code, stderr.String(), stdout.String())
	}
	out := stdout.String()
	for _, want := range []string{"DENIED aws_glue_job.nightly", "GA002", `Sid "OnlyThroughVpce"`, "fix:"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageAndUnknownCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no arguments", nil, 2, "usage: glueaccess"},
		{"help", []string{"help"}, 0, "simulate"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if !strings.Contains(stderr.String()+stdout.String(), tt.want) {
				t.Errorf("output lacks %q:\n%s%s", tt.want, stdout.String(), stderr.String())
			}
		})
	}
}
