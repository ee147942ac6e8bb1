package access

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Accounts used by the fixtures: A owns the job role, B another account.
const (
	acctA    = "111122223333"
	acctB    = "444455556666"
	region   = "eu-west-1"
	roleARN  = "arn:aws:iam::" + acctA + ":role/etl/glue-etl"
	roleName = "glue-etl"
)

// fact returns a known value from a fixture address.
func fact[T any](v T, addr string) Value[T] {
	return Known(v, Provenance{Address: addr})
}

// doc is a known policy document.
func doc(label, js string) PolicyDoc {
	return PolicyDoc{Label: label, JSON: js, Known: true, From: Provenance{Address: label, Attribute: "policy"}}
}

// policy wraps statements into a policy document.
func policy(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// stmt builds a statement from effect, actions and resources.
func stmt(effect string, actions []string, resources ...string) string {
	a, _ := json.Marshal(actions)
	r, _ := json.Marshal(resources)
	return fmt.Sprintf(`{"Effect":%q,"Action":%s,"Resource":%s}`, effect, a, r)
}

func allow(actions []string, resources ...string) string { return stmt("Allow", actions, resources...) }

func acts(a ...string) []string { return a }

// base is a job that is allowed: script in etl-scripts, TempDir in etl-tmp,
// both buckets new in account A, role policy granting exactly that.
func base() *Facts {
	return &Facts{
		Job: Job{
			Address:        "aws_glue_job.etl",
			Name:           fact("etl", "aws_glue_job.etl"),
			RoleRef:        fact(roleARN, "aws_glue_job.etl"),
			Command:        fact("glueetl", "aws_glue_job.etl"),
			ScriptLocation: Known("s3://etl-scripts/jobs/etl.py", Provenance{Address: "aws_glue_job.etl", Attribute: "command.script_location"}),
			DefaultArguments: Known(map[string]string{"--TempDir": "s3://etl-tmp/glue/"},
				Provenance{Address: "aws_glue_job.etl", Attribute: "default_arguments"}),
			Region: fact(region, "aws_glue_job.etl"),
		},
		Role: &Role{
			Address: "aws_iam_role.glue",
			ARN:     fact(roleARN, "aws_iam_role.glue"),
			Name:    fact(roleName, "aws_iam_role.glue"),
			Account: fact(acctA, "aws_iam_role.glue"),
			Inline: []PolicyDoc{doc("aws_iam_role_policy.glue", policy(
				allow(acts("s3:GetObject"), "arn:aws:s3:::etl-scripts/jobs/*"),
				allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::etl-tmp/glue/*"),
				allow(acts("s3:ListBucket"), "arn:aws:s3:::etl-tmp"),
			))},
			PoliciesComplete: true,
		},
		Buckets: []Bucket{newBucket("etl-scripts", acctA), newBucket("etl-tmp", acctA)},
	}
}

// newBucket is a bucket created in the plan: no policy, default settings.
func newBucket(name, owner string) Bucket {
	addr := "aws_s3_bucket." + strings.ReplaceAll(name, "-", "_")
	return Bucket{Name: name, Address: addr, Owner: fact(owner, addr), Region: fact(region, addr),
		RequestPayer: fact(PayerBucketOwner, addr), SSEAlgorithm: fact[SSEAlgorithm]("", addr), CreatedInPlan: true}
}

// mod changes facts; with applies them to base().
type mod func(*Facts)

func with(mods ...mod) *Facts {
	f := base()
	for _, m := range mods {
		m(f)
	}
	return f
}

// rolePolicy replaces the role's inline policies with one document.
func rolePolicy(stmts ...string) mod {
	return func(f *Facts) { f.Role.Inline = []PolicyDoc{doc("aws_iam_role_policy.glue", policy(stmts...))} }
}

// addRolePolicy adds statements as a second inline policy.
func addRolePolicy(label string, stmts ...string) mod {
	return func(f *Facts) { f.Role.Inline = append(f.Role.Inline, doc(label, policy(stmts...))) }
}

// bucket adds (or replaces) a bucket; owner is its account.
func bucket(name, owner string, mods ...func(*Bucket)) mod {
	return func(f *Facts) {
		b := newBucket(name, owner)
		for _, m := range mods {
			m(&b)
		}
		for i := range f.Buckets {
			if f.Buckets[i].Name == name {
				f.Buckets[i] = b
				return
			}
		}
		f.Buckets = append(f.Buckets, b)
	}
}

// bucketPolicy sets the policy of an existing fixture bucket.
func bucketPolicy(name string, stmts ...string) mod {
	return func(f *Facts) {
		for i := range f.Buckets {
			if f.Buckets[i].Name == name {
				d := doc("aws_s3_bucket_policy."+strings.ReplaceAll(name, "-", "_"), policy(stmts...))
				f.Buckets[i].Policy = &d
			}
		}
	}
}

// editBucket changes a fixture bucket.
func editBucket(name string, m func(*Bucket)) mod {
	return func(f *Facts) {
		for i := range f.Buckets {
			if f.Buckets[i].Name == name {
				m(&f.Buckets[i])
			}
		}
	}
}

// access declares a data path.
func access(url string, mode AccessMode) mod {
	return func(f *Facts) {
		f.Access = append(f.Access, AccessPath{URL: url, Mode: mode, From: Provenance{File: ".glueaccess.hcl", Line: 3}})
	}
}

// setArg sets a default argument.
func setArg(k, v string) mod {
	return func(f *Facts) { f.Job.DefaultArguments.V[k] = v }
}

// want is the expectation on the finding of one condition.
type want struct {
	verdict Verdict // "" = no finding of that condition (allowed)
	reason  string
	layer   string // DecidedBy.Layer
	policy  string // DecidedBy.Policy ("" = not checked)
	index   int    // DecidedBy.Index (checked when policy is set)
	target  string // Fix.Target ("" = no fix expected)
	// needs are actions the finding must list ("" = not checked).
	needs []string
}

// caseT is one table case for a condition.
type caseT struct {
	name  string
	facts *Facts
	want  want
	opts  Options
}

// runCases runs a condition's table: it asserts the first finding of id, its
// verdict, reason, deciding statement and fix, and for deny cases applies
// every suggested fix and expects the job to be allowed.
func runCases(t *testing.T, id CheckID, cases []caseT) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, tc.opts)
			got := findingOf(rep, id)
			if tc.want.verdict == "" {
				if got != nil {
					t.Fatalf("want no %s finding, got %s", id, dump(got))
				}
				if rep.Verdict != JobAllowed {
					t.Fatalf("want job allowed, got %s: %s", rep.Verdict, dump(rep.Findings))
				}
				return
			}
			if got == nil {
				t.Fatalf("want a %s finding, got %s", id, dump(rep.Findings))
			}
			checkFinding(t, got, tc.want)
			if tc.want.verdict != Deny {
				if rep.Verdict == JobAllowed {
					t.Fatalf("job with an unknown finding reported allowed")
				}
				return
			}
			if rep.Verdict != JobDenied {
				t.Fatalf("job verdict %s, want denied", rep.Verdict)
			}
			fixed := applyAll(t, tc.facts, rep)
			after := Check(fixed, tc.opts)
			if after.Verdict != JobAllowed {
				t.Fatalf("after applying the fixes the job is %s: %s", after.Verdict, dump(after.Findings))
			}
		})
	}
}

// findingOf returns the first finding of a condition.
func findingOf(rep *JobReport, id CheckID) *Finding {
	for i := range rep.Findings {
		if rep.Findings[i].ID == id {
			return &rep.Findings[i]
		}
	}
	return nil
}

func checkFinding(t *testing.T, got *Finding, w want) {
	t.Helper()
	if got.Verdict != w.verdict || got.Reason != w.reason {
		t.Fatalf("got %s/%s, want %s/%s: %s", got.Verdict, got.Reason, w.verdict, w.reason, dump(got))
	}
	if got.Title != Titles[got.ID] || got.Because == "" || len(got.Needs) == 0 {
		t.Fatalf("incomplete finding: %s", dump(got))
	}
	if w.layer != "" {
		if got.DecidedBy == nil || got.DecidedBy.Layer != w.layer {
			t.Fatalf("decided by %s, want layer %s", dump(got.DecidedBy), w.layer)
		}
	}
	if w.policy != "" && (got.DecidedBy.Policy != w.policy || got.DecidedBy.Index != w.index) {
		t.Fatalf("decided by %s, want %s statement %d", dump(got.DecidedBy), w.policy, w.index)
	}
	switch {
	case w.target == "" && got.Fix != nil:
		t.Fatalf("unexpected fix %s", dump(got.Fix))
	case w.target != "" && (got.Fix == nil || got.Fix.Target != w.target):
		t.Fatalf("fix %s, want target %s", dump(got.Fix), w.target)
	}
	if got.Verdict == UnknownVerd && len(got.Missing) == 0 {
		t.Fatalf("unknown finding without missing facts: %s", dump(got))
	}
	for _, a := range w.needs {
		found := false
		for _, n := range got.Needs {
			found = found || n.Action == a
		}
		if !found {
			t.Fatalf("finding lacks need %s: %s", a, dump(got.Needs))
		}
	}
}

// applyAll applies the fix of every deny finding.
func applyAll(t *testing.T, f *Facts, rep *JobReport) *Facts {
	t.Helper()
	for _, fd := range rep.Findings {
		if fd.Verdict != Deny {
			continue
		}
		if fd.Fix == nil {
			t.Fatalf("deny finding without a fix: %s", dump(fd))
		}
		g, err := ApplyFix(f, *fd.Fix)
		if err != nil {
			t.Fatalf("apply %s: %v", dump(fd.Fix), err)
		}
		f = g
	}
	return f
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
