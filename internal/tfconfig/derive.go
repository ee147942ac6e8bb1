package tfconfig

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

// derivers compute, per resource type and attribute, values AWS assigns at apply whose form
// is fixed by other attributes; dataDerivers do the same for data sources. They are filled
// in init because derivers evaluate other attributes, which may consult these tables.
var derivers, dataDerivers map[string]map[string]func(d *deriveCtx) cty.Value

func init() {
	derivers = map[string]map[string]func(d *deriveCtx) cty.Value{
		"aws_s3_bucket": {
			"id":            func(d *deriveCtx) cty.Value { return d.same("the bucket id is its name", "bucket") },
			"bucket_region": func(d *deriveCtx) cty.Value { return d.region() },
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("bucket ARN derived from its name", "arn:%s:s3:::%s", d.partition(), d.attr("bucket"))
			},
		},
		"aws_iam_role": {
			"id":   func(d *deriveCtx) cty.Value { return d.same("the id is the name", "name") },
			"name": func(d *deriveCtx) cty.Value { return d.generatedName() },
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("role ARN derived from account, path and name", "arn:%s:iam::%s:role%s%s", d.partition(), d.account(), d.path(), d.attr("name"))
			},
		},
		"aws_iam_policy": {
			"id":   func(d *deriveCtx) cty.Value { return d.same("the id is the ARN", "arn") },
			"name": func(d *deriveCtx) cty.Value { return d.generatedName() },
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("policy ARN derived from account, path and name", "arn:%s:iam::%s:policy%s%s", d.partition(), d.account(), d.path(), d.attr("name"))
			},
		},
		"aws_iam_role_policy": {
			"id": func(d *deriveCtx) cty.Value {
				return d.format("inline policy id derived from role and name", "%s:%s", d.attr("role"), d.attr("name"))
			},
		},
		"aws_kms_key": {
			"key_id": func(d *deriveCtx) cty.Value { return d.symbolic("", "") },
			"id":     func(d *deriveCtx) cty.Value { return d.same("the id is the key id", "key_id") },
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("key ARN derived from region, account and key id", "arn:%s:kms:%s:%s:key/%s", d.partition(), d.region(), d.account(), d.attr("key_id"))
			},
		},
		"aws_kms_alias": {
			"id": func(d *deriveCtx) cty.Value { return d.same("the id is the name", "name") },
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("alias ARN derived from region, account and name", "arn:%s:kms:%s:%s:%s", d.partition(), d.region(), d.account(), d.attr("name"))
			},
			"target_key_arn": func(d *deriveCtx) cty.Value {
				target := d.attr("target_key_id")
				if s, ok := knownString(target); ok && strings.HasPrefix(s, "arn:") {
					return target
				}
				return d.format("target key ARN derived from region, account and key id", "arn:%s:kms:%s:%s:key/%s", d.partition(), d.region(), d.account(), target)
			},
		},
		"aws_vpc_endpoint": {"id": func(d *deriveCtx) cty.Value { return d.symbolic("vpce-", "") }},
		"aws_vpc": {
			"id": func(d *deriveCtx) cty.Value { return d.symbolic("vpc-", "") },
			// A new VPC's main route table is also its default route table.
			"main_route_table_id":    func(d *deriveCtx) cty.Value { return d.symbolic("rtb-", "main route table") },
			"default_route_table_id": func(d *deriveCtx) cty.Value { return d.symbolic("rtb-", "main route table") },
		},
		"aws_subnet":           {"id": func(d *deriveCtx) cty.Value { return d.symbolic("subnet-", "") }},
		"aws_route_table":      {"id": func(d *deriveCtx) cty.Value { return d.symbolic("rtb-", "") }},
		"aws_security_group":   {"id": func(d *deriveCtx) cty.Value { return d.symbolic("sg-", "") }},
		"aws_internet_gateway": {"id": func(d *deriveCtx) cty.Value { return d.symbolic("igw-", "") }},
		"aws_nat_gateway":      {"id": func(d *deriveCtx) cty.Value { return d.symbolic("nat-", "") }},
		"aws_glue_job": {
			"id": func(d *deriveCtx) cty.Value { return d.same("the id is the name", "name") },
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("job ARN derived from region, account and name", "arn:%s:glue:%s:%s:job/%s", d.partition(), d.region(), d.account(), d.attr("name"))
			},
		},
		"aws_glue_connection": {
			"catalog_id": func(d *deriveCtx) cty.Value { return d.account() },
			"id": func(d *deriveCtx) cty.Value {
				return d.format("connection id derived from catalog and name", "%s:%s", d.attr("catalog_id"), d.attr("name"))
			},
			"arn": func(d *deriveCtx) cty.Value {
				return d.format("connection ARN derived from region, account and name", "arn:%s:glue:%s:%s:connection/%s", d.partition(), d.region(), d.account(), d.attr("name"))
			},
		},
		"aws_glue_security_configuration": {
			"id": func(d *deriveCtx) cty.Value { return d.same("the id is the name", "name") },
		},
		"aws_s3_bucket_policy":                               {"id": bucketID},
		"aws_s3_bucket_ownership_controls":                   {"id": bucketID},
		"aws_s3_bucket_public_access_block":                  {"id": bucketID},
		"aws_s3_bucket_request_payment_configuration":        {"id": bucketID},
		"aws_s3_bucket_server_side_encryption_configuration": {"id": bucketID},
		"aws_kms_key_policy":                                 {"id": func(d *deriveCtx) cty.Value { return d.same("the id is the key id", "key_id") }},
		"aws_organizations_policy":                           {"id": func(d *deriveCtx) cty.Value { return d.symbolic("p-", "") }},
		"aws_organizations_organizational_unit":              {"id": func(d *deriveCtx) cty.Value { return d.symbolic("ou-", "") }},
		"aws_organizations_organization": {
			"roots": func(d *deriveCtx) cty.Value {
				id := d.symbolic("r-", "root")
				return cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"id": id, "name": cty.StringVal("Root")})})
			},
		},
	}

	dataDerivers = map[string]map[string]func(d *deriveCtx) cty.Value{
		"aws_caller_identity": {
			"account_id": func(d *deriveCtx) cty.Value { return d.account() },
			"id":         func(d *deriveCtx) cty.Value { return d.account() },
		},
		"aws_partition": {
			"partition": func(d *deriveCtx) cty.Value { return d.format("partition", "%s", d.partition()) },
			"id":        func(d *deriveCtx) cty.Value { return d.format("partition", "%s", d.partition()) },
		},
		"aws_region": {
			"name":   func(d *deriveCtx) cty.Value { return d.region() },
			"region": func(d *deriveCtx) cty.Value { return d.region() },
			"id":     func(d *deriveCtx) cty.Value { return d.region() },
		},
		"aws_iam_policy_document": {
			"json":          func(d *deriveCtx) cty.Value { return d.policyDocument(false) },
			"minified_json": func(d *deriveCtx) cty.Value { return d.policyDocument(true) },
			"id": func(d *deriveCtx) cty.Value {
				j := d.attr("json")
				s, ok := knownString(j)
				if !ok {
					return j
				}
				_, marks := j.UnmarkDeep()
				return d.format("the id is the checksum of its json", "%s", cty.StringVal(policydoc.ID(s)).WithMarks(marks))
			},
		},
	}

}

