package access

import "testing"

func TestPlacement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mod      mod
		want     string
		endpoint string
	}{
		{name: "no connection runs outside the VPC", mod: func(*Facts) {}, want: RouteOutsideVPC},
		{name: "gateway endpoint on the subnet's route table", mod: inVPC(nil), want: RouteViaGateway, endpoint: "vpce-1"},
		{name: "the first connection with a subnet wins", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Job.Connections = append([]Connection{{Name: "kafka", Found: true, SubnetID: fact("", "aws_glue_connection.kafka")}}, f.Job.Connections...)
		}, want: RouteViaGateway, endpoint: "vpce-1"},
		{name: "an unresolved connection before any subnet is unknown", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Job.Connections = append([]Connection{{Name: "ghost"}}, f.Job.Connections...)
		}, want: RouteUnknown},
		{name: "a subnet id unknown until apply is unknown", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Job.Connections[0].SubnetID = Unknown[string](Provenance{Address: "aws_glue_connection.net"})
		}, want: RouteUnknown},
		{name: "no network facts for a VPC job is unknown", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network = nil
		}, want: RouteUnknown},
		{name: "main route table when the subnet has no association", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Subnets[0].RouteTableID = fact("", "aws_subnet.a")
			f.Network.VPCs = []VPC{{ID: "vpc-1", MainRouteTableID: fact("rtb-1", "aws_vpc.main")}}
		}, want: RouteViaGateway, endpoint: "vpce-1"},
		{name: "main route table of an unmanaged VPC is unknown", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Subnets[0].RouteTableID = fact("", "aws_subnet.a")
		}, want: RouteUnknown},
		{name: "an interface endpoint with private DNS takes the traffic", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Endpoints = append(f.Network.Endpoints, VPCEndpoint{ID: "vpce-if", VPCID: "vpc-1", ServiceName: "com.amazonaws." + region + ".s3", Type: EndpointInterface, PrivateDNS: true})
		}, want: RouteViaInterface, endpoint: "vpce-if"},
		{name: "an interface endpoint for inbound resolvers only leaves in-VPC traffic on the gateway", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Endpoints = append(f.Network.Endpoints, VPCEndpoint{ID: "vpce-if", VPCID: "vpc-1", ServiceName: "com.amazonaws." + region + ".s3", Type: EndpointInterface, PrivateDNS: true, InboundResolverOnly: true})
		}, want: RouteViaGateway, endpoint: "vpce-1"},
		{name: "an endpoint of another region is not a candidate", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Endpoints[0].ServiceName = "com.amazonaws.us-east-1.s3"
		}, want: RouteNoPath},
		{name: "a NAT route without an endpoint", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Subnets[0].RouteTableID = fact("rtb-nat", "aws_route_table_association.a")
		}, want: RouteViaNAT},
		{name: "routes not known", mod: func(f *Facts) {
			inVPC(nil)(f)
			f.Network.Endpoints = nil
			f.Network.RouteTables[0].HasNAT = Unknown[bool](Provenance{Address: "aws_route_table.a"})
		}, want: RouteUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := placement(with(tt.mod))
			if r.Kind != tt.want {
				t.Fatalf("got %s, want %s", r.Kind, tt.want)
			}
			if tt.want == RouteUnknown && r.Missing == nil {
				t.Fatal("an unknown route must name the missing fact")
			}
			if tt.endpoint != "" && (r.Endpoint == nil || r.Endpoint.ID != tt.endpoint) {
				t.Fatalf("endpoint %+v, want %s", r.Endpoint, tt.endpoint)
			}
		})
	}
}

func TestRouteFor(t *testing.T) {
	t.Parallel()
	gw := route{Kind: RouteViaGateway, Endpoint: &VPCEndpoint{ID: "vpce-1"}, VPCID: "vpc-1"}
	here := Known(region, Provenance{})
	tests := []struct {
		name         string
		intent       string
		disableProxy bool
		bucketRegion Value[string]
		want         string
	}{
		{name: "library reads use the Glue proxy", intent: OriginLibrary, bucketRegion: here, want: RouteGlueProxy},
		{name: "--disable-proxy-v2 sends library reads through the VPC", intent: OriginLibrary, disableProxy: true, bucketRegion: here, want: RouteViaGateway},
		{name: "data in the job's region uses the endpoint", intent: OriginDataRead, bucketRegion: here, want: RouteViaGateway},
		{name: "a bucket in another region never uses the gateway", intent: OriginDataRead, bucketRegion: Known("us-east-1", Provenance{}), want: RouteViaNAT},
		{name: "an unknown bucket region keeps the placement", intent: OriginTemp, want: RouteViaGateway},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := routeFor(gw, tt.intent, tt.disableProxy, tt.bucketRegion, region); got.Kind != tt.want {
				t.Fatalf("got %s, want %s", got.Kind, tt.want)
			}
		})
	}
}

// TestRequestContext checks the keys a request carries through the decision
// they change: the endpoint keys through a gateway, s3:prefix on listing, the
// ACL header and the SSE headers of a security configuration.
func TestRequestContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		facts *Facts
		allow bool
	}{
		{name: "s3:prefix carries the listed prefix", allow: true, facts: with(rolePolicy(
			allow(acts("s3:GetObject"), "arn:aws:s3:::etl-scripts/jobs/*"),
			allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::etl-tmp/glue/*"),
			`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::etl-tmp","Condition":{"StringLike":{"s3:prefix":["glue/*","glue/"]}}}`))},
		{name: "an s3:prefix condition excluding the prefix denies", facts: with(rolePolicy(
			allow(acts("s3:GetObject"), "arn:aws:s3:::etl-scripts/jobs/*"),
			allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::etl-tmp/glue/*"),
			`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::etl-tmp","Condition":{"StringLike":{"s3:prefix":"other/*"}}}`))},
		{name: "aws:SourceVpc is the VPC through a gateway endpoint", allow: true, facts: with(inVPC(nil),
			bucketPolicy("etl-tmp", `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::etl-tmp/*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}`))},
		{name: "SSE-KMS security configuration sets the encryption header", allow: true, facts: with(func(f *Facts) {
			f.Job.SecurityConfiguration = &SecurityConfiguration{Name: "sc", S3EncryptionMode: fact(S3EncryptionSSEKMS, "sc"), S3KMSKeyARN: fact(keyARN, "sc")}
			f.Keys = []KMSKey{{ARN: fact(keyARN, "aws_kms_key.data"), Account: fact(acctA, "aws_kms_key.data")}}
		}, addRolePolicy("aws_iam_role_policy.kms", allow(acts("kms:Decrypt", "kms:GenerateDataKey"), keyARN)),
			bucketPolicy("etl-tmp", `{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::etl-tmp/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"`+keyARN+`"}}}`))},
		{name: "principal tags are in the context", allow: true, facts: with(func(f *Facts) {
			f.Role.Tags = fact(map[string]string{"team": "data"}, "aws_iam_role.glue")
		}, bucketPolicy("etl-tmp", `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::etl-tmp/*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"data"}}}`))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tt.facts, Options{})
			if got := rep.Verdict == JobAllowed; got != tt.allow {
				t.Fatalf("allowed = %v, want %v: %s", got, tt.allow, dump(rep.Findings))
			}
		})
	}
}
