package access

import "testing"

const mgmtAccount = "999988887777"

// orgTree is root r-1 → ou-1-data → account A, and account B under the root.
// Each node mod changes one node by id.
func orgTree(nodeMods map[string]func(*OrgNode)) mod {
	return func(f *Facts) {
		nodes := []OrgNode{
			{ID: "r-1", Kind: NodeRoot},
			{ID: "ou-1-data", Kind: NodeOU, Parent: fact("r-1", "aws_organizations_organizational_unit.data")},
			{ID: acctA, Kind: NodeAccount, Parent: fact("ou-1-data", "aws_organizations_account.etl")},
			{ID: acctB, Kind: NodeAccount, Parent: fact("r-1", "aws_organizations_account.shared")},
		}
		for i := range nodes {
			if m, ok := nodeMods[nodes[i].ID]; ok {
				m(&nodes[i])
			}
		}
		f.Org = &Organization{ID: fact("o-abc123", "aws_organizations_organization.org"), ManagementAccount: fact(mgmtAccount, "aws_organizations_organization.org"), Nodes: nodes}
	}
}

// scp attaches SCP statements to a node.
func scp(label string, stmts ...string) func(*OrgNode) {
	return func(n *OrgNode) { n.SCPs = append(n.SCPs, doc(label, policy(stmts...))) }
}

// rcp attaches RCP statements to a node.
func rcp(label string, stmts ...string) func(*OrgNode) {
	return func(n *OrgNode) { n.RCPs = append(n.RCPs, doc(label, policy(stmts...))) }
}

const denyDelete = `{"Sid":"NoDeletes","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`

func TestGA007(t *testing.T) {
	t.Parallel()
	runCases(t, GA007, []caseT{
		{
			name:  "an SCP deny at the OU level blocks the TempDir deletes",
			facts: with(orgTree(map[string]func(*OrgNode){"ou-1-data": scp("aws_organizations_policy.no_deletes", denyDelete)})),
			want: want{verdict: Deny, reason: ReasonSCPDeny, layer: "scp", policy: "aws_organizations_policy.no_deletes", index: 0,
				target: TargetSCP, needs: []string{"s3:DeleteObject"}},
		},
		{
			name: "an RCP perimeter on the bucket's account denies principals of other accounts",
			facts: with(append(crossAccountRead(), bucketPolicy("shared-data", grantRoleOnShared),
				orgTree(map[string]func(*OrgNode){acctB: rcp("aws_organizations_policy.perimeter",
					`{"Sid":"OwnAccountOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"`+acctB+`"}}}`)}))...),
			want: want{verdict: Deny, reason: ReasonRCPDeny, layer: "rcp", policy: "aws_organizations_policy.perimeter", index: 0,
				target: TargetRCP, needs: []string{"s3:GetObject", "s3:ListBucket"}},
		},
		{
			name: "an allow-list SCP at the account level without s3:DeleteObject",
			facts: with(orgTree(map[string]func(*OrgNode){acctA: func(n *OrgNode) {
				n.FullAWSAccessDetached = true
				scp("aws_organizations_policy.allow_list", allow(acts("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:*MultipartUpload*"), "*"))(n)
			}})),
			want: want{verdict: Deny, reason: ReasonSCPNoAllowAtLevel, layer: "scp", policy: acctA, index: -1,
				target: TargetSCP, needs: []string{"s3:DeleteObject"}},
		},
		{
			name: "an SCP deny at the root on a network perimeter blocks a job outside a VPC",
			facts: with(orgTree(map[string]func(*OrgNode){"r-1": scp("aws_organizations_policy.perimeter",
				`{"Sid":"OnlyVpce","Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"Null":{"aws:SourceVpce":"true"}}}`)})),
			want: want{verdict: Deny, reason: ReasonSCPDeny, layer: "scp", policy: "aws_organizations_policy.perimeter", index: 0, target: TargetSCP},
		},
		{
			name: "an SCP deny with an exception for the role does not apply",
			facts: with(orgTree(map[string]func(*OrgNode){"ou-1-data": scp("aws_organizations_policy.no_deletes",
				`{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/etl/*"}}}`)})),
		},
		{
			name: "the management account is not governed by SCPs",
			facts: with(orgTree(map[string]func(*OrgNode){"r-1": scp("aws_organizations_policy.no_deletes", denyDelete)}), func(f *Facts) {
				f.Org.ManagementAccount = fact(acctA, "aws_organizations_organization.org")
			}),
		},
		{
			name: "an RCP attached where the bucket's account is not does not apply",
			facts: with(orgTree(map[string]func(*OrgNode){acctB: rcp("aws_organizations_policy.perimeter",
				`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"`+acctB+`"}}}`)})),
		},
		{
			name: "an OU deny whose member accounts are not known is unknown",
			facts: with(orgTree(map[string]func(*OrgNode){"ou-1-data": scp("aws_organizations_policy.no_deletes", denyDelete)}), func(f *Facts) {
				f.Org.Nodes = f.Org.Nodes[:2] // account A's place is not in the inputs
			}),
			want: want{verdict: UnknownVerd, reason: ReasonOrgStructureUnknown, layer: "scp"},
		},
	})
}

