package validator

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/tfconfig"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// maxConfigErrors bounds how many configuration errors one warning quotes.
const maxConfigErrors = 3

// configEval answers the values a plan leaves unknown by evaluating the
// Terraform configuration the plan was made from (internal/tfconfig), with
// provenance: the file:line of the attribute and how a value neither the plan
// nor the configuration states was derived. It also locates jobs and policy
// statements in the configuration files for the reports.
type configEval struct {
	dir string // as shown in notes
	cfg *tfconfig.Config
	ev  *tfconfig.Evaluator
	// errs are the configuration errors met while evaluating (an undeclared
	// reference, a cycle), each with file:line; any makes the result plan-only.
	errs []string
	// withheld are the values refused because they are sensitive (see
	// ResolveFrom), by "address attr", each with the note saying why. Facts
	// are built on one goroutine while jobs are located on others: mu guards it.
	mu       sync.Mutex
	withheld map[string]withheldValue
}

// withheldValue is why a sensitive value was not used; fromFile when it is
// made from a file the plan does not show.
type withheldValue struct {
	note     string
	fromFile bool
}

// hasConfigFiles reports whether dir holds Terraform configuration files.
func hasConfigFiles(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
			return true, nil
		}
	}
	return false, nil
}

// openConfig loads the configuration in dir and binds it to the plan file at
// planPath. It returns nil and no note when dir holds no configuration, and
// nil with a note saying why when the configuration cannot be used: invalid
// files (with file:line) or a configuration other than the plan's. The caller
// then decides from the plan alone.
func openConfig(dir, planPath string, opts tfconfig.Options) (ce *configEval, note string) {
	if ok, err := hasConfigFiles(dir); err != nil || !ok {
		return nil, ""
	}
	shown := dir
	if filepath.Clean(dir) == "." {
		shown = "the working directory"
	}
	defer func() {
		if p := recover(); p != nil {
			ce, note = nil, fmt.Sprintf("internal error reading the configuration in %s (%v); decided from the plan alone", shown, p)
		}
	}()
	cfg, diags := tfconfig.Load(dir)
	if diags.HasErrors() {
		return nil, fmt.Sprintf("the Terraform configuration in %s is invalid (%s); decided from the plan alone", shown, describeDiags(diags))
	}
	data, err := os.ReadFile(planPath)
	if err != nil {
		return nil, fmt.Sprintf("cannot read %s again to evaluate the configuration in %s (%v); decided from the plan alone", planPath, shown, err)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		return nil, fmt.Sprintf("cannot evaluate the configuration in %s against %s (%v); decided from the plan alone", shown, planPath, err)
	}
	ev, err := cfg.Bind(&plan, opts)
	if err != nil {
		if errors.Is(err, tfconfig.ErrMismatch) {
			return nil, fmt.Sprintf("the Terraform configuration in %s is not the one %s was made from (%s); decided from the plan alone", shown, planPath, strings.TrimPrefix(err.Error(), tfconfig.ErrMismatch.Error()+": "))
		}
		return nil, fmt.Sprintf("cannot evaluate the configuration in %s (%v); decided from the plan alone", shown, err)
	}
	return &configEval{dir: shown, cfg: cfg, ev: ev}, ""
}

// describeDiags renders the first error diagnostics as "file:line: summary: detail".
func describeDiags(diags hcl.Diagnostics) string {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			msg = fmt.Sprintf("%s:%d: %s", d.Subject.Filename, d.Subject.Start.Line, msg)
		}
		if !slices.Contains(msgs, msg) {
			msgs = append(msgs, msg)
		}
	}
	return clipErrors(msgs)
}

