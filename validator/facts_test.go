package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// linkedFacts builds the facts of the only job of testdata/plans/linking.
func linkedFacts(t *testing.T) *access.Facts {
	t.Helper()
	doc, err := planjson.Load(filepath.Join("testdata", "plans", "linking", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	if got := fb.Jobs(); !slices.Equal(got, []string{"aws_glue_job.linked"}) {
		t.Fatalf("jobs %v", got)
	}
	return fb.Facts(0)
}

func TestFactsFollowReferencesWhenValuesAreUnknown(t *testing.T) {
	f := linkedFacts(t)
	const keyARN = "arn:aws:kms:eu-west-1:111122223333:key/aws_kms_key.data"

	t.Run("role and its policies", func(t *testing.T) {
		r := f.Role
		if r == nil || r.Address != "aws_iam_role.glue" {
			t.Fatalf("role %+v, want aws_iam_role.glue by reference", r)
		}
		if !r.ARN.Known || r.ARN.V != "arn:aws:iam::111122223333:role/jobs/glue-linked" {
			t.Errorf("role ARN %v, want it derived from account, path and name", r.ARN)
		}
		if !r.PoliciesComplete {
			t.Error("a role created in the plan has all its policies in the plan")
		}
		if len(r.Inline) != 1 || r.Inline[0].Label != "aws_iam_role_policy.list" || !r.Inline[0].Known {
			t.Errorf("inline policies %+v, want aws_iam_role_policy.list linked by role id", r.Inline)
		}
		var arns []string
		for _, m := range r.Managed {
			arns = append(arns, m.ARN.V)
		}
		want := []string{"arn:aws:iam::111122223333:policy/glue-data", "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"}
		if !slices.Equal(arns, want) {
			t.Errorf("managed %v, want %v", arns, want)
		}
		if r.Managed[0].Document == nil || !r.Managed[0].Document.Known || r.Managed[0].Document.Label != "aws_iam_policy.data" {
			t.Errorf("customer managed policy document %+v, want aws_iam_policy.data", r.Managed[0].Document)
		}
		if r.Managed[1].Document != nil {
			t.Error("an AWS managed policy must be left to the embedded set")
		}
		if r.Boundary == nil || r.Boundary.ARN.V != "arn:aws:iam::111122223333:policy/glue-boundary" || r.Boundary.Document == nil || !r.Boundary.Document.Known {
			t.Errorf("boundary %+v", r.Boundary)
		}
	})

	t.Run("network path", func(t *testing.T) {
		if len(f.Job.Connections) != 1 {
			t.Fatalf("connections %+v", f.Job.Connections)
		}
		c := f.Job.Connections[0]
		if !c.Found || c.Address != "aws_glue_connection.net" || c.SubnetID.V != "aws_subnet.glue.id" {
			t.Fatalf("connection %+v, want aws_subnet.glue by reference", c)
		}
		n := f.Network
		i := slices.IndexFunc(n.Subnets, func(s access.Subnet) bool { return s.ID == c.SubnetID.V })
		if i < 0 || n.Subnets[i].RouteTableID.V != "aws_route_table.private.id" || n.Subnets[i].VPCID.V != "aws_vpc.main.id" {
			t.Fatalf("subnet %+v", n.Subnets)
		}
		if len(n.Endpoints) != 1 || !slices.Contains(n.Endpoints[0].RouteTableIDs, "aws_route_table.private.id") || n.Endpoints[0].VPCID != "aws_vpc.main.id" || n.Endpoints[0].Policy != nil {
			t.Errorf("endpoint %+v, want the private table, the VPC and the default policy", n.Endpoints)
		}
	})

	t.Run("encryption keys", func(t *testing.T) {
		sc := f.Job.SecurityConfiguration
		if sc == nil || sc.Address != "aws_glue_security_configuration.kms" || sc.S3EncryptionMode.V != access.S3EncryptionSSEKMS || sc.S3KMSKeyARN.V != keyARN {
			t.Fatalf("security configuration %+v", sc)
		}
		if len(f.Buckets) != 1 || f.Buckets[0].SSEKMSKeyID.V != keyARN || !f.Buckets[0].BucketKeyEnabled.V {
			t.Fatalf("buckets %+v", f.Buckets)
		}
		if len(f.Keys) != 1 || f.Keys[0].ARN.V != keyARN || f.Keys[0].Policy != nil || !slices.Contains(f.Keys[0].Aliases, "alias/glue-linked") {
			t.Errorf("keys %+v, want the new key with the default policy and its alias", f.Keys)
		}
		if !f.Keys[0].ARNPlaceholder {
			t.Errorf("key ARN %s stands in for the one AWS assigns at apply and must be marked a placeholder", f.Keys[0].ARN.V)
		}
	})

	t.Run("declared paths from tags", func(t *testing.T) {
		if len(f.Access) != 1 || f.Access[0].URL != "s3://example-linked-data/input/" || f.Access[0].Mode != access.ModeRead {
			t.Errorf("access %+v", f.Access)
		}
	})

	t.Run("organization", func(t *testing.T) {
		if f.Org == nil {
			t.Fatal("no organization facts")
		}
		i := slices.IndexFunc(f.Org.Nodes, func(n access.OrgNode) bool { return n.ID == "111122223333" })
		if i < 0 || len(f.Org.Nodes[i].SCPs) != 1 || f.Org.Nodes[i].SCPs[0].Label != "aws_organizations_policy.guard" {
			t.Errorf("nodes %+v, want the SCP on the account from aws_caller_identity", f.Org.Nodes)
		}
	})
}

// TestNewKeyFixNamesNoMadeUpARN: a key the plan creates has no ARN until
// apply; the role's fix must not name the stand-in (the address or a symbolic
// id) but allow key use through S3 in the Region.
func TestNewKeyFixNamesNoMadeUpARN(t *testing.T) {
	for _, name := range []string{"ga005-deny", "greenfield-ga005-deny"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(examplesDir, name)
			rep := validateExample(t, dir, filepath.Join(dir, "plan.json"))
			var fixes []string
			for _, j := range rep.Jobs {
				for _, f := range j.Findings {
					if f.ID != "GA005" || f.Fix == nil || f.Fix.Target != access.TargetIdentity {
						continue
					}
					for _, st := range f.Fix.Statements {
						fixes = append(fixes, string(st))
					}
				}
			}
			if len(fixes) == 0 {
				t.Fatalf("no GA005 identity fix in %s", name)
			}
			for _, st := range fixes {
				if strings.Contains(st, ":key/") || !strings.Contains(st, `"Resource":["*"]`) || !strings.Contains(st, `"kms:ViaService":"s3.eu-west-1.amazonaws.com"`) {
					t.Errorf("fix statement %s, want Resource * limited by kms:ViaService, no key ARN", st)
				}
			}
		})
	}
}

