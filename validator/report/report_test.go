package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/golden"
)

// goldenDir holds the formatter golden files, next to the validator's.
const goldenDir = "../testdata/golden/report"

// sample is a report with one job of each verdict, a suppressed finding, a
// finding with several needs and a tool error.
func sample() *Report {
	stmt := json.RawMessage(`{"Sid":"ReadRaw","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::raw-zone/orders/*"}`)
	r := &Report{
		Version: Version,
		Plan:    PlanInfo{File: "plan.json", FormatVersion: "1.2", TerraformVersion: "1.11.4", Notes: []string{"run-time arguments are not in the plan"}},
		Jobs: []Job{
			{
				Address: "aws_glue_job.nightly", Name: "nightly", Role: "arn:aws:iam::111122223333:role/glue-etl",
				Findings: []Finding{{
					ID: "GA001", Title: "role-s3-permissions", Verdict: VerdictDeny, Reason: "no-allow",
					Action: "s3:GetObject", Resource: "arn:aws:s3:::raw-zone/orders/*", URL: "s3://raw-zone/orders/",
					Needs: []Need{
						{Action: "s3:GetObject", Resource: "arn:aws:s3:::raw-zone/orders/*", URL: "s3://raw-zone/orders/", Intent: "data-read"},
						{Action: "s3:ListBucket", Resource: "arn:aws:s3:::raw-zone", URL: "s3://raw-zone/orders/", Intent: "data-read"},
					},
					Because:   "role glue-etl would not be authorized to perform s3:GetObject on arn:aws:s3:::raw-zone/orders/* because no identity-based policy allows the s3:GetObject action",
					DecidedBy: &Statement{Layer: "identity", Policy: "aws_iam_role_policy.glue", Index: -1},
					Missing:   []Missing{},
					Fix:       &Fix{Target: "identity", Op: "add-statement", Resource: "aws_iam_role.glue", Text: "allow the reads on the role", Statements: []json.RawMessage{stmt}},
				}, {
					ID: "GA003", Title: "object-ownership", Verdict: VerdictUnknown, Reason: "ownership-unmanaged",
					Action: "s3:GetObject", Resource: "arn:aws:s3:::raw-zone/orders/*", URL: "s3://raw-zone/orders/",
					Needs:      []Need{{Action: "s3:GetObject", Resource: "arn:aws:s3:::raw-zone/orders/*", Intent: "data-read"}},
					Because:    "objects in raw-zone may be owned by other accounts",
					Missing:    []Missing{{Fact: "object ownership of bucket raw-zone", How: `declare it: bucket "raw-zone" { object_ownership = "..." }`}},
					Suppressed: &Suppression{Reason: "legacy bucket, readers accepted", Expires: "2027-01-31", Source: ".glueaccess.hcl:12"},
				}},
				Assumptions: []Assumption{{Code: "object-encrypted-with-bucket-default", Text: "objects read are encrypted with the bucket default key"}},
			},
			{
				Address: `module.etl.aws_glue_job.j["orders"]`, Name: "orders", Role: "module.etl.aws_iam_role.glue",
				Findings: []Finding{{
					ID: "GA002", Title: "bucket-policy", Verdict: VerdictUnknown, Reason: "bucket-not-in-plan",
					Action: "s3:PutObject", Resource: "arn:aws:s3:::shared|data/out/*", URL: "s3://shared|data/out/",
					Needs:   []Need{{Action: "s3:PutObject", Resource: "arn:aws:s3:::shared|data/out/*", Intent: "data-write"}},
					Because: "bucket shared|data is not in the plan: its owner and policy are not known",
					Missing: []Missing{{Fact: "owner account of bucket shared|data", How: "declare owner_account"}},
				}},
				Assumptions: []Assumption{},
			},
			{Address: "aws_glue_job.ok", Name: "ok", Role: "arn:aws:iam::111122223333:role/ok", Findings: []Finding{}, Assumptions: []Assumption{}},
		},
		Errors: []Error{{Resource: "aws_glue_job.gone", Message: "declared in .glueaccess.hcl but not in the plan"}},
	}
	r.Summarize()
	return r
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join(goldenDir, name), got)
}

