package datafile

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// fixtureCatalog is deliberately out of order, with duplicated and unsorted
// condition keys, so normalisation has something to do.
func fixtureCatalog() Catalog {
	return Catalog{Services: []Service{
		{
			Prefix: "s3", Name: "Amazon S3",
			ResourceTypes: []ResourceType{
				{Name: "object", ARN: "arn:${Partition}:s3:::${BucketName}/${ObjectName}"},
				{Name: "bucket", ARN: "arn:${Partition}:s3:::${BucketName}"},
			},
			Actions: []Action{
				{Name: "PutObject", AccessLevel: "Write", Resources: []ActionResource{{Type: "object", Required: true}}},
				{Name: "GetObject", AccessLevel: "Read", Resources: []ActionResource{{Type: "object", Required: true}},
					ConditionKeys: []string{"s3:x-amz-server-side-encryption", "aws:ResourceAccount", "s3:x-amz-server-side-encryption"}},
				{Name: "ListAllMyBuckets", AccessLevel: "List"},
			},
		},
		{
			Prefix: "kms", Name: "AWS Key Management Service",
			ResourceTypes: []ResourceType{{Name: "key", ARN: "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"}},
			Actions: []Action{
				{Name: "GenerateDataKey", AccessLevel: "Write", Resources: []ActionResource{{Type: "key", Required: true}}},
				{Name: "Decrypt", AccessLevel: "Write", Resources: []ActionResource{{Type: "key", Required: true}}},
			},
		},
	}}
}

func fixturePolicies() []ManagedPolicy {
	return []ManagedPolicy{
		{ARN: "arn:aws:iam::aws:policy/service-role/ZRole", Name: "ZRole", Path: "/service-role/", VersionID: "v2", UpdateDate: "2024-01-02T03:04:05Z",
			Document: json.RawMessage("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"arn:aws:s3:::a&b<c>\"}]\n}")},
		{ARN: "arn:aws:iam::aws:policy/AAccess", Name: "AAccess", Path: "/", VersionID: "v1", UpdateDate: "2015-02-06T18:39:46Z",
			Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)},
	}
}

