package awslive

import (
	"context"
	"reflect"
	"testing"
)

// wantFact compares a fact with the expected status, value and source.
func wantFact[T any](t *testing.T, what string, got Fact[T], status Status, value T, src string) {
	t.Helper()
	if got.Status != status {
		t.Errorf("%s: status %s (reason %q), want %s", what, got.Status, got.Reason, status)
	}
	if !reflect.DeepEqual(got.Value, value) {
		t.Errorf("%s: value\n got %#v\nwant %#v", what, got.Value, value)
	}
	if got.Source != src {
		t.Errorf("%s: source %q, want %q", what, got.Source, src)
	}
	if status != Unknown && got.Reason != "" {
		t.Errorf("%s: reason %q on a %s fact", what, got.Reason, status)
	}
}

func TestBucketFound(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	b := newTestLookup(t, f).Bucket(context.Background(), bucketName)

	const arn = "arn:aws:s3:::sales-data"
	wantFact(t, "region", b.Region, Found, "eu-west-1", "s3:GetBucketLocation "+arn+" (live)")
	wantFact(t, "policy", b.Policy, Found, bucketPolicyJSON, "s3:GetBucketPolicy "+arn+" (live)")
	wantFact(t, "ownership", b.ObjectOwnership, Found, "BucketOwnerEnforced", "s3:GetBucketOwnershipControls "+arn+" (live)")
	wantFact(t, "payer", b.RequestPayer, Found, "Requester", "s3:GetBucketRequestPayment "+arn+" (live)")
	wantFact(t, "encryption", b.Encryption, Found,
		BucketEncryption{SSEAlgorithm: "aws:kms", KMSKeyID: keyARN, BucketKeyEnabled: true},
		"s3:GetEncryptionConfiguration "+arn+" (live)")
	wantFact(t, "public access", b.PublicAccessBlock, Found,
		PublicAccessBlock{BlockPublicACLs: true, IgnorePublicACLs: true, BlockPublicPolicy: true},
		"s3:GetBucketPublicAccessBlock "+arn+" (live)")

	for _, r := range f.log {
		if r.Op != "s3:unsupported" && r.Path != "/"+bucketName {
			t.Errorf("%s sent to path %q, want path-style /%s", r.Op, r.Path, bucketName)
		}
	}
}

func TestBucketRegion(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		reply  reply
		status Status
		want   string
	}{
		"us-east-1 reports an empty constraint": {
			reply:  reply{status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint ` + s3NS + `/>`},
			status: Found, want: "us-east-1",
		},
		"legacy EU means eu-west-1": {
			reply:  reply{status: 200, body: `<LocationConstraint ` + s3NS + `>EU</LocationConstraint>`},
			status: Found, want: "eu-west-1",
		},
		"a redirect names the region in its header": {
			reply: reply{status: 301, header: map[string]string{"X-Amz-Bucket-Region": "ap-southeast-2"},
				body: `<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>`},
			status: Found, want: "ap-southeast-2",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			f.on("s3:GetBucketLocation", func(int, request) reply { return tc.reply })
			got := newTestLookup(t, f).Bucket(context.Background(), bucketName).Region
			wantFact(t, "region", got, tc.status, tc.want, "s3:GetBucketLocation arn:aws:s3:::sales-data (live)")
		})
	}
}

func TestKeyFound(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	k := newTestLookup(t, f).Key(context.Background(), keyARN)

	wantFact(t, "metadata", k.Metadata, Found, KeyMetadata{
		ARN: keyARN, KeyID: keyID, Account: acct, KeyManager: "CUSTOMER",
		KeyState: "Enabled", Enabled: true, KeyUsage: "ENCRYPT_DECRYPT",
	}, "kms:DescribeKey "+keyARN+" (live)")
	wantFact(t, "policy", k.Policy, Found, keyPolicyJSON, "kms:GetKeyPolicy "+keyARN+" (live)")
	wantFact(t, "grants", k.Grants, Found, []Grant{
		{GrantID: "g-1", GranteePrincipal: "arn:aws:iam::444455556666:root", IssuingAccount: "arn:aws:iam::111122223333:root", Operations: []string{"Decrypt"}},
		{GrantID: "g-2", Name: "glue", GranteePrincipal: roleARN, IssuingAccount: "arn:aws:iam::111122223333:root",
			Operations: []string{"Decrypt", "GenerateDataKey"}, EncryptionContextSubset: map[string]string{"aws:s3:arn": "arn:aws:s3:::sales-data"}},
	}, "kms:ListGrants "+keyARN+" (live)")
	if n := f.count("kms:ListGrants"); n != 2 {
		t.Errorf("kms:ListGrants requests = %d, want 2 (two pages)", n)
	}
}

func TestKeyPolicyOfAnotherAccountIsNotAsked(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	f.on("sts:GetCallerIdentity", ok(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::444455556666:assumed-role/ci/s</Arn><UserId>AROAX:s</UserId><Account>444455556666</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`))
	k := newTestLookup(t, f).Key(context.Background(), keyARN)

	if k.Metadata.Status != Found || k.Grants.Status != Found {
		t.Errorf("metadata %s, grants %s: DescribeKey and ListGrants work across accounts and should be found", k.Metadata, k.Grants)
	}
	wantFact(t, "policy", k.Policy, Unknown, "", "kms:GetKeyPolicy "+keyARN+" (live)")
	const reason = "kms:GetKeyPolicy works only with credentials of the key's account 111122223333; the lookup ran in account 444455556666"
	if k.Policy.Reason != reason {
		t.Errorf("policy reason %q, want %q", k.Policy.Reason, reason)
	}
	if n := f.count("kms:GetKeyPolicy"); n != 0 {
		t.Errorf("kms:GetKeyPolicy requests = %d, want 0", n)
	}
}

