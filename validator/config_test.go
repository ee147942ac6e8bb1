package validator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

const sampleConfig = `
job "aws_glue_job.nightly" {
  access {
    path = "s3://raw-zone/orders/"
    mode = "read"
  }
  access {
    path = "s3://curated/orders/year=*/part-*.parquet"
    mode = "write"
  }
}

bucket "raw-zone" {
  owner_account    = "444455556666"
  object_ownership = "BucketOwnerEnforced"
  request_payer    = "Requester"
  policy           = <<-EOT
    {"Version":"2012-10-17","Statement":[]}
  EOT
}

kms_key "arn:aws:kms:eu-west-1:444455556666:key/abcd" {
  policy = "{}"
}

provider_accounts = {
  "aws.data" = "444455556666"
}

organization {
  management_account = "999988887777"
  node "r-ab12" {}
  node "ou-ab12-cdef3456" {
    parent = "r-ab12"
    scp "deny-deletes" {
      policy = "{}"
    }
  }
}

suppress {
  job     = "aws_glue_job.nightly"
  id      = "GA003"
  reason  = "legacy bucket; readers accepted by the data owner"
  expires = "2026-12-31"
}
`

func TestParseConfigReadsEveryBlock(t *testing.T) {
	d, err := parseConfig([]byte(sampleConfig), ".glueaccess.hcl", ".glueaccess.hcl")
	if err != nil {
		t.Fatal(err)
	}
	paths := d.Jobs["aws_glue_job.nightly"]
	if len(paths) != 2 || paths[0].URL != "s3://raw-zone/orders/" || paths[0].Mode != access.ModeRead {
		t.Fatalf("access paths %+v", paths)
	}
	// A glob stands for everything under its literal part.
	if paths[1].URL != "s3://curated/orders/year=" || paths[1].Mode != access.ModeWrite {
		t.Errorf("glob path became %q", paths[1].URL)
	}
	if paths[0].From.String() != ".glueaccess.hcl:3" {
		t.Errorf("provenance %q, want .glueaccess.hcl:3", paths[0].From.String())
	}
	if len(d.Buckets) != 1 || d.Buckets[0].Owner.V != "444455556666" || d.Buckets[0].RequestPayer.V != access.PayerRequester || d.Buckets[0].Policy == nil {
		t.Errorf("bucket %+v", d.Buckets)
	}
	if d.Keys["arn:aws:kms:eu-west-1:444455556666:key/abcd"] == nil {
		t.Error("kms key policy not read")
	}
	if d.ProviderAccounts["aws.data"] != "444455556666" {
		t.Errorf("provider accounts %v", d.ProviderAccounts)
	}
	if d.Org == nil || d.Org.ManagementAccount.V != "999988887777" || len(d.Org.Nodes) != 2 || len(d.Org.Nodes[1].SCPs) != 1 || d.Org.Nodes[1].Parent.V != "r-ab12" {
		t.Errorf("organization %+v", d.Org)
	}
	if len(d.Suppressions) != 1 || d.Suppressions[0].ID != access.GA003 || d.Suppressions[0].Expires.Format(time.DateOnly) != "2026-12-31" {
		t.Errorf("suppressions %+v", d.Suppressions)
	}
}

