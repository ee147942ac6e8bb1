package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
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
func (ix *Plan) credGroups() *credGroups {
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
		if k := providerKey(r); k != "" && strings.HasPrefix(r.Type, "aws_") {
			keys[k] = true
		}
	}
	cg := &credGroups{groupOf: map[string]*credGroup{}, symbols: map[string]*credGroup{}}
	byPrint := map[string]*credGroup{}
	for _, key := range sortedKeys(keys) {
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
				g.account, g.from = a, "provider "+key
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

// mentions reports whether any planned value or provider configuration holds s.
func (ix *Plan) mentions(s string) bool {
	b := []byte(s)
	for _, r := range ix.Resources {
		if bytes.Contains(r.values.text, b) {
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
func (ix *Plan) directAccount(key string) string {
	if a, ok := ix.accounts[key]; ok {
		return a
	}
	a := ix.providerAccount(key)
	if ix.accounts == nil {
		ix.accounts = map[string]string{}
	}
	ix.accounts[key] = a
	return a
}

// accountOrSymbol returns the account of a provider configuration, or, when
// it is not known, the symbolic account of its credential group (sym true).
// ok is false only for a key that is not an aws provider configuration.
func (ix *Plan) accountOrSymbol(key string) (acct string, sym, ok bool) {
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
func (ix *Plan) learnAccount(key, account, from string) {
	g := ix.credGroups().groupOf[key]
	if g == nil || g.account != "" || account == "" {
		return
	}
	delete(ix.creds.symbols, g.symbol)
	g.account, g.from, g.symbol = account, from, ""
}

// soleAccount returns the account (or symbolic account) every aws provider
// configuration of the plan shares, when they form one credential group.
func (ix *Plan) soleAccount() (string, bool) {
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
func (b *builder) accountValue(r *Resource) access.Value[string] {
	key := providerKey(r)
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
var callerSupplied = regexp.MustCompile(`account (9999\d{8}) supplied by the caller for provider (\S+)`)

// describeSymbols rewrites, in every text of the report, the symbolic
// accounts as what they stand for, and notes on each job that relies on one
// that the account is not known but shared.
func (ix *Plan) describeSymbols(v any) {
	cg := ix.creds
	if cg == nil || len(cg.symbols) == 0 {
		return
	}
	rewrite := func(s string) string {
		if !strings.Contains(s, "9999") {
			return s
		}
		s = callerSupplied.ReplaceAllStringFunc(s, func(m string) string {
			sub := callerSupplied.FindStringSubmatch(m)
			if g := cg.symbols[sub[1]]; g != nil {
				return "the " + g.name() + " is not known; every resource created through it is in that one account"
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
func (ix *Plan) symbolsIn(f *access.Facts) []string {
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