func TestNoOrgDataIsAnAssumption(t *testing.T) {
	t.Parallel()
	rep := Check(base(), Options{})
	if rep.Verdict != JobAllowed {
		t.Fatalf("want allowed, got %s", dump(rep.Findings))
	}
	for _, a := range rep.Assumptions {
		if a.Code == "no-org-data" {
			return
		}
	}
	t.Fatalf("want the no-org-data assumption, got %s", dump(rep.Assumptions))
}

// TestEveryBlockingLayerIsReported: a bucket-policy Deny and an SCP Deny on
// the same request are two findings with their own fixes, so fixing one
// does not reveal the other only on the next run.
func TestEveryBlockingLayerIsReported(t *testing.T) {
	t.Parallel()
	f := with(bucketPolicy("etl-tmp", `{"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::etl-tmp/*"}`),
		orgTree(map[string]func(*OrgNode){"ou-1-data": scp("aws_organizations_policy.no_deletes", denyDelete)}))
	rep := Check(f, Options{})
	ga002, ga007 := findingOf(rep, GA002), findingOf(rep, GA007)
	if ga002 == nil || ga007 == nil || ga002.Fix.Target != TargetBucketPolicy || ga007.Fix.Target != TargetSCP {
		t.Fatalf("want a GA002 and a GA007 deny, got %s", dump(rep.Findings))
	}
	if after := Check(applyAll(t, f, rep), Options{}); after.Verdict != JobAllowed {
		t.Fatalf("fixes did not allow: %s", dump(after.Findings))
	}
}

// parentUnknown makes a node's place in the tree unknown, as for an
// attachment target whose aws_organizations_account is not in the inputs.
func parentUnknown(n *OrgNode) {
	n.Parent = Unknown[string](Provenance{Address: "aws_organizations_policy_attachment.x", Note: "organization node not in the plan"})
}

// TestGA007AccountPathPartlyKnown: only OU levels between the root and the
// account are uncertain when the account's parent is not known; the account
// itself, the root and every ancestor reached by known parents are on the
// path.
func TestGA007AccountPathPartlyKnown(t *testing.T) {
	t.Parallel()
	runCases(t, GA007, []caseT{
		{
			name: "an SCP attached to the job's own account denies although its parent is not known",
			facts: with(orgTree(map[string]func(*OrgNode){acctA: func(n *OrgNode) {
				parentUnknown(n)
				scp("aws_organizations_policy.no_deletes", denyDelete)(n)
			}})),
			want: want{verdict: Deny, reason: ReasonSCPDeny, layer: "scp", policy: "aws_organizations_policy.no_deletes", index: 0,
				target: TargetSCP, needs: []string{"s3:DeleteObject"}},
		},
		{
			name: "the account alone in the inputs, with an SCP attached to it, denies",
			facts: with(orgTree(map[string]func(*OrgNode){acctA: func(n *OrgNode) {
				parentUnknown(n)
				scp("aws_organizations_policy.no_deletes", denyDelete)(n)
			}}), func(f *Facts) { f.Org.Nodes = f.Org.Nodes[2:3] }),
			want: want{verdict: Deny, reason: ReasonSCPDeny, layer: "scp", policy: "aws_organizations_policy.no_deletes", index: 0, target: TargetSCP},
		},
		{
			name: "an SCP at the root denies although the account's parent is not known",
			facts: with(orgTree(map[string]func(*OrgNode){
				"r-1": scp("aws_organizations_policy.no_deletes", denyDelete),
				acctA: parentUnknown,
			})),
			want: want{verdict: Deny, reason: ReasonSCPDeny, layer: "scp", policy: "aws_organizations_policy.no_deletes", index: 0, target: TargetSCP},
		},
		{
			name: "an allow-list on the job's account without s3:DeleteObject denies although its parent is not known",
			facts: with(orgTree(map[string]func(*OrgNode){acctA: func(n *OrgNode) {
				parentUnknown(n)
				n.FullAWSAccessDetached = true
				scp("aws_organizations_policy.allow_list", allow(acts("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:*MultipartUpload*"), "*"))(n)
			}})),
			want: want{verdict: Deny, reason: ReasonSCPNoAllowAtLevel, layer: "scp", policy: acctA, index: -1, target: TargetSCP},
		},
		{
			name: "an OU reached by a known parent is on the path even when its own parent is not known",
			facts: with(orgTree(map[string]func(*OrgNode){"ou-1-data": func(n *OrgNode) {
				parentUnknown(n)
				scp("aws_organizations_policy.no_deletes", denyDelete)(n)
			}})),
			want: want{verdict: Deny, reason: ReasonSCPDeny, layer: "scp", policy: "aws_organizations_policy.no_deletes", index: 0, target: TargetSCP},
		},
		{
			name: "an OU deny stays unknown when the account's parent is not known",
			facts: with(orgTree(map[string]func(*OrgNode){
				"ou-1-data": scp("aws_organizations_policy.no_deletes", denyDelete),
				acctA:       parentUnknown,
			})),
			want: want{verdict: UnknownVerd, reason: ReasonOrgStructureUnknown, layer: "scp"},
		},
		{
			name: "an RCP attached to the bucket's own account denies although its parent is not known",
			facts: with(append(crossAccountRead(), bucketPolicy("shared-data", grantRoleOnShared),
				orgTree(map[string]func(*OrgNode){acctB: func(n *OrgNode) {
					parentUnknown(n)
					rcp("aws_organizations_policy.perimeter",
						`{"Sid":"OwnAccountOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"`+acctB+`"}}}`)(n)
				}}))...),
			want: want{verdict: Deny, reason: ReasonRCPDeny, layer: "rcp", policy: "aws_organizations_policy.perimeter", index: 0, target: TargetRCP},
		},
	})
}

