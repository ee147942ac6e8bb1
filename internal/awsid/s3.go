package awsid

import (
	"errors"
	"strings"
)

// The URL schemes Glue and the Hadoop file systems it runs resolve to Amazon
// S3: s3:// (EMRFS in Glue), s3a:// (Hadoop S3A) and s3n:// (the older Hadoop
// native client). See "Troubleshooting errors in AWS Glue" for s3a:// paths:
// https://docs.aws.amazon.com/glue/latest/dg/glue-troubleshooting-errors.html
var s3Schemes = [...]string{"s3://", "s3a://", "s3n://"}

// CutS3Scheme removes a leading S3 URL scheme from s and returns the rest and
// the scheme, lower case ("s3", "s3a" or "s3n"). The scheme is matched without
// regard to case: URI schemes are case-insensitive (RFC 3986, section 3.1:
// https://www.rfc-editor.org/rfc/rfc3986#section-3.1), AWS's own S3 user guide
// writes the S3 URI as "S3://bucket-name/key-name" ("Methods for accessing a
// bucket": https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-bucket-intro.html),
// and the AWS SDKs compare the scheme case-insensitively. Reading "S3://b/x"
// as an S3 location is also the safe choice here: its access is then checked
// rather than passed over.
func CutS3Scheme(s string) (rest, scheme string, ok bool) {
	for _, sc := range s3Schemes {
		if len(s) >= len(sc) && strings.EqualFold(s[:len(sc)], sc) {
			return s[len(sc):], sc[:len(sc)-len("://")], true
		}
	}
	return s, "", false
}

// HasS3Scheme reports whether s starts with an S3 URL scheme (CutS3Scheme).
func HasS3Scheme(s string) bool {
	_, _, ok := CutS3Scheme(s)
	return ok
}

// MayStartS3URL reports whether text known to start a value may start an S3
// URL: it starts with a scheme, or is the start of one ("s3", "S3:/").
func MayStartS3URL(prefix string) bool {
	if HasS3Scheme(prefix) {
		return true
	}
	for _, sc := range s3Schemes {
		if len(prefix) <= len(sc) && strings.EqualFold(sc[:len(prefix)], prefix) {
			return true
		}
	}
	return false
}

// IndexS3URL returns the index of the first S3 URL scheme in s, or -1.
func IndexS3URL(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == 's' || s[i] == 'S') && s[i+1] == '3' && HasS3Scheme(s[i:]) {
			return i
		}
	}
	return -1
}

// S3URL is an S3 location: a bucket and a key, or a key prefix.
type S3URL struct {
	Scheme string // "s3", "s3a" or "s3n", lower case
	Bucket string
	Key    string // without the leading "/"; may be empty (the whole bucket)
}

// The errors of ParseS3URL: text without an S3 scheme, and a URL without a bucket.
var (
	ErrNotS3URL = errors.New("not an s3://, s3a:// or s3n:// URL with a bucket")
	ErrNoBucket = errors.New("empty bucket name")
)

// ParseS3URL splits an s3://, s3a:// or s3n:// URL into its bucket and key:
// the bucket is the text up to the first "/", the key all after it. The
// bucket must not be empty; whether it is a valid bucket name is for the
// caller to ask (IsBucketName), since a URL may hold a placeholder.
func ParseS3URL(s string) (S3URL, error) {
	rest, scheme, ok := CutS3Scheme(s)
	if !ok || rest == "" {
		return S3URL{}, ErrNotS3URL
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return S3URL{}, ErrNoBucket
	}
	return S3URL{Scheme: scheme, Bucket: bucket, Key: key}, nil
}

// IsPrefix reports whether the URL names a prefix (the bucket, or a key that
// ends in "/") rather than one object.
func (u S3URL) IsPrefix() bool { return u.Key == "" || strings.HasSuffix(u.Key, "/") }

// String writes the URL with its scheme in lower case.
func (u S3URL) String() string { return u.Scheme + "://" + u.Bucket + "/" + u.Key }

// BucketARN is the ARN of an S3 bucket: arn:partition:s3:::bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html
func BucketARN(partition, bucket string) string { return "arn:" + partition + ":s3:::" + bucket }

// ObjectARN is the ARN of an S3 object, or with a key ending in "*" of the
// objects under a prefix: arn:partition:s3:::bucket/key.
func ObjectARN(partition, bucket, key string) string {
	return "arn:" + partition + ":s3:::" + bucket + "/" + key
}

// S3ARN is an S3 bucket ARN (arn:partition:s3:::bucket) or object ARN
// (arn:partition:s3:::bucket/key, the key possibly a pattern).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html
type S3ARN struct {
	Partition, Bucket, Key string
	// Object is true for an object ARN: a "/" follows the bucket.
	Object bool
}

// ParseS3ARN splits an S3 bucket or object ARN. Other S3 ARNs (access
// points, jobs: they name a Region and an account) are not bucket or object
// ARNs and report false.
func ParseS3ARN(s string) (S3ARN, bool) {
	a, ok := ParseARN(s)
	if !ok || a.Service != "s3" || a.Region != "" || a.Account != "" || a.Resource == "" {
		return S3ARN{}, false
	}
	b, key, object := strings.Cut(a.Resource, "/")
	return S3ARN{Partition: a.Partition, Bucket: b, Key: key, Object: object}, true
}

// S3ARNBucket returns the bucket an S3 bucket or object ARN names.
func S3ARNBucket(s string) (string, bool) {
	a, ok := ParseS3ARN(s)
	return a.Bucket, ok
}

// IsBucketName reports whether s follows S3's naming rule for general
// purpose buckets: 3 to 63 lowercase letters, digits, dots and hyphens,
// starting and ending with a letter or digit, with no two adjacent dots.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func IsBucketName(s string) bool {
	if len(s) < 3 || len(s) > 63 || !isLowerDigit(s[0]) || !isLowerDigit(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerDigit(c) && c != '.' && c != '-' {
			return false
		}
	}
	return !strings.Contains(s, "..")
}

func isLowerDigit(c byte) bool { return isLower(c) || '0' <= c && c <= '9' }