func bucketID(d *deriveCtx) cty.Value { return d.same("the id is the bucket name", "bucket") }

func derivableNames(r *Resource) []string {
	table := derivers
	if r.Mode == Data {
		table = dataDerivers
	}
	return slices.Sorted(maps.Keys(table[r.Type]))
}

// deriveCtx gives a deriver access to the instance's other attributes and its provider.
type deriveCtx struct {
	sc    *scope
	r     *Resource
	key   cty.Value
	rep   repetition
	name  string
	addr  string
	diags hcl.Diagnostics
}

func (sc *scope) derive(r *Resource, key cty.Value, rep repetition, name string) (cty.Value, bool, hcl.Diagnostics) {
	table := derivers
	if r.Mode == Data {
		table = dataDerivers
	}
	f := table[r.Type][name]
	if f == nil {
		return cty.NilVal, false, nil
	}
	d := &deriveCtx{sc: sc, r: r, key: key, rep: rep, name: name, addr: instanceAddress(sc.addr, r.Address(), key)}
	v := f(d)
	return v, true, d.diags
}

func (d *deriveCtx) attr(name string) cty.Value {
	v, _, diags := d.sc.instanceAttr(d.r, d.key, d.rep, name)
	d.diags = append(d.diags, diags...)
	return v
}

