package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// layerSet is the iam.Input of one request plus what is not known about it.
type layerSet struct {
	in iam.Input
	// unknown lists layers holding a policy whose text is not known; such a
	// layer can neither be relied on to allow nor to not deny.
	unknown []unknownLayer
	// unresolved are attached managed policy ARNs that could not be resolved.
	unresolved []string
	// incomplete is true when more identity policies may exist than listed.
	incomplete bool
	// invalid is set when a policy of the path is invalid (already reported
	// as a deny finding on its address): the request is not evaluated.
	invalid bool
	// publicIgnored is set when public Allow statements of the bucket policy
	// were set aside for RestrictPublicBuckets.
	publicIgnored bool
	// labels remember each layer's policy label for missing-allow findings.
	identityLabel, boundaryLabel, resourceLabel, endpointLabel string
	// scpNodes / rcpNodes are the organization node ids per level.
	scpNodes, rcpNodes []string
	// uncertain are SCP / RCP levels that may apply (organization path
	// unknown); a result they would change is unknown.
	uncertain []uncertainLevel
	// maybeGrants are KMS grants whose grantee is not known, each taken as
	// granted to the role: a grant only allows, so one that would lift an
	// implicit deny makes it unknown.
	maybeGrants []maybeGrant
}

// maybeGrant is a KMS grant that may be the role's.
type maybeGrant struct {
	grant   iam.Grant // with the role as grantee
	missing Missing
}

// unknownLayer is a layer whose policy text is not known.
type unknownLayer struct {
	Layer   iam.Layer
	Reason  string // reason code of the unknown finding; "" means policy-unknown
	Missing Missing
}

// uncertainLevel is an organization node that may be on the account's path.
type uncertainLevel struct {
	kind    iam.LayerKind
	node    string
	account string // the account whose path may pass through node
	// policy names the level's policies; what says what they are and where
	// they are attached, cond under which they apply to account.
	policy, what, cond string
	policies           []*iam.Policy
	// opaque is set when a policy of the level is not known: the level may
	// block anything.
	opaque  bool
	missing Missing
}

// policies lists every policy of the request: each layer's, and those of the
// organization levels that may apply.
func (ls *layerSet) policies() []*iam.Policy {
	in := &ls.in
	out := append([]*iam.Policy{}, in.Identity...)
	out = append(out, in.Boundary, in.Session, in.Resource, in.Endpoint)
	for _, l := range in.SCPs {
		out = append(out, l...)
	}
	for _, l := range in.RCPs {
		out = append(out, l...)
	}
	for _, u := range ls.uncertain {
		out = append(out, u.policies...)
	}
	return slices.DeleteFunc(out, func(p *iam.Policy) bool { return p == nil })
}

// clone copies a layer set so a request can add its own layers. A request
// only appends to the lists, never writes their elements, so the copy shares
// them with their capacity clipped: its first append copies, and the shared
// set never sees it.
func (ls layerSet) clone() layerSet {
	out := ls
	out.in.Identity = slices.Clip(ls.in.Identity)
	out.unknown = slices.Clip(ls.unknown)
	out.unresolved = slices.Clip(ls.unresolved)
	out.uncertain = slices.Clip(ls.uncertain)
	out.maybeGrants = slices.Clip(ls.maybeGrants)
	return out
}

