package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive/awsfake"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// forged is what a pull request puts in a plan value or a suppression
// reason to forge the report: a workflow command, a terminal reset, and
// Markdown that closes the job's section, claims every job is fine and
// hides the rest.
const forged = "x\n::error file=main.tf,line=1::forged\x1b[2J</code></summary></details>\n\n### ✅ glueaccess: all 1 Glue jobs can reach their S3 data\n\n<!-- @security-team [docs](https://evil.example) ![i](https://evil.example/i.png)"

// hostilePlan writes the ga001-deny example plan with the job's for_each key
// and name set to forged, under a file name that needs encoding in a URI,
// and returns its path and the job's address.
func hostilePlan(t *testing.T, edit func(plan map[string]any, job map[string]any)) (string, string) {
	t.Helper()
	plan := plantest.Map(t, filepath.Join(repoRoot, "examples", "validate", "ga001-deny", "plan.json"))
	// Terraform writes a for_each key in the address as an HCL string.
	addr := "aws_glue_job.nightly[" + strconv.Quote(forged) + "]"
	job := plantest.Change(t, plan, "aws_glue_job.nightly")
	job["address"], job["index"] = addr, forged
	job["change"].(map[string]any)["after"].(map[string]any)["name"] = forged
	root := plan["planned_values"].(map[string]any)["root_module"].(map[string]any)
	for _, r := range root["resources"].([]any) {
		if r := r.(map[string]any); r["address"] == "aws_glue_job.nightly" {
			r["address"], r["index"] = addr, forged
		}
	}
	if edit != nil {
		edit(plan, job)
	}
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return plantest.WriteFile(t, "a b#%c?.json", out), addr
}

// validate runs glueaccess validate as the CLI does.
func validate(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return glueaccess(t, append([]string{"validate"}, args...)...)
}

var mdParser = goldmark.New(goldmark.WithExtensions(extension.GFM))

// markerLine is the report's sticky-comment marker; mermaidLine a line of
// the access-path diagrams, labels made of safe characters and entity codes
// (the report package parses the diagrams in full).
var (
	markerLine  = regexp.MustCompile(`^<!-- glueaccess-comment: [A-Za-z0-9._~/%-]+ -->$`)
	mermaidLine = regexp.MustCompile(`^(graph LR|  n[0-9]+\["(?:[A-Za-z0-9 .,_:/*=@+-]|#[0-9]+;)*"\]|  n[0-9]+ -->(?:\|"(?:[A-Za-z0-9 .,_:/*=@+-]|#[0-9]+;)*"\|)? n[0-9]+|  classDef [a-z]+ [a-z0-9:#,.-]+|  class n[0-9]+ [a-z]+)$`)
)

// mdStructure counts the headings, tables and table rows of a Markdown
// document and lists the links, images and raw HTML outside code.
func mdStructure(t *testing.T, doc string) (headings map[int]int, tables, rows int, links []string) {
	t.Helper()
	src := []byte(doc)
	headings = map[int]int{}
	root := mdParser.Parser().Parse(text.NewReader(src))
	err := ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings[n.Level]++
		case *extast.Table:
			tables++
		case *extast.TableRow:
			rows++
		case *ast.FencedCodeBlock:
			if string(n.Language(src)) == "mermaid" {
				var b strings.Builder
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					b.Write(seg.Value(src))
				}
				for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
					if !mermaidLine.MatchString(l) {
						links = append(links, "mermaid line "+l)
					}
				}
			}
		case *ast.Link, *ast.Image, *ast.AutoLink:
			links = append(links, n.Kind().String())
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(src))
			}
			links = append(links, "html "+b.String())
		case *ast.HTMLBlock:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
			}
			// The report's own blocks: the sticky-comment marker first, a
			// job's section that opens with its summary and closes alone.
			first := n.PreviousSibling() == nil && markerLine.MatchString(strings.TrimSpace(b.String()))
			if s := b.String(); !first && !(strings.HasPrefix(s, "<details><summary><code>") && strings.Count(s, "<") == 5) && strings.TrimSpace(s) != "</details>" {
				links = append(links, "html block "+s)
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return headings, tables, rows, links
}

