package access

import (
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// TestKMSRequestContextIsPerKeyAccount checks that the context of S3's KMS
// requests, built once per key account and derived from for each request,
// carries the account of the key it is asked for, whichever account was
// asked for first: a role limited by a data perimeter to its own account's
// keys (a Deny when aws:ResourceAccount is another account) is denied a key
// of another account, and still allowed its own. The KMS keys stay off the
// job's own S3 requests, whose base the KMS one is made from.
func TestKMSRequestContextIsPerKeyAccount(t *testing.T) {
	t.Parallel()
	parse := func(kind iam.Kind, doc string) *iam.Policy {
		t.Helper()
		p, err := iam.ParseString(doc, kind, "test")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	identity := parse(iam.KindIdentity, policy(allow(acts("kms:*"), "*"),
		`{"Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceAccount":"`+acctA+`"}}}`))
	keyPolicy := parse(iam.KindResource, policy(`{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":"kms:*","Resource":"*"}`))
	direct := parse(iam.KindIdentity, policy(allow(acts("s3:*"), "*"),
		`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:ViaAWSService":"true"}}}`))
	for _, order := range [][]string{{acctA, acctB}, {acctB, acctA}} {
		c := newChecker(with(), Options{})
		c.run()
		for _, acct := range order {
			c.kmsRequestContext(acct) // builds the account's base
		}
		for _, tc := range []struct {
			acct, key string
			want      iam.Decision
		}{{acctA, keyARN, iam.Allowed}, {acctB, crossKeyARN, iam.ExplicitlyDenied}} {
			req := &iam.Request{Principal: c.principal(), Action: "kms:Decrypt", Resource: tc.key, ResourceAccount: tc.acct,
				Context: c.kmsRequestContext(tc.acct)}
			res := iam.Evaluate(&iam.Input{Identity: []*iam.Policy{identity}, Resource: keyPolicy}, req)
			if res.Decision != tc.want {
				t.Errorf("bases built for %v: a key of %s is %v, want %v", order, tc.acct, res.Decision, tc.want)
			}
			// (Taken as the role's own account, so that no bucket policy is
			// needed: only the context's keys can deny it.)
			s3req := &iam.Request{Principal: c.principal(), Action: "s3:GetObject", Resource: "arn:aws:s3:::etl-tmp/x", ResourceAccount: acctA,
				Context: c.requestContext(tc.acct)}
			if res := iam.Evaluate(&iam.Input{Identity: []*iam.Policy{direct}}, s3req); res.Decision != iam.Allowed {
				t.Errorf("bases built for %v: the job's own S3 request to %s is %v, want it not marked as through a service", order, tc.acct, res.Decision)
			}
		}
	}
}