func TestRoleFound(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	r := newTestLookup(t, f).Role(context.Background(), roleARN)

	wantFact(t, "role", r.Role, Found, RoleInfo{
		ARN: roleARN, Name: "glue-etl", Path: "/service/", Account: acct, RoleID: "AROAEXAMPLEROLEID123",
		TrustPolicy: trustJSON, BoundaryARN: boundARN, Tags: map[string]string{"team": "data"},
	}, "iam:GetRole "+roleARN+" (live)")
	wantFact(t, "inline", r.Inline, Found, []InlinePolicy{
		{Name: "read-data", Document: found(readDataJSON, "iam:GetRolePolicy "+roleARN+" read-data (live)")},
		{Name: "write-temp", Document: found(writeTempJSON, "iam:GetRolePolicy "+roleARN+" write-temp (live)")},
	}, "iam:ListRolePolicies "+roleARN+" (live)")
	wantFact(t, "attached", r.Attached, Found, []ManagedPolicy{
		{ARN: dataPolARN, Name: "glue-data", Document: found(dataPolJSON, "iam:GetPolicyVersion "+dataPolARN+" v2 (live)")},
		{ARN: glueARN, Name: "AWSGlueServiceRole", AWSManaged: true, Document: unknown[string]("iam:GetPolicy "+glueARN+" (live)",
			"AWS managed policy: not looked up (glueaccess embeds the AWS managed policies)")},
	}, "iam:ListAttachedRolePolicies "+roleARN+" (live)")
	wantFact(t, "boundary", r.Boundary, Found, ManagedPolicy{
		ARN: boundARN, Name: "boundary", Document: found(boundJSON, "iam:GetPolicyVersion "+boundARN+" v1 (live)"),
	}, "iam:GetRole "+roleARN+" (live)")
	if n := f.count("iam:GetPolicy"); n != 2 {
		t.Errorf("iam:GetPolicy requests = %d, want 2 (the AWS managed policy is not fetched)", n)
	}
}

