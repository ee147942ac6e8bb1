package access

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// enumCase is an enumeration seen through strings, so that every one is
// tested by the same properties.
type enumCase struct {
	name     string
	strs     []string
	parse    func(string) (string, error)
	doc      func(string) string
	markdown string
	// aws are the values AWS documents for the setting, written out here
	// rather than read from the enumeration: the list must not drift.
	aws []string
}

func enumCaseOf[T ~string](e *Enum[T], aws ...string) enumCase {
	return enumCase{
		name: e.Name, strs: e.Strings(),
		parse:    func(s string) (string, error) { v, err := e.Parse(s); return string(v), err },
		doc:      func(s string) string { return e.Doc(T(s)) },
		markdown: e.Markdown(), aws: aws,
	}
}

var enumCases = []enumCase{
	enumCaseOf(Ownerships, "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"),
	enumCaseOf(Payers, "BucketOwner", "Requester"),
	enumCaseOf(SSEAlgorithms, "AES256", "aws:kms", "aws:kms:dsse"),
	enumCaseOf(AccessModes, "read", "write", "readwrite", "temp"),
	enumCaseOf(S3EncryptionModes, "DISABLED", "SSE-S3", "SSE-KMS"),
}

func TestEnumsAllowExactlyTheDocumentedValues(t *testing.T) {
	for _, ec := range enumCases {
		t.Run(ec.name, func(t *testing.T) {
			if !slices.Equal(ec.strs, ec.aws) {
				t.Fatalf("values %q, AWS documents %q", ec.strs, ec.aws)
			}
			for _, s := range ec.strs {
				got, err := ec.parse(s)
				if err != nil || got != s {
					t.Errorf("Parse(%q) = %q, %v; want the value itself", s, got, err)
				}
				if ec.doc(s) == "" {
					t.Errorf("%q has no doc line", s)
				}
				if !strings.Contains(ec.markdown, "`"+s+"` (") {
					t.Errorf("markdown %q does not list %q with its meaning", ec.markdown, s)
				}
			}
		})
	}
}

// Near misses of each value: AWS's values are case-sensitive, and nothing
// trims them.
func TestEnumsRejectNearMisses(t *testing.T) {
	for _, ec := range enumCases {
		t.Run(ec.name, func(t *testing.T) {
			for _, s := range ec.strs {
				for _, near := range []string{strings.ToLower(s), strings.ToUpper(s), " " + s, s + " ", s + "s", s[:len(s)-1], ""} {
					if slices.Contains(ec.strs, near) {
						continue
					}
					got, err := ec.parse(near)
					var ee *EnumError
					if !errors.As(err, &ee) || got != "" {
						t.Errorf("Parse(%q) = %q, %v; want an EnumError", near, got, err)
						continue
					}
					if ee.Value != near || !slices.Equal(ee.Allowed, ec.strs) || !strings.Contains(err.Error(), ec.name) {
						t.Errorf("error %+v (%q) must name the value, the allowed values and the setting", ee, err)
					}
					if ec.doc(near) != "" {
						t.Errorf("Doc(%q) = %q, want none", near, ec.doc(near))
					}
				}
			}
		})
	}
}

// Parse accepts a string if and only if it is one of the values, and
// returns it unchanged.
func FuzzEnumParse(f *testing.F) {
	for _, ec := range enumCases {
		for _, s := range ec.strs {
			f.Add(s)
			f.Add(strings.ToLower(s))
		}
	}
	f.Add("")
	f.Add("aws:kms:")
	f.Fuzz(func(t *testing.T, s string) {
		for _, ec := range enumCases {
			got, err := ec.parse(s)
			switch member := slices.Contains(ec.strs, s); {
			case member && (err != nil || got != s):
				t.Fatalf("%s: Parse(%q) = %q, %v", ec.name, s, got, err)
			case !member && (err == nil || got != ""):
				t.Fatalf("%s: Parse(%q) = %q, %v; want rejected", ec.name, s, got, err)
			}
		}
	})
}