// TestRoleFactsKeptOnlyForSharedRoles holds the role cache to its purpose:
// a role of one job is not kept once its job's facts are built, and a role
// several jobs use is built the same each time and then shared.
func TestRoleFactsKeptOnlyForSharedRoles(t *testing.T) {
	data := largePlan(t, 4)
	// Jobs j2 and j3 take the role of j1.
	for _, j := range []string{"j2", "j3"} {
		data = bytes.ReplaceAll(data,
			[]byte(`["aws_iam_role.role_`+j+`.arn","aws_iam_role.role_`+j+`"]`),
			[]byte(`["aws_iam_role.role_j1.arn","aws_iam_role.role_j1"]`))
	}
	doc, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	roles := map[string]*access.Role{}
	for i, job := range fb.Jobs() {
		roles[strings.TrimPrefix(job, "aws_glue_job.job_")] = fb.Facts(i).Role
	}
	for job, want := range map[string]string{"j0": "aws_iam_role.role_j0", "j1": "aws_iam_role.role_j1", "j2": "aws_iam_role.role_j1", "j3": "aws_iam_role.role_j1"} {
		if r := roles[job]; r == nil || r.Address != want {
			t.Fatalf("job %s: role %+v, want %s", job, r, want)
		}
	}
	if !reflect.DeepEqual(roles["j1"], roles["j2"]) {
		t.Errorf("the role built again for its second job differs:\n%+v\n%+v", roles["j1"], roles["j2"])
	}
	if roles["j2"] != roles["j3"] {
		t.Error("a role used by a third job was built again instead of shared")
	}
	if r := fb.b.roleCache.m["aws_iam_role.role_j0"]; r != nil {
		t.Error("the role of a single job is still kept after its facts were built")
	}
}

