package awslive

import (
	"net/url"
	"strings"
)

// The account, bucket, key, role, network and organization the fake AWS
// describes. Response bodies follow the shapes the real services return;
// the SDK's own deserializers parse them.
const (
	acct       = "111122223333"
	mgmtAcct   = "999988887777"
	bucketName = "sales-data"
	keyARN     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	keyID      = "1234abcd-12ab-34cd-56ef-1234567890ab"
	roleARN    = "arn:aws:iam::111122223333:role/service/glue-etl"
	dataPolARN = "arn:aws:iam::111122223333:policy/glue-data"
	boundARN   = "arn:aws:iam::111122223333:policy/boundary"
	glueARN    = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
	subnetID   = "subnet-0abc1234"
	vpcID      = "vpc-0123abcd"
	orgID      = "o-a1b2c3d4e5"
	rootID     = "r-ab12"
	ouID       = "ou-ab12-cdef3456"

	bucketPolicyJSON = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyNonVpce","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::sales-data","arn:aws:s3:::sales-data/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`
	keyPolicyJSON    = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	trustJSON        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	readDataJSON     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::sales-data","arn:aws:s3:::sales-data/in/*"]}]}`
	writeTempJSON    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::sales-data/temp/*"}]}`
	dataPolJSON      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}`
	boundJSON        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}`
	endpointJSON     = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::sales-data/*"}]}`
	fullAccessJSON   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	denyRegionJSON   = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`
	rcpJSON          = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`
)

// iamEncode encodes a policy the way IAM returns documents (RFC 3986).
func iamEncode(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

const s3NS = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`

func iamResponse(op, result string) string {
	return `<` + op + `Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><` + op + `Result>` + result +
		`</` + op + `Result><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></` + op + `Response>`
}

func ec2Response(op, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<` + op + `Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>` + body + `</` + op + `Response>`
}

// world returns the handlers of a fake AWS in which every lookup finds its
// fact.
func world() map[string]handler {
	return map[string]handler{
		"s3:GetBucketLocation": ok(`<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint ` + s3NS + `>eu-west-1</LocationConstraint>`),
		"s3:GetBucketPolicy": ok(bucketPolicyJSON),
		"s3:GetBucketOwnershipControls": ok(`<?xml version="1.0" encoding="UTF-8"?>
<OwnershipControls ` + s3NS + `><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`),
		"s3:GetBucketRequestPayment": ok(`<?xml version="1.0" encoding="UTF-8"?>
<RequestPaymentConfiguration ` + s3NS + `><Payer>Requester</Payer></RequestPaymentConfiguration>`),
		"s3:GetBucketEncryption": ok(`<?xml version="1.0" encoding="UTF-8"?>
<ServerSideEncryptionConfiguration ` + s3NS + `><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>` + keyARN + `</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`),
		"s3:GetPublicAccessBlock": ok(`<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration ` + s3NS + `><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>`),

		"sts:GetCallerIdentity": ok(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/glueaccess-ci/session</Arn><UserId>AROAEXAMPLEID:session</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`),

		"kms:DescribeKey":  ok(`{"KeyMetadata":{"AWSAccountId":"111122223333","Arn":"` + keyARN + `","CreationDate":1.700000000123E9,"CustomerMasterKeySpec":"SYMMETRIC_DEFAULT","Description":"sales data","Enabled":true,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],"KeyId":"` + keyID + `","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","MultiRegion":false,"Origin":"AWS_KMS"}}`),
		"kms:GetKeyPolicy": ok(`{"Policy":` + jsonString(keyPolicyJSON) + `,"PolicyName":"default"}`),
		// Two pages: the SDK must follow NextMarker.
		"kms:ListGrants": func(_ int, r request) reply {
			if r.Params.Get("Marker") == "" {
				return reply{status: 200, body: `{"Grants":[{"GrantId":"g-2","Name":"glue","GranteePrincipal":"arn:aws:iam::111122223333:role/service/glue-etl","IssuingAccount":"arn:aws:iam::111122223333:root","KeyId":"` + keyARN + `","Operations":["Decrypt","GenerateDataKey"],"Constraints":{"EncryptionContextSubset":{"aws:s3:arn":"arn:aws:s3:::sales-data"}},"CreationDate":1.7E9}],"NextMarker":"page-2","Truncated":true}`}
			}
			return reply{status: 200, body: `{"Grants":[{"GrantId":"g-1","GranteePrincipal":"arn:aws:iam::444455556666:root","IssuingAccount":"arn:aws:iam::111122223333:root","KeyId":"` + keyARN + `","Operations":["Decrypt"],"CreationDate":1.7E9}],"Truncated":false}`}
		},

		"iam:GetRole": ok(iamResponse("GetRole", `<Role><Path>/service/</Path><AssumeRolePolicyDocument>`+iamEncode(trustJSON)+`</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration><RoleId>AROAEXAMPLEROLEID123</RoleId><RoleName>glue-etl</RoleName><Arn>`+roleARN+`</Arn><CreateDate>2024-01-15T10:00:00Z</CreateDate><PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>`+boundARN+`</PermissionsBoundaryArn></PermissionsBoundary><Tags><member><Key>team</Key><Value>data</Value></member></Tags><RoleLastUsed/></Role>`)),
		// Two pages: the SDK must follow Marker.
		"iam:ListRolePolicies": func(_ int, r request) reply {
			if r.Params.Get("Marker") == "" {
				return reply{status: 200, body: iamResponse("ListRolePolicies", `<PolicyNames><member>write-temp</member></PolicyNames><IsTruncated>true</IsTruncated><Marker>m-2</Marker>`)}
			}
			return reply{status: 200, body: iamResponse("ListRolePolicies", `<PolicyNames><member>read-data</member></PolicyNames><IsTruncated>false</IsTruncated>`)}
		},
		"iam:GetRolePolicy": func(_ int, r request) reply {
			doc := map[string]string{"read-data": readDataJSON, "write-temp": writeTempJSON}[r.Params.Get("PolicyName")]
			return reply{status: 200, body: iamResponse("GetRolePolicy", `<RoleName>glue-etl</RoleName><PolicyName>`+r.Params.Get("PolicyName")+`</PolicyName><PolicyDocument>`+iamEncode(doc)+`</PolicyDocument>`)}
		},
		"iam:ListAttachedRolePolicies": ok(iamResponse("ListAttachedRolePolicies", `<AttachedPolicies><member><PolicyName>glue-data</PolicyName><PolicyArn>`+dataPolARN+`</PolicyArn></member><member><PolicyName>AWSGlueServiceRole</PolicyName><PolicyArn>`+glueARN+`</PolicyArn></member></AttachedPolicies><IsTruncated>false</IsTruncated>`)),
		"iam:GetPolicy": func(_ int, r request) reply {
			arn := r.Params.Get("PolicyArn")
			name := arn[strings.LastIndex(arn, "/")+1:]
			version := map[string]string{dataPolARN: "v2", boundARN: "v1"}[arn]
			return reply{status: 200, body: iamResponse("GetPolicy", `<Policy><PolicyName>`+name+`</PolicyName><DefaultVersionId>`+version+`</DefaultVersionId><PolicyId>ANPAEXAMPLEPOLICYID1</PolicyId><Path>/</Path><Arn>`+arn+`</Arn><AttachmentCount>1</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable><CreateDate>2024-01-15T10:00:00Z</CreateDate><UpdateDate>2024-02-01T10:00:00Z</UpdateDate></Policy>`)}
		},
		"iam:GetPolicyVersion": func(_ int, r request) reply {
			doc := map[string]string{dataPolARN + " v2": dataPolJSON, boundARN + " v1": boundJSON}[r.Params.Get("PolicyArn")+" "+r.Params.Get("VersionId")]
			if doc == "" {
				return apiError("iam", 404, "NoSuchEntity", "Policy version not found")
			}
			return reply{status: 200, body: iamResponse("GetPolicyVersion", `<PolicyVersion><Document>`+iamEncode(doc)+`</Document><VersionId>`+r.Params.Get("VersionId")+`</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2024-02-01T10:00:00Z</CreateDate></PolicyVersion>`)}
		},

		"ec2:DescribeSubnets": ok(ec2Response("DescribeSubnets", `<subnetSet><item><subnetId>`+subnetID+`</subnetId><subnetArn>arn:aws:ec2:eu-west-1:111122223333:subnet/`+subnetID+`</subnetArn><state>available</state><ownerId>111122223333</ownerId><vpcId>`+vpcID+`</vpcId><cidrBlock>10.0.1.0/24</cidrBlock><availableIpAddressCount>250</availableIpAddressCount><availabilityZone>eu-west-1a</availabilityZone><availabilityZoneId>euw1-az1</availabilityZoneId><defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch></item></subnetSet>`)),
		"ec2:DescribeRouteTables": func(_ int, r request) reply {
			if r.Params.Get("Filter.1.Name") == "association.subnet-id" {
				return reply{status: 200, body: ec2Response("DescribeRouteTables", `<routeTableSet><item><routeTableId>rtb-private</routeTableId><vpcId>`+vpcID+`</vpcId><ownerId>111122223333</ownerId><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-0f00</natGatewayId><state>active</state><origin>CreateRoute</origin></item><item><destinationPrefixListId>pl-6da54004</destinationPrefixListId><gatewayId>vpce-1a2b3c4d</gatewayId><state>active</state><origin>CreateRoute</origin></item></routeSet><associationSet><item><main>false</main><routeTableAssociationId>rtbassoc-1</routeTableAssociationId><routeTableId>rtb-private</routeTableId><subnetId>`+subnetID+`</subnetId><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item></routeTableSet>`)}
			}
			return reply{status: 200, body: ec2Response("DescribeRouteTables", `<routeTableSet><item><routeTableId>rtb-main</routeTableId><vpcId>`+vpcID+`</vpcId><ownerId>111122223333</ownerId><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-0f00</gatewayId><state>active</state><origin>CreateRoute</origin></item></routeSet><associationSet><item><main>true</main><routeTableAssociationId>rtbassoc-main</routeTableAssociationId><routeTableId>rtb-main</routeTableId><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item><item><routeTableId>rtb-other</routeTableId><vpcId>`+vpcID+`</vpcId><routeSet/><associationSet><item><main>false</main><routeTableAssociationId>rtbassoc-9</routeTableAssociationId><routeTableId>rtb-other</routeTableId><subnetId>subnet-other</subnetId><associationState><state>associated</state></associationState></item></associationSet></item></routeTableSet>`)}
		},
		"ec2:DescribeVpcEndpoints": ok(ec2Response("DescribeVpcEndpoints", `<vpcEndpointSet><item><vpcEndpointId>vpce-1a2b3c4d</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>`+vpcID+`</vpcId><serviceName>com.amazonaws.eu-west-1.s3</serviceName><state>available</state><policyDocument>`+xmlText(endpointJSON)+`</policyDocument><routeTableIdSet><item>rtb-private</item><item>rtb-main</item></routeTableIdSet><subnetIdSet/><groupSet/><privateDnsEnabled>false</privateDnsEnabled><requesterManaged>false</requesterManaged><networkInterfaceIdSet/><dnsEntrySet/><creationTimestamp>2024-01-15T10:00:00.000Z</creationTimestamp><ownerId>111122223333</ownerId></item><item><vpcEndpointId>vpce-0ddb</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>`+vpcID+`</vpcId><serviceName>com.amazonaws.eu-west-1.dynamodb</serviceName><state>available</state><routeTableIdSet><item>rtb-private</item></routeTableIdSet><privateDnsEnabled>false</privateDnsEnabled></item><item><vpcEndpointId>vpce-9if</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>`+vpcID+`</vpcId><serviceName>com.amazonaws.eu-west-1.s3</serviceName><state>available</state><policyDocument>`+xmlText(fullAccessJSON)+`</policyDocument><routeTableIdSet/><subnetIdSet><item>`+subnetID+`</item></subnetIdSet><privateDnsEnabled>true</privateDnsEnabled><dnsOptions><dnsRecordIpType>ipv4</dnsRecordIpType><privateDnsOnlyForInboundResolverEndpoint>true</privateDnsOnlyForInboundResolverEndpoint></dnsOptions></item></vpcEndpointSet>`)),

		"organizations:DescribeOrganization": ok(`{"Organization":{"Arn":"arn:aws:organizations::999988887777:organization/` + orgID + `","AvailablePolicyTypes":[{"Status":"ENABLED","Type":"SERVICE_CONTROL_POLICY"}],"FeatureSet":"ALL","Id":"` + orgID + `","MasterAccountArn":"arn:aws:organizations::999988887777:account/` + orgID + `/999988887777","MasterAccountEmail":"admin@example.com","MasterAccountId":"999988887777"}}`),
		"organizations:ListParents": func(_ int, r request) reply {
			switch r.Params.Get("ChildId") {
			case acct:
				return reply{status: 200, body: `{"Parents":[{"Id":"` + ouID + `","Type":"ORGANIZATIONAL_UNIT"}]}`}
			case ouID:
				return reply{status: 200, body: `{"Parents":[{"Id":"` + rootID + `","Type":"ROOT"}]}`}
			}
			return apiError("organizations", 400, "ChildNotFoundException", "We can't find a root, OU, account, or policy with the ChildId that you specified.")
		},
		"organizations:ListPoliciesForTarget": func(_ int, r request) reply {
			full := `{"Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","AwsManaged":true,"Description":"Allows access to every operation","Id":"p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"}`
			switch r.Params.Get("TargetId") + " " + r.Params.Get("Filter") {
			case ouID + " SERVICE_CONTROL_POLICY":
				return reply{status: 200, body: `{"Policies":[{"Arn":"arn:aws:organizations::999988887777:policy/` + orgID + `/service_control_policy/p-region01","AwsManaged":false,"Id":"p-region01","Name":"deny-other-regions","Type":"SERVICE_CONTROL_POLICY"},` + full + `]}`}
			case rootID + " RESOURCE_CONTROL_POLICY":
				return reply{status: 200, body: `{"Policies":[{"Arn":"arn:aws:organizations::999988887777:policy/` + orgID + `/resource_control_policy/p-rcp00001","AwsManaged":false,"Id":"p-rcp00001","Name":"org-only","Type":"RESOURCE_CONTROL_POLICY"}]}`}
			case rootID + " SERVICE_CONTROL_POLICY", acct + " SERVICE_CONTROL_POLICY":
				return reply{status: 200, body: `{"Policies":[` + full + `]}`}
			}
			return reply{status: 200, body: `{"Policies":[]}`}
		},
		"organizations:DescribePolicy": func(_ int, r request) reply {
			id := r.Params.Get("PolicyId")
			content := map[string]string{"p-FullAWSAccess": fullAccessJSON, "p-region01": denyRegionJSON, "p-rcp00001": rcpJSON}[id]
			if content == "" {
				return apiError("organizations", 400, "PolicyNotFoundException", "no such policy")
			}
			return reply{status: 200, body: `{"Policy":{"Content":` + jsonString(content) + `,"PolicySummary":{"Id":"` + id + `","Name":"x","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false}}}`}
		},
	}
}
