package planjson

import (
	"bytes"
	"cmp"
	"encoding/json"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	tfjson "github.com/hashicorp/terraform-json"
)

// Resource is one resource or data source instance of the plan with the values
// it will have after apply, as far as the plan knows them.
type Resource struct {
	// Address is the absolute instance address, e.g.
	// module.a.aws_glue_job.j["orders"].
	Address string
	// Module is the module instance path ("" for the root), e.g. module.a["x"].
	Module string
	Mode   tfjson.ResourceMode
	Type   string
	Name   string
	// Key is the count index (float64) or for_each key (string); nil without either.
	Key any
	// values are the planned attribute values (see Attribute). Unknown
	// values are absent or null: readers treat absent and null alike.
	values attrs
	// Unknown mirrors the values with true at every leaf that is unknown until
	// apply; leaves that are known are left out (absent, nil and false all
	// mean known).
	Unknown any
	// Created is true when the plan creates the object (it has no prior state),
	// which makes "not configured" mean "AWS default" rather than "managed elsewhere".
	Created bool
	// config is the resource's block in the configuration, nil if absent.
	config *configBlock
	// configModule is the module path without instance keys, e.g. module.a.
	configModule string
}

// DeferredChange is a change terraform deferred to a later plan, and why
// ("JSON Output Format", Terraform docs: deferred_changes).
type DeferredChange struct {
	Address string
	Mode    tfjson.ResourceMode
	Type    string
	// Reason is terraform's, e.g. "provider_config_unknown".
	Reason string
	// values are the planned values, when the deferred change has them.
	values attrs
}

// Attribute returns a planned value of the deferred change, as
// Resource.Attribute does.
func (c *DeferredChange) Attribute(name string) any { return c.values.get(name) }

// Attribute returns the planned value of a top-level attribute as
// encoding/json decodes it into any (map[string]any, []any, string, float64
// or bool); nil when the attribute is null, unknown or absent.
func (r *Resource) Attribute(name string) any { return r.values.get(name) }

// ProviderKey returns the key of the provider configuration the resource
// uses ("aws", "aws.data", "module.m:aws"); "" when the configuration does not
// show it.
func (r *Resource) ProviderKey() string {
	if r.config != nil {
		return r.config.providerKey
	}
	return ""
}

// HasValues reports whether the plan holds the resource's values as an object.
func (r *Resource) HasValues() bool { return r.values.text != nil }

// Written reports whether the resource's values have a top-level member
// named name, null included: terraform writes every attribute of the schema.
func (r *Resource) Written(name string) bool {
	if r.values.text == nil {
		return false
	}
	_, ok := jsonAt{text: r.values.text}.field(name, false)
	return ok
}

// ValuesContain reports whether the JSON text of the resource's values
// contains b.
func (r *Resource) ValuesContain(b []byte) bool {
	return bytes.Contains(r.values.text, b)
}

// Variable returns the value of a root module input variable as
// encoding/json decodes it into any; false when the plan does not record it
// or it is null.
func (ix *Plan) Variable(name string) (any, bool) {
	raw, ok := ix.variables[name]
	if !ok || len(raw) == 0 {
		return nil, false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil, false
	}
	return v, v != nil
}

// Plan is the decoded plan indexed for fact building.
type Plan struct {
	FormatVersion    string
	TerraformVersion string
	// ProviderConfigs are the provider configurations by key ("aws",
	// "aws.data", "module.m:aws").
	ProviderConfigs map[string]*tfjson.ProviderConfig
	// Resources in address order.
	Resources []*Resource
	byAddress map[string]*Resource
	// byConfig holds the instances ordered by configuration module path,
	// then module-relative configuration address ("aws_iam_role.glue"), then
	// address, so references can be followed: the instances of one block are
	// a run of it (instancesOf). A sorted slice rather than a map of lists,
	// which would cost over a hundred bytes more per resource for as long as
	// the jobs are checked.
	byConfig []*Resource
	// byType holds the instances ordered by mode, type, then address, so
	// that OfType is a run of it rather than a scan of the plan: the fact
	// builder asks for some types once per job.
	byType []*Resource
	// outputs maps a configuration module path to its outputs.
	outputs map[string]map[string]*configOutput
	// calls maps a child module path to the call that created it, with the
	// parent's path, so var.x inside a module resolves in its caller.
	calls map[string]moduleCall
	// DeferredChanges are the changes terraform deferred to a later plan
	// (an incomplete plan, complete: false), in plan order.
	DeferredChanges []DeferredChange
	// variables are the root module's input variable values, as JSON.
	variables map[string]lazyJSON
}