// identityLayers collects the role's identity policies and boundary.
func (c *checker) identityLayers() layerSet {
	r := c.f.Role
	ls := layerSet{identityLabel: r.Address, incomplete: !r.PoliciesComplete}
	if ls.identityLabel == "" {
		ls.identityLabel = "role " + c.role.Name
	}
	for i := range r.Inline {
		c.addIdentity(&ls, &r.Inline[i])
	}
	for i := range r.Managed {
		m := &r.Managed[i]
		if m.Document != nil {
			c.addIdentity(&ls, m.Document)
			continue
		}
		doc, ok := c.resolveManaged(m.ARN)
		if !ok {
			ls.unresolved = append(ls.unresolved, m.ARN.String())
			continue
		}
		c.addIdentity(&ls, doc)
	}
	if b := r.Boundary; b != nil {
		doc := b.Document
		if doc == nil {
			d, ok := c.resolveManaged(b.ARN)
			if !ok {
				ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerBoundary}, Missing: Missing{
					Fact: "permissions boundary " + b.ARN.String() + " of role " + c.role.Name,
					How:  "add the aws_iam_policy of the boundary to the plan, or a data \"aws_iam_policy\" for it"}})
				return ls
			}
			doc = d
		}
		ls.boundaryLabel = doc.label()
		pp := c.parse(doc, iam.KindBoundary, GA001)
		switch {
		case pp.err != nil:
			ls.invalid = true
		case pp.unknown:
			ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerBoundary}, Missing: Missing{
				Fact: "text of permissions boundary " + doc.label(), How: "make the boundary document known at plan time (" + doc.From.String() + ")"}})
		default:
			ls.in.Boundary = pp.p
		}
	}
	return ls
}

// addIdentity adds one identity policy document to the layer set.
func (c *checker) addIdentity(ls *layerSet, doc *PolicyDoc) {
	pp := c.parse(doc, iam.KindIdentity, GA001)
	switch {
	case pp.err != nil:
		ls.invalid = true
	case pp.unknown:
		ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerIdentity}, Missing: Missing{
			Fact: "text of identity policy " + doc.label(), How: "make the policy document known at plan time (" + doc.From.String() + " is unknown until apply)"}})
	default:
		ls.in.Identity = append(ls.in.Identity, pp.p)
	}
}

// resolveManaged resolves a managed policy ARN through Options.
func (c *checker) resolveManaged(arn Value[string]) (*PolicyDoc, bool) {
	if !arn.Known {
		return nil, false
	}
	if d, ok := c.managedDocs[arn.V]; ok {
		return d, true
	}
	data, version, ok := c.opts.ManagedPolicies(arn.V)
	if !ok {
		return nil, false
	}
	d := &PolicyDoc{Label: arn.V, JSON: string(data), Known: true, shared: true,
		From: Provenance{Note: fmt.Sprintf("embedded AWS managed policy %s version %s", arn.V, version)}}
	c.managedDocs[arn.V] = d
	return d, true
}

// addOrg adds the SCP levels of the principal's account and the RCP levels of
// the resource's account (resourceAccount "" = unknown).
func (c *checker) addOrg(ls *layerSet, resourceAccount string) {
	o := c.f.Org
	if o == nil {
		return
	}
	mgmt := o.ManagementAccount.Known && o.ManagementAccount.V != ""
	if !mgmt {
		// Treating an account as a member can only add restrictions, so the
		// unknown is not permissive; the report still says what was taken.
		c.assume("member-accounts", "the organization's management account is not known: the accounts of the role, buckets and keys are assumed to be member accounts, governed by SCPs and RCPs")
	}
	if !(mgmt && o.ManagementAccount.V == c.role.Account) {
		levels, nodes := c.orgLevels(ls, c.role.Account, iam.LayerSCP)
		ls.in.SCPs, ls.scpNodes = levels, nodes
	}
	if mgmt && o.ManagementAccount.V == resourceAccount {
		return
	}
	if resourceAccount == "" {
		for _, n := range o.Nodes {
			if len(n.RCPs) > 0 {
				ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerRCP}, Missing: Missing{
					Fact: "owner account of the resource (to find the RCPs that govern it)",
					How:  "declare the bucket's owner_account in .glueaccess.hcl"}})
				return
			}
		}
		return
	}
	levels, nodes := c.orgLevels(ls, resourceAccount, iam.LayerRCP)
	ls.in.RCPs, ls.rcpNodes = levels, nodes
}