func TestSummarizeCountsVerdictsAndIgnoresSuppressed(t *testing.T) {
	r := sample()
	want := Summary{Jobs: 3, Allowed: 1, Denied: 1, Unknown: 1, Findings: 3, Suppressed: 1, Errors: 1}
	if r.Summary != want {
		t.Fatalf("summary %+v, want %+v", r.Summary, want)
	}
	if r.Jobs[0].Verdict != Denied || r.Jobs[1].Verdict != Unknown || r.Jobs[2].Verdict != Allowed {
		t.Fatalf("verdicts %s %s %s", r.Jobs[0].Verdict, r.Jobs[1].Verdict, r.Jobs[2].Verdict)
	}
	// Suppressing the only deny leaves the job allowed, not unknown.
	r.Jobs[0].Findings[0].Suppressed = &Suppression{Reason: "accepted", Source: "x"}
	r.Jobs[0].Findings = r.Jobs[0].Findings[:1]
	r.Summarize()
	if r.Jobs[0].Verdict != Allowed {
		t.Fatalf("a job whose only finding is suppressed is %s, want allowed", r.Jobs[0].Verdict)
	}
}

func TestFormatsMatchGoldenFiles(t *testing.T) {
	ext := map[string]string{"text": "txt", "json": "json", "sarif": "sarif", "github": "github.txt", "markdown": "md", "junit": "junit.xml", "gitlab": "gitlab.json"}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Formatters[name](&buf, sample(), Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "sample."+ext[name], buf.Bytes())
		})
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	var plain, colour bytes.Buffer
	if err := Text(&plain, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&colour, sample(), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Error("plain text contains ANSI escapes")
	}
	if !bytes.Contains(colour.Bytes(), []byte(ansiRed+"DENIED"+ansiReset)) {
		t.Error("coloured text does not colour DENIED")
	}
}

func TestGitHubAnnotationsEscapeMessages(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	wantPrefixes := []string{"::error title=glueaccess error,", "::error title=GA001 role-s3-permissions,", "::notice title=GA003 object-ownership,", "::warning title=GA002 bucket-policy,", "glueaccess: 3 Glue jobs"}
	if len(lines) != len(wantPrefixes) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(wantPrefixes), buf.String())
	}
	for i, p := range wantPrefixes {
		if !strings.HasPrefix(lines[i], p) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], p)
		}
	}
	if !strings.Contains(lines[1], "%0AFix: allow the reads on the role") {
		t.Errorf("multi-line message not escaped: %s", lines[1])
	}
}

func TestSARIFIsValidAgainstTheSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Report{"sample": sample(), "script": withScript(), "empty": func() *Report {
		r := &Report{Version: Version, Jobs: []Job{}, Errors: []Error{}, Plan: PlanInfo{File: "p.json"}}
		r.Summarize()
		return r
	}()} {
		var buf bytes.Buffer
		if err := SARIF(&buf, r, Options{}); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF output does not validate: %v", name, err)
		}
	}
	// The schema check can fail: a result without a message is rejected.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"GA001"}]}]}`))
	if err := schema.Validate(bad); err == nil {
		t.Error("schema accepted a result without a message")
	}
}

func TestSARIFRulesAndSuppressions(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 7 {
		t.Fatalf("%d rules, want 7", len(run.Tool.Driver.Rules))
	}
	for i, rule := range run.Tool.Driver.Rules {
		if rule.HelpURI != DocsURL+"#"+strings.ToLower(rule.ID) || rule.Help.Text == "" {
			t.Errorf("rule %d %s: help %q uri %q", i, rule.ID, rule.Help.Text, rule.HelpURI)
		}
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3 (suppressed findings stay)", len(run.Results))
	}
	sup := run.Results[1]
	if sup.RuleID != "GA003" || len(sup.Suppressions) != 1 || sup.Suppressions[0].Justification != "legacy bucket, readers accepted" {
		t.Errorf("suppressed result = %+v", sup)
	}
	if run.Results[0].Level != "error" || run.Results[2].Level != "warning" {
		t.Errorf("levels %s %s, want error warning", run.Results[0].Level, run.Results[2].Level)
	}
	if run.Invocations[0].ExecutionSuccessful {
		t.Error("a report with tool errors claims successful execution")
	}
}

