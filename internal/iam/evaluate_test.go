package iam

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const (
	acctA       = "111122223333"
	acctB       = "444455556666"
	roleARN     = "arn:aws:iam::111122223333:role/GlueJobRole"
	sessionARN  = "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"
	objectARN   = "arn:aws:s3:::data-bucket/in/part-0.parquet"
	keyARN      = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	crossKeyARN = "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"

	allowGetObject = `{"Version":"2012-10-17","Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"}}`
	allowS3All     = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	allowKMS       = `{"Version":"2012-10-17","Statement":{"Sid":"Key","Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}}`
	allowAll       = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	onlyEC2        = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`
)

// bucketPolicy wraps statements in a bucket policy document.
func bucketPolicy(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

func allowPrincipal(principal string) string {
	return `{"Sid":"Grant","Effect":"Allow","Principal":` + principal + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"}`
}

// policies parses documents keyed by label for one Input.
type docs map[string]string

type evalCase struct {
	identity []string // labels in order
	boundary string
	session  string
	resource string
	scps     [][]string
	rcps     [][]string
	endpoint string
	grants   []Grant

	resourceARN string // default objectARN
	resAccount  string // default acctA
	action      string // default s3:GetObject
	principal   *Principal
	keys        []ctxKV

	want       Decision
	decidedBy  Layer
	statements []string // "label#index"
	notAllowed []Layer
	missing    []string
	unknown    []string
}

var testDocs = docs{
	"read":                 allowGetObject,
	"s3all":                allowS3All,
	"kms":                  allowKMS,
	"all":                  allowAll,
	"ec2":                  onlyEC2,
	"deny-get":             `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"NoGet","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`,
	"bp-role":              bucketPolicy(allowPrincipal(`{"AWS":"` + roleARN + `"}`)),
	"bp-session":           bucketPolicy(allowPrincipal(`{"AWS":"` + sessionARN + `"}`)),
	"bp-star":              bucketPolicy(allowPrincipal(`"*"`)),
	"bp-account-a":         bucketPolicy(allowPrincipal(`{"AWS":"arn:aws:iam::` + acctA + `:root"}`)),
	"bp-account-id":        bucketPolicy(allowPrincipal(`{"AWS":"` + acctA + `"}`)),
	"bp-service":           bucketPolicy(allowPrincipal(`{"Service":"glue.amazonaws.com"}`)),
	"bp-tls":               bucketPolicy(`{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data-bucket","arn:aws:s3:::data-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`, allowPrincipal(`{"AWS":"`+roleARN+`"}`)),
	"bp-vpce":              bucketPolicy(`{"Sid":"OnlyVpce","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::data-bucket/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}`),
	"bp-notprincipal":      bucketPolicy(`{"Sid":"OnlyRole","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::` + acctA + `:root","` + roleARN + `","` + sessionARN + `"]},"Action":"s3:*","Resource":"arn:aws:s3:::data-bucket/*"}`),
	"bp-notprincipal-role": bucketPolicy(`{"Sid":"OnlyRole","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::` + acctA + `:root","` + roleARN + `"]},"Action":"s3:*","Resource":"arn:aws:s3:::data-bucket/*"}`),
	"notaction-deny":       `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"OnlyReads","Effect":"Deny","NotAction":["s3:Get*","s3:List*"],"Resource":"*"}]}`,
	"notresource-deny":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"OnlyData","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::data-bucket","arn:aws:s3:::data-bucket/*"]}]}`,
	"full":                 allowAll,
	"scp-deny-s3":          `{"Version":"2012-10-17","Statement":{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}}`,
	"scp-region":           `{"Version":"2012-10-17","Statement":{"Sid":"Region","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`,
	"rcp-org":              `{"Version":"2012-10-17","Statement":{"Sid":"Org","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-123"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}}`,
	"vpce-default":         `{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`,
	"vpce-other":           `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}}`,
	"vpce-deny":            `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"NoGet","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`,
	"kp-root":              `{"Version":"2012-10-17","Statement":{"Sid":"EnableIAM","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"kms:*","Resource":"*"}}`,
	"kp-role":              `{"Version":"2012-10-17","Statement":{"Sid":"UseKey","Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":["kms:Decrypt"],"Resource":"*"}}`,
	"kp-admin":             `{"Version":"2012-10-17","Statement":{"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:role/Admin"},"Action":"kms:*","Resource":"*"}}`,
	"kp-cross-a":           `{"Version":"2012-10-17","Statement":[{"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},"Action":"kms:*","Resource":"*"},{"Sid":"AccountA","Effect":"Allow","Principal":{"AWS":"` + acctA + `"},"Action":"kms:Decrypt","Resource":"*"}]}`,
	"kp-cross-owner":       `{"Version":"2012-10-17","Statement":{"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},"Action":"kms:*","Resource":"*"}}`,
	"kp-deny":              `{"Version":"2012-10-17","Statement":[{"Sid":"EnableIAM","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"kms:*","Resource":"*"},{"Sid":"NoDecrypt","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}`,
	"kp-context":           `{"Version":"2012-10-17","Statement":{"Sid":"ViaS3","Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"},"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::data-bucket/*"}}}}`,
	"boundary-s3":          `{"Version":"2012-10-17","Statement":{"Sid":"Cap","Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}}`,
	"session-s3":           `{"Version":"2012-10-17","Statement":{"Sid":"Sess","Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
	"deny-unknown":         bucketPolicy(`{"Sid":"Ip","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`),
}

var testKinds = map[string]Kind{}

func init() {
	for label := range testDocs {
		switch {
		case strings.HasPrefix(label, "bp-"), label == "deny-unknown":
			testKinds[label] = KindResource
		case strings.HasPrefix(label, "kp-"):
			testKinds[label] = KindKeyPolicy
		case strings.HasPrefix(label, "scp-"), label == "full":
			testKinds[label] = KindSCP
		case strings.HasPrefix(label, "rcp-"):
			testKinds[label] = KindRCP
		case strings.HasPrefix(label, "vpce-"):
			testKinds[label] = KindEndpoint
		case strings.HasPrefix(label, "boundary-"):
			testKinds[label] = KindBoundary
		case strings.HasPrefix(label, "session-"):
			testKinds[label] = KindSession
		default:
			testKinds[label] = KindIdentity
		}
	}
}

func loadPolicy(tb testing.TB, label string) *Policy {
	tb.Helper()
	if label == "" {
		return nil
	}
	doc, ok := testDocs[label]
	if !ok {
		tb.Fatalf("no test document %q", label)
	}
	p, err := Parse([]byte(doc), testKinds[label], label)
	if err != nil {
		tb.Fatalf("parse %s: %v", label, err)
	}
	return p
}

func (tc *evalCase) build(tb testing.TB) (*Input, *Request) {
	in := &Input{
		Boundary: loadPolicy(tb, tc.boundary),
		Session:  loadPolicy(tb, tc.session),
		Resource: loadPolicy(tb, tc.resource),
		Endpoint: loadPolicy(tb, tc.endpoint),
		Grants:   tc.grants,
	}
	for _, l := range tc.identity {
		in.Identity = append(in.Identity, loadPolicy(tb, l))
	}
	for _, level := range tc.scps {
		var ps []*Policy
		for _, l := range level {
			ps = append(ps, loadPolicy(tb, l))
		}
		in.SCPs = append(in.SCPs, ps)
	}
	for _, level := range tc.rcps {
		var ps []*Policy
		for _, l := range level {
			ps = append(ps, loadPolicy(tb, l))
		}
		in.RCPs = append(in.RCPs, ps)
	}
	ctx := NewContext()
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:RequestedRegion", "eu-west-1")
	for _, k := range tc.keys {
		if k.unknown {
			ctx.SetUnknown(k.key)
		} else {
			ctx.Set(k.key, k.values...)
		}
	}
	req := glueRequest(objectARN, ctx)
	if tc.resourceARN != "" {
		req.Resource = tc.resourceARN
	}
	req.ResourceAccount = acctA
	if tc.resAccount != "" {
		req.ResourceAccount = tc.resAccount
	}
	if tc.action != "" {
		req.Action = tc.action
	}
	if tc.principal != nil {
		req.Principal = *tc.principal
	}
	return in, req
}

func refNames(refs []StatementRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Policy+"#"+string(rune('0'+r.Index)))
	}
	return out
}