// fullAWSAccess is the SCP AWS attaches to every node.
const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// orgContribution is what an account's place in the organization adds to a
// request's layers for one kind of policy: the levels and their nodes, and
// what is not known about them. The same for every request of a job to an
// account, so it is worked out once per job and account.
type orgContribution struct {
	levels    [][]*iam.Policy
	nodes     []string
	unknown   []unknownLayer
	uncertain []uncertainLevel
	invalid   bool
}

type orgContributionKey struct {
	account string
	kind    iam.LayerKind
}

// orgLevels returns the levels (root first) of an account's path with the
// policies of kind k, and their node ids, adding to ls what is not known
// about them.
func (c *checker) orgLevels(ls *layerSet, account string, k iam.LayerKind) ([][]*iam.Policy, []string) {
	key := orgContributionKey{account, k}
	oc, ok := c.orgLevelsOf[key]
	if !ok {
		oc = c.orgContribution(account, k)
		if c.orgLevelsOf == nil {
			c.orgLevelsOf = map[orgContributionKey]*orgContribution{}
		}
		c.orgLevelsOf[key] = oc
	}
	ls.unknown = append(ls.unknown, oc.unknown...)
	ls.uncertain = append(ls.uncertain, oc.uncertain...)
	ls.invalid = ls.invalid || oc.invalid
	return oc.levels, oc.nodes
}

// orgContribution computes the levels of an account's path with the
// policies of kind k. The account's own node, every ancestor reached through
// known parents and the root are on the path for certain; when the chain
// does not reach the root, the OUs off the chain may or may not lie between
// them and are recorded as uncertain (docs/model.md#ga007-scps-and-rcps).
func (c *checker) orgContribution(account string, k iam.LayerKind) *orgContribution {
	o := c.f.Org
	place := c.orgIdx().place(account)
	// acc collects what the levels add to a layer set.
	var acc layerSet
	oc := &orgContribution{}
	for i := len(place.chain) - 1; i >= 0; i-- {
		n := place.chain[i]
		oc.levels = append(oc.levels, c.nodePolicies(&acc, n, k, len(oc.levels)))
		oc.nodes = append(oc.nodes, n.ID)
	}
	for i := range o.Unplaced {
		u := &o.Unplaced[i]
		if u.RCP != (k == iam.LayerRCP) {
			continue
		}
		// Attaching a policy adds its Denies to a level and can only widen
		// the level's Allows: the level is taken with FullAWSAccess, so that
		// only the policy's Denies count.
		var policies []*iam.Policy
		if k == iam.LayerSCP {
			if p, err := c.parsePolicy(fullAWSAccess, iam.KindSCP, "FullAWSAccess@"+u.Attachment, true); err == nil {
				policies = append(policies, p)
			}
		}
		pp := c.parse(&u.Policy, kindOf(k), GA007)
		if pp.err != nil {
			acc.invalid = true
			continue
		}
		if pp.p != nil {
			policies = append(policies, pp.p)
		}
		acc.uncertain = append(acc.uncertain, uncertainLevel{kind: k, node: "the target of " + u.Attachment, account: account,
			policies: policies, opaque: pp.unknown, missing: u.Missing, policy: u.Policy.label(),
			what: fmt.Sprintf("%s %s, attached by %s to a target not known at plan time,", k, u.Policy.label(), u.Attachment),
			cond: fmt.Sprintf("if that target is account %s or an OU or root above it", account)})
	}
	if !place.known {
		for _, n := range place.offPath(k) {
			labels := nodeLabels(n, k)
			acc.uncertain = append(acc.uncertain, uncertainLevel{kind: k, node: n.ID, account: account, policies: c.nodePolicies(&acc, n, k, -1), opaque: hasUnknownDoc(n, k),
				policy: labels, what: fmt.Sprintf("%s %s attached to %s", k, labels, describeNode(n)),
				cond: fmt.Sprintf("if account %s is under it", account),
				missing: Missing{Fact: fmt.Sprintf("place of account %s in the organization (is it under %s?)", account, describeNode(n)),
					How: fmt.Sprintf("add aws_organizations_account %s (with parent_id) to the inputs or declare the organization tree", account)}})
		}
	}
	oc.unknown, oc.uncertain, oc.invalid = acc.unknown, acc.uncertain, acc.invalid
	return oc
}