// TestActionWarningsInEveryFormat checks that a policy naming an action that
// does not exist is reported by every format, at plan and at job level, and
// that SARIF stays valid and counts it as a warning, not a result.
func TestActionWarningsInEveryFormat(t *testing.T) {
	const (
		planWarning = `aws_vpc_endpoint.s3 statement 0: action "s3:GetObjectz" does not exist; did you mean "s3:GetObject"?`
		jobWarning  = `aws_iam_role_policy.glue statement 1 ("Read"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`
	)
	withWarnings := func() *Report {
		r := sample()
		r.Plan.ActionWarnings = []string{planWarning}
		r.Jobs[0].ActionWarnings = []string{jobWarning}
		return r
	}
	// The messages hold none of the characters markdown or workflow commands
	// escape, so those formats carry them as written.
	wantJob := map[string]string{
		"text":     "  warning: " + jobWarning,
		"json":     `"action_warnings": [` + "\n        " + `"aws_iam_role_policy.glue statement 1 (\"Read\"): action \"s3:GetObjects\" does not exist; did you mean \"s3:GetObject\"?"`,
		"sarif":    `"text": "aws_glue_job.nightly: aws_iam_role_policy.glue statement 1 (\"Read\"): action \"s3:GetObjects\"`,
		"github":   "::warning title=glueaccess action does not exist,file=plan.json::aws_glue_job.nightly: " + jobWarning,
		"markdown": "> **warning** (`aws_glue_job.nightly`): " + jobWarning,
	}
	wantPlan := map[string]string{
		"text":     "warning: " + planWarning,
		"json":     `"action_warnings": [` + "\n      " + `"aws_vpc_endpoint.s3 statement 0: action \"s3:GetObjectz\"`,
		"sarif":    `"text": "aws_vpc_endpoint.s3 statement 0: action \"s3:GetObjectz\"`,
		"github":   "::warning title=glueaccess action does not exist,file=plan.json::" + planWarning,
		"markdown": "> **warning**: " + planWarning,
	}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Formatters[name](&buf, withWarnings(), Options{}); err != nil {
				t.Fatal(err)
			}
			for level, want := range map[string]string{"job": wantJob[name], "plan": wantPlan[name]} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("%s warning missing; want %q in:\n%s", level, want, buf.String())
				}
			}
			var plain bytes.Buffer
			if err := Formatters[name](&plain, sample(), Options{}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(plain.String(), "action_warnings") || strings.Contains(plain.String(), "does not exist") {
				t.Errorf("a report without action warnings mentions them:\n%s", plain.String())
			}
		})
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, withWarnings(), Options{}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var warnings int
	for _, n := range log.Runs[0].Invocations[0].ToolExecutionNotifications {
		if n.Level == "warning" {
			warnings++
		}
	}
	if warnings != 2 || len(log.Runs[0].Results) != 3 {
		t.Errorf("%d warning notifications and %d results, want 2 and the 3 findings", warnings, len(log.Runs[0].Results))
	}
}

// withNotes is the sample with notes on two jobs: gaps in recommended
// actions and a note of another kind.
func withNotes() *Report {
	r := sample()
	r.Jobs[0].Notes = []string{"suppression of GA002 at .glueaccess.hcl:3 expired on 2026-01-01 and no longer applies"}
	r.Jobs[0].ActionGaps = []ActionGap{
		{Kind: "recommended", Action: "s3:AbortMultipartUpload", Resource: "arn:aws:s3:::raw-zone/out/*", Decision: "ImplicitlyDenied", Layer: "identity"},
		{Kind: "recommended", Action: "s3:ListMultipartUploadParts", Resource: "arn:aws:s3:::raw-zone/out/*", Decision: "ImplicitlyDenied", Layer: "identity"},
	}
	r.Jobs[2].ActionGaps = []ActionGap{
		{Kind: "recommended", Action: "s3:AbortMultipartUpload", Resource: "arn:aws:s3:::ok/tmp/*", Decision: "ImplicitlyDenied", Layer: "identity"},
		{Kind: "recommended", Action: "s3:AbortMultipartUpload", Resource: "arn:aws:s3:::ok/out/*", Decision: "ExplicitlyDenied", Layer: "resource"},
		{Kind: "advisory", Action: "kms:Encrypt", Resource: "arn:aws:kms:eu-west-1:111122223333:key/k", Decision: "ImplicitlyDenied", Layer: "identity"},
	}
	r.Jobs[2].Assumptions = []Assumption{{Code: "x", Text: "region from provider aws"}}
	return r
}

