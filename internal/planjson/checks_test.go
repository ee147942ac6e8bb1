package planjson

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
)

// linkingPlan is validator's testdata/plans/linking, a real plan made by
// terraform plan.
var linkingPlan = filepath.Join("..", "..", "validator", "testdata", "plans", "linking", "plan.json")

// planMap is the linking plan as generic JSON, to be changed into what
// terraform never writes.
func planMap(t *testing.T) map[string]any { return plantest.Map(t, linkingPlan) }

func change(t *testing.T, m map[string]any, addr string) map[string]any {
	return plantest.Change(t, m, addr)
}

func after(t *testing.T, m map[string]any, addr string) map[string]any {
	return change(t, m, addr)["change"].(map[string]any)["after"].(map[string]any)
}

var clone = plantest.Clone

func TestPlansTerraformNeverWritesAreRefused(t *testing.T) {
	const job = "aws_glue_job.linked"
	tests := []struct {
		name   string
		mutate func(t *testing.T, m map[string]any)
		want   string // in the error; "" means the plan is accepted
	}{
		{"real plan", func(*testing.T, map[string]any) {}, ""},
		{"errored plan", func(_ *testing.T, m map[string]any) { m["errored"] = true }, "errored: true"},
		{"two changes at one address", func(t *testing.T, m map[string]any) {
			dup := clone(change(t, m, job)).(map[string]any)
			dup["change"].(map[string]any)["after"].(map[string]any)["role_arn"] = "arn:aws:iam::111122223333:role/other"
			m["resource_changes"] = append(m["resource_changes"].([]any), dup)
		}, `two resource instances at "aws_glue_job.linked" in resource_changes`},
		{"a bucket at the job's address", func(t *testing.T, m map[string]any) {
			change(t, m, "aws_s3_bucket.data")["address"] = job
		}, `has "aws_glue_job.linked" in resource_changes, an address that is not its module "", mode managed, type "aws_s3_bucket" and name "data": terraform writes the address of the instance (resource_changes[15])`},
		{"type spelt in capitals", func(t *testing.T, m map[string]any) {
			change(t, m, job)["type"] = "AWS_GLUE_JOB"
		}, `type "AWS_GLUE_JOB": the aws provider's type is aws_glue_job`},
		{"type that is no identifier", func(t *testing.T, m map[string]any) {
			change(t, m, job)["type"] = "aws glue job"
		}, `type "aws glue job", which is not a resource type name`},
		{"mode bogus", func(t *testing.T, m map[string]any) {
			change(t, m, job)["mode"] = "bogus"
		}, `mode "bogus": terraform writes "managed" or "data"`},
		{"mode missing", func(t *testing.T, m map[string]any) {
			delete(change(t, m, job), "mode")
		}, `mode "": terraform writes`},
		{"after as a string", func(t *testing.T, m map[string]any) {
			change(t, m, job)["change"].(map[string]any)["after"] = `{"role_arn":"x"}`
		}, `change.after of "aws_glue_job.linked" as a string, where terraform writes an object or null`},
		{"change missing", func(t *testing.T, m map[string]any) {
			delete(change(t, m, job), "change")
		}, `no change for "aws_glue_job.linked"`},
		{"null resource change", func(_ *testing.T, m map[string]any) {
			m["resource_changes"] = append(m["resource_changes"].([]any), nil)
		}, "has null at resource_changes[21]"},
		{"role_arn a number", func(t *testing.T, m map[string]any) {
			after(t, m, job)["role_arn"] = 12
		}, `has a number at "aws_glue_job.linked" attribute role_arn, where terraform writes a string`},
		{"role_arn an object", func(t *testing.T, m map[string]any) {
			after(t, m, job)["role_arn"] = map[string]any{"arn": "x"}
		}, `has an object at "aws_glue_job.linked" attribute role_arn`},
		{"command an object", func(t *testing.T, m map[string]any) {
			after(t, m, job)["command"] = map[string]any{"script_location": "s3://x/y.py"}
		}, `attribute command, where terraform writes an array`},
		{"default_arguments a list", func(t *testing.T, m map[string]any) {
			after(t, m, job)["default_arguments"] = []any{"--TempDir", "s3://x/"}
		}, `attribute default_arguments, where terraform writes an object`},
		{"policy an object", func(t *testing.T, m map[string]any) {
			after(t, m, "aws_iam_policy.data")["policy"] = map[string]any{"Version": "2012-10-17"}
		}, `has an object at "aws_iam_policy.data" attribute policy, where terraform writes a string`},
		{"bucket a boolean", func(t *testing.T, m map[string]any) {
			after(t, m, "aws_s3_bucket.data")["bucket"] = true
		}, `has a boolean at "aws_s3_bucket.data" attribute bucket`},
		{"null governing attribute is absent", func(t *testing.T, m map[string]any) {
			after(t, m, job)["security_configuration"] = nil
		}, ""},
		{"a deposed object shares its instance's address", func(t *testing.T, m map[string]any) {
			dep := clone(change(t, m, job)).(map[string]any)
			dep["deposed"] = "00000001"
			dep["change"] = map[string]any{"actions": []any{"delete"}, "before": map[string]any{"name": "old"}, "after": nil}
			m["resource_changes"] = append(m["resource_changes"].([]any), dep)
			m["prior_state"] = map[string]any{"values": map[string]any{"root_module": map[string]any{"resources": []any{
				map[string]any{"address": job, "mode": "managed", "type": "aws_glue_job", "name": "linked", "values": map[string]any{"name": "cur"}},
				map[string]any{"address": job, "mode": "managed", "type": "aws_glue_job", "name": "linked", "deposed_key": "00000001", "values": map[string]any{"name": "old"}},
			}}}}
		}, ""},
		{"two prior objects at one address", func(t *testing.T, m map[string]any) {
			r := map[string]any{"address": job, "mode": "managed", "type": "aws_glue_job", "name": "linked", "values": map[string]any{"name": "cur"}}
			m["prior_state"] = map[string]any{"values": map[string]any{"root_module": map[string]any{"resources": []any{r, r}}}}
		}, "in prior_state: terraform writes each address once"},
		{"two planned values at one address", func(_ *testing.T, m map[string]any) {
			root := m["planned_values"].(map[string]any)["root_module"].(map[string]any)
			rs := root["resources"].([]any)
			root["resources"] = append(rs, clone(rs[0]))
		}, "in planned_values: terraform writes each address once"},
		{"planned mode bogus", func(_ *testing.T, m map[string]any) {
			root := m["planned_values"].(map[string]any)["root_module"].(map[string]any)
			root["resources"].([]any)[0].(map[string]any)["mode"] = "resource"
		}, `in planned_values with mode "resource"`},
		{"deferred and planned", func(t *testing.T, m map[string]any) {
			m["complete"] = false
			m["deferred_changes"] = []any{map[string]any{"reason": "provider_config_unknown", "resource_change": clone(change(t, m, job))}}
		}, "both in resource_changes and in deferred_changes"},
		{"deferred in a complete plan", func(t *testing.T, m map[string]any) {
			rc := clone(change(t, m, job)).(map[string]any)
			rc["address"], rc["name"] = "aws_glue_job.later", "later"
			m["deferred_changes"] = []any{map[string]any{"reason": "provider_config_unknown", "resource_change": rc}}
		}, "has deferred_changes but complete: true"},
		{"deferred job of an incomplete plan", func(t *testing.T, m map[string]any) {
			rc := clone(change(t, m, job)).(map[string]any)
			rc["address"], rc["name"] = "aws_glue_job.later", "later"
			m["complete"] = false
			m["deferred_changes"] = []any{map[string]any{"reason": "provider_config_unknown", "resource_change": rc}}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := planMap(t)
			tc.mutate(t, m)
			data, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Decode(data)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("accepted; want an error with %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			case err == nil:
				if ix := Index(doc); ix.Lookup(job) == nil {
					t.Fatalf("%s not indexed", job)
				}
			}
		})
	}
}

func TestDeferredChangesKeepTheirReasonAndValues(t *testing.T) {
	m := planMap(t)
	rc := clone(change(t, m, "aws_glue_job.linked")).(map[string]any)
	rc["address"], rc["name"] = "aws_glue_job.later", "later"
	rc["change"].(map[string]any)["after"].(map[string]any)["name"] = "later-job"
	m["complete"] = false
	m["deferred_changes"] = []any{map[string]any{"reason": "provider_config_unknown", "resource_change": rc}}
	data, _ := json.Marshal(m)
	doc, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	ix := Index(doc)
	if len(ix.DeferredChanges) != 1 {
		t.Fatalf("deferred changes %+v", ix.DeferredChanges)
	}
	c := &ix.DeferredChanges[0]
	if c.Address != "aws_glue_job.later" || c.Type != "aws_glue_job" || c.Reason != "provider_config_unknown" || c.Attribute("name") != "later-job" {
		t.Fatalf("deferred change %+v name %v", c, c.Attribute("name"))
	}
	if ix.Lookup("aws_glue_job.later") != nil {
		t.Error("a deferred change is indexed as a planned resource")
	}
}
