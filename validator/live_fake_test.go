package validator

import (
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive/awsfake"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// liveOptions are validate options with --aws against f.
func liveOptions(f *awsfake.Server) Options {
	return Options{MaxBytes: planjson.DefaultMaxPlanBytes, AWS: awslive.Options{
		Enabled:     true,
		EndpointURL: f.URL,
		Credentials: awsfake.Credentials(),
		Timeout:     5 * time.Second,
	}}
}

// Policies of the world of testdata/plans/live-outside (awsfake.World).
const (
	allowAllBucketPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"TeamRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":["arn:aws:s3:::partner-data","arn:aws:s3:::partner-data/*"]}]}`
	denyRoleBucketPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyGlueLive","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-data/*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/glue-live"}}}]}`
	delegatingKeyPolicy  = `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	adminOnlyKeyPolicy   = `{"Version":"2012-10-17","Statement":[{"Sid":"KeyAdmins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/key-admin"},"Action":"kms:*","Resource":"*"}]}`
	denyS3SCP            = `{"Version":"2012-10-17","Statement":[{"Sid":"NoS3Reads","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`
	regionSCP            = `{"Version":"2012-10-17","Statement":[{"Sid":"StayInEurope","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`
)

// The role of testdata/plans/live-role, created by another stack.
const (
	sharedRoleARN = "arn:aws:iam::111122223333:role/service/shared-glue"
	glueManaged   = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
	readScripts   = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadScripts","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-live-scripts/*"}]}`
	readOther     = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOther","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::some-other-bucket/*"}]}`
)

// roleWorld is awsfake.World plus IAM answers describing shared-glue with
// one inline policy (inline) and AWSGlueServiceRole attached.
func roleWorld(inline string) map[string]awsfake.Handler {
	w := awsfake.World(allowAllBucketPolicy, delegatingKeyPolicy, regionSCP)
	trust := awsfake.IAMEncode(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	w["iam:GetRole"] = awsfake.IAMAnswer("GetRole", `<Role><Path>/service/</Path><AssumeRolePolicyDocument>`+trust+`</AssumeRolePolicyDocument><RoleId>AROASHAREDGLUE000001</RoleId><RoleName>shared-glue</RoleName><Arn>`+sharedRoleARN+`</Arn><CreateDate>2024-01-15T10:00:00Z</CreateDate></Role>`)
	w["iam:ListRolePolicies"] = awsfake.IAMAnswer("ListRolePolicies", `<PolicyNames><member>scripts</member></PolicyNames><IsTruncated>false</IsTruncated>`)
	w["iam:GetRolePolicy"] = awsfake.IAMAnswer("GetRolePolicy", `<RoleName>shared-glue</RoleName><PolicyName>scripts</PolicyName><PolicyDocument>`+awsfake.IAMEncode(inline)+`</PolicyDocument>`)
	w["iam:ListAttachedRolePolicies"] = awsfake.IAMAnswer("ListAttachedRolePolicies", `<AttachedPolicies><member><PolicyName>AWSGlueServiceRole</PolicyName><PolicyArn>`+glueManaged+`</PolicyArn></member></AttachedPolicies><IsTruncated>false</IsTruncated>`)
	return w
}