func TestParseConfigRejectsWithFileAndLine(t *testing.T) {
	cases := map[string]struct {
		src  string
		want string
	}{
		"unknown block":              {"bukket \"x\" {}\n", `.glueaccess.hcl:1`},
		"unknown attribute":          {"bucket \"x\" {\n  owner = \"1\"\n}\n", `.glueaccess.hcl:2`},
		"bad mode":                   {"job \"j\" {\n  access {\n    path = \"s3://b/\"\n    mode = \"rw\"\n  }\n}\n", `.glueaccess.hcl:2: access mode "rw"`},
		"path not s3":                {"job \"j\" {\n  access {\n    path = \"/data\"\n    mode = \"read\"\n  }\n}\n", `.glueaccess.hcl:2: access path "/data"`},
		"suppression no reason":      {"suppress {\n  job = \"j\"\n  id = \"GA001\"\n  reason = \" \"\n}\n", `.glueaccess.hcl:1: suppress of GA001 on j: reason must not be empty`},
		"suppression missing reason": {"suppress {\n  job = \"j\"\n  id = \"GA001\"\n}\n", `.glueaccess.hcl:1`},
		"suppression unknown id":     {"suppress {\n  job = \"j\"\n  id = \"GA010\"\n  reason = \"x\"\n}\n", `suppress id "GA010"`},
		"bad expiry":                 {"suppress {\n  job = \"j\"\n  id = \"GA001\"\n  reason = \"x\"\n  expires = \"soon\"\n}\n", `expires "soon"`},
		"bad owner":                  {"bucket \"b\" {\n  owner_account = \"12\"\n}\n", `owner_account "12"`},
		"bad ownership":              {"bucket \"b\" {\n  object_ownership = \"Mine\"\n}\n", `object_ownership "Mine"`},
		"bad payer":                  {"bucket \"b\" {\n  request_payer = \"Me\"\n}\n", `request_payer "Me"`},
		"bad org node":               {"organization {\n  node \"x\" {}\n}\n", `organization node "x"`},
		"org node without parent":    {"organization {\n  node \"111122223333\" {}\n}\n", `needs parent`},
		"not HCL":                    {"{{{", `.glueaccess.hcl:1`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseConfig([]byte(tc.src), ".glueaccess.hcl", ".glueaccess.hcl")
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestSuppressionsSuppressUntilTheyExpire(t *testing.T) {
	finding := func() report.Job {
		return report.Job{Address: "aws_glue_job.a", Findings: []report.Finding{{ID: "GA001", Verdict: report.VerdictDeny}, {ID: "GA002", Verdict: report.VerdictDeny}}}
	}
	expires := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	sup := []suppression{
		{Job: "aws_glue_job.a", ID: access.GA001, Reason: "accepted", Expires: expires, From: access.Provenance{File: "c.hcl", Line: 4}},
		{Job: "aws_glue_job.a", ID: access.GA002, Reason: "accepted for good", From: access.Provenance{File: "c.hcl", Line: 9}},
		{Job: "aws_glue_job.other", ID: access.GA001, Reason: "another job", From: access.Provenance{File: "c.hcl", Line: 14}},
	}
	cases := map[string]struct {
		now        time.Time
		suppressed bool
	}{
		"before expiry": {time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), true},
		"on expiry day": {time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), true},
		"after expiry":  {time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC), false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			j := finding()
			applySuppressions(&j, sup, tc.now)
			if got := j.Findings[0].Suppressed != nil; got != tc.suppressed {
				t.Fatalf("suppressed = %v, want %v", got, tc.suppressed)
			}
			if s := j.Findings[1].Suppressed; s == nil || s.Reason != "accepted for good" || s.Expires != "" {
				t.Errorf("GA002 suppression without expiry = %+v", s)
			}
			if !tc.suppressed && (len(j.Notes) != 1 || !strings.Contains(j.Notes[0], "expired on 2026-12-31")) {
				t.Errorf("expired suppression not reported: %v", j.Notes)
			}
			r := &report.Report{Jobs: []report.Job{j}}
			r.Summarize()
			want := report.Denied
			if tc.suppressed {
				want = report.Allowed
			}
			if r.Jobs[0].Verdict != want {
				t.Errorf("verdict %s, want %s", r.Jobs[0].Verdict, want)
			}
		})
	}
}

func TestDocumentedConfigurationParses(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "```hcl\n")
	end := strings.Index(text[start+1:], "\n```")
	if start < 0 || end < 0 {
		t.Fatal("docs/configuration.md has no hcl block")
	}
	src := text[start+len("```hcl\n") : start+1+end]
	d, err := parseConfig([]byte(src), "configuration.md", "configuration.md")
	if err != nil {
		t.Fatalf("the documented configuration does not parse: %v", err)
	}
	if len(d.Jobs) != 1 || len(d.Buckets) != 1 || len(d.Keys) != 1 || len(d.Policies) != 1 || d.Org == nil || len(d.Suppressions) != 1 || len(d.ProviderAccounts) != 2 {
		t.Errorf("documented configuration read as %+v", d)
	}
}

