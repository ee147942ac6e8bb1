package tfconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

var (
	// ErrMismatch means the configuration read from disk is not the one the plan was made
	// from; the caller should fall back to the plan alone.
	ErrMismatch = errors.New("configuration does not match the plan")
	// ErrConfig means the configuration is invalid (syntax, references, cycles).
	ErrConfig = errors.New("invalid configuration")
	// ErrNotFound means an address names nothing in the configuration.
	ErrNotFound = errors.New("address not found")
)

// Options are the facts the configuration may not state.
type Options struct {
	// AccountID is the AWS account of provider configurations whose account the
	// configuration does not reveal (no assume_role role_arn, no single allowed_account_ids,
	// no known aws_caller_identity). Empty means unknown.
	AccountID string
	// Partition is the AWS partition; empty means "aws".
	Partition string
	// Region is used for provider configurations without a region argument.
	Region string
	// Workspace is terraform.workspace, which the plan does not record; empty means
	// "default", noted as an assumption on every value that uses it.
	Workspace string
}

// Bind checks that the configuration is the one the plan was made from and returns an
// evaluator that answers with the plan's values where it knows them.
func (c *Config) Bind(plan *tfjson.Plan, opts Options) (*Evaluator, error) {
	if plan == nil || plan.Config == nil || plan.Config.RootModule == nil {
		return nil, fmt.Errorf("%w: the plan has no configuration section", ErrMismatch)
	}
	if c == nil || c.Root == nil {
		return nil, fmt.Errorf("%w: no configuration loaded", ErrMismatch)
	}
	if err := matchModule(c.Root, plan.Config.RootModule, ""); err != nil {
		return nil, err
	}
	if opts.Partition == "" {
		opts.Partition = "aws"
	}
	cwd, err := filepath.Abs(c.Dir)
	if err != nil {
		return nil, fmt.Errorf("resolve configuration directory %q: %w", c.Dir, err)
	}
	lim := c.limits.withDefaults()
	repo := c.Repo
	if repo == "" {
		repo = cwd
	}
	files, err := newFileAccess(repo, cwd, lim.MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("configuration directory %q: %w", c.Dir, err)
	}
	b := newBudget(lim)
	ev := &Evaluator{
		cfg: c, opts: opts, cwd: cwd, plan: indexPlan(plan),
		funcs:  functions(funcEnv{files: files, budget: b, planTimestamp: plan.Timestamp}),
		budget: b,
		memo:   map[string]memoEntry{},
		active: map[string]bool{},
	}
	ev.root = &scope{ev: ev, mod: c.Root}
	return ev, nil
}

