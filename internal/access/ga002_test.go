package access

import "testing"

// crossAccountRead declares a read of s3://shared-data/in/ in account B and
// grants the role on it; mods change the bucket.
func crossAccountRead(mods ...func(*Bucket)) []mod {
	return []mod{
		bucket("shared-data", acctB, mods...),
		addRolePolicy("aws_iam_role_policy.shared",
			allow(acts("s3:GetObject"), "arn:aws:s3:::shared-data/in/*"),
			allow(acts("s3:ListBucket"), "arn:aws:s3:::shared-data")),
		access("s3://shared-data/in/", ModeRead),
	}
}

// grantRoleOnShared is a bucket policy statement of shared-data for the role.
const grantRoleOnShared = `{"Sid":"GlueRead","Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"]}`

// publicRead grants every principal read access to shared-data.
const publicRead = `{"Sid":"Public","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"]}`

// inVPC places the job in subnet-1 of vpc-1 whose route table rtb-1 routes
// S3 through gateway endpoint vpce-1 with the given policy (nil = default).
func inVPC(endpointPolicy *PolicyDoc) mod {
	return func(f *Facts) {
		f.Job.Connections = []Connection{{Name: "vpc-net", Found: true, Address: "aws_glue_connection.net", SubnetID: fact("subnet-1", "aws_glue_connection.net")}}
		f.Network = &Network{
			Subnets:     []Subnet{{ID: "subnet-1", Address: "aws_subnet.a", VPCID: fact("vpc-1", "aws_subnet.a"), RouteTableID: fact("rtb-1", "aws_route_table_association.a")}},
			RouteTables: []RouteTable{{ID: "rtb-1", HasNAT: fact(false, "aws_route_table.a")}, {ID: "rtb-nat", HasNAT: fact(true, "aws_route_table.nat")}},
			Endpoints: []VPCEndpoint{{ID: "vpce-1", Address: "aws_vpc_endpoint.s3", VPCID: "vpc-1", ServiceName: "com.amazonaws." + region + ".s3",
				Type: EndpointGateway, RouteTableIDs: []string{"rtb-1"}, Policy: endpointPolicy}},
		}
	}
}

// vpceDeny denies everything on etl-tmp unless through vpce-1.
const vpceDeny = `{"Sid":"OnlyFromVpce","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::etl-tmp","arn:aws:s3:::etl-tmp/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}`