// note is the provenance text for what d derives.
func (d *deriveCtx) note(what string) string {
	return fmt.Sprintf("%s.%s: %s (%s)", d.addr, d.name, what, rangeString(d.r.DeclRange))
}

// format builds a string from parts, carrying their marks; an unknown or null part makes
// the result unknown, naming this attribute.
func (d *deriveCtx) format(what, format string, parts ...cty.Value) cty.Value {
	args := make([]any, len(parts))
	var marks []cty.ValueMarks
	for i, p := range parts {
		plain, m := p.UnmarkDeep()
		marks = append(marks, m)
		if !plain.IsKnown() || plain.IsNull() || plain.Type() != cty.String {
			return unknown("%s.%s needs values not known at plan time", d.addr, d.name).WithMarks(marks...)
		}
		args[i] = plain.AsString()
	}
	return cty.StringVal(fmt.Sprintf(format, args...)).WithMarks(marks...).Mark(derivedMark(d.note(what)))
}

// symbolicMarker starts every symbolic id this package makes up.
const symbolicMarker = "symbolic-"

// IsSymbolic reports whether s contains an id this package made up for a resource AWS has
// not created yet (a KMS key id, a VPC endpoint id, an organizations id). Such an id is
// unique to the resource's address, so it matches wherever that resource is referenced,
// but it is not the id AWS will assign and should not be shown as one.
func IsSymbolic(s string) bool {
	return strings.Contains(s, symbolicMarker)
}

// symbolic is a made-up id for what the instance creates, stable for its address (and
// part, for a second object the resource creates) and distinct across addresses.
func (d *deriveCtx) symbolic(prefix, part string) cty.Value {
	h := sha256.Sum256([]byte(d.addr + "\x00" + part))
	what := "this resource"
	if part != "" {
		what = "the " + part + " of this resource"
	}
	return cty.StringVal(prefix + symbolicMarker + hex.EncodeToString(h[:8])).Mark(derivedMark(
		d.note("symbolic id unique to " + what + "; AWS assigns the real one at apply")))
}

func (d *deriveCtx) partition() cty.Value {
	return cty.StringVal(d.sc.ev.opts.Partition)
}

// path is an IAM path, "/" when the plan and configuration leave it unset.
func (d *deriveCtx) path() cty.Value {
	p := d.attr("path")
	if plain, _ := p.UnmarkDeep(); plain.IsKnown() && plain.IsNull() {
		return cty.StringVal("/")
	}
	return p
}

// generatedName explains why a name that is not configured stays unknown.
func (d *deriveCtx) generatedName() cty.Value {
	if _, ok, _ := d.sc.configValue(d.r.Body, nil, d.rep, "name_prefix"); ok {
		return unknown("%s.name is generated from name_prefix at apply", d.addr)
	}
	return unknown("%s.name is generated by Terraform at apply", d.addr)
}

// same is another attribute's value under a different name, noted.
func (d *deriveCtx) same(what, attr string) cty.Value {
	return d.format(what, "%s", d.attr(attr))
}

func knownString(v cty.Value) (string, bool) {
	plain, _ := v.UnmarkDeep()
	if !plain.IsKnown() || plain.IsNull() || plain.Type() != cty.String {
		return "", false
	}
	return plain.AsString(), true
}

