package validator

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// Kinds of single-attribute mutations of a planned resource.
const (
	mutUnknown   = "unknown"    // the value becomes unknown until apply (after_unknown true)
	mutRemoved   = "removed"    // the attribute is absent from the planned values
	mutWrongType = "wrong-type" // the value has a JSON type Terraform never writes for it
)

// mutation is one single-attribute change to one resource of a plan.
type mutation struct {
	address, attr, kind string
}

func (m mutation) String() string { return m.address + "." + m.attr + " " + m.kind }

// wrongType returns a value of another JSON type than v: a number where a
// string, object, array or bool belongs, an object where a number does.
func wrongType(v any) any {
	if _, ok := v.(float64); ok {
		return map[string]any{}
	}
	return 7
}

// planMutations lists, in a fixed order, every single-attribute mutation of
// every resource the plan changes or reads: each top-level attribute of its
// planned values made unknown, removed, or of the wrong JSON type.
func planMutations(doc map[string]any) []mutation {
	var out []mutation
	changes, _ := doc["resource_changes"].([]any)
	for _, c := range changes {
		rc, _ := c.(map[string]any)
		ch, _ := rc["change"].(map[string]any)
		after, _ := ch["after"].(map[string]any)
		addr, _ := rc["address"].(string)
		attrs := make([]string, 0, len(after))
		for k, v := range after {
			if v != nil {
				attrs = append(attrs, k)
			}
		}
		sort.Strings(attrs)
		for _, a := range attrs {
			for _, kind := range []string{mutUnknown, mutRemoved, mutWrongType} {
				out = append(out, mutation{address: addr, attr: a, kind: kind})
			}
		}
	}
	return out
}

