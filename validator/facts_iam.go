package validator

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// policyDoc reads a policy JSON attribute. Unknown text is followed through the
// configuration, which may give it but for some values (unknown leaves), or
// to a data "aws_iam_policy_document" whose json is known; when that fails too
// the document is present but unknown, naming where it comes from.
func (b *builder) policyDoc(r *planjson.Resource, attr, label string) *access.PolicyDoc {
	if v, src, ok := b.resolve(r, attr); ok {
		if s, ok := v.(string); ok {
			return &access.PolicyDoc{Label: label, JSON: s, Known: true, From: src}
		}
	}
	if ce := configIn(b.res); ce != nil {
		if d, ok := ce.partialDocument(r.Address, attr, label); ok {
			return d
		}
	}
	if t, ok := b.ix.Reference(r, attr); ok && t.Resource.Type == "aws_iam_policy_document" {
		for _, a := range []string{"json", "minified_json"} {
			if v, src, ok := b.resolve(t.Resource, a); ok {
				if s, ok := v.(string); ok && s != "" {
					return &access.PolicyDoc{Label: label, JSON: s, Known: true, From: src}
				}
			}
		}
		return &access.PolicyDoc{Label: label, From: access.Provenance{Address: t.Resource.Address, Attribute: "json", Note: "policy document not known until apply"}}
	}
	return &access.PolicyDoc{Label: label, From: access.Provenance{Address: r.Address, Attribute: attr, Note: "not known until apply"}}
}

// roleIndex finds roles by name and by ARN. Names are unique in an account
// only: byName holds every role of a name, in plan order.
type roleIndex struct {
	byName map[string][]*planjson.Resource
	byARN  map[string]*planjson.Resource
}

func (b *builder) indexRoles() roleIndex {
	ri := roleIndex{byName: map[string][]*planjson.Resource{}, byARN: map[string]*planjson.Resource{}}
	for _, mode := range []tfjson.ResourceMode{tfjson.DataResourceMode, tfjson.ManagedResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_iam_role") {
			if n := b.str(r, "name"); n.Known && n.V != "" {
				ri.byName[n.V] = append(ri.byName[n.V], r)
			}
			if a := b.str(r, "arn"); a.Known && a.V != "" {
				ri.byARN[a.V] = r
			}
		}
	}
	return ri
}

// jobRole resolves the job's role: by the ARN's value, else by configuration
// reference; a known ARN of a role outside the plan yields a role with no
// policies (PoliciesComplete false) so its account still decides the
// cross-account questions.
func (b *builder) jobRole(job *planjson.Resource, ref access.Value[string]) *access.Role {
	var r *planjson.Resource
	if ref.Known && ref.V != "" {
		r = b.roles.byARN[ref.V]
		if r == nil && !strings.HasPrefix(ref.V, "arn:") {
			// A role name: the role of that name in the job's account.
			acct, _ := b.ix.accountOf(job)
			r = b.roleNamed(ref.V, acct)
		}
		if r == nil {
			// The ARN of a role the plan creates, whose own ARN is known
			// only after apply: the same name in the same account. A role
			// of that name in another account is another role.
			if a, name, ok := awsid.ParseRoleARN(ref.V); ok {
				r = b.roleNamed(name, a.Account)
				// The path is part of a role's ARN: the same name under
				// another path names no role the plan creates.
				if path := a.Resource[len("role") : len(a.Resource)-len(name)]; r != nil && !b.hasPath(r, path) {
					r = nil
				}
			}
		}
	}
	if r == nil {
		if t, ok := b.ix.Reference(job, "role_arn"); ok && t.Resource.Type == "aws_iam_role" {
			r = t.Resource
		}
	}
	if r == nil {
		if !ref.Known || ref.V == "" {
			return nil
		}
		role := &access.Role{ARN: ref}
		if _, name, ok := awsid.ParseRoleARN(ref.V); ok {
			role.Name = access.Known(name, ref.From)
		}
		if a, ok := accountFromARN(ref.V); ok {
			role.Account = access.Known(a, ref.From)
		}
		return role
	}
	return b.roleCache.get(r.Address, func() *access.Role { return b.buildRole(r) })
}

