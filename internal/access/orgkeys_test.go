package access

import (
	"strings"
	"testing"
)

// The organization keys (aws:PrincipalOrgID, aws:PrincipalOrgPaths,
// aws:ResourceOrgID, aws:ResourceOrgPaths) come from the organization id and
// the tree; see "AWS global condition context keys" in the IAM User Guide.

func TestOrgPathFollowsTheTree(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mods    map[string]func(*OrgNode)
		account string
		want    string // "" = unknown
	}{
		{name: "account under an OU", account: acctA, want: "o-abc123/r-1/ou-1-data/"},
		{name: "account under the root", account: acctB, want: "o-abc123/r-1/"},
		{name: "nested OUs, root first", account: acctA, want: "o-abc123/r-1/ou-1-data/ou-1-inner/",
			mods: map[string]func(*OrgNode){acctA: func(n *OrgNode) { n.Parent = fact("ou-1-inner", "x") }}},
		{name: "unknown parent", account: acctA,
			mods: map[string]func(*OrgNode){"ou-1-data": func(n *OrgNode) { n.Parent = Unknown[string](Provenance{Address: "x"}) }}},
		{name: "parent not in the tree", account: acctA,
			mods: map[string]func(*OrgNode){acctA: func(n *OrgNode) { n.Parent = fact("ou-1-gone", "x") }}},
		{name: "parent cycle", account: acctA,
			mods: map[string]func(*OrgNode){"ou-1-data": func(n *OrgNode) { n.Parent = fact("ou-1-data", "x") }}},
		{name: "account not in the tree", account: "777788889999"},
		{name: "an OU is not an account", account: "ou-1-data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := with(orgTree(tc.mods))
			f.Org.Nodes = append(f.Org.Nodes, OrgNode{ID: "ou-1-inner", Kind: NodeOU, Parent: fact("ou-1-data", "x")})
			c := &checker{f: f}
			got, ok := c.orgPath(tc.account)
			if tc.want == "" {
				if ok {
					t.Fatalf("path of %s = %q, want unknown", tc.account, got)
				}
				return
			}
			if !ok || got != tc.want {
				t.Fatalf("path of %s = %q (%v), want %q", tc.account, got, ok, tc.want)
			}
		})
	}
}

// orgPerimeter is a statement of shared-data's policy that grants every
// principal whose organization key matches.
func orgPerimeter(op, key, value string) string {
	return `{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],` +
		`"Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"],"Condition":{"` + op + `":{"` + key + `":"` + value + `"}}}`
}