// TestBucketFactsKeptOnlyForSharedBuckets holds the bucket cache to its
// purpose, as the role cache: a bucket of one job is not kept once its job's
// facts are built, a bucket several jobs read is built the same each time
// and then kept, and the policy of every bucket, read by a job or not, is
// there for the plan-wide lint.
func TestBucketFactsKeptOnlyForSharedBuckets(t *testing.T) {
	data := largePlan(t, 4)
	// Jobs j2 and j3 read the bucket of j1; the buckets of j2 and j3 are
	// read by no job.
	for _, j := range []string{"j2", "j3"} {
		data = bytes.ReplaceAll(data, []byte(`s3://bench-data-`+j+`/`), []byte(`s3://bench-data-j1/`))
	}
	doc, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	buckets := map[string][]access.Bucket{}
	for i, job := range fb.Jobs() {
		buckets[strings.TrimPrefix(job, "aws_glue_job.job_")] = fb.Facts(i).Buckets
	}
	for job, want := range map[string]string{"j0": "bench-data-j0", "j1": "bench-data-j1", "j2": "bench-data-j1", "j3": "bench-data-j1"} {
		if bs := buckets[job]; len(bs) != 1 || bs[0].Name != want {
			t.Fatalf("job %s: buckets %+v, want only %s", job, bs, want)
		}
	}
	for _, job := range []string{"j2", "j3"} {
		if !reflect.DeepEqual(buckets["j1"], buckets[job]) {
			t.Errorf("the bucket of j1 read by %s differs:\n%+v\n%+v", job, buckets["j1"], buckets[job])
		}
	}
	if fb.b.bucketCache.m["bench-data-j1"] == nil {
		t.Error("a bucket read by three jobs is not kept")
	}
	if bk := fb.b.bucketCache.m["bench-data-j0"]; bk != nil {
		t.Error("the bucket of a single job is still kept after its facts were built")
	}
	policies := fb.b.bucketPolicies()
	if len(policies) != 4 {
		t.Errorf("bucket policies of %v, want the 4 buckets of the plan", slices.Sorted(maps.Keys(policies)))
	}
	for _, name := range []string{"bench-data-j0", "bench-data-j1", "bench-data-j2", "bench-data-j3"} {
		want := fb.b.buildNamedBucket(name).Policy
		if got := policies[name]; got == nil || !reflect.DeepEqual(got, want) {
			t.Errorf("policy of %s for the plan-wide lint is %+v, want %+v", name, got, want)
		}
	}
}

// TestS3SchemeAnyCase: the validator finds an S3 URL whose scheme is in
// upper or mixed case, and its bucket, as internal/access and the data
// source read it (the same table stands in their tests), so the bucket's
// facts reach the checks.
func TestS3SchemeAnyCase(t *testing.T) {
	t.Parallel()
	for in, bucket := range map[string]string{
		"S3://data-lake/jobs/x.py": "data-lake",
		"s3A://data-lake/in/":      "data-lake",
		"S3N://data-lake":          "data-lake",
	} {
		j := access.Job{ScriptLocation: access.Known(in, access.Provenance{})}
		got := s3URLs(j, nil)
		if len(got) != 1 || got[0] != in || bucketOf(got[0]) != bucket {
			t.Errorf("s3URLs of script %q = %q (bucket %q); want it, in bucket %q", in, got, bucketOf(in), bucket)
		}
	}
}

