package validator

import (
	"encoding/json"
	"maps"
	"os"
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
		case "aws_glue_job.by_path":
			// Same name and account, path /svc/ against the role's /.
			if f.Role.Address != "" || rep.Verdict == access.JobAllowed {
				t.Errorf("%s: linked to %q, verdict %s; want no plan role and not allowed", addr, f.Role.Address, rep.Verdict)
			}
		default:
			t.Errorf("unexpected job %s", addr)
		}
	}
}

// TestRoleARNNotLinkedAmongRolesOfOneName: two roles of one name through
// two provider configurations (different credentials) neither of which
// reveals its account. A job naming the role by a literal ARN may mean
// either, or neither: it is linked to none (the index kept one role per
// name and linked the job to the last, whose policies then decided it).
func TestRoleARNNotLinkedAmongRolesOfOneName(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "plans", "role-arn-literal", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	obj := func(v any, path ...string) map[string]any {
		for _, p := range path {
			v = v.(map[string]any)[p]
		}
		return v.(map[string]any)
	}
	// A copy of aws_iam_role.etl (same name) as aws_iam_role.zz_other,
	// after it, through a provider configuration revealing no account.
	cloneRole := func(list []any) []any {
		for _, e := range list {
			m := e.(map[string]any)
			if m["address"] != "aws_iam_role.etl" {
				continue
			}
			c := maps.Clone(m)
			c["address"], c["name"] = "aws_iam_role.zz_other", "zz_other"
			if _, ok := c["provider_config_key"]; ok {
				c["provider_config_key"] = "aws.other"
			}
			return append(list, c)
		}
		t.Fatal("no aws_iam_role.etl")
		return nil
	}
	pv := obj(plan, "planned_values", "root_module")
	pv["resources"] = cloneRole(pv["resources"].([]any))
	plan["resource_changes"] = cloneRole(plan["resource_changes"].([]any))
	cfg := obj(plan, "configuration", "root_module")
	cfg["resources"] = cloneRole(cfg["resources"].([]any))
	obj(plan, "configuration", "provider_config")["aws.other"] = map[string]any{
		"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "alias": "other",
		"expressions": map[string]any{"region": map[string]any{"constant_value": "eu-west-1"}, "profile": map[string]any{"constant_value": "other"}},
	}
	obj(plan, "configuration", "provider_config")["aws"].(map[string]any)["expressions"] = map[string]any{
		"region": map[string]any{"constant_value": "eu-west-1"}, "profile": map[string]any{"constant_value": "main"},
	}
	// The lake policy is the other role's: etl has none.
	for _, e := range cfg["resources"].([]any) {
		if m := e.(map[string]any); m["address"] == "aws_iam_role_policy.lake" {
			obj(m, "expressions")["role"] = map[string]any{"references": []any{"aws_iam_role.zz_other.id", "aws_iam_role.zz_other"}}
		}
	}
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := planjson.Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	for i, addr := range fb.Jobs() {
		if addr != `aws_glue_job.by_arn["same"]` {
			continue
		}
		f := fb.Facts(i)
		if f.Role.Address != "" {
			t.Errorf("%s: linked to %s, one of two roles of its name in accounts not known", addr, f.Role.Address)
		}
		if rep := access.Check(f, access.Options{}); rep.Verdict == access.JobAllowed {
			t.Errorf("%s: allowed on the policy of a role that may be in another account", addr)
		}
		return
	}
	t.Fatal("no job by_arn[\"same\"]")
}