// TestConfigProvenanceIsRelativeToTheConfigDir: facts declared in the
// configuration file cite it the way reports cite the Terraform
// configuration's files, relative to the configuration directory, whatever
// the working directory; a file outside that directory, or no directory,
// keeps the path as given. Errors always name the path as given.
func TestConfigProvenanceIsRelativeToTheConfigDir(t *testing.T) {
	tmp := t.TempDir()
	infra := filepath.Join(tmp, "infra")
	if err := os.Mkdir(infra, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(infra, ConfigFileName)
	if err := os.WriteFile(path, []byte(sampleConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, want string
	}{
		{name: "the file in the configuration directory", dir: infra, want: ".glueaccess.hcl:3"},
		{name: "the file in a subdirectory of the configuration directory", dir: tmp, want: "infra/.glueaccess.hcl:3"},
		{name: "the directory named with a trailing separator", dir: infra + string(filepath.Separator), want: ".glueaccess.hcl:3"},
		{name: "a file outside the configuration directory keeps its path", dir: filepath.Join(tmp, "other"), want: path + ":3"},
		{name: "no configuration directory keeps the path as given", dir: "", want: path + ":3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := loadConfig(path, tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			paths := d.Jobs["aws_glue_job.nightly"]
			if len(paths) == 0 || paths[0].From.String() != tt.want {
				t.Fatalf("access path provenance %v, want %s", paths, tt.want)
			}
			if got, want := d.Suppressions[0].From.String(), strings.TrimSuffix(tt.want, ":3")+":41"; got != want {
				t.Errorf("suppression from %s, want %s", got, want)
			}
		})
	}
	t.Run("errors name the file as given", func(t *testing.T) {
		bad := filepath.Join(infra, "bad.hcl")
		if err := os.WriteFile(bad, []byte("bukket \"x\" {}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadConfig(bad, infra)
		if err == nil || !strings.Contains(err.Error(), bad+":1") {
			t.Fatalf("error %v, want it to name %s:1", err, bad)
		}
	})
}

// TestConfigBaselineResolvesAgainstTheFile: the baseline path in a
// configuration file found in a parent directory is relative to that file,
// not to the working directory; an empty one is an error.
func TestConfigBaselineResolvesAgainstTheFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "infra")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ConfigFileName)
	if err := os.WriteFile(path, []byte("baseline = \"accepted/base.json\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := loadConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "accepted", "base.json"); d.Baseline != want {
		t.Errorf("baseline %q, want %q", d.Baseline, want)
	}
	if _, err := parseConfig([]byte(`baseline = ""`), "x.hcl", "x.hcl"); err == nil || !strings.Contains(err.Error(), "baseline must not be empty") {
		t.Errorf("empty baseline: %v", err)
	}
}

// TestFindConfigWalksUpToTheRoot: the nearest file from the start directory
// up to the root wins; above the root, or without one, nothing is found.
func TestFindConfigWalksUpToTheRoot(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "repo")
	deep := filepath.Join(root, "infra", "etl")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	put := func(dir string) string {
		p := filepath.Join(dir, ConfigFileName)
		if err := os.WriteFile(p, []byte("\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	put(top) // above the root: never read
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if got, err := findConfig("", deep, root); err != nil || got != "" {
		t.Errorf("nothing up to the root: got %q, %v", got, err)
	}
	atRoot := put(root)
	if got, _ := findConfig("", deep, root); abs(got) != atRoot {
		t.Errorf("got %q, want the root's %s", got, atRoot)
	}
	inInfra := put(filepath.Join(root, "infra"))
	if got, _ := findConfig("", deep, root); abs(got) != inInfra {
		t.Errorf("got %q, want the nearer %s", got, inInfra)
	}
	if got, _ := findConfig("", deep, ""); got != "" {
		t.Errorf("without a root only the start directory is searched; got %q", got)
	}
}