func TestEnumFactNeverTurnsAnUnreadableValueIntoAKnownOne(t *testing.T) {
	from := Provenance{Address: "aws_s3_bucket_request_payment_configuration.x", Attribute: "payer"}
	cases := []struct {
		name  string
		in    Value[string]
		known bool
		want  Payer
		note  string // must appear in the result's From.Note
	}{
		{"a value of the enumeration is kept", Known("Requester", from), true, PayerRequester, ""},
		{"an unknown value stays unknown", Unknown[string](from), false, "", ""},
		{"an empty value stays empty for the caller to interpret", Known("", from), true, "", ""},
		{"a value outside becomes unknown, naming it", Known("requester", from), false, "", `"requester" is not one of BucketOwner, Requester`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Payers.Fact(tc.in)
			if got.Known != tc.known || got.V != tc.want {
				t.Fatalf("Fact(%+v) = %+v, want known %v value %q", tc.in, got, tc.known, tc.want)
			}
			if got.From.Address != from.Address || got.From.Attribute != from.Attribute {
				t.Errorf("provenance %+v lost the address", got.From)
			}
			if !strings.Contains(got.From.Note, tc.note) {
				t.Errorf("note %q, want it to contain %q", got.From.Note, tc.note)
			}
		})
	}
}

// A setting spelled in a way S3 would not accept is not read as any of its
// values: the checks it decides are unknown, naming the value, not passed
// (a lowercase "requester" once read as "not Requester Pays").
func TestUnreadableSettingsAreUnknown(t *testing.T) {
	t.Parallel()
	bad := func(s string) Value[string] {
		return Known(s, Provenance{Address: "aws_s3_bucket_request_payment_configuration.shared"})
	}
	runCases(t, GA006, []caseT{{
		name: "a payer outside the enumeration leaves Requester Pays unknown",
		facts: with(requesterPays(acctB, editBucket("shared-data", func(b *Bucket) {
			b.RequestPayer = Payers.Fact(bad("requester"))
		}))...),
		want: want{verdict: UnknownVerd, reason: ReasonNoRequestPayerHeader, needs: []string{"s3:GetObject"}},
	}})
	runCases(t, GA005, []caseT{{
		name: "a default encryption outside the enumeration leaves the key unknown",
		facts: with(editBucket("etl-scripts", func(b *Bucket) {
			b.SSEAlgorithm = SSEAlgorithms.Fact(Known("aws:KMS", Provenance{Address: "aws_s3_bucket_server_side_encryption_configuration.scripts"}))
		})),
		want: want{verdict: UnknownVerd, reason: ReasonKeyUnknown},
	}, {
		name: "a security configuration mode outside the enumeration leaves the write key unknown",
		facts: with(func(f *Facts) {
			f.Job.SecurityConfiguration = &SecurityConfiguration{Name: "sc", Address: "aws_glue_security_configuration.sc",
				S3EncryptionMode: S3EncryptionModes.Fact(Known("sse-kms", Provenance{Address: "aws_glue_security_configuration.sc"})),
				S3KMSKeyARN:      Known("", Provenance{Address: "aws_glue_security_configuration.sc"})}
		}),
		want: want{verdict: UnknownVerd, reason: ReasonKeyUnknown},
	}})
	rep := Check(with(requesterPays(acctB, editBucket("shared-data", func(b *Bucket) {
		b.RequestPayer = Payers.Fact(bad("requester"))
	}))...), Options{})
	f := findingOf(rep, GA006)
	if f == nil || len(f.Missing) == 0 || !strings.Contains(f.Missing[0].Fact, `"requester" is not one of`) {
		t.Fatalf("the missing fact must name the value found: %s", dump(f))
	}
}

func TestNewBucketDefaultsCiteAWS(t *testing.T) {
	for name, note := range map[string]struct{ note, doc string }{
		"ownership":  {NewBucketOwnership.Note(), NewBucketOwnership.Doc},
		"payer":      {NewBucketPayer.Note(), NewBucketPayer.Doc},
		"encryption": {NewBucketEncryption.Note(), NewBucketEncryption.Doc},
		"public":     {NewBucketBlockPublicAccess.Note(), NewBucketBlockPublicAccess.Doc},
	} {
		if !strings.HasPrefix(note.note, "S3 default for a new bucket") || !strings.HasPrefix(note.doc, "https://docs.aws.amazon.com/AmazonS3/") {
			t.Errorf("%s: note %q doc %q", name, note.note, note.doc)
		}
	}
	from := Provenance{Address: "aws_s3_bucket.raw"}
	if v := NewBucketOwnership.Fact(from); !v.Known || v.V != OwnershipBucketOwnerEnforced || v.From.Address != from.Address || v.From.Note != NewBucketOwnership.Note() {
		t.Errorf("ownership fact %+v", v)
	}
	pab := NewBucketPublicAccess(from)
	for _, v := range []Value[bool]{pab.BlockPublicACLs, pab.IgnorePublicACLs, pab.BlockPublicPolicy, pab.RestrictPublicBuckets} {
		if !v.Known || !v.V {
			t.Errorf("public access block %+v, want all four on", pab)
		}
	}
}
