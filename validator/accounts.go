package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// credentialSettings are the arguments of an aws provider configuration that
// choose its credentials, hence the account its resources are created in
// (Terraform AWS provider documentation, "Authentication and Configuration").
// Two configurations that agree on all of them act through the same
// credentials: they differ at most in region, alias, default_tags, endpoints
// or other settings that do not change the account. allowed_account_ids is
// among them because two configurations that allow different accounts may
// act in different ones.
var credentialSettings = []string{
	"access_key", "secret_key", "token", "profile",
	"shared_credentials_files", "shared_config_files",
	"assume_role", "assume_role_with_web_identity", "allowed_account_ids",
}

// credGroups are the aws provider configurations of a plan grouped by their
// credential settings. Every resource created through the configurations of
// one group is in one account, known or not: a group whose account no
// configuration reveals gets a symbolic account number, so that resources
// created through it are same-account to each other and of unknown relation
// to those of other groups.
type credGroups struct {
	groupOf map[string]*credGroup
	groups  []*credGroup
	// symbols maps each symbolic account to its group.
	symbols map[string]*credGroup
}

// credGroup is one group of provider configurations with identical
// credential settings.
type credGroup struct {
	keys []string // provider configuration keys, sorted
	// account is the group's account, "" when no configuration of the group
	// reveals it; from says how it is known.
	account string
	from    string
	// symbol stands for the account when it is not known: twelve digits, so
	// that it works wherever an account number does (ARNs, principals,
	// aws:ResourceAccount), and absent from the plan's values.
	symbol string
}

// name is how findings name the group's account.
func (g *credGroup) name() string {
	return "account of provider " + strings.Join(g.keys, "/")
}

// credentialFingerprint renders the credential settings of a provider
// configuration. A setting built from references is qualified by the module
// the configuration is in, as var.x of one module is not var.x of another.
func credentialFingerprint(key string, pc *tfjson.ProviderConfig) string {
	if pc == nil {
		return ""
	}
	module := ""
	if i := strings.LastIndexByte(key, ':'); i >= 0 {
		module = key[:i]
	}
	var b strings.Builder
	for _, s := range credentialSettings {
		e := pc.Expressions[s]
		if e == nil {
			continue
		}
		text, err := json.Marshal(e)
		if err != nil {
			text = []byte(fmt.Sprintf("%p", e))
		}
		b.WriteString(s)
		b.WriteByte('=')
		if bytes.Contains(text, []byte(`"references"`)) {
			b.WriteString(module)
			b.WriteByte('|')
		}
		b.Write(text)
		b.WriteByte(';')
	}
	return b.String()
}

// isAWSProvider reports whether a provider configuration key names an aws
// provider configuration ("aws", "aws.use1", "module.m:aws").
func isAWSProvider(key string, pc *tfjson.ProviderConfig) bool {
	if pc != nil && pc.Name != "" {
		return pc.Name == "aws"
	}
	name := key[strings.LastIndexByte(key, ':')+1:]
	name, _, _ = strings.Cut(name, ".")
	return name == "aws"
}

// credGroups groups the plan's aws provider configurations, computing it once.
func (ix *planIndex) credGroups() *credGroups {
	if ix.creds != nil {
		return ix.creds
	}
	keys := map[string]bool{}
	for key, pc := range ix.ProviderConfigs {
		if isAWSProvider(key, pc) {
			keys[key] = true
		}
	}
	for _, r := range ix.Resources {
		if k := r.ProviderKey(); k != "" && strings.HasPrefix(r.Type, "aws_") {
			keys[k] = true
		}
	}
	cg := &credGroups{groupOf: map[string]*credGroup{}, symbols: map[string]*credGroup{}}
	byPrint := map[string]*credGroup{}
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		fp := credentialFingerprint(key, ix.ProviderConfigs[key])
		g := byPrint[fp]
		if g == nil {
			g = &credGroup{}
			byPrint[fp] = g
			cg.groups = append(cg.groups, g)
		}
		g.keys = append(g.keys, key)
		cg.groupOf[key] = g
		if g.account == "" {
			if a := ix.directAccount(key); a != "" {
				g.account, g.from = a, ix.callerIdentity(key, a)
			}
		}
	}
	n := 0
	for _, g := range cg.groups {
		if g.account != "" {
			continue
		}
		for {
			n++
			s := fmt.Sprintf("9999%08d", n)
			if !ix.mentions(s) {
				g.symbol = s
				break
			}
		}
		cg.symbols[g.symbol] = g
	}
	ix.creds = cg
	return cg
}

