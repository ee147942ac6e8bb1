package tfconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Mode distinguishes managed resources from data sources, as in the plan's "mode" field.
type Mode string

const (
	// Managed is a resource block.
	Managed Mode = "managed"
	// Data is a data block.
	Data Mode = "data"
)

// Config is a loaded configuration: the root module and, reachable through its module calls,
// every child module.
type Config struct {
	// Dir is the root module directory; file names in ranges are relative to it.
	Dir  string
	Root *Module
	// Repo is the repository holding the configuration (absolute, symbolic links
	// resolved): the file functions read only inside it.
	Repo   string
	limits Limits
}

// Module is one module directory as written.
type Module struct {
	// Dir is the module directory relative to the root module ("." for the root).
	Dir         string
	Variables   map[string]*Variable
	Locals      map[string]*hcl.Attribute
	Outputs     map[string]*Output
	Resources   map[string]*Resource // keyed by resourceKey(mode, type, name)
	ModuleCalls map[string]*ModuleCall
	Providers   map[string]*Provider // keyed by "name" or "name.alias"
}

// Variable is a variable block.
type Variable struct {
	Name      string
	Default   hcl.Expression // nil when there is no default
	Type      hcl.Expression // nil when there is no type constraint
	Sensitive bool
	DeclRange hcl.Range
}

// Output is an output block.
type Output struct {
	Value     *hcl.Attribute
	Sensitive bool
}

// Resource is a resource or data block.
type Resource struct {
	Mode      Mode
	Type      string
	Name      string
	Count     hcl.Expression // nil when absent
	ForEach   hcl.Expression // nil when absent
	Provider  string         // provider configuration key local to the module: "aws" or "aws.west"
	Body      hcl.Body
	DeclRange hcl.Range
}

// Address is the module-relative address of the resource, e.g. "data.aws_iam_policy_document.p".
func (r *Resource) Address() string {
	return resourceKey(r.Mode, r.Type, r.Name)
}

// ModuleCall is a module block with the module it loads.
type ModuleCall struct {
	Name      string
	Source    string
	Count     hcl.Expression
	ForEach   hcl.Expression
	Inputs    map[string]*hcl.Attribute
	Providers map[string]string // child provider key → parent provider key
	Module    *Module
	DeclRange hcl.Range
}

// Provider is a provider configuration block.
type Provider struct {
	Name      string
	Alias     string
	Body      hcl.Body
	DeclRange hcl.Range
}

func resourceKey(mode Mode, typ, name string) string {
	if mode == Data {
		return "data." + typ + "." + name
	}
	return typ + "." + name
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}, {Name: "sensitive"}}}

var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value", Required: true}, {Name: "sensitive"}}}

var providerSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "alias"}}}

var moduleSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "source", Required: true}, {Name: "version"}, {Name: "count"}, {Name: "for_each"},
	{Name: "providers"}, {Name: "depends_on"},
}}

var resourceMetaSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"},
}}

// metaArguments are the resource arguments Terraform itself interprets; they are not
// attributes of the resource.
var metaArguments = map[string]bool{
	"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true,
}

// Load reads the configuration in dir with DefaultLimits; see LoadWith.
func Load(dir string) (*Config, hcl.Diagnostics) {
	return LoadWith(dir, Limits{})
}

// LoadWith reads the configuration in dir: its .tf and .tf.json files, override files
// merged as Terraform merges them, and, recursively, the modules it calls (local sources
// relative to the caller, others from .terraform/modules/modules.json). Files Terraform
// ignores (names starting with "." or ending in "~", "#...#" editor files) are skipped.
// Only regular files inside the repository (see repoRoot) are read, each of at most
// lim.MaxFileBytes; anything else is an error naming the file. Diagnostics carry
// file:line relative to dir.
func LoadWith(dir string, lim Limits) (*Config, hcl.Diagnostics) {
	lim = lim.withDefaults()
	repo, err := repoRoot(dir)
	if err == nil {
		repo, err = filepath.EvalSymlinks(repo)
	}
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read configuration directory", Detail: fmt.Sprintf("%s: %v", dir, err)}}
	}
	l := &loader{root: dir, repo: repo, lim: lim, parser: hclparse.NewParser()}
	if err := l.readManifest(); err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read module manifest", Detail: err.Error()}}
	}
	root, diags := l.loadModule(".", nil, map[string]bool{})
	return &Config{Dir: dir, Root: root, Repo: repo, limits: lim}, diags
}

