package access

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

func TestFindingsAreGroupedPerLayerAndStatement(t *testing.T) {
	t.Parallel()
	// Three declared objects in one bucket, all missing from the role policy:
	// one GA001 finding lists them all.
	f := with(access("s3://raw/a/", ModeRead), access("s3://raw/b/", ModeRead), access("s3://raw/c/", ModeRead), bucket("raw", acctA))
	rep := Check(f, Options{})
	var ga001 []Finding
	for _, fd := range rep.Findings {
		if fd.ID == GA001 {
			ga001 = append(ga001, fd)
		}
	}
	if len(ga001) != 1 {
		t.Fatalf("want one grouped GA001 finding, got %d: %s", len(ga001), dump(ga001))
	}
	if n := len(ga001[0].Needs); n != 6 {
		t.Fatalf("want 6 needs (GetObject and ListBucket for 3 prefixes), got %d", n)
	}
	if !strings.Contains(ga001[0].Because, "s3:GetObject, s3:ListBucket actions") {
		t.Fatalf("because should name both actions: %s", ga001[0].Because)
	}
	// The fix lists the objects in one statement and the listing, with its
	// prefix condition, in its own.
	var stmts []map[string]any
	for _, s := range ga001[0].Fix.Statements {
		var m map[string]any
		if err := json.Unmarshal(s, &m); err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, m)
	}
	if len(stmts) != 2 {
		t.Fatalf("want 2 statements, got %s", dump(ga001[0].Fix))
	}
	list := stmts[1]
	if strs(list["Action"])[0] != "s3:ListBucket" || list["Condition"] == nil {
		t.Fatalf("want a prefix-conditioned ListBucket statement, got %s", dump(list))
	}
	want := []string{"a", "a/", "a/*", "b", "b/", "b/*", "c", "c/", "c/*"}
	if got := strs(list["Condition"].(map[string]any)["StringLike"].(map[string]any)["s3:prefix"]); !slices.Equal(got, want) {
		t.Fatalf("want each prefix bare, with / and with /*: %v, got %v", want, got)
	}
	if !strings.Contains(ga001[0].Fix.HCL, `variable = "s3:prefix"`) {
		t.Fatalf("HCL lacks the condition: %s", ga001[0].Fix.HCL)
	}
}

// TestListFixFollowsTheSpecShape: the listing of a prefix is allowed for the
// bare prefix too ("orders", as Spark lists a directory's name), and
// s3:GetBucketLocation, whose requests carry no s3:prefix, sits in its own
// statement (docs/model.md#actions-per-intent).
func TestListFixFollowsTheSpecShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		prefix string
		want   []string // s3:prefix values
	}{
		{name: "a prefix ending in / is listed bare, with / and with /*", prefix: "orders/", want: []string{"orders", "orders/", "orders/*"}},
		{name: "a nested prefix keeps its parents out", prefix: "in/orders/", want: []string{"in/orders", "in/orders/", "in/orders/*"}},
		{name: "an object key is listed as itself and as a prefix", prefix: "jobs/etl.py", want: []string{"jobs/etl.py", "jobs/etl.py*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			needs := []Need{
				{Action: "s3:ListBucket", Resource: "arn:aws:s3:::raw", Prefix: tt.prefix},
				{Action: "s3:GetBucketLocation", Resource: "arn:aws:s3:::raw", Prefix: tt.prefix},
				{Action: "s3:GetObject", Resource: "arn:aws:s3:::raw/" + tt.prefix + "*"},
			}
			var list, locate map[string]any
			for _, st := range allowStatements(needs, &fixSpec{target: TargetIdentity}) {
				acts := strs(st["Action"])
				switch {
				case slices.Contains(acts, "s3:ListBucket"):
					list = st
				case slices.Contains(acts, "s3:GetBucketLocation"):
					locate = st
				}
			}
			if list == nil || locate == nil {
				t.Fatalf("want a ListBucket and a GetBucketLocation statement, got %s", dump(allowStatements(needs, &fixSpec{target: TargetIdentity})))
			}
			if len(strs(list["Action"])) != 1 {
				t.Fatalf("the prefix-conditioned statement must hold s3:ListBucket alone: %s", dump(list))
			}
			if locate["Condition"] != nil {
				t.Fatalf("s3:GetBucketLocation under a condition: %s", dump(locate))
			}
			cond, _ := list["Condition"].(map[string]any)
			like, _ := cond["StringLike"].(map[string]any)
			if got := strs(like["s3:prefix"]); !slices.Equal(got, tt.want) {
				t.Fatalf("s3:prefix %v, want %v", got, tt.want)
			}
		})
	}
}

