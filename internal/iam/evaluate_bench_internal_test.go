package iam

import "testing"

// glueBenchInput is a realistic Glue job request: five identity policies with
// wildcards and a condition, a bucket policy with a TLS deny, three SCP levels
// with a conditional deny list.
func glueBenchInput(tb testing.TB) (*Input, *Request) {
	tb.Helper()
	must := func(doc string, kind Kind, label string) *Policy {
		p, err := Parse([]byte(doc), kind, label)
		if err != nil {
			tb.Fatal(err)
		}
		return p
	}
	in := &Input{
		Identity: []*Policy{
			must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["glue:*","logs:*","cloudwatch:PutMetricData"],"Resource":"*"}]}`, KindIdentity, "glue-service"),
			must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::aws-glue-*/*","arn:aws:s3:::*/*aws-glue-*/*"]}]}`, KindIdentity, "glue-buckets"),
			must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::raw-zone","Condition":{"StringLike":{"s3:prefix":["orders/*"]}}}]}`, KindIdentity, "list"),
			must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::raw-zone/orders/*"]}]}`, KindIdentity, "read"),
			must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"arn:aws:kms:eu-west-1:111122223333:key/*"}]}`, KindIdentity, "kms"),
		},
		Resource: must(`{"Version":"2012-10-17","Statement":[
			{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::raw-zone","arn:aws:s3:::raw-zone/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
			{"Sid":"Glue","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/GlueJobRole"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::raw-zone/*"}]}`, KindResource, "bucket"),
		SCPs: [][]*Policy{
			{must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, KindSCP, "FullAWSAccess")},
			{must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, KindSCP, "FullAWSAccess"),
				must(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}},
					{"Effect":"Deny","Action":"s3:PutObjectAcl","Resource":"*"}]}`, KindSCP, "deny-list")},
			{must(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, KindSCP, "FullAWSAccess")},
		},
	}
	ctx := NewContext()
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:RequestedRegion", "eu-west-1")
	ctx.Set("aws:PrincipalArn", "arn:aws:iam::111122223333:role/GlueJobRole")
	req := &Request{
		Principal: Principal{
			ARN:     "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession",
			RoleARN: "arn:aws:iam::111122223333:role/GlueJobRole",
			Account: "111122223333",
		},
		Action:          "s3:GetObject",
		Resource:        "arn:aws:s3:::raw-zone/orders/2024/part-0000.parquet",
		ResourceAccount: "111122223333",
		Context:         ctx,
	}
	return in, req
}

func TestGlueBenchInputAllowed(t *testing.T) {
	in, req := glueBenchInput(t)
	r := Evaluate(in, req)
	if r.Decision != Allowed || r.DecidedBy.Kind != LayerIdentity {
		t.Fatalf("got %v by %v, want Allowed by identity", r.Decision, r.DecidedBy)
	}
}

func BenchmarkEvaluateGlue(b *testing.B) {
	in, req := glueBenchInput(b)
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(in, req)
	}
}
