package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// These tests go through the command line as a team adopting glueaccess
// would use it: a repository whose Terraform lives in a subdirectory, run
// from the repository root.

// repo makes a repository (a directory with .git) holding the bundled
// example at infra/etl, makes it the working directory, and returns its path.
func repo(t *testing.T, example string) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join(repoRoot, "examples", "validate", example))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(root, "infra", "etl")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.tf", "plan.json"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dst, name), string(data))
	}
	t.Chdir(root)
	return root
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// glueaccess runs the command line and returns its exit code and outputs.
func glueaccess(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Plan struct {
		Config     string   `json:"config"`
		ConfigPath string   `json:"config_path"`
		Notes      []string `json:"notes"`
	} `json:"plan"`
	Jobs []struct {
		Address  string `json:"address"`
		Verdict  string `json:"verdict"`
		Location struct {
			File string `json:"file"`
			Line int    `json:"line"`
			Path string `json:"path"`
		} `json:"location"`
		Findings []struct {
			ID         string `json:"id"`
			Suppressed *struct {
				Reason string `json:"reason"`
				Source string `json:"source"`
			} `json:"suppressed"`
		} `json:"findings"`
		Notes []string `json:"notes"`
	} `json:"jobs"`
}

func parseJSON(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return r
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	name := filepath.Base(path)
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateAgainst(t *testing.T, schema *jsonschema.Schema, data []byte, what string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", what, err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("%s does not follow its schema: %v\n%s", what, err, data)
	}
}

// reportTestdata is where the report package keeps the SARIF and Code
// Quality schemas, from this package's directory.
var reportTestdata = filepath.Join("validator", "report", "testdata")

func schemaPath(t *testing.T, name string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), repoRoot, reportTestdata, name)
}

// TestSARIFFromASubdirectoryLandsOnTheFile: with the configuration in
// infra/etl, SARIF names infra/etl/main.tf from the repository root (with
// uriBaseId), carries the tool version, one automation id per directory, and
// validates against SARIF 2.1.0; github annotations name the same file.
func TestSARIFFromASubdirectoryLandsOnTheFile(t *testing.T) {
	repo(t, "greenfield-ga002-deny")
	sarifSchema := compileSchema(t, schemaPath(t, "sarif-schema-2.1.0.json"))
	code, out, stderr := glueaccess(t, "validate", "--format", "sarif", "--config-dir", "infra/etl", "infra/etl/plan.json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	validateAgainst(t, sarifSchema, []byte(out), "SARIF")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string
					Rules   []struct {
						HelpURI    string
						Help       struct{ Text string }
						Properties map[string]any
					}
				}
			}
			AutomationDetails struct{ ID string }
			Results           []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
						Region struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0]
	if r.Tool.Driver.Version == "" || r.AutomationDetails.ID != "glueaccess/infra/etl/" {
		t.Errorf("driver.version %q, automationDetails.id %q; want a version and glueaccess/infra/etl/", r.Tool.Driver.Version, r.AutomationDetails.ID)
	}
	for _, rule := range r.Tool.Driver.Rules {
		if rule.HelpURI == "" || rule.Help.Text == "" || rule.Properties["security-severity"] == nil {
			t.Errorf("rule without help, helpUri or security-severity: %+v", rule)
		}
	}
	loc := r.Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "infra/etl/main.tf" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region.StartLine != 65 {
		t.Errorf("location %+v, want infra/etl/main.tf:65 from %%SRCROOT%%", loc)
	}
	code, out, _ = glueaccess(t, "validate", "--format", "github", "--config-dir", "infra/etl", "infra/etl/plan.json")
	if code != 1 || !strings.Contains(out, "file=infra/etl/main.tf,line=65::") {
		t.Errorf("exit %d; annotations do not name infra/etl/main.tf:65:\n%s", code, out)
	}
	// --base-dir overrides the git top level.
	code, out, _ = glueaccess(t, "validate", "--format", "json", "--base-dir", "infra", "--config-dir", "infra/etl", "infra/etl/plan.json")
	if rep := parseJSON(t, out); code != 1 || rep.Plan.ConfigPath != "etl" || rep.Jobs[0].Location.Path != "etl/main.tf" || rep.Jobs[0].Location.File != "main.tf" {
		t.Errorf("exit %d, config_path %q, job location %+v; want etl, etl/main.tf and file main.tf", code, rep.Plan.ConfigPath, rep.Jobs[0].Location)
	}
}

