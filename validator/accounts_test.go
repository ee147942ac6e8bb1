package validator

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// decideFixture decides testdata/plans/<name>/plan.json from the plan alone.
func decideFixture(t *testing.T, name string) *report.Job {
	t.Helper()
	doc, err := planjson.Load(filepath.Join("testdata", "plans", name, "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep := decide(newPlanIndex(doc), nil, nil, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), nil)
	if len(rep.Jobs) != 1 {
		t.Fatalf("%s: %d jobs, want 1", name, len(rep.Jobs))
	}
	return &rep.Jobs[0]
}

func findingsOf(j *report.Job, id, verdict string) []report.Finding {
	var out []report.Finding
	for _, f := range j.Findings {
		if f.ID == id && f.Verdict == verdict {
			out = append(out, f)
		}
	}
	return out
}

// TestAccountsWithoutNumbers: configurations with the same credentials are
// one account whatever its number; configurations whose credentials differ
// are of unknown relation, and what depends on it is decided only when both
// answers agree.
func TestAccountsWithoutNumbers(t *testing.T) {
	t.Run("region alias, same credentials: same account, allowed", func(t *testing.T) {
		j := decideFixture(t, "accounts-region-alias")
		if j.Verdict != report.Allowed {
			t.Fatalf("verdict %s, want allowed: %+v", j.Verdict, j.Findings)
		}
		if strings.Contains(j.Role, "9999") || !strings.Contains(j.Role, "<account of provider aws/aws.lake>") {
			t.Errorf("role %q, want the symbolic account described, never its stand-in number", j.Role)
		}
	})
	t.Run("different profiles, unknown accounts: relation unknown", func(t *testing.T) {
		j := decideFixture(t, "accounts-profiles")
		if j.Verdict != report.Unknown {
			t.Fatalf("verdict %s, want unknown: %+v", j.Verdict, j.Findings)
		}
		fs := findingsOf(j, "GA002", report.VerdictUnknown)
		if len(fs) != 1 || fs[0].Reason != access.ReasonAccountUnknown || len(fs[0].Missing) == 0 || !strings.Contains(fs[0].Missing[0].Fact, "account of provider aws") {
			t.Fatalf("want one GA002 account-unknown naming the account of provider aws, got %+v", j.Findings)
		}
	})
	t.Run("different profiles, both answers deny: denied", func(t *testing.T) {
		j := decideFixture(t, "accounts-profiles-deny")
		if j.Verdict != report.Denied {
			t.Fatalf("verdict %s, want denied: %+v", j.Verdict, j.Findings)
		}
		if fs := findingsOf(j, "GA001", report.VerdictDeny); len(fs) != 1 || fs[0].Reason != access.ReasonNoAllow {
			t.Errorf("want GA001 no-allow, agreed by both answers, got %+v", j.Findings)
		}
		if fs := findingsOf(j, "GA002", report.VerdictDeny); len(fs) != 0 {
			t.Errorf("GA002 denies only if the accounts differ, which is not known: %+v", fs)
		}
	})
	t.Run("no role-not-in-plan for a role in the plan", func(t *testing.T) {
		for _, name := range []string{"accounts-region-alias", "accounts-profiles", "accounts-profiles-deny", "managed-unresolved"} {
			for _, f := range decideFixture(t, name).Findings {
				if f.Reason == access.ReasonRoleNotInPlan {
					t.Errorf("%s: %s role-not-in-plan for a role in the plan", name, f.ID)
				}
			}
		}
	})
}

// TestCredentialGroups: settings that do not choose credentials do not
// split a group; any credential setting does.
func TestCredentialGroups(t *testing.T) {
	doc, err := planjson.Load(filepath.Join("testdata", "plans", "accounts-profiles", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix := newPlanIndex(doc)
	a, symA, okA := ix.accountOrSymbol("aws")
	b, symB, okB := ix.accountOrSymbol("aws.lake")
	if !okA || !okB || !symA || !symB || a == b {
		t.Fatalf("aws %q (symbolic %v), aws.lake %q (symbolic %v): want two distinct symbolic accounts", a, symA, b, symB)
	}
	ix.learnAccount("aws", "123456789012", "test")
	if got, ok := ix.accountOfProvider("aws"); !ok || got != "123456789012" {
		t.Errorf("learned account %q %v", got, ok)
	}
	if _, ok := ix.accountOfProvider("aws.lake"); ok {
		t.Error("an account learned for one group must not spread to a group with other credentials")
	}
}

// TestManagedPolicyElementResolvingToNothing: an element of
// managed_policy_arns that names no planned policy leaves the role neither
// denied for lack of an allow nor allowed, and is named.
func TestManagedPolicyElementResolvingToNothing(t *testing.T) {
	j := decideFixture(t, "managed-unresolved")
	if j.Verdict != report.Unknown {
		t.Fatalf("verdict %s, want unknown: %+v", j.Verdict, j.Findings)
	}
	for _, f := range j.Findings {
		if f.Verdict == report.VerdictDeny {
			t.Errorf("%s %s: a policy set with an unknown element cannot deny for lack of an allow", f.ID, f.Reason)
		}
		if f.ID == "GA001" && (len(f.Missing) == 0 || !strings.Contains(f.Missing[0].Fact, "managed_policy_arns[1]")) {
			t.Errorf("GA001 must name the missing element managed_policy_arns[1]: %+v", f.Missing)
		}
	}
	if len(findingsOf(j, "GA001", report.VerdictUnknown)) == 0 {
		t.Error("the reads AmazonS3ReadOnlyAccess allows must be unknown (the unknown policy may deny), not allowed")
	}
}

// TestDataBucketRevealsNoConfiguration: a bucket read through data
// "aws_s3_bucket" has unknown encryption, policy, payer and ownership, each
// named, never the defaults of a new bucket.
func TestDataBucketRevealsNoConfiguration(t *testing.T) {
	dir := filepath.Join(examplesDir, "accounts-data-sources")
	doc, err := planjson.Load(filepath.Join(dir, "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	bk := fb.b.bucket("acme-raw-events")
	if bk == nil {
		t.Fatal("bucket acme-raw-events not built")
	}
	for what, v := range map[string]access.Value[string]{"default encryption": stringFact(bk.SSEAlgorithm), "Requester Pays setting": stringFact(bk.RequestPayer), "Object Ownership setting": stringFact(bk.ObjectOwnership)} {
		if v.Known {
			t.Errorf("%s known (%q), want unknown", what, v.V)
		}
		if !strings.Contains(v.From.Note, "does not reveal the "+what) {
			t.Errorf("%s: note %q does not name what is missing", what, v.From.Note)
		}
	}
	if bk.Policy == nil || bk.Policy.Known {
		t.Errorf("policy %+v, want present and unknown", bk.Policy)
	}
	j := decideFixture(t, filepath.Join("..", "..", "..", "examples", "validate", "accounts-data-sources"))
	for _, f := range findingsOf(j, "GA005", report.VerdictUnknown) {
		if len(f.Missing) == 0 || !strings.Contains(f.Missing[0].Fact, "default encryption of bucket acme-raw-events") {
			t.Errorf("GA005 must name the bucket's default encryption: %+v", f.Missing)
		}
	}
	if len(findingsOf(j, "GA005", report.VerdictUnknown)) == 0 {
		t.Errorf("GA005 must be unknown, got %+v", j.Findings)
	}
}

// TestDataRoleAndAliasRevealTheAccount: a role or alias found by name is in
// the caller's account, which makes the account of resources created
// through the same provider configuration known; the alias reveals its key,
// not the key policy.
func TestDataRoleAndAliasRevealTheAccount(t *testing.T) {
	doc, err := planjson.Load(filepath.Join(examplesDir, "accounts-data-role", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	f := fb.Facts(0)
	if f.Role == nil || !f.Role.Account.Known || f.Role.Account.V != "111122223333" {
		t.Fatalf("role %+v, want the data role's account", f.Role)
	}
	bk := fb.b.bucket("finance-ledger-exports")
	if bk == nil || !bk.Owner.Known || bk.Owner.V != f.Role.Account.V {
		t.Errorf("bucket owner %+v, want the account the data role revealed for provider aws", bk)
	}
	var key *access.KMSKey
	for i := range f.Keys {
		if f.Keys[i].Address == "data.aws_kms_alias.lake" {
			key = &f.Keys[i]
		}
	}
	if key == nil || key.Policy == nil || key.Policy.Known || !strings.Contains(key.Policy.From.Note, "does not reveal the key policy") {
		t.Fatalf("key of the alias %+v, want one with an unknown key policy, named", key)
	}
	if key.Enabled.Known {
		t.Error("the alias does not reveal whether its key is enabled")
	}
}

// TestSymbolicAccountMayBeOneAPolicyNames: a policy naming an account
// number (read from a variable) may name the very account the provider
// configuration does not reveal; from the plan alone the key policy's
// decision is then unknown, never a 403, and with the configuration the
// variable decides it.
func TestSymbolicAccountMayBeOneAPolicyNames(t *testing.T) {
	dir := filepath.Join("testdata", "plans", "accounts-local")
	j := decideFixture(t, "accounts-local")
	if j.Verdict != report.Unknown {
		t.Fatalf("plan alone: verdict %s, want unknown: %+v", j.Verdict, j.Findings)
	}
	fs := findingsOf(j, "GA005", report.VerdictUnknown)
	if len(fs) != 1 || fs[0].Reason != access.ReasonAccountUnknown || !strings.Contains(fs[0].Because, "210987654321") {
		t.Errorf("want GA005 account-unknown naming account 210987654321, got %+v", j.Findings)
	}
	rep := validateExampleWith(t, dir, filepath.Join(dir, "plan.json"), dir)
	if got := rep.Jobs[0]; got.Verdict != report.Allowed || !strings.Contains(got.Role, ":210987654321:") {
		t.Errorf("with the configuration: verdict %s role %s, want allowed in account 210987654321: %+v", got.Verdict, got.Role, got.Findings)
	}
}

// TestProviderAccountFromVariable: allowed_account_ids = [var.account_id]
// is evaluated with the variable's value the plan records, without the
// configuration.
func TestProviderAccountFromVariable(t *testing.T) {
	j := decideFixture(t, "accounts-var")
	if j.Verdict != report.Allowed || !strings.Contains(j.Role, ":210987654321:") {
		t.Fatalf("verdict %s role %s, want allowed in account 210987654321 from var.account_id: %+v", j.Verdict, j.Role, j.Findings)
	}
}

// TestDataRoleReadAtApply: a role data source read only at apply reveals
// nothing, its path included: no ARN is derived for it, and the job is
// unknown for that reason, never role-not-in-plan.
func TestDataRoleReadAtApply(t *testing.T) {
	j := decideFixture(t, "data-role-at-apply")
	if j.Verdict != report.Unknown {
		t.Fatalf("verdict %s, want unknown: %+v", j.Verdict, j.Findings)
	}
	fs := findingsOf(j, "GA001", report.VerdictUnknown)
	if len(fs) != 1 || fs[0].Reason != access.ReasonRoleARNUnknown || !strings.Contains(fs[0].Missing[0].How, "read at plan time") {
		t.Errorf("want GA001 role-arn-unknown saying the data source is read only at apply, got %+v", j.Findings)
	}
	if strings.Contains(j.Role, "arn:") {
		t.Errorf("role %q: no ARN may be derived for a role whose path is not known", j.Role)
	}
}

// TestPartlyUnknownPolicySets: an inline_policy block whose name is not
// known until apply still holds its policy, and an exclusive attachment list
// whose element could be either of two policies leaves both unknown: the job
// is neither allowed nor denied for lack of an allow, and the element is
// named.
func TestPartlyUnknownPolicySets(t *testing.T) {
	doc, err := planjson.Load(filepath.Join("testdata", "plans", "iam-partial", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFactBuilder(newPlanIndex(doc), nil, nil).Facts(0)
	if len(f.Role.Inline) != 1 || !f.Role.Inline[0].Known || !strings.Contains(f.Role.Inline[0].Label, "inline_policy 0") {
		t.Errorf("inline policies %+v, want the block whose name is unknown, with its known policy", f.Role.Inline)
	}
	for _, m := range f.Role.Managed {
		if m.ARN.Known {
			t.Errorf("managed %s kept as known although the exclusive list may detach it", m.ARN.V)
		}
	}
	j := decideFixture(t, "iam-partial")
	if j.Verdict != report.Unknown {
		t.Fatalf("verdict %s, want unknown: %+v", j.Verdict, j.Findings)
	}
	for _, fd := range j.Findings {
		if fd.Verdict == report.VerdictDeny {
			t.Errorf("%s %s: denied although the exclusive list may keep the data policy", fd.ID, fd.Reason)
		}
		if fd.ID == "GA001" && !strings.Contains(fd.Missing[0].Fact, "aws_iam_role_policy_attachments_exclusive.glue policy_arns") {
			t.Errorf("GA001 must name the exclusive list's unknown element: %+v", fd.Missing)
		}
	}
}

// stringFact is an enumerated fact as a string fact, to compare facts of
// different enumerations alike.
func stringFact[T ~string](v access.Value[T]) access.Value[string] {
	return access.Value[string]{V: string(v.V), Known: v.Known, From: v.From}
}