// callerIdentity returns the address of a data aws_caller_identity read
// through a provider configuration that shows account, "" when none does.
func (ix *planIndex) callerIdentity(key, account string) string {
	for _, r := range ix.dataOf(key) {
		if r.Type == "aws_caller_identity" {
			if a, ok := r.Attribute("account_id").(string); ok && a == account {
				return r.Address
			}
		}
	}
	return ""
}

// mentions reports whether any planned value or provider configuration holds s.
func (ix *planIndex) mentions(s string) bool {
	b := []byte(s)
	for _, r := range ix.Resources {
		if r.ValuesContain(b) {
			return true
		}
	}
	for _, pc := range ix.ProviderConfigs {
		if text, err := json.Marshal(pc); err == nil && bytes.Contains(text, b) {
			return true
		}
	}
	return false
}

// directAccount is the account a provider configuration reveals by itself
// (declared, data aws_caller_identity through it, assume_role, a single
// allowed_account_ids entry), "" when it reveals none.
func (ix *planIndex) directAccount(key string) string {
	if a, ok := ix.accounts[key]; ok {
		return a
	}
	a := ix.providerAccount(key)
	if ix.settled {
		return a
	}
	if ix.accounts == nil {
		ix.accounts = map[string]string{}
	}
	ix.accounts[key] = a
	return a
}

// accountOrSymbol returns the account of a provider configuration, or, when
// it is not known, the symbolic account of its credential group (sym true).
// ok is false only for a key that is not an aws provider configuration.
func (ix *planIndex) accountOrSymbol(key string) (acct string, sym, ok bool) {
	g := ix.credGroups().groupOf[key]
	if g == nil {
		return "", false, false
	}
	if g.account != "" {
		return g.account, false, true
	}
	return g.symbol, true, true
}

// learnAccount records the account of a provider configuration learned
// elsewhere (the configuration evaluated through variables and locals); it
// applies to the whole credential group. A group whose account is known
// keeps it.
func (ix *planIndex) learnAccount(key, account, from string) {
	g := ix.credGroups().groupOf[key]
	if g == nil || g.account != "" || account == "" {
		return
	}
	delete(ix.creds.symbols, g.symbol)
	g.account, g.from, g.symbol = account, from, ""
}

// soleAccount returns the account (or symbolic account) every aws provider
// configuration of the plan shares, when they form one credential group.
func (ix *planIndex) soleAccount() (string, bool) {
	cg := ix.credGroups()
	if len(cg.groups) != 1 {
		return "", false
	}
	if g := cg.groups[0]; g.account != "" {
		return g.account, true
	} else {
		return g.symbol, true
	}
}

// accountValue is the account of the provider configuration r is created
// through, as a fact: known, symbolic (known as a stand-in, its provenance
// saying the number is not known) or unknown.
func (b *builder) accountValue(r *planjson.Resource) access.Value[string] {
	key := r.ProviderKey()
	a, sym, ok := b.ix.accountOrSymbol(key)
	switch {
	case !ok:
		return access.Unknown[string](access.Provenance{Address: r.Address, Note: "account of its provider configuration"})
	case sym:
		return access.Known(a, access.Provenance{Address: r.Address, Note: "the account of provider " + key + " is not known; the same account as every resource created through it"})
	}
	return access.Known(a, access.Provenance{Address: r.Address, Note: "account of its provider configuration"})
}

// symbolPattern finds the symbolic account numbers in text.
var symbolPattern = regexp.MustCompile(`9999\d{8}`)

// callerSupplied is how the configuration evaluator notes the account it was
// given for the providers whose account the configuration does not reveal.
var callerSupplied = regexp.MustCompile(`account (\d{12}) supplied by the caller for provider (\S+)`)

