package tfconfig

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ProviderConfig is the provider configuration a resource instance uses, with its
// arguments evaluated like any other expression (variables, locals, functions), so that
// allowed_account_ids = [var.account_id], a role_arn built with "${var.account}" or a
// region from a variable are known when the plan records only constants.
type ProviderConfig struct {
	// Key is the configuration as the resource's module names it ("aws" or "aws.west");
	// Module is the module instance that declares it ("" for the root module).
	Key    string
	Module string
	// Declared reports whether a provider block exists; without one, only the caller's
	// Options give a region or an account.
	Declared bool
	// Region is the region argument, or Options.Region when the block has none.
	Region Value
	// AllowedAccountIDs is the allowed_account_ids argument (null when unset).
	AllowedAccountIDs Value
	// AssumeRoleARN is role_arn of the last assume_role block, the role resources are made
	// with (null when there is none).
	AssumeRoleARN Value
	// Account is the account resources made with this configuration belong to: from
	// AssumeRoleARN, from a single AllowedAccountIDs entry, or Options.AccountID; unknown
	// otherwise. Its Derived notes say which.
	Account Value
	// Range is the provider block, or the resource block when there is none.
	Range hcl.Range
}

// ProviderFor returns the provider configuration the resource instance at address uses:
// its own module's, or the one passed down by the calling modules.
func (ev *Evaluator) ProviderFor(address string) (pc ProviderConfig, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error evaluating the provider of %s: %v", address, p)
		}
	}()
	sc, r, _, _, err := ev.instanceOf(address)
	if err != nil {
		return ProviderConfig{}, err
	}
	psc, p, key := sc.providerOf(r)
	pc = ProviderConfig{Key: key, Module: psc.addr, Declared: p != nil, Range: r.DeclRange}
	var diags hcl.Diagnostics
	null := cty.NullVal(cty.DynamicPseudoType)
	region, allowed, roleARN := null, null, null
	if p != nil {
		pc.Range = p.DeclRange
		var d hcl.Diagnostics
		region, d = psc.providerArg(p, "region")
		diags = append(diags, d...)
		allowed, d = psc.providerArg(p, "allowed_account_ids")
		diags = append(diags, d...)
		roleARN, d = psc.assumeRoleARN(p)
		diags = append(diags, d...)
	}
	if plain, _ := region.UnmarkDeep(); plain.IsKnown() && plain.IsNull() {
		if ev.opts.Region != "" {
			region = cty.StringVal(ev.opts.Region).Mark(derivedMark(fmt.Sprintf("region %s supplied by the caller for provider %s", ev.opts.Region, key)))
		} else {
			region = unknown("the region of provider %s is not known", key)
		}
	}
	label := "account of provider " + key
	if psc.addr != "" {
		label = psc.addr + " " + label
	}
	account, d := ev.memoized(label, pc.Range, func() (cty.Value, hcl.Diagnostics) {
		return psc.providerAccount(p, key)
	})
	diags = append(diags, d...)
	if diags.HasErrors() {
		return ProviderConfig{}, fmt.Errorf("evaluate provider %s of %s: %w", key, address, diagError(diags))
	}
	pc.Region = finish(region, pc.Range)
	pc.AllowedAccountIDs = finish(allowed, pc.Range)
	pc.AssumeRoleARN = finish(roleARN, pc.Range)
	pc.Account = finish(account, pc.Range)
	return pc, nil
}

// providerArg evaluates an argument of a provider block; null when it is not set.
func (sc *scope) providerArg(p *Provider, name string) (cty.Value, hcl.Diagnostics) {
	v, ok, diags := sc.configValue(p.Body, nil, repetition{}, name)
	if !ok {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	return v, diags
}

// assumeRoleARN is role_arn of the last assume_role block; null when there is none.
func (sc *scope) assumeRoleARN(p *Provider) (cty.Value, hcl.Diagnostics) {
	v, ok, diags := sc.configValue(p.Body, providerBlocks, repetition{}, "assume_role")
	if !ok || diags.HasErrors() {
		return cty.NullVal(cty.String), diags
	}
	plain, marks := v.Unmark()
	if !plain.IsKnown() {
		return v, diags
	}
	blocks := blockList(plain)
	if len(blocks) == 0 {
		return cty.NullVal(cty.String), diags
	}
	last := blocks[len(blocks)-1]
	if !last.Type().IsObjectType() || !last.Type().HasAttribute("role_arn") {
		return cty.NullVal(cty.String), diags
	}
	return last.GetAttr("role_arn").WithMarks(marks), diags
}
