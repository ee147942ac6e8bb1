package validator

import (
	"maps"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// resolver answers "what is the value of attribute attr of the resource
// instance at address". The plan reader asks it for every value it needs, so
// values the plan leaves unknown can later be supplied by evaluating the
// configuration: chain a configuration evaluator after the plan's own resolver.
type resolver interface {
	// Resolve returns the value at attr (a dot path, "arn" or "rule.0.payer")
	// and true, or false when the resolver cannot tell.
	Resolve(address, attr string) (any, bool)
}

// sourcedResolver is a resolver that also says where each value came from:
// the configuration's file:line, and how a value neither the plan nor the
// configuration states was derived. Facts carry that provenance.
type sourcedResolver interface {
	resolver
	ResolveFrom(address, attr string) (any, access.Provenance, bool)
}

// resolveFrom asks res for a value with its provenance; a plain resolver's
// values come from the attribute itself.
func resolveFrom(res resolver, address, attr string) (any, access.Provenance, bool) {
	if s, ok := res.(sourcedResolver); ok {
		return s.ResolveFrom(address, attr)
	}
	v, ok := res.Resolve(address, attr)
	return v, access.Provenance{Address: address, Attribute: attr}, ok
}

// chain asks each resolver in turn; the first that knows wins.
type chain []resolver

// Resolve implements resolver.
func (c chain) Resolve(address, attr string) (any, bool) {
	v, _, ok := c.ResolveFrom(address, attr)
	return v, ok
}

// ResolveFrom implements sourcedResolver.
func (c chain) ResolveFrom(address, attr string) (any, access.Provenance, bool) {
	for _, r := range c {
		if v, p, ok := resolveFrom(r, address, attr); ok {
			return v, p, true
		}
	}
	return nil, access.Provenance{}, false
}

// planResolver answers from the planned values and derives what terraform
// computes from known inputs (an S3 bucket ARN from its name, a role ARN from
// account, path and name).
type planResolver struct {
	ix *planIndex
}

// Resolve implements resolver.
func (p planResolver) Resolve(address, attr string) (any, bool) {
	if v, ok := (planValues(p)).Resolve(address, attr); ok {
		return v, true
	}
	return planDerived(p).Resolve(address, attr)
}

// planValues answers with values the plan states, partly unknown ones
// included (an unknown map element is absent).
type planValues planResolver

// Resolve implements resolver.
func (p planValues) Resolve(address, attr string) (any, bool) {
	if r := p.ix.Lookup(address); r != nil {
		return r.Known(attr)
	}
	return nil, false
}

// planWhole answers only with values the plan states wholly, so that the
// configuration evaluator, asked next, completes partly unknown ones and
// derivations come with their file:line.
type planWhole planResolver

// Resolve implements resolver.
func (p planWhole) Resolve(address, attr string) (any, bool) {
	r := p.ix.Lookup(address)
	if r == nil {
		return nil, false
	}
	v, ok := r.Known(attr)
	if !ok || planjson.AnyUnknown(r.UnknownAt(attr)) {
		return nil, false
	}
	return v, true
}

// planDerived answers only what follows from known plan values.
type planDerived planResolver

// Resolve implements resolver.
func (p planDerived) Resolve(address, attr string) (any, bool) {
	if r := p.ix.Lookup(address); r != nil {
		if s, ok := planResolver(p).derive(r, attr); ok {
			return s, true
		}
	}
	return nil, false
}

// derive computes attributes terraform leaves unknown although they follow
// from known values.
func (p planResolver) derive(r *planjson.Resource, attr string) (string, bool) {
	str := func(a string) (string, bool) {
		v, ok := r.Known(a)
		s, isStr := v.(string)
		return s, ok && isStr && s != ""
	}
	switch r.Type + "." + attr {
	case "aws_s3_bucket.arn":
		if b, ok := str("bucket"); ok {
			return awsid.BucketARN(p.ix.partition(), b), true
		}
	case "aws_s3_bucket.id", "aws_s3_bucket.bucket":
		if b, ok := str("bucket"); ok {
			return b, true
		}
	case "aws_iam_role.arn", "aws_iam_policy.arn":
		name, ok := str("name")
		acct, aok := p.ix.accountOf(r)
		if !aok {
			// The account is not known: the symbolic account of the
			// provider's credential group stands for it.
			acct, _, aok = p.ix.accountOrSymbol(r.ProviderKey())
		}
		if !ok || !aok {
			return "", false
		}
		path, ok := str("path")
		if !ok {
			if r.Mode == tfjson.DataResourceMode {
				// A role or policy read only at apply may have any path.
				return "", false
			}
			path = "/"
		}
		kind := "role"
		if r.Type == "aws_iam_policy" {
			kind = "policy"
		}
		return "arn:" + p.ix.partition() + ":iam::" + acct + ":" + kind + path + name, true
	case "aws_iam_role.id", "aws_iam_role.name":
		return str("name")
	case "aws_glue_connection.name", "aws_glue_security_configuration.name", "aws_glue_job.name":
		return str("name")
	}
	return "", false
}

// accountFromARN returns the account field of an ARN.
func accountFromARN(arn string) (string, bool) {
	a, ok := awsid.ParseAccountARN(arn)
	return a.Account, ok
}

// partition returns the partition read from the first ARN in the plan's
// known values or its provider configurations' assume_role, "aws" when none
// shows it.
func (ix *planIndex) partition() string {
	if ix.partitionName != "" {
		return ix.partitionName
	}
	ix.partitionName = "aws"
	for _, r := range ix.Resources {
		if r.Mode == tfjson.DataResourceMode && r.Type == "aws_partition" {
			if p, ok := r.Attribute("partition").(string); ok && p != "" {
				ix.partitionName = p
				return p
			}
		}
	}
	if ix.ProviderConfigs != nil {
		for _, key := range slices.Sorted(maps.Keys(ix.ProviderConfigs)) {
			pc := ix.ProviderConfigs[key]
			if pc == nil || pc.Expressions["assume_role"] == nil {
				continue
			}
			for _, blk := range pc.Expressions["assume_role"].NestedBlocks {
				if e := blk["role_arn"]; e != nil {
					if s, ok := e.ConstantValue.(string); ok {
						if a, ok := awsid.ParseAccountARN(s); ok {
							ix.partitionName = a.Partition
							return ix.partitionName
						}
					}
				}
			}
		}
	}
	for _, r := range ix.Resources {
		if s, ok := r.Attribute("arn").(string); ok {
			if a, ok := awsid.ParseAccountARN(s); ok {
				ix.partitionName = a.Partition
				break
			}
		}
	}
	return ix.partitionName
}

// accountOf returns the account a resource is created in (docs/validate.md#accounts): its own ARN,
// data aws_caller_identity read through the same provider configuration, the
// provider's last assume_role role ARN, a single allowed_account_ids entry.
func (ix *planIndex) accountOf(r *planjson.Resource) (string, bool) {
	if s, ok := r.Attribute("arn").(string); ok {
		if a, ok := accountFromARN(s); ok {
			return a, true
		}
	}
	return ix.accountOfProvider(r.ProviderKey())
}

// accountOfProvider returns the account a provider configuration acts in: the
// one it reveals, or one another configuration with the same credential
// settings reveals (see credGroups).
func (ix *planIndex) accountOfProvider(key string) (string, bool) {
	if a := ix.directAccount(key); a != "" {
		return a, true
	}
	if g := ix.credGroups().groupOf[key]; g != nil && g.account != "" {
		return g.account, true
	}
	return "", false
}

// declareAccount supplies the account of a provider configuration the plan
// does not show (from the configuration file).
func (ix *planIndex) declareAccount(key, account string) {
	if ix.directAccount(key) == "" {
		if ix.accounts == nil {
			ix.accounts = map[string]string{}
		}
		ix.accounts[key] = account
		ix.creds = nil
	}
}

func (ix *planIndex) providerAccount(key string) string {
	for _, r := range ix.dataOf(key) {
		if r.Type == "aws_caller_identity" {
			if a, ok := r.Attribute("account_id").(string); ok && a != "" {
				return a
			}
		}
	}
	// What a data source finds by name is in the caller's account: IAM
	// GetRole reads the caller's roles, and a KMS alias name resolves in the
	// caller's account ("Using aliases", AWS KMS Developer Guide).
	for _, r := range ix.dataOf(key) {
		if r.Type == "aws_iam_role" || r.Type == "aws_kms_alias" {
			if s, ok := r.Attribute("arn").(string); ok {
				if a, ok := accountFromARN(s); ok {
					return a
				}
			}
		}
	}
	pc := ix.ProviderConfigs[key]
	if pc == nil {
		return ""
	}
	if e := pc.Expressions["assume_role"]; e != nil && len(e.NestedBlocks) > 0 {
		last := e.NestedBlocks[len(e.NestedBlocks)-1]
		if a, ok := ix.roleARNAccount(key, last["role_arn"]); ok {
			return a
		}
	}
	if e := pc.Expressions["assume_role_with_web_identity"]; e != nil && len(e.NestedBlocks) > 0 {
		if a, ok := ix.roleARNAccount(key, e.NestedBlocks[0]["role_arn"]); ok {
			return a
		}
	}
	if e := pc.Expressions["allowed_account_ids"]; e != nil {
		v, ok := constant(e)
		if !ok {
			v, _ = ix.variableOf(key, e)
		}
		switch t := v.(type) {
		case []any:
			if len(t) == 1 {
				if s, ok := t[0].(string); ok && awsid.IsAccountID(s) {
					return s
				}
			}
		case string:
			// [var.account_id]: the one reference is the one entry.
			if awsid.IsAccountID(t) {
				return t
			}
		}
	}
	return ""
}

// roleARNAccount returns the account of an assume_role role_arn: a constant
// ARN, or one built from a single input variable holding the ARN or the
// account id ("arn:aws:iam::${var.account_id}:role/deploy").
func (ix *planIndex) roleARNAccount(key string, e *tfjson.Expression) (string, bool) {
	if e == nil {
		return "", false
	}
	v, isConst := constant(e)
	if !isConst {
		v, _ = ix.variableOf(key, e)
	}
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	if a, ok := accountFromARN(s); ok {
		return a, true
	}
	if awsid.IsAccountID(s) && !isConst {
		return s, true
	}
	return "", false
}

// constant returns an expression's constant value; ok is false when the
// expression is not a constant (terraform-json marks that with
// UnknownConstantValue).
func constant(e *tfjson.Expression) (any, bool) {
	if e.ConstantValue == nil || e.ConstantValue == tfjson.UnknownConstantValue {
		return nil, false
	}
	return e.ConstantValue, true
}

// variableOf evaluates the simplest provider expressions without the
// configuration: one that references a single root module input variable
// (and nothing else) is taken to be built from its value, which the plan
// records. Provider configurations of child modules and expressions with
// locals or several references are left to the configuration evaluator.
func (ix *planIndex) variableOf(key string, e *tfjson.Expression) (any, bool) {
	if strings.Contains(key, ":") || e == nil || len(e.References) != 1 || !strings.HasPrefix(e.References[0], "var.") {
		return nil, false
	}
	return ix.Variable(strings.TrimPrefix(e.References[0], "var."))
}

// dataOf returns the data resources read through a provider configuration,
// in plan order. Indexed once: the plan's provider configurations each ask,
// and scanning every resource for each of them made plans with many
// accounts cost their providers times their resources.
func (ix *planIndex) dataOf(key string) []*planjson.Resource {
	if ix.dataByProvider == nil {
		ix.dataByProvider = map[string][]*planjson.Resource{}
		for _, r := range ix.Resources {
			if r.Mode == tfjson.DataResourceMode {
				k := r.ProviderKey()
				ix.dataByProvider[k] = append(ix.dataByProvider[k], r)
			}
		}
	}
	return ix.dataByProvider[key]
}

// regionOf returns the region a provider configuration targets: its
// region argument, else a data aws_region read through it.
func (ix *planIndex) regionOf(key string) (string, bool) {
	if ix.ProviderConfigs != nil {
		if pc := ix.ProviderConfigs[key]; pc != nil {
			if e := pc.Expressions["region"]; e != nil {
				if s, ok := e.ConstantValue.(string); ok && s != "" {
					return s, true
				}
			}
		}
	}
	for _, r := range ix.dataOf(key) {
		if r.Type == "aws_region" {
			for _, a := range []string{"region", "name"} {
				if s, ok := r.Attribute(a).(string); ok && s != "" {
					return s, true
				}
			}
		}
	}
	return "", false
}