// apply returns the plan with the mutation made, in resource_changes and in
// the planned values of the same resource.
func (m mutation) apply(t *testing.T, plan []byte) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(plan, &doc); err != nil {
		t.Fatal(err)
	}
	changes, _ := doc["resource_changes"].([]any)
	for _, c := range changes {
		rc, _ := c.(map[string]any)
		if rc["address"] != m.address {
			continue
		}
		ch, _ := rc["change"].(map[string]any)
		after, _ := ch["after"].(map[string]any)
		unknown, _ := ch["after_unknown"].(map[string]any)
		if unknown == nil {
			unknown = map[string]any{}
			ch["after_unknown"] = unknown
		}
		switch m.kind {
		case mutUnknown:
			delete(after, m.attr)
			unknown[m.attr] = true
		case mutRemoved:
			delete(after, m.attr)
			delete(unknown, m.attr)
		case mutWrongType:
			after[m.attr] = wrongType(after[m.attr])
			delete(unknown, m.attr)
		}
	}
	if pv, ok := doc["planned_values"].(map[string]any); ok {
		mutateValues(pv["root_module"], m)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mutateValues makes the mutation in a planned_values module tree.
func mutateValues(module any, m mutation) {
	mod, _ := module.(map[string]any)
	if mod == nil {
		return
	}
	resources, _ := mod["resources"].([]any)
	for _, r := range resources {
		res, _ := r.(map[string]any)
		if res["address"] != m.address {
			continue
		}
		values, _ := res["values"].(map[string]any)
		switch m.kind {
		case mutUnknown, mutRemoved:
			delete(values, m.attr)
		case mutWrongType:
			values[m.attr] = wrongType(values[m.attr])
		}
	}
	children, _ := mod["child_modules"].([]any)
	for _, c := range children {
		mutateValues(c, m)
	}
}

// verdicts validates a plan and returns each job's verdict, or nil when the
// run exits 2.
func verdicts(t *testing.T, dir, planPath, configDir string) map[string]string {
	t.Helper()
	opts := Options{Now: exampleNow, ConfigDir: configDir}
	if _, err := os.Stat(filepath.Join(dir, ConfigFileName)); err == nil {
		opts.Config = filepath.Join(dir, ConfigFileName)
	}
	rep, err := validate(planPath, opts)
	if err != nil || exitCode(rep, "deny") == 2 {
		return nil
	}
	out := map[string]string{}
	for _, j := range rep.Jobs {
		out[j.Address] = j.Verdict
	}
	return out
}

// mutationPlans lists the directories whose plans the mutation test mutates,
// by name: every example (greenfield twins included) and every plan under
// testdata/plans ("testdata/<name>"), among them the ordinary stacks written
// apart from the code they test.
func mutationPlans(t *testing.T) map[string]string {
	t.Helper()
	dirs := map[string]string{}
	for name := range examples {
		dirs[name] = filepath.Join(examplesDir, name)
	}
	extra, err := filepath.Glob(filepath.Join("testdata", "plans", "*", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range extra {
		d := filepath.Dir(p)
		dirs["testdata/"+filepath.Base(d)] = d
	}
	return dirs
}

// TestMutationsNeverAllowADeniedJob mutates, one attribute at a time, every
// resource of every example plan and of every plan under testdata/plans, and
// checks the promise of docs/validate.md that an unknown is never turned into
// a pass: a job that was denied stays denied or becomes unknown (or the run
// exits 2), never allowed; and a job that was allowed is never denied by a
// value becoming unknown. Each plan is decided with and without its
// configuration. And knowing less never decides more: a job that was unknown
// stays unknown when a value becomes unknown.
func TestMutationsNeverAllowADeniedJob(t *testing.T) {
	if testing.Short() {
		t.Skip("validates every single-attribute mutation of every example")
	}
	dirs := mutationPlans(t)
	var total atomic.Int64
	for _, name := range slices.Sorted(maps.Keys(dirs)) {
		dir := dirs[name]
		plan, err := os.ReadFile(filepath.Join(dir, "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(plan, &doc); err != nil {
			t.Fatal(err)
		}
		muts := planMutations(doc)
		for _, configDir := range []string{dir, ""} {
			mode := "with configuration"
			if configDir == "" {
				mode = "plan alone"
			}
			t.Run(name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				base := verdicts(t, dir, filepath.Join(dir, "plan.json"), configDir)
				if base == nil {
					if strings.HasPrefix(name, "testdata/") {
						t.Skip("the plan itself exits 2: a test of bad input, with nothing to mutate")
					}
					t.Fatal("the example itself exits 2")
				}
				tmp := filepath.Join(t.TempDir(), "plan.json")
				for _, m := range muts {
					if err := os.WriteFile(tmp, m.apply(t, plan), 0o600); err != nil {
						t.Fatal(err)
					}
					got := verdicts(t, dir, tmp, configDir)
					total.Add(1)
					if got == nil {
						continue
					}
					if msg := mutationBreaks(base, got, m); msg != "" {
						t.Errorf("%s: %s", m, msg)
					}
				}
			})
		}
	}
	t.Cleanup(func() { t.Logf("%d mutated plans validated", total.Load()) })
}

// mutationBreaks says how a mutated plan's verdicts break the promise, ""
// when they keep it.
func mutationBreaks(base, got map[string]string, m mutation) string {
	var broken []string
	for _, job := range slices.Sorted(maps.Keys(base)) {
		was, now := base[job], got[job]
		if now == "" {
			if m.address == job {
				continue // the job itself was mutated out of shape
			}
			broken = append(broken, fmt.Sprintf("job %s vanished", job))
			continue
		}
		if was == report.Denied && now == report.Allowed {
			broken = append(broken, fmt.Sprintf("denied job %s became allowed", job))
		}
		if m.kind != mutUnknown {
			continue
		}
		// Knowing less never decides more: a value made unknown neither
		// denies an allowed job nor decides one that was unknown (an
		// unknown job that becomes allowed is an unknown turned into a pass).
		if was == report.Allowed && now == report.Denied {
			broken = append(broken, fmt.Sprintf("allowed job %s became denied", job))
		}
		if was == report.Unknown && now != report.Unknown {
			broken = append(broken, fmt.Sprintf("unknown job %s became %s", job, now))
		}
	}
	return strings.Join(broken, "; ")
}

// TestMutationBreaks checks the promise mutationBreaks holds mutated plans
// to, on verdicts written by hand.
func TestMutationBreaks(t *testing.T) {
	const job = "aws_glue_job.j"
	tests := []struct {
		was, now, kind string
		broken         bool
	}{
		{report.Denied, report.Allowed, mutRemoved, true},
		{report.Denied, report.Unknown, mutUnknown, false},
		{report.Allowed, report.Denied, mutUnknown, true},
		{report.Allowed, report.Denied, mutRemoved, false}, // a removed Allow may deny
		{report.Allowed, report.Unknown, mutUnknown, false},
		{report.Unknown, report.Allowed, mutUnknown, true},
		{report.Unknown, report.Denied, mutUnknown, true},
		{report.Unknown, report.Allowed, mutRemoved, false}, // a removed Deny may allow
	}
	for _, tc := range tests {
		m := mutation{address: "aws_s3_bucket.b", attr: "policy", kind: tc.kind}
		got := mutationBreaks(map[string]string{job: tc.was}, map[string]string{job: tc.now}, m)
		if (got != "") != tc.broken {
			t.Errorf("%s to %s by %s: broken %q, want broken %v", tc.was, tc.now, tc.kind, got, tc.broken)
		}
	}
}
