package validator

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/golden"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

const examplesDir = "../examples/validate"

// exampleNow is the date suppressions are judged against in golden runs.
var exampleNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// expectJob is what an example must decide for one job: its verdict and the
// checks of its deny findings.
type expectJob struct {
	verdict string
	denies  []string
}

// examples lists every example with the decision its README explains.
var examples = map[string]map[string]expectJob{
	"ga001-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA001"}}},
	"ga001-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"ga002-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA002"}}},
	"ga002-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"ga003-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA003"}}},
	"ga003-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"ga004-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA004"}}},
	"ga004-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"ga005-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA005"}}},
	"ga005-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"ga006-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA006"}}},
	"ga006-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"ga007-deny":  {"aws_glue_job.nightly": {report.Denied, []string{"GA007"}}},
	"ga007-fixed": {"aws_glue_job.nightly": {report.Allowed, nil}},
	"typo-action": {"aws_glue_job.nightly": {report.Denied, []string{"GA001"}}},
	"multi-job": {
		"aws_glue_job.nightly":   {report.Allowed, nil},
		"aws_glue_job.reporting": {report.Denied, []string{"GA001"}},
		"aws_glue_job.legacy":    {report.Unknown, nil},
	},
	"module": {
		"module.orders.aws_glue_job.this":    {report.Allowed, nil},
		"module.customers.aws_glue_job.this": {report.Denied, []string{"GA001"}},
	},
	"accounts-no-number":       {"aws_glue_job.orders": {report.Allowed, nil}},
	"accounts-caller-identity": {"aws_glue_job.claims": {report.Denied, []string{"GA001"}}},
	"accounts-data-sources":    {"aws_glue_job.events": {report.Unknown, nil}},
	"accounts-exclusive":       {"aws_glue_job.settle": {report.Denied, []string{"GA001"}}},
	"accounts-data-role":       {"aws_glue_job.export": {report.Unknown, nil}},
	"org-ou-unknown-membership": {
		"aws_glue_job.nightly":   {report.Unknown, nil},
		"aws_glue_job.reporting": {report.Allowed, nil},
	},
	"label-module":      {"aws_glue_job.nightly": {report.Denied, []string{"GA001"}}},
	"override-file":     {"aws_glue_job.claims": {report.Allowed, nil}},
	"hidden-file":       {"aws_glue_job.ledger": {report.Allowed, nil}},
	"builtin-functions": {"aws_glue_job.rollup": {report.Allowed, nil}},
	"provider-function": {
		"aws_glue_job.ingest": {report.Allowed, nil},
		"aws_glue_job.export": {report.Denied, []string{"GA001"}},
	},
	"org-data-sources": {
		"aws_glue_job.export": {report.Denied, []string{"GA007"}},
		"aws_glue_job.report": {report.Allowed, nil},
	},
	"partial-key-decided":      {"aws_glue_job.nightly": {report.Allowed, nil}},
	"partial-key-unknown":      {"aws_glue_job.nightly": {report.Unknown, nil}},
	"catalog-table-deny":       {"aws_glue_job.orders": {report.Denied, []string{"GA001"}}},
	"catalog-table-fixed":      {"aws_glue_job.orders": {report.Allowed, nil}},
	"crawler-deny":             {"aws_glue_crawler.events": {report.Denied, []string{"GA001"}}},
	"crawler-fixed":            {"aws_glue_crawler.events": {report.Allowed, nil}},
	"lakeformation-deny":       {"aws_glue_job.report": {report.Denied, []string{"GA001"}}},
	"lakeformation-fixed":      {"aws_glue_job.report": {report.Allowed, nil}},
	"lakeformation-unknown":    {"aws_glue_job.report": {report.Unknown, nil}},
	"partial-policy-decided":   {"aws_glue_job.nightly": {report.Allowed, nil}},
	"partial-policy-deny-kept": {"aws_glue_job.nightly": {report.Denied, []string{"GA001"}}},
	"partial-policy-unknown":   {"aws_glue_job.nightly": {report.Unknown, nil}},
	"script-pyspark-deny":      {"aws_glue_job.rollup": {report.Denied, []string{"GA001"}}},
	"script-pyspark-fixed":     {"aws_glue_job.rollup": {report.Allowed, nil}},
	"script-glue-args":         {"aws_glue_job.curate": {report.Allowed, nil}},
	"script-scala":             {"aws_glue_job.clicks": {report.Denied, []string{"GA002"}}},
	"script-scala-fixed":       {"aws_glue_job.clicks": {report.Allowed, nil}},
	"script-unknown-path":      {"aws_glue_job.export": {report.Unknown, nil}},
	"count-for-each": {
		`aws_glue_job.job["orders"]`:    {report.Allowed, nil},
		`aws_glue_job.job["customers"]`: {report.Denied, []string{"GA001"}},
		`aws_glue_job.replica[0]`:       {report.Allowed, nil},
		`aws_glue_job.replica[1]`:       {report.Allowed, nil},
	},
}

// greenfieldTwins are the examples with a greenfield twin,
// greenfield-<name>: the same resources created together, policies built from
// .arn references, so the plan leaves every ARN unknown. Each twin must decide
// exactly as its original.
var greenfieldTwins = []string{
	"ga001-deny", "ga001-fixed", "ga002-deny", "ga002-fixed", "ga004-deny",
	"ga005-deny", "ga005-fixed", "ga007-deny", "multi-job", "module", "count-for-each",
}

func init() {
	for _, name := range greenfieldTwins {
		examples["greenfield-"+name] = examples[name]
	}
}