func runEvalCases(t *testing.T, tests map[string]evalCase) {
	t.Helper()
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in, req := tc.build(t)
			r := Evaluate(in, req)
			if r.Decision != tc.want || r.DecidedBy != tc.decidedBy {
				t.Fatalf("got %v decided by %+v, want %v by %+v\n%s", r.Decision, r.DecidedBy, tc.want, tc.decidedBy, r.Explain(req))
			}
			if got := refNames(r.Statements); !slices.Equal(got, tc.statements) {
				t.Errorf("statements = %v, want %v", got, tc.statements)
			}
			if !slices.Equal(r.NotAllowedBy, tc.notAllowed) {
				t.Errorf("NotAllowedBy = %+v, want %+v", r.NotAllowedBy, tc.notAllowed)
			}
			if !slices.Equal(r.MissingContextKeys, tc.missing) {
				t.Errorf("MissingContextKeys = %v, want %v", r.MissingContextKeys, tc.missing)
			}
			if !slices.Equal(r.UnknownKeys, tc.unknown) {
				t.Errorf("UnknownKeys = %v, want %v", r.UnknownKeys, tc.unknown)
			}
		})
	}
}

var (
	identity  = Layer{Kind: LayerIdentity}
	boundary  = Layer{Kind: LayerBoundary}
	session   = Layer{Kind: LayerSession}
	resource  = Layer{Kind: LayerResource}
	keyPolicy = Layer{Kind: LayerKeyPolicy}
	grantL    = Layer{Kind: LayerGrant}
	endpoint  = Layer{Kind: LayerEndpoint}
)