func TestGA002(t *testing.T) {
	t.Parallel()
	runCases(t, GA002, []caseT{
		{
			name:  "a cross-account bucket without a policy allowing the role is denied",
			facts: with(crossAccountRead()...),
			want: want{verdict: Deny, reason: ReasonCrossAccountNoAllow, layer: "resource", policy: "bucket policy of shared-data", index: -1,
				target: TargetBucketPolicy, needs: []string{"s3:GetObject", "s3:ListBucket"}},
		},
		{
			name:  "a Deny with NotPrincipal naming only the role still denies its session",
			facts: with(bucketPolicy("etl-tmp", `{"Sid":"OnlyGlue","Effect":"Deny","NotPrincipal":{"AWS":"`+roleARN+`"},"Action":"s3:*","Resource":"arn:aws:s3:::etl-tmp/*"}`)),
			want: want{verdict: Deny, reason: ReasonNotPrincipalSession, layer: "resource", policy: "aws_s3_bucket_policy.etl_tmp", index: 0,
				target: TargetBucketPolicy, needs: []string{"s3:PutObject"}},
		},
		{
			name:  "an aws:SourceVpce deny blocks a job without a VPC connection",
			facts: with(bucketPolicy("etl-tmp", vpceDeny)),
			want: want{verdict: Deny, reason: ReasonVPCECondition, layer: "resource", policy: "aws_s3_bucket_policy.etl_tmp", index: 0,
				target: TargetBucketPolicy, needs: []string{"s3:ListBucket", "s3:PutObject"}},
		},
		{
			name: "an encryption-enforcing deny blocks a job without an SSE-KMS security configuration",
			facts: with(bucketPolicy("etl-tmp",
				`{"Sid":"RequireKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::etl-tmp/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}`)),
			want: want{verdict: Deny, reason: ReasonSSECondition, layer: "resource", policy: "aws_s3_bucket_policy.etl_tmp", index: 0,
				target: TargetBucketPolicy, needs: []string{"s3:PutObject"}},
		},
		{
			name: "a cross-account bucket policy allowing only the Glue service principal is denied",
			facts: with(append(crossAccountRead(), bucketPolicy("shared-data",
				`{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"s3:*","Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"]}`))...),
			want: want{verdict: Deny, reason: ReasonServicePrincipalOnly, layer: "resource", policy: "aws_s3_bucket_policy.shared_data", index: -1, target: TargetBucketPolicy},
		},
		{
			name: "RestrictPublicBuckets sets aside a public grant for a cross-account role",
			facts: with(append(crossAccountRead(func(b *Bucket) {
				b.PublicAccess.RestrictPublicBuckets = fact(true, "aws_s3_bucket_public_access_block.shared")
			}), bucketPolicy("shared-data", publicRead))...),
			want: want{verdict: Deny, reason: ReasonRestrictPublicBuckets, layer: "resource", policy: "aws_s3_bucket_policy.shared_data", index: -1, target: TargetBucketPolicy},
		},
		{
			name: "without RestrictPublicBuckets a public grant covers a cross-account role",
			facts: with(append(crossAccountRead(func(b *Bucket) {
				b.PublicAccess.RestrictPublicBuckets = fact(false, "aws_s3_bucket_public_access_block.shared")
			}), bucketPolicy("shared-data", publicRead))...),
		},
		{
			name:  "a cross-account bucket policy naming the role is allowed",
			facts: with(append(crossAccountRead(), bucketPolicy("shared-data", grantRoleOnShared))...),
		},
		{
			name:  "an aws:SourceVpce deny is met by a job routed through that gateway endpoint",
			facts: with(bucketPolicy("etl-tmp", vpceDeny), inVPC(nil)),
		},
		{
			name:  "a NotPrincipal deny listing the account, the role and its session is allowed",
			facts: with(bucketPolicy("etl-tmp", `{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::`+acctA+`:root","`+roleARN+`","arn:aws:sts::`+acctA+`:assumed-role/glue-etl/GlueJobRunnerSession"]},"Action":"s3:*","Resource":"arn:aws:s3:::etl-tmp/*"}`)),
		},
		{
			name:  "a bucket that is not in the plan is unknown",
			facts: with(access("s3://elsewhere/data/", ModeRead), addRolePolicy("aws_iam_role_policy.x", allow(acts("s3:GetObject", "s3:ListBucket"), "arn:aws:s3:::elsewhere", "arn:aws:s3:::elsewhere/*"))),
			want:  want{verdict: UnknownVerd, reason: ReasonBucketNotInPlan},
		},
		{
			name: "an IP allow-list deny is unknown for a job outside a VPC",
			facts: with(bucketPolicy("etl-tmp",
				`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::etl-tmp/*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`)),
			want: want{verdict: UnknownVerd, reason: ReasonConditionUnknown, layer: "resource", policy: "aws_s3_bucket_policy.etl_tmp", index: 0},
		},
		{
			name: "an existing bucket whose policy is managed elsewhere is unknown",
			facts: with(editBucket("etl-tmp", func(b *Bucket) {
				b.CreatedInPlan = false
				b.ObjectOwnership = fact(OwnershipBucketOwnerEnforced, "aws_s3_bucket_ownership_controls.tmp")
				b.Policy = &PolicyDoc{Label: "policy of etl-tmp", From: Provenance{Note: "existing bucket, policy not managed in the plan"}}
			})),
			want: want{verdict: UnknownVerd, reason: ReasonBucketPolicyUnmanaged},
		},
	})
}

// TestRestrictPublicBucketsNotKnown: an existing cross-account bucket that
// grants the role only through a public statement depends on its
// RestrictPublicBuckets setting; not knowing it must not let the job pass.
func TestRestrictPublicBucketsNotKnown(t *testing.T) {
	t.Parallel()
	existing := func(b *Bucket) {
		b.CreatedInPlan = false
		b.ObjectOwnership = fact(OwnershipBucketOwnerEnforced, "aws_s3_bucket_ownership_controls.shared")
	}
	runCases(t, GA002, []caseT{
		{
			name:  "a public grant is unknown when RestrictPublicBuckets is not known",
			facts: with(append(crossAccountRead(existing), bucketPolicy("shared-data", publicRead))...),
			want:  want{verdict: UnknownVerd, reason: ReasonRestrictPublicBuckets, needs: []string{"s3:GetObject", "s3:ListBucket"}},
		},
		{
			name:  "a grant naming the role does not depend on RestrictPublicBuckets",
			facts: with(append(crossAccountRead(existing), bucketPolicy("shared-data", publicRead, grantRoleOnShared))...),
		},
	})
}

// TestVPCEKeysNeedTheBucketRegion: a gateway endpoint serves only buckets of
// its own Region, so whether a request carries aws:SourceVpce depends on the
// bucket's Region; not knowing it must not satisfy an endpoint condition.
func TestVPCEKeysNeedTheBucketRegion(t *testing.T) {
	t.Parallel()
	f := with(bucketPolicy("etl-tmp", vpceDeny), inVPC(nil), editBucket("etl-tmp", func(b *Bucket) { b.Region = Value[string]{} }))
	rep := Check(f, Options{})
	got := findingOf(rep, GA002)
	if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonConditionUnknown {
		t.Fatalf("want GA002 unknown on aws:SourceVpce, got %s", dump(rep.Findings))
	}
}
