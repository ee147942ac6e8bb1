package policydoc

import (
	"errors"
	"strings"
	"testing"
)

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		doc      Document
		pretty   string
		minified string
		id       string
	}{
		// json, minified_json and id as a v5 provider stored them in a
		// public Terraform state.
		"stored by the real provider: CloudFront origin access identity read grant": {
			doc: Document{Statements: []Statement{{
				Actions:    []string{"s3:GetObject"},
				Resources:  []string{"arn:aws:s3:::csv.yuandrk.net/*"},
				Principals: []Principal{{Type: "AWS", Identifiers: []string{"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1UARH6VZZNE35"}}},
			}}},
			pretty:   "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::csv.yuandrk.net/*\",\n      \"Principal\": {\n        \"AWS\": \"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1UARH6VZZNE35\"\n      }\n    }\n  ]\n}",
			minified: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::csv.yuandrk.net/*","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1UARH6VZZNE35"}}]}`,
			id:       "375213852",
		},
		// Sets of several values, a one-element set and a defaulted Effect, as the
		// AWS provider renders them (data source aws_iam_policy_document).
		"worked example: sets descend, one element becomes a string, effect defaults to Allow": {
			doc: Document{Statements: []Statement{
				{
					Sid:       "Read",
					Actions:   []string{"s3:ListBucket", "s3:GetObject"},
					Resources: []string{"arn:aws:s3:::raw-zone", "arn:aws:s3:::raw-zone/*"},
				},
				{
					Effect:     "Deny",
					Actions:    []string{"s3:*"},
					Resources:  []string{"*"},
					Conditions: []Condition{{Test: "Bool", Variable: "aws:SecureTransport", Values: []string{"false"}}},
				},
			}},
			pretty: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": [
        "s3:ListBucket",
        "s3:GetObject"
      ],
      "Resource": [
        "arn:aws:s3:::raw-zone/*",
        "arn:aws:s3:::raw-zone"
      ]
    },
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    }
  ]
}`,
			minified: `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::raw-zone/*","arn:aws:s3:::raw-zone"]},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`,
		},
		"no arguments: only the default version": {
			doc:      Document{},
			pretty:   "{\n  \"Version\": \"2012-10-17\"\n}",
			minified: `{"Version":"2012-10-17"}`,
		},
		"policy_id becomes Id after Version; duplicate set elements collapse": {
			doc: Document{Version: Version2008, PolicyID: "key-policy", Statements: []Statement{
				{NotActions: []string{"iam:*", "iam:*"}, NotResources: []string{"arn:aws:s3:::a", "arn:aws:s3:::a"}},
			}},
			minified: `{"Version":"2008-10-17","Id":"key-policy","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::a"}]}`,
		},
		"principal type * with identifier * is the bare string; AWS * stays an object": {
			doc: Document{Statements: []Statement{
				{Sid: "Everyone", Actions: []string{"s3:GetObject"}, Principals: []Principal{{Type: "*", Identifiers: []string{"*"}}}},
				{Sid: "AnyAWS", Actions: []string{"s3:GetObject"}, NotPrincipals: []Principal{{Type: "AWS", Identifiers: []string{"*"}}}},
			}},
			minified: `{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Allow","Action":"s3:GetObject","Principal":"*"},{"Sid":"AnyAWS","Effect":"Allow","Action":"s3:GetObject","NotPrincipal":{"AWS":"*"}}]}`,
		},
		// The two AWS blocks are concatenated in the SDK's set order (the
		// role/* block hashes first), not sorted as a whole.
		"principals grouped by type, types sorted, blocks of one type concatenated in set order": {
			doc: Document{Statements: []Statement{{
				Actions: []string{"sts:AssumeRole"},
				Principals: []Principal{
					{Type: "Service", Identifiers: []string{"glue.amazonaws.com"}},
					{Type: "AWS", Identifiers: []string{"arn:aws:iam::999999999999:root"}},
					{Type: "AWS", Identifiers: []string{"arn:aws:iam::444455556666:role/a", "arn:aws:iam::444455556666:role/b"}},
				},
			}}},
			minified: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":["arn:aws:iam::444455556666:role/b","arn:aws:iam::444455556666:role/a","arn:aws:iam::999999999999:root"],"Service":"glue.amazonaws.com"}}]}`,
		},
		// Values of one block keep their order; the o-bbbb block precedes the
		// o-aaaa block in the SDK's set order.
		"conditions grouped by test then variable, values concatenated in set order": {
			doc: Document{Statements: []Statement{{
				Actions: []string{"s3:ListBucket"},
				Conditions: []Condition{
					{Test: "StringEquals", Variable: "aws:PrincipalOrgID", Values: []string{"o-aaaa"}},
					{Test: "StringLike", Variable: "s3:prefix", Values: []string{"in/*"}},
					{Test: "StringEquals", Variable: "aws:PrincipalOrgID", Values: []string{"o-bbbb", "o-cccc"}},
				},
			}}},
			minified: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-bbbb","o-cccc","o-aaaa"]},"StringLike":{"s3:prefix":"in/*"}}}]}`,
		},
		"&{ becomes ${ in resources, identifiers and values but not in actions; HTML characters escaped": {
			doc: Document{Statements: []Statement{{
				Actions:    []string{"s3:&{odd}"},
				Resources:  []string{"arn:aws:s3:::home/&{aws:username}/*"},
				Principals: []Principal{{Type: "AWS", Identifiers: []string{"arn:aws:iam::111122223333:user/&{aws:username}"}}},
				Conditions: []Condition{{Test: "StringLike", Variable: "s3:prefix", Values: []string{"&{aws:username}/<in>"}}},
			}}},
			minified: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:\u0026{odd}","Resource":"arn:aws:s3:::home/${aws:username}/*","Principal":{"AWS":"arn:aws:iam::111122223333:user/${aws:username}"},"Condition":{"StringLike":{"s3:prefix":"${aws:username}/\u003cin\u003e"}}}]}`,
		},
		"source statements keep their JSON order and shapes; a configured Sid replaces its source statement in place": {
			doc: Document{
				SourcePolicyDocuments: []string{
					`{"Version":"2008-10-17","Id":"src","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:A","s3:Z"],"Resource":"*"},{"Effect":"Deny","Action":"s3:B","Resource":"*"},{"Sid":"C","Effect":"Allow","Action":"s3:C","Resource":"*"}]}`,
				},
				Statements: []Statement{{Sid: "A", Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}},
			},
			minified: `{"Version":"2012-10-17","Id":"src","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:B","Resource":"*"},{"Sid":"C","Effect":"Allow","Action":"s3:C","Resource":"*"}]}`,
		},
		"overrides merge last and in order; Id adopted; unmatched Sid appended": {
			doc: Document{
				PolicyID:   "mine",
				Statements: []Statement{{Sid: "Keep", Actions: []string{"s3:GetObject"}}},
				OverridePolicyDocuments: []string{
					`{"Id":"first","Statement":[{"Sid":"Keep","Effect":"Deny","Action":"s3:*"}]}`,
					`{"Statement":[{"Sid":"Keep","Effect":"Allow","Action":"s3:ListBucket"},{"Sid":"New","Effect":"Allow","Action":"s3:PutObject"}]}`,
				},
			},
			minified: `{"Version":"2012-10-17","Id":"first","Statement":[{"Sid":"Keep","Effect":"Allow","Action":"s3:ListBucket"},{"Sid":"New","Effect":"Allow","Action":"s3:PutObject"}]}`,
		},
		"parsed principal and condition forms are normalized; numeric condition values dropped like the provider": {
			doc: Document{SourcePolicyDocuments: []string{
				`{"statement":[{"effect":"Allow","action":"s3:GetObject","principal":"*","condition":{"Bool":{"aws:SecureTransport":true},"StringEquals":{"s3:x":["b","a"]},"NumericLessThan":{"s3:max-keys":10}}},{"Effect":"Allow","Action":"s3:ListBucket","Principal":{"AWS":["arn:aws:iam::1:root","arn:aws:iam::2:root"]},"Condition":{"StringEquals":{"aws:SourceVpce":["vpce-1"]}}}]}`,
			}},
			minified: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"s3:x":["b","a"]}}},{"Effect":"Allow","Action":"s3:ListBucket","Principal":{"AWS":["arn:aws:iam::2:root","arn:aws:iam::1:root"]},"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pretty, minified, err := Render(tc.doc)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if tc.id != "" && ID(pretty) != tc.id {
				t.Errorf("id %s, want %s", ID(pretty), tc.id)
			}
			if tc.pretty != "" && pretty != tc.pretty {
				t.Errorf("json:\n%s\nwant:\n%s", pretty, tc.pretty)
			}
			if minified != tc.minified {
				t.Errorf("minified_json:\n%s\nwant:\n%s", minified, tc.minified)
			}
			if tc.pretty == "" && !strings.HasPrefix(pretty, "{\n  \"Version\": ") {
				t.Errorf("json is not indented by two spaces:\n%s", pretty)
			}
		})
	}
}

// The order of set arguments and of set blocks in the configuration cannot
// change the result: Terraform does not keep it either.
func TestRenderIgnoresSetOrder(t *testing.T) {
	t.Parallel()
	a := Document{Statements: []Statement{{
		Actions:    []string{"s3:GetObject", "s3:PutObject"},
		Principals: []Principal{{Type: "AWS", Identifiers: []string{"x", "y"}}, {Type: "AWS", Identifiers: []string{"z"}}},
		Conditions: []Condition{{Test: "StringEquals", Variable: "k", Values: []string{"1"}}, {Test: "StringEquals", Variable: "k", Values: []string{"2"}}},
	}}}
	b := Document{Statements: []Statement{{
		Actions:    []string{"s3:PutObject", "s3:GetObject"},
		Principals: []Principal{{Type: "AWS", Identifiers: []string{"z"}}, {Type: "AWS", Identifiers: []string{"y", "x"}}},
		Conditions: []Condition{{Test: "StringEquals", Variable: "k", Values: []string{"2"}}, {Test: "StringEquals", Variable: "k", Values: []string{"1"}}},
	}}}
	_, ma, errA := Render(a)
	_, mb, errB := Render(b)
	if errA != nil || errB != nil {
		t.Fatalf("Render: %v, %v", errA, errB)
	}
	if ma != mb {
		t.Errorf("same sets in another order rendered differently:\n%s\n%s", ma, mb)
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		doc     Document
		wantErr error
		detail  string
	}{
		"&{ under 2008-10-17 is rejected": {
			doc:     Document{Version: Version2008, Statements: []Statement{{Resources: []string{"arn:aws:s3:::b/&{aws:username}"}}}},
			wantErr: ErrInvalidArgument,
			detail:  "statement 0: resources:",
		},
		"&{ in a condition value under 2008-10-17 is rejected": {
			doc:     Document{Version: Version2008, Statements: []Statement{{Conditions: []Condition{{Test: "StringLike", Variable: "s3:prefix", Values: []string{"&{aws:userid}"}}}}}},
			wantErr: ErrInvalidArgument,
			detail:  "condition: StringLike",
		},
		"unknown version": {
			doc:     Document{Version: "2012-10-18"},
			wantErr: ErrInvalidArgument,
			detail:  `version "2012-10-18"`,
		},
		"effect must be Allow or Deny": {
			doc:     Document{Statements: []Statement{{Effect: "allow"}}},
			wantErr: ErrInvalidArgument,
			detail:  `effect "allow"`,
		},
		"sid must be alphanumeric": {
			doc:     Document{Statements: []Statement{{Sid: "read-all"}}},
			wantErr: ErrInvalidArgument,
			detail:  `sid "read-all"`,
		},
		"duplicate configured sid": {
			doc:     Document{Statements: []Statement{{Sid: "A"}, {}, {Sid: "A"}}},
			wantErr: ErrDuplicateSid,
			detail:  `statement 2: duplicate policy statement sid "A"`,
		},
		"duplicate sid across source documents": {
			doc: Document{SourcePolicyDocuments: []string{
				`{"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*"}]}`,
				`{"Statement":[{"Sid":"B","Effect":"Allow","Action":"s3:*"},{"Sid":"A","Effect":"Deny","Action":"s3:*"}]}`,
			}},
			wantErr: ErrDuplicateSid,
			detail:  "source_policy_documents[1] statement 1:",
		},
		"source document that is not JSON": {
			doc:     Document{SourcePolicyDocuments: []string{`{"Statement":`}},
			wantErr: ErrPolicyJSON,
			detail:  "source_policy_documents[0]:",
		},
		"override document whose Statement is an object, not a list": {
			doc:     Document{OverridePolicyDocuments: []string{`{"Statement":{"Effect":"Allow"}}`}},
			wantErr: ErrPolicyJSON,
			detail:  "override_policy_documents[0]:",
		},
		"condition list value that is not a string": {
			doc:     Document{OverridePolicyDocuments: []string{`{"Statement":[{"Condition":{"StringEquals":{"k":["a",1]}}}]}`}},
			wantErr: ErrPolicyJSON,
			detail:  `condition StringEquals "k" value 1: float64 is not a string`,
		},
		"null statement": {
			doc:     Document{SourcePolicyDocuments: []string{`{"Statement":[null]}`}},
			wantErr: ErrPolicyJSON,
			detail:  "statement 0 is null",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Render(tc.doc)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want one wrapping %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.detail) {
				t.Errorf("error %q does not say %q", err, tc.detail)
			}
		})
	}
}

func TestID(t *testing.T) {
	t.Parallel()
	// json and id of a data source as a provider (v2, which still emitted
	// empty Sids) stored them in a public Terraform state.
	stored := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"sts:AssumeRole\",\n      \"Principal\": {\n        \"AWS\": \"arn:aws:iam::266981300450:root\",\n        \"Service\": \"ec2.amazonaws.com\"\n      },\n      \"Condition\": {\n        \"StringEquals\": {\n          \"sts:ExternalId\": \"s3-full-access-role\"\n        }\n      }\n    }\n  ]\n}"
	if got, want := ID(stored), "3828780280"; got != want {
		t.Errorf("ID = %s, want the stored id %s", got, want)
	}
}