// describeSymbols rewrites, in every text of the report, the symbolic
// accounts as what they stand for, and notes on each job that relies on one
// that the account is not known but shared.
func (ix *planIndex) describeSymbols(v any) {
	cg := ix.creds
	if cg == nil {
		return
	}
	read := map[string]*credGroup{}
	for _, g := range cg.groups {
		if g.account != "" && strings.HasPrefix(g.from, "data.") {
			read[g.account] = g
		}
	}
	if len(cg.symbols) == 0 && len(read) == 0 {
		return
	}
	rewrite := func(s string) string {
		if !strings.Contains(s, "supplied by the caller") && !strings.Contains(s, "9999") {
			return s
		}
		s = callerSupplied.ReplaceAllStringFunc(s, func(m string) string {
			sub := callerSupplied.FindStringSubmatch(m)
			if g := cg.symbols[sub[1]]; g != nil {
				return "the " + g.name() + " is not known; every resource created through it is in that one account"
			}
			if g := read[sub[1]]; g != nil {
				return "account " + sub[1] + " of provider " + strings.Join(g.keys, "/") + ", read through " + g.from
			}
			return m
		})
		return symbolPattern.ReplaceAllStringFunc(s, func(m string) string {
			if g := cg.symbols[m]; g != nil {
				return "<" + g.name() + ">"
			}
			return m
		})
	}
	rewriteStrings(reflect.ValueOf(v), rewrite)
}