type configKey struct {
	module string // configuration module path, "" for root
	local  string // "aws_iam_role.glue" or "data.aws_region.current"
}

// moduleCall is what references need of a module call: the parent's path
// and the raw expressions of the call's arguments.
type moduleCall struct {
	parent string
	args   map[string]lazyJSON
}

// configBlock is what references need of a resource's block in the
// configuration. It is kept for every resource while the jobs are checked,
// so it holds its raw expressions in a slice rather than the map the plan
// decodes (a map costs several times the size of its few entries) and not
// the rest of the configuration module; newConfigBlocks makes the blocks of
// a plan, and their expressions, in one allocation each.
type configBlock struct {
	providerKey string
	exprs       []namedExpression
}

type namedExpression struct {
	name string
	raw  lazyJSON
}

// newConfigBlocks makes the blocks of the configuration resources cs.
func newConfigBlocks(cs []*configResource) []configBlock {
	n := 0
	for _, c := range cs {
		n += len(c.Expressions)
	}
	blocks := make([]configBlock, len(cs))
	exprs := make([]namedExpression, 0, n)
	for i, c := range cs {
		start := len(exprs)
		for name, raw := range c.Expressions {
			exprs = append(exprs, namedExpression{name, raw})
		}
		blocks[i] = configBlock{providerKey: c.ProviderConfigKey, exprs: exprs[start:len(exprs):len(exprs)]}
	}
	return blocks
}

// expression returns the raw expression of an argument, nil if the block
// does not set it.
func (b *configBlock) expression(name string) lazyJSON {
	for _, e := range b.exprs {
		if e.name == name {
			return e.raw
		}
	}
	return nil
}

// Index collects every resource instance of the plan. A resource change
// (after, after_unknown) is the most specific source; planned values and then
// the prior state supply the instances without one (data sources read during
// planning). Instances only being deleted are dropped.
func Index(doc *Document) *Plan {
	ix := &Plan{
		FormatVersion:    doc.FormatVersion,
		TerraformVersion: doc.TerraformVersion,
		byAddress:        make(map[string]*Resource, len(doc.ResourceChanges)),
		outputs:          map[string]map[string]*configOutput{},
		calls:            map[string]moduleCall{},
	}
	for name, v := range doc.Variables {
		if ix.variables == nil {
			ix.variables = map[string]lazyJSON{}
		}
		ix.variables[name] = v.Value
	}
	deleted := map[string]bool{}
	values := newValueDecoder()
	for _, rc := range doc.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.Deposed != "" {
			// A deposed object is on its way out; its instance is
			// described by its own change.
			continue
		}
		if onlyDelete(rc.Change.Actions) {
			deleted[rc.Address] = true
			continue
		}
		r := ix.add(rc.Address, rc.ModuleAddress, rc.Mode, rc.Type, rc.Name, rc.Index)
		r.values, r.Unknown = rc.values, rc.unknown
		a := rc.Change.Actions
		r.Created = a.Create() || a.Replace() || a.Read() && !rc.Change.Before.present()
	}
	for _, dc := range doc.DeferredChanges {
		rc := dc.ResourceChange
		c := DeferredChange{Address: rc.Address, Mode: rc.Mode, Type: rc.Type, Reason: dc.Reason}
		if rc.Change.After.present() {
			c.values = values.attributes(rc.Change.After)
		}
		ix.DeferredChanges = append(ix.DeferredChanges, c)
	}
	if doc.PlannedValues != nil {
		ix.walkState(values, doc.PlannedValues.RootModule, deleted, true)
	}
	if doc.PriorState != nil && doc.PriorState.Values != nil {
		ix.walkState(values, doc.PriorState.Values.RootModule, deleted, false)
	}
	modules := map[string]*configModule{}
	if doc.Config != nil {
		ix.ProviderConfigs = doc.Config.ProviderConfigs
		if doc.Config.RootModule != nil {
			ix.walkConfig(modules, "", doc.Config.RootModule)
		}
	}
	configs := map[configKey]*configResource{}
	for path, m := range modules {
		ix.outputs[path] = m.Outputs
		for _, c := range m.Resources {
			if c != nil {
				configs[configKey{path, localName(c.Mode, c.Type, c.Name)}] = c
			}
		}
	}
	// The blocks of the configuration resources that have instances, by
	// the index of each in used; each instance's block, by its index in
	// ix.Resources.
	block := make(map[*configResource]int, len(configs))
	var used []*configResource
	of := make([]int, 0, len(ix.byAddress))
	ix.Resources = make([]*Resource, 0, len(ix.byAddress))
	for _, r := range ix.byAddress {
		r.configModule = stripKeys(r.Module)
		i := -1
		if c := configs[configKey{r.configModule, localName(r.Mode, r.Type, r.Name)}]; c != nil {
			var ok bool
			if i, ok = block[c]; !ok {
				i = len(used)
				block[c] = i
				used = append(used, c)
			}
		}
		of = append(of, i)
		ix.Resources = append(ix.Resources, r)
	}
	blocks := newConfigBlocks(used)
	for i, r := range ix.Resources {
		if of[i] >= 0 {
			r.config = &blocks[of[i]]
		}
	}
	sort.Slice(ix.Resources, func(i, j int) bool { return ix.Resources[i].Address < ix.Resources[j].Address })
	ix.byConfig = slices.Clone(ix.Resources)
	slices.SortStableFunc(ix.byConfig, func(a, b *Resource) int {
		if c := strings.Compare(a.configModule, b.configModule); c != 0 {
			return c
		}
		pa, pb := localParts(a), localParts(b)
		return compareJoined(pa[:], pb[:])
	})
	ix.byType = slices.Clone(ix.Resources)
	slices.SortStableFunc(ix.byType, func(a, b *Resource) int {
		return compareType(a.Mode, a.Type, b.Mode, b.Type)
	})
	return ix
}