func TestResourcePolicyFixesNameThePrincipal(t *testing.T) {
	t.Parallel()
	needs := []Need{{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"}}
	bp := allowStatements(needs, &fixSpec{target: TargetBucketPolicy, principal: roleARN})[0]
	if p, _ := bp["Principal"].(map[string]any); p["AWS"] != roleARN {
		t.Fatalf("bucket policy fix must name the role: %s", dump(bp))
	}
	ep := allowStatements(needs, &fixSpec{target: TargetEndpointPolicy, endpointPrincipal: roleARN})[0]
	if ep["Principal"] != "*" || !strings.Contains(dump(ep["Condition"]), "aws:PrincipalArn") {
		t.Fatalf("endpoint fix must use Principal * with aws:PrincipalArn: %s", dump(ep))
	}
	kp := allowStatements([]Need{{Action: "kms:Decrypt", Resource: keyARN}}, &fixSpec{target: TargetKeyPolicy, principal: roleARN})[0]
	if strs(kp["Resource"])[0] != "*" {
		t.Fatalf("key policy statements use Resource *: %s", dump(kp))
	}
}

func TestDeterministicReport(t *testing.T) {
	t.Parallel()
	build := func() *Facts {
		return with(append(crossAccountRead(), onlyManaged(glueServiceRole), bucketPolicy("etl-tmp", vpceDeny),
			access("s3://elsewhere/x/", ModeWrite), setArg("--extra-jars", "s3://lib/a.jar,s3://lib/b.jar"),
			orgTree(map[string]func(*OrgNode){"ou-1-data": scp("aws_organizations_policy.no_deletes", denyDelete), acctA: parentUnknown}),
			setArg("--conf", "a=1 --conf spark.hadoop.fs.s3.canned.acl=BucketOwnerFullControl --conf b=2 --conf c=3"),
			func(f *Facts) {
				f.Role.Tags = fact(map[string]string{"team": "data", "env": "prod", "cost": "x"}, "aws_iam_role.glue")
			})...)
	}
	first, _ := json.Marshal(Check(build(), Options{}))
	for range 10 {
		again, _ := json.Marshal(Check(build(), Options{}))
		if string(again) != string(first) {
			t.Fatalf("reports differ between runs:\n%s\n%s", first, again)
		}
	}
	var rep JobReport
	_ = json.Unmarshal(first, &rep)
	for i := 1; i < len(rep.Findings); i++ {
		if rep.Findings[i-1].ID > rep.Findings[i].ID {
			t.Fatalf("findings not ordered by id: %s before %s", rep.Findings[i-1].ID, rep.Findings[i].ID)
		}
	}
}

func TestJobVerdict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    *Facts
		want JobVerdict
	}{
		{name: "nothing found is allowed", f: base(), want: JobAllowed},
		{name: "only unknown findings is unknown", f: with(access("s3://elsewhere/x/", ModeRead)), want: JobUnknown},
		{name: "a deny wins over unknowns", f: with(access("s3://elsewhere/x/", ModeRead), addRolePolicy("aws_iam_role_policy.d", stmt("Deny", acts("s3:PutObject"), "*"))), want: JobDenied},
		{name: "no facts at all is unknown, not allowed", f: &Facts{}, want: JobUnknown},
		{name: "nil facts do not panic", f: nil, want: JobUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Check(tt.f, Options{}).Verdict; got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckDoesNotModifyFacts(t *testing.T) {
	t.Parallel()
	f := with(append(kmsTemp(nil), onlyManaged(glueServiceRole))...)
	before, _ := json.Marshal(f)
	Check(f, Options{})
	after, _ := json.Marshal(f)
	if string(before) != string(after) {
		t.Fatal("Check modified its facts")
	}
}

func TestApplyFixErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fix  Fix
	}{
		{name: "unknown op", fix: Fix{Op: "rewrite-everything"}},
		{name: "bucket not in facts", fix: Fix{Op: OpAddStatement, Target: TargetBucketPolicy, Bucket: "nope", Statements: []json.RawMessage{json.RawMessage(`{}`)}}},
		{name: "policy not in facts", fix: Fix{Op: OpExemptPrincipal, Policy: "nope", Statements: []json.RawMessage{json.RawMessage(`{}`)}}},
		{name: "statement index out of range", fix: Fix{Op: OpExemptPrincipal, Policy: "aws_iam_role_policy.glue", Index: 9, Statements: []json.RawMessage{json.RawMessage(`{}`)}}},
		{name: "a rewritten statement matching no statement of the policy", fix: Fix{Op: OpExemptPrincipal, Policy: "aws_iam_role_policy.glue", Index: 0,
			Statements: []json.RawMessage{json.RawMessage(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"` + roleARN + `"}}}`)}}},
		{name: "removing a statement that is not a Deny naming only the role", fix: Fix{Op: OpRemoveStatement, Policy: "aws_iam_role_policy.glue", Index: 0}},
		{name: "boundary absent", fix: Fix{Op: OpAddStatement, Target: TargetBoundary}},
		{name: "unknown bucket setting", fix: Fix{Op: OpSetBucket, Bucket: "etl-tmp", Setting: &Setting{Name: "versioning", Value: "on"}}},
		{name: "set-argument without a setting", fix: Fix{Op: OpSetArgument}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := ApplyFix(base(), tt.fix); !errors.Is(err, ErrFixNotApplicable) {
				t.Fatalf("want ErrFixNotApplicable, got %v", err)
			}
		})
	}
}

func TestApplyFixChainsConf(t *testing.T) {
	t.Parallel()
	f := with(setArg("--conf", "spark.a=1"))
	g, err := ApplyFix(f, Fix{Op: OpSetArgument, Target: TargetJobArgument, Setting: &Setting{Name: "--conf", Value: "spark.b=2"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Job.DefaultArguments.V["--conf"]; got != "spark.a=1 --conf spark.b=2" {
		t.Fatalf("got %q", got)
	}
	if f.Job.DefaultArguments.V["--conf"] != "spark.a=1" {
		t.Fatal("ApplyFix modified its input")
	}
}

func TestProvenanceString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Provenance
		want string
	}{
		{Provenance{Address: "aws_glue_job.etl", Attribute: "default_arguments"}, "aws_glue_job.etl default_arguments"},
		{Provenance{File: ".glueaccess.hcl", Line: 12}, ".glueaccess.hcl:12"},
		{Provenance{Note: "default for a new bucket"}, "default for a new bucket"},
		{Provenance{Address: "aws_kms_key.k", Note: "default key policy"}, "aws_kms_key.k (default key policy)"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestFixHCLIsCanonical parses every suggested HCL block inside an
// aws_iam_policy_document and checks it is formatted as terraform fmt would.
func TestFixHCLIsCanonical(t *testing.T) {
	t.Parallel()
	cases := []*Facts{
		with(onlyManaged(glueServiceRole)),
		with(bucketPolicy("etl-tmp", vpceDeny)),
		with(crossAccountRead()...),
		with(inVPC(endpointPolicy(anyone("Allow", acts("s3:GetObject", "s3:ListBucket"), tmpARNs...)))),
		with(kmsTemp(ptr(policy(adminOnly)))...),
		with(access("s3://raw/a/", ModeRead), bucket("raw", acctA)),
	}
	for i, f := range cases {
		for _, fd := range Check(f, Options{}).Findings {
			if fd.Fix == nil || fd.Fix.HCL == "" {
				continue
			}
			src := "data \"aws_iam_policy_document\" \"fix\" {\n" + indent(fd.Fix.HCL) + "}\n"
			if _, diags := hclsyntax.ParseConfig([]byte(src), "fix.tf", hcl.InitialPos); diags.HasErrors() {
				t.Fatalf("case %d: invalid HCL: %v\n%s", i, diags, src)
			}
			if got := string(hclwrite.Format([]byte(src))); got != src {
				t.Fatalf("case %d: HCL not canonical:\n%s\nwant\n%s", i, src, got)
			}
		}
	}
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			b.WriteString("  " + l)
		}
		b.WriteString("\n")
	}
	return b.String()
}
