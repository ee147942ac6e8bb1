package awsfake

// A small account for end-to-end tests: bucket partner-data, with its
// default encryption key, in the credentials' account 111122223333, which
// sits under an OU of an organization managed from 999988887777.
const (
	Account   = "111122223333"
	KeyARN    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	OrgID     = "o-a1b2c3d4e5"
	RootID    = "r-ab12"
	OUID      = "ou-ab12-cdef3456"
	OUPolicy  = "p-ou000001"
	s3XMLNS   = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`
	fullAllow = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

// World returns the handlers of that account: bucketPolicy is the policy of
// partner-data, keyPolicy its key's, ouSCP the SCP attached (besides
// FullAWSAccess) to the account's OU. Everything else is permissive: Bucket
// owner enforced, not Requester Pays, all public access blocked, no grants.
func World(bucketPolicy, keyPolicy, ouSCP string) map[string]Handler {
	return map[string]Handler{
		"sts:GetCallerIdentity": Answer(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/ci/s</Arn><UserId>AROAEXAMPLE:s</UserId><Account>` + Account + `</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>R</RequestId></ResponseMetadata></GetCallerIdentityResponse>`),

		"s3:GetBucketLocation":          Answer(`<?xml version="1.0" encoding="UTF-8"?><LocationConstraint ` + s3XMLNS + `>eu-west-1</LocationConstraint>`),
		"s3:GetBucketPolicy":            Answer(bucketPolicy),
		"s3:GetBucketOwnershipControls": Answer(`<OwnershipControls ` + s3XMLNS + `><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`),
		"s3:GetBucketRequestPayment":    Answer(`<RequestPaymentConfiguration ` + s3XMLNS + `><Payer>BucketOwner</Payer></RequestPaymentConfiguration>`),
		"s3:GetBucketEncryption":        Answer(`<ServerSideEncryptionConfiguration ` + s3XMLNS + `><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>` + KeyARN + `</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`),
		"s3:GetPublicAccessBlock":       Answer(`<PublicAccessBlockConfiguration ` + s3XMLNS + `><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`),

		"kms:DescribeKey":  Answer(`{"KeyMetadata":{"AWSAccountId":"` + Account + `","Arn":"` + KeyARN + `","Enabled":true,"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","KeyManager":"CUSTOMER","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT"}}`),
		"kms:GetKeyPolicy": Answer(`{"Policy":` + JSONString(keyPolicy) + `,"PolicyName":"default"}`),
		"kms:ListGrants":   Answer(`{"Grants":[],"Truncated":false}`),

		"organizations:DescribeOrganization": Answer(`{"Organization":{"Arn":"arn:aws:organizations::999988887777:organization/` + OrgID + `","FeatureSet":"ALL","Id":"` + OrgID + `","MasterAccountArn":"arn:aws:organizations::999988887777:account/` + OrgID + `/999988887777","MasterAccountId":"999988887777"}}`),
		"organizations:ListParents": func(_ int, c Call) Reply {
			parent := map[string]string{Account: `{"Id":"` + OUID + `","Type":"ORGANIZATIONAL_UNIT"}`, OUID: `{"Id":"` + RootID + `","Type":"ROOT"}`}[c.Params.Get("ChildId")]
			return Reply{Status: 200, Body: `{"Parents":[` + parent + `]}`}
		},
		"organizations:ListPoliciesForTarget": func(_ int, c Call) Reply {
			full := `{"Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","AwsManaged":true,"Id":"p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"}`
			if c.Params.Get("Filter") != "SERVICE_CONTROL_POLICY" {
				return Reply{Status: 200, Body: `{"Policies":[]}`}
			}
			if c.Params.Get("TargetId") == OUID {
				return Reply{Status: 200, Body: `{"Policies":[{"Arn":"arn:aws:organizations::999988887777:policy/` + OrgID + `/service_control_policy/` + OUPolicy + `","AwsManaged":false,"Id":"` + OUPolicy + `","Name":"data-guard","Type":"SERVICE_CONTROL_POLICY"},` + full + `]}`}
			}
			return Reply{Status: 200, Body: `{"Policies":[` + full + `]}`}
		},
		"organizations:DescribePolicy": func(_ int, c Call) Reply {
			id := c.Params.Get("PolicyId")
			content := map[string]string{"p-FullAWSAccess": fullAllow, OUPolicy: ouSCP}[id]
			return Reply{Status: 200, Body: `{"Policy":{"Content":` + JSONString(content) + `,"PolicySummary":{"Id":"` + id + `","Name":"x","Type":"SERVICE_CONTROL_POLICY"}}}`}
		},
	}
}