// TestTextVerbose: without --verbose an allowed job is one line and what is
// left out is counted; with it every assumption and note is shown, the gaps
// in recommended actions on one line per job and kind.
func TestTextVerbose(t *testing.T) {
	quiet := render(t, "text", withNotes(), Options{})
	if !strings.Contains(quiet, "\nALLOWED aws_glue_job.ok (job ok, role arn:aws:iam::111122223333:role/ok)\n\n3 Glue jobs") {
		t.Errorf("the allowed job is not one line:\n%s", quiet)
	}
	if strings.Contains(quiet, "note: recommended") || strings.Contains(quiet, "assumes:") ||
		!strings.Contains(quiet, "\n2 assumptions and 6 notes on jobs not shown (--verbose shows them)\n") {
		t.Errorf("without --verbose:\n%s", quiet)
	}
	var buf bytes.Buffer
	if err := Text(&buf, withNotes(), Options{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "sample.verbose.txt", buf.Bytes())
	if n := strings.Count(buf.String(), "note: recommended"); n != 2 {
		t.Errorf("%d lines of recommended actions, want one per job (2):\n%s", n, buf.String())
	}
	if strings.Contains(buf.String(), "not shown") {
		t.Errorf("--verbose says something is not shown:\n%s", buf.String())
	}
}

// TestPlurals: one job, one finding, one error in the text and Markdown
// summaries.
func TestPlurals(t *testing.T) {
	r := sample()
	r.Jobs = r.Jobs[1:2]
	r.Summarize()
	text := render(t, "text", r, Options{})
	if !strings.Contains(text, "\n1 Glue job: 0 allowed, 0 denied, 1 unknown (1 finding, 0 suppressed, 1 error)\n") {
		t.Errorf("text summary:\n%s", text)
	}
	md := render(t, "markdown", r, Options{})
	for _, want := range []string{"1 of 1 Glue job could not be decided", "; 1 finding (0 suppressed)."} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	r.Jobs = r.Jobs[:0]
	r.Errors = nil
	r.Jobs = append(r.Jobs, sample().Jobs[2])
	r.Summarize()
	if md := render(t, "markdown", r, Options{}); !strings.Contains(md, "### ✅ glueaccess: the Glue job can reach its S3 data") {
		t.Errorf("markdown of one allowed job:\n%s", md)
	}
	if text := render(t, "text", r, Options{}); !strings.HasSuffix(text, "\n1 Glue job: 1 allowed, 0 denied, 0 unknown (0 findings, 0 suppressed)\n") {
		t.Errorf("text of one allowed job:\n%s", text)
	}
}

// A crawler is decided like a job; the text report calls it a crawler, on its
// line and in the summary's counts.
func TestTextCrawlerWords(t *testing.T) {
	allowed := sample().Jobs[2]
	crawler := func(addr string) Job {
		j := allowed
		j.Address, j.Name = addr, "events"
		return j
	}
	for _, tc := range []struct {
		addrs []string
		want  string
	}{
		{[]string{allowed.Address}, "\n1 Glue job: 1 allowed"},
		{[]string{allowed.Address, "aws_glue_crawler.events"}, "\n1 Glue job and 1 crawler: 2 allowed"},
		{[]string{"aws_glue_crawler.a", `module.etl["x"].aws_glue_crawler.b`}, "\n2 crawlers: 2 allowed"},
		{[]string{allowed.Address, "module.m.aws_glue_job.c", "module.m.aws_glue_crawler.c"}, "\n2 Glue jobs and 1 crawler: 3 allowed"},
		{[]string{"aws_glue_job.aws_glue_crawler"}, "\n1 Glue job: 1 allowed"},
	} {
		r := sample()
		r.Jobs, r.Errors = nil, nil
		for _, a := range tc.addrs {
			r.Jobs = append(r.Jobs, crawler(a))
		}
		r.Summarize()
		text := render(t, "text", r, Options{})
		if !strings.Contains(text, tc.want) {
			t.Errorf("%v: text lacks %q:\n%s", tc.addrs, tc.want, text)
		}
		for _, a := range tc.addrs {
			kind := "job"
			if strings.Contains(a, "aws_glue_crawler.") {
				kind = "crawler"
			}
			if !strings.Contains(text, a+" ("+kind+" events,") {
				t.Errorf("%s is not called a %s:\n%s", a, kind, text)
			}
		}
	}
}

// TestCrawlerWordsInEveryFormat: markdown headings, the github summary and
// SARIF's related location call a crawler a crawler, as the text report does.
func TestCrawlerWordsInEveryFormat(t *testing.T) {
	for _, tc := range []struct {
		addrs          []string
		markdown, gh   string
		sarifJobPrefix string
	}{
		{[]string{"aws_glue_crawler.events"}, "the crawler can reach its S3 data", "glueaccess: 1 crawler: 1 allowed", ""},
		{[]string{"aws_glue_job.a", "aws_glue_crawler.events"}, "all 2 (1 Glue job and 1 crawler) can reach", "glueaccess: 1 Glue job and 1 crawler: 2 allowed", ""},
		{[]string{"aws_glue_job.a"}, "the Glue job can reach its S3 data", "glueaccess: 1 Glue job: 1 allowed", ""},
	} {
		r := sample()
		allowed := r.Jobs[2]
		r.Jobs, r.Errors = nil, nil
		for _, a := range tc.addrs {
			j := allowed
			j.Address = a
			r.Jobs = append(r.Jobs, j)
		}
		r.Summarize()
		if md := render(t, "markdown", r, Options{}); !strings.Contains(md, tc.markdown) {
			t.Errorf("%v: markdown lacks %q:\n%s", tc.addrs, tc.markdown, md)
		}
		if gh := render(t, "github", r, Options{}); !strings.Contains(gh, tc.gh) {
			t.Errorf("%v: github lacks %q:\n%s", tc.addrs, tc.gh, gh)
		}
	}
	// A denied crawler: the heading counts it, and SARIF's related location
	// names it as a crawler.
	r := sample()
	for i := range r.Jobs {
		if r.Jobs[i].Verdict == Denied {
			j := &r.Jobs[i]
			j.Address = "aws_glue_crawler.events"
			j.Location = &Location{File: "main.tf", Line: 10}
			for k := range j.Findings {
				if d := j.Findings[k].DecidedBy; d != nil {
					d.Location = &Location{File: "main.tf", Line: 20}
				}
			}
			break
		}
	}
	r.Summarize()
	if md := render(t, "markdown", r, Options{}); !strings.Contains(md, "Glue job") || !strings.Contains(md, "crawler) would get 403") {
		t.Errorf("markdown heading does not count the crawler:\n%s", md)
	}
	if s := render(t, "sarif", r, Options{}); !strings.Contains(s, `"crawler aws_glue_crawler.events"`) || strings.Contains(s, `"Glue job aws_glue_crawler.events"`) {
		t.Errorf("SARIF does not name the crawler as a crawler:\n%s", s)
	}
}

// TestScriptLineInEveryFormat: a finding whose need a script names cites the
// script line in text, markdown and github output.
func TestScriptLineInEveryFormat(t *testing.T) {
	r := sample()
	var found bool
	for i := range r.Jobs {
		for k := range r.Jobs[i].Findings {
			f := &r.Jobs[i].Findings[k]
			if len(f.Needs) > 0 && !found {
				f.Needs[0].Source = "script"
				f.Needs[0].Location = &Location{File: "jobs/orders.py", Line: 42}
				found = true
			}
		}
	}
	if !found {
		t.Fatal("the sample has no finding with a need")
	}
	for _, format := range []string{"text", "markdown", "github"} {
		if out := render(t, format, r, Options{}); !strings.Contains(out, "jobs/orders.py:42") {
			t.Errorf("%s does not cite the script line:\n%s", format, out)
		}
	}
}

// TestTextHiddenNotesNameTheirKind: the count of what --verbose would show
// names the kinds of the results it was left out of.
func TestTextHiddenNotesNameTheirKind(t *testing.T) {
	for _, c := range []struct {
		addresses []string
		want      string
	}{
		{[]string{"aws_glue_job.a"}, "1 note on jobs not shown"},
		{[]string{"module.etl.aws_glue_crawler.c"}, "1 note on crawlers not shown"},
		{[]string{"aws_glue_job.a", "aws_glue_crawler.c"}, "2 notes on jobs and crawlers not shown"},
	} {
		r := &Report{Version: Version, Errors: []Error{}}
		for _, a := range c.addresses {
			r.Jobs = append(r.Jobs, Job{Address: a, Verdict: Allowed, Findings: []Finding{}, Notes: []string{"a note"}})
		}
		r.Jobs = append(r.Jobs, Job{Address: "aws_glue_crawler.quiet", Verdict: Allowed, Findings: []Finding{}})
		r.Summarize()
		if out := render(t, "text", r, Options{}); !strings.Contains(out, "\n"+c.want+" (--verbose shows them)\n") {
			t.Errorf("%v: want %q in\n%s", c.addresses, c.want, out)
		}
	}
}

// TestTextFindingWithoutResource: a finding whose location is not known has
// an action but no resource; its line names the action and ends there.
func TestTextFindingWithoutResource(t *testing.T) {
	r := &Report{Version: Version, Errors: []Error{}, Jobs: []Job{{
		Address: "aws_glue_job.etl", Verdict: VerdictUnknown, Notes: []string{},
		Findings: []Finding{{ID: "GA001", Title: "role-s3-permissions", Verdict: VerdictUnknown, Reason: "location-unknown", Action: "s3:*", Because: "the S3 location of script location is not known"}},
	}}}
	r.Summarize()
	out := render(t, "text", r, Options{})
	if !strings.Contains(out, "  GA001 role-s3-permissions unknown (location-unknown): s3:*\n") {
		t.Errorf("want the finding's line to end at its action:\n%q", out)
	}
}

// TestIsCrawlerReadsTheType: the resource type is read from the address's
// steps, never from inside an instance key, which may hold any text.
func TestIsCrawlerReadsTheType(t *testing.T) {
	for addr, want := range map[string]bool{
		"aws_glue_crawler.raw":                             true,
		`aws_glue_crawler.raw["eu.west"]`:                  true,
		`module.etl["a.b"].aws_glue_crawler.raw[0]`:        true,
		"module.etl.module.inner.aws_glue_crawler.raw":     true,
		"aws_glue_job.nightly":                             false,
		`aws_glue_job.j["x.aws_glue_crawler.y"]`:           false,
		`aws_glue_job.j["q\".aws_glue_crawler.y"]`:         false,
		`module.aws_glue_crawler.aws_glue_job.j`:           false,
		`module.m["].aws_glue_crawler.c["].aws_glue_job.j`: false,
	} {
		if got := isCrawler(addr); got != want {
			t.Errorf("isCrawler(%q) = %v, want %v", addr, got, want)
		}
	}
}

// FuzzIsCrawler: whatever an instance key holds, the address of a job is
// not a crawler's and the address of a crawler is.
func FuzzIsCrawler(f *testing.F) {
	f.Add("eu.west", "a.b")
	f.Add(`x"].aws_glue_crawler.y["`, `\`)
	f.Fuzz(func(t *testing.T, key, moduleKey string) {
		q := func(s string) string { return strconv.Quote(s) }
		for typ, want := range map[string]bool{"aws_glue_job": false, "aws_glue_crawler": true} {
			for _, addr := range []string{
				typ + ".r[" + q(key) + "]",
				"module.m[" + q(moduleKey) + "]." + typ + ".r[" + q(key) + "]",
			} {
				if got := isCrawler(addr); got != want {
					t.Errorf("isCrawler(%q) = %v, want %v", addr, got, want)
				}
			}
		}
	})
}
