package iam

import (
	"strings"
	"testing"
)

// TestWarnings checks each rule AWS applies to stored policies that Parse
// reports as a warning: where it is reported, why, and that the documents
// that follow the rule get none.
func TestWarnings(t *testing.T) {
	t.Parallel()
	const v = `"Version":"2012-10-17",`
	tests := map[string]struct {
		doc  string
		kind Kind
		path string // "" expects no warning
		want string
	}{
		"variable in account field": {`{` + v + `"Statement":{"Sid":"Own","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3::${aws:PrincipalAccount}:x/*"}}`, KindIdentity,
			"Statement.Resource[0]", "before the fifth colon"},
		"variable in service field": {`{` + v + `"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::x","arn:aws:${aws:PrincipalTag/svc}:::x"]}]}`, KindIdentity,
			"Statement[0].Resource[1]", "before the fifth colon"},
		"variable in region field of NotResource": {`{` + v + `"Statement":[{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:glue:${aws:RequestedRegion}:111122223333:job/x"}]}`, KindIdentity,
			"Statement[0].NotResource[0]", "before the fifth colon"},
		"variable in resource part":     {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::x/${aws:PrincipalAccount}/*"}}`, KindIdentity, "", ""},
		"variable in bucket name":       {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::x-${aws:PrincipalAccount}"}}`, KindIdentity, "", ""},
		"escape before the fifth colon": {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:${*}::x"}}`, KindIdentity, "", ""},
		"2008 has no variables":         {`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::${aws:PrincipalAccount}:x"}}`, KindIdentity, "", ""},
		"numeric with variable": {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"${aws:PrincipalTag/limit}"}}}}`, KindIdentity,
			"Statement.Condition.NumericLessThan.s3:max-keys", "Numeric condition operators"},
		"date with variable": {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"${aws:PrincipalTag/expiry}"}}}}`, KindIdentity,
			"Statement.Condition.DateLessThan.aws:CurrentTime", "Date condition operators"},
		"ip with variable": {`{` + v + `"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"${aws:PrincipalTag/cidr}"}}}}`, KindIdentity,
			"Statement.Condition.NotIpAddress.aws:SourceIp", "IP address condition operators"},
		"binary with variable": {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"BinaryEquals":{"k:b":"${k:c}"}}}}`, KindIdentity,
			"Statement.Condition.BinaryEquals.k:b", "Binary condition operators"},
		"string with variable":     {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"${aws:PrincipalTag/team}/*"}}}}`, KindIdentity, "", ""},
		"bool with variable":       {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${aws:PrincipalTag/tls}"}}}}`, KindIdentity, "", ""},
		"arn with variable":        {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:${aws:PrincipalAccount}:job/*"}}}}`, KindIdentity, "", ""},
		"numeric without variable": {`{` + v + `"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}}}`, KindIdentity, "", ""},
		"notprincipal role without account": {`{` + v + `"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/service-role/GlueJob"},"Action":"s3:*","Resource":"*"}}`, KindResource,
			"Statement.NotPrincipal.AWS", `"arn:aws:iam::111122223333:role/service-role/GlueJob" without its account 111122223333`},
		"notprincipal session without account": {`{` + v + `"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:root","arn:aws:sts::111122223333:assumed-role/GlueJob/s"]},"Action":"s3:*","Resource":"*"}}`, KindResource,
			"Statement.NotPrincipal.AWS", "without its account 111122223333"},
		"notprincipal with account id":   {`{` + v + `"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/GlueJob"]},"Action":"s3:*","Resource":"*"}}`, KindResource, "", ""},
		"notprincipal with root arn":     {`{` + v + `"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/a"]},"Action":"s3:*","Resource":"*"}}`, KindResource, "", ""},
		"principal role without account": {`{` + v + `"Statement":{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/GlueJob"},"Action":"s3:*","Resource":"*"}}`, KindResource, "", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ws := mustParse(t, tc.doc, tc.kind).Warnings()
			if tc.path == "" {
				if len(ws) != 0 {
					t.Fatalf("warnings %v, want none", ws)
				}
				return
			}
			if len(ws) != 1 {
				t.Fatalf("warnings %v, want one", ws)
			}
			if ws[0].Path != tc.path || !strings.Contains(ws[0].Msg, tc.want) {
				t.Errorf("warning %q at %s, want %q at %s", ws[0].Msg, ws[0].Path, tc.want, tc.path)
			}
		})
	}
}

// TestNullRejectsVariables: IAM supports no policy variable with Null, and a
// Null value is only "true" or "false"; the error says which rule.
func TestNullRejectsVariables(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"${aws:PrincipalTag/x}"}}}}`), KindIdentity, "t")
	if err == nil || !strings.Contains(err.Error(), "policy variables with the Null condition operator") {
		t.Fatalf("error = %v", err)
	}
}