// clipErrors joins at most maxConfigErrors messages, counting the rest.
func clipErrors(msgs []string) string {
	if len(msgs) <= maxConfigErrors {
		return strings.Join(msgs, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(msgs[:maxConfigErrors], "; "), len(msgs)-maxConfigErrors)
}

// Resolve implements resolver.
func (c *configEval) Resolve(address, attr string) (any, bool) {
	v, _, ok := c.ResolveFrom(address, attr)
	return v, ok
}

// ResolveFrom implements sourcedResolver. The provenance names the attribute,
// its file:line, and, in Note, how derived values it rests on were derived
// ("aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:17)").
func (c *configEval) ResolveFrom(address, attr string) (val any, from access.Provenance, ok bool) {
	if attr == "" {
		return nil, access.Provenance{}, false
	}
	defer func() {
		// A fault in the evaluator (a bug, never the configuration's) must
		// not take the plan's decision down: it makes the result plan-only.
		if p := recover(); p != nil {
			c.errs = append(c.errs, fmt.Sprintf("internal error evaluating %s %s: %v", address, attr, p))
			val, from, ok = nil, access.Provenance{}, false
		}
	}()
	path := strings.Split(attr, ".")
	v, err := c.ev.Attribute(address, path...)
	if err != nil {
		// The fact builder asks every resource of a kind for the attributes
		// that kind may have; one this resource type lacks is no fault of
		// the configuration.
		lacks := strings.Contains(err.Error(), fmt.Sprintf("has no attribute %q", path[0]))
		if errors.Is(err, tfconfig.ErrConfig) && !lacks && !slices.Contains(c.errs, err.Error()) {
			c.errs = append(c.errs, err.Error())
		}
		return nil, access.Provenance{}, false
	}
	if !v.Known {
		return nil, access.Provenance{}, false
	}
	if v.Sensitive {
		// The plan showed this value only as "(known after apply)" or
		// "(sensitive value)": it is made from a file the configuration reads
		// (templatefile, file, ...) or from a sensitive variable or output.
		// Every fact may reach a report (a statement's Sid, a fix quoting a
		// Deny, a resource in a need's URL), so the value is not used at all:
		// the plan's unknown stands, and a note names the file. See
		// docs/validate.md, Security.
		c.withhold(address, attr, v)
		return nil, access.Provenance{}, false
	}
	got, ok := c.ev.Resolve(address, attr)
	if !ok || got == nil {
		// A null is an argument not set: the plan's reading of it stands.
		return nil, access.Provenance{}, false
	}
	p := access.Provenance{Address: address, Attribute: attr, File: v.Range.Filename, Line: v.Range.Start.Line}
	if len(v.Derived) > 0 {
		p.Note = strings.Join(v.Derived, "; ")
	}
	return got, p, true
}

// partialDocument answers a policy document that the plan leaves unknown and
// the configuration gives but for some values: its text with each unknown
// value written as an unknown leaf (iam.UnknownLeaf), which the IAM engine
// decides three-valued, so that a statement that decides a request is kept
// while another has an unknown element. ok is false when the configuration
// cannot say that much (an unknown Effect, statement list, or anything else
// tfconfig.PolicyDocument calls structural, or a fault it recovers from):
// the document stays unknown.
func (c *configEval) partialDocument(address, attr, label string) (*access.PolicyDoc, bool) {
	d, ok := c.ev.PolicyDocument(address, attr, iam.UnknownLeaf)
	if !ok {
		return nil, false
	}
	p := access.Provenance{Address: address, Attribute: attr, File: d.Range.Filename, Line: d.Range.Start.Line, Note: strings.Join(d.Derived, "; ")}
	return &access.PolicyDoc{Label: label, JSON: d.JSON, Known: true, Leaves: d.Leaves, From: p}, true
}

// withhold records that the sensitive value at address attr was not used.
func (c *configEval) withhold(address, attr string, v tfconfig.Value) {
	files := v.Files
	note := fmt.Sprintf("%s.%s is marked sensitive: it is taken from the plan alone, so that no report prints what the configuration gives it", address, attr)
	if len(files) > 0 {
		note = fmt.Sprintf("%s.%s is derived from the contents of %s, which the plan does not show: it is taken from the plan alone, so that no report prints the file", address, attr, strings.Join(files, ", "))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.withheld == nil {
		c.withheld = map[string]withheldValue{}
	}
	c.withheld[address+" "+attr] = withheldValue{note: note, fromFile: len(files) > 0}
}

// withheldNotes returns, sorted, the notes of the withheld values the facts
// rest on (those with no value, at the address and attribute withheld).
func (c *configEval) withheldNotes(f *access.Facts) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.withheld) == 0 {
		return nil
	}
	seen := map[string]bool{}
	walkProvenance(f, func(p access.Provenance) {
		if w, ok := c.withheld[p.Address+" "+p.Attribute]; ok {
			seen[w.note] = true
		}
	})
	return slices.Sorted(maps.Keys(seen))
}

// fileWithheld returns, sorted, the notes of every value withheld because it
// is made from a file: the plan's warnings list them, whichever job they
// concern. (A value the plan itself marks sensitive, such as a Glue
// connection's connection_properties, is noted only on the jobs it concerns:
// the plan's known parts of it are still used.)
func (c *configEval) fileWithheld() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, w := range c.withheld {
		if w.fromFile {
			out = append(out, w.note)
		}
	}
	sort.Strings(out)
	return out
}

// failure is the note saying the configuration could not be evaluated, "" when
// it could.
func (c *configEval) failure() string {
	if c == nil || len(c.errs) == 0 {
		return ""
	}
	errs := make([]string, len(c.errs))
	for i, e := range c.errs {
		errs[i] = strings.TrimPrefix(e, tfconfig.ErrConfig.Error()+": ")
	}
	sort.Strings(errs)
	return fmt.Sprintf("the Terraform configuration in %s is invalid (%s); decided from the plan alone", c.dir, clipErrors(errs))
}

// derivedNotes returns, sorted and once each, how the values a job's facts
// rest on were derived by the configuration evaluator: every provenance with a
// configuration file and an address whose note lists derivations.
func derivedNotes(f *access.Facts) []string {
	seen := map[string]bool{}
	walkProvenance(f, func(p access.Provenance) {
		if p.File == "" || p.Address == "" || p.Note == "" {
			return
		}
		for _, n := range strings.Split(p.Note, "; ") {
			seen[n] = true
		}
	})
	return slices.Sorted(maps.Keys(seen))
}

