package validator

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// doc is a known policy document labelled label.
func doc(label, statements string) *access.PolicyDoc {
	return &access.PolicyDoc{Label: label, JSON: `{"Version": "2012-10-17", "Statement": [` + statements + `]}`, Known: true}
}

const (
	allowTypo   = `{"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`
	allowBucket = `{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObjects", "Resource": "*"}`
)

func TestPolicyLinterJob(t *testing.T) {
	awsManaged := access.Known("arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole", access.Provenance{})
	customer := access.Known("arn:aws:iam::111122223333:policy/glue", access.Provenance{})
	tests := []struct {
		name  string
		facts access.Facts
		want  []string
	}{
		{"no role, no buckets: nothing to lint", access.Facts{}, nil},
		{"inline typo is named by its label, statement and suggestion",
			access.Facts{Role: &access.Role{Inline: []access.PolicyDoc{*doc("aws_iam_role_policy.glue", allowTypo)}}},
			[]string{`aws_iam_role_policy.glue statement 0 ("Read"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`}},
		{"a label-less document is named by its provenance",
			access.Facts{Role: &access.Role{Inline: []access.PolicyDoc{{JSON: `{"Statement": [` + allowTypo + `]}`, Known: true,
				From: access.Provenance{Address: "aws_iam_role.glue", Attribute: "inline_policy.0.policy"}}}}},
			[]string{`aws_iam_role.glue inline_policy.0.policy statement 0 ("Read"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`}},
		{"customer managed and boundary are linted, AWS managed is not",
			access.Facts{Role: &access.Role{
				Managed: []access.ManagedPolicy{
					{ARN: awsManaged, Document: doc("AWSGlueServiceRole", `{"Effect": "Allow", "Action": "glue:RetiredAction", "Resource": "*"}`)},
					{ARN: customer, Document: doc("aws_iam_policy.glue", `{"Effect": "Allow", "Action": "s3:PutObjects", "Resource": "*"}`)},
				},
				Boundary: &access.ManagedPolicy{ARN: customer, Document: doc("aws_iam_policy.boundary", `{"Effect": "Allow", "NotAction": "iam:PassRoles", "Resource": "*"}`)},
			}},
			[]string{
				`aws_iam_policy.glue statement 0: action "s3:PutObjects" does not exist; did you mean "s3:PutObject"?`,
				`aws_iam_policy.boundary statement 0: NotAction "iam:PassRoles" does not exist; did you mean "iam:PassRole"?`,
			}},
		{"bucket and key policies of the job are linted",
			access.Facts{
				Buckets: []access.Bucket{{Name: "data", Policy: doc("aws_s3_bucket_policy.data policy", allowBucket)}},
				Keys:    []access.KMSKey{{Policy: doc("aws_kms_key.data policy", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrpyt", "Resource": "*"}`)}},
			},
			[]string{
				`aws_s3_bucket_policy.data policy statement 0: action "s3:PutObjects" does not exist; did you mean "s3:PutObject"?`,
				`aws_kms_key.data policy statement 0: action "kms:Decrpyt" does not exist; did you mean "kms:Decrypt"?`,
			}},
		{"unknown and unparsable documents are left to the checks",
			access.Facts{Role: &access.Role{Inline: []access.PolicyDoc{
				{Label: "aws_iam_role_policy.later", From: access.Provenance{Note: "not known until apply"}},
				{Label: "aws_iam_role_policy.bad", JSON: `{"Statement": [{"Effect": "Maybe", "Action": "s3:GetObjects", "Resource": "*"}]}`, Known: true},
			}}},
			nil},
		{"an API operation name is told its IAM action, not a spelling",
			access.Facts{Role: &access.Role{Inline: []access.PolicyDoc{*doc("aws_iam_role_policy.glue",
				`{"Sid": "Encryption", "Effect": "Allow", "Action": "s3:GetBucketEncryption", "Resource": "*"}`)}}},
			[]string{`aws_iam_role_policy.glue statement 0 ("Encryption"): action "s3:GetBucketEncryption" does not exist: "s3:GetBucketEncryption" is an API operation; its IAM action is "s3:GetEncryptionConfiguration"`}},
		{"parts AWS refuses to save are noted after the action problems, and give no hint",
			access.Facts{Buckets: []access.Bucket{{Name: "data", Policy: doc("aws_s3_bucket_policy.data policy",
				`{"Sid": "OnlyGlue", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/service-role/GlueJob"}, "Action": "s3:PutObjects", "Resource": "*"}`)}}},
			[]string{
				`aws_s3_bucket_policy.data policy statement 0 ("OnlyGlue"): action "s3:PutObjects" does not exist; did you mean "s3:PutObject"?`,
				`aws_s3_bucket_policy.data policy statement 0 ("OnlyGlue") at Statement[0].NotPrincipal.AWS: NotPrincipal lists "arn:aws:iam::111122223333:role/service-role/GlueJob" without its account 111122223333: IAM requires that a Deny with NotPrincipal "also specify the account ARN of the not-denied principal", or the Deny applies to that principal too`,
			}},
		{"one document reached twice is reported once",
			access.Facts{Role: &access.Role{Inline: []access.PolicyDoc{*doc("aws_iam_role_policy.glue", allowTypo), *doc("aws_iam_role_policy.glue", allowTypo)}}},
			[]string{`aws_iam_role_policy.glue statement 0 ("Read"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemNotes(newPolicyLinter(nil).job(&tt.facts, nil))
			if !slices.Equal(got, tt.want) {
				t.Errorf("job() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestPolicyLinterSharedAndUnused(t *testing.T) {
	l := newPolicyLinter(nil)
	network := &access.Network{Endpoints: []access.VPCEndpoint{{Policy: doc("aws_vpc_endpoint.s3 policy", allowBucket)}}}
	org := &access.Organization{Nodes: []access.OrgNode{{
		SCPs: []access.PolicyDoc{*doc("aws_organizations_policy.scp", `{"Effect": "Deny", "Action": "s3:DeleteBuckets", "Resource": "*"}`)},
		RCPs: []access.PolicyDoc{*doc("aws_organizations_policy.rcp", `{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObjectAcls", "Resource": "*"}`)},
	}}}
	got := problemNotes(l.shared(network, org))
	want := []string{
		`aws_vpc_endpoint.s3 policy statement 0: action "s3:PutObjects" does not exist; did you mean "s3:PutObject"?`,
		`aws_organizations_policy.scp statement 0: action "s3:DeleteBuckets" does not exist; did you mean "s3:DeleteBucket"?`,
		`aws_organizations_policy.rcp statement 0: action "s3:PutObjectAcls" does not exist; did you mean "s3:PutObjectAcl"?`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("shared() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := l.shared(nil, nil); got != nil {
		t.Errorf("shared(nil, nil) = %v, want nothing", got)
	}

	buckets := map[string]*access.PolicyDoc{
		"used":   doc("aws_s3_bucket_policy.used policy", allowBucket),
		"unused": doc("aws_s3_bucket_policy.unused policy", allowBucket),
	}
	got = problemNotes(l.unused(buckets, nil, map[string]bool{"aws_s3_bucket_policy.used policy": true}))
	want = []string{`aws_s3_bucket_policy.unused policy statement 0: action "s3:PutObjects" does not exist; did you mean "s3:PutObject"?`}
	if !slices.Equal(got, want) {
		t.Errorf("unused() = %q, want only the bucket no job uses: %q", got, want)
	}
}

func TestAddLintHints(t *testing.T) {
	l := newPolicyLinter(nil)
	identity := l.doc(doc("aws_iam_role_policy.glue", allowTypo), iam.KindIdentity, iam.LayerIdentity, nil)
	other := l.doc(doc("aws_iam_role_policy.other", `{"Effect": "Allow", "Action": "s3:GetObjectz", "Resource": "*"}`), iam.KindIdentity, iam.LayerIdentity, nil)
	bucket := l.doc(doc("aws_s3_bucket_policy.data policy", allowBucket), iam.KindResource, iam.LayerResource, nil)
	const hint = "aws_iam_role_policy.glue statement 0 names s3:GetObjects; did you mean s3:GetObject?"
	finding := func(layer, policy string, actions ...string) report.Finding {
		f := report.Finding{ID: "GA001", DecidedBy: &report.Statement{Layer: layer, Policy: policy, Index: -1}}
		for _, a := range actions {
			f.Needs = append(f.Needs, report.Need{Action: a})
		}
		return f
	}
	tests := []struct {
		name    string
		finding report.Finding
		probs   []policyProblem
		want    []string
	}{
		{"needed action is the suggestion in the blocking layer", finding("identity", "aws_iam_role.glue", "s3:GetObject"), identity, []string{hint}},
		{"any of the needs may match, case aside", finding("identity", "aws_iam_role.glue", "s3:ListBucket", "S3:GETOBJECT"), identity, []string{hint}},
		{"a need the typo does not explain gets no hint", finding("identity", "aws_iam_role.glue", "s3:PutObject"), identity, nil},
		{"a typo in another layer does not explain the finding", finding("resource", "aws_s3_bucket_policy.data policy", "s3:GetObject"), identity, nil},
		{"a resource-layer typo explains a resource-layer finding", finding("resource", "aws_s3_bucket_policy.data policy", "s3:PutObject"), bucket,
			[]string{"aws_s3_bucket_policy.data policy statement 0 names s3:PutObjects; did you mean s3:PutObject?"}},
		{"every policy of the layer may explain a role-level finding", finding("identity", "aws_iam_role.glue", "s3:GetObject"), append(slices.Clone(identity), other...),
			[]string{hint, "aws_iam_role_policy.other statement 0 names s3:GetObjectz; did you mean s3:GetObject?"}},
		{"when the deciding policy has the typo only it counts", finding("identity", "aws_iam_role_policy.other", "s3:GetObject"), append(slices.Clone(identity), other...),
			[]string{"aws_iam_role_policy.other statement 0 names s3:GetObjectz; did you mean s3:GetObject?"}},
		{"a structural finding has no blocking layer", report.Finding{ID: "GA003", Needs: []report.Need{{Action: "s3:GetObject"}}}, identity, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := report.Job{Findings: []report.Finding{tt.finding}}
			addLintHints(&j, tt.probs)
			addLintHints(&j, tt.probs) // a second pass adds nothing
			if got := j.Findings[0].Evidence; !slices.Equal(got, tt.want) {
				t.Errorf("evidence = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestValidateReportsActionWarningsWhereTheyBelong decides a plan with typos
// in the policy of a bucket the job reads and of a bucket no job uses: the
// first is the job's warning, the second the plan's, and neither changes the
// verdict.
func TestValidateReportsActionWarningsWhereTheyBelong(t *testing.T) {
	rep, err := validate(filepath.Join("testdata", "plans", "typo-shared", "plan.json"), Options{Now: exampleNow})
	if err != nil {
		t.Fatal(err)
	}
	wantPlan := []string{`aws_s3_bucket_policy.logs statement 0: action "s3:PutObjectAcls" does not exist; did you mean "s3:PutObjectAcl"?`}
	if !slices.Equal(rep.Plan.ActionWarnings, wantPlan) {
		t.Errorf("plan action warnings %q, want %q", rep.Plan.ActionWarnings, wantPlan)
	}
	if len(rep.Jobs) != 1 {
		t.Fatalf("%d jobs, want 1", len(rep.Jobs))
	}
	j := rep.Jobs[0]
	wantJob := []string{`aws_s3_bucket_policy.artifacts statement 0 ("NoDeletes"): action "s3:DeleteObjects" does not exist; did you mean "s3:DeleteObject"?`}
	if !slices.Equal(j.ActionWarnings, wantJob) {
		t.Errorf("job action warnings %q, want %q", j.ActionWarnings, wantJob)
	}
	if j.Verdict != report.Allowed || len(rep.Errors) != 0 {
		t.Errorf("verdict %s, errors %+v: want allowed, none (warnings never decide)", j.Verdict, rep.Errors)
	}
	if code := exitCode(rep, "unknown"); code != ExitAllowed {
		t.Errorf("exit code %d, want %d", code, ExitAllowed)
	}
}

// TestLintReusesWhatTheChecksCompiled: every document the lint of a job
// reads (inline, customer managed and boundary policies, bucket and key
// policies) that the checks compile too reaches the lint compiled, under the
// label the lint reports, so the lint parses none of them again. The plans
// are the examples, the test plans and the benchmark's plan.
func TestLintReusesWhatTheChecksCompiled(t *testing.T) {
	examples, err := filepath.Glob(filepath.Join("..", "examples", "validate", "*", "plan.json"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no example plans: %v", err)
	}
	tests, err := filepath.Glob(filepath.Join("testdata", "plans", "*", "plan.json"))
	if err != nil || len(tests) == 0 {
		t.Fatalf("no test plans: %v", err)
	}
	plans := append(examples, tests...)
	kinds := map[iam.Kind]int{}
	for _, path := range append(plans, "large plan") {
		var doc *planjson.Document
		var err error
		if path == "large plan" {
			doc, err = planjson.Decode(largePlan(t, 2))
		} else {
			doc, err = planjson.Load(path, planjson.LoadOptions{})
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		fb := newFactBuilder(newPlanIndex(doc), nil, nil)
		for i := range fb.Jobs() {
			f := fb.Facts(i)
			compiled := compiledPolicies{}
			access.Check(f, access.Options{Compiled: compiled.record})
			for _, d := range lintedDocs(f) {
				if !d.doc.Known {
					continue
				}
				if _, err := iam.Parse([]byte(d.doc.JSON), d.kind, d.doc.Label); err != nil {
					continue // the checks report it; the lint has nothing to read
				}
				p := compiled[compiledKey(d)]
				if p == nil || p.Label != d.doc.Label {
					t.Errorf("%s, job %s: %s (kind %d) was not handed to the lint compiled", path, fb.Jobs()[i], d.doc.Label, d.kind)
					continue
				}
				kinds[d.kind]++
			}
		}
	}
	// No plan here holds a key policy a job reads; access's
	// TestCompiledHandsOverEveryParse covers that the key policy of the
	// facts is handed over.
	for _, k := range []iam.Kind{iam.KindIdentity, iam.KindResource} {
		if kinds[k] == 0 {
			t.Errorf("no example document of kind %d was reused: the test covers less than it says", k)
		}
	}
}

type lintedDoc struct {
	doc  *access.PolicyDoc
	kind iam.Kind
}

// lintedDocs lists what policyLinter.job reads, but AWS managed policies,
// which it skips.
func lintedDocs(f *access.Facts) []lintedDoc {
	var out []lintedDoc
	if r := f.Role; r != nil {
		for i := range r.Inline {
			out = append(out, lintedDoc{&r.Inline[i], iam.KindIdentity})
		}
		for i := range r.Managed {
			if mp := &r.Managed[i]; mp.Document != nil && !strings.Contains(mp.ARN.V, ":iam::aws:policy/") {
				out = append(out, lintedDoc{mp.Document, iam.KindIdentity})
			}
		}
		if r.Boundary != nil && r.Boundary.Document != nil && !strings.Contains(r.Boundary.ARN.V, ":iam::aws:policy/") {
			out = append(out, lintedDoc{r.Boundary.Document, iam.KindBoundary})
		}
	}
	for i := range f.Buckets {
		if f.Buckets[i].Policy != nil {
			out = append(out, lintedDoc{f.Buckets[i].Policy, iam.KindResource})
		}
	}
	for i := range f.Keys {
		if f.Keys[i].Policy != nil {
			out = append(out, lintedDoc{f.Keys[i].Policy, iam.KindKeyPolicy})
		}
	}
	return out
}

// TestLintSharesTheRunsParses: the lint of the shared documents parses the
// SCPs and RCPs through the run the checks use, under the labels the checks
// give them, so every SCP and RCP a check compiles is the lint's parse and
// none is parsed twice. The plan is a small generated estate.
func TestLintSharesTheRunsParses(t *testing.T) {
	e := estate{ous: 12, accounts: 10, jobs: 20}
	data, hcl := orgPlan(t, e)
	decl, err := parseConfig([]byte(hcl), ConfigFileName, ConfigFileName)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(plan), nil, decl)
	run := access.NewRun()
	l := newPolicyLinter(run)
	linted := map[*iam.Policy]bool{}
	parse := l.parse
	l.parse = func(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
		p, err := parse(doc, kind, label)
		linted[p] = true
		return p, err
	}
	l.shared(fb.b.network, fb.b.org)
	orgKinds := 0
	for i := range fb.Jobs() {
		access.Check(fb.Facts(i), access.Options{Run: run, Compiled: func(d *access.PolicyDoc, kind iam.Kind, p *iam.Policy) {
			if kind != iam.KindSCP && kind != iam.KindRCP {
				return
			}
			orgKinds++
			if !linted[p] {
				t.Errorf("job %s: %s (kind %d) was parsed again, not taken from the lint's parse", fb.Jobs()[i], d.Label, kind)
			}
		}})
	}
	if orgKinds == 0 {
		t.Fatal("no check compiled an SCP or RCP: the test covers nothing")
	}
}

// TestLintByActionsIsLintActions: the linter shares awsdata.LintActions'
// problems between documents with the same Action and NotAction entries.
// Through one linter, documents that differ only in what the lint reports
// (a statement's index or Sid, Action against NotAction, the typo itself)
// or only in what it does not read (resources, labels) each get exactly
// their own problems, as a fresh LintActions gives them (a label reused for
// another text included), and so does every document a job of the example
// and test plans lints.
func TestLintByActionsIsLintActions(t *testing.T) {
	l := newPolicyLinter(nil)
	check := func(where string, d *access.PolicyDoc, kind iam.Kind) {
		t.Helper()
		p, err := iam.Parse([]byte(d.JSON), kind, d.Label)
		if err != nil {
			if where == "variant" {
				t.Fatalf("variant %s does not parse: %v", d.JSON, err)
			}
			return
		}
		var want []string
		for _, ap := range awsdata.LintActions(p) {
			want = append(want, policyProblem{ActionProblem: ap}.note())
		}
		for _, w := range p.Warnings() {
			want = append(want, d.Label+" "+w.String())
		}
		if got := problemNotes(l.doc(d, kind, iam.LayerIdentity, nil)); !slices.Equal(got, want) {
			t.Errorf("%s: %s linted\n%s\nwant\n%s", where, d.Label, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	variants := []string{
		`{"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
		`{"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "arn:aws:s3:::other/*"}`,
		`{"Sid": "Get", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
		`{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
		`{"Sid": "Read", "Effect": "Allow", "NotAction": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
		`{"Sid": "Read", "Effect": "Allow", "Action": ["s3:ListBuckets", "s3:GetObject"], "Resource": "*"}`,
		`{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObjects", "s3:ListBucket"], "Resource": "*"}`,
		`{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}, {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
		`{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}, {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
		`{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}`,
		`{"Sid": "1", "Effect": "Allow", "Action": ["2:s3:ListBucket", "s3:GetObjects"], "Resource": "*"}`,
	}
	for round := range 2 {
		for i, v := range variants {
			check("variant", doc("aws_iam_role_policy.v"+strconv.Itoa(i), v), iam.KindIdentity)
			check("variant under another label", doc("aws_iam_role_policy.w"+strconv.Itoa(i+round), v), iam.KindIdentity)
		}
	}
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "validate", "*", "plan.json"))
	tests, _ := filepath.Glob(filepath.Join("testdata", "plans", "*", "plan.json"))
	if len(examples) == 0 || len(tests) == 0 {
		t.Fatal("no example or test plans")
	}
	for _, path := range append(examples, tests...) {
		doc, err := planjson.Load(path, planjson.LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		fb := newFactBuilder(newPlanIndex(doc), nil, nil)
		for i := range fb.Jobs() {
			for _, d := range lintedDocs(fb.Facts(i)) {
				if d.doc.Known && d.doc.Label != "" {
					check(path, d.doc, d.kind)
				}
			}
		}
	}
}