// matchModule compares the resources and module calls of a module with the plan's
// configuration section.
func matchModule(m *Module, pm *tfjson.ConfigModule, where string) error {
	in := func(what string) string {
		if where == "" {
			return what
		}
		return where + "." + what
	}
	planRes := map[string]bool{}
	for _, r := range pm.Resources {
		planRes[resourceKey(Mode(r.Mode), r.Type, r.Name)] = true
	}
	for _, k := range slices.Sorted(maps.Keys(planRes)) {
		if m.Resources[k] == nil {
			return fmt.Errorf("%w: %s is in the plan but not in the configuration files", ErrMismatch, in(k))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m.Resources)) {
		if !planRes[k] {
			return fmt.Errorf("%w: %s (%s) is in the configuration files but not in the plan", ErrMismatch, in(k), rangeString(m.Resources[k].DeclRange))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(pm.ModuleCalls)) {
		if m.ModuleCalls[name] == nil {
			return fmt.Errorf("%w: module.%s is in the plan but not in the configuration files", ErrMismatch, in(name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(m.ModuleCalls)) {
		call := m.ModuleCalls[name]
		pc := pm.ModuleCalls[name]
		if pc == nil {
			return fmt.Errorf("%w: module.%s (%s) is in the configuration files but not in the plan", ErrMismatch, in(name), rangeString(call.DeclRange))
		}
		if call.Module == nil || pc.Module == nil {
			return fmt.Errorf("%w: module.%s has no loaded module", ErrMismatch, in(name))
		}
		if err := matchModule(call.Module, pc.Module, in("module."+name)); err != nil {
			return err
		}
	}
	return nil
}

// planIndex holds the plan's values per resource instance.
type planIndex struct {
	variables map[string]cty.Value
	// instances maps a full instance address to its values (unknown leaves marked).
	instances map[string]cty.Value
	// keys maps "<module instance address>|<resource key>" and
	// "<module instance address>|module.<call>" to the instance keys present.
	keys map[string][]cty.Value
}

func indexPlan(plan *tfjson.Plan) *planIndex {
	ix := &planIndex{variables: map[string]cty.Value{}, instances: map[string]cty.Value{}, keys: map[string][]cty.Value{}}
	for name, v := range plan.Variables {
		if v != nil {
			ix.variables[name] = planValue(v.Value, nil, nil, "var."+name)
		}
	}
	// Data sources read during planning are only in the prior state; everything with a
	// planned change is in resource_changes, whose after/after_unknown pair is authoritative.
	if plan.PriorState != nil && plan.PriorState.Values != nil {
		ix.addState(plan.PriorState.Values.RootModule)
	}
	for _, rc := range plan.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.Change.Actions.Delete() || rc.DeposedKey != "" {
			continue
		}
		ix.add(rc.ModuleAddress, Mode(rc.Mode), rc.Type, rc.Name, rc.Index,
			planValue(rc.Change.After, rc.Change.AfterUnknown, rc.Change.AfterSensitive, rc.Address))
	}
	ix.addModuleKeys()
	for k := range ix.keys {
		sortKeys(ix.keys[k])
	}
	return ix
}

// addModuleKeys records the module call instances the plan's addresses show, so that
// module instances are known even when count or for_each cannot be evaluated.
func (ix *planIndex) addModuleKeys() {
	seen := map[string]bool{}
	for addr := range ix.instances {
		tr, diags := hclsyntax.ParseTraversalAbs([]byte(addr), "address", hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		steps := splitSteps(tr)
		parent := ""
		for len(steps) >= 2 && steps[0].name == "module" {
			call := steps[1]
			k := parent + "|module." + call.name
			child := "module." + call.name + keyString(call.key)
			if parent != "" {
				child = parent + "." + child
			}
			if call.key != cty.NilVal && !seen[child] {
				seen[child] = true
				ix.keys[k] = append(ix.keys[k], call.key)
			}
			parent = child
			steps = steps[2:]
		}
	}
}

func (ix *planIndex) addState(m *tfjson.StateModule) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		if r != nil {
			var sens any
			if len(r.SensitiveValues) > 0 {
				// Unreadable sensitivity means none is recorded; the values themselves are fine.
				_ = json.Unmarshal(r.SensitiveValues, &sens)
			}
			ix.add(m.Address, Mode(r.Mode), r.Type, r.Name, r.Index, planValue(r.AttributeValues, nil, sens, r.Address))
		}
	}
	for _, c := range m.ChildModules {
		ix.addState(c)
	}
}

func (ix *planIndex) add(moduleAddr string, mode Mode, typ, name string, index any, val cty.Value) {
	key := indexKey(index)
	res := resourceKey(mode, typ, name)
	addr := instanceAddress(moduleAddr, res, key)
	if _, seen := ix.instances[addr]; !seen {
		k := moduleAddr + "|" + res
		if key != cty.NilVal {
			ix.keys[k] = append(ix.keys[k], key)
		}
	}
	ix.instances[addr] = val
}

func indexKey(index any) cty.Value {
	switch i := index.(type) {
	case float64:
		return cty.NumberIntVal(int64(i))
	case json.Number:
		n, err := i.Int64()
		if err != nil {
			return cty.NilVal
		}
		return cty.NumberIntVal(n)
	case string:
		return cty.StringVal(i)
	}
	return cty.NilVal
}

func keyString(key cty.Value) string {
	if key == cty.NilVal {
		return ""
	}
	key, _ = key.Unmark()
	switch {
	case !key.IsKnown() || key.IsNull():
		return "[?]"
	case key.Type() == cty.String:
		return "[" + strconv.Quote(key.AsString()) + "]"
	case key.Type() == cty.Number:
		i, _ := key.AsBigFloat().Int64()
		return "[" + strconv.FormatInt(i, 10) + "]"
	}
	return "[?]"
}

func instanceAddress(moduleAddr, res string, key cty.Value) string {
	a := res + keyString(key)
	if moduleAddr != "" {
		a = moduleAddr + "." + a
	}
	return a
}

func sortKeys(keys []cty.Value) {
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Type() == cty.Number && b.Type() == cty.Number {
			return a.AsBigFloat().Cmp(b.AsBigFloat()) < 0
		}
		return keyString(a) < keyString(b)
	})
}

// planValue converts a plan JSON value, with its after_unknown and after_sensitive trees,
// into a cty value whose unknown leaves carry the reason they are unknown and whose
// sensitive parts are marked sensitive.
func planValue(v, unk, sens any, path string) cty.Value {
	if b, ok := sens.(bool); ok && b {
		return planValue(v, unk, nil, path).Mark(sensitiveMark{})
	}
	if b, ok := unk.(bool); ok && b {
		return unknown("%s is known only after apply", path)
	}
	switch t := v.(type) {
	case nil:
		switch u := unk.(type) {
		case map[string]any:
			return planValue(map[string]any{}, u, sens, path)
		case []any:
			return planValue([]any{}, u, sens, path)
		}
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(t)
	case bool:
		return cty.BoolVal(t)
	case float64:
		return cty.NumberFloatVal(t)
	case json.Number:
		f, _, err := big.ParseFloat(string(t), 10, 512, big.ToNearestEven)
		if err != nil {
			return cty.NullVal(cty.Number)
		}
		return cty.NumberVal(f)
	case map[string]any:
		um, _ := unk.(map[string]any)
		sm, _ := sens.(map[string]any)
		attrs := map[string]cty.Value{}
		for k, e := range t {
			attrs[k] = planValue(e, um[k], sm[k], path+"."+k)
		}
		for k, u := range um {
			if _, ok := t[k]; !ok {
				attrs[k] = planValue(nil, u, sm[k], path+"."+k)
			}
		}
		return cty.ObjectVal(attrs)
	case []any:
		ul, _ := unk.([]any)
		sl, _ := sens.([]any)
		n := max(len(t), len(ul))
		elems := make([]cty.Value, n)
		for i := range n {
			var e, u, se any
			if i < len(t) {
				e = t[i]
			}
			if i < len(ul) {
				u = ul[i]
			}
			if i < len(sl) {
				se = sl[i]
			}
			elems[i] = planValue(e, u, se, fmt.Sprintf("%s[%d]", path, i))
		}
		return cty.TupleVal(elems)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// funcsWith returns the function table plus placeholders for the named unsupported functions.
func funcsWith(base map[string]function.Function, unsupported map[string]bool) map[string]function.Function {
	if len(unsupported) == 0 {
		return base
	}
	out := make(map[string]function.Function, len(base)+len(unsupported))
	for k, v := range base {
		out[k] = v
	}
	for name := range unsupported {
		out[name] = unsupportedFunc(name)
	}
	return out
}