// roleNamed returns the plan's role named name in account ("" when not
// known): the one whose account is known to be account, else the only one
// whose account is not known (it may be in account; several are not told
// apart), else nil. With account not known, only a sole role of the name.
func (b *builder) roleNamed(name, account string) *planjson.Resource {
	cands := b.roles.byName[name]
	if account == "" {
		if len(cands) == 1 {
			return cands[0]
		}
		return nil
	}
	var unknown []*planjson.Resource
	for _, c := range cands {
		acct, known := b.ix.accountOf(c)
		if !known {
			unknown = append(unknown, c)
		} else if acct == account {
			return c
		}
	}
	if len(unknown) == 1 {
		return unknown[0]
	}
	return nil
}

// hasPath reports whether role r is known to have path (a role's path
// defaults to "/"). A path not known is not taken to match: linking on it
// would decide the job on policies of a role it may not use.
func (b *builder) hasPath(r *planjson.Resource, path string) bool {
	p := b.str(r, "path")
	if !p.Known {
		return false
	}
	if p.V == "" {
		p.V = "/"
	}
	return p.V == path
}

func (b *builder) buildRole(r *planjson.Resource) *access.Role {
	role := &access.Role{
		Address:  r.Address,
		ARN:      b.str(r, "arn"),
		Name:     b.str(r, "name"),
		UniqueID: b.str(r, "unique_id"),
		Tags:     b.strMap(r, "tags"),
	}
	if role.ARN.Known {
		if a, ok := accountFromARN(role.ARN.V); ok {
			role.Account = access.Known(a, role.ARN.From)
		}
	}
	if !role.Account.Known {
		role.Account = b.accountValue(r)
	}
	// A data source shows the role but not its policies: those the plan
	// attaches are read below, and the set stays incomplete (Created is
	// false for a data source).
	name := role.Name

	// Inline policies: inline_policy blocks, then aws_iam_role_policy.
	inline := map[string]access.PolicyDoc{}
	var order []string
	addInline := func(n string, d *access.PolicyDoc) {
		if _, dup := inline[n]; !dup {
			order = append(order, n)
		}
		inline[n] = *d
	}
	if v, ok := b.raw(r, "inline_policy"); ok && (configured(r, "inline_policy") || !r.Created) {
		if l, ok := v.([]any); ok {
			for i := range l {
				n := b.str(r, "inline_policy."+strconv.Itoa(i)+".name")
				key, label := n.V, r.Address+" inline_policy "+n.V
				if !n.Known {
					// A block whose name is not known until apply still
					// holds a policy.
					key, label = "inline_policy."+strconv.Itoa(i), r.Address+" inline_policy "+strconv.Itoa(i)
				} else if n.V == "" {
					continue
				}
				addInline(key, b.policyDoc(r, "inline_policy."+strconv.Itoa(i)+".policy", label))
			}
		}
	} else if configured(r, "inline_policy") && r.IsUnknown("inline_policy") {
		addInline("inline_policy", &access.PolicyDoc{Label: r.Address + " inline_policy", From: access.Provenance{Address: r.Address, Attribute: "inline_policy", Note: "not known until apply"}})
	}
	for _, p := range b.roleLinked("aws_iam_role_policy", r, name) {
		n := b.str(p, "name")
		key := n.V
		if !n.Known || key == "" {
			key = p.Address
		}
		addInline(key, b.policyDoc(p, "policy", p.Address))
	}

	// Managed attachments.
	var arns []access.Value[string]
	seen := map[string]bool{}
	addARN := func(v access.Value[string]) {
		k := v.V
		if !v.Known {
			k = v.From.String()
		}
		if seen[k] {
			return
		}
		seen[k] = true
		arns = append(arns, v)
	}
	if configured(r, "managed_policy_arns") || !r.Created {
		for _, a := range b.policyARNList(r, "managed_policy_arns") {
			addARN(a)
		}
	}
	for _, typ := range []string{"aws_iam_role_policy_attachment", "aws_iam_policy_attachment"} {
		for _, a := range b.roleLinked(typ, r, name) {
			addARN(b.policyARN(a, "policy_arn"))
		}
	}

	// Exclusive resources say exactly which policies the role has after apply.
	complete := r.Created
	for _, e := range b.roleLinked("aws_iam_role_policies_exclusive", r, name) {
		names, open := b.exclusiveList(e, "policy_names", b.linkedList(e, "policy_names"))
		var kept []string
		for _, n := range order {
			switch {
			case contains(names, n):
				kept = append(kept, n)
			case open != "":
				// It may be one of the names not known until apply: it
				// may stay or be removed.
				label := inline[n].Label
				inline[n] = access.PolicyDoc{Label: label, From: access.Provenance{Address: e.Address, Attribute: "policy_names", Note: open + "; " + label + " may be removed"}}
				kept = append(kept, n)
			}
		}
		order = kept
	}
	for _, e := range b.roleLinked("aws_iam_role_policy_attachments_exclusive", r, name) {
		var known []string
		for _, a := range b.policyARNList(e, "policy_arns") {
			if a.Known {
				known = append(known, a.V)
			}
		}
		list, open := b.exclusiveList(e, "policy_arns", known)
		var kept []access.Value[string]
		for _, a := range arns {
			switch {
			case a.Known && contains(list, a.V):
				kept = append(kept, a)
			case open != "" || !a.Known:
				a.From.Note = joinNote(a.From.Note, open+"; the policy may be detached by "+e.Address)
				kept = append(kept, access.Unknown[string](a.From))
			}
		}
		arns = kept
		if open == "" {
			complete = true
		}
	}
	// An existing role whose refreshed inline_policy and managed_policy_arns
	// are known mirrors IAM, attachments made elsewhere included.
	if !r.Created && !r.IsUnknown("inline_policy") && !r.IsUnknown("managed_policy_arns") {
		if _, ok := b.raw(r, "managed_policy_arns"); ok {
			complete = true
		}
	}
	for _, n := range order {
		role.Inline = append(role.Inline, inline[n])
	}
	for _, a := range arns {
		role.Managed = append(role.Managed, *b.managed(a))
	}

	if pb := b.str(r, "permissions_boundary"); !pb.Known || pb.V != "" {
		if !pb.Known {
			pb = b.policyARN(r, "permissions_boundary")
		}
		role.Boundary = b.managed(pb)
	}
	role.PoliciesComplete = complete
	return role
}