// TestGA007ParentCycleTerminates: a parent chain that loops (bad input) must
// not hang Check; the nodes the chain names are still taken as the path.
func TestGA007ParentCycleTerminates(t *testing.T) {
	t.Parallel()
	f := with(orgTree(map[string]func(*OrgNode){
		"ou-1-data": func(n *OrgNode) {
			n.Parent = fact(acctA, "declared")
			scp("aws_organizations_policy.no_deletes", denyDelete)(n)
		},
	}))
	rep := Check(f, Options{})
	got := findingOf(rep, GA007)
	if got == nil || got.Verdict != Deny || got.Reason != ReasonSCPDeny {
		t.Fatalf("want a GA007 scp-deny from the OU the account names as parent, got %s", dump(rep.Findings))
	}
}

// TestGA007UncertainLevelWithPolicyNotKnown: an OU that may be on the
// account's path carries an SCP whose text is not known; it may deny, so the
// result cannot be allowed.
func TestGA007UncertainLevelWithPolicyNotKnown(t *testing.T) {
	t.Parallel()
	f := with(orgTree(map[string]func(*OrgNode){
		"ou-1-data": func(n *OrgNode) {
			n.SCPs = append(n.SCPs, PolicyDoc{Label: "aws_organizations_policy.later", From: Provenance{Address: "aws_organizations_policy.later", Attribute: "content"}})
		},
		acctA: parentUnknown,
	}))
	rep := Check(f, Options{})
	got := findingOf(rep, GA007)
	if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonOrgStructureUnknown {
		t.Fatalf("want GA007 unknown org-structure-unknown, got %s", dump(rep.Findings))
	}
}

// TestManagementAccountNotKnown: the SCPs are applied (an unknown
// management account never exempts the job) and the report says what was
// taken as true.
func TestManagementAccountNotKnown(t *testing.T) {
	t.Parallel()
	f := with(orgTree(map[string]func(*OrgNode){"r-1": scp("aws_organizations_policy.no_deletes", denyDelete)}), func(f *Facts) {
		f.Org.ManagementAccount = Unknown[string](Provenance{Note: "aws_organizations_organization not in the plan"})
	})
	rep := Check(f, Options{})
	if got := findingOf(rep, GA007); got == nil || got.Verdict != Deny || got.Reason != ReasonSCPDeny {
		t.Fatalf("want GA007 scp-deny, got %s", dump(rep.Findings))
	}
	for _, a := range rep.Assumptions {
		if a.Code == "member-accounts" {
			return
		}
	}
	t.Fatalf("want the member-accounts assumption, got %s", dump(rep.Assumptions))
}
