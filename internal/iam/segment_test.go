package iam

import (
	"slices"
	"testing"
)

func TestSegmentDependent(t *testing.T) {
	const head = "arn:aws:s3:::libs-bkt/libs/"
	cases := []struct {
		name     string
		resource string
		not      bool
		want     bool // the statement makes the answer depend on the unknown part
	}{
		{"prefix covering any key", "arn:aws:s3:::libs-bkt/libs/*", false, false},
		{"bucket-wide", "arn:aws:s3:::libs-bkt/*", false, false},
		{"every resource", "*", false, false},
		{"another prefix", "arn:aws:s3:::libs-bkt/scripts/*", false, false},
		{"another bucket", "arn:aws:s3:::other/*", false, false},
		{"the bucket ARN", "arn:aws:s3:::libs-bkt", false, false},
		{"one key under the prefix", "arn:aws:s3:::libs-bkt/libs/helpers.whl", false, true},
		{"a suffix", "arn:aws:s3:::libs-bkt/libs/*.whl", false, true},
		{"a narrower prefix", "arn:aws:s3:::libs-bkt/libs/v2/*", false, true},
		{"a broader literal start", "arn:aws:s3:::libs-bkt/li*", false, false},
		{"a single-character wildcard", "arn:aws:s3:::libs-bkt/libs/?", false, true},
		{"wildcards in the head", "arn:aws:s3:::libs-*/libs/x", false, true},
		{"a policy variable", "arn:aws:s3:::libs-bkt/libs/${aws:username}/*", false, true},
		{"NotResource one key", "arn:aws:s3:::libs-bkt/libs/helpers.whl", true, true},
		{"NotResource prefix", "arn:aws:s3:::libs-bkt/libs/*", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			elem := "Resource"
			if c.not {
				elem = "NotResource"
			}
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","` + elem + `":"` + c.resource + `"},` +
				`{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::libs-bkt/libs/one"}]}`
			p, err := Parse([]byte(doc), KindIdentity, "p")
			if err != nil {
				t.Fatal(err)
			}
			got := p.SegmentDependent("s3:GetObject", head)
			if (len(got) > 0) != c.want {
				t.Fatalf("SegmentDependent = %+v, want dependent %v", got, c.want)
			}
			if c.want && !slices.Equal(got, []StatementRef{{Policy: "p", Index: 0, Effect: Deny}}) {
				t.Errorf("got %+v, want statement 0 only (statement 1 is for another action)", got)
			}
		})
	}
}