// roleAttr is the attribute naming the role on each role-linked resource type.
var roleAttr = map[string]string{
	"aws_iam_role_policy":                       "role",
	"aws_iam_role_policy_attachment":            "role",
	"aws_iam_policy_attachment":                 "roles",
	"aws_iam_role_policies_exclusive":           "role_name",
	"aws_iam_role_policy_attachments_exclusive": "role_name",
}

// indexRoleLinks groups the role-linked resources by the role they name: by
// the name's value ("name:<role name>") and by configuration reference
// ("ref:<role address>"), in one pass over the plan.
func (b *builder) indexRoleLinks() map[string][]*planjson.Resource {
	out := map[string][]*planjson.Resource{}
	for _, r := range b.ix.Resources {
		attr, ok := roleAttr[r.Type]
		if !ok || r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		var names []string
		if attr == "roles" {
			names, _ = b.strList(r, attr)
		} else if v := b.str(r, attr); v.Known && v.V != "" {
			names = []string{v.V}
			// The role may be given as an ARN.
			if _, n, ok := awsid.ParseRoleARN(v.V); ok {
				names = append(names, n)
			}
		}
		for _, n := range names {
			k := r.Type + "|name:" + n
			out[k] = append(out[k], r)
		}
		for _, t := range b.ix.References(r, attr) {
			if t.Resource.Type == "aws_iam_role" {
				k := r.Type + "|ref:" + t.Resource.Address
				out[k] = append(out[k], r)
			}
		}
	}
	return out
}