func compareType(am tfjson.ResourceMode, at string, bm tfjson.ResourceMode, bt string) int {
	if c := strings.Compare(string(am), string(bm)); c != 0 {
		return c
	}
	return strings.Compare(at, bt)
}

// localParts are the pieces of r's module-relative configuration address,
// localName(r.Mode, r.Type, r.Name).
func localParts(r *Resource) [4]string {
	p := [4]string{"", r.Type, ".", r.Name}
	if r.Mode == tfjson.DataResourceMode {
		p[0] = "data."
	}
	return p
}

// compareJoined compares the concatenations of a and b as strings.Compare
// would, without making them.
func compareJoined(a, b []string) int {
	var x, y string
	for {
		for x == "" && len(a) > 0 {
			x, a = a[0], a[1:]
		}
		for y == "" && len(b) > 0 {
			y, b = b[0], b[1:]
		}
		if x == "" || y == "" {
			return cmp.Compare(len(x), len(y))
		}
		n := min(len(x), len(y))
		if c := strings.Compare(x[:n], y[:n]); c != 0 {
			return c
		}
		x, y = x[n:], y[n:]
	}
}

// decodeChange sets the change's values from its after and after_unknown,
// and checks the governing attributes' JSON types (checkAttributeTypes). The
// bytes were checked when the plan was decoded; an after value that is not
// an object was refused by checkPlan.
func decodeChange(d *valueDecoder, rc *lightChange) error {
	if rc == nil || rc.Change == nil || rc.Deposed != "" || onlyDelete(rc.Change.Actions) {
		return nil
	}
	if rc.Change.After.present() {
		rc.values = d.attributes(rc.Change.After)
		if err := checkAttributeTypes(d, rc); err != nil {
			return err
		}
	}
	if rc.Change.AfterUnknown.present() {
		rc.unknown = d.unknown(rc.Change.AfterUnknown)
	}
	return nil
}

// decodeBatch is how many changes a worker takes at a time: enough to make
// the hand-out cost nothing, few enough to keep the workers evenly loaded.
const decodeBatch = 64

// decodeChanges decodes the after values of every change, on as many cores
// as the process may use: in a large plan they are most of the decoding
// work, and each is independent of the others. The error is that of the
// first change, in plan order, whose values are not what terraform writes.
func decodeChanges(changes []*lightChange) error {
	workers := min(runtime.GOMAXPROCS(0), (len(changes)+decodeBatch-1)/decodeBatch)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]struct {
		at  int
		err error
	}, workers)
	for w := range workers {
		wg.Go(func() {
			d := newValueDecoder()
			for {
				end := int(next.Add(decodeBatch))
				start := end - decodeBatch
				if start >= len(changes) {
					return
				}
				for i, rc := range changes[start:min(end, len(changes))] {
					if err := decodeChange(d, rc); err != nil && errs[w].err == nil {
						errs[w].at, errs[w].err = start+i, err
					}
				}
			}
		})
	}
	wg.Wait()
	var first error
	at := len(changes)
	for _, e := range errs {
		if e.err != nil && e.at < at {
			first, at = e.err, e.at
		}
	}
	return first
}

