package access

import (
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// TestWrongShapeOnlyForS3ARNs: the bucket-vs-objects hint compares an S3
// request with the other S3 shape; a Glue request has no other shape, even
// when a policy allows a resource of that look.
func TestWrongShapeOnlyForS3ARNs(t *testing.T) {
	pol, err := iam.Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"},
		{"Effect":"Allow","Action":"glue:GetTable","Resource":["arn:aws:glue:eu-west-1:111122223333:catalog/*","arn:aws:s3:::arn:aws:glue:eu-west-1:111122223333:table"]}]}`),
		iam.KindIdentity, "p")
	if err != nil {
		t.Fatal(err)
	}
	c := &checker{part: "aws"}
	ls := layerSet{in: iam.Input{Identity: []*iam.Policy{pol}}}
	for _, tc := range []struct {
		action, resource string
		want             bool
	}{
		{"s3:ListBucket", "arn:aws:s3:::b", true},
		{"s3:GetObject", "arn:aws:s3:::b/k/x", true},
		{"s3:GetObject", "arn:aws:s3:::c/k/x", false},
		{"glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:catalog", false},
		{"glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:table/db/t", false},
	} {
		req := &iam.Request{Principal: iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/glue/s", RoleARN: "arn:aws:iam::111122223333:role/glue", Account: "111122223333"}, Action: tc.action, Resource: tc.resource, ResourceAccount: "111122223333"}
		if got := c.wrongShape(req, ls); got != tc.want {
			t.Errorf("wrongShape(%s on %s) = %v, want %v", tc.action, tc.resource, got, tc.want)
		}
	}
}