// roleLinked returns the resources of a type that name role r, by name or by
// reference, each once, in address order.
func (b *builder) roleLinked(typ string, r *planjson.Resource, name access.Value[string]) []*planjson.Resource {
	var out []*planjson.Resource
	add := func(l []*planjson.Resource) {
		for _, x := range l {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	if name.Known && name.V != "" {
		add(b.roleLinks[typ+"|name:"+name.V])
	}
	add(b.roleLinks[typ+"|ref:"+r.Address])
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}

// policyARN reads a policy ARN attribute; an unknown ARN of an aws_iam_policy
// in the plan resolves to that policy's derived ARN or its stand-in.
func (b *builder) policyARN(r *planjson.Resource, attr string) access.Value[string] {
	v := b.str(r, attr)
	if v.Known {
		return v
	}
	if t, ok := b.ix.Reference(r, attr); ok && t.Resource.Type == "aws_iam_policy" {
		return access.Known(b.symbol(t.Resource, "arn"), from(t.Resource, "arn"))
	}
	return v
}

// managed resolves a managed policy ARN to its document: an aws_iam_policy in
// the plan, a data aws_iam_policy, or configuration facts; nil Document leaves
// it to the embedded AWS managed set.
func (b *builder) managed(arn access.Value[string]) *access.ManagedPolicy {
	mp := &access.ManagedPolicy{ARN: arn}
	if !arn.Known {
		// A policy is attached, but which is not known: it may allow or
		// deny anything.
		mp.Document = &access.PolicyDoc{Label: "policy attached by " + arn.From.String(), From: arn.From}
		return mp
	}
	if p := b.policies[arn.V]; p != nil {
		mp.Document = b.policyDoc(p, "policy", p.Address)
		return mp
	}
	if d := b.declaredPolicies[arn.V]; d != nil {
		mp.Document = d
		return mp
	}
	if !strings.Contains(arn.V, ":iam::aws:policy/") {
		// A customer managed policy outside the plan: its text is not known.
		mp.Document = &access.PolicyDoc{Label: arn.V, From: access.Provenance{Note: "customer managed policy not in the plan"}}
	}
	return mp
}

// indexPolicies maps customer managed policy ARNs (or stand-ins) to the
// resource that defines the document.
func (b *builder) indexPolicies() map[string]*planjson.Resource {
	out := map[string]*planjson.Resource{}
	for _, mode := range []tfjson.ResourceMode{tfjson.DataResourceMode, tfjson.ManagedResourceMode} {
		for _, p := range b.ix.OfType(mode, "aws_iam_policy") {
			out[b.symbol(p, "arn")] = p
		}
	}
	return out
}

// policyARNList reads a list of policy ARNs some of whose elements may be
// unknown until apply. An unknown element is resolved to the aws_iam_policy
// of the plan the configuration references there when the references leave
// no doubt which (as many policies whose ARN is not yet known as unknown
// elements); otherwise it stays an unknown value naming the element.
func (b *builder) policyARNList(r *planjson.Resource, attr string) []access.Value[string] {
	v, src, ok := b.resolve(r, attr)
	if !ok {
		if r.IsUnknown(attr) {
			return []access.Value[string]{access.Unknown[string](access.Provenance{Address: r.Address, Attribute: attr, Note: "the whole list is not known until apply"})}
		}
		return nil
	}
	l, _ := v.([]any)
	var out []access.Value[string]
	var unknown []int
	for i, x := range l {
		elem := attr + "." + strconv.Itoa(i)
		if s, isStr := x.(string); isStr && s != "" && (src.File != "" || !r.IsUnknown(elem)) {
			out = append(out, access.Known(s, src))
			continue
		}
		unknown = append(unknown, i)
	}
	if len(unknown) == 0 {
		return out
	}
	var pending []*planjson.Resource
	for _, t := range b.ix.References(r, attr) {
		if t.Resource.Type != "aws_iam_policy" || t.Resource.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if a := b.symbol(t.Resource, "arn"); !slices.ContainsFunc(out, func(v access.Value[string]) bool { return v.V == a }) {
			pending = append(pending, t.Resource)
		}
	}
	if len(pending) == len(unknown) {
		for _, p := range pending {
			out = append(out, access.Known(b.symbol(p, "arn"), access.Provenance{Address: r.Address, Attribute: attr, Note: "element references " + p.Address + ".arn"}))
		}
		return out
	}
	for _, i := range unknown {
		out = append(out, access.Unknown[string](access.Provenance{Address: r.Address, Attribute: attr + "[" + strconv.Itoa(i) + "]",
			Note: "not known until apply and resolves to no aws_iam_policy of the plan"}))
	}
	return out
}

// exclusiveList returns the known elements of an exclusive resource's list
// (resolved is what the caller made of them) and, when some element is not
// known until apply, a phrase saying so ("" when all are known).
func (b *builder) exclusiveList(e *planjson.Resource, attr string, resolved []string) ([]string, string) {
	v, src, ok := b.resolve(e, attr)
	if !ok {
		if e.IsUnknown(attr) {
			return resolved, e.Address + " " + attr + " is not known until apply"
		}
		return resolved, ""
	}
	l, _ := v.([]any)
	known := 0
	for i, x := range l {
		if s, isStr := x.(string); isStr && s != "" && (src.File != "" || !e.IsUnknown(attr+"."+strconv.Itoa(i))) {
			known++
		}
	}
	if len(resolved) >= len(l) || known == len(l) {
		return resolved, ""
	}
	return resolved, fmt.Sprintf("%d of the %d elements of %s %s are not known until apply", len(l)-len(resolved), len(l), e.Address, attr)
}

// joinNote appends a phrase to a provenance note.
func joinNote(note, more string) string {
	if note == "" {
		return more
	}
	return note + "; " + more
}
