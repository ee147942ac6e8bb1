package awsid

import (
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the identifiers were checked with before this
// package existed: oracles for the hand-written checks, which must agree
// with them on every input (TestOracles and the fuzz targets).
var oracles = map[string]struct {
	re *regexp.Regexp
	fn func(string) bool
}{
	"partition": {regexp.MustCompile(`^aws(-[a-z]+)*$`), IsPartition},
	"account":   {regexp.MustCompile(`^[0-9]{12}$`), IsAccountID},
	// The former pattern began with [a-z]{2}, which refused the European
	// Sovereign Cloud's eusc-de-east-1.
	"region": {regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]+$`), IsRegionName},
	"org":    {regexp.MustCompile(`^o-[a-z0-9]{10,32}$`), IsOrganizationID},
	"root":   {regexp.MustCompile(`^r-[0-9a-z]{4,32}$`), IsRootID},
	"ou":     {regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`), IsOUID},
	"keyres": {regexp.MustCompile(`^(key/[A-Za-z0-9-]{1,128}|alias/[A-Za-z0-9/_-]{1,250})$`), IsKMSKeyResource},
	"keyref": {regexp.MustCompile(`^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/(mrk-)?[0-9a-f-]{32,36}|alias/[A-Za-z0-9/_-]+)|(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(mrk-)[0-9a-f]{32}|alias/[A-Za-z0-9/_-]+)$`),
		IsKMSKeyRef},
	// The former check was this pattern and no "..".
	"bucket": {regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`), func(s string) bool { return IsBucketName(s) || strings.Contains(s, "..") && bucketNoDots(s) }},
}

// bucketNoDots is IsBucketName with every "." taken for "-": the pattern
// alone, without the adjacent-dots rule.
func bucketNoDots(s string) bool { return IsBucketName(strings.ReplaceAll(s, ".", "-")) }

// arnAccountRE is the pattern ParseAccountARN replaced (validator's accountFromARN).
var arnAccountRE = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*):[a-z0-9-]+:[a-z0-9-]*:(\d{12}):`)

// idSeeds are inputs near the edges of every shape.
var idSeeds = []string{
	"", "aws", "aws-cn", "aws-us-gov", "aws-iso-b", "aws-", "aws--cn", "awsx", "AWS", "aws-CN",
	"123456789012", "12345678901", "1234567890123", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢", "123456789012\n",
	"eu-west-1", "us-gov-east-1", "ap-southeast-5", "eusc-de-east-1", "eusce-de-east-1", "eu-1", "eu-west-", "eu-west-1a", "EU-west-1", "e-west-1", "eu-west1", "eu--west-1", "eu-west-01",
	"o-abcdefghij", "o-abcdefghi", "o-" + strings.Repeat("a", 32), "o-" + strings.Repeat("a", 33), "o-ABCDEFGHIJ",
	"r-ab12", "r-ab1", "r-" + strings.Repeat("z", 32), "r-" + strings.Repeat("z", 33),
	"ou-ab12-abcdefgh", "ou-ab12-abcdefg", "ou-ab1-abcdefgh", "ou-ab12-abcdefgh-", "ou-ab12abcdefgh", "ou--abcdefgh",
	"key/1234abcd-12ab-34cd-56ef-1234567890ab", "key/", "key/" + strings.Repeat("a", 129), "alias/my/key_1", "alias/", "alias/a b",
	"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab", "mrk-1234abcd-12ab-34cd-56ef-1234567890ab", "1234ABCD-12ab-34cd-56ef-1234567890ab",
	"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"arn:aws:kms:eu-west-1:111122223333:alias/etl", "arn:aws-cn:kms:cn-north-1:111122223333:alias/etl", "arn:aws:kms::111122223333:alias/etl", "arn:aws:kms:eu-west-1:1111222233:alias/etl",
	"arn:aws:kms:eu-west-1:111122223333:key/1234abcd", "arn:aws:s3:eu-west-1:111122223333:alias/etl",
	"arn:aws:kms:eu-west-1:111122223333:key/1234abcd12ab34cd56ef1234567890a", "arn:aws:kms:eu-west-1:111122223333:key/" + strings.Repeat("a", 37),
	"arn:aws:iam::111122223333:role/r", "arn:AWS-x:s3:eu-west-1:111122223333:", "arn:aws:kms:${var.region}:111122223333:key/k", "arn:aws::eu-west-1:111122223333:x", "arn:aws:iam::11112222333:root",
	"abc", "ab", "a.b", "a..b", "a...b", "my-bucket", "-bucket", "bucket-", "Bucket", strings.Repeat("a", 63), strings.Repeat("a", 64), "192.168.5.4",
}

func TestOracles(t *testing.T) {
	for _, s := range idSeeds {
		a, ok := ParseAccountARN(s)
		if m := arnAccountRE.FindStringSubmatch(s); ok != (m != nil) || ok && (a.Partition != m[1] || a.Account != m[2]) {
			t.Errorf("ParseAccountARN(%q) = %+v, %v; the former pattern finds %q", s, a, ok, m)
		}
	}
	for name, o := range oracles {
		for _, s := range idSeeds {
			if got, want := o.fn(s), o.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, the former pattern %s says %v", name, s, got, o.re, want)
			}
		}
	}
}

