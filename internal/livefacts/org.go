package livefacts

import (
	"slices"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// orgAccounts returns the accounts whose SCPs and RCPs matter to the job: the
// role's, and the owners of the buckets it uses and of its keys, sorted.
func orgAccounts(f *access.Facts, buckets []string) []string {
	var out []string
	add := func(v access.Value[string]) {
		if a, ok := v.Get(); ok && awsid.IsAccountID(a) {
			out = append(out, a)
		}
	}
	if f.Role != nil {
		add(f.Role.Account)
	}
	for _, b := range f.Buckets {
		if slices.Contains(buckets, b.Name) {
			add(b.Owner)
		}
	}
	for _, k := range f.Keys {
		add(k.Account)
	}
	for _, ref := range keyRefs(f, buckets) {
		// arn:<partition>:kms:<region>:<account>:key/<id>
		if a, ok := awsid.ParseARN(ref); ok {
			add(access.Known(a.Account, access.Provenance{}))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AWS managed organization policies that allow everything: FullAWSAccess is
// modelled as attached unless a node lacks it, RCPFullAWSAccess restricts
// nothing.
const (
	fullAWSAccessID    = "p-FullAWSAccess"
	rcpFullAWSAccessID = "p-RCPFullAWSAccess"
)

// liveOrg builds the organization from the lookups of each account: nil when
// no lookup found an organization and none failed (the accounts are in
// none, so no SCP or RCP applies). A failed lookup leaves the levels it
// would have shown unknown, with the reason.
func liveOrg(n *notes, facts []awslive.OrgFacts) *access.Organization {
	var org *access.Organization
	nodes := map[string]int{}
	add := func(node access.OrgNode) {
		if _, ok := nodes[node.ID]; ok {
			return
		}
		nodes[node.ID] = len(org.Nodes)
		org.Nodes = append(org.Nodes, node)
	}
	for _, lf := range facts {
		o := lf.Organization
		if v, ok := o.Get(); o.Status == awslive.NotFound || (ok && v.FeatureSet == "CONSOLIDATED_BILLING") {
			continue // no organization, or one without policies
		}
		if org == nil {
			org = &access.Organization{}
			if v, ok := o.Get(); ok {
				org.From = access.Provenance{Note: o.Source}
				org.ID = known(v.ID, o)
				org.ManagementAccount = known(v.ManagementAccount, o)
			} else {
				org.From = reason(n, o)
				org.ID = unknownFrom[string](n, o)
				org.ManagementAccount = unknownFrom[string](n, o)
			}
		}
		if lf.Path.Status == awslive.NotFound {
			continue // not in this organization: nothing of it applies
		}
		path, ok := lf.Path.Get()
		if !ok {
			// The account's place (or its organization) is not known: its
			// own level stands with unknown policies, under no known parent.
			why := lf.Path
			if o.Status == awslive.Unknown {
				why = awslive.Fact[[]awslive.OrgNode]{Status: o.Status, Reason: o.Reason, Source: o.Source}
			}
			add(access.OrgNode{ID: lf.AccountID, Kind: access.NodeAccount, Parent: unknownFrom[string](n, why),
				SCPs: []access.PolicyDoc{{Label: "policies", From: reason(n, why)}},
				RCPs: []access.PolicyDoc{{Label: "policies", From: reason(n, why)}}})
			continue
		}
		parent := access.Known("", access.Provenance{Note: lf.Path.Source})
		for _, p := range path {
			node := access.OrgNode{ID: p.ID, Kind: p.Kind, Parent: parent}
			node.SCPs, node.FullAWSAccessDetached = orgPolicies(n, p.SCPs, fullAWSAccessID)
			node.RCPs, _ = orgPolicies(n, p.RCPs, rcpFullAWSAccessID)
			add(node)
			parent = access.Known(p.ID, access.Provenance{Note: lf.Path.Source})
		}
	}
	return org
}

// orgPolicies turns a node's attached policies into documents, leaving out
// the AWS managed allow-all one (allowAll); detached reports that a found
// list lacks it.
func orgPolicies(n *notes, f awslive.Fact[[]awslive.OrgPolicy], allowAll string) (docs []access.PolicyDoc, detached bool) {
	list, ok := f.Get()
	if !ok {
		// Findings name the node: "text of scp policies attached to ou-...".
		return []access.PolicyDoc{{Label: "policies", From: reason(n, f)}}, false
	}
	detached = true
	for _, p := range list {
		if p.ID == allowAll {
			detached = false
			continue
		}
		if c, ok := p.Content.Get(); ok {
			docs = append(docs, access.PolicyDoc{Label: p.Name + " (" + p.Content.Source + ")", JSON: c, Known: true, From: access.Provenance{Note: p.Content.Source}})
		} else {
			docs = append(docs, access.PolicyDoc{Label: p.Name + " (" + p.ID + ")", From: reason(n, p.Content)})
		}
	}
	return docs, detached
}

// orgIDGaps reports whether the supplied organization lacks its id or its
// management account (an organization block without id), and the account
// to ask about: the role's, whose organization the condition keys
// aws:PrincipalOrgID and aws:PrincipalOrgPaths describe.
func orgIDGaps(f *access.Facts) (string, bool) {
	if f.Org == nil || f.Role == nil || (!gap(f.Org.ID) && !gap(f.Org.ManagementAccount)) {
		return "", false
	}
	a, ok := f.Role.Account.Get()
	return a, ok && awsid.IsAccountID(a)
}

// withOrgIDs returns a copy of org with its missing id and management
// account taken from DescribeOrganization; the tree, and so the paths built
// from it, stays the one supplied, and a supplied value is never replaced.
// DescribeOrganization answers for the caller's organization, so the answer
// is taken only when ListParents found the role's account in that
// organization: an organization of other credentials must not pass for the
// job's. Otherwise the values stay unknown with the reason.
func withOrgIDs(n *notes, org *access.Organization, lf awslive.OrgFacts) *access.Organization {
	out := *org
	o := lf.Organization
	v, ok := o.Get()
	switch {
	case ok && lf.Path.Status == awslive.Found:
		if gap(out.ID) {
			out.ID = known(v.ID, o)
		}
		if gap(out.ManagementAccount) {
			out.ManagementAccount = known(v.ManagementAccount, o)
		}
		return &out
	case ok || o.Status == awslive.NotFound:
		// The caller's organization is known but the account was not
		// found in it (or the walk failed), or the caller is in none.
		o = awslive.Fact[awslive.Organization]{Status: awslive.Unknown, Source: o.Source,
			Reason: "account " + lf.AccountID + " was not found in the organization of the lookup's credentials (" + lf.Path.Source + ")"}
		switch {
		case !ok:
			o.Reason = "the lookup's credentials are in no organization (" + o.Source + ")"
		case lf.Path.Status == awslive.Unknown && lf.Path.Reason != "":
			o.Reason = lf.Path.Reason
		}
	}
	if gap(out.ID) {
		out.ID = unknownFrom[string](n, o)
	}
	if gap(out.ManagementAccount) {
		out.ManagementAccount = unknownFrom[string](n, o)
	}
	return &out
}
