package awslive

import (
	"context"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// Organization node kinds, as in OrgNode.Kind.
const (
	NodeRoot    = "root"
	NodeOU      = "ou"
	NodeAccount = "account"
)

// maxOrgDepth bounds the walk from an account to its root: Organizations
// allows five OU levels under the root, so a longer chain means a malformed
// answer.
const maxOrgDepth = 7

// OrgFacts are an account's organization and the SCPs and RCPs on its path.
type OrgFacts struct {
	AccountID string
	// Organization comes from organizations:DescribeOrganization; NotFound
	// means the account is in no organization (no SCPs or RCPs apply).
	Organization Fact[Organization]
	// Path runs from the root through the OUs to the account. NotFound
	// means the account is not in the organization the credentials see.
	// The walk needs the management account or a delegated administrator.
	Path Fact[[]OrgNode]
}

// Organization is what DescribeOrganization says.
type Organization struct {
	ID  string // o-...
	ARN string
	// ManagementAccount is exempt from SCPs and RCPs.
	ManagementAccount string
	// FeatureSet is ALL or CONSOLIDATED_BILLING (no SCPs then).
	FeatureSet string
}

// OrgNode is the root, an OU or the account, with the policies attached to it.
type OrgNode struct {
	ID   string
	Kind string // NodeRoot, NodeOU, NodeAccount
	// SCPs and RCPs are the attached service and resource control policies,
	// sorted by id.
	SCPs Fact[[]OrgPolicy]
	RCPs Fact[[]OrgPolicy]
}

// OrgPolicy is one attached SCP or RCP.
type OrgPolicy struct {
	ID         string
	Name       string
	ARN        string
	AWSManaged bool // FullAWSAccess, RCPFullAWSAccess
	// Content is the policy JSON (organizations:DescribePolicy).
	Content Fact[string]
}

// Organization looks up the organization of the credentials and walks
// accountID's path to the root, then lists the SCPs and RCPs at every level.
func (l *Lookup) Organization(ctx context.Context, accountID string) OrgFacts {
	o := OrgFacts{AccountID: accountID}
	orgSrc := source("organizations:DescribeOrganization", "")
	pathSrc := source("organizations:ListParents", accountID)
	off := ""
	switch {
	case !l.Enabled():
		off = OffReason
	case !awsid.IsAccountID(accountID):
		off = "not an account id: " + quote(accountID)
	}
	if off != "" {
		o.Organization = unknown[Organization](orgSrc, off)
		o.Path = unknown[[]OrgNode](pathSrc, off)
		return o
	}

	parallel(
		func() { o.Organization = l.describeOrganization(ctx, orgSrc) },
		func() { o.Path = l.orgPath(ctx, accountID, pathSrc) },
	)
	if o.Organization.Status == NotFound {
		// Not in an organization: there is no path, whatever ListParents
		// said about it.
		o.Path = notFound[[]OrgNode](pathSrc)
	}
	return o
}

func (l *Lookup) describeOrganization(ctx context.Context, src string) Fact[Organization] {
	out, err := call(ctx, l, "organizations:DescribeOrganization", func(ctx context.Context) (*organizations.DescribeOrganizationOutput, error) {
		return l.org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	})
	if err != nil {
		return failed[Organization](err, "organizations:DescribeOrganization", "", src, "AWSOrganizationsNotInUseException")
	}
	org := out.Organization
	if org == nil || deref(org.Id) == "" {
		return unknown[Organization](src, "organizations:DescribeOrganization returned no organization id")
	}
	return found(Organization{
		ID:                *org.Id,
		ARN:               deref(org.Arn),
		ManagementAccount: deref(org.MasterAccountId),
		FeatureSet:        string(org.FeatureSet),
	}, src)
}

// orgPath walks ListParents from the account up to the root and returns the
// nodes root first, each with its SCPs and RCPs.
func (l *Lookup) orgPath(ctx context.Context, accountID, src string) Fact[[]OrgNode] {
	nodes := []OrgNode{{ID: accountID, Kind: NodeAccount}}
	child := accountID
	for {
		if len(nodes) > maxOrgDepth {
			return unknown[[]OrgNode](src, "organizations:ListParents from "+accountID+" did not reach a root")
		}
		parent, err := l.parent(ctx, child)
		if err != nil {
			return failed[[]OrgNode](err, "organizations:ListParents", child, src, "ChildNotFoundException")
		}
		if parent.ID == "" {
			return unknown[[]OrgNode](src, "organizations:ListParents on "+child+" returned no parent")
		}
		nodes = append(nodes, parent)
		if parent.Kind == NodeRoot {
			break
		}
		child = parent.ID
	}
	slices.Reverse(nodes)

	fns := make([]func(), 0, 2*len(nodes))
	for i := range nodes {
		n := &nodes[i]
		fns = append(fns,
			func() { n.SCPs = l.orgPolicies(ctx, n.ID, types.PolicyTypeServiceControlPolicy) },
			func() { n.RCPs = l.orgPolicies(ctx, n.ID, types.PolicyTypeResourceControlPolicy) },
		)
	}
	parallel(fns...)
	return found(nodes, src)
}

// parent returns the one parent of an account or OU.
func (l *Lookup) parent(ctx context.Context, child string) (OrgNode, error) {
	return call(ctx, l, "organizations:ListParents\x00"+child, func(ctx context.Context) (OrgNode, error) {
		out, err := l.org.ListParents(ctx, &organizations.ListParentsInput{ChildId: &child})
		if err != nil {
			return OrgNode{}, err
		}
		// Every account and OU has exactly one parent.
		if len(out.Parents) == 0 {
			return OrgNode{}, nil
		}
		p := out.Parents[0]
		kind := NodeOU
		if p.Type == types.ParentTypeRoot {
			kind = NodeRoot
		}
		return OrgNode{ID: deref(p.Id), Kind: kind}, nil
	})
}

func (l *Lookup) orgPolicies(ctx context.Context, target string, kind types.PolicyType) Fact[[]OrgPolicy] {
	src := source("organizations:ListPoliciesForTarget", target+" "+string(kind))
	summaries, err := call(ctx, l, "organizations:ListPoliciesForTarget\x00"+target+"\x00"+string(kind), func(ctx context.Context) ([]types.PolicySummary, error) {
		var all []types.PolicySummary
		p := organizations.NewListPoliciesForTargetPaginator(l.org, &organizations.ListPoliciesForTargetInput{TargetId: &target, Filter: kind})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			all = append(all, page.Policies...)
		}
		sort.Slice(all, func(i, j int) bool { return deref(all[i].Id) < deref(all[j].Id) })
		return all, nil
	})
	if err != nil {
		return failed[[]OrgPolicy](err, "organizations:ListPoliciesForTarget", target, src)
	}
	policies := make([]OrgPolicy, len(summaries))
	fns := make([]func(), len(summaries))
	for i, s := range summaries {
		policies[i] = OrgPolicy{ID: deref(s.Id), Name: deref(s.Name), ARN: deref(s.Arn), AWSManaged: s.AwsManaged}
		fns[i] = func() { policies[i].Content = l.orgPolicyContent(ctx, policies[i].ID) }
	}
	parallel(fns...)
	return found(policies, src)
}

func (l *Lookup) orgPolicyContent(ctx context.Context, id string) Fact[string] {
	src := source("organizations:DescribePolicy", id)
	out, err := call(ctx, l, "organizations:DescribePolicy\x00"+id, func(ctx context.Context) (*organizations.DescribePolicyOutput, error) {
		return l.org.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: &id})
	})
	if err != nil {
		return failed[string](err, "organizations:DescribePolicy", id, src)
	}
	if out.Policy == nil || !isJSONObject(deref(out.Policy.Content)) {
		return unknown[string](src, "organizations:DescribePolicy on "+id+" returned a malformed policy")
	}
	return found(*out.Policy.Content, src)
}
