package validator

import (
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/tfconfig"
)

// buildKeys returns the KMS keys of the plan (aws_kms_key and data
// aws_kms_key) with their policies, grants and aliases, in address order.
func (b *builder) buildKeys() []access.KMSKey {
	type keyRes struct {
		r   *planjson.Resource
		key *access.KMSKey
	}
	var keys []keyRes
	byRef := map[string]*access.KMSKey{} // key id, ARN or stand-in → key
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_kms_key") {
			k := &access.KMSKey{Address: r.Address}
			arn, note := b.keyARN(r)
			k.ARN = access.Known(arn, access.Provenance{Address: r.Address, Attribute: "arn", Note: note})
			// A stand-in links everything referring to the key, but fixes
			// must not name it as if AWS had assigned it.
			k.ARNPlaceholder = note != "" || tfconfig.IsSymbolic(arn)
			if note == "" {
				k.KeyID = arn[strings.LastIndexByte(arn, '/')+1:]
			}
			if id := b.str(r, "key_id"); id.Known && id.V != "" {
				k.KeyID = id.V
			}
			if a, ok := accountFromARN(arn); ok {
				k.Account = access.Known(a, k.ARN.From)
			} else if a := b.str(r, "aws_account_id"); a.Known && a.V != "" {
				k.Account = a
			} else if a := b.accountValue(r); a.Known && mode == tfjson.ManagedResourceMode {
				k.Account = a
			} else {
				k.Account = access.Unknown[string](access.Provenance{Address: r.Address, Note: "key owner account"})
			}
			k.Enabled = b.boolean(r, "is_enabled", true)
			switch {
			case mode == tfjson.DataResourceMode:
				// The data source shows no policy.
				k.Policy = &access.PolicyDoc{Label: "key policy of " + r.Address, From: access.Provenance{Address: r.Address, Note: "data source does not return the key policy"}}
			case configured(r, "policy") || !r.Created:
				k.Policy = b.policyDoc(r, "policy", r.Address+" policy")
			}
			byRef[arn] = k
			if k.KeyID != "" {
				byRef[k.KeyID] = k
			}
			byRef[r.Address+".arn"] = k
			byRef[r.Address+".id"] = k
			byRef[r.Address+".key_id"] = k
			keys = append(keys, keyRes{r, k})
		}
	}
	find := func(r *planjson.Resource, attr string) *access.KMSKey {
		v, _, ok := b.linked(r, attr)
		if !ok {
			return nil
		}
		return byRef[v]
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_kms_key_policy") {
		if k := find(r, "key_id"); k != nil {
			k.Policy = b.policyDoc(r, "policy", r.Address)
		}
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_kms_grant") {
		k := find(r, "key_id")
		if k == nil {
			continue
		}
		ops, _ := b.strList(r, "operations")
		g := access.KMSGrant{Label: r.Address, GranteePrincipal: b.linkedValue(r, "grantee_principal"), Operations: ops}
		if eq := b.strMap(r, "constraints.0.encryption_context_equals"); eq.Known && len(eq.V) > 0 {
			g.ContextEquals = eq.V
		}
		if sub := b.strMap(r, "constraints.0.encryption_context_subset"); sub.Known && len(sub.V) > 0 {
			g.ContextSubset = sub.V
		}
		k.Grants = append(k.Grants, g)
	}
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_kms_alias") {
			k := find(r, "target_key_id")
			if k == nil {
				if v := b.str(r, "target_key_arn"); v.Known {
					k = byRef[v.V]
				}
			}
			if k == nil {
				k = b.aliasedKey(r, mode)
				if k == nil {
					continue
				}
				keys = append(keys, keyRes{r, k})
				byRef[k.ARN.V] = k
			}
			if n := b.str(r, "name"); n.Known && n.V != "" {
				k.Aliases = append(k.Aliases, n.V)
				if a, ok := accountFromARN(k.ARN.V); ok {
					key, _ := awsid.ParseARN(k.ARN.V)
					k.Aliases = append(k.Aliases, awsid.ARN{Partition: b.ix.partition(), Service: "kms", Region: key.Region, Account: a, Resource: n.V}.String())
				}
			}
			if a := b.str(r, "arn"); a.Known && a.V != "" && !contains(k.Aliases, a.V) {
				k.Aliases = append(k.Aliases, a.V)
			}
		}
	}
	out := make([]access.KMSKey, 0, len(keys))
	for _, kr := range keys {
		sort.Strings(kr.key.Aliases)
		out = append(out, *kr.key)
	}
	return out
}

// keyARN returns a key's ARN. A new key's ARN is unknown until apply; it is
// then built from the provider's region and account with the resource address
// standing for the key id, so everything referring to the key (security
// configurations, bucket encryption, grants) names the same ARN. note says so;
// it is "" for an ARN the plan or the configuration gives (which may still
// hold a symbolic key id, see tfconfig.IsSymbolic).
func (b *builder) keyARN(r *planjson.Resource) (arn, note string) {
	if v, ok := b.raw(r, "arn"); ok {
		if s, ok := v.(string); ok && s != "" {
			return s, ""
		}
	}
	region, rok := b.ix.regionOf(r.ProviderKey())
	if rg := b.str(r, "region"); rg.Known && rg.V != "" {
		region, rok = rg.V, true
	}
	acct, _, aok := b.ix.accountOrSymbol(r.ProviderKey())
	if !rok || !aok {
		return b.symbol(r, "arn"), "ARN known after apply"
	}
	return "arn:" + b.ix.partition() + ":kms:" + region + ":" + acct + ":key/" + r.Address, "key id known after apply; the address stands for it"
}

// linkedValue is linked as a Value.
func (b *builder) linkedValue(r *planjson.Resource, attr string) access.Value[string] {
	v, _, ok := b.linked(r, attr)
	if !ok {
		return access.Unknown[string](from(r, attr))
	}
	return access.Known(v, from(r, attr))
}

// aliasedKey is the key a data "aws_kms_alias" targets when no key of the
// plan is that key: the data source reveals the key's ARN (hence its account
// and Region), not its key policy nor whether it is enabled. nil for a managed
// alias, or a target not known at plan time.
func (b *builder) aliasedKey(r *planjson.Resource, mode tfjson.ResourceMode) *access.KMSKey {
	if mode != tfjson.DataResourceMode {
		return nil
	}
	arn := b.str(r, "target_key_arn")
	if !arn.Known || arn.V == "" {
		return nil
	}
	k := &access.KMSKey{ARN: arn, Address: r.Address, KeyID: arn.V[strings.LastIndexByte(arn.V, '/')+1:]}
	if a, ok := accountFromARN(arn.V); ok {
		k.Account = access.Known(a, arn.From)
	} else {
		k.Account = access.Unknown[string](access.Provenance{Address: r.Address, Note: "key owner account"})
	}
	k.Policy = &access.PolicyDoc{Label: "key policy of " + arn.V, From: access.Provenance{Address: r.Address, Note: "data \"aws_kms_alias\" does not reveal the key policy"}}
	k.Enabled = access.Unknown[bool](access.Provenance{Address: r.Address, Note: "data \"aws_kms_alias\" does not reveal whether the key is enabled"})
	return k
}
