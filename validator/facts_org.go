package validator

import (
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// Organizations policy types.
const (
	typeSCP = "SERVICE_CONTROL_POLICY"
	typeRCP = "RESOURCE_CONTROL_POLICY"
)

// buildOrg returns the organization tree with its SCP and RCP attachments,
// nil when the plan has no Organizations resources.
func (b *builder) buildOrg() *access.Organization {
	var org *access.Organization
	nodes := map[string]*access.OrgNode{}
	var order []string
	add := func(n access.OrgNode) *access.OrgNode {
		if old, ok := nodes[n.ID]; ok {
			return old
		}
		nodes[n.ID] = &n
		order = append(order, n.ID)
		return nodes[n.ID]
	}
	var root string
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_organizations_organization") {
			if org == nil {
				org = &access.Organization{From: access.Provenance{Address: r.Address}, ID: b.str(r, "id")}
				if org.ID.Known && org.ID.V == "" {
					org.ID = access.Unknown[string](from(r, "id"))
				}
				org.ManagementAccount = b.str(r, "master_account_id")
				if org.ManagementAccount.Known && org.ManagementAccount.V == "" {
					org.ManagementAccount = access.Unknown[string](from(r, "master_account_id"))
				}
			}
			root = b.symbol(r, "roots.0.id")
			add(access.OrgNode{ID: root, Kind: access.NodeRoot, Parent: access.Known("", from(r, "roots"))})
		}
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_organizations_organizational_unit") {
		n := add(access.OrgNode{ID: b.symbol(r, "id"), Kind: access.NodeOU, Name: b.str(r, "name").V, Address: r.Address})
		n.Parent = b.orgParent(r)
	}
	// data "aws_organizations_organizational_unit" finds an OU by parent and
	// name; data "aws_organizations_organizational_units" lists the OUs
	// directly under a parent. Both reveal each OU's id, name and parent,
	// never the accounts under it, so an SCP there governs the job's account
	// only if something else places the account (an uncertain level
	// otherwise). One read only at apply reveals nothing: it adds no node,
	// and what refers to it stays unknown (orgParent, attachments below).
	// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/organizations_organizational_unit
	for _, r := range b.ix.OfType(tfjson.DataResourceMode, "aws_organizations_organizational_unit") {
		if id := b.str(r, "id"); id.Known && awsid.IsOUID(id.V) {
			addDataOU(add, id.V, b.str(r, "name").V, r.Address, b.orgParent(r))
		}
	}
	for _, r := range b.ix.OfType(tfjson.DataResourceMode, "aws_organizations_organizational_units") {
		for i := 0; ; i++ {
			v, ok := b.raw(r, fmt.Sprintf("children.%d.id", i))
			if !ok {
				break
			}
			if id, _ := v.(string); awsid.IsOUID(id) {
				name, _ := b.raw(r, fmt.Sprintf("children.%d.name", i))
				s, _ := name.(string)
				addDataOU(add, id, s, fmt.Sprintf("%s.children[%d]", r.Address, i), b.orgParent(r))
			}
		}
	}
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_organizations_account") {
			n := add(access.OrgNode{ID: b.symbol(r, "id"), Kind: access.NodeAccount, Name: b.str(r, "name").V, Address: r.Address})
			n.Parent = b.orgParent(r)
			if n.Parent.Known && n.Parent.V == "" && root != "" {
				n.Parent = access.Known(root, access.Provenance{Address: r.Address, Note: "no parent_id: the root"})
			}
		}
	}
	policies := map[string]*planjson.Resource{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_organizations_policy") {
		policies[b.symbol(r, "id")] = r
	}
	var unplaced []access.UnplacedPolicy
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_organizations_policy_attachment") {
		// An attachment is never dropped: a policy or target that cannot be
		// read (known only after apply, or not a value Terraform writes) may
		// be any policy on any node, so it may govern the job (docs/validate.md:
		// an unknown is never turned into a pass).
		pid, _, pidOK := b.linked(r, "policy_id")
		p := policies[pid]
		var docs []access.PolicyDoc
		var types []string
		if !pidOK || p == nil {
			doc := access.PolicyDoc{Label: r.Address, From: access.Provenance{Address: r.Address, Attribute: "policy_id", Note: "policy not known at plan time"}}
			docs, types = []access.PolicyDoc{doc}, []string{typeSCP, typeRCP}
		} else {
			doc := *b.policyDoc(p, "content", p.Address)
			docs = []access.PolicyDoc{doc}
			switch typ := b.str(p, "type"); {
			case typ.Known && typ.V == typeRCP:
				types = []string{typeRCP}
			case typ.Known && (typ.V == "" || typ.V == typeSCP):
				types = []string{typeSCP}
			case typ.Known:
				types = nil // another policy type (tag, backup, ...) never governs S3 access
			default:
				types = []string{typeSCP, typeRCP}
			}
		}
		if len(types) == 0 {
			continue
		}
		target, tr, ok := b.orgLinked(r, "target_id")
		kind := access.NodeAccount
		switch {
		case !ok || target == "" || readAtApply(tr, target):
			kind = ""
		case awsid.IsRootID(target):
			kind = access.NodeRoot
		case awsid.IsOUID(target):
			kind = access.NodeOU
		case awsid.IsAccountID(target):
		case nodes[target] == nil:
			kind = ""
		}
		if kind == "" {
			missing := access.Missing{Fact: "target_id of " + r.Address + " (the root, OU or account the policy is attached to)",
				How: "make target_id known at plan time (a literal id, or a reference to an organizational unit or account in the plan)"}
			if readAtApply(tr, target) {
				missing.Fact = "target_id of " + r.Address + ": the id of " + tr.Address + ", read only at apply"
				missing.How = "let Terraform read " + tr.Address + " at plan time (its arguments known, no depends_on on changing resources)"
			}
			for _, typ := range types {
				unplaced = append(unplaced, access.UnplacedPolicy{Attachment: r.Address, RCP: typ == typeRCP, Policy: docs[0], Missing: missing})
			}
			continue
		}
		n := nodes[target]
		if n == nil {
			n = add(access.OrgNode{ID: target, Kind: kind, Parent: access.Unknown[string](access.Provenance{Address: r.Address, Note: "organization node not in the plan"})})
			if kind == access.NodeRoot {
				n.Parent = access.Known("", from(r, "target_id"))
			}
		}
		for _, typ := range types {
			if typ == typeRCP {
				n.RCPs = append(n.RCPs, docs...)
			} else {
				n.SCPs = append(n.SCPs, docs...)
			}
		}
	}
	if org == nil && len(unplaced) > 0 && len(nodes) == 0 {
		missing := access.Provenance{Note: "aws_organizations_organization not in the plan"}
		org = &access.Organization{ID: access.Unknown[string](missing), ManagementAccount: access.Unknown[string](missing)}
	}
	if org == nil && len(nodes) > 0 {
		missing := access.Provenance{Note: "aws_organizations_organization not in the plan"}
		org = &access.Organization{ID: access.Unknown[string](missing), ManagementAccount: access.Unknown[string](missing)}
	}
	if org == nil {
		return nil
	}
	for _, id := range order {
		org.Nodes = append(org.Nodes, *nodes[id])
	}
	org.Unplaced = unplaced
	return org
}

