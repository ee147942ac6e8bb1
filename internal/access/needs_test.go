package access

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseS3URL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		dir     bool
		want    s3URL
		wantErr string
	}{
		{name: "object key", raw: "s3://b/jobs/etl.py", want: s3URL{Raw: "s3://b/jobs/etl.py", Bucket: "b", Key: "jobs/etl.py"}},
		{name: "trailing slash is a prefix", raw: "s3://b/lib/", want: s3URL{Raw: "s3://b/lib/", Bucket: "b", Key: "lib/", Prefix: true}},
		{name: "directory parameter without slash becomes a prefix", raw: "s3://b/tmp", dir: true, want: s3URL{Raw: "s3://b/tmp", Bucket: "b", Key: "tmp/", Prefix: true}},
		{name: "bucket only is the whole bucket", raw: "s3://b", want: s3URL{Raw: "s3://b", Bucket: "b", Prefix: true}},
		{name: "s3a scheme", raw: "s3a://b/x/y", want: s3URL{Raw: "s3a://b/x/y", Bucket: "b", Key: "x/y"}},
		{name: "s3n scheme, upper case, spaces trimmed", raw: "  S3N://b/k ", want: s3URL{Raw: "S3N://b/k", Bucket: "b", Key: "k"}},
		{name: "not an S3 URL", raw: "https://b.s3.amazonaws.com/k", wantErr: "not an s3://"},
		{name: "empty bucket", raw: "s3:///k", wantErr: "empty bucket"},
		{name: "scheme only", raw: "s3://", wantErr: "not an s3://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseS3URL(tt.raw, tt.dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParseConf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{name: "one property", in: "spark.a=1", want: map[string]string{"spark.a": "1"}},
		{name: "chained properties", in: "spark.a=1 --conf spark.b=x=y --conf  spark.c = 3 ",
			want: map[string]string{"spark.a": "1", "spark.b": "x=y", "spark.c": "3"}},
		{name: "later duplicates win", in: "k=1 --conf k=2", want: map[string]string{"k": "2"}},
		{name: "pieces without = are ignored", in: "junk --conf k=v", want: map[string]string{"k": "v"}},
		{name: "empty", in: "", want: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := parseConf(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEffectiveArgsOverlay(t *testing.T) {
	t.Parallel()
	j := &Job{
		DefaultArguments:        Known(map[string]string{"--TempDir": "s3://a/", "--conf": "spark.x=1"}, Provenance{Address: "aws_glue_job.j", Attribute: "default_arguments"}),
		NonOverridableArguments: Known(map[string]string{"--TempDir": "s3://b/", "--conf spark.y": "2"}, Provenance{Address: "aws_glue_job.j", Attribute: "non_overridable_arguments"}),
	}
	a := effectiveArgs(j)
	if got := a.Args["--TempDir"]; got.Value != "s3://b/" || got.From.Attribute != "non_overridable_arguments" {
		t.Fatalf("non-overridable must win with its provenance, got %+v", got)
	}
	if a.Conf["spark.x"].Value != "1" || a.Conf["spark.y"].Value != "2" {
		t.Fatalf("want both --conf forms parsed, got %+v", a.Conf)
	}
	j.DefaultArguments = Unknown[map[string]string](Provenance{Address: "aws_glue_job.j", Attribute: "default_arguments"})
	if effectiveArgs(j).Known {
		t.Fatal("an unknown argument map must make the arguments unknown")
	}
}

// needsOf returns "intent action resource" lines of a job's S3 needs.
func needsOf(t *testing.T, f *Facts) []string {
	t.Helper()
	a := effectiveArgs(&f.Job)
	locs, _, _ := locations(f, a)
	var out []string
	for _, n := range s3Needs("aws", locs, false) {
		if n.Required {
			out = append(out, n.Intent+" "+n.Action+" "+n.Resource)
		}
	}
	return out
}

func TestLocationsFromArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args map[string]string
		want []string // required needs besides the script's
	}{
		{name: "extra py files and jars are objects", args: map[string]string{"--extra-py-files": "s3://lib/a.py, s3://lib/b.zip", "--extra-jars": "s3://lib/x.jar"},
			want: []string{"library-read s3:GetObject arn:aws:s3:::lib/a.py", "library-read s3:GetObject arn:aws:s3:::lib/b.zip", "library-read s3:GetObject arn:aws:s3:::lib/x.jar"}},
		{name: "an extra-files directory needs listing", args: map[string]string{"--extra-files": "s3://lib/conf/"},
			want: []string{"library-read s3:ListBucket arn:aws:s3:::lib", "library-read s3:GetObject arn:aws:s3:::lib/conf/*"}},
		{name: "only s3 entries of additional python modules", args: map[string]string{"--additional-python-modules": "boto3==1.0,s3://whl/pkg.whl"},
			want: []string{"library-read s3:GetObject arn:aws:s3:::whl/pkg.whl"}},
		{name: "spark ui logs need the path and the flag", args: map[string]string{"--enable-spark-ui": "TRUE", "--spark-event-logs-path": "s3://logs/spark"},
			want: []string{"log-write s3:PutObject arn:aws:s3:::logs/spark/*"}},
		{name: "spark ui path without the flag is not used", args: map[string]string{"--spark-event-logs-path": "s3://logs/spark"}},
		{name: "shuffle to s3 under TempDir", args: map[string]string{"--TempDir": "s3://t/tmp", "--write-shuffle-files-to-s3": "true"},
			want: []string{
				"temp s3:ListBucket arn:aws:s3:::t", "temp s3:ListBucket arn:aws:s3:::t",
				"temp s3:DeleteObject arn:aws:s3:::t/tmp/*", "temp s3:GetObject arn:aws:s3:::t/tmp/*", "temp s3:PutObject arn:aws:s3:::t/tmp/*",
				"temp s3:DeleteObject arn:aws:s3:::t/tmp/shuffle-data/*", "temp s3:GetObject arn:aws:s3:::t/tmp/shuffle-data/*", "temp s3:PutObject arn:aws:s3:::t/tmp/shuffle-data/*"}},
		{name: "iceberg warehouse from --conf is read and written", args: map[string]string{"--conf": "spark.sql.catalog.glue.warehouse=s3://wh/iceberg"},
			want: []string{
				"data-read s3:ListBucket arn:aws:s3:::wh", "data-write s3:ListBucket arn:aws:s3:::wh",
				"data-write s3:DeleteObject arn:aws:s3:::wh/iceberg/*", "data-read s3:GetObject arn:aws:s3:::wh/iceberg/*", "data-write s3:PutObject arn:aws:s3:::wh/iceberg/*"}},
		{name: "scriptLocation overrides the command's script", args: map[string]string{"--scriptLocation": "s3://other/s.py"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &Facts{Job: Job{Address: "aws_glue_job.j", ScriptLocation: Known("s3://scripts/s.py", Provenance{Address: "aws_glue_job.j"}),
				DefaultArguments: Known(tt.args, Provenance{Address: "aws_glue_job.j", Attribute: "default_arguments"})}}
			script := "library-read s3:GetObject arn:aws:s3:::scripts/s.py"
			if _, ok := tt.args["--scriptLocation"]; ok {
				script = "library-read s3:GetObject arn:aws:s3:::other/s.py"
			}
			want := append([]string{script}, tt.want...)
			got := needsOf(t, f)
			if !sameSet(got, want) {
				t.Fatalf("got %q\nwant %q", got, want)
			}
		})
	}
}

// sameSet compares two lists ignoring order and duplicates.
func sameSet(a, b []string) bool {
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	n := map[string]bool{}
	for _, s := range b {
		if !m[s] {
			return false
		}
		n[s] = true
	}
	return len(m) == len(n)
}

func TestDeclaredAccessAndConnections(t *testing.T) {
	t.Parallel()
	f := with(access("s3://raw/orders/", ModeReadWrite), access("s3://raw/x", "sideways"), func(f *Facts) {
		f.Job.Connections = []Connection{{Name: "jdbc", Found: true, SubnetID: fact("", "aws_glue_connection.jdbc"),
			S3Properties: map[string]string{"JDBC_DRIVER_JAR_URI": "s3://drivers/pg.jar"}}}
	})
	got := needsOf(t, f)
	for _, w := range []string{"data-read s3:GetObject arn:aws:s3:::raw/orders/*", "data-write s3:DeleteObject arn:aws:s3:::raw/orders/*",
		"library-read s3:GetObject arn:aws:s3:::drivers/pg.jar"} {
		if !sameSet(append(got, w), got) {
			t.Fatalf("missing %q in %q", w, got)
		}
	}
	rep := Check(f, Options{})
	var badMode bool
	for _, fd := range rep.Findings {
		badMode = badMode || fd.Reason == ReasonLocationUnknown && strings.Contains(fd.Missing[0].How, "readwrite")
	}
	if !badMode {
		t.Fatalf("an invalid declared mode must be a location-unknown finding: %s", dump(rep.Findings))
	}
}

func TestUnresolvedLocationsAreUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  mod
		fact string
	}{
		{name: "spark ui without a path", mod: setArg("--enable-spark-ui", "true"), fact: "Spark UI event log location"},
		{name: "a script location unknown until apply", mod: func(f *Facts) {
			f.Job.ScriptLocation = Unknown[string](Provenance{Address: "aws_glue_job.etl", Attribute: "command.script_location"})
		}, fact: "script location"},
		{name: "a malformed TempDir", mod: setArg("--TempDir", "tmp-bucket/glue"), fact: "tmp-bucket/glue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(with(tt.mod), Options{})
			got := findingOf(rep, GA001)
			if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonLocationUnknown || got.Missing[0].Fact != tt.fact {
				t.Fatalf("want GA001 unknown location-unknown about %q, got %s", tt.fact, dump(rep.Findings))
			}
		})
	}
}

