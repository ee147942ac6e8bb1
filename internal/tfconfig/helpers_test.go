package tfconfig

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// planFor builds a minimal plan by hand: a configuration section listing the resources and
// module calls of cfg (what terraform show -json would list for it), the given variables,
// and resource changes.
func planFor(t testing.TB, cfg *Config, vars map[string]any, changes ...*tfjson.ResourceChange) *tfjson.Plan {
	t.Helper()
	plan := &tfjson.Plan{
		FormatVersion:   "1.2",
		Variables:       map[string]*tfjson.PlanVariable{},
		ResourceChanges: changes,
		Config:          &tfjson.Config{RootModule: configSection(cfg.Root)},
	}
	for k, v := range vars {
		plan.Variables[k] = &tfjson.PlanVariable{Value: v}
	}
	return plan
}

func configSection(m *Module) *tfjson.ConfigModule {
	out := &tfjson.ConfigModule{ModuleCalls: map[string]*tfjson.ModuleCall{}}
	for _, r := range m.Resources {
		out.Resources = append(out.Resources, &tfjson.ConfigResource{
			Address: r.Address(), Mode: tfjson.ResourceMode(r.Mode), Type: r.Type, Name: r.Name,
		})
	}
	for name, c := range m.ModuleCalls {
		out.ModuleCalls[name] = &tfjson.ModuleCall{Source: c.Source, Module: configSection(c.Module)}
	}
	return out
}

// change is a resource change. address is module-relative (e.g. "aws_s3_bucket.b" or
// "data.aws_caller_identity.me"); module is the module instance address or "". after holds
// the known values; every name in unknown is marked unknown until apply.
func change(module, address string, index any, actions tfjson.Actions, after map[string]any, unknown ...string) *tfjson.ResourceChange {
	mode := tfjson.ManagedResourceMode
	rest := address
	if r, ok := strings.CutPrefix(address, "data."); ok {
		mode, rest = tfjson.DataResourceMode, r
	}
	typ, name, _ := strings.Cut(rest, ".")
	full := address
	switch i := index.(type) {
	case int:
		full += fmt.Sprintf("[%d]", i)
		index = float64(i)
	case string:
		full += fmt.Sprintf("[%q]", i)
	}
	if module != "" {
		full = module + "." + full
	}
	unk := map[string]any{}
	for _, u := range unknown {
		unk[u] = true
	}
	return &tfjson.ResourceChange{
		Address: full, ModuleAddress: module, Mode: mode, Type: typ, Name: name, Index: index,
		Change: &tfjson.Change{Actions: actions, After: after, AfterUnknown: unk},
	}
}

func create(address string, after map[string]any, unknown ...string) *tfjson.ResourceChange {
	return change("", address, nil, tfjson.Actions{tfjson.ActionCreate}, after, unknown...)
}

func load(t testing.TB, fixture string) *Config {
	t.Helper()
	cfg, diags := Load(filepath.Join("testdata", fixture))
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", fixture, diagError(diags))
	}
	return cfg
}

func bind(t testing.TB, cfg *Config, plan *tfjson.Plan, opts Options) *Evaluator {
	t.Helper()
	ev, err := cfg.Bind(plan, opts)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return ev
}

// attribute evaluates an attribute and fails the test on error.
func attribute(t *testing.T, ev *Evaluator, address string, path ...string) Value {
	t.Helper()
	v, err := ev.Attribute(address, path...)
	if err != nil {
		t.Fatalf("Attribute(%s, %v): %v", address, path, err)
	}
	return v
}

// mustString asserts that v is a known string and returns it.
func mustString(t *testing.T, v Value) string {
	t.Helper()
	if !v.Known {
		t.Fatalf("value unknown: %s", v.Unknown)
	}
	if v.Val.IsNull() || v.Val.Type().FriendlyName() != "string" {
		t.Fatalf("value %#v is not a string", v.Val)
	}
	return v.Val.AsString()
}

func containsNote(notes []string, substr string) bool {
	for _, n := range notes {
		if strings.Contains(n, substr) {
			return true
		}
	}
	return false
}