func scpLevel(n int) Layer { return Layer{Kind: LayerSCP, Level: n} }
func rcpLevel(n int) Layer { return Layer{Kind: LayerRCP, Level: n} }

func TestEvaluateSameAccount(t *testing.T) {
	t.Parallel()
	runEvalCases(t, map[string]evalCase{
		"identity allow":                         {identity: []string{"read"}, want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"action case-insensitive":                {identity: []string{"read"}, action: "S3:getobject", want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"no policy allows":                       {identity: []string{"ec2"}, want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"no policies at all":                     {want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"identity allow on other bucket":         {identity: []string{"read"}, resourceARN: "arn:aws:s3:::other/x", want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"explicit deny beats allow":              {identity: []string{"deny-get", "read"}, want: ExplicitlyDenied, decidedBy: identity, statements: []string{"deny-get#1"}},
		"bucket policy deny on http":             {identity: []string{"read"}, resource: "bp-tls", keys: []ctxKV{kv("aws:SecureTransport", "false")}, want: ExplicitlyDenied, decidedBy: resource, statements: []string{"bp-tls#0"}},
		"bucket policy tls deny not applying":    {identity: []string{"read"}, resource: "bp-tls", want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"bucket policy names role":               {resource: "bp-role", want: Allowed, decidedBy: resource, statements: []string{"bp-role#0"}},
		"bucket policy names star":               {resource: "bp-star", want: Allowed, decidedBy: resource, statements: []string{"bp-star#0"}},
		"bucket policy names session":            {resource: "bp-session", want: Allowed, decidedBy: resource, statements: []string{"bp-session#0"}},
		"bucket policy account root only":        {resource: "bp-account-a", want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"bucket policy account id only":          {resource: "bp-account-id", want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"bucket policy account with iam":         {identity: []string{"read"}, resource: "bp-account-a", want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"bucket policy service principal":        {resource: "bp-service", want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"role grant cut by boundary":             {resource: "bp-role", boundary: "ec2", want: ImplicitlyDenied, decidedBy: boundary, notAllowed: []Layer{boundary, identity}},
		"star grant cut by session policy":       {resource: "bp-star", session: "ec2", want: ImplicitlyDenied, decidedBy: session, notAllowed: []Layer{session, identity}},
		"session grant not cut by boundary":      {resource: "bp-session", boundary: "ec2", session: "ec2", want: Allowed, decidedBy: resource, statements: []string{"bp-session#0"}},
		"role grant within boundary":             {resource: "bp-role", boundary: "boundary-s3", want: Allowed, decidedBy: resource, statements: []string{"bp-role#0", "boundary-s3#0"}},
		"identity allow cut by boundary":         {identity: []string{"read"}, boundary: "ec2", want: ImplicitlyDenied, decidedBy: boundary, notAllowed: []Layer{boundary}},
		"identity allow within boundary":         {identity: []string{"read"}, boundary: "boundary-s3", want: Allowed, decidedBy: identity, statements: []string{"read#0", "boundary-s3#0"}},
		"identity allow cut by session policy":   {identity: []string{"read"}, session: "ec2", want: ImplicitlyDenied, decidedBy: session, notAllowed: []Layer{session}},
		"identity boundary and session allow":    {identity: []string{"read"}, boundary: "boundary-s3", session: "session-s3", want: Allowed, decidedBy: identity, statements: []string{"read#0", "boundary-s3#0", "session-s3#0"}},
		"boundary alone grants nothing":          {boundary: "boundary-s3", want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"boundary deny":                          {identity: []string{"s3all"}, boundary: "deny-get", want: ExplicitlyDenied, decidedBy: boundary, statements: []string{"deny-get#1"}},
		"NotAction deny spares reads":            {identity: []string{"notaction-deny"}, want: Allowed, decidedBy: identity, statements: []string{"notaction-deny#0"}},
		"NotAction deny hits writes":             {identity: []string{"notaction-deny"}, action: "s3:PutObject", want: ExplicitlyDenied, decidedBy: identity, statements: []string{"notaction-deny#1"}},
		"NotResource deny spares listed bucket":  {identity: []string{"notresource-deny"}, want: Allowed, decidedBy: identity, statements: []string{"notresource-deny#0"}},
		"NotResource deny hits other bucket":     {identity: []string{"notresource-deny"}, resourceARN: "arn:aws:s3:::other/x", want: ExplicitlyDenied, decidedBy: identity, statements: []string{"notresource-deny#1"}},
		"NotPrincipal lists the whole chain":     {identity: []string{"read"}, resource: "bp-notprincipal", want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"NotPrincipal without the session":       {identity: []string{"read"}, resource: "bp-notprincipal-role", want: ExplicitlyDenied, decidedBy: resource, statements: []string{"bp-notprincipal-role#0"}},
		"NotPrincipal deny with a boundary":      {identity: []string{"read"}, boundary: "boundary-s3", resource: "bp-notprincipal", want: ExplicitlyDenied, decidedBy: resource, statements: []string{"bp-notprincipal#0"}},
		"perimeter deny on missing vpce":         {identity: []string{"read"}, resource: "bp-vpce", want: ExplicitlyDenied, decidedBy: resource, statements: []string{"bp-vpce#0"}, missing: []string{"aws:SourceVpce"}},
		"perimeter deny spares the endpoint":     {identity: []string{"read"}, resource: "bp-vpce", keys: []ctxKV{kv("aws:SourceVpce", "vpce-1")}, want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"unknown deny decides":                   {identity: []string{"read"}, resource: "deny-unknown", keys: []ctxKV{unknownKey("aws:SourceIp")}, want: Unknown, decidedBy: resource, statements: []string{"deny-unknown#0"}, unknown: []string{"aws:SourceIp"}},
		"unknown deny irrelevant when no allow":  {identity: []string{"ec2"}, resource: "deny-unknown", keys: []ctxKV{unknownKey("aws:SourceIp")}, want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"known deny wins over unknown":           {identity: []string{"deny-get"}, resource: "deny-unknown", keys: []ctxKV{unknownKey("aws:SourceIp")}, want: ExplicitlyDenied, decidedBy: identity, statements: []string{"deny-get#1"}},
		"resource account from ARN when not set": {identity: []string{"kms"}, action: "kms:Decrypt", resourceARN: keyARN, resource: "kp-root", want: Allowed, decidedBy: identity, statements: []string{"kms#0", "kp-root#0"}},
	})
}

func TestEvaluateCrossAccount(t *testing.T) {
	t.Parallel()
	runEvalCases(t, map[string]evalCase{
		"identity only":                  {identity: []string{"read"}, resAccount: acctB, want: ImplicitlyDenied, decidedBy: resource, notAllowed: []Layer{resource}},
		"bucket policy only":             {resource: "bp-role", resAccount: acctB, want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"both allow by role":             {identity: []string{"read"}, resource: "bp-role", resAccount: acctB, want: Allowed, decidedBy: identity, statements: []string{"read#0", "bp-role#0"}},
		"both allow by account":          {identity: []string{"read"}, resource: "bp-account-a", resAccount: acctB, want: Allowed, decidedBy: identity, statements: []string{"read#0", "bp-account-a#0"}},
		"both allow by session":          {identity: []string{"read"}, resource: "bp-session", resAccount: acctB, want: Allowed, decidedBy: identity, statements: []string{"read#0", "bp-session#0"}},
		"both allow by star":             {identity: []string{"read"}, resource: "bp-star", resAccount: acctB, want: Allowed, decidedBy: identity, statements: []string{"read#0", "bp-star#0"}},
		"service principal does not":     {identity: []string{"read"}, resource: "bp-service", resAccount: acctB, want: ImplicitlyDenied, decidedBy: resource, notAllowed: []Layer{resource}},
		"boundary still applies":         {identity: []string{"read"}, resource: "bp-role", boundary: "ec2", resAccount: acctB, want: ImplicitlyDenied, decidedBy: boundary, notAllowed: []Layer{boundary}},
		"session grant needs iam too":    {resource: "bp-session", resAccount: acctB, want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"bucket deny applies cross acct": {identity: []string{"read"}, resource: "bp-vpce", resAccount: acctB, want: ExplicitlyDenied, decidedBy: resource, statements: []string{"bp-vpce#0"}, missing: []string{"aws:SourceVpce"}},
	})
}

func TestEvaluateOrganizationsAndEndpoint(t *testing.T) {
	t.Parallel()
	runEvalCases(t, map[string]evalCase{
		"full access every level":        {identity: []string{"read"}, scps: [][]string{{"full"}, {"full"}, {"full"}}, want: Allowed, decidedBy: identity, statements: []string{"full#0", "full#0", "full#0", "read#0"}},
		"level without allow":            {identity: []string{"read"}, scps: [][]string{{"full"}, {"ec2"}, {"full"}}, want: ImplicitlyDenied, decidedBy: scpLevel(1), notAllowed: []Layer{scpLevel(1)}},
		"levels are ORed within":         {identity: []string{"read"}, scps: [][]string{{"full"}, {"ec2", "s3all"}}, want: Allowed, decidedBy: identity, statements: []string{"full#0", "s3all#0", "read#0"}},
		"scp deny":                       {identity: []string{"read"}, scps: [][]string{{"full"}, {"full", "scp-deny-s3"}}, want: ExplicitlyDenied, decidedBy: scpLevel(1), statements: []string{"scp-deny-s3#0"}},
		"scp region deny not applying":   {identity: []string{"read"}, scps: [][]string{{"full", "scp-region"}}, want: Allowed, decidedBy: identity, statements: []string{"full#0", "read#0"}},
		"scp region deny applying":       {identity: []string{"read"}, scps: [][]string{{"full", "scp-region"}}, keys: []ctxKV{kv("aws:RequestedRegion", "us-east-1")}, want: ExplicitlyDenied, decidedBy: scpLevel(0), statements: []string{"scp-region#0"}},
		"scp gate with no identity":      {scps: [][]string{{"ec2"}}, want: ImplicitlyDenied, decidedBy: scpLevel(0), notAllowed: []Layer{scpLevel(0), identity}},
		"scp does not grant":             {scps: [][]string{{"full"}}, want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}},
		"rcp deny outside org":           {identity: []string{"read"}, rcps: [][]string{{"rcp-org"}}, want: ExplicitlyDenied, decidedBy: rcpLevel(0), statements: []string{"rcp-org#0"}, missing: []string{"aws:PrincipalIsAWSService", "aws:PrincipalOrgID"}},
		"rcp spares org principal":       {identity: []string{"read"}, rcps: [][]string{{"rcp-org"}}, keys: []ctxKV{kv("aws:PrincipalOrgID", "o-123"), kv("aws:PrincipalIsAWSService", "false")}, want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"rcp unknown org":                {identity: []string{"read"}, rcps: [][]string{{}, {"rcp-org"}}, keys: []ctxKV{unknownKey("aws:PrincipalOrgID"), kv("aws:PrincipalIsAWSService", "false")}, want: Unknown, decidedBy: rcpLevel(1), statements: []string{"rcp-org#0"}, unknown: []string{"aws:PrincipalOrgID"}},
		"rcp needs no allow":             {identity: []string{"read"}, rcps: [][]string{{}, {}}, want: Allowed, decidedBy: identity, statements: []string{"read#0"}},
		"default endpoint policy":        {identity: []string{"read"}, endpoint: "vpce-default", want: Allowed, decidedBy: identity, statements: []string{"vpce-default#0", "read#0"}},
		"endpoint policy omits bucket":   {identity: []string{"read"}, endpoint: "vpce-other", want: ImplicitlyDenied, decidedBy: endpoint, notAllowed: []Layer{endpoint}},
		"endpoint deny":                  {identity: []string{"read"}, endpoint: "vpce-deny", want: ExplicitlyDenied, decidedBy: endpoint, statements: []string{"vpce-deny#1"}},
		"endpoint gate before identity":  {identity: []string{"ec2"}, endpoint: "vpce-other", want: ImplicitlyDenied, decidedBy: endpoint, notAllowed: []Layer{endpoint, identity}},
		"unknown scp deny with allow":    {identity: []string{"read"}, scps: [][]string{{"full", "scp-region"}}, keys: []ctxKV{unknownKey("aws:RequestedRegion")}, want: Unknown, decidedBy: scpLevel(0), statements: []string{"scp-region#0"}, unknown: []string{"aws:RequestedRegion"}},
		"deny order identity before scp": {identity: []string{"deny-get"}, scps: [][]string{{"full", "scp-deny-s3"}}, want: ExplicitlyDenied, decidedBy: identity, statements: []string{"deny-get#1", "scp-deny-s3#0"}},
	})
}

func TestEvaluateKMS(t *testing.T) {
	t.Parallel()
	decrypt := func(c evalCase) evalCase {
		if c.action == "" {
			c.action = "kms:Decrypt"
		}
		if c.resourceARN == "" {
			c.resourceARN = keyARN
		}
		c.resAccount = ""
		return c
	}
	glueGrant := Grant{Label: "aws_kms_grant.glue", GranteePrincipal: roleARN, Operations: []string{"Decrypt", "GenerateDataKey"}}
	ctxGrant := Grant{Label: "aws_kms_grant.ctx", GranteePrincipal: sessionARN, Operations: []string{"Decrypt"},
		EncryptionContextSubset: map[string]string{"aws:s3:arn": "arn:aws:s3:::data-bucket"}}
	equalsGrant := Grant{Label: "aws_kms_grant.eq", GranteePrincipal: roleARN, Operations: []string{"Decrypt"},
		EncryptionContextEquals: map[string]string{"aws:s3:arn": "arn:aws:s3:::data-bucket"}}
	otherGrant := Grant{Label: "aws_kms_grant.other", GranteePrincipal: "arn:aws:iam::111122223333:role/Other", Operations: []string{"Decrypt"}}
	runEvalCases(t, map[string]evalCase{
		"root delegation and iam":           decrypt(evalCase{identity: []string{"kms"}, resource: "kp-root", want: Allowed, decidedBy: identity, statements: []string{"kms#0", "kp-root#0"}}),
		"iam without key policy":            decrypt(evalCase{identity: []string{"kms"}, want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy}}),
		"iam without root delegation":       decrypt(evalCase{identity: []string{"kms"}, resource: "kp-admin", want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy}}),
		"root delegation without iam":       decrypt(evalCase{identity: []string{"read"}, resource: "kp-root", want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}}),
		"key policy names role":             decrypt(evalCase{resource: "kp-role", want: Allowed, decidedBy: keyPolicy, statements: []string{"kp-role#0"}}),
		"key policy role cut by boundary":   decrypt(evalCase{resource: "kp-role", boundary: "ec2", want: ImplicitlyDenied, decidedBy: boundary, notAllowed: []Layer{boundary, identity}}),
		"key policy deny":                   decrypt(evalCase{identity: []string{"kms"}, resource: "kp-deny", want: ExplicitlyDenied, decidedBy: keyPolicy, statements: []string{"kp-deny#1"}}),
		"key policy encryption context":     decrypt(evalCase{resource: "kp-context", keys: []ctxKV{kv("kms:ViaService", "s3.eu-west-1.amazonaws.com"), kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::data-bucket/in/x")}, want: Allowed, decidedBy: keyPolicy, statements: []string{"kp-context#0"}}),
		"key policy wrong context":          decrypt(evalCase{resource: "kp-context", keys: []ctxKV{kv("kms:ViaService", "s3.eu-west-1.amazonaws.com"), kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::data-bucket")}, want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy, identity}}),
		"cross account key names account a": decrypt(evalCase{identity: []string{"kms"}, resource: "kp-cross-a", resourceARN: crossKeyARN, want: Allowed, decidedBy: identity, statements: []string{"kms#0", "kp-cross-a#1"}}),
		"cross account key without iam":     decrypt(evalCase{identity: []string{"read"}, resource: "kp-cross-a", resourceARN: crossKeyARN, want: ImplicitlyDenied, decidedBy: identity, notAllowed: []Layer{identity}}),
		"cross account key owner only":      decrypt(evalCase{identity: []string{"kms"}, resource: "kp-cross-owner", resourceARN: crossKeyARN, want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy}}),
		"grant alone allows":                decrypt(evalCase{resource: "kp-admin", grants: []Grant{otherGrant, glueGrant}, want: Allowed, decidedBy: grantL, statements: []string{"aws_kms_grant.glue#1"}}),
		"grant for another operation":       decrypt(evalCase{resource: "kp-admin", action: "kms:Encrypt", grants: []Grant{glueGrant}, want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy, identity}}),
		"grant does not beat key deny":      decrypt(evalCase{resource: "kp-deny", grants: []Grant{glueGrant}, want: ExplicitlyDenied, decidedBy: keyPolicy, statements: []string{"kp-deny#1"}}),
		"grant does not pass scp gate":      decrypt(evalCase{resource: "kp-admin", grants: []Grant{glueGrant}, scps: [][]string{{"ec2"}}, want: ImplicitlyDenied, decidedBy: scpLevel(0), notAllowed: []Layer{scpLevel(0)}}),
		"grant subset constraint holds":     decrypt(evalCase{resource: "kp-admin", grants: []Grant{ctxGrant}, keys: []ctxKV{kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::data-bucket"), kv("kms:EncryptionContext:extra", "x")}, want: Allowed, decidedBy: grantL, statements: []string{"aws_kms_grant.ctx#0"}}),
		"grant subset constraint fails":     decrypt(evalCase{resource: "kp-admin", grants: []Grant{ctxGrant}, keys: []ctxKV{kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::other")}, want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy, identity}}),
		"grant equals constraint extra key": decrypt(evalCase{resource: "kp-admin", grants: []Grant{equalsGrant}, keys: []ctxKV{kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::data-bucket"), kv("kms:EncryptionContext:extra", "x")}, want: ImplicitlyDenied, decidedBy: keyPolicy, notAllowed: []Layer{keyPolicy, identity}}),
		"grant equals constraint exact":     decrypt(evalCase{resource: "kp-admin", grants: []Grant{equalsGrant}, keys: []ctxKV{kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::data-bucket")}, want: Allowed, decidedBy: grantL, statements: []string{"aws_kms_grant.eq#0"}}),
		"grant constraint unknown":          decrypt(evalCase{resource: "kp-admin", grants: []Grant{ctxGrant}, keys: []ctxKV{unknownKey("kms:EncryptionContext:aws:s3:arn")}, want: Unknown, decidedBy: grantL, unknown: []string{"kms:EncryptionContext:aws:s3:arn"}}),
	})
}

func TestEvaluateServicePrincipal(t *testing.T) {
	t.Parallel()
	glue := &Principal{Service: "glue.amazonaws.com"}
	runEvalCases(t, map[string]evalCase{
		"service named in bucket policy": {principal: glue, resource: "bp-service", want: Allowed, decidedBy: resource, statements: []string{"bp-service#0"}},
		"role named, not the service":    {principal: glue, resource: "bp-role", want: ImplicitlyDenied, decidedBy: resource, notAllowed: []Layer{resource}},
		"no bucket policy":               {principal: glue, want: ImplicitlyDenied, decidedBy: resource, notAllowed: []Layer{resource}},
	})
}

func TestEvaluateMalformedRequest(t *testing.T) {
	t.Parallel()
	p := mustParse(t, allowAll, KindIdentity)
	tests := map[string]struct {
		req  *Request
		want string
	}{
		"nil request":        {nil, "no request"},
		"empty action":       {&Request{Resource: objectARN, Principal: Principal{ARN: sessionARN}}, "the request has no action"},
		"action no service":  {&Request{Action: "GetObject", Resource: objectARN, Principal: Principal{ARN: sessionARN}}, `action "GetObject" is not of the form service:Name`},
		"empty resource":     {&Request{Action: "s3:GetObject", Principal: Principal{ARN: sessionARN}}, "the request has no resource"},
		"resource not ARN":   {&Request{Action: "s3:GetObject", Resource: "bucket/key", Principal: Principal{ARN: sessionARN}}, `resource "bucket/key" is not an ARN`},
		"resource too short": {&Request{Action: "s3:GetObject", Resource: "arn:aws:s3", Principal: Principal{ARN: sessionARN}}, `resource "arn:aws:s3" does not have the six fields of an ARN`},
		"no principal":       {&Request{Action: "s3:GetObject", Resource: objectARN}, "the request has no principal"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := Evaluate(&Input{Identity: []*Policy{p}}, tc.req)
			if r.Decision != ImplicitlyDenied || r.RequestError != tc.want {
				t.Fatalf("got %v %q, want ImplicitlyDenied %q", r.Decision, r.RequestError, tc.want)
			}
			if got := r.Explain(tc.req); got != "the request cannot be evaluated: "+tc.want {
				t.Errorf("Explain = %q", got)
			}
		})
	}
}

func TestEvaluateNilInputAndStarResource(t *testing.T) {
	t.Parallel()
	req := glueRequest("*", nil)
	req.Action = "s3:ListAllMyBuckets"
	if r := Evaluate(nil, req); r.Decision != ImplicitlyDenied || r.DecidedBy != identity {
		t.Fatalf("nil input: %v by %v", r.Decision, r.DecidedBy)
	}
	r := Evaluate(&Input{Identity: []*Policy{mustParse(t, allowS3All, KindIdentity), mustParse(t, allowGetObject, KindIdentity)}}, req)
	if r.Decision != Allowed || len(r.Statements) != 1 || r.Statements[0].Index != 0 {
		t.Fatalf("a bare * pattern should allow resource *: %+v", r)
	}
}

func TestEvaluateDerivesPrincipalFacts(t *testing.T) {
	t.Parallel()
	p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:PrincipalArn":"arn:aws:iam::111122223333:user/alice"}}}}`, KindIdentity)
	// An IAM user: no role ARN, no account given, no context at all.
	req := &Request{Principal: Principal{ARN: "arn:aws:iam::111122223333:user/alice"}, Action: "s3:GetObject", Resource: objectARN}
	// S3 ARNs name no account: without ResourceAccount the engine refuses to
	// guess between the same-account and the cross-account rules.
	if r := Evaluate(&Input{Identity: []*Policy{p}}, req); r.Decision != ImplicitlyDenied || !strings.Contains(r.RequestError, "names no account") {
		t.Fatalf("no resource account: got %v (%q), want a request error", r.Decision, r.RequestError)
	}
	req.ResourceAccount = acctA
	r := Evaluate(&Input{Identity: []*Policy{nil, p}}, req)
	if r.Decision != Allowed || r.DecidedBy != identity {
		t.Fatalf("got %v by %v, want Allowed by identity: account and ARN come from the principal", r.Decision, r.DecidedBy)
	}
	// Cross-account: the account from the principal ARN differs from the bucket owner's.
	req.ResourceAccount = acctB
	if r := Evaluate(&Input{Identity: []*Policy{p}}, req); r.Decision != ImplicitlyDenied || r.DecidedBy != resource {
		t.Fatalf("got %v by %v, want ImplicitlyDenied by resource", r.Decision, r.DecidedBy)
	}
}

func TestEvaluateMultiValuedEncryptionContextUnknownExtraKey(t *testing.T) {
	t.Parallel()
	c := evalCase{
		action: "kms:Decrypt", resourceARN: keyARN, resource: "kp-admin",
		grants: []Grant{{Label: "eq", GranteePrincipal: roleARN, Operations: []string{"Decrypt"}, EncryptionContextEquals: map[string]string{"aws:s3:arn": "arn:aws:s3:::b"}}},
		keys:   []ctxKV{kv("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::b"), unknownKey("kms:EncryptionContext:team")},
	}
	in, req := c.build(t)
	r := Evaluate(in, req)
	if r.Decision != Unknown || r.DecidedBy != grantL || !slices.Equal(r.UnknownKeys, []string{"kms:EncryptionContext:team"}) {
		t.Fatalf("got %v by %v unknown %v, want Unknown by kms-grant on kms:EncryptionContext:team", r.Decision, r.DecidedBy, r.UnknownKeys)
	}
}

// TestEvaluateConcurrent shares compiled policies and a context between
// goroutines, as the checks do; run with -race.
func TestEvaluateConcurrent(t *testing.T) {
	t.Parallel()
	in, req := glueBenchInput(t)
	want := Evaluate(in, req)
	done := make(chan Result)
	for range 8 {
		go func() {
			var r Result
			for range 200 {
				r = Evaluate(in, req)
			}
			done <- r
		}()
	}
	for range 8 {
		if r := <-done; r.Decision != want.Decision || !slices.Equal(r.Statements, want.Statements) {
			t.Errorf("concurrent result %+v differs from %+v", r, want)
		}
	}
}

// TestSharedStatementsFollowTheirInput evaluates, alternately and from
// several goroutines, two inputs whose grants end with the same identity
// statement but pass different SCP statements, so that the slice a statement
// keeps for reuse (evaluator.sharedRefs) is replaced back and forth. Each
// result must still cite its own input's statements, and appending to a
// result must not reach into the slice the next result gets.
func TestSharedStatementsFollowTheirInput(t *testing.T) {
	t.Parallel()
	identity := mustParse(t, allowGetObject, KindIdentity)
	scp := func(label, sid string) *Policy {
		p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Sid":"`+sid+`","Effect":"Allow","Action":"*","Resource":"*"}}`, KindSCP)
		p.Label = label
		return p
	}
	root, other, ou := scp("root", "Everything"), scp("other", "AlsoEverything"), scp("ou", "Everything")
	// The first two differ in the SCP statement cited, the first and third
	// in the level each is cited at, the last two only in the layer that
	// cites the same statement a second time.
	inputs := []*Input{
		{Identity: []*Policy{identity}, SCPs: [][]*Policy{{root}, {ou}}},
		{Identity: []*Policy{identity}, SCPs: [][]*Policy{{other}, {ou}}},
		{Identity: []*Policy{identity}, SCPs: [][]*Policy{{ou}, {root}}},
		{Identity: []*Policy{identity}, Boundary: identity},
		{Identity: []*Policy{identity}, Session: identity},
	}
	want := [][]string{
		{"scp0:root[0]Everything", "scp1:ou[0]Everything", "identity0:identity[0]Read"},
		{"scp0:other[0]AlsoEverything", "scp1:ou[0]Everything", "identity0:identity[0]Read"},
		{"scp0:ou[0]Everything", "scp1:root[0]Everything", "identity0:identity[0]Read"},
		{"identity0:identity[0]Read", "boundary0:identity[0]Read"},
		{"identity0:identity[0]Read", "session0:identity[0]Read"},
	}
	identity.Label = "identity"
	req := &Request{Principal: Principal{ARN: sessionARN, RoleARN: roleARN}, Action: "s3:GetObject", Resource: objectARN, ResourceAccount: acctA}
	names := func(refs []StatementRef) []string {
		var out []string
		for _, r := range refs {
			out = append(out, fmt.Sprintf("%s%d:%s[%d]%s", r.Layer.Kind, r.Layer.Level, r.Policy, r.Index, r.Sid))
		}
		return out
	}
	done := make(chan string, 4)
	for g := range 4 {
		go func() {
			for i := range 500 {
				k := (i + g) % len(inputs)
				r := Evaluate(inputs[k], req)
				if r.Decision != Allowed || !slices.Equal(names(r.Statements), want[k]) {
					done <- fmt.Sprintf("input %d: %v citing %v, want Allowed citing %v", k, r.Decision, names(r.Statements), want[k])
					return
				}
				_ = append(r.Statements, StatementRef{Policy: "appended"})
			}
			done <- ""
		}()
	}
	for range 4 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