func TestEncodeCatalogIsDeterministicAndNormalised(t *testing.T) {
	t.Parallel()
	first, err := EncodeCatalog(fixtureCatalog())
	if err != nil {
		t.Fatalf("EncodeCatalog: %v", err)
	}
	// The same data in reverse input order must give the same bytes.
	reversed := fixtureCatalog()
	slices.Reverse(reversed.Services)
	for i := range reversed.Services {
		slices.Reverse(reversed.Services[i].Actions)
		slices.Reverse(reversed.Services[i].ResourceTypes)
	}
	second, err := EncodeCatalog(reversed)
	if err != nil {
		t.Fatalf("EncodeCatalog(reversed): %v", err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("EncodeCatalog output depends on input order")
	}

	got, err := DecodeCatalog(first)
	if err != nil {
		t.Fatalf("DecodeCatalog: %v", err)
	}
	var prefixes []string
	for _, s := range got.Services {
		prefixes = append(prefixes, s.Prefix)
	}
	if want := []string{"kms", "s3"}; !slices.Equal(prefixes, want) {
		t.Errorf("services in order %v, want %v", prefixes, want)
	}
	s3 := got.Services[1]
	var names []string
	for _, a := range s3.Actions {
		names = append(names, a.Name)
	}
	if want := []string{"GetObject", "ListAllMyBuckets", "PutObject"}; !slices.Equal(names, want) {
		t.Errorf("s3 actions in order %v, want %v", names, want)
	}
	if want := []string{"aws:ResourceAccount", "s3:x-amz-server-side-encryption"}; !slices.Equal(s3.Actions[0].ConditionKeys, want) {
		t.Errorf("GetObject condition keys %v, want sorted and de-duplicated %v", s3.Actions[0].ConditionKeys, want)
	}
	if s3.ResourceTypes[0].Name != "bucket" {
		t.Errorf("resource types not sorted: first is %q", s3.ResourceTypes[0].Name)
	}
}

func TestEncodedGzipHeaderCarriesNoTimeOrName(t *testing.T) {
	t.Parallel()
	data, err := EncodeCatalog(fixtureCatalog())
	if err != nil {
		t.Fatalf("EncodeCatalog: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" || zr.Comment != "" {
		t.Errorf("gzip header has mtime %v, name %q, comment %q; want none, so output does not depend on when it ran", zr.ModTime, zr.Name, zr.Comment)
	}
}

func TestEncodeManagedPoliciesSortsAndCompactsWithoutEscaping(t *testing.T) {
	t.Parallel()
	first, err := EncodeManagedPolicies(fixturePolicies())
	if err != nil {
		t.Fatalf("EncodeManagedPolicies: %v", err)
	}
	reversed := fixturePolicies()
	slices.Reverse(reversed)
	second, err := EncodeManagedPolicies(reversed)
	if err != nil {
		t.Fatalf("EncodeManagedPolicies(reversed): %v", err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("EncodeManagedPolicies output depends on input order")
	}
	got, err := DecodeManagedPolicies(first)
	if err != nil {
		t.Fatalf("DecodeManagedPolicies: %v", err)
	}
	if len(got) != 2 || got[0].Name != "AAccess" || got[1].Name != "ZRole" {
		t.Fatalf("decoded %+v, want AAccess then ZRole (sorted by ARN)", got)
	}
	const wantDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::a&b<c>"}]}`
	if string(got[1].Document) != wantDoc {
		t.Errorf("document\n got %s\nwant %s\n(compact, key order kept, no HTML escaping)", got[1].Document, wantDoc)
	}
	if got[1].Path != "/service-role/" || got[1].VersionID != "v2" || got[1].UpdateDate != "2024-01-02T03:04:05Z" {
		t.Errorf("fields not kept: %+v", got[1])
	}
}

func TestEncodersRejectInvalidData(t *testing.T) {
	t.Parallel()
	catalogWith := func(edit func(*Catalog)) func() error {
		return func() error {
			c := fixtureCatalog()
			edit(&c)
			_, err := EncodeCatalog(c)
			return err
		}
	}
	policiesWith := func(edit func([]ManagedPolicy)) func() error {
		return func() error {
			ps := fixturePolicies()
			edit(ps)
			_, err := EncodeManagedPolicies(ps)
			return err
		}
	}
	tests := map[string]struct {
		run  func() error
		want string
	}{
		"service listed twice in different case": {
			run:  catalogWith(func(c *Catalog) { c.Services[1].Prefix = "S3" }),
			want: `service "S3" listed twice`,
		},
		"empty service prefix": {
			run:  catalogWith(func(c *Catalog) { c.Services[0].Prefix = "" }),
			want: `service prefix ""`,
		},
		"action listed twice in different case": {
			run:  catalogWith(func(c *Catalog) { c.Services[0].Actions[1].Name = "putobject" }),
			want: `action "s3:putobject" listed twice`,
		},
		"wildcard in an action name": {
			run:  catalogWith(func(c *Catalog) { c.Services[0].Actions[0].Name = "Put*" }),
			want: `action name "Put*"`,
		},
		"undefined resource type": {
			run:  catalogWith(func(c *Catalog) { c.Services[1].Actions[0].Resources[0].Type = "alias" }),
			want: `takes undefined resource type "alias"`,
		},
		"resource type defined twice": {
			run:  catalogWith(func(c *Catalog) { c.Services[0].ResourceTypes[1].Name = "object" }),
			want: `resource type "object" empty or listed twice`,
		},
		"customer managed policy ARN": {
			run:  policiesWith(func(ps []ManagedPolicy) { ps[0].ARN = "arn:aws:iam::123456789012:policy/ZRole" }),
			want: "is not an AWS managed policy ARN",
		},
		"policy listed twice": {
			run:  policiesWith(func(ps []ManagedPolicy) { ps[1].ARN = ps[0].ARN }),
			want: "listed twice",
		},
		"document is not JSON": {
			run:  policiesWith(func(ps []ManagedPolicy) { ps[0].Document = json.RawMessage(`{"Version":`) }),
			want: `managed policy "arn:aws:iam::aws:policy/service-role/ZRole": document`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tc.run()
			if !errors.Is(err, ErrInvalidData) {
				t.Fatalf("error %v, want one wrapping ErrInvalidData", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestDecodersRejectCorruptData(t *testing.T) {
	t.Parallel()
	notJSON, err := gzipJSON("just a string")
	if err != nil {
		t.Fatalf("gzipJSON: %v", err)
	}
	tests := map[string][]byte{
		"not gzip":      []byte("plain text"),
		"truncated":     notJSON[:len(notJSON)/2],
		"wrong content": notJSON,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := DecodeCatalog(data); !errors.Is(err, ErrInvalidData) || !strings.Contains(err.Error(), CatalogFile) {
				t.Errorf("DecodeCatalog error %v, want ErrInvalidData naming %s", err, CatalogFile)
			}
			if _, err := DecodeManagedPolicies(data); !errors.Is(err, ErrInvalidData) || !strings.Contains(err.Error(), ManagedPoliciesFile) {
				t.Errorf("DecodeManagedPolicies error %v, want ErrInvalidData naming %s", err, ManagedPoliciesFile)
			}
		})
	}
}

func TestEncodeMetadata(t *testing.T) {
	t.Parallel()
	m := Metadata{
		Generated: "2026-11-27",
		Command:   "go generate ./internal/awsdata",
		Sources:   []Source{{Package: "p", Version: "1.0.0", License: "MIT"}},
		Files:     []File{Describe("b.gz", []byte("b")), Describe("a.gz", []byte("a"))},
	}
	data, err := EncodeMetadata(m)
	if err != nil {
		t.Fatalf("EncodeMetadata: %v", err)
	}
	again, err := EncodeMetadata(m)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("EncodeMetadata not repeatable (err %v)", err)
	}
	got, err := DecodeMetadata(data)
	if err != nil {
		t.Fatalf("DecodeMetadata: %v", err)
	}
	if got.Files[0].Name != "a.gz" || m.Files[0].Name != "b.gz" {
		t.Errorf("files %v: want sorted by name in the output without reordering the caller's slice", got.Files)
	}
	// SHA-256 of "a".
	if got.Files[0].SHA256 != "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" || got.Files[0].Size != 1 {
		t.Errorf("file entry %+v: wrong digest or size", got.Files[0])
	}
	if _, err := EncodeMetadata(Metadata{}); !errors.Is(err, ErrInvalidData) {
		t.Errorf("metadata without a date: error %v, want ErrInvalidData", err)
	}
	if _, err := DecodeMetadata([]byte("{")); err == nil {
		t.Error("DecodeMetadata accepted truncated JSON")
	}
}
