package iam

import (
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

func TestMatchAction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"s3:GetObject", "s3:GetObject", true},
		{"s3:getobject", "s3:GetObject", true},
		{"S3:GETOBJECT", "s3:getObject", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:GetBucketLocation", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:*", "s3:ListBucket", true},
		{"s3:*", "kms:Decrypt", false},
		{"*", "kms:Decrypt", true},
		{"s?:GetObject", "s3:GetObject", true},
		{"s3:GetObjec?", "s3:GetObject", true},
		{"s3:GetObjec?", "s3:GetObjectAcl", false},
		{"s3:*Object", "s3:GetObject", true},
		{"s3:*Object", "s3:GetObjectAcl", false},
		{"s3:*Object*", "s3:GetObjectAcl", true},
		{"*:GetObject", "s3:GetObject", true},
		{"s3:List*Uploads", "s3:ListBucketMultipartUploads", true},
		{"s3:List*Uploads", "s3:ListMultipartUploadParts", false},
		{"s3:GetObject", "s3:GetObjectVersion", false},
		{"s3:Get**Object", "s3:GetObject", true},
	}
	for _, tc := range tests {
		set := newActionSet([]string{tc.pattern})
		if got := set.match(tc.action, asciiLower(tc.action[:strings.IndexByte(tc.action, ':')])); got != tc.want {
			t.Errorf("matchAction(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
		}
	}
}

func TestActionSetGroupsByService(t *testing.T) {
	t.Parallel()
	set := newActionSet([]string{"glue:*", "s3:GetBucketLocation", "S3:List*", "*:Describe*", "s3:GetObject"})
	if len(set.groups) != 3 || set.groups[1].service != "s3" || len(set.groups[1].globs) != 3 || set.groups[2].service != "" {
		t.Fatalf("groups = %+v, want glue, s3 (3 patterns) and a wildcard-service group", set.groups)
	}
	for action, want := range map[string]bool{"s3:GetObject": true, "S3:listbucket": true, "ec2:DescribeVpcs": true, "s3:PutObject": false, "glue:GetJob": true, "kms:Decrypt": false} {
		if got := set.match(action, asciiLower(action[:strings.IndexByte(action, ':')])); got != want {
			t.Errorf("match(%q) = %v, want %v", action, got, want)
		}
	}
}

func TestMatchResource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::bucket/key", true},
		{"*", "*", true},
		{"arn:aws:s3:::bucket/*", "*", false},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket/key", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", false},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket-other/key", false},
		{"arn:aws:s3:::bucket/in/*", "arn:aws:s3:::bucket/in/x.csv", true},
		{"arn:aws:s3:::bucket/in/*", "arn:aws:s3:::bucket/out/x.csv", false},
		{"arn:aws:s3:::*/*aws-glue-*/*", "arn:aws:s3:::data/tmp/aws-glue-x/part", true},
		{"arn:aws:s3:::*/*aws-glue-*/*", "arn:aws:s3:::data/tmp/glue/part", false},
		{"arn:aws:s3:::bucket/key?", "arn:aws:s3:::bucket/key1", true},
		{"arn:aws:s3:::bucket/key?", "arn:aws:s3:::bucket/key12", false},
		// The last field's star crosses colons; stars elsewhere stay in their field.
		{"arn:aws:logs:*:*:log-group:/aws-glue/*", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws-glue/jobs:log-stream:x", true},
		{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true},
		{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:444455556666:key/abc", false},
		{"arn:aws:kms:*:111122223333:*", "arn:aws:kms:eu-west-1:111122223333:alias/x", true},
		{"arn:aws:kms:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false},
		{"arn:*:s3:::bucket/*", "arn:aws-cn:s3:::bucket/k", true},
		{"arn:aws:s3:*:*:bucket/*", "arn:aws:s3:::bucket/k", true},
		{"arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/path/GlueRole", true},
		{"arn:aws:iam::111122223333:role/?lue*", "arn:aws:iam::111122223333:role/GlueRole", true},
		{"arn:aws:s3:::", "arn:aws:s3:::", true},
		{"**", "arn:aws:s3:::bucket/key", false},
	}
	for _, tc := range tests {
		g := compileARNPattern(tc.pattern)
		segs, ok := awsid.SplitARN(tc.arn)
		if got := g.match(&segs, tc.arn, ok); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.arn, got, tc.want)
		}
	}
}