// providerOf finds the provider configuration a resource uses: in its module, or passed
// down from the calling module (explicitly through providers = {...} or implicitly by name).
func (sc *scope) providerOf(r *Resource) (*scope, *Provider, string) {
	key := r.Provider
	for s := sc; ; s = s.parent {
		if p := s.mod.Providers[key]; p != nil {
			return s, p, key
		}
		if s.call == nil {
			return s, nil, key
		}
		if k, ok := s.call.Providers[key]; ok {
			key = k
		}
	}
}

var providerBlocks = map[string]bool{"assume_role": true, "assume_role_with_web_identity": true}

// account is the AWS account of the resource's provider configuration.
func (d *deriveCtx) account() cty.Value {
	psc, p, key := d.sc.providerOf(d.r)
	label := "account of provider " + key
	if psc.addr != "" {
		label = psc.addr + " " + label
	}
	v, diags := d.sc.ev.memoized(label, d.r.DeclRange, func() (cty.Value, hcl.Diagnostics) {
		return psc.providerAccount(p, key)
	})
	d.diags = append(d.diags, diags...)
	return v
}

func (sc *scope) providerAccount(p *Provider, key string) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if p != nil {
		for _, block := range []string{"assume_role", "assume_role_with_web_identity"} {
			v, ok, d := sc.configValue(p.Body, providerBlocks, repetition{}, block)
			diags = append(diags, d...)
			if !ok || d.HasErrors() {
				continue
			}
			plain, marks := v.UnmarkDeep()
			if !plain.IsWhollyKnown() {
				continue
			}
			blocks := blockList(plain)
			if len(blocks) == 0 {
				continue
			}
			// Several assume_role blocks chain; the last role is the one resources are made with.
			last := blocks[len(blocks)-1]
			if !last.Type().IsObjectType() || !last.Type().HasAttribute("role_arn") {
				continue
			}
			if arn, ok := knownString(last.GetAttr("role_arn")); ok {
				if a, ok := awsid.ParseARN(arn); ok && a.Account != "" {
					return cty.StringVal(a.Account).WithMarks(marks).Mark(derivedMark(fmt.Sprintf(
						"account %s from the %s role_arn of provider %s (%s)", a.Account, block, key, rangeString(p.DeclRange)))), diags
				}
			}
		}
		v, ok, d := sc.configValue(p.Body, nil, repetition{}, "allowed_account_ids")
		diags = append(diags, d...)
		if plain, marks := v.UnmarkDeep(); ok && plain.IsWhollyKnown() && !plain.IsNull() && plain.CanIterateElements() && plain.LengthInt() == 1 {
			it := plain.ElementIterator()
			it.Next()
			_, id := it.Element()
			if s, ok := knownString(id); ok {
				return cty.StringVal(s).WithMarks(marks).Mark(derivedMark(fmt.Sprintf(
					"account %s from allowed_account_ids of provider %s (%s)", s, key, rangeString(p.DeclRange)))), diags
			}
		}
	}
	if id := sc.ev.opts.AccountID; id != "" {
		return cty.StringVal(id).Mark(derivedMark(fmt.Sprintf("account %s supplied by the caller for provider %s", id, key))), diags
	}
	return unknown("the account of provider %s is not known: no assume_role role_arn, no single allowed_account_ids entry, and none supplied", key), diags
}

// region is the resource's region argument (provider v6) or its provider's region.
func (d *deriveCtx) region() cty.Value {
	if v, ok, diags := d.sc.configValue(d.r.Body, nil, d.rep, "region"); ok {
		d.diags = append(d.diags, diags...)
		return v
	}
	psc, p, key := d.sc.providerOf(d.r)
	if p != nil {
		v, ok, diags := psc.configValue(p.Body, nil, repetition{}, "region")
		d.diags = append(d.diags, diags...)
		if ok {
			return v.Mark(derivedMark(fmt.Sprintf("region from provider %s (%s)", key, rangeString(p.DeclRange))))
		}
	}
	if r := d.sc.ev.opts.Region; r != "" {
		return cty.StringVal(r).Mark(derivedMark(fmt.Sprintf("region %s supplied by the caller for provider %s", r, key)))
	}
	return unknown("the region of provider %s is not known", key)
}