// checkReports runs every format on the plan and asserts the exit code and
// that the report's structure is the tool's.
func checkReports(t *testing.T, plan string, wantCode, findings int, extra ...string) {
	t.Helper()
	for _, format := range []string{"text", "markdown", "github", "sarif", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := validate(t, append([]string{"--no-config", "--format", format}, append(extra, plan)...)...)
			if code != wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, wantCode, errOut)
			}
			for i, l := range strings.Split(out+errOut, "\n") {
				if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") && format != "github" {
					t.Errorf("line %d begins a workflow command: %q", i+1, l)
				}
			}
			if format != "json" && format != "sarif" && strings.ContainsAny(out, "\x1b\r") {
				t.Errorf("%s report holds a control character from the plan", format)
			}
			switch format {
			case "markdown":
				headings, tables, rows, links := mdStructure(t, out)
				if headings[3] != 1 || headings[4] != findings || len(headings) > 2 || tables != 1 || rows != 1 || len(links) != 0 {
					t.Errorf("markdown has headings %v, %d tables, %d rows, links/html %q; want one h3, %d h4, one table of one job, no links:\n%s", headings, tables, rows, links, findings, out)
				}
				// One access-path diagram for a job that is not allowed.
				want := strings.Count(out, "</code>: denied</summary>") + strings.Count(out, "</code>: unknown</summary>")
				if n := strings.Count(out, "\n```mermaid\n"); n != want || wantCode == 1 && n != 1 {
					t.Errorf("markdown has %d access-path diagrams, want %d:\n%s", n, want, out)
				}
			case "github":
				cmd := regexp.MustCompile(`^::(error|warning|notice) title=[^:,]*,file=[^:,]*(,line=[0-9]+)?::[^\r]*$`)
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				for _, l := range lines[:len(lines)-1] {
					if !cmd.MatchString(l) {
						t.Errorf("not a well-formed workflow command: %q", l)
					}
				}
				if !strings.HasPrefix(lines[len(lines)-1], "glueaccess: 1 Glue job:") {
					t.Errorf("last line %q is not the summary", lines[len(lines)-1])
				}
			case "sarif":
				checkSARIF(t, out, plan)
			case "json":
				var rep struct {
					Jobs []struct {
						Address, Name string
					}
				}
				if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Jobs) != 1 || rep.Jobs[0].Name != forged {
					t.Errorf("json report %+v (%v) does not carry the job's name as it is", rep, err)
				}
			}
		})
	}
}

