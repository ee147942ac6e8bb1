package iam

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func mustParse(tb testing.TB, doc string, kind Kind) *Policy {
	tb.Helper()
	p, err := Parse([]byte(doc), kind, "test")
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return p
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		doc  string
		kind Kind
		path string
		msg  string
	}{
		"empty document":          {``, KindIdentity, "", "empty policy document"},
		"blank document":          {" \n\t", KindIdentity, "", "empty policy document"},
		"malformed json":          {`{"Statement": [`, KindIdentity, "", "malformed JSON"},
		"trailing data":           {`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}} {}`, KindIdentity, "", "unexpected data after the top-level value"},
		"not an object":           {`[]`, KindIdentity, "", "must be a JSON object, not array"},
		"unknown top element":     {`{"Foo":1,"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, "Foo", `unknown policy element "Foo"`},
		"missing statement":       {`{"Version":"2012-10-17"}`, KindIdentity, "", "missing Statement"},
		"empty statement array":   {`{"Statement":[]}`, KindIdentity, "Statement", "no statements"},
		"statement is string":     {`{"Statement":"x"}`, KindIdentity, "Statement", "must be an object or an array of objects, not string"},
		"statement item string":   {`{"Statement":["x"]}`, KindIdentity, "Statement[0]", "statement must be an object, not string"},
		"bad version":             {`{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, "Version", `unsupported version "2020-01-01"`},
		"version number":          {`{"Version":2012,"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, "Version", "must be a string, not number"},
		"id number":               {`{"Id":1,"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, "Id", "must be a string, not number"},
		"duplicate top key":       {`{"Version":"2012-10-17","Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, "Version", `duplicate key "Version"`},
		"duplicate effect":        {`{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0].Effect", `duplicate key "Effect"`},
		"unknown stmt element":    {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Actions":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[1].Actions", `unknown statement element "Actions"`},
		"missing effect":          {`{"Statement":[{"Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0]", "missing Effect"},
		"bad effect":              {`{"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0].Effect", `invalid Effect "allow"`},
		"effect not string":       {`{"Statement":[{"Effect":true,"Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0].Effect", "must be a string, not boolean"},
		"sid not string":          {`{"Statement":[{"Sid":1,"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0].Sid", "must be a string, not number"},
		"action and notaction":    {`{"Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}]}`, KindIdentity, "Statement[0]", "both Action and NotAction"},
		"missing action":          {`{"Statement":[{"Effect":"Allow","Resource":"*"}]}`, KindIdentity, "Statement[0]", "missing Action or NotAction"},
		"action number":           {`{"Statement":[{"Effect":"Allow","Action":1,"Resource":"*"}]}`, KindIdentity, "Statement[0].Action", "must be a string or an array of strings, not number"},
		"action list number":      {`{"Statement":[{"Effect":"Allow","Action":["s3:GetObject",2],"Resource":"*"}]}`, KindIdentity, "Statement[0].Action[1]", "must be a string, not number"},
		"empty action list":       {`{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}`, KindIdentity, "Statement[0].Action", "no actions"},
		"action without service":  {`{"Statement":[{"Effect":"Allow","Action":["GetObject"],"Resource":"*"}]}`, KindIdentity, "Statement[0].Action[0]", `action "GetObject" is not of the form service:Name`},
		"missing resource":        {`{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, KindIdentity, "Statement[0]", "missing Resource or NotResource"},
		"missing resource bound":  {`{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, KindBoundary, "Statement[0]", "missing Resource or NotResource"},
		"resource and not":        {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}]}`, KindIdentity, "Statement[0]", "both Resource and NotResource"},
		"empty resource list":     {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":[]}]}`, KindIdentity, "Statement[0].Resource", "no resources"},
		"resource object":         {`{"Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":{}}]}`, KindIdentity, "Statement[0].NotResource", "must be a string or an array of strings, not object"},
		"principal in identity":   {`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0].Principal", "Principal is not allowed in an identity-based policy"},
		"notprincipal in scp":     {`{"Statement":[{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]}`, KindSCP, "Statement[0].NotPrincipal", "NotPrincipal is not allowed in a service control policy"},
		"missing principal":       {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0]", "missing Principal (required in a resource-based policy)"},
		"missing principal key":   {`{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`, KindKeyPolicy, "Statement[0]", "missing Principal (required in a key policy)"},
		"missing principal vpce":  {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, KindEndpoint, "Statement[0]", "missing Principal (required in a VPC endpoint policy)"},
		"principal and not":       {`{"Statement":[{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0]", "both Principal and NotPrincipal"},
		"principal bad string":    {`{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal", `a string principal must be "*"`},
		"principal bad type":      {`{"Statement":[{"Effect":"Allow","Principal":{"User":"x"},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal.User", `unknown principal type "User"`},
		"principal empty object":  {`{"Statement":[{"Effect":"Allow","Principal":{},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal", "no principals"},
		"principal number":        {`{"Statement":[{"Effect":"Allow","Principal":1,"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal", `must be "*" or an object, not number`},
		"duplicate principal":     {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*","AWS":"*"},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal.AWS", `duplicate key "AWS"`},
		"rcp principal not star":  {`{"Statement":[{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]}`, KindRCP, "Statement[0].Principal", `Principal must be "*"`},
		"empty principal list":    {`{"Statement":[{"Effect":"Deny","Principal":{"AWS":[]},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal.AWS", "no principals"},
		"identity sid with space": {`{"Statement":[{"Sid":"Read data","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[0].Sid", "only ASCII letters and digits"},
		"boundary sid with dash":  {`{"Statement":{"Sid":"Read-data","Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindBoundary, "Statement.Sid", "only ASCII letters and digits"},
		"identity sid repeated":   {`{"Statement":[{"Sid":"A1","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A1","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, KindIdentity, "Statement[1].Sid", "unique within a policy"},
		"resource not an arn":     {`{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::b","b/*"]}]}`, KindIdentity, "Statement[0].Resource[1]", "not an ARN"},
		"notprincipal with allow": {`{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].NotPrincipal", "supported only with"},
		"rcp notprincipal":        {`{"Statement":[{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]}`, KindRCP, "Statement[0].NotPrincipal", "NotPrincipal is not allowed"},
		"unknown operator":        {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:x":"y"}}}]}`, KindIdentity, "Statement[0].Condition.StringEqualz", `unknown condition operator "StringEqualz"`},
		"null ifexists":           {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:x":"true"}}}]}`, KindIdentity, "Statement[0].Condition.NullIfExists", "unknown condition operator"},
		"unknown set qualifier":   {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForSomeValues:StringEquals":{"aws:x":"y"}}}]}`, KindIdentity, "Statement[0].Condition.ForSomeValues:StringEquals", `unknown condition set qualifier "ForSomeValues"`},
		"condition not object":    {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":[]}]}`, KindIdentity, "Statement[0].Condition", "must be an object, not array"},
		"operator not object":     {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":"x"}}]}`, KindIdentity, "Statement[0].Condition.StringEquals", "must be an object of condition keys, not string"},
		"operator no keys":        {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{}}}]}`, KindIdentity, "Statement[0].Condition.StringEquals", "no condition keys"},
		"duplicate operator":      {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":"1"},"StringEquals":{"a:c":"1"}}}]}`, KindIdentity, "Statement[0].Condition.StringEquals", `duplicate key "StringEquals"`},
		"duplicate key any case":  {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"a","aws:sourcevpce":"b"}}}]}`, KindIdentity, "Statement[0].Condition.StringEquals.aws:sourcevpce", `duplicate key "aws:sourcevpce"`},
		"empty condition key":     {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"":"a"}}}]}`, KindIdentity, "Statement[0].Condition.StringEquals.", "empty condition key"},
		"condition value object":  {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":{}}}}]}`, KindIdentity, "Statement[0].Condition.StringEquals.a:b", "must be a string or an array of strings, not object"},
		"condition value null":    {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":[null]}}}]}`, KindIdentity, "Statement[0].Condition.StringEquals.a:b[0]", "must be a string, not null"},
		"bad number":              {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}]}`, KindIdentity, "Statement[0].Condition.NumericLessThan.s3:max-keys", `value "ten" is not a number`},
		"bad date":                {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"tomorrow"}}}]}`, KindIdentity, "Statement[0].Condition.DateGreaterThan.aws:CurrentTime", `value "tomorrow" is not an ISO 8601 date`},
		"bad bool":                {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}]}`, KindIdentity, "Statement[0].Condition.Bool.aws:SecureTransport", `value "yes" is not true or false`},
		"bad null":                {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"1"}}}]}`, KindIdentity, "Statement[0].Condition.Null.aws:TokenIssueTime", `value "1" is not true or false`},
		"bad base64":              {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"BinaryEquals":{"k:b":"!!"}}}]}`, KindIdentity, "Statement[0].Condition.BinaryEquals.k:b", `value "!!" is not base64`},
		"bad cidr":                {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}]}`, KindIdentity, "Statement[0].Condition.IpAddress.aws:SourceIp", `value "10.0.0.0/33" is not an IP address or CIDR block`},
		"bad address":             {`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"host"}}}]}`, KindIdentity, "Statement[0].Condition.NotIpAddress.aws:SourceIp", `value "host" is not an IP address`},
		"value missing":           {`{"Statement":}`, KindIdentity, "", "malformed JSON"},
		"truncated object":        {`{"Statement"`, KindIdentity, "", "malformed JSON"},
		"truncated array":         {`{"Statement":[{"Effect":"Allow"},`, KindIdentity, "", "malformed JSON"},
		"bad service chars":       {`{"Statement":[{"Effect":"Allow","Action":"s 3:Get","Resource":"*"}]}`, KindIdentity, "Statement[0].Action[0]", `action "s 3:Get" is not of the form service:Name`},
		"principal value object":  {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":{}},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal.AWS", "must be a string or an array of strings, not object"},
		"service as number":       {`{"Statement":[{"Effect":"Allow","Principal":{"Service":1},"Action":"s3:*","Resource":"*"}]}`, KindResource, "Statement[0].Principal.Service", "must be a string or an array of strings, not number"},
		"deep nesting":            {`{"Statement":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, KindIdentity, "", "nesting deeper than"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tc.doc), tc.kind, "aws_iam_policy.x")
			if err == nil {
				t.Fatal("parse succeeded, want an error")
			}
			if !errors.Is(err, ErrPolicySyntax) {
				t.Errorf("error %v does not wrap ErrPolicySyntax", err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if se.Path != tc.path {
				t.Errorf("path = %q, want %q", se.Path, tc.path)
			}
			if !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", se.Msg, tc.msg)
			}
			if se.Label != "aws_iam_policy.x" || !strings.Contains(err.Error(), `"aws_iam_policy.x"`) {
				t.Errorf("error %q does not name the policy label", err)
			}
		})
	}
}

func TestSyntaxErrorText(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}]}`), KindIdentity, "aws_iam_role_policy.glue")
	want := `invalid policy document "aws_iam_role_policy.glue" at Statement[1].Condition.StringEqualz: unknown condition operator "StringEqualz"`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
	_, err = Parse(nil, KindIdentity, "p")
	if want := `invalid policy document "p": empty policy document`; err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		doc        string
		kind       Kind
		statements int
	}{
		"statement object":         {`{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, 1},
		"statement array":          {`{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]},{"Effect":"Deny","NotAction":"s3:*","NotResource":"*"}]}`, KindIdentity, 2},
		"old version":              {`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity, 1},
		"scp without resource":     {`{"Statement":{"Effect":"Allow","Action":"*"}}`, KindSCP, 1},
		"endpoint without res":     {`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*"}}`, KindEndpoint, 1},
		"rcp star principal":       {`{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, KindRCP, 1},
		"rcp aws star principal":   {`{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}`, KindRCP, 1},
		"rcp without principal":    {`{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`, KindRCP, 1},
		"numbers and bools":        {`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":[10,1.5e1]}}}}`, KindIdentity, 1},
		"account id as number":     {`{"Statement":{"Effect":"Allow","Principal":{"AWS":111122223333},"Action":"s3:*","Resource":"*"}}`, KindResource, 1},
		"all principal types":      {`{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"glue.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":"s3:*","Resource":"*"}}`, KindResource, 1},
		"key policy":               {`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}}`, KindKeyPolicy, 1},
		"set operator ifexists":    {`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*"]}}}}`, KindIdentity, 1},
		"unterminated variable":    {`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username"}}`, KindIdentity, 1},
		"bucket policy sid free":   {`{"Statement":[{"Sid":"Read data, Glue","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Sid":"Read data, Glue","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`, KindResource, 2},
		"identity empty sids":      {`{"Statement":[{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, KindIdentity, 2},
		"variable in number value": {`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"a:b":"${a:c}"}}}}`, KindIdentity, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, tc.doc, tc.kind)
			if p.StatementCount() != tc.statements {
				t.Errorf("statements = %d, want %d", p.StatementCount(), tc.statements)
			}
			if p.Kind != tc.kind || p.Label != "test" {
				t.Errorf("kind/label = %v/%q", p.Kind, p.Label)
			}
		})
	}
}

func TestParseKeepsVersionAndID(t *testing.T) {
	t.Parallel()
	p := mustParse(t, `{"Version":"2012-10-17","Id":"bucket-policy","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, KindIdentity)
	if p.Version != Version2012 || p.ID != "bucket-policy" {
		t.Fatalf("Version/ID = %q/%q", p.Version, p.ID)
	}
}

func TestActionPatterns(t *testing.T) {
	t.Parallel()
	p := mustParse(t, `{"Statement":[
		{"Sid":"Read","Effect":"Allow","Action":["s3:Get*","s3:ListBucket"],"Resource":"*"},
		{"Effect":"Deny","NotAction":"kms:Decrypt","Resource":"*"}]}`, KindIdentity)
	want := []ActionPattern{
		{Statement: 0, Sid: "Read", Pattern: "s3:Get*"},
		{Statement: 0, Sid: "Read", Pattern: "s3:ListBucket"},
		{Statement: 1, Not: true, Pattern: "kms:Decrypt"},
	}
	if got := p.ActionPatterns(); !reflect.DeepEqual(got, want) {
		t.Fatalf("ActionPatterns() = %+v, want %+v", got, want)
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	want := map[Kind]string{
		KindIdentity: "identity-based", KindBoundary: "permissions boundary", KindSession: "session",
		KindResource: "resource-based", KindKeyPolicy: "key", KindSCP: "service control",
		KindRCP: "resource control", KindEndpoint: "VPC endpoint", Kind(42): "Kind(42)",
	}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), k.String(), s)
		}
	}
}