type loader struct {
	root     string
	repo     string // the repository directory, symbolic links resolved
	lim      Limits
	total    int64 // bytes of configuration read so far
	parser   *hclparse.Parser
	manifest map[string]string // module key ("a.b") → directory relative to root
}

func (l *loader) readManifest() error {
	path := filepath.Join(l.root, ".terraform", "modules", "modules.json")
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	src, err := l.readConfigFile(path)
	if err != nil {
		return fmt.Errorf("read module manifest: %w", err)
	}
	var m struct {
		Modules []struct{ Key, Dir string }
	}
	if err := json.Unmarshal(src, &m); err != nil {
		return fmt.Errorf("parse .terraform/modules/modules.json: %w", err)
	}
	l.manifest = map[string]string{}
	for _, e := range m.Modules {
		l.manifest[e.Key] = filepath.ToSlash(filepath.Clean(e.Dir))
	}
	return nil
}

// maxJSONInterpolations bounds the interpolations of one string of JSON syntax: its
// template is not metered (see meter), so each interpolation may add a string as long
// as Limits.MaxStringBytes.
const maxJSONInterpolations = 64

// jsonTemplates refuses a JSON configuration with a string of too many interpolations.
func jsonTemplates(src []byte, fileName string) hcl.Diagnostics {
	var doc any
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil // the parser reports it with its position
	}
	var bad string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if n := strings.Count(v, "${") - strings.Count(v, "$${"); n > maxJSONInterpolations && bad == "" {
				bad = fmt.Sprintf("%s: a string has %d interpolations, more than the %d this evaluator allows in JSON syntax", fileName, n, maxJSONInterpolations)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	if bad == "" {
		return nil
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported JSON configuration", Detail: bad}}
}

// jsonForExpr finds what may be a for expression or for directive in JSON source.
var jsonForExpr = regexp.MustCompile(`[\[{]\s*for\s|%\{~?\s*for\s`)

// realPath is the absolute path of p with symbolic links resolved.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// ignoredFile reports whether Terraform skips a file of a module directory: hidden files
// and editor backups or swap files.
func ignoredFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"))
}