// nodeLabels names a node's policies of kind k.
func nodeLabels(n *OrgNode, k iam.LayerKind) string {
	docs := n.SCPs
	if k == iam.LayerRCP {
		docs = n.RCPs
	}
	var out []string
	for i := range docs {
		out = append(out, docs[i].label())
	}
	if len(out) == 0 {
		return n.ID
	}
	return strings.Join(out, ", ")
}

// describeNode names an organization node: "OU sandbox
// (aws_organizations_organizational_unit.sandbox)", or its id.
func describeNode(n *OrgNode) string {
	s := n.ID
	if n.Name != "" {
		s = n.Kind + " " + n.Name
		if n.Kind == NodeOU {
			s = "OU " + n.Name
		}
	}
	if n.Address != "" {
		s += " (" + n.Address + ")"
	}
	return s
}

// kindOf is the policy kind of an organization layer.
func kindOf(k iam.LayerKind) iam.Kind {
	if k == iam.LayerRCP {
		return iam.KindRCP
	}
	return iam.KindSCP
}

// hasUnknownDoc reports whether a node carries a policy of kind k whose text
// is not known.
func hasUnknownDoc(n *OrgNode, k iam.LayerKind) bool {
	docs := n.SCPs
	if k == iam.LayerRCP {
		docs = n.RCPs
	}
	for i := range docs {
		if !docs[i].Known {
			return true
		}
	}
	return false
}

// nodeRestricts reports whether a node carries policies that can restrict.
func nodeRestricts(n *OrgNode, k iam.LayerKind) bool {
	if k == iam.LayerRCP {
		return len(n.RCPs) > 0
	}
	return len(n.SCPs) > 0 || n.FullAWSAccessDetached
}

// nodePolicies parses a node's policies of kind k. level < 0 marks an
// uncertain level (unknown policies there are ignored: the level is already
// uncertain).
func (c *checker) nodePolicies(ls *layerSet, n *OrgNode, k iam.LayerKind, level int) []*iam.Policy {
	var out []*iam.Policy
	docs := n.SCPs
	kind := iam.KindSCP
	if k == iam.LayerRCP {
		docs, kind = n.RCPs, iam.KindRCP
	} else if !n.FullAWSAccessDetached {
		if p, err := c.parsePolicy(fullAWSAccess, iam.KindSCP, "FullAWSAccess@"+n.ID, true); err == nil {
			out = append(out, p)
		}
	}
	for i := range docs {
		pp := c.parse(&docs[i], kind, GA007)
		switch {
		case pp.err != nil:
			ls.invalid = true
		case pp.unknown:
			if level >= 0 {
				ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: k, Level: level}, Missing: Missing{
					Fact: fmt.Sprintf("text of %s %s attached to %s", k, docs[i].label(), n.ID), How: "make the policy content known (" + docs[i].From.String() + ")"}})
			}
		default:
			out = append(out, pp.p)
		}
	}
	return out
}

// checkFor maps the layer that decided a request to its condition. This is
// the one place that mapping lives.
func checkFor(k iam.LayerKind, kms bool) CheckID {
	switch k {
	case iam.LayerSCP, iam.LayerRCP:
		return GA007
	case iam.LayerEndpoint:
		return GA004
	case iam.LayerKeyPolicy, iam.LayerGrant:
		return GA005
	case iam.LayerResource:
		if kms {
			return GA005
		}
		return GA002
	default: // identity, boundary, session
		if kms {
			return GA005
		}
		return GA001
	}
}
