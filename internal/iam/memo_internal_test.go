package iam

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPrincipalArnPlaceFollowsSet checks the place of aws:PrincipalArn that
// Context keeps at Set (principalArnOf) against a scan of the entries, over
// random sequences of Set, SetUnknown, SetUnknownPrefix, Clone and Derive that write
// the key in several spellings among other keys.
func TestPrincipalArnPlaceFollowsSet(t *testing.T) {
	t.Parallel()
	keys := []string{"aws:PrincipalArn", "AWS:principalarn", "aws:PrincipalAccount", "aws:SourceVpce", "aws:PrincipalArnX"}
	values := [][]string{{"arn:aws:iam::111122223333:role/A"}, {"arn:aws:iam::111122223333:role/p/B"}, {}, {"a", "b"}}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		c := NewContext()
		for range r.IntN(8) {
			k := keys[r.IntN(len(keys))]
			switch r.IntN(5) {
			case 0:
				c.SetUnknown(k)
			case 1:
				c.SetUnknownPrefix("aws:principal")
			case 2:
				if r.IntN(2) == 0 {
					c = c.Clone()
				} else {
					c = c.Derive()
				}
			default:
				c.Set(k, values[r.IntN(len(values))]...)
			}
		}
		want, wantOne := "", false
		if e, ok := c.lookup(principalArnKey); ok && !e.unknown && len(e.values) == 1 {
			want, wantOne = e.values[0], true
		}
		if got, one := principalArnOf(c); got != want || one != wantOne {
			t.Fatalf("principalArnOf = %q, %v; the entries say %q, %v (%+v)", got, one, want, wantOne, c)
		}
	}
	if v, one := principalArnOf(nil); v != "" || one {
		t.Errorf("principalArnOf(nil) = %q, %v", v, one)
	}
}

// TestServiceLinkedMemoFollowsRole evaluates, from one goroutine (so that the
// pooled evaluator and its memo are reused), requests alternating between a
// service-linked role, which SCPs do not restrict, and an ordinary role: the
// SCP's Deny must apply to the second every time and never to the first.
func TestServiceLinkedMemoFollowsRole(t *testing.T) {
	id, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`), KindIdentity, "id")
	if err != nil {
		t.Fatal(err)
	}
	scp, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`), KindSCP, "scp")
	if err != nil {
		t.Fatal(err)
	}
	in := &Input{Identity: []*Policy{id}, SCPs: [][]*Policy{{scp}}}
	roles := []struct {
		role string
		want Decision
	}{
		{"arn:aws:iam::111122223333:role/aws-service-role/glue.amazonaws.com/AWSServiceRoleForGlue", Allowed},
		{"arn:aws:iam::111122223333:role/service-role/GlueJobRole", ExplicitlyDenied},
	}
	for i := range 40 {
		rc := roles[i%2]
		if i%4 >= 2 {
			rc = roles[(i+1)%2]
		}
		ctx := NewContext()
		if i%3 == 0 {
			ctx.Set("aws:PrincipalArn", rc.role)
		}
		req := &Request{
			Principal:       Principal{ARN: "arn:aws:sts::111122223333:assumed-role/" + rc.role[strings.LastIndexByte(rc.role, '/')+1:] + "/s", RoleARN: rc.role, Account: "111122223333"},
			Action:          "s3:GetObject",
			Resource:        "arn:aws:s3:::b/k",
			ResourceAccount: "111122223333",
			Context:         ctx,
		}
		if res := Evaluate(in, req); res.Decision != rc.want {
			t.Fatalf("request %d, role %s: %v, want %v: %s", i, rc.role, res.Decision, rc.want, res.Explain(req))
		}
	}
}