// isOverrideFile reports whether a configuration file is an override file.
func isOverrideFile(name string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

// readConfigFile reads a configuration file: a regular file inside the repository, within
// the size limits.
func (l *loader) readConfigFile(path string) ([]byte, error) {
	real, err := realPath(path)
	if err != nil {
		return nil, err
	}
	if !within(l.repo, real) {
		return nil, fmt.Errorf("%s is a symbolic link to outside the repository", filepath.ToSlash(path))
	}
	src, err := readFile(real, l.lim.MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("%s %w", filepath.ToSlash(path), err)
	}
	l.total += int64(len(src))
	if l.total > l.lim.MaxConfigBytes {
		return nil, fmt.Errorf("%s: the configuration is larger than the limit of %d bytes", filepath.ToSlash(path), l.lim.MaxConfigBytes)
	}
	return src, nil
}

// loadModule loads the module in rel (relative to the root); key is the module call path.
// active guards against a module calling itself through local sources.
func (l *loader) loadModule(rel string, key []string, active map[string]bool) (*Module, hcl.Diagnostics) {
	m := &Module{
		Dir: rel, Variables: map[string]*Variable{}, Locals: map[string]*hcl.Attribute{},
		Outputs: map[string]*Output{}, Resources: map[string]*Resource{},
		ModuleCalls: map[string]*ModuleCall{}, Providers: map[string]*Provider{},
	}
	dir := filepath.Join(l.root, filepath.FromSlash(rel))
	if real, err := realPath(dir); err == nil && !within(l.repo, real) {
		return m, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Module outside the repository",
			Detail: fmt.Sprintf("module directory %q is outside the repository; it is not read", rel)}}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return m, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read module directory", Detail: fmt.Sprintf("module directory %q: %v", rel, err)}}
	}
	var diags hcl.Diagnostics
	var primary, overrides []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || ignoredFile(n) || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			continue
		}
		if isOverrideFile(n) {
			overrides = append(overrides, n)
		} else {
			primary = append(primary, n)
		}
	}
	sort.Strings(primary)
	sort.Strings(overrides)
	var blocks []*hcl.Block
	for _, n := range primary {
		content, d := l.parseFile(path.Join(rel, n))
		diags = append(diags, d...)
		if content != nil {
			blocks = append(blocks, content.Blocks...)
		}
	}
	for _, n := range overrides {
		content, d := l.parseFile(path.Join(rel, n))
		diags = append(diags, d...)
		if content != nil {
			var d hcl.Diagnostics
			blocks, d = applyOverrides(blocks, content.Blocks)
			diags = append(diags, d...)
		}
	}
	diags = append(diags, l.addBlocks(m, blocks)...)
	active[rel] = true
	defer delete(active, rel)
	callNames := slices.Sorted(maps.Keys(m.ModuleCalls))
	for _, name := range callNames {
		call := m.ModuleCalls[name]
		childKey := append(append([]string(nil), key...), name)
		dir, ok := l.resolve(rel, call.Source, childKey)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Module not installed",
				Detail:  fmt.Sprintf("module %q: source %q is neither a local path nor listed in .terraform/modules/modules.json (run terraform init or terraform get)", name, call.Source),
				Subject: call.DeclRange.Ptr()})
			continue
		}
		if active[dir] {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Module calls itself",
				Detail: fmt.Sprintf("module %q loads %q, which is already being loaded", name, dir), Subject: call.DeclRange.Ptr()})
			continue
		}
		child, d := l.loadModule(dir, childKey, active)
		diags = append(diags, d...)
		call.Module = child
	}
	return m, diags
}

// parseFile reads and parses one configuration file, returning its top-level blocks with
// every for expression and string template metered (see meter).
func (l *loader) parseFile(fileName string) (*hcl.BodyContent, hcl.Diagnostics) {
	src, err := l.readConfigFile(filepath.Join(l.root, filepath.FromSlash(fileName)))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read file", Detail: err.Error()}}
	}
	if d := nestingDepth(src); d > l.lim.MaxDepth {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Configuration nested too deeply",
			Detail: fmt.Sprintf("%s nests brackets %d deep, more than the limit of %d", fileName, d, l.lim.MaxDepth)}}
	}
	if strings.HasSuffix(fileName, ".json") {
		if d := jsonTemplates(src, fileName); d != nil {
			return nil, d
		}
	}
	if strings.HasSuffix(fileName, ".json") && jsonForExpr.Match(src) {
		// The templates of JSON syntax are parsed while they are evaluated, where meter
		// cannot reach them, so a for expression in one could not be bounded.
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported JSON configuration",
			Detail: fmt.Sprintf("%s: for expressions inside JSON strings are not evaluated, because their cost cannot be bounded", fileName)}}
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(fileName, ".json") {
		f, diags = l.parser.ParseJSON(src, fileName)
	} else {
		f, diags = l.parser.ParseHCL(src, fileName)
	}
	if f == nil || diags.HasErrors() {
		return nil, diags
	}
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		meter(body)
	}
	content, _, d := f.Body.PartialContent(fileSchema)
	return content, append(diags, d...)
}

// resolve finds the directory of a module call: the installed copy when terraform init
// recorded one, otherwise a local path relative to the caller.
func (l *loader) resolve(callerDir, source string, key []string) (string, bool) {
	if dir, ok := l.manifest[strings.Join(key, ".")]; ok {
		return dir, true
	}
	if strings.HasPrefix(source, "./") || strings.HasPrefix(source, "../") {
		return path.Clean(path.Join(callerDir, source)), true
	}
	return "", false
}

