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