func TestOrgKeysDecidePerimeters(t *testing.T) {
	t.Parallel()
	tree := orgTree(nil)
	noID := func(f *Facts) { f.Org.ID = Unknown[string](Provenance{Address: "aws_organizations_organization.org"}) }
	unknownParent := func(f *Facts) {
		for i := range f.Org.Nodes {
			if f.Org.Nodes[i].ID == "ou-1-data" {
				f.Org.Nodes[i].Parent = Unknown[string](Provenance{Address: "aws_organizations_organizational_unit.data"})
			}
		}
	}
	// S3 counts a grant to "*" conditioned on aws:PrincipalOrgPaths as public
	// (the key is not among those that make a policy non-public), so the
	// paths cases turn RestrictPublicBuckets off to reach the condition.
	notRestricted := editBucket("shared-data", func(b *Bucket) {
		b.PublicAccess.RestrictPublicBuckets = fact(false, "aws_s3_bucket_public_access_block.shared")
	})
	cross := func(stmt string, mods ...mod) *Facts {
		return with(append(append(crossAccountRead(), bucketPolicy("shared-data", stmt), tree), mods...)...)
	}
	cases := []struct {
		name    string
		facts   *Facts
		verdict Verdict // "" = allowed
		reason  string
		missing string // a fact the unknown finding must name
	}{
		{name: "PrincipalOrgID inside", facts: cross(orgPerimeter("StringEquals", "aws:PrincipalOrgID", "o-abc123"))},
		{name: "PrincipalOrgID outside", facts: cross(orgPerimeter("StringEquals", "aws:PrincipalOrgID", "o-other0000")),
			verdict: Deny, reason: ReasonCrossAccountNoAllow},
		{name: "PrincipalOrgID without the organization id", facts: cross(orgPerimeter("StringEquals", "aws:PrincipalOrgID", "o-abc123"), noID),
			verdict: UnknownVerd, reason: ReasonConditionUnknown, missing: "aws:PrincipalOrgID"},
		{name: "PrincipalOrgID without an organization", facts: cross(orgPerimeter("StringEquals", "aws:PrincipalOrgID", "o-abc123"), func(f *Facts) { f.Org = nil }),
			verdict: UnknownVerd, reason: ReasonConditionUnknown, missing: "aws:PrincipalOrgID"},
		{name: "PrincipalOrgPaths inside the OU", facts: cross(orgPerimeter("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-abc123/r-1/ou-1-data/*"), notRestricted)},
		{name: "PrincipalOrgPaths outside the OU", facts: cross(orgPerimeter("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-abc123/r-1/ou-1-other/*"), notRestricted),
			verdict: Deny, reason: ReasonCrossAccountNoAllow},
		{name: "PrincipalOrgPaths with an unknown parent", facts: cross(orgPerimeter("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-abc123/r-1/ou-1-data/*"), unknownParent, notRestricted),
			verdict: UnknownVerd, reason: ReasonConditionUnknown, missing: "aws:PrincipalOrgPaths"},
	}
	// aws:ResourceOrgID and aws:ResourceOrgPaths in the role's own policy:
	// shared-data belongs to account B, directly under the root.
	resourceOrg := func(op, key, value string, mods ...mod) *Facts {
		return with(append([]mod{bucket("shared-data", acctB), bucketPolicy("shared-data", grantRoleOnShared), tree,
			addRolePolicy("aws_iam_role_policy.shared", `{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"],"Condition":{"`+op+`":{"`+key+`":"`+value+`"}}}`),
			access("s3://shared-data/in/", ModeRead)}, mods...)...)
	}
	cases = append(cases, []struct {
		name    string
		facts   *Facts
		verdict Verdict
		reason  string
		missing string
	}{
		{name: "ResourceOrgID inside", facts: resourceOrg("StringEquals", "aws:ResourceOrgID", "o-abc123")},
		{name: "ResourceOrgID outside", facts: resourceOrg("StringEquals", "aws:ResourceOrgID", "o-other0000"), verdict: Deny, reason: ReasonNoAllow},
		{name: "ResourceOrgID without the organization id", facts: resourceOrg("StringEquals", "aws:ResourceOrgID", "o-abc123", noID),
			verdict: UnknownVerd, reason: ReasonConditionUnknown, missing: "aws:ResourceOrgID"},
		{name: "ResourceOrgPaths at the root", facts: resourceOrg("ForAnyValue:StringEquals", "aws:ResourceOrgPaths", "o-abc123/r-1/")},
		{name: "ResourceOrgPaths elsewhere", facts: resourceOrg("ForAnyValue:StringEquals", "aws:ResourceOrgPaths", "o-abc123/r-1/ou-1-data/"), verdict: Deny, reason: ReasonNoAllow},
		{name: "ResourceOrgPaths without the organization id", facts: resourceOrg("ForAnyValue:StringEquals", "aws:ResourceOrgPaths", "o-abc123/r-1/", noID),
			verdict: UnknownVerd, reason: ReasonConditionUnknown, missing: "aws:ResourceOrgPaths"},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, Options{})
			var got *Finding
			for i := range rep.Findings {
				if rep.Findings[i].ID == GA001 || rep.Findings[i].ID == GA002 {
					got = &rep.Findings[i]
					break
				}
			}
			if tc.verdict == "" {
				if rep.Verdict != JobAllowed {
					t.Fatalf("want allowed, got %s: %s", rep.Verdict, dump(rep.Findings))
				}
				return
			}
			if got == nil || got.Verdict != tc.verdict || got.Reason != tc.reason {
				t.Fatalf("want %s/%s, got %s", tc.verdict, tc.reason, dump(rep.Findings))
			}
			if tc.missing == "" {
				return
			}
			named := false
			for _, m := range got.Missing {
				named = named || strings.Contains(m.Fact, tc.missing)
			}
			if !named {
				t.Fatalf("unknown finding does not name %s: %s", tc.missing, dump(got.Missing))
			}
		})
	}
}
