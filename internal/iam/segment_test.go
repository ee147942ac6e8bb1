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

// TestSegmentDependentIsSound checks, over generated Resource and
// NotResource entries, that a statement SegmentDependent does not list
// applies to every completion of the head or to none: Evaluate gives the
// same decision for each of a set of completions.
func TestSegmentDependentIsSound(t *testing.T) {
	const head = "arn:aws:s3:::bkt/li"
	pieces := []string{"", "b", "bs/", "libs/", "li", "*", "?", "/", "a", "x*", "*a", "bs/*", "b?"}
	completions := []string{"", "b", "bs/", "bs/a", "bs/x", "bs/ab", "x", "bsa", "b/", "bs//a", "a"}
	principal := Principal{ARN: "arn:aws:sts::111122223333:assumed-role/r/s", RoleARN: "arn:aws:iam::111122223333:role/r", Account: "111122223333"}
	checked := 0
	for _, start := range []string{"arn:aws:s3:::bkt/", "arn:aws:s3:::bkt/li", "arn:aws:s3:::bkt/lib", "arn:aws:s3:::b*", "arn:aws:s3:::bkt/libs/"} {
		for _, p1 := range pieces {
			for _, p2 := range pieces {
				for _, elem := range []string{"Resource", "NotResource"} {
					resource := start + p1 + p2
					doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","` + elem + `":"` + resource + `"}]}`
					p, err := Parse([]byte(doc), KindIdentity, "p")
					if err != nil {
						t.Fatal(err)
					}
					if len(p.SegmentDependent("s3:GetObject", head)) > 0 {
						continue
					}
					checked++
					var first Decision
					for i, x := range completions {
						res := Evaluate(&Input{Identity: []*Policy{p}}, &Request{Principal: principal, Action: "s3:GetObject",
							Resource: head + x, ResourceAccount: "111122223333", Context: NewContext()})
						if i == 0 {
							first = res.Decision
						} else if res.Decision != first {
							t.Fatalf("%s %q: not listed as dependent, but %q gives %v and %q gives %v", elem, resource, head, first, head+x, res.Decision)
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d entries were independent: the generator tests too little", checked)
	}
}