// FuzzIdentifiers checks every hand-written identifier shape against the
// regular expression it replaced.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range idSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, o := range oracles {
			if got, want := o.fn(s), o.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, the former pattern %s says %v", name, s, got, o.re, want)
			}
		}
		a, ok := ParseAccountARN(s)
		if m := arnAccountRE.FindStringSubmatch(s); ok != (m != nil) || ok && (a.Partition != m[1] || a.Account != m[2]) {
			t.Errorf("ParseAccountARN(%q) = %+v, %v; the former pattern finds %q", s, a, ok, m)
		}
		// A bucket name never holds two adjacent dots (the regex alone allows them).
		if IsBucketName(s) && strings.Contains(s, "..") {
			t.Errorf("IsBucketName(%q) accepts adjacent dots", s)
		}
	})
}

func TestParseARN(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:iam::111122223333:role/etl/glue-job", ARN{"aws", "iam", "", "111122223333", "role/etl/glue-job"}, true},
		{"arn:aws:s3:::bucket/key:with:colons", ARN{"aws", "s3", "", "", "bucket/key:with:colons"}, true},
		{"arn:aws-cn:kms:cn-north-1:111122223333:key/k", ARN{"aws-cn", "kms", "cn-north-1", "111122223333", "key/k"}, true},
		{"arn:::::", ARN{}, true},
		{"arn:aws:s3::", ARN{}, false},
		{"ARN:aws:s3:::b", ARN{}, false},
		{"urn:aws:s3:::b", ARN{}, false},
		{"", ARN{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseARN(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseARN(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.String() != tt.in {
			t.Errorf("ParseARN(%q).String() = %q", tt.in, got.String())
		}
	}
	if got := AccountOfARN("arn:aws:iam::111122223333:root"); got != "111122223333" {
		t.Errorf("AccountOfARN = %q", got)
	}
	if got := AccountOfARN("111122223333"); got != "" {
		t.Errorf("AccountOfARN of a bare id = %q, want empty", got)
	}
}

// FuzzParseARN: an ARN parses into the six fields strings.SplitN finds, and
// writes back to the same text.
func FuzzParseARN(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b/k", "arn:aws:iam::111122223333:role/r", "arn:a:b:c:d:e:f:g", "arn:", "arn:::::", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := ParseARN(s)
		p := strings.SplitN(s, ":", 6)
		want := len(p) == 6 && p[0] == "arn"
		if ok != want {
			t.Fatalf("ParseARN(%q) ok = %v, SplitN says %v", s, ok, want)
		}
		if !ok {
			return
		}
		if (a != ARN{p[1], p[2], p[3], p[4], p[5]}) || a.String() != s || AccountOfARN(s) != p[4] {
			t.Fatalf("ParseARN(%q) = %+v, SplitN gives %q", s, a, p)
		}
	})
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		in     string
		want   S3URL
		prefix bool
		err    bool
	}{
		{in: "s3://data/x.py", want: S3URL{"s3", "data", "x.py"}},
		{in: "S3://data/x.py", want: S3URL{"s3", "data", "x.py"}},
		{in: "s3A://data/in/", want: S3URL{"s3a", "data", "in/"}, prefix: true},
		{in: "s3n://data", want: S3URL{"s3n", "data", ""}, prefix: true},
		{in: "s3://data/", want: S3URL{"s3", "data", ""}, prefix: true},
		{in: "s3://", err: true},
		{in: "s3:///key", err: true},
		{in: "s3a://", err: true},
		{in: "s4://data/x", err: true},
		{in: "https://data.s3.amazonaws.com/x", err: true},
		{in: " s3://data/x", err: true},
		{in: "data/x", err: true},
	}
	for _, tt := range tests {
		got, err := ParseS3URL(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseS3URL(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.err)
			continue
		}
		if err == nil && got.IsPrefix() != tt.prefix {
			t.Errorf("ParseS3URL(%q).IsPrefix() = %v", tt.in, got.IsPrefix())
		}
	}
	if got := BucketARN("aws-cn", "b"); got != "arn:aws-cn:s3:::b" {
		t.Errorf("BucketARN = %q", got)
	}
	if got := ObjectARN("aws", "b", "in/*"); got != "arn:aws:s3:::b/in/*" {
		t.Errorf("ObjectARN = %q", got)
	}
	for in, want := range map[string]string{"arn:aws:s3:::b/k/x": "b", "arn:aws:s3:::b": "b", "arn:aws:kms:eu-west-1:111122223333:key/b": "", "b": "",
		"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap": "", "arn:aws:s3:::": ""} {
		if got, ok := S3ARNBucket(in); got != want || ok != (want != "") {
			t.Errorf("S3ARNBucket(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestParseS3ARN(t *testing.T) {
	for in, want := range map[string]S3ARN{
		"arn:aws:s3:::b":           {Partition: "aws", Bucket: "b"},
		"arn:aws-cn:s3:::b/":       {Partition: "aws-cn", Bucket: "b", Object: true},
		"arn:aws:s3:::b/k/*":       {Partition: "aws", Bucket: "b", Key: "k/*", Object: true},
		"arn:aws:s3:::b/arn:aws:x": {Partition: "aws", Bucket: "b", Key: "arn:aws:x", Object: true},
	} {
		if got, ok := ParseS3ARN(in); got != want || !ok {
			t.Errorf("ParseS3ARN(%q) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "b", "s3://b/k", "arn:aws:s3:::", "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/k",
		"arn:aws:glue:eu-west-1:111122223333:table/db/t", "arn:aws:s3:eu-west-1::b"} {
		if got, ok := ParseS3ARN(in); ok {
			t.Errorf("ParseS3ARN(%q) = %+v, want no S3 bucket or object ARN", in, got)
		}
	}
}

func TestS3Scheme(t *testing.T) {
	for in, want := range map[string]bool{"s": true, "S3": true, "s3:": true, "S3A:/": true, "s3n://": true, "s3://b/": true, "": true, "s4": false, "s3b": false, "x": false, "s3:/x": false} {
		if got := MayStartS3URL(in); got != want {
			t.Errorf("MayStartS3URL(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]int{"--x S3://b/k": 4, "s3 s3a://b": 3, "s3": -1, "ss3://b": 1, "S3N://b": 0, "none": -1} {
		if got := IndexS3URL(in); got != want {
			t.Errorf("IndexS3URL(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzParseS3URL: a URL parses exactly when it starts with an S3 scheme (in
// any case) followed by a bucket; the bucket and key put back after the
// scheme give the text again.
func FuzzParseS3URL(f *testing.F) {
	for _, s := range []string{"s3://b/k", "S3A://b/", "s3n://b", "s3://", "s3:///k", "http://b/k", "s3://b//k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseS3URL(s)
		rest, scheme, ok := CutS3Scheme(s)
		if ok != HasS3Scheme(s) || ok && IndexS3URL(s) != 0 || ok && !MayStartS3URL(s) {
			t.Fatalf("scheme checks disagree on %q", s)
		}
		wantErr := map[bool]error{true: ErrNotS3URL, false: ErrNoBucket}[!ok || rest == ""]
		if ok && rest != "" && rest[0] != '/' {
			wantErr = nil
		}
		if err != wantErr {
			t.Fatalf("ParseS3URL(%q) error %v; want %v", s, err, wantErr)
		}
		if err != nil {
			return
		}
		if u.Scheme != scheme || strings.Contains(u.Bucket, "/") || u.Bucket == "" {
			t.Fatalf("ParseS3URL(%q) = %+v", s, u)
		}
		back := s[:len(s)-len(rest)] + u.Bucket
		if strings.Contains(rest, "/") {
			back += "/" + u.Key
		}
		if back != s || !strings.EqualFold(u.String(), s+map[bool]string{true: "/"}[!strings.Contains(rest, "/")]) {
			t.Fatalf("ParseS3URL(%q) = %+v does not write back", s, u)
		}
		if u.IsPrefix() != (u.Key == "" || strings.HasSuffix(u.Key, "/")) {
			t.Fatalf("IsPrefix(%q) = %v", s, u.IsPrefix())
		}
	})
}

func TestKMS(t *testing.T) {
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	alias := "arn:aws:kms:eu-west-1:111122223333:alias/etl"
	tests := []struct {
		in             string
		key, withAlias bool
		region         string
	}{
		{key, true, true, "eu-west-1"},
		{alias, false, true, "eu-west-1"},
		{"arn:aws:kms:${region}:111122223333:key/k", false, false, ""},
		{"arn:aws-eusc:kms:eusc-de-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", true, true, "eusc-de-east-1"},
		{"arn:aws:kms:eu-west-1:1111:key/k", false, false, "eu-west-1"},
		{"arn:aws:s3:eu-west-1:111122223333:key/k", false, false, ""},
		{"arn:AWS:kms:eu-west-1:111122223333:key/k", false, false, "eu-west-1"},
		{"1234abcd-12ab-34cd-56ef-1234567890ab", false, false, ""},
	}
	for _, tt := range tests {
		if got := IsKMSKeyARN(tt.in, false); got != tt.key {
			t.Errorf("IsKMSKeyARN(%q, false) = %v", tt.in, got)
		}
		if got := IsKMSKeyARN(tt.in, true); got != tt.withAlias {
			t.Errorf("IsKMSKeyARN(%q, true) = %v", tt.in, got)
		}
		if got, ok := KMSKeyRegion(tt.in); got != tt.region || ok != (tt.region != "") {
			t.Errorf("KMSKeyRegion(%q) = %q, %v", tt.in, got, ok)
		}
	}
}