func TestRoleRefs(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		ref    string
		status Status
		reason string
	}{
		"a bare name is looked up in the caller's account": {ref: "glue-etl", status: Found},
		"an ARN of another account is not asked": {
			ref:    "arn:aws:iam::444455556666:role/glue-etl",
			status: Unknown, reason: "iam:GetRole reads only the credentials' own account 111122223333; the role is in account 444455556666",
		},
		"a name with a slash is rejected": {ref: "service/glue-etl", status: Unknown, reason: `not a role name or ARN: "service/glue-etl"`},
		"a user ARN is not a role":        {ref: "arn:aws:iam::111122223333:user/bob", status: Unknown, reason: `not a role ARN: "arn:aws:iam::111122223333:user/bob"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			r := newTestLookup(t, f).Role(context.Background(), tc.ref)
			if r.Role.Status != tc.status || r.Role.Reason != tc.reason {
				t.Errorf("role = %s %q, want %s %q", r.Role.Status, r.Role.Reason, tc.status, tc.reason)
			}
			if tc.status == Unknown {
				if n := f.count("iam:GetRole"); n != 0 {
					t.Errorf("iam:GetRole requests = %d, want 0", n)
				}
				if r.Inline.Status != Unknown || r.Attached.Status != Unknown || r.Boundary.Status != Unknown {
					t.Errorf("inline %s, attached %s, boundary %s: want all unknown", r.Inline.Status, r.Attached.Status, r.Boundary.Status)
				}
			}
		})
	}
}

func TestNetworkFound(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	n := newTestLookup(t, f).Network(context.Background(), subnetID)

	wantFact(t, "subnet", n.Subnet, Found, Subnet{ID: subnetID, VPCID: vpcID, AvailabilityZone: "eu-west-1a", OwnerAccount: acct},
		"ec2:DescribeSubnets "+subnetID+" (live)")
	wantFact(t, "route table", n.RouteTable, Found, RouteTable{ID: "rtb-private", HasNAT: true, Routes: []Route{
		{Destination: "10.0.0.0/16", Target: "local", State: "active"},
		{Destination: "0.0.0.0/0", Target: "nat-0f00", State: "active"},
		{Destination: "pl-6da54004", Target: "vpce-1a2b3c4d", State: "active"},
	}}, "ec2:DescribeRouteTables "+subnetID+" (live)")
	wantFact(t, "endpoints", n.Endpoints, Found, []Endpoint{
		{ID: "vpce-1a2b3c4d", Type: "Gateway", ServiceName: "com.amazonaws.eu-west-1.s3", State: "available",
			RouteTableIDs: []string{"rtb-main", "rtb-private"}, Policy: endpointJSON},
		{ID: "vpce-9if", Type: "Interface", ServiceName: "com.amazonaws.eu-west-1.s3", State: "available",
			PrivateDNS: true, InboundResolverOnly: true, Policy: fullAccessJSON},
	}, "ec2:DescribeVpcEndpoints "+vpcID+" (live)")
}

func TestNetworkMainRouteTable(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	f.on("ec2:DescribeRouteTables", func(n int, r request) reply {
		if r.Params.Get("Filter.1.Name") == "association.subnet-id" {
			return reply{status: 200, body: ec2Response("DescribeRouteTables", `<routeTableSet/>`)}
		}
		return world()["ec2:DescribeRouteTables"](n, r)
	})
	n := newTestLookup(t, f).Network(context.Background(), subnetID)

	// The main table routes 0.0.0.0/0 to an internet gateway only: no NAT.
	wantFact(t, "route table", n.RouteTable, Found, RouteTable{ID: "rtb-main", Main: true, Routes: []Route{
		{Destination: "10.0.0.0/16", Target: "local", State: "active"},
		{Destination: "0.0.0.0/0", Target: "igw-0f00", State: "active"},
	}}, "ec2:DescribeRouteTables "+vpcID+" main (live)")
}

func TestOrganizationFound(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	o := newTestLookup(t, f).Organization(context.Background(), acct)

	wantFact(t, "organization", o.Organization, Found, Organization{
		ID: orgID, ARN: "arn:aws:organizations::999988887777:organization/" + orgID,
		ManagementAccount: mgmtAcct, FeatureSet: "ALL",
	}, "organizations:DescribeOrganization (live)")

	full := OrgPolicy{ID: "p-FullAWSAccess", Name: "FullAWSAccess", ARN: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
		AWSManaged: true, Content: found(fullAccessJSON, "organizations:DescribePolicy p-FullAWSAccess (live)")}
	scps := func(target string, ps ...OrgPolicy) Fact[[]OrgPolicy] {
		return found(ps, "organizations:ListPoliciesForTarget "+target+" SERVICE_CONTROL_POLICY (live)")
	}
	rcps := func(target string, ps ...OrgPolicy) Fact[[]OrgPolicy] {
		if ps == nil {
			ps = []OrgPolicy{}
		}
		return found(ps, "organizations:ListPoliciesForTarget "+target+" RESOURCE_CONTROL_POLICY (live)")
	}
	wantFact(t, "path", o.Path, Found, []OrgNode{
		{ID: rootID, Kind: NodeRoot, SCPs: scps(rootID, full), RCPs: rcps(rootID, OrgPolicy{
			ID: "p-rcp00001", Name: "org-only", ARN: "arn:aws:organizations::999988887777:policy/" + orgID + "/resource_control_policy/p-rcp00001",
			Content: found(rcpJSON, "organizations:DescribePolicy p-rcp00001 (live)"),
		})},
		{ID: ouID, Kind: NodeOU, SCPs: scps(ouID, full, OrgPolicy{
			ID: "p-region01", Name: "deny-other-regions", ARN: "arn:aws:organizations::999988887777:policy/" + orgID + "/service_control_policy/p-region01",
			Content: found(denyRegionJSON, "organizations:DescribePolicy p-region01 (live)"),
		}), RCPs: rcps(ouID)},
		{ID: acct, Kind: NodeAccount, SCPs: scps(acct, full), RCPs: rcps(acct)},
	}, "organizations:ListParents "+acct+" (live)")
	if n := f.count("organizations:DescribePolicy"); n != 3 {
		t.Errorf("organizations:DescribePolicy requests = %d, want 3 (FullAWSAccess is attached three times, fetched once)", n)
	}
}

func TestCallerAccount(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	wantFact(t, "caller", newTestLookup(t, f).CallerAccount(context.Background()), Found, acct, "sts:GetCallerIdentity (live)")
}