// TestMatchResourceStretchingStar covers the Resource element's documented
// rule that a "*" ending an ARN field can expand beyond the colon boundaries
// (so a pattern of fewer than six fields may match), while ArnLike compares
// the six fields one by one.
func TestMatchResourceStretchingStar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, arn        string
		resource, condition bool
	}{
		{"arn:aws:s3:*", "arn:aws:s3:::bucket/key", true, false},
		{"arn:aws:s3:*", "arn:aws:kms:eu-west-1:111122223333:key/k", false, false},
		{"arn:aws:kms:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true, false},
		{"arn:aws:kms:eu-*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true, false},
		{"arn:aws:kms:us-*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false, false},
		{"arn:*", "arn:aws-cn:s3:::b", true, false},
		{"**", "arn:aws:s3:::b", true, false},
		{"arn:aws:s3", "arn:aws:s3:::b", false, false},
		{"arn:aws:s3:?", "arn:aws:s3:::b", false, false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b/k:x", true, true},
		// A "*" ending any of the first five fields may run over colons, so
		// later fields can land inside the resource; elsewhere a "*" stays in
		// its field.
		{"arn:aws:s3:*:*:secret*", "arn:aws:s3:::b/x:secret-1", true, false},
		{"arn:aws:s3:*:*:secret*", "arn:aws:s3:::b/x-secret-1", false, false},
		{"arn:aws:*:foo", "arn:aws:s3:::foo", true, false},
		{"arn:aws:*:foo", "arn:aws:s3:::foo/bar", false, false},
		{"arn:aws:s*3:*", "arn:aws:s3:::foo", true, false},
		{"arn:aws:s*x:*", "arn:aws:s3:::b:x", false, false},
		{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:444455556666:key/x:111122223333:key/y", true, false},
		{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:444455556666:key/abc", false, false},
	}
	for _, tc := range tests {
		segs, ok := awsid.SplitARN(tc.arn)
		r, c := compileResourcePattern(tc.pattern), compileARNPattern(tc.pattern)
		if got := r.match(&segs, tc.arn, ok); got != tc.resource {
			t.Errorf("Resource %q vs %q = %v, want %v", tc.pattern, tc.arn, got, tc.resource)
		}
		if got := c.match(&segs, tc.arn, ok); got != tc.condition {
			t.Errorf("ArnLike %q vs %q = %v, want %v", tc.pattern, tc.arn, got, tc.condition)
		}
	}
}

func TestSplitARN(t *testing.T) {
	t.Parallel()
	segs, ok := awsid.SplitARN("arn:aws:logs:eu-west-1:111122223333:log-group:x:*")
	if !ok || segs[4] != "111122223333" || segs[5] != "log-group:x:*" {
		t.Fatalf("splitARN = %q, %v", segs, ok)
	}
	if _, ok := awsid.SplitARN("arn:aws:s3"); ok {
		t.Fatal("splitARN accepted three fields")
	}
}

func TestPrincipalMatch(t *testing.T) {
	t.Parallel()
	session := Principal{
		ARN:     "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession",
		RoleARN: "arn:aws:iam::111122223333:role/service/GlueJobRole",
		Account: "111122223333",
	}
	user := Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"}
	service := Principal{Service: "glue.amazonaws.com"}
	// A role ARN as caller is a session of the role: naming the role ARN is
	// a grant to the role, limited by boundary and session policy.
	role := Principal{ARN: "arn:aws:iam::111122223333:role/service/GlueJobRole", Account: "111122223333"}
	tests := map[string]struct {
		principal string
		caller    Principal
		want      principalMatch
	}{
		"star":                          {`"*"`, session, pmRole},
		"aws star":                      {`{"AWS":"*"}`, session, pmRole},
		"account id":                    {`{"AWS":"111122223333"}`, session, pmAccount},
		"account root":                  {`{"AWS":"arn:aws:iam::111122223333:root"}`, session, pmAccount},
		"other account":                 {`{"AWS":"444455556666"}`, session, pmNone},
		"role arn":                      {`{"AWS":"arn:aws:iam::111122223333:role/service/GlueJobRole"}`, session, pmRole},
		"role arn without path":         {`{"AWS":"arn:aws:iam::111122223333:role/GlueJobRole"}`, session, pmNone},
		"session arn":                   {`{"AWS":"arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"}`, session, pmExact},
		"other session":                 {`{"AWS":"arn:aws:sts::111122223333:assumed-role/GlueJobRole/other"}`, session, pmNone},
		"partial wildcard":              {`{"AWS":"arn:aws:iam::111122223333:role/*"}`, session, pmNone},
		"service does not match role":   {`{"Service":"glue.amazonaws.com"}`, session, pmNone},
		"federated does not match role": {`{"Federated":"cognito-identity.amazonaws.com"}`, session, pmNone},
		"canonical user":                {`{"CanonicalUser":"79a59df900b949e55d96a1e698fbaced"}`, session, pmNone},
		"user arn":                      {`{"AWS":"arn:aws:iam::111122223333:user/alice"}`, user, pmExact},
		"user via account":              {`{"AWS":["444455556666","111122223333"]}`, user, pmAccount},
		"service principal":             {`{"Service":["glue.amazonaws.com"]}`, service, pmExact},
		"service principal any case":    {`{"Service":"Glue.amazonaws.com"}`, service, pmExact},
		"service via star":              {`"*"`, service, pmRole},
		"service not an account":        {`{"AWS":"111122223333"}`, service, pmNone},
		"unique id is not an account":   {`{"AWS":"AROAEXAMPLEID"}`, session, pmNone},
		"twelve letters not an account": {`{"AWS":"AIDAEXAMPLE1"}`, session, pmNone},
		"role caller named by its ARN":  {`{"AWS":"arn:aws:iam::111122223333:role/service/GlueJobRole"}`, role, pmRole},
		"role caller via account":       {`{"AWS":"111122223333"}`, role, pmAccount},
		"role caller not its session":   {`{"AWS":"arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"}`, role, pmNone},
		"exact beats account":           {`{"AWS":["111122223333","arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"]}`, session, pmExact},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, `{"Statement":{"Effect":"Allow","Principal":`+tc.principal+`,"Action":"s3:*","Resource":"*"}}`, KindResource)
			account := tc.caller.Account
			c, _ := resolveCaller(&tc.caller, nil)
			if got := p.statements[0].principal.match(&c, account); got != tc.want {
				t.Errorf("match = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestNotPrincipalExemptsService(t *testing.T) {
	t.Parallel()
	glue, _ := resolveCaller(&Principal{Service: "glue.amazonaws.com"}, nil)
	p := mustParse(t, `{"Statement":{"Effect":"Deny","NotPrincipal":{"Service":"Glue.amazonaws.com"},"Action":"s3:*","Resource":"*"}}`, KindResource)
	if !p.statements[0].principal.exempts(&glue, "") {
		t.Error("a listed service principal should be exempt")
	}
	other, _ := resolveCaller(&Principal{Service: "lambda.amazonaws.com"}, nil)
	if p.statements[0].principal.exempts(&other, "") {
		t.Error("an unlisted service principal should not be exempt")
	}
}

func TestNotPrincipalExempts(t *testing.T) {
	t.Parallel()
	session := Principal{
		ARN:     "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession",
		RoleARN: "arn:aws:iam::111122223333:role/GlueJobRole",
		Account: "111122223333",
	}
	const (
		acct = `"arn:aws:iam::111122223333:root"`
		role = `"arn:aws:iam::111122223333:role/GlueJobRole"`
		sess = `"arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"`
	)
	tests := map[string]struct {
		list string
		want bool
	}{
		"account role and session": {`[` + acct + `,` + role + `,` + sess + `]`, true},
		"role only":                {`[` + role + `]`, false},
		"role and account":         {`[` + acct + `,` + role + `]`, false},
		"session and account":      {`[` + acct + `,` + sess + `]`, false},
		"session and role":         {`[` + role + `,` + sess + `]`, false},
		"star":                     {`"*"`, true},
	}
	// The role ARN as caller: a session whose name is not known is never
	// known to be listed.
	roleCaller, _ := resolveCaller(&Principal{ARN: "arn:aws:iam::111122223333:role/GlueJobRole", Account: "111122223333"}, nil)
	all := mustParse(t, `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":[`+acct+`,"arn:aws:iam::111122223333:role/GlueJobRole",`+sess+`]},"Action":"s3:*","Resource":"*"}}`, KindResource)
	if all.statements[0].principal.exempts(&roleCaller, "111122223333") {
		t.Error("a role ARN caller is exempt from a NotPrincipal Deny; its session is not known to be listed")
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":`+tc.list+`},"Action":"s3:*","Resource":"*"}}`, KindResource)
			c, _ := resolveCaller(&session, nil)
			if got := p.statements[0].principal.exempts(&c, session.Account); got != tc.want {
				t.Errorf("exempts = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMatchSpanDoesNotAllocate keeps the stretching-star path of Resource
// matching (KMS patterns such as arn:aws:kms:*:<account>:key/* take it) free
// of allocations for ordinary ARNs.
func TestMatchSpanDoesNotAllocate(t *testing.T) {
	g := compileResourcePattern("arn:aws:kms:*:111122223333:key/*")
	arn := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	segs, ok := awsid.SplitARN(arn)
	if g.span == 0 || !g.match(&segs, arn, ok) {
		t.Fatalf("pattern did not take the span path or did not match")
	}
	if n := testing.AllocsPerRun(100, func() { g.match(&segs, arn, ok) }); n != 0 {
		t.Fatalf("matchSpan allocates %v times per match", n)
	}
}

// TestMatchSpanManyPieces covers an ARN cut into more pieces than the
// fixed-size bookkeeping holds.
func TestMatchSpanManyPieces(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:s3:::b/" + strings.Repeat("x:", 140) + "secret"
	segs, ok := awsid.SplitARN(arn)
	for pattern, want := range map[string]bool{"arn:aws:s3:*:*:secret": true, "arn:aws:s3:*:*:x:nope": false} {
		g := compileResourcePattern(pattern)
		if got := g.match(&segs, arn, ok); got != want {
			t.Errorf("%q: match = %v, want %v", pattern, got, want)
		}
	}
}

// TestResolveCaller checks how the role of a request is found: from the
// principal, from aws:PrincipalArn with its path, and what is refused.
func TestResolveCaller(t *testing.T) {
	t.Parallel()
	const (
		sess    = "arn:aws:sts::111122223333:assumed-role/GlueJobRole/s"
		bare    = "arn:aws:iam::111122223333:role/GlueJobRole"
		withSR  = "arn:aws:iam::111122223333:role/service-role/GlueJobRole"
		slr     = "arn:aws:iam::111122223333:role/aws-service-role/glue.amazonaws.com/GlueJobRole"
		lookSLR = "arn:aws:iam::111122223333:role/GlueJobRole-aws-service-role"
	)
	ctxWith := func(v ...string) *Context {
		c := NewContext()
		c.Set("aws:PrincipalArn", v...)
		return c
	}
	tests := map[string]struct {
		p             Principal
		ctx           *Context
		roleARN       string
		asRole, slr   bool
		wantErrSubstr string
	}{
		"session keeps RoleARN":             {Principal{ARN: sess, RoleARN: bare}, nil, bare, false, false, ""},
		"context gives the path":            {Principal{ARN: sess, RoleARN: bare}, ctxWith(withSR), withSR, false, false, ""},
		"context alone gives the role":      {Principal{ARN: sess}, ctxWith(withSR), withSR, false, false, ""},
		"same path agrees":                  {Principal{ARN: sess, RoleARN: withSR}, ctxWith(withSR), withSR, false, false, ""},
		"other path disagrees":              {Principal{ARN: sess, RoleARN: withSR}, ctxWith("arn:aws:iam::111122223333:role/x/GlueJobRole"), "", false, false, "different paths"},
		"other role":                        {Principal{ARN: sess}, ctxWith("arn:aws:iam::111122223333:role/Other"), "", false, false, "is not the ARN of the caller's role"},
		"other account":                     {Principal{ARN: sess}, ctxWith("arn:aws:iam::444455556666:role/GlueJobRole"), "", false, false, "in account 111122223333"},
		"other partition":                   {Principal{ARN: sess}, ctxWith("arn:aws-cn:iam::111122223333:role/GlueJobRole"), "", false, false, "is not the ARN"},
		"multi-valued key is not used":      {Principal{ARN: sess, RoleARN: bare}, ctxWith(withSR, bare), bare, false, false, ""},
		"role ARN is the role":              {Principal{ARN: bare}, nil, bare, true, false, ""},
		"role ARN takes the context's path": {Principal{ARN: bare}, ctxWith(withSR), withSR, true, false, ""},
		"service-linked role":               {Principal{ARN: sess}, ctxWith(slr), slr, false, true, ""},
		"service-linked role as caller":     {Principal{ARN: slr}, nil, slr, true, true, ""},
		"a name is not a path":              {Principal{ARN: "arn:aws:sts::111122223333:assumed-role/GlueJobRole-aws-service-role/s", RoleARN: lookSLR}, nil, lookSLR, false, false, ""},
		"user has no role":                  {Principal{ARN: "arn:aws:iam::111122223333:user/alice"}, ctxWith(bare), "", false, false, ""},
		"service principal ignores the key": {Principal{Service: "glue.amazonaws.com"}, ctxWith(bare), "", false, false, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, msg := resolveCaller(&tc.p, tc.ctx)
			if tc.wantErrSubstr != "" {
				if !strings.Contains(msg, tc.wantErrSubstr) {
					t.Fatalf("message %q, want it to contain %q", msg, tc.wantErrSubstr)
				}
				return
			}
			if msg != "" || c.roleARN != tc.roleARN || c.asRole != tc.asRole || c.serviceLinked != tc.slr {
				t.Errorf("caller %+v, message %q; want role %q, asRole %v, service-linked %v", c, msg, tc.roleARN, tc.asRole, tc.slr)
			}
		})
	}
}
