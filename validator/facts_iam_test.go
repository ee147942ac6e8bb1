package validator

import (
	"path/filepath"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// TestRoleARNLinksOnlyInItsAccount: a job naming its role by a literal ARN
// is linked to the plan's role of that name (whose own ARN is known only
// after apply) when the ARN's account is the role's; naming the same role
// name in another account is another role, whose policies the plan does not
// show: linking it would decide the job on the wrong role's policies (it was
// allowed).
func TestRoleARNLinksOnlyInItsAccount(t *testing.T) {
	t.Parallel()
	doc, err := planjson.Load(filepath.Join("testdata", "plans", "role-arn-literal", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	for i, addr := range fb.Jobs() {
		f := fb.Facts(i)
		rep := access.Check(f, access.Options{})
		switch addr {
		case `aws_glue_job.by_arn["same"]`:
			if f.Role.Address != "aws_iam_role.etl" || rep.Verdict != access.JobAllowed {
				t.Errorf("%s: role %q, verdict %s; want aws_iam_role.etl, allowed: %+v", addr, f.Role.Address, rep.Verdict, rep.Findings)
			}
		case `aws_glue_job.by_arn["other"]`:
			if f.Role.Address != "" || f.Role.Account.V != "444455556666" {
				t.Errorf("%s: linked to %q in account %q; want no plan role, account 444455556666", addr, f.Role.Address, f.Role.Account.V)
			}
			if rep.Verdict == access.JobAllowed {
				t.Errorf("%s: allowed on the policies of a role in another account", addr)
			}
		default:
			t.Errorf("unexpected job %s", addr)
		}
	}
}