// TestTagPathsAreNeverDropped: a job tag declares its paths with any S3
// scheme in any case (docs/model.md#s3-locations); a value that is not an S3
// URL is kept, and the job is then unknown naming it, never passed over.
func TestTagPathsAreNeverDropped(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("testdata", "plans", "linking", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	const tag = "S3://example-linked-data/input/, s3a://example-linked-data/more/*, example-linked-data/raw/"
	text = bytes.ReplaceAll(text, []byte(`"glueaccess:read": "s3://example-linked-data/input/"`), []byte(`"glueaccess:read": "`+tag+`"`))
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := planjson.Load(path, planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFactBuilder(newPlanIndex(doc), nil, nil).Facts(0)
	var urls []string
	for _, a := range f.Access {
		urls = append(urls, a.URL)
	}
	want := []string{"S3://example-linked-data/input/", "s3a://example-linked-data/more/", "example-linked-data/raw/"}
	if !slices.Equal(urls, want) {
		t.Fatalf("declared URLs %q, want %q", urls, want)
	}
	rep := access.Check(f, access.Options{})
	i := slices.IndexFunc(rep.Findings, func(fd access.Finding) bool {
		return fd.Verdict == access.UnknownVerd && strings.Contains(fd.Because+fmt.Sprint(fd.Missing), "example-linked-data/raw/")
	})
	if rep.Verdict == access.JobAllowed || i < 0 {
		t.Errorf("verdict %s; want an unknown finding naming the path that is not an S3 URL: %+v", rep.Verdict, rep.Findings)
	}
}

// TestDeclaredPrefix: a declared URL or glob becomes the prefix under its
// literal part, for any S3 scheme in any case; without a scheme, or with
// nothing before the glob but the scheme, it is not a declared path.
func TestDeclaredPrefix(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"s3://b/x/", "s3://b/x/", true},
		{"S3://b/x", "S3://b/x", true},
		{"s3n://b/x/*.csv", "s3n://b/x/", true},
		{"s3a://b*", "s3a://b", true},
		{"s3://*", "s3://", false},
		{"S3A://?", "S3A://", false},
		{"s3://", "s3://", false},
		{"b/x/", "", false},
		{"https://b.s3.amazonaws.com/x", "", false},
	} {
		if got, ok := declaredPrefix(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("declaredPrefix(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestAddStoresIsTheScan holds addStores, which looks keys and objects up in
// the builder's indexes, to the scan of every key and object it replaced,
// over random stores: IDs, buckets and aliases drawn from a few values (the
// empty one included, as a known empty security configuration key gives),
// keys sharing IDs and addresses, unplaced objects.
func TestAddStoresIsTheScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 5))
	pick := func(l ...string) string { return l[rng.IntN(len(l))] }
	ids := []string{"", "k1", "k2", "arn:aws:kms:eu-west-1:111122223333:key/k1", "alias/a", "alias/b"}
	bucketNames := []string{"", "b1", "b2", "b3"}
	for round := range 500 {
		decl := &declarations{}
		for _, n := range bucketNames[1:] {
			if rng.IntN(2) == 0 {
				decl.Buckets = append(decl.Buckets, access.Bucket{Name: n, SSEKMSKeyID: access.Known(pick(ids...), access.Provenance{})})
			}
		}
		b := &builder{ix: &planIndex{Plan: &planjson.Plan{}}, res: chain{}}
		b.decl = decl
		b.bucketPolicy = map[string]*access.PolicyDoc{}
		for range rng.IntN(8) {
			k := access.KMSKey{ARN: access.Value[string]{V: pick(ids...), Known: rng.IntN(4) > 0}, KeyID: pick(ids...), Address: pick("aws_kms_key.a", "aws_kms_key.b", "")}
			for range rng.IntN(3) {
				k.Aliases = append(k.Aliases, pick(ids...))
			}
			b.keys = append(b.keys, k)
		}
		for range rng.IntN(8) {
			o := access.S3Object{Bucket: pick(bucketNames...), Key: pick("x", "y"), KMSKeyID: access.Value[string]{V: pick(ids...), Known: rng.IntN(4) > 0}}
			if rng.IntN(3) == 0 {
				o.Unplaced = &access.Missing{Fact: "the bucket"}
			}
			b.objects = append(b.objects, o)
		}
		b.indexStores()
		var urls []string
		for range rng.IntN(4) {
			urls = append(urls, "s3://"+pick(bucketNames...)+"/p")
		}
		f := &access.Facts{}
		if rng.IntN(2) == 0 {
			f.Job.SecurityConfiguration = &access.SecurityConfiguration{S3KMSKeyARN: access.Value[string]{V: pick(ids...), Known: rng.IntN(4) > 0}}
		}
		want := *f
		scanStores(b, &want, urls)
		b.addStores(f, urls)
		got, _ := json.Marshal(f)
		wantText, _ := json.Marshal(&want)
		if !bytes.Equal(got, wantText) {
			t.Fatalf("round %d, urls %q: addStores gives\n%s\nthe scan gives\n%s", round, urls, got, wantText)
		}
	}
}

// scanStores is addStores as it was before its indexes: every object and
// key of the plan scanned for each job.
func scanStores(b *builder, f *access.Facts, urls []string) {
	j := f.Job
	names := map[string]bool{}
	for _, u := range urls {
		names[bucketOf(u)] = true
	}
	keyIDs := map[string]bool{}
	if j.SecurityConfiguration != nil && j.SecurityConfiguration.S3KMSKeyARN.Known {
		keyIDs[j.SecurityConfiguration.S3KMSKeyARN.V] = true
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		if bk := b.bucket(n); bk != nil {
			f.Buckets = append(f.Buckets, *bk)
			if bk.SSEKMSKeyID.Known && bk.SSEKMSKeyID.V != "" {
				keyIDs[bk.SSEKMSKeyID.V] = true
			}
		}
	}
	for _, o := range b.objects {
		if names[o.Bucket] || o.Unplaced != nil && o.Bucket == "" {
			f.Objects = append(f.Objects, o)
			if o.KMSKeyID.Known && o.KMSKeyID.V != "" {
				keyIDs[o.KMSKeyID.V] = true
			}
		}
	}
	for _, k := range b.keys {
		if keyIDs[k.ARN.V] || keyIDs[k.KeyID] || slices.ContainsFunc(k.Aliases, func(a string) bool { return keyIDs[a] }) {
			f.Keys = append(f.Keys, k)
		}
	}
	sort.Slice(f.Keys, func(i, j int) bool { return f.Keys[i].Address < f.Keys[j].Address })
}
