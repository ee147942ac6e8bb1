package iam

import (
	"slices"
	"testing"
)

// ctxKV is one context key for a table row: values, or unknown.
type ctxKV struct {
	key     string
	values  []string
	unknown bool
}

func kv(key string, values ...string) ctxKV { return ctxKV{key: key, values: values} }
func unknownKey(key string) ctxKV           { return ctxKV{key: key, unknown: true} }

// condDecision evaluates an identity policy that allows s3:GetObject under the
// given Condition block and returns the decision: Allowed when the condition
// holds, ImplicitlyDenied when it does not, Unknown when it depends on an
// unknown key.
func condDecision(tb testing.TB, cond string, keys ...ctxKV) Result {
	tb.Helper()
	p := mustParse(tb, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":`+cond+`}}`, KindIdentity)
	ctx := NewContext()
	for _, k := range keys {
		if k.unknown {
			ctx.SetUnknown(k.key)
		} else {
			ctx.Set(k.key, k.values...)
		}
	}
	req := glueRequest("arn:aws:s3:::bucket/key", ctx)
	return Evaluate(&Input{Identity: []*Policy{p}}, req)
}

func glueRequest(resource string, ctx *Context) *Request {
	return &Request{
		Principal: Principal{
			ARN:     "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession",
			RoleARN: "arn:aws:iam::111122223333:role/GlueJobRole",
			Account: "111122223333",
		},
		Action:          "s3:GetObject",
		Resource:        resource,
		ResourceAccount: "111122223333",
		Context:         ctx,
	}
}

type condCase struct {
	cond string
	keys []ctxKV
	want Decision
}

func runCondCases(t *testing.T, tests map[string]condCase) {
	t.Helper()
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := condDecision(t, tc.cond, tc.keys...)
			if r.Decision != tc.want {
				t.Fatalf("decision = %v, want %v (result %+v)", r.Decision, tc.want, r)
			}
			switch tc.want {
			case Allowed:
				if len(r.Statements) != 1 || r.Statements[0].Layer.Kind != LayerIdentity || r.DecidedBy.Kind != LayerIdentity {
					t.Errorf("allowed by %v with %+v, want the identity statement", r.DecidedBy, r.Statements)
				}
			case ImplicitlyDenied:
				if r.DecidedBy.Kind != LayerIdentity || !slices.Equal(r.NotAllowedBy, []Layer{{Kind: LayerIdentity}}) {
					t.Errorf("denied by %v, not allowed by %v, want identity", r.DecidedBy, r.NotAllowedBy)
				}
			case Unknown:
				if len(r.UnknownKeys) == 0 {
					t.Errorf("unknown result without UnknownKeys: %+v", r)
				}
			}
		})
	}
}

