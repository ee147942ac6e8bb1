package access

import "testing"

// endpointPolicy is a VPC endpoint policy document.
func endpointPolicy(stmts ...string) *PolicyDoc {
	d := doc("aws_vpc_endpoint_policy.s3", policy(stmts...))
	return &d
}

// anyone is an endpoint statement for every principal.
func anyone(effect string, actions []string, resources ...string) string {
	s := stmt(effect, actions, resources...)
	return `{"Principal":"*",` + s[1:]
}

var tmpARNs = []string{"arn:aws:s3:::etl-tmp", "arn:aws:s3:::etl-tmp/*"}

func TestGA004(t *testing.T) {
	t.Parallel()
	runCases(t, GA004, []caseT{
		{
			name:  "an endpoint policy listing only read actions denies the TempDir writes",
			facts: with(inVPC(endpointPolicy(anyone("Allow", acts("s3:GetObject", "s3:ListBucket"), tmpARNs...)))),
			want: want{verdict: Deny, reason: ReasonEndpointNoAllow, layer: "vpc-endpoint", policy: "aws_vpc_endpoint_policy.s3", index: -1,
				target: TargetEndpointPolicy, needs: []string{"s3:PutObject", "s3:DeleteObject"}},
		},
		{
			name:  "an explicit deny in the endpoint policy is reported on its statement",
			facts: with(inVPC(endpointPolicy(anyone("Allow", acts("s3:*"), "*"), anyone("Deny", acts("s3:DeleteObject"), "*")))),
			want: want{verdict: Deny, reason: ReasonEndpointDenies, layer: "vpc-endpoint", policy: "aws_vpc_endpoint_policy.s3", index: 1,
				target: TargetEndpointPolicy, needs: []string{"s3:DeleteObject"}},
		},
		{
			name:  "an endpoint policy restricted to another role's principal ARN is denied",
			facts: with(inVPC(endpointPolicy(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::` + acctA + `:role/other"}}}`))),
			want:  want{verdict: Deny, reason: ReasonEndpointNoAllow, layer: "vpc-endpoint", target: TargetEndpointPolicy, needs: []string{"s3:ListBucket"}},
		},
		{
			name: "with --disable-proxy-v2 the script fetch goes through the endpoint and its policy must list the script bucket",
			facts: with(setArg("--disable-proxy-v2", "true"),
				inVPC(endpointPolicy(anyone("Allow", acts("s3:*"), tmpARNs...)))),
			want: want{verdict: Deny, reason: ReasonEndpointNoAllow, layer: "vpc-endpoint", target: TargetEndpointPolicy, needs: []string{"s3:GetObject"}},
		},
		{
			name: "the deprecated --disable-proxy also sends the script fetch through the endpoint",
			facts: with(setArg("--disable-proxy", "true"),
				inVPC(endpointPolicy(anyone("Allow", acts("s3:*"), tmpARNs...)))),
			want: want{verdict: Deny, reason: ReasonEndpointNoAllow, layer: "vpc-endpoint", target: TargetEndpointPolicy, needs: []string{"s3:GetObject"}},
		},
		{
			name:  "the default endpoint policy allows everything",
			facts: with(inVPC(nil)),
		},
		{
			name:  "without --disable-proxy-v2 the script is fetched through the Glue proxy, not the endpoint",
			facts: with(inVPC(endpointPolicy(anyone("Allow", acts("s3:*"), tmpARNs...)))),
		},
		{
			name: "a subnet whose route table has no endpoint route uses NAT and no endpoint policy",
			facts: with(inVPC(endpointPolicy(anyone("Allow", acts("s3:GetObject"), "arn:aws:s3:::nothing/*"))), func(f *Facts) {
				f.Network.Subnets[0].RouteTableID = fact("rtb-nat", "aws_route_table_association.a")
			}),
		},
		{
			name: "a connection that is not in the plan makes routing unknown",
			facts: with(inVPC(nil), func(f *Facts) {
				f.Job.Connections = []Connection{{Name: "shared-net"}}
			}),
			want: want{verdict: UnknownVerd, reason: ReasonRoutingUnknown},
		},
	})
}