// validateExample decides a plan of an example with the example's
// configuration file and Terraform configuration, as glueaccess validate run
// in the example's directory would, naming files relative to the example so
// the output does not depend on where the test runs.
func validateExample(t *testing.T, dir, planPath string) *report.Report {
	t.Helper()
	return validateExampleWith(t, dir, planPath, dir)
}

// validateExampleWith is validateExample evaluating the Terraform
// configuration in configDir ("" for none).
func validateExampleWith(t *testing.T, dir, planPath, configDir string) *report.Report {
	t.Helper()
	opts := Options{Now: exampleNow, ConfigDir: configDir}
	if _, err := os.Stat(filepath.Join(dir, ConfigFileName)); err == nil {
		opts.Config = filepath.Join(dir, ConfigFileName)
	}
	rep, err := validate(planPath, opts)
	if err != nil {
		t.Fatal(err)
	}
	rep.Plan.File = "plan.json"
	if opts.Config != "" {
		rep.Plan.Config = ConfigFileName
	}
	if rep.Plan.ConfigDir != "" {
		rep.Plan.ConfigDir = "."
	}
	return rep
}

func render(t *testing.T, format string, rep *report.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Formatters[format](&buf, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkDecisions asserts every job's verdict and the checks that deny it, and
// that every deny finding says why and how to fix it.
func checkDecisions(t *testing.T, rep *report.Report, want map[string]expectJob) {
	t.Helper()
	if len(rep.Errors) != 0 {
		t.Errorf("tool errors: %+v", rep.Errors)
	}
	got := map[string]report.Job{}
	for _, j := range rep.Jobs {
		got[j.Address] = j
	}
	if len(got) != len(want) {
		t.Errorf("%d jobs decided, want %d", len(got), len(want))
	}
	for addr, w := range want {
		j, ok := got[addr]
		if !ok {
			t.Errorf("job %s not in the report", addr)
			continue
		}
		if j.Verdict != w.verdict {
			t.Errorf("%s: verdict %s, want %s; findings: %+v", addr, j.Verdict, w.verdict, j.Findings)
		}
		var denies []string
		for _, f := range j.Findings {
			if f.Verdict != report.VerdictDeny {
				continue
			}
			if !slices.Contains(denies, f.ID) {
				denies = append(denies, f.ID)
			}
			if f.Because == "" || f.Fix == nil || f.Fix.Text == "" {
				t.Errorf("%s: %s deny without a reason or a fix: %+v", addr, f.ID, f)
			}
		}
		if !slices.Equal(denies, w.denies) {
			t.Errorf("%s: denied by %v, want %v", addr, denies, w.denies)
		}
	}
}

func TestExamplesDecideAsDocumented(t *testing.T) {
	entries, err := os.ReadDir(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := examples[e.Name()]; e.IsDir() && !ok {
			t.Errorf("example %s has no expectation in this test", e.Name())
		}
	}
	for name, want := range examples {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(examplesDir, name)
			for _, f := range []string{"main.tf", "README.md", "plan.json"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("example is missing %s", f)
				}
			}
			rep := validateExample(t, dir, filepath.Join(dir, "plan.json"))
			checkDecisions(t, rep, want)
			golden.Check(t, filepath.Join(dir, "result.json"), render(t, "json", rep))
			sarif := render(t, "sarif", rep)
			golden.Check(t, filepath.Join(dir, "result.sarif"), sarif)
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarif))
			if err != nil {
				t.Fatal(err)
			}
			if err := sarifSchema(t).Validate(inst); err != nil {
				t.Errorf("result.sarif is not valid SARIF 2.1.0: %v", err)
			}
		})
	}
}

var (
	sarifOnce     sync.Once
	sarifCompiled *jsonschema.Schema
	sarifErr      error
)

// sarifSchema compiles the SARIF 2.1.0 schema kept with the report package.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	sarifOnce.Do(func() {
		f, err := os.Open(filepath.Join("report", "testdata", "sarif-schema-2.1.0.json"))
		if err != nil {
			sarifErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			sarifErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if sarifErr = c.AddResource("sarif-schema-2.1.0.json", doc); sarifErr != nil {
			return
		}
		sarifCompiled, sarifErr = c.Compile("sarif-schema-2.1.0.json")
	})
	if sarifErr != nil {
		t.Fatal(sarifErr)
	}
	return sarifCompiled
}

// TestExamplesReplan plans every example (and every plan under
// testdata/plans) again with the real terraform and checks that the fresh plan
// decides exactly like the committed fixture, and for examples like the
// golden result.
func TestExamplesReplan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform plan for every example")
	}
	tf := acctest.Terraform(t)
	dirs := map[string]string{}
	for name := range examples {
		dirs[name] = filepath.Join(examplesDir, name)
	}
	extra, err := filepath.Glob(filepath.Join("testdata", "plans", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range extra {
		dirs["testdata/"+filepath.Base(d)] = d
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			plan := tf.Plan(t, dir, nil)
			path := filepath.Join(t.TempDir(), "plan.json")
			if err := os.WriteFile(path, plan, 0o600); err != nil {
				t.Fatal(err)
			}
			got := render(t, "json", validateExample(t, dir, path))
			committed := render(t, "json", validateExample(t, dir, filepath.Join(dir, "plan.json")))
			if !bytes.Equal(got, committed) {
				t.Errorf("a fresh plan decides differently from the committed fixture (regenerate it with go run ./internal/acctest/cmd/planfixture %s %s/plan.json); fresh:\n%s", dir, dir, got)
			}
			if want, ok := examples[name]; ok {
				checkDecisions(t, validateExample(t, dir, path), want)
				golden, err := os.ReadFile(filepath.Join(dir, "result.json"))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, golden) {
					t.Errorf("a fresh plan does not match the golden %s/result.json", dir)
				}
			}
		})
	}
}