// orgParent is the parent_id of an OU or account. A reference to an OU data
// source read only at apply is unknown: the OU it will find may be any OU,
// one of the plan's included, so it is no node of its own.
func (b *builder) orgParent(r *planjson.Resource) access.Value[string] {
	v, t, ok := b.orgLinked(r, "parent_id")
	if !ok || readAtApply(t, v) {
		p := from(r, "parent_id")
		if t != nil {
			p.Note = t.Address + " is read only at apply"
		}
		return access.Unknown[string](p)
	}
	return access.Known(v, from(r, "parent_id"))
}

// orgLinked is linked for an attribute naming an organization node. The
// stand-in for the root id of an organization known only at apply
// (roots[0].id) is the root node's: an organization has a single root
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_getting-started_concepts.html).
func (b *builder) orgLinked(r *planjson.Resource, attr string) (string, *planjson.Resource, bool) {
	v, t, ok := b.linked(r, attr)
	if ok && t != nil && t.Type == "aws_organizations_organization" && isSymbol(v, t) &&
		strings.HasPrefix(v, t.Address+".roots") && strings.HasSuffix(v, ".id") {
		v = b.symbol(t, "roots.0.id")
	}
	return v, t, ok
}

// readAtApply reports whether v is the stand-in for an attribute of an
// Organizations OU data source that Terraform reads only at apply.
func readAtApply(t *planjson.Resource, v string) bool {
	return t != nil && t.Mode == tfjson.DataResourceMode && strings.HasPrefix(t.Type, "aws_organizations_organizational_unit") && isSymbol(v, t)
}

// addDataOU adds an OU read through a data source. The same OU may also be
// a node already (a literal target_id, another data source): what the data
// source reveals completes it.
func addDataOU(add func(access.OrgNode) *access.OrgNode, id, name, address string, parent access.Value[string]) {
	n := add(access.OrgNode{ID: id, Kind: access.NodeOU, Name: name, Address: address, Parent: parent})
	n.Kind = access.NodeOU
	if n.Name == "" {
		n.Name = name
	}
	if n.Address == "" {
		n.Address = address
	}
	if !n.Parent.Known && parent.Known {
		n.Parent = parent
	}
}
