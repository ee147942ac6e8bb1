package iam

import (
	"slices"
	"testing"
)

func TestPolicyVariablesInResource(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		version  string
		resource string
		target   string
		keys     []ctxKV
		want     Decision
		missing  []string
	}{
		"username substituted":             {Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/notes.txt", []ctxKV{kv("aws:username", "alice")}, Allowed, nil},
		"username other user":              {Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/bob/notes.txt", []ctxKV{kv("aws:username", "alice")}, ImplicitlyDenied, nil},
		"variable key case-insensitive":    {Version2012, "arn:aws:s3:::home/${AWS:UserName}/*", "arn:aws:s3:::home/alice/x", []ctxKV{kv("aws:username", "alice")}, Allowed, nil},
		"absent key matches nothing":       {Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/x", nil, ImplicitlyDenied, []string{"aws:username"}},
		"unknown key":                      {Version2012, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/x", []ctxKV{unknownKey("aws:username")}, Unknown, nil},
		"default used when absent":         {Version2012, "arn:aws:s3:::home/${aws:username, 'shared'}/*", "arn:aws:s3:::home/shared/x", nil, Allowed, nil},
		"default ignored when present":     {Version2012, "arn:aws:s3:::home/${aws:username, 'shared'}/*", "arn:aws:s3:::home/shared/x", []ctxKV{kv("aws:username", "alice")}, ImplicitlyDenied, nil},
		"default with doubled quote":       {Version2012, "arn:aws:s3:::home/${aws:username,'o''neil'}/*", "arn:aws:s3:::home/o'neil/x", nil, Allowed, nil},
		"principal tag":                    {Version2012, "arn:aws:s3:::data/${aws:PrincipalTag/team}/*", "arn:aws:s3:::data/etl/x", []ctxKV{kv("aws:PrincipalTag/team", "etl")}, Allowed, nil},
		"principal account derived":        {Version2012, "arn:aws:s3:::logs-${aws:PrincipalAccount}/*", "arn:aws:s3:::logs-111122223333/x", nil, Allowed, nil},
		"multi-valued key is not usable":   {Version2012, "arn:aws:s3:::data/${aws:TagKeys}/*", "arn:aws:s3:::data/a/x", []ctxKV{kv("aws:TagKeys", "a", "b")}, ImplicitlyDenied, []string{"aws:TagKeys"}},
		"substituted star is literal":      {Version2012, "arn:aws:s3:::home/${aws:username}/x", "arn:aws:s3:::home/alice/x", []ctxKV{kv("aws:username", "*")}, ImplicitlyDenied, nil},
		"escape star is literal":           {Version2012, "arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/key", nil, ImplicitlyDenied, nil},
		"escape star matches a star":       {Version2012, "arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/*", nil, Allowed, nil},
		"escape question and dollar":       {Version2012, "arn:aws:s3:::bucket/${?}${$}", "arn:aws:s3:::bucket/?$", nil, Allowed, nil},
		"wildcards around a variable":      {Version2012, "arn:aws:s3:::*-${aws:username}/*", "arn:aws:s3:::team-alice/x", []ctxKV{kv("aws:username", "alice")}, Allowed, nil},
		"old version keeps text":           {Version2008, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/${aws:username}/x", []ctxKV{kv("aws:username", "alice")}, Allowed, nil},
		"old version does not substitute":  {Version2008, "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/x", []ctxKV{kv("aws:username", "alice")}, ImplicitlyDenied, nil},
		"no version does not substitute":   {"", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/x", []ctxKV{kv("aws:username", "alice")}, ImplicitlyDenied, nil},
		"empty variable stays literal":     {Version2012, "arn:aws:s3:::b/${}", "arn:aws:s3:::b/${}", nil, Allowed, nil},
		"malformed default stays literal":  {Version2012, "arn:aws:s3:::b/${a, b}", "arn:aws:s3:::b/${a, b}", nil, Allowed, nil},
		"unterminated variable is literal": {Version2012, "arn:aws:s3:::b/${aws:username", "arn:aws:s3:::b/${aws:username", nil, Allowed, nil},
		"variable in account field":        {Version2012, "arn:aws:kms:*:${aws:PrincipalAccount}:key/*", keyARN, nil, Allowed, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			version := ""
			if tc.version != "" {
				version = `"Version":"` + tc.version + `",`
			}
			p := mustParse(t, `{`+version+`"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"`+tc.resource+`"}}`, KindIdentity)
			ctx := NewContext()
			for _, k := range tc.keys {
				if k.unknown {
					ctx.SetUnknown(k.key)
				} else {
					ctx.Set(k.key, k.values...)
				}
			}
			r := Evaluate(&Input{Identity: []*Policy{p}}, glueRequest(tc.target, ctx))
			if r.Decision != tc.want {
				t.Fatalf("decision = %v, want %v (%+v)", r.Decision, tc.want, r)
			}
			if tc.want == Allowed && (len(r.Statements) != 1 || r.DecidedBy != identity) {
				t.Errorf("allowed by %v %+v, want the identity statement", r.DecidedBy, r.Statements)
			}
			if tc.want == Unknown && !slices.Equal(r.UnknownKeys, []string{"aws:username"}) {
				t.Errorf("UnknownKeys = %v", r.UnknownKeys)
			}
			if !slices.Equal(r.MissingContextKeys, tc.missing) {
				t.Errorf("MissingContextKeys = %v, want %v", r.MissingContextKeys, tc.missing)
			}
		})
	}
}

func TestPolicyVariablesInConditions(t *testing.T) {
	t.Parallel()
	runCondCases(t, map[string]condCase{
		"StringEquals with variable":   {`{"StringEquals":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/"), kv("aws:username", "alice")}, Allowed},
		"StringEquals variable absent": {`{"StringEquals":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/")}, ImplicitlyDenied},
		// IAM, "Policy variables with no value": the value is "effectively
		// null", and "inverted condition operators like StringNotEquals or
		// StringNotLike do match against a null value".
		"StringNotEquals variable absent matches":        {`{"StringNotEquals":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/")}, Allowed},
		"StringNotLike variable multi-valued matches":    {`{"StringNotLike":{"s3:prefix":"${aws:TagKeys}*"}}`, []ctxKV{kv("s3:prefix", "x"), kv("aws:TagKeys", "a", "b")}, Allowed},
		"StringNotEqualsIgnoreCase variable absent":      {`{"StringNotEqualsIgnoreCase":{"s3:prefix":"${aws:PrincipalTag/team}"}}`, []ctxKV{kv("s3:prefix", "etl")}, Allowed},
		"ArnNotLike variable absent matches":             {`{"ArnNotLike":{"aws:SourceArn":"arn:aws:glue:*:*:job/${aws:PrincipalTag/job}"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:111122223333:job/x")}, Allowed},
		"ArnNotEquals variable absent matches":           {`{"ArnNotEquals":{"aws:SourceArn":"arn:aws:glue:eu-west-1:111122223333:job/${aws:PrincipalTag/job}"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:111122223333:job/x")}, Allowed},
		"ArnLike variable absent does not match":         {`{"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:*:job/${aws:PrincipalTag/job}"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:111122223333:job/x")}, ImplicitlyDenied},
		"ForAllValues:StringNotLike variable absent":     {`{"ForAllValues:StringNotLike":{"aws:TagKeys":"${aws:PrincipalTag/team}*"}}`, []ctxKV{kv("aws:TagKeys", "a", "b")}, Allowed},
		"ForAnyValue:StringLike variable absent":         {`{"ForAnyValue:StringLike":{"aws:TagKeys":"${aws:PrincipalTag/team}*"}}`, []ctxKV{kv("aws:TagKeys", "a", "b")}, ImplicitlyDenied},
		"StringNotLike variable absent other value hits": {`{"StringNotLike":{"s3:prefix":["${aws:PrincipalTag/team}/*","tmp/*"]}}`, []ctxKV{kv("s3:prefix", "tmp/x")}, ImplicitlyDenied},
		"StringNotEquals variable default resolves":      {`{"StringNotEquals":{"s3:prefix":"home/${aws:username, 'nobody'}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/")}, Allowed},
		"StringNotEquals static and variable values":     {`{"StringNotEquals":{"s3:prefix":["tmp/","home/${aws:username}/"]}}`, []ctxKV{kv("s3:prefix", "home/alice/"), kv("aws:username", "bob")}, Allowed},
		"StringNotEquals variable present differs":       {`{"StringNotEquals":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/"), kv("aws:username", "bob")}, Allowed},
		"StringNotEquals variable unknown":               {`{"StringNotEquals":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/"), unknownKey("aws:username")}, Unknown},
		"StringNotEquals variable absent key absent too": {`{"StringNotEquals":{"s3:prefix":"home/${aws:username}/"}}`, nil, Allowed},
		"StringEquals variable unknown":                  {`{"StringEquals":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/"), unknownKey("aws:username")}, Unknown},
		"StringEquals escape star literal":               {`{"StringEquals":{"s3:prefix":"${*}"}}`, []ctxKV{kv("s3:prefix", "*")}, Allowed},
		"StringLike with variable":                       {`{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, []ctxKV{kv("s3:prefix", "home/alice/docs/"), kv("aws:username", "alice")}, Allowed},
		"StringLike substituted star literal":            {`{"StringLike":{"s3:prefix":"home/${aws:username}/"}}`, []ctxKV{kv("s3:prefix", "home/alice/"), kv("aws:username", "*")}, ImplicitlyDenied},
		"StringLike variable absent":                     {`{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, []ctxKV{kv("s3:prefix", "home/alice/x")}, ImplicitlyDenied},
		"StringLike default value":                       {`{"StringLike":{"s3:prefix":"${aws:username, 'public'}/*"}}`, []ctxKV{kv("s3:prefix", "public/x")}, Allowed},
		"ArnEquals with variable":                        {`{"ArnEquals":{"aws:SourceArn":"arn:aws:glue:*:${aws:PrincipalAccount}:job/*"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:111122223333:job/x")}, Allowed},
		"NumericEquals with variable":                    {`{"NumericEquals":{"s3:max-keys":"${k:limit}"}}`, []ctxKV{kv("s3:max-keys", "10"), kv("k:limit", "10")}, Allowed},
		"NumericEquals variable not a number":            {`{"NumericEquals":{"s3:max-keys":"${k:limit}"}}`, []ctxKV{kv("s3:max-keys", "10"), kv("k:limit", "ten")}, ImplicitlyDenied},
		"IpAddress with variable":                        {`{"IpAddress":{"aws:SourceIp":"${k:cidr}"}}`, []ctxKV{kv("aws:SourceIp", "10.1.1.1"), kv("k:cidr", "10.0.0.0/8")}, Allowed},
		"DateLessThan with variable":                     {`{"DateLessThan":{"aws:CurrentTime":"${k:expiry}"}}`, []ctxKV{kv("aws:CurrentTime", "2024-01-01"), kv("k:expiry", "2025-01-01")}, Allowed},
		"BinaryEquals with variable":                     {`{"BinaryEquals":{"k:blob":"${k:want}"}}`, []ctxKV{kv("k:blob", "YQ=="), kv("k:want", "YQ==")}, Allowed},
		"StringEqualsIgnoreCase with variable":           {`{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"${k:team}"}}`, []ctxKV{kv("aws:PrincipalTag/team", "ETL"), kv("k:team", "etl")}, Allowed},
		"Bool values are not substituted":                {`{"Bool":{"aws:SecureTransport":"true"}}`, []ctxKV{kv("aws:SecureTransport", "true")}, Allowed},
		// "Boolean condition operators ... Policy variables – Supported".
		"Bool with variable":        {`{"Bool":{"aws:SecureTransport":"${aws:PrincipalTag/tls}"}}`, []ctxKV{kv("aws:SecureTransport", "true"), kv("aws:PrincipalTag/tls", "TRUE")}, Allowed},
		"Bool with variable absent": {`{"Bool":{"aws:SecureTransport":"${aws:PrincipalTag/tls}"}}`, []ctxKV{kv("aws:SecureTransport", "true")}, ImplicitlyDenied},
	})
}

func TestParseTemplate(t *testing.T) {
	t.Parallel()
	if parseTemplate("arn:aws:s3:::bucket/*") != nil {
		t.Error("a value without ${ should not need a template")
	}
	if parseTemplate("a/${}") != nil {
		t.Error("an empty variable is literal text and needs no template")
	}
	tm := parseTemplate("home/${ aws:username , 'x' }/${*}")
	if tm == nil || len(tm.parts) != 3 {
		t.Fatalf("parts = %+v", tm)
	}
	v := tm.parts[1]
	if !v.isVar || v.key != "aws:username" || v.lkey.lower != "aws:username" || !v.hasDefault || v.dflt != "x" {
		t.Errorf("variable part = %+v", v)
	}
	if want := []gtok{{kind: tokLit, s: "/"}, {kind: tokLit, s: "*"}}; tm.parts[2].text != "/*" || !slices.Equal(tm.parts[2].toks, want) {
		t.Errorf("escape part = %+v, want the literal text /*", tm.parts[2])
	}
}

// TestPolicyVariablesInNotResource checks that an unresolved variable keeps a
// NotResource statement from applying (it is invalid, as with Resource)
// instead of turning the non-match into a match.
func TestPolicyVariablesInNotResource(t *testing.T) {
	t.Parallel()
	const notResource = "arn:aws:s3:::data/private-${aws:PrincipalTag/team}/*"
	tests := map[string]struct {
		element, pattern, target string
		keys                     []ctxKV
		want                     Decision
		missing                  []string
	}{
		"absent variable":         {"NotResource", notResource, "arn:aws:s3:::data/in/x", nil, ImplicitlyDenied, []string{"aws:PrincipalTag/team"}},
		"unknown variable":        {"NotResource", notResource, "arn:aws:s3:::data/in/x", []ctxKV{unknownKey("aws:PrincipalTag/team")}, Unknown, nil},
		"resolved, outside":       {"NotResource", notResource, "arn:aws:s3:::data/in/x", []ctxKV{kv("aws:PrincipalTag/team", "etl")}, Allowed, nil},
		"resolved, excluded":      {"NotResource", notResource, "arn:aws:s3:::data/private-etl/x", []ctxKV{kv("aws:PrincipalTag/team", "etl")}, ImplicitlyDenied, nil},
		"default resolves":        {"NotResource", "arn:aws:s3:::data/private-${aws:PrincipalTag/team, 'none'}/*", "arn:aws:s3:::data/in/x", nil, Allowed, nil},
		"short pattern with star": {"Resource", "arn:aws:${aws:PrincipalTag/svc}:*", "arn:aws:s3:::data/in/x", []ctxKV{kv("aws:PrincipalTag/svc", "s3")}, Allowed, nil},
		"short pattern other svc": {"Resource", "arn:aws:${aws:PrincipalTag/svc}:*", "arn:aws:s3:::data/in/x", []ctxKV{kv("aws:PrincipalTag/svc", "kms")}, ImplicitlyDenied, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","`+tc.element+`":"`+tc.pattern+`"}}`, KindIdentity)
			ctx := NewContext()
			for _, k := range tc.keys {
				if k.unknown {
					ctx.SetUnknown(k.key)
				} else {
					ctx.Set(k.key, k.values...)
				}
			}
			r := Evaluate(&Input{Identity: []*Policy{p}}, glueRequest(tc.target, ctx))
			if r.Decision != tc.want {
				t.Fatalf("decision = %v, want %v (%+v)", r.Decision, tc.want, r)
			}
			if !slices.Equal(r.MissingContextKeys, tc.missing) {
				t.Errorf("MissingContextKeys = %v, want %v", r.MissingContextKeys, tc.missing)
			}
		})
	}
}