func (l *loader) addBlocks(m *Module, blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range blocks {
		switch b.Type {
		case "variable":
			c, _, d := b.Body.PartialContent(variableSchema)
			diags = append(diags, d...)
			v := &Variable{Name: b.Labels[0], DeclRange: b.DefRange}
			if a := c.Attributes["default"]; a != nil {
				v.Default = a.Expr
			}
			if a := c.Attributes["type"]; a != nil {
				v.Type = a.Expr
			}
			if a := c.Attributes["sensitive"]; a != nil {
				var d hcl.Diagnostics
				v.Sensitive, d = boolLiteral(a.Expr)
				diags = append(diags, d...)
			}
			diags = append(diags, dupCheck(m.Variables[v.Name] != nil, "variable", v.Name, b.DefRange)...)
			m.Variables[v.Name] = v
		case "locals":
			attrs, d := b.Body.JustAttributes()
			diags = append(diags, d...)
			for name, a := range attrs {
				diags = append(diags, dupCheck(m.Locals[name] != nil, "local value", name, a.NameRange)...)
				m.Locals[name] = a
			}
		case "output":
			c, _, d := b.Body.PartialContent(outputSchema)
			diags = append(diags, d...)
			if a := c.Attributes["value"]; a != nil {
				o := &Output{Value: a}
				if sa := c.Attributes["sensitive"]; sa != nil {
					o.Sensitive, d = boolLiteral(sa.Expr)
					diags = append(diags, d...)
				}
				diags = append(diags, dupCheck(m.Outputs[b.Labels[0]] != nil, "output", b.Labels[0], b.DefRange)...)
				m.Outputs[b.Labels[0]] = o
			}
		case "provider":
			c, _, d := b.Body.PartialContent(providerSchema)
			diags = append(diags, d...)
			p := &Provider{Name: b.Labels[0], Body: b.Body, DeclRange: b.DefRange}
			key := p.Name
			if a := c.Attributes["alias"]; a != nil {
				alias, d := stringLiteral(a.Expr)
				diags = append(diags, d...)
				p.Alias = alias
				key += "." + alias
			}
			m.Providers[key] = p
		case "resource", "data":
			r, d := newResource(b)
			diags = append(diags, d...)
			if r != nil {
				diags = append(diags, dupCheck(m.Resources[r.Address()] != nil, "resource", r.Address(), b.DefRange)...)
				m.Resources[r.Address()] = r
			}
		case "module":
			c, d := newModuleCall(b)
			diags = append(diags, d...)
			if c != nil {
				diags = append(diags, dupCheck(m.ModuleCalls[c.Name] != nil, "module call", c.Name, b.DefRange)...)
				m.ModuleCalls[c.Name] = c
			}
		}
	}
	return diags
}

func dupCheck(dup bool, what, name string, rng hcl.Range) hcl.Diagnostics {
	if !dup {
		return nil
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Duplicate " + what,
		Detail: fmt.Sprintf("%s %q is declared more than once", what, name), Subject: rng.Ptr()}}
}

func newResource(b *hcl.Block) (*Resource, hcl.Diagnostics) {
	mode := Managed
	if b.Type == "data" {
		mode = Data
	}
	c, _, diags := b.Body.PartialContent(resourceMetaSchema)
	r := &Resource{Mode: mode, Type: b.Labels[0], Name: b.Labels[1], Body: b.Body, DeclRange: b.DefRange}
	if a := c.Attributes["count"]; a != nil {
		r.Count = a.Expr
	}
	if a := c.Attributes["for_each"]; a != nil {
		r.ForEach = a.Expr
	}
	if r.Count != nil && r.ForEach != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid combination of count and for_each",
			Detail: fmt.Sprintf("%s sets both count and for_each", r.Address()), Subject: b.DefRange.Ptr()})
	}
	r.Provider, _, _ = strings.Cut(r.Type, "_")
	if a := c.Attributes["provider"]; a != nil {
		ref, d := providerRef(a.Expr)
		diags = append(diags, d...)
		if ref != "" {
			r.Provider = ref
		}
	}
	return r, diags
}