func TestActionsForWritesWithACL(t *testing.T) {
	t.Parallel()
	var req []string
	for _, a := range actionsFor(OriginWrite, true, true) {
		if a.Required {
			req = append(req, a.Name)
		}
	}
	want := []string{"s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:PutObjectAcl"}
	if !reflect.DeepEqual(req, want) {
		t.Fatalf("got %v, want %v", req, want)
	}
	for _, a := range actionsFor(OriginDataRead, true, true) {
		if a.Name == actPutObjectACL {
			t.Fatal("reads never need s3:PutObjectAcl")
		}
	}
}

func TestNotesForCandidatesAndCaseMismatch(t *testing.T) {
	t.Parallel()
	rep := Check(with(setArg("--source_path", "s3://raw/in/"), setArg("--tempdir", "s3://x/")), Options{})
	joined := strings.Join(rep.Notes, "\n")
	for _, w := range []string{"--source_path names S3 location", "--tempdir differs from the special parameter --TempDir"} {
		if !strings.Contains(joined, w) {
			t.Fatalf("notes lack %q: %s", w, joined)
		}
	}
}

// TestS3SchemeAnyCase: the checks read an S3 URL whose scheme is in upper or
// mixed case as the validator and the data source do (the same table stands
// in their tests): the job's access to it is checked, never passed over.
func TestS3SchemeAnyCase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, bucket, key string }{
		{"S3://data-lake/jobs/x.py", "data-lake", "jobs/x.py"},
		{"s3A://data-lake/in/", "data-lake", "in/"},
		{"S3N://data-lake", "data-lake", ""},
	} {
		got, err := parseS3URL(tc.in, false)
		if err != nil || got.Bucket != tc.bucket || got.Key != tc.key || !isS3URL(tc.in) || !maybeS3URL(tc.in[:3]) {
			t.Errorf("parseS3URL(%q) = %+v, %v; want bucket %q key %q", tc.in, got, err, tc.bucket, tc.key)
		}
	}
}
