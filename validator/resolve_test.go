package validator

import (
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

func TestDerivedValues(t *testing.T) {
	data := []byte(`{"format_version":"1.2","resource_changes":[
 {"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","change":{"actions":["create"],"after":{"name":"etl","path":"/service/"},"after_unknown":{"arn":true}}},
 {"address":"aws_iam_role.p","mode":"managed","type":"aws_iam_role","name":"p","change":{"actions":["create"],"after":{"name_prefix":"x"},"after_unknown":{"arn":true,"name":true}}},
 {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","change":{"actions":["create"],"after":{"bucket":"raw"},"after_unknown":{"arn":true}}},
 {"address":"aws_s3_bucket.gone","mode":"managed","type":"aws_s3_bucket","name":"gone","change":{"actions":["delete"],"before":{"bucket":"old"},"after":null}}
],"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"assume_role":[{"role_arn":{"constant_value":"arn:aws-cn:iam::123456789012:role/tf"}}]}}},
 "root_module":{"resources":[
  {"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","provider_config_key":"aws"},
  {"address":"aws_iam_role.p","mode":"managed","type":"aws_iam_role","name":"p","provider_config_key":"aws"}]}}}`)
	doc, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	ix := newPlanIndex(doc)
	res := planResolver{ix: ix}
	cases := []struct {
		addr, attr, want string
		known            bool
	}{
		{"aws_iam_role.r", "arn", "arn:aws-cn:iam::123456789012:role/service/etl", true},
		{"aws_iam_role.p", "arn", "", false}, // name_prefix: name unknown until apply
		{"aws_s3_bucket.b", "arn", "arn:aws-cn:s3:::raw", true},
		{"aws_s3_bucket.gone", "arn", "", false}, // only deleted: not in the plan
	}
	for _, c := range cases {
		v, ok := res.Resolve(c.addr, c.attr)
		if ok != c.known || (ok && v != c.want) {
			t.Errorf("Resolve(%s, %s) = %v, %v; want %q, %v", c.addr, c.attr, v, ok, c.want, c.known)
		}
	}
	if a, ok := ix.accountOfProvider("aws"); !ok || a != "123456789012" {
		t.Errorf("account from assume_role = %q, %v", a, ok)
	}
}