// locationOf turns a configuration range into a report location.
func locationOf(r hcl.Range) *report.Location {
	if r.Filename == "" || r.Start.Line <= 0 {
		return nil
	}
	return &report.Location{File: filepath.ToSlash(r.Filename), Line: r.Start.Line}
}

// withConfig decides the plan with the configuration in opts.ConfigDir
// evaluated for the values the plan leaves unknown: the plan's wholly known
// values first, then the configuration, then what follows from known plan
// values. decide runs the decision with a resolver. When
// the configuration cannot be used, or fails to evaluate while deciding, the
// plan is decided alone and the report's plan warnings say why.
func withConfig(ix *planIndex, path string, decl *declarations, opts Options, decide func(resolver) *report.Report) *report.Report {
	planOnly := chain{planResolver{ix: ix}}
	if opts.ConfigDir == "" {
		return decide(planOnly)
	}
	topts := tfconfig.Options{Partition: ix.partition()}
	if decl != nil {
		for _, key := range slices.Sorted(maps.Keys(decl.ProviderAccounts)) {
			ix.declareAccount(key, decl.ProviderAccounts[key])
		}
		// The configuration file's account for the default provider stands in
		// for provider configurations that do not reveal theirs.
		topts.AccountID = decl.ProviderAccounts["aws"]
	}
	if a, ok := ix.soleAccount(); ok && topts.AccountID == "" {
		// Every aws provider configuration acts through the same
		// credentials: its account, known or symbolic, is the account of
		// every configuration whose own settings do not reveal it.
		topts.AccountID = a
	}
	ce, warning := openConfig(opts.ConfigDir, path, topts)
	if ce == nil {
		rep := decide(planOnly)
		if warning != "" {
			rep.Plan.Warnings = append(rep.Plan.Warnings, warning)
		}
		return rep
	}
	p := planResolver{ix: ix}
	res := chain{planWhole(p), ce, planDerived(p)}
	rep := decide(append(res, planValues(p)))
	if failed := ce.failure(); failed != "" {
		rep = decide(planOnly)
		rep.Plan.Warnings = append(rep.Plan.Warnings, failed)
		return rep
	}
	rep.Plan.ConfigDir = opts.ConfigDir
	rep.Plan.Warnings = append(rep.Plan.Warnings, ce.fileWithheld()...)
	return rep
}

// configIn returns the configuration evaluator a resolver chain holds, nil
// when none.
func configIn(res resolver) *configEval {
	switch r := res.(type) {
	case *configEval:
		return r
	case chain:
		for _, x := range r {
			if ce := configIn(x); ce != nil {
				return ce
			}
		}
	}
	return nil
}

// settleConfigDir settles --config-dir and --no-config (Options.ConfigDirGiven
// and NoConfig): --no-config clears the directory; a directory named
// explicitly must exist and hold configuration files, while the default (the
// working directory) is used only if it does.
func settleConfigDir(opts *Options) error {
	switch {
	case opts.NoConfig && opts.ConfigDirGiven:
		return errors.New("--config-dir and --no-config exclude each other")
	case opts.NoConfig:
		opts.ConfigDir = ""
	case opts.ConfigDirGiven:
		ok, err := hasConfigFiles(opts.ConfigDir)
		if err != nil {
			return fmt.Errorf("--config-dir %s: %w", opts.ConfigDir, err)
		}
		if !ok {
			return fmt.Errorf("--config-dir %s: no .tf or .tf.json files", opts.ConfigDir)
		}
	}
	return nil
}

// accountProbes are the resources whose ARN the configuration evaluator
// builds from the account of their provider configuration, and the attribute
// to read: evaluating one reveals the account the configuration gives that
// provider (its assume_role role_arn or allowed_account_ids evaluated through
// variables and locals).
var accountProbes = map[string]string{
	"aws_iam_role":             "arn",
	"aws_iam_policy":           "arn",
	"aws_kms_key":              "arn",
	"aws_glue_job":             "arn",
	"data.aws_caller_identity": "account_id",
}

// maxAccountProbes bounds the resources evaluated per provider configuration.
const maxAccountProbes = 4

// learnAccounts asks the configuration for the account of every provider
// configuration whose account the plan does not reveal, and records it for
// its credential group.
func (c *configEval) learnAccounts(ix *planIndex) {
	cg := ix.credGroups()
	tried := map[string]int{}
	for _, r := range ix.Resources {
		key := r.ProviderKey()
		g := cg.groupOf[key]
		if g == nil || g.account != "" || tried[key] >= maxAccountProbes {
			continue
		}
		typ := r.Type
		if r.Mode == tfjson.DataResourceMode {
			typ = "data." + typ
		}
		attr, ok := accountProbes[typ]
		if !ok {
			continue
		}
		tried[key]++
		v, p, ok := c.ResolveFrom(r.Address, attr)
		s, isStr := v.(string)
		if !ok || !isStr {
			continue
		}
		a := s
		if attr == "arn" {
			if a, ok = accountFromARN(s); !ok {
				continue
			}
		}
		if len(a) != 12 || cg.symbols[a] != nil || strings.Trim(a, "0123456789") != "" {
			continue
		}
		ix.learnAccount(key, a, p.String())
	}
}