func onlyDelete(a tfjson.Actions) bool {
	return len(a) == 1 && a[0] == tfjson.ActionDelete
}

// walkState adds the instances of a state tree that no resource change
// described, decoding their values only then. planned is false for
// prior_state, whose instances exist already.
func (ix *Plan) walkState(d *valueDecoder, m *lightModule, deleted map[string]bool, planned bool) {
	if m == nil {
		return
	}
	for _, sr := range m.Resources {
		if ix.byAddress[sr.Address] != nil || deleted[sr.Address] || sr.DeposedKey != "" {
			continue
		}
		r := ix.add(sr.Address, m.Address, sr.Mode, sr.Type, sr.Name, sr.Index)
		r.Created = planned
		if sr.Values.present() {
			r.values = d.attributes(sr.Values)
		}
	}
	for _, c := range m.ChildModules {
		ix.walkState(d, c, deleted, planned)
	}
}

func (ix *Plan) add(addr, module string, mode tfjson.ResourceMode, typ, name string, key any) *Resource {
	r := &Resource{Address: addr, Module: module, Mode: mode, Type: typ, Name: name, Key: key}
	ix.byAddress[addr] = r
	return r
}

// walkConfig collects the configuration modules by path into modules, and
// the module calls.
func (ix *Plan) walkConfig(modules map[string]*configModule, path string, m *configModule) {
	modules[path] = m
	names := make([]string, 0, len(m.ModuleCalls))
	for name := range m.ModuleCalls {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		call := m.ModuleCalls[name]
		if call == nil || call.Module == nil {
			continue
		}
		child := joinModule(path, "module."+name)
		ix.calls[child] = moduleCall{parent: path, args: call.Expressions}
		ix.walkConfig(modules, child, call.Module)
	}
}

func localName(mode tfjson.ResourceMode, typ, name string) string {
	if mode == tfjson.DataResourceMode {
		return "data." + typ + "." + name
	}
	return typ + "." + name
}

func joinModule(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// stripKeys removes instance keys from a module path:
// module.a["x"].module.b[0] → module.a.module.b.
func stripKeys(module string) string {
	if !strings.Contains(module, "[") {
		return module
	}
	var b strings.Builder
	depth := 0
	inString := false
	for i := 0; i < len(module); i++ {
		c := module[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"' && depth > 0:
			inString = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Lookup returns the instance at an absolute address.
func (ix *Plan) Lookup(addr string) *Resource { return ix.byAddress[addr] }

// OfType returns every instance of a resource type (managed or data) in
// address order. The slice is the index's: append to it copies, but do not
// write its elements.
func (ix *Plan) OfType(mode tfjson.ResourceMode, typ string) []*Resource {
	i, _ := slices.BinarySearchFunc(ix.byType, typ, func(r *Resource, typ string) int { return compareType(r.Mode, r.Type, mode, typ) })
	j := i
	for j < len(ix.byType) && ix.byType[j].Mode == mode && ix.byType[j].Type == typ {
		j++
	}
	if i == j {
		return nil
	}
	return ix.byType[i:j:j]
}

// hasKey reports whether two instance keys are equal (count indexes decode as
// float64, for_each keys as string).
func sameKey(a, b any) bool {
	return a == b
}

// instancesOf returns the instances a reference like "aws_iam_role.glue" made
// from inside module path names, preferring the instance with the referrer's
// own key (the for_each/count pattern role = aws_iam_role.r[each.key].name).
func (ix *Plan) instancesOf(module, local string) []*Resource {
	key := func(r *Resource) int {
		if c := strings.Compare(r.configModule, module); c != 0 {
			return c
		}
		p := localParts(r)
		return compareJoined(p[:], []string{local})
	}
	i := sort.Search(len(ix.byConfig), func(i int) bool { return key(ix.byConfig[i]) >= 0 })
	j := i
	for j < len(ix.byConfig) && key(ix.byConfig[j]) == 0 {
		j++
	}
	if i == j {
		return nil
	}
	return ix.byConfig[i:j:j]
}

// pick chooses the instance a reference from referrer means: the only
// instance, or the one with the referrer's key.
func pick(insts []*Resource, referrer *Resource) *Resource {
	if len(insts) == 1 {
		return insts[0]
	}
	if referrer == nil || referrer.Key == nil {
		return nil
	}
	i := slices.IndexFunc(insts, func(r *Resource) bool { return sameKey(r.Key, referrer.Key) })
	if i < 0 {
		return nil
	}
	return insts[i]
}