func TestConditionStringOperators(t *testing.T) {
	t.Parallel()
	runCondCases(t, map[string]condCase{
		"StringEquals match":                       {`{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, Allowed},
		"StringEquals is case-sensitive":           {`{"StringEquals":{"aws:SourceVpce":"VPCE-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, ImplicitlyDenied},
		"StringEquals key is case-insensitive":     {`{"StringEquals":{"AWS:SOURCEVPCE":"vpce-1"}}`, []ctxKV{kv("aws:sourcevpce", "vpce-1")}, Allowed},
		"StringEquals any of several values":       {`{"StringEquals":{"aws:SourceVpce":["vpce-0","vpce-1"]}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, Allowed},
		"StringEquals missing key":                 {`{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`, nil, ImplicitlyDenied},
		"StringEquals unknown key":                 {`{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{unknownKey("aws:SourceVpce")}, Unknown},
		"StringNotEquals different":                {`{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-2")}, Allowed},
		"StringNotEquals equal":                    {`{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, ImplicitlyDenied},
		"StringNotEquals none of several":          {`{"StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}`, []ctxKV{kv("aws:SourceVpce", "vpce-2")}, ImplicitlyDenied},
		"StringNotEquals missing key is true":      {`{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, nil, Allowed},
		"StringNotEquals unknown key":              {`{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{unknownKey("aws:SourceVpce")}, Unknown},
		"StringEqualsIgnoreCase match":             {`{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"DATA"}}`, []ctxKV{kv("aws:PrincipalTag/team", "data")}, Allowed},
		"StringEqualsIgnoreCase differs":           {`{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"DATA"}}`, []ctxKV{kv("aws:PrincipalTag/team", "ops")}, ImplicitlyDenied},
		"StringNotEqualsIgnoreCase equal":          {`{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"DATA"}}`, []ctxKV{kv("aws:PrincipalTag/team", "data")}, ImplicitlyDenied},
		"StringNotEqualsIgnoreCase differs":        {`{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"DATA"}}`, []ctxKV{kv("aws:PrincipalTag/team", "ops")}, Allowed},
		"StringLike wildcard":                      {`{"StringLike":{"s3:prefix":["orders/*"]}}`, []ctxKV{kv("s3:prefix", "orders/2024/")}, Allowed},
		"StringLike question mark":                 {`{"StringLike":{"s3:prefix":"order?"}}`, []ctxKV{kv("s3:prefix", "orders")}, Allowed},
		"StringLike is case-sensitive":             {`{"StringLike":{"s3:prefix":"Orders/*"}}`, []ctxKV{kv("s3:prefix", "orders/x")}, ImplicitlyDenied},
		"StringLike no match":                      {`{"StringLike":{"s3:prefix":"orders/*"}}`, []ctxKV{kv("s3:prefix", "customers/")}, ImplicitlyDenied},
		"StringNotLike match":                      {`{"StringNotLike":{"s3:prefix":"orders/*"}}`, []ctxKV{kv("s3:prefix", "orders/x")}, ImplicitlyDenied},
		"StringNotLike no match":                   {`{"StringNotLike":{"s3:prefix":"orders/*"}}`, []ctxKV{kv("s3:prefix", "customers/")}, Allowed},
		"StringNotLike missing key is true":        {`{"StringNotLike":{"s3:prefix":"orders/*"}}`, nil, Allowed},
		"StringEqualsIfExists missing":             {`{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, nil, Allowed},
		"StringEqualsIfExists present wrong":       {`{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-2")}, ImplicitlyDenied},
		"StringEqualsIfExists present right":       {`{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, Allowed},
		"StringNotEqualsIfExists missing":          {`{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, nil, Allowed},
		"StringNotEqualsIfExists equal":            {`{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, ImplicitlyDenied},
		"StringEqualsIfExists unknown":             {`{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{unknownKey("aws:SourceVpce")}, Unknown},
		"operator name case-insensitive":           {`{"stringequals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, Allowed},
		"multi-valued key plain operator any":      {`{"StringEquals":{"aws:TagKeys":"a"}}`, []ctxKV{kv("aws:TagKeys", "b", "a")}, Allowed},
		"multi-valued key negated operator none":   {`{"StringNotEquals":{"aws:TagKeys":"a"}}`, []ctxKV{kv("aws:TagKeys", "b", "a")}, ImplicitlyDenied},
		"empty value list never matches":           {`{"StringEquals":{"aws:SourceVpce":[]}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1")}, ImplicitlyDenied},
		"several keys are ANDed":                   {`{"StringEquals":{"aws:SourceVpce":"vpce-1","aws:SourceVpc":"vpc-1"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1"), kv("aws:SourceVpc", "vpc-2")}, ImplicitlyDenied},
		"several operators are ANDed":              {`{"StringEquals":{"aws:SourceVpce":"vpce-1"},"Bool":{"aws:SecureTransport":"true"}}`, []ctxKV{kv("aws:SourceVpce", "vpce-1"), kv("aws:SecureTransport", "true")}, Allowed},
		"false AND unknown is false":               {`{"StringEquals":{"aws:SourceVpce":"vpce-1"},"Bool":{"aws:SecureTransport":"true"}}`, []ctxKV{unknownKey("aws:SourceVpce"), kv("aws:SecureTransport", "false")}, ImplicitlyDenied},
		"number value compared as string":          {`{"StringEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10")}, Allowed},
		"bool value compared as string":            {`{"StringEquals":{"aws:SecureTransport":true}}`, []ctxKV{kv("aws:SecureTransport", "true")}, Allowed},
		"key set with no values counts as missing": {`{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, []ctxKV{kv("aws:SourceVpce")}, Allowed},
	})
}

func TestConditionSetOperators(t *testing.T) {
	t.Parallel()
	runCondCases(t, map[string]condCase{
		"ForAnyValue one matches":          {`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, []ctxKV{kv("aws:TagKeys", "c", "b")}, Allowed},
		"ForAnyValue none matches":         {`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, []ctxKV{kv("aws:TagKeys", "c", "d")}, ImplicitlyDenied},
		"ForAnyValue missing key is false": {`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, nil, ImplicitlyDenied},
		"ForAnyValue empty key is false":   {`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, []ctxKV{kv("aws:TagKeys")}, ImplicitlyDenied},
		// ForAnyValue decides a missing key before IfExists does.
		"ForAnyValue IfExists missing is false":         {`{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, nil, ImplicitlyDenied},
		"ForAnyValue IfExists empty set is false":       {`{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, []ctxKV{kv("aws:TagKeys")}, ImplicitlyDenied},
		"ForAnyValue NotEqualsIfExists missing false":   {`{"ForAnyValue:StringNotEqualsIfExists":{"aws:TagKeys":["a"]}}`, nil, ImplicitlyDenied},
		"ForAllValues empty string is null set":         {`{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, []ctxKV{kv("aws:TagKeys", "")}, Allowed},
		"ForAnyValue empty string is null set":          {`{"ForAnyValue:StringLike":{"aws:TagKeys":["*"]}}`, []ctxKV{kv("aws:TagKeys", "")}, ImplicitlyDenied},
		"plain operator compares empty string":          {`{"StringEquals":{"s3:prefix":""}}`, []ctxKV{kv("s3:prefix", "")}, Allowed},
		"ForAllValues IfExists missing is true":         {`{"ForAllValues:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, nil, Allowed},
		"ForAnyValue IfExists present matches":          {`{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}`, []ctxKV{kv("aws:TagKeys", "b", "a")}, Allowed},
		"ForAllValues all match":                        {`{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, []ctxKV{kv("aws:TagKeys", "a", "b")}, Allowed},
		"ForAllValues one outside":                      {`{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, []ctxKV{kv("aws:TagKeys", "a", "c")}, ImplicitlyDenied},
		"ForAllValues missing key is true":              {`{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, nil, Allowed},
		"ForAllValues empty key is true":                {`{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, []ctxKV{kv("aws:TagKeys")}, Allowed},
		"ForAllValues StringLike":                       {`{"ForAllValues:StringLike":{"aws:TagKeys":["team-*"]}}`, []ctxKV{kv("aws:TagKeys", "team-a", "team-b")}, Allowed},
		"ForAllValues StringNotEquals none listed":      {`{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, []ctxKV{kv("aws:TagKeys", "a", "b")}, Allowed},
		"ForAllValues StringNotEquals one listed":       {`{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, []ctxKV{kv("aws:TagKeys", "a", "secret")}, ImplicitlyDenied},
		"ForAllValues StringNotEquals missing is true":  {`{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, nil, Allowed},
		"ForAnyValue StringNotEquals one differs":       {`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}`, []ctxKV{kv("aws:TagKeys", "secret", "a")}, Allowed},
		"ForAnyValue StringNotEquals all listed":        {`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}`, []ctxKV{kv("aws:TagKeys", "secret")}, ImplicitlyDenied},
		"ForAnyValue StringNotEquals missing is false":  {`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}`, nil, ImplicitlyDenied},
		"ForAnyValue unknown key":                       {`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}`, []ctxKV{unknownKey("aws:TagKeys")}, Unknown},
		"ForAllValues unknown key":                      {`{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}`, []ctxKV{unknownKey("aws:TagKeys")}, Unknown},
		"forallvalues qualifier case-insensitive":       {`{"forallvalues:StringEquals":{"aws:TagKeys":["a"]}}`, []ctxKV{kv("aws:TagKeys", "a")}, Allowed},
		"ForAllValues with unknown variable value":      {`{"ForAllValues:StringEquals":{"aws:TagKeys":["${aws:PrincipalTag/k}"]}}`, []ctxKV{kv("aws:TagKeys", "a"), unknownKey("aws:PrincipalTag/k")}, Unknown},
		"ForAnyValue with unknown then matching values": {`{"ForAnyValue:StringEquals":{"aws:TagKeys":["${aws:PrincipalTag/k}","a"]}}`, []ctxKV{kv("aws:TagKeys", "a"), unknownKey("aws:PrincipalTag/k")}, Allowed},
	})
}

func TestConditionNumericDateBool(t *testing.T) {
	t.Parallel()
	runCondCases(t, map[string]condCase{
		"NumericEquals":                     {`{"NumericEquals":{"s3:max-keys":"10"}}`, []ctxKV{kv("s3:max-keys", "10.0")}, Allowed},
		"NumericEquals differs":             {`{"NumericEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "11")}, ImplicitlyDenied},
		"NumericNotEquals":                  {`{"NumericNotEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "11")}, Allowed},
		"NumericNotEquals equal":            {`{"NumericNotEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10")}, ImplicitlyDenied},
		"NumericLessThan true":              {`{"NumericLessThan":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "9")}, Allowed},
		"NumericLessThan equal is false":    {`{"NumericLessThan":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10")}, ImplicitlyDenied},
		"NumericLessThanEquals equal":       {`{"NumericLessThanEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10")}, Allowed},
		"NumericLessThanEquals above":       {`{"NumericLessThanEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "11")}, ImplicitlyDenied},
		"NumericGreaterThan true":           {`{"NumericGreaterThan":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10.5")}, Allowed},
		"NumericGreaterThan equal is false": {`{"NumericGreaterThan":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10")}, ImplicitlyDenied},
		"NumericGreaterThanEquals equal":    {`{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "10")}, Allowed},
		"NumericGreaterThanEquals below":    {`{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "-1")}, ImplicitlyDenied},
		"Numeric request not a number":      {`{"NumericLessThan":{"s3:max-keys":10}}`, []ctxKV{kv("s3:max-keys", "few")}, ImplicitlyDenied},
		"Numeric missing key":               {`{"NumericLessThan":{"s3:max-keys":10}}`, nil, ImplicitlyDenied},
		"NumericNotEquals missing key":      {`{"NumericNotEquals":{"s3:max-keys":10}}`, nil, Allowed},
		"NumericLessThanIfExists missing":   {`{"NumericLessThanIfExists":{"s3:max-keys":10}}`, nil, Allowed},

		"DateEquals same instant other zone": {`{"DateEquals":{"aws:CurrentTime":"2024-01-01T12:00:00Z"}}`, []ctxKV{kv("aws:CurrentTime", "2024-01-01T13:00:00+01:00")}, Allowed},
		"DateEquals epoch against ISO":       {`{"DateEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, []ctxKV{kv("aws:CurrentTime", "1704067200")}, Allowed},
		"DateEquals ISO policy epoch value":  {`{"DateEquals":{"aws:EpochTime":1704067200}}`, []ctxKV{kv("aws:EpochTime", "2024-01-01")}, Allowed},
		"DateNotEquals":                      {`{"DateNotEquals":{"aws:CurrentTime":"2024-01-01"}}`, []ctxKV{kv("aws:CurrentTime", "2024-01-02")}, Allowed},
		"DateNotEquals equal":                {`{"DateNotEquals":{"aws:CurrentTime":"2024-01-01"}}`, []ctxKV{kv("aws:CurrentTime", "2024-01-01T00:00:00Z")}, ImplicitlyDenied},
		"DateLessThan true":                  {`{"DateLessThan":{"aws:CurrentTime":"2025-01-01T00:00:00Z"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01T10:00:00.123Z")}, Allowed},
		"DateLessThan false":                 {`{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01T10:00:00Z")}, ImplicitlyDenied},
		"DateLessThanEquals equal":           {`{"DateLessThanEquals":{"aws:CurrentTime":"2024-06-01T10:00Z"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01T10:00:00Z")}, Allowed},
		"DateGreaterThan true":               {`{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01")}, Allowed},
		"DateGreaterThan equal false":        {`{"DateGreaterThan":{"aws:CurrentTime":"2024-06-01"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01")}, ImplicitlyDenied},
		"DateGreaterThanEquals equal":        {`{"DateGreaterThanEquals":{"aws:CurrentTime":"2024-06-01"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01T00:00:00")}, Allowed},
		"DateGreaterThanEquals basic format": {`{"DateGreaterThanEquals":{"aws:CurrentTime":"20240601T000000Z"}}`, []ctxKV{kv("aws:CurrentTime", "2024-06-01T00:00:01Z")}, Allowed},
		"Date request not a date":            {`{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01"}}`, []ctxKV{kv("aws:CurrentTime", "now")}, ImplicitlyDenied},
		"DateLessThanIfExists missing":       {`{"DateLessThanIfExists":{"aws:TokenIssueTime":"2020-01-01"}}`, nil, Allowed},
		"Bool true":                          {`{"Bool":{"aws:SecureTransport":"true"}}`, []ctxKV{kv("aws:SecureTransport", "true")}, Allowed},
		"Bool JSON boolean":                  {`{"Bool":{"aws:SecureTransport":false}}`, []ctxKV{kv("aws:SecureTransport", "false")}, Allowed},
		"Bool mismatch":                      {`{"Bool":{"aws:SecureTransport":"true"}}`, []ctxKV{kv("aws:SecureTransport", "false")}, ImplicitlyDenied},
		"Bool case-insensitive":              {`{"Bool":{"aws:SecureTransport":"True"}}`, []ctxKV{kv("aws:SecureTransport", "TRUE")}, Allowed},
		"Bool missing key":                   {`{"Bool":{"aws:SecureTransport":"false"}}`, nil, ImplicitlyDenied},
		"BoolIfExists missing key":           {`{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, nil, Allowed},
		"BinaryEquals":                       {`{"BinaryEquals":{"k:blob":"QmluYXJ5VmFsdWU="}}`, []ctxKV{kv("k:blob", "QmluYXJ5VmFsdWU=")}, Allowed},
		"BinaryEquals differs":               {`{"BinaryEquals":{"k:blob":"QmluYXJ5VmFsdWU="}}`, []ctxKV{kv("k:blob", "b3RoZXI=")}, ImplicitlyDenied},
		"BinaryEquals request not base64":    {`{"BinaryEquals":{"k:blob":"QmluYXJ5VmFsdWU="}}`, []ctxKV{kv("k:blob", "!!")}, ImplicitlyDenied},
		"Null true on missing key":           {`{"Null":{"aws:TokenIssueTime":"true"}}`, nil, Allowed},
		"Null true on present key":           {`{"Null":{"aws:TokenIssueTime":"true"}}`, []ctxKV{kv("aws:TokenIssueTime", "2024-01-01")}, ImplicitlyDenied},
		"Null false on present key":          {`{"Null":{"aws:TokenIssueTime":"false"}}`, []ctxKV{kv("aws:TokenIssueTime", "2024-01-01")}, Allowed},
		"Null false on missing key":          {`{"Null":{"aws:TokenIssueTime":false}}`, nil, ImplicitlyDenied},
		"Null true on empty key":             {`{"Null":{"aws:TagKeys":"true"}}`, []ctxKV{kv("aws:TagKeys")}, Allowed},
		"Null true on empty string":          {`{"Null":{"s3:prefix":"true"}}`, []ctxKV{kv("s3:prefix", "")}, Allowed},
		"Null false on empty string":         {`{"Null":{"s3:prefix":"false"}}`, []ctxKV{kv("s3:prefix", "")}, ImplicitlyDenied},
		"Null false on two values":           {`{"Null":{"aws:TagKeys":"false"}}`, []ctxKV{kv("aws:TagKeys", "", "a")}, Allowed},
		"Null on unknown key":                {`{"Null":{"aws:TokenIssueTime":"true"}}`, []ctxKV{unknownKey("aws:TokenIssueTime")}, Unknown},
		"Null with both values always true":  {`{"Null":{"aws:TokenIssueTime":["true","false"]}}`, nil, Allowed},
	})
}

func TestConditionIPAndARN(t *testing.T) {
	t.Parallel()
	runCondCases(t, map[string]condCase{
		"IpAddress in CIDR":                      {`{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, []ctxKV{kv("aws:SourceIp", "203.0.113.7")}, Allowed},
		"IpAddress outside CIDR":                 {`{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, []ctxKV{kv("aws:SourceIp", "198.51.100.7")}, ImplicitlyDenied},
		"IpAddress bare address is /32":          {`{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, []ctxKV{kv("aws:SourceIp", "203.0.113.7")}, Allowed},
		"IpAddress bare address other host":      {`{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, []ctxKV{kv("aws:SourceIp", "203.0.113.8")}, ImplicitlyDenied},
		"IpAddress IPv6 CIDR":                    {`{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, []ctxKV{kv("aws:SourceIp", "2001:db8:1::5")}, Allowed},
		"IpAddress IPv6 bare is /128":            {`{"IpAddress":{"aws:SourceIp":"2001:db8::1"}}`, []ctxKV{kv("aws:SourceIp", "2001:db8::2")}, ImplicitlyDenied},
		"IpAddress IPv4-mapped request":          {`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, []ctxKV{kv("aws:SourceIp", "::ffff:10.1.2.3")}, Allowed},
		"IpAddress IPv4-mapped policy":           {`{"IpAddress":{"aws:SourceIp":"::ffff:10.0.0.0/104"}}`, []ctxKV{kv("aws:SourceIp", "10.1.2.3")}, Allowed},
		"IpAddress short mapped prefix":          {`{"IpAddress":{"aws:SourceIp":"::ffff:0.0.0.0/80"}}`, []ctxKV{kv("aws:SourceIp", "192.0.2.1")}, Allowed},
		"IpAddress any of CIDRs":                 {`{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}`, []ctxKV{kv("aws:SourceIp", "192.168.4.4")}, Allowed},
		"IpAddress request not an address":       {`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, []ctxKV{kv("aws:SourceIp", "glue")}, ImplicitlyDenied},
		"NotIpAddress outside":                   {`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, []ctxKV{kv("aws:SourceIp", "11.0.0.1")}, Allowed},
		"NotIpAddress inside":                    {`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, []ctxKV{kv("aws:SourceIp", "10.0.0.1")}, ImplicitlyDenied},
		"NotIpAddress missing key is true":       {`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, nil, Allowed},
		"NotIpAddress unknown key":               {`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, []ctxKV{unknownKey("aws:SourceIp")}, Unknown},
		"IpAddressIfExists missing":              {`{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}`, nil, Allowed},
		"ArnEquals exact":                        {`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/GlueJobRole"}}`, []ctxKV{kv("aws:PrincipalArn", "arn:aws:iam::111122223333:role/GlueJobRole")}, Allowed},
		"ArnEquals wildcard per field":           {`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:role/Glue*"}}`, []ctxKV{kv("aws:PrincipalArn", "arn:aws:iam::111122223333:role/GlueJobRole")}, Allowed},
		"ArnLike wildcard":                       {`{"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:111122223333:job/*"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:111122223333:job/etl")}, Allowed},
		"ArnLike star does not cross fields":     {`{"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:job/*"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:111122223333:job/etl")}, ImplicitlyDenied},
		"ArnLike other account":                  {`{"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:111122223333:job/*"}}`, []ctxKV{kv("aws:SourceArn", "arn:aws:glue:eu-west-1:444455556666:job/etl")}, ImplicitlyDenied},
		"ArnLike request not an ARN":             {`{"ArnLike":{"aws:SourceArn":"arn:aws:glue:*:*:job/*"}}`, []ctxKV{kv("aws:SourceArn", "job/etl")}, ImplicitlyDenied},
		"ArnNotEquals other":                     {`{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin"}}`, []ctxKV{kv("aws:PrincipalArn", "arn:aws:iam::111122223333:role/GlueJobRole")}, Allowed},
		"ArnNotLike matching":                    {`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Glue*"}}`, []ctxKV{kv("aws:PrincipalArn", "arn:aws:iam::111122223333:role/GlueJobRole")}, ImplicitlyDenied},
		"ArnNotLike missing key is true":         {`{"ArnNotLike":{"aws:SourceArn":"arn:aws:glue:*:*:job/*"}}`, nil, Allowed},
		"ArnLikeIfExists missing":                {`{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:glue:*:*:job/*"}}`, nil, Allowed},
		"aws:PrincipalArn derived from the role": {`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/GlueJobRole"}}`, nil, Allowed},
		"aws:PrincipalAccount derived":           {`{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}`, nil, Allowed},
	})
}

func TestMissingAndUnknownKeysRecorded(t *testing.T) {
	t.Parallel()
	r := condDecision(t, `{"StringEquals":{"aws:SourceVpce":"vpce-1"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, unknownKey("aws:SourceIp"))
	if r.Decision != ImplicitlyDenied {
		t.Fatalf("decision = %v, want ImplicitlyDenied: a missing key already makes the condition false", r.Decision)
	}
	if !slices.Equal(r.MissingContextKeys, []string{"aws:SourceVpce"}) {
		t.Errorf("MissingContextKeys = %v, want [aws:SourceVpce]", r.MissingContextKeys)
	}
	r = condDecision(t, `{"StringEquals":{"aws:SourceVpce":"vpce-1"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, kv("aws:SourceVpce", "vpce-1"), unknownKey("aws:SourceIp"))
	if r.Decision != Unknown || !slices.Equal(r.UnknownKeys, []string{"aws:SourceIp"}) {
		t.Fatalf("decision = %v, UnknownKeys = %v, want Unknown on [aws:SourceIp]", r.Decision, r.UnknownKeys)
	}
	if r.DecidedBy.Kind != LayerIdentity || len(r.Statements) != 1 || r.Statements[0].Index != 0 {
		t.Errorf("unknown result names %v / %+v, want the identity statement", r.DecidedBy, r.Statements)
	}
}

func TestParseOperator(t *testing.T) {
	t.Parallel()
	tests := map[string]condition{
		"StringEquals":                         {kind: opStringEquals},
		"StringNotLikeIfExists":                {kind: opStringLike, negated: true, ifExists: true},
		"ForAllValues:StringNotEqualsIfExists": {kind: opStringEquals, negated: true, ifExists: true, set: setAllValues},
		"ForAnyValue:ArnNotLike":               {kind: opArnLike, negated: true, set: setAnyValue},
		"NotIpAddressIfExists":                 {kind: opIPAddress, negated: true, ifExists: true},
		"Null":                                 {kind: opNull},
		"DateGreaterThanEquals":                {kind: opDateGreaterThanEquals},
	}
	for name, want := range tests {
		got, err := parseOperator(name)
		if err != nil {
			t.Errorf("parseOperator(%q): %v", name, err)
			continue
		}
		if got.kind != want.kind || got.negated != want.negated || got.ifExists != want.ifExists || got.set != want.set {
			t.Errorf("parseOperator(%q) = %+v, want %+v", name, got, want)
		}
	}
}

func TestParseDateForms(t *testing.T) {
	t.Parallel()
	const want = 1717236000 // 2024-06-01T10:00:00Z
	for _, s := range []string{"2024-06-01T10:00:00Z", "2024-06-01T12:00:00+02:00", "2024-06-01T10:00:00.000Z", "2024-06-01T10:00Z", "2024-06-01T10:00:00", "20240601T100000Z", "1717236000", "2024-06-01T12:00:00+0200"} {
		n, ok := parseDate(s)
		if !ok || n/1e9 != want {
			t.Errorf("parseDate(%q) = %d, %v, want %d", s, n/1e9, ok, want)
		}
	}
	if n, ok := parseDate("20240601"); !ok || n/1e9 != 1717200000 {
		t.Errorf("parseDate(20240601) = %d, %v, want the basic date form", n/1e9, ok)
	}
	if n, ok := parseDate("12345678"); !ok || n/1e9 != 12345678 {
		t.Errorf("parseDate(12345678) = %d, %v, want epoch seconds", n/1e9, ok)
	}
	for _, s := range []string{"", "yesterday", "99999999999999999999", "9999999999999999", "-9999999999999999", "2024-13-01"} {
		if _, ok := parseDate(s); ok {
			t.Errorf("parseDate(%q) succeeded", s)
		}
	}
}