func checkSARIF(t *testing.T, out, plan string) {
	t.Helper()
	validateAgainst(t, compileSchema(t, schemaPath(t, "sarif-schema-2.1.0.json")), []byte(out), "SARIF")
	var log struct {
		Runs []struct {
			Artifacts []struct {
				Location struct{ URI string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	uri := log.Runs[0].Artifacts[0].Location.URI
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path != filepath.ToSlash(plan) || u.Fragment != "" || u.RawQuery != "" {
		t.Errorf("artifact URI %q parses to %+v (%v), want the file %s", uri, u, err, plan)
	}
}

func TestHostilePlanValuesCannotForgeReports(t *testing.T) {
	plan, _ := hostilePlan(t, nil)
	checkReports(t, plan, 1, 1)
}

func TestHostileSuppressionReasonCannotForgeReports(t *testing.T) {
	plan, addr := hostilePlan(t, nil)
	cfg := filepath.Join(t.TempDir(), ".glueaccess.hcl")
	hcl := "suppress {\n  job = " + strconv.Quote(addr) + "\n  id = \"GA001\"\n  reason = " + strings.ReplaceAll(strconv.Quote(forged), `\x1b`, `\u001b`) + "\n}\n"
	if err := os.WriteFile(cfg, []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	// Suppressed, the job is allowed: exit 0, and the reason is shown in
	// every report without forging anything.
	checkReports(t, plan, 0, 1, "--config", cfg)
}

func TestPlansThatAreNotPlansExit2(t *testing.T) {
	tests := []struct {
		name string
		edit func(plan, job map[string]any)
		want string
	}{
		{"two resources at one address", func(plan, job map[string]any) {
			dup := map[string]any{}
			for k, v := range job {
				dup[k] = v
			}
			plan["resource_changes"] = append(plan["resource_changes"].([]any), dup)
		}, "two resource instances at"},
		{"type AWS_GLUE_JOB", func(_, job map[string]any) { job["type"] = "AWS_GLUE_JOB" }, "the aws provider's type is aws_glue_job"},
		{"mode bogus", func(_, job map[string]any) { job["mode"] = "bogus" }, `mode "bogus"`},
		{"after as a string", func(_, job map[string]any) { job["change"].(map[string]any)["after"] = "{}" }, "as a string, where terraform writes an object or null"},
		{"role_arn a number", func(_, job map[string]any) {
			job["change"].(map[string]any)["after"].(map[string]any)["role_arn"] = 7
		}, "attribute role_arn, where terraform writes a string"},
		{"errored plan", func(plan, _ map[string]any) { plan["errored"] = true }, "errored: true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan, _ := hostilePlan(t, tc.edit)
			code, out, errOut := validate(t, "--no-config", plan)
			if code != 2 || !strings.Contains(errOut, tc.want) || out != "" {
				t.Fatalf("exit %d, stderr %q, stdout %q; want exit 2 saying %q", code, errOut, out, tc.want)
			}
			if strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "\x1b") {
				t.Errorf("stderr carries the plan's line breaks or escapes: %q", errOut)
			}
		})
	}
}

func TestDeferredJobFailsOnUnknown(t *testing.T) {
	plan, _ := hostilePlan(t, func(plan, job map[string]any) {
		later := map[string]any{}
		for k, v := range job {
			later[k] = v
		}
		later["address"], later["name"], later["index"] = "aws_glue_job.later", "later", nil
		plan["complete"] = false
		plan["deferred_changes"] = []any{map[string]any{"reason": "provider_config_unknown", "resource_change": later}}
	})
	// The example's own job is denied. A suppression of the deferred job's
	// GA001 accepts a known finding, not the plan's missing values: the
	// deferred job stays unknown.
	cfg := filepath.Join(t.TempDir(), ".glueaccess.hcl")
	if err := os.WriteFile(cfg, []byte("suppress {\n  job = \"aws_glue_job.later\"\n  id = \"GA001\"\n  reason = \"accepted\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := validate(t, "--no-config", "--config", cfg, "--format", "json", plan)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	var rep struct {
		Jobs []struct {
			Address, Verdict string
			Findings         []struct{ Reason, Because string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, j := range rep.Jobs {
		if j.Address == "aws_glue_job.later" {
			seen = true
			if j.Verdict != "unknown" || len(j.Findings) != 1 || !strings.Contains(j.Findings[0].Because, "provider_config_unknown") {
				t.Errorf("deferred job %+v, want unknown with terraform's reason", j)
			}
		}
	}
	if !seen {
		t.Fatalf("deferred job missing from %s", out)
	}
}

func TestPlanSizeCap(t *testing.T) {
	plan, _ := hostilePlan(t, nil)
	code, _, errOut := validate(t, "--no-config", "--max-plan-bytes", "1000", plan)
	if code != 2 || !strings.Contains(errOut, "over the 1000-byte limit") {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming the limit", code, errOut)
	}
}

func TestErrorsOnStderrAreOneLine(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "x\n::error file=a.tf::forged\x1b[2J.json")
	code, _, errOut := validate(t, "--no-config", missing)
	if code != 2 || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "\x1b") || !strings.HasPrefix(errOut, "glueaccess validate: ") {
		t.Fatalf("exit %d, stderr %q; want exit 2 and one line of the tool's", code, errOut)
	}
}

// TestLiveLookupNotesNeverCarryCredentials runs validate --aws against a
// fake AWS whose KMS echoes the session token in its error message: the
// token does not look like base64, so only redaction by value removes it.
func TestLiveLookupNotesNeverCarryCredentials(t *testing.T) {
	const token = "session:token-not.base64_at-all"
	awsfake.Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", awsfake.KeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awsfake.Secret)
	t.Setenv("AWS_SESSION_TOKEN", token)
	world := awsfake.World(`{"Version":"2012-10-17","Statement":[]}`, `{"Version":"2012-10-17","Statement":[]}`, `{"Version":"2012-10-17","Statement":[]}`)
	world["kms:DescribeKey"] = func(int, awsfake.Call) awsfake.Reply {
		msg, _ := json.Marshal(map[string]string{"__type": "UnrecognizedClientException", "message": "The security token " + token + " included in the request is invalid.\x1b[2J\n::error::forged"})
		return awsfake.Reply{Status: 400, Body: string(msg)}
	}
	f := awsfake.New(t, world)
	plan := filepath.Join(repoRoot, "validator", "testdata", "plans", "live-outside", "plan.json")
	code, out, errOut := validate(t, "--no-config", "--aws", "--aws-endpoint-url", f.URL, "--format", "text", "--verbose", plan)
	if code == 2 {
		t.Fatalf("exit 2: %s", errOut)
	}
	if f.Count("kms:DescribeKey") == 0 || !strings.Contains(out, "UnrecognizedClientException") {
		t.Fatalf("the key was not looked up, or its error is not reported:\n%s", out)
	}
	for _, secret := range []string{token, awsfake.Secret, awsfake.KeyID} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("the report carries the credential %q:\n%s", secret, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\n::") {
		t.Errorf("the service's message forged the report:\n%s", out)
	}
}