// rewriteStrings applies f to every string reachable from v.
func rewriteStrings(v reflect.Value, f func(string) string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			rewriteStrings(v.Elem(), f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				rewriteStrings(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			rewriteStrings(v.Index(i), f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.String && v.Type().Elem().Kind() == reflect.String {
				v.SetMapIndex(k, reflect.ValueOf(f(e.String())).Convert(e.Type()))
			}
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(f(v.String()))
		}
	}
}

// symbolsIn returns the symbolic accounts a job's facts rest on, sorted.
func (ix *planIndex) symbolsIn(f *access.Facts) []string {
	cg := ix.creds
	if cg == nil || len(cg.symbols) == 0 {
		return nil
	}
	var out []string
	add := func(s string) {
		for _, m := range symbolPattern.FindAllString(s, -1) {
			if cg.symbols[m] != nil && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	if f.Role != nil {
		add(f.Role.Account.V)
	}
	for _, bk := range f.Buckets {
		add(bk.Owner.V)
	}
	for _, k := range f.Keys {
		add(k.Account.V)
	}
	slices.Sort(out)
	return out
}

// checkAccounts checks a job whose facts rest on symbolic accounts. Two
// credential groups whose accounts are not both known may be one account or
// two: the job is checked once as the facts stand (each symbol its own
// account) and once for each way a symbol may coincide with another account
// of the facts; where the answers differ, the differing findings give way to
// one unknown finding per check naming the account that is missing.
//
// opts are those of the check of the facts as they stand; the variants are
// checked on their own (access.Options.Run shares an organization by
// pointer, and each variant holds a copy).
func checkAccounts(ix *planIndex, f *access.Facts, opts access.Options) (*access.JobReport, error) {
	base, err := check(f, opts)
	if err != nil {
		return nil, err
	}
	syms := ix.symbolsIn(f)
	if len(syms) == 0 {
		return base, nil
	}
	text, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("internal error while checking accounts: %w", err)
	}
	others := accountsIn(f, text)
	var notes []string
	if len(others) > maxAccountVariants {
		notes = append(notes, fmt.Sprintf("the facts name %d accounts; the unknown account was tried as the first %d of them only", len(others), maxAccountVariants))
		others = others[:maxAccountVariants]
	}
	type diff struct {
		sym, other string
		variant    *access.JobReport
	}
	var diffs []diff
	for _, sym := range syms {
		for _, other := range others {
			if other == sym || (ix.creds.symbols[other] != nil && other < sym) {
				continue
			}
			var vf access.Facts
			if json.Unmarshal(bytes.ReplaceAll(text, []byte(sym), []byte(other)), &vf) != nil {
				continue
			}
			v, err := check(&vf, access.Options{})
			if err != nil {
				return nil, err
			}
			if !sameDecisions(base, v) {
				diffs = append(diffs, diff{sym, other, v})
			}
		}
	}
	base.Notes = append(base.Notes, notes...)
	if len(diffs) == 0 {
		return base, nil
	}
	// Keep what every answer agrees on; the rest is unknown.
	agreed := findingKeys(base)
	for _, d := range diffs {
		vk := findingKeys(d.variant)
		for k := range agreed {
			if !vk[k] {
				delete(agreed, k)
			}
		}
	}
	out := *base
	out.Findings = nil
	byCheck := map[access.CheckID]*access.Finding{}
	var order []access.CheckID
	addUnknown := func(fd access.Finding, d diff) {
		u := byCheck[fd.ID]
		if u == nil {
			g := ix.creds.symbols[d.sym]
			what := "the " + g.name()
			because := fmt.Sprintf("%s is not known; it may be account %s, which the job's policies name, and the decision differs if it is", what, d.other)
			if og := ix.creds.symbols[d.other]; og != nil {
				because = fmt.Sprintf("%s and the %s are not known and their credential settings differ: whether they are one account is not known, and the decision differs", what, og.name())
			} else if og := ix.groupWithAccount(d.other); og != nil {
				because = fmt.Sprintf("%s is not known and its credential settings differ from those of provider %s (account %s): whether they are one account is not known, and the decision differs", what, strings.Join(og.keys, "/"), d.other)
			}
			u = &access.Finding{ID: fd.ID, Title: access.Titles[fd.ID], Verdict: access.UnknownVerd, Job: fd.Job, Reason: access.ReasonAccountUnknown,
				Because: because,
				Missing: []access.Missing{{Fact: what, How: "set allowed_account_ids or assume_role on the provider configuration, or read data \"aws_caller_identity\" through it"}}}
			byCheck[fd.ID] = u
			order = append(order, fd.ID)
		}
		for _, n := range fd.Needs {
			if !slices.Contains(u.Needs, n) {
				u.Needs = append(u.Needs, n)
			}
		}
	}
	for _, fd := range base.Findings {
		if agreed[findingKey(fd)] {
			out.Findings = append(out.Findings, fd)
		} else {
			addUnknown(fd, diffs[0])
		}
	}
	for _, d := range diffs {
		for _, fd := range d.variant.Findings {
			if !agreed[findingKey(fd)] {
				addUnknown(fd, d)
			}
		}
	}
	for _, id := range order {
		out.Findings = append(out.Findings, *byCheck[id])
	}
	out.Verdict = access.JobAllowed
	for _, fd := range out.Findings {
		switch {
		case fd.Verdict == access.Deny:
			out.Verdict = access.JobDenied
		case out.Verdict == access.JobAllowed:
			out.Verdict = access.JobUnknown
		}
	}
	return &out, nil
}

// maxAccountVariants bounds the accounts a symbolic account is tried as,
// beyond those of the job's role, buckets and keys.
const maxAccountVariants = 16

// accountNumber finds twelve-digit numbers standing alone in text: account
// ids in ARNs and principals.
var accountNumber = regexp.MustCompile(`(?:^|[^0-9])([0-9]{12})(?:[^0-9]|$)`)

// accountsIn returns the accounts a symbolic account of a job's facts may
// turn out to be: those of its role, buckets and keys (known or symbolic),
// and every account number its policies name (a policy may name the very
// account whose number the provider configuration does not reveal, read
// from a variable). Sorted, the role's, buckets' and keys' first.
func accountsIn(f *access.Facts, text []byte) []string {
	var out []string
	add := func(v access.Value[string]) {
		if v.Known && v.V != "" && !slices.Contains(out, v.V) {
			out = append(out, v.V)
		}
	}
	if f.Role != nil {
		add(f.Role.Account)
	}
	for _, bk := range f.Buckets {
		add(bk.Owner)
	}
	for _, k := range f.Keys {
		add(k.Account)
	}
	slices.Sort(out)
	var named []string
	for _, m := range accountNumber.FindAllSubmatch(text, -1) {
		if a := string(m[1]); !slices.Contains(out, a) && !slices.Contains(named, a) {
			named = append(named, a)
		}
	}
	slices.Sort(named)
	return append(out, named...)
}

// findingKey is what makes two findings the same decision.
func findingKey(fd access.Finding) string {
	var needs []string
	for _, n := range fd.Needs {
		needs = append(needs, n.Action+" "+n.Resource)
	}
	return string(fd.ID) + "|" + string(fd.Verdict) + "|" + fd.Reason + "|" + strings.Join(needs, ",")
}

func findingKeys(jr *access.JobReport) map[string]bool {
	out := map[string]bool{}
	for _, fd := range jr.Findings {
		out[findingKey(fd)] = true
	}
	return out
}

// sameDecisions reports whether two reports decide the job alike.
func sameDecisions(a, b *access.JobReport) bool {
	if a.Verdict != b.Verdict || len(a.Findings) != len(b.Findings) {
		return false
	}
	ka, kb := findingKeys(a), findingKeys(b)
	for k := range ka {
		if !kb[k] {
			return false
		}
	}
	return true
}

// groupWithAccount returns the credential group whose known account is
// account, nil when none.
func (ix *planIndex) groupWithAccount(account string) *credGroup {
	for _, g := range ix.credGroups().groups {
		if g.account == account {
			return g
		}
	}
	return nil
}