// TestOutputWritesEveryFormatInOneRun: --output FORMAT=FILE, repeated, writes
// each format while --format goes to stdout.
func TestOutputWritesEveryFormatInOneRun(t *testing.T) {
	root := repo(t, "ga001-deny")
	out := func(name string) string { return filepath.Join(root, "out", name) }
	if err := os.Mkdir(filepath.Join(root, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"validate", "--config-dir", "infra/etl"}
	files := map[string]string{"json": "r.json", "sarif": "r.sarif", "github": "r.txt", "markdown": "r.md", "junit": "r.xml", "gitlab": "r.cq.json", "text": "r.text"}
	for format, file := range files {
		args = append(args, "--output", format+"="+out(file))
	}
	code, stdout, stderr := glueaccess(t, append(args, "infra/etl/plan.json")...)
	if code != 1 || !strings.Contains(stdout, "DENIED aws_glue_job.nightly") {
		t.Fatalf("exit %d, want 1 with the text report on stdout; stderr: %s\n%s", code, stderr, stdout)
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(out(name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if rep := parseJSON(t, string(read("r.json"))); len(rep.Jobs) != 1 || rep.Jobs[0].Verdict != "denied" {
		t.Errorf("json output: %+v", rep)
	}
	validateAgainst(t, compileSchema(t, schemaPath(t, "sarif-schema-2.1.0.json")), read("r.sarif"), "SARIF output")
	validateAgainst(t, compileSchema(t, schemaPath(t, "gitlab-code-quality.schema.json")), read("r.cq.json"), "Code Quality output")
	if !strings.Contains(string(read("r.cq.json")), `"path": "infra/etl/main.tf"`) {
		t.Errorf("Code Quality output does not name infra/etl/main.tf:\n%s", read("r.cq.json"))
	}
	var junit struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(read("r.xml"), &junit); err != nil || junit.Failures != 1 {
		t.Errorf("junit output: %v, %d failures, want 1", err, junit.Failures)
	}
	for name, want := range map[string]string{"r.txt": "::error title=GA001", "r.md": "GA001", "r.text": "DENIED aws_glue_job.nightly"} {
		if !strings.Contains(string(read(name)), want) {
			t.Errorf("%s lacks %q", name, want)
		}
	}
	// Bad --output values are refused before anything runs.
	for _, bad := range []string{"xml=x", "sarif", "sarif="} {
		if code, _, stderr := glueaccess(t, "validate", "--output", bad, "infra/etl/plan.json"); code != 2 || !strings.Contains(stderr, "FORMAT=FILE") {
			t.Errorf("--output %s: exit %d, stderr %q; want 2 saying FORMAT=FILE", bad, code, stderr)
		}
	}
	// --format junit and gitlab on stdout.
	if code, stdout, _ := glueaccess(t, "validate", "--format", "junit", "infra/etl/plan.json"); code != 1 || !strings.HasPrefix(stdout, "<?xml") {
		t.Errorf("--format junit: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := glueaccess(t, "validate", "--format", "gitlab", "--config-dir", "infra/etl", "infra/etl/plan.json"); code != 1 || !strings.Contains(stdout, `"check_name": "GA001 role-s3-permissions"`) {
		t.Errorf("--format gitlab: exit %d\n%s", code, stdout)
	}
}

// TestFailOn: never reports a denial and exits 0; bad input still exits 2.
func TestFailOn(t *testing.T) {
	repo(t, "multi-job")
	cases := []struct {
		failOn string
		code   int
	}{{"deny", 1}, {"unknown", 1}, {"never", 0}}
	for _, tc := range cases {
		code, out, _ := glueaccess(t, "validate", "--fail-on", tc.failOn, "--config-dir", "infra/etl", "infra/etl/plan.json")
		if code != tc.code || !strings.Contains(out, "DENIED aws_glue_job.reporting") {
			t.Errorf("--fail-on %s: exit %d, want %d, with the denial reported:\n%s", tc.failOn, code, tc.code, out)
		}
	}
	write(t, "broken.json", "{")
	if code, _, _ := glueaccess(t, "validate", "--fail-on", "never", "broken.json"); code != 2 {
		t.Errorf("--fail-on never on bad input: exit %d, want 2", code)
	}
	if code, _, stderr := glueaccess(t, "validate", "--fail-on", "sometimes", "infra/etl/plan.json"); code != 2 || !strings.Contains(stderr, "deny, unknown, never") {
		t.Errorf("--fail-on sometimes: exit %d, stderr %q", code, stderr)
	}
}

// TestInlineSuppression: a glueaccess:ignore comment on the job's block
// suppresses its finding with the reason; once expired it no longer does; a
// malformed one is bad input naming file:line.
func TestInlineSuppression(t *testing.T) {
	root := repo(t, "ga001-deny")
	mainTF := filepath.Join(root, "infra", "etl", "main.tf")
	orig, err := os.ReadFile(mainTF)
	if err != nil {
		t.Fatal(err)
	}
	const block = `resource "aws_glue_job" "nightly" {`
	if !bytes.Contains(orig, []byte(block)) {
		t.Fatalf("example has no %s", block)
	}
	annotate := func(comment string) {
		write(t, mainTF, strings.Replace(string(orig), block, comment+"\n"+block, 1))
	}
	validate := func() (int, jsonReport, string) {
		code, out, stderr := glueaccess(t, "validate", "--format", "json", "--config-dir", "infra/etl", "infra/etl/plan.json")
		if code == 2 {
			return code, jsonReport{}, stderr
		}
		return code, parseJSON(t, out), stderr
	}
	annotate(`# glueaccess:ignore GA001 reason="temporary data is written by the legacy role" expires=2099-12-31`)
	code, rep, stderr := validate()
	if code != 0 {
		t.Fatalf("suppressed: exit %d, want 0; %s", code, stderr)
	}
	f := rep.Jobs[0].Findings[0]
	if f.Suppressed == nil || f.Suppressed.Reason != "temporary data is written by the legacy role" || f.Suppressed.Source != "main.tf:63" {
		t.Errorf("finding %+v, want suppressed with the reason from main.tf:63", f)
	}
	annotate(`# glueaccess:ignore GA001 reason="was temporary" expires=2020-01-01`)
	if code, rep, _ = validate(); code != 1 || rep.Jobs[0].Findings[0].Suppressed != nil || !strings.Contains(strings.Join(rep.Jobs[0].Notes, "\n"), "expired on 2020-01-01") {
		t.Errorf("expired: exit %d, job %+v; want 1, the finding counting and a note", code, rep.Jobs[0])
	}
	annotate(`# glueaccess:ignore GA006 reason="nothing to suppress"`)
	if code, rep, _ = validate(); code != 1 || !strings.Contains(strings.Join(rep.Jobs[0].Notes, "\n"), "matches no finding") {
		t.Errorf("stale: exit %d, notes %v; want 1 and a note", code, rep.Jobs[0].Notes)
	}
	annotate(`# glueaccess:ignore GA001`)
	if code, _, stderr = validate(); code != 2 || !strings.Contains(stderr, "main.tf:63: glueaccess:ignore: reason") {
		t.Errorf("no reason: exit %d, stderr %q; want 2 naming main.tf:63", code, stderr)
	}
}

// TestBaseline: a baseline written from today's findings accepts them, so
// only a new finding fails; moving code around keeps them accepted.
func TestBaseline(t *testing.T) {
	root := repo(t, "multi-job")
	code, _, stderr := glueaccess(t, "validate", "--fail-on", "never", "--write-baseline", "glueaccess-baseline.json", "--config-dir", "infra/etl", "infra/etl/plan.json")
	if code != 0 {
		t.Fatalf("writing the baseline: exit %d; %s", code, stderr)
	}
	// Lines shift: the baseline still matches (fingerprints hold no line).
	mainTF := filepath.Join(root, "infra", "etl", "main.tf")
	data, err := os.ReadFile(mainTF)
	if err != nil {
		t.Fatal(err)
	}
	write(t, mainTF, "# moved down\n\n\n"+string(data))
	code, out, stderr := glueaccess(t, "validate", "--format", "json", "--fail-on", "unknown", "--baseline", "glueaccess-baseline.json", "--config-dir", "infra/etl", "infra/etl/plan.json")
	if code != 0 {
		t.Fatalf("with the baseline: exit %d, want 0; %s\n%s", code, stderr, out)
	}
	for _, j := range parseJSON(t, out).Jobs {
		for _, f := range j.Findings {
			if f.Suppressed == nil || f.Suppressed.Source != "glueaccess-baseline.json" {
				t.Errorf("%s %s not accepted by the baseline: %+v", j.Address, f.ID, f.Suppressed)
			}
		}
	}
	// Another plan's finding is new: it fails, and the stale entries are noted.
	abs := filepath.Join(mustModuleDir(t), "examples", "validate", "ga002-deny", "plan.json")
	code, out, _ = glueaccess(t, "validate", "--format", "json", "--no-config", "--baseline", "glueaccess-baseline.json", abs)
	if rep := parseJSON(t, out); code != 1 || !strings.Contains(strings.Join(rep.Plan.Notes, "\n"), "no longer reported") {
		t.Errorf("new finding: exit %d, notes %v; want 1 and a note on stale entries", code, rep.Plan.Notes)
	}
	// Rewriting the baseline in use leaves the run's result as it was: the
	// new finding still fails.
	if code, _, _ := glueaccess(t, "validate", "--no-config", "--baseline", "glueaccess-baseline.json", "--write-baseline", "glueaccess-baseline.json", abs); code != 1 {
		t.Errorf("rewriting the baseline in use: exit %d, want 1", code)
	}
	if code, _, _ := glueaccess(t, "validate", "--no-config", "--baseline", "glueaccess-baseline.json", abs); code != 0 {
		t.Errorf("with the rewritten baseline: exit %d, want 0", code)
	}
	write(t, "not-a-baseline.json", `{"version": "2.1.0", "runs": []}`)
	if code, _, stderr := glueaccess(t, "validate", "--baseline", "not-a-baseline.json", "infra/etl/plan.json"); code != 2 || !strings.Contains(stderr, "not-a-baseline.json") {
		t.Errorf("bad baseline: exit %d, stderr %q", code, stderr)
	}
}

// TestConfigurationFileIsFoundUpToTheRepositoryRoot: .glueaccess.hcl in a
// parent of --config-dir is used and named, its baseline path resolves
// against its own directory, and a file above the repository root is not.
func TestConfigurationFileIsFoundUpToTheRepositoryRoot(t *testing.T) {
	root := repo(t, "ga001-deny")
	if code, _, _ := glueaccess(t, "validate", "--fail-on", "never", "--write-baseline", filepath.Join(root, "infra", "accepted.json"), "--config-dir", "infra/etl", "infra/etl/plan.json"); code != 0 {
		t.Fatal("writing the baseline failed")
	}
	write(t, filepath.Join(root, "infra", ".glueaccess.hcl"), "baseline = \"accepted.json\"\n")
	t.Chdir(t.TempDir()) // run from elsewhere: the file is found from --config-dir
	dir := filepath.Join(root, "infra", "etl")
	code, out, stderr := glueaccess(t, "validate", "--format", "json", "--config-dir", dir, filepath.Join(dir, "plan.json"))
	if code != 0 {
		t.Fatalf("exit %d, want 0 (the configuration's baseline accepts the finding); %s", code, stderr)
	}
	want := filepath.Join(root, "infra", ".glueaccess.hcl")
	if rep := parseJSON(t, out); rep.Plan.Config != want || !strings.Contains(stderr, "using the configuration file "+want) {
		t.Errorf("config %q, stderr %q; want %s named in both", rep.Plan.Config, stderr, want)
	}
	// Above the repository root is outside the search.
	outer := t.TempDir()
	inner := filepath.Join(outer, "repo")
	if err := os.MkdirAll(filepath.Join(inner, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(outer, ".glueaccess.hcl"), "surprise {}\n")
	for _, name := range []string{"main.tf", "plan.json"} {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		write(t, filepath.Join(inner, name), string(data))
	}
	if code, _, stderr := glueaccess(t, "validate", "--config-dir", inner, filepath.Join(inner, "plan.json")); code != 1 {
		t.Errorf("exit %d, want 1 (the file above the repository root is not read); %s", code, stderr)
	}
}