func newModuleCall(b *hcl.Block) (*ModuleCall, hcl.Diagnostics) {
	c, remain, diags := b.Body.PartialContent(moduleSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	call := &ModuleCall{Name: b.Labels[0], DeclRange: b.DefRange, Providers: map[string]string{}}
	src, d := stringLiteral(c.Attributes["source"].Expr)
	diags = append(diags, d...)
	call.Source = src
	if a := c.Attributes["count"]; a != nil {
		call.Count = a.Expr
	}
	if a := c.Attributes["for_each"]; a != nil {
		call.ForEach = a.Expr
	}
	if a := c.Attributes["providers"]; a != nil {
		pairs, d := hcl.ExprMap(a.Expr)
		diags = append(diags, d...)
		for _, p := range pairs {
			child, d1 := providerRef(p.Key)
			parent, d2 := providerRef(p.Value)
			diags = append(diags, d1...)
			diags = append(diags, d2...)
			if child != "" && parent != "" {
				call.Providers[child] = parent
			}
		}
	}
	// Everything else in a module block is an input variable of the child module.
	inputs, d := remain.JustAttributes()
	diags = append(diags, d...)
	call.Inputs = inputs
	return call, diags
}

// providerRef reads a provider reference such as aws or aws.west.
func providerRef(expr hcl.Expression) (string, hcl.Diagnostics) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return "", diags
	}
	var parts []string
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, "."), nil
}

func stringLiteral(expr hcl.Expression) (string, hcl.Diagnostics) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value",
			Detail: "a literal string is required here", Subject: expr.Range().Ptr()}}
	}
	return v.AsString(), nil
}

func boolLiteral(expr hcl.Expression) (bool, hcl.Diagnostics) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return false, diags
	}
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Bool {
		return false, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value",
			Detail: "a literal bool is required here", Subject: expr.Range().Ptr()}}
	}
	return v.True(), nil
}

// bodyItems lists the attributes and nested blocks written in a resource or block body,
// without Terraform's meta-arguments. Native syntax gives blocks separately; JSON syntax
// cannot tell a block from an object attribute without a schema, so everything in a JSON
// body is returned as an attribute.
func bodyItems(body hcl.Body) (map[string]*hcl.Attribute, []*hclsyntax.Block, hcl.Diagnostics) {
	if sb, ok := body.(*hclsyntax.Body); ok {
		attrs := map[string]*hcl.Attribute{}
		for name, a := range sb.Attributes {
			if !metaArguments[name] {
				attrs[name] = a.AsHCLAttribute()
			}
		}
		var blocks []*hclsyntax.Block
		for _, b := range sb.Blocks {
			if !metaArguments[b.Type] {
				blocks = append(blocks, b)
			}
		}
		return attrs, blocks, nil
	}
	attrs, diags := body.JustAttributes()
	for name := range attrs {
		if metaArguments[name] || name == "dynamic" {
			delete(attrs, name)
		}
	}
	return attrs, nil, diags
}

// jsonDynamicTypes lists the block types a JSON-syntax body generates with "dynamic",
// which this package does not expand; nil for native syntax.
func jsonDynamicTypes(body hcl.Body) map[string]bool {
	if _, native := body.(*hclsyntax.Body); native {
		return nil
	}
	attrs, _ := body.JustAttributes()
	a := attrs["dynamic"]
	if a == nil {
		return nil
	}
	pairs, _ := hcl.ExprMap(a.Expr)
	out := map[string]bool{}
	for _, p := range pairs {
		if k, diags := p.Key.Value(nil); !diags.HasErrors() && k.Type() == cty.String && k.IsKnown() && !k.IsNull() {
			out[k.AsString()] = true
		}
	}
	return out
}
