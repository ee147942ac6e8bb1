package awslive

import (
	"context"
	"errors"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// BucketFacts are the live settings of one S3 bucket.
type BucketFacts struct {
	Name string
	// Region is where the bucket lives (s3:GetBucketLocation); NotFound
	// means the bucket does not exist, and every other fact is then Unknown.
	Region Fact[string]
	// Policy is the bucket policy JSON; NotFound means the bucket has none.
	Policy Fact[string]
	// ObjectOwnership is BucketOwnerEnforced, BucketOwnerPreferred or
	// ObjectWriter; NotFound means no ownership controls, which S3 treats
	// as ObjectWriter.
	ObjectOwnership Fact[string]
	// RequestPayer is BucketOwner or Requester.
	RequestPayer Fact[string]
	// Encryption is the default encryption; NotFound means none is
	// configured (buckets created since January 2023 always have SSE-S3).
	Encryption Fact[BucketEncryption]
	// PublicAccessBlock is the bucket-level Block Public Access
	// configuration; NotFound means none at bucket level (the account-level
	// setting is not looked up).
	PublicAccessBlock Fact[PublicAccessBlock]
}

// BucketEncryption is a bucket's default encryption rule.
type BucketEncryption struct {
	// SSEAlgorithm is AES256, aws:kms or aws:kms:dsse.
	SSEAlgorithm string
	// KMSKeyID is the configured key (id, ARN or alias); empty with aws:kms
	// means the AWS managed key aws/s3.
	KMSKeyID         string
	BucketKeyEnabled bool
}

// PublicAccessBlock are the four Block Public Access switches of a bucket.
type PublicAccessBlock struct {
	BlockPublicACLs       bool
	IgnorePublicACLs      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// Bucket looks up the settings of bucket name: its Region first, then the
// policy, ownership controls, request payment, default encryption and public
// access block concurrently, each sent to the bucket's Region.
func (l *Lookup) Bucket(ctx context.Context, name string) BucketFacts {
	arn := awsid.BucketARN(l.partition(), name)
	b := BucketFacts{Name: name}
	srcs := [...]string{
		source("s3:GetBucketLocation", arn),
		source("s3:GetBucketPolicy", arn),
		source("s3:GetBucketOwnershipControls", arn),
		source("s3:GetBucketRequestPayment", arn),
		source("s3:GetEncryptionConfiguration", arn),
		source("s3:GetBucketPublicAccessBlock", arn),
	}
	// rest marks every fact after the Region unknown for one reason.
	rest := func(reason string) BucketFacts {
		b.Policy = unknown[string](srcs[1], reason)
		b.ObjectOwnership = unknown[string](srcs[2], reason)
		b.RequestPayer = unknown[string](srcs[3], reason)
		b.Encryption = unknown[BucketEncryption](srcs[4], reason)
		b.PublicAccessBlock = unknown[PublicAccessBlock](srcs[5], reason)
		return b
	}
	switch {
	case !l.Enabled():
		b.Region = unknown[string](srcs[0], OffReason)
		return rest(OffReason)
	case name == "" || strings.ContainsAny(name, "/?#"):
		bad := "not a bucket name: " + quote(name)
		b.Region = unknown[string](srcs[0], bad)
		return rest(bad)
	}

	b.Region = l.bucketRegion(ctx, name, arn, srcs[0])
	if b.Region.Status == NotFound {
		return rest("bucket " + name + " does not exist (s3:GetBucketLocation: NoSuchBucket)")
	}
	// Without a known Region the calls go to the default Region; S3 then
	// answers with a redirect that becomes an Unknown fact.
	in := func(o *s3.Options) {
		if r, ok := b.Region.Get(); ok {
			o.Region = r
		}
	}
	parallel(
		func() { b.Policy = l.bucketPolicy(ctx, name, arn, srcs[1], in) },
		func() { b.ObjectOwnership = l.bucketOwnership(ctx, name, arn, srcs[2], in) },
		func() { b.RequestPayer = l.bucketPayer(ctx, name, arn, srcs[3], in) },
		func() { b.Encryption = l.bucketEncryption(ctx, name, arn, srcs[4], in) },
		func() { b.PublicAccessBlock = l.bucketPublicAccess(ctx, name, arn, srcs[5], in) },
	)
	return b
}

func (l *Lookup) bucketRegion(ctx context.Context, name, arn, src string) Fact[string] {
	out, err := call(ctx, l, "s3:GetBucketLocation\x00"+name, func(ctx context.Context) (*s3.GetBucketLocationOutput, error) {
		return l.s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: &name})
	})
	if err != nil {
		// Sent to the wrong Region, S3 still names the right one.
		if r := bucketRegionHeader(err); r != "" {
			return found(r, src)
		}
		reason, missing := classify(err, "s3:GetBucketLocation", arn, "NoSuchBucket")
		if missing {
			return notFound[string](src)
		}
		return unknown[string](src, reason)
	}
	// Buckets in us-east-1 report an empty constraint, and the oldest
	// eu-west-1 buckets report "EU".
	switch r := string(out.LocationConstraint); r {
	case "":
		return found("us-east-1", src)
	case "EU":
		return found("eu-west-1", src)
	default:
		return found(r, src)
	}
}

// bucketRegionHeader returns the x-amz-bucket-region header of a failed S3
// response (301 PermanentRedirect, 400 AuthorizationHeaderMalformed), if any.
func bucketRegionHeader(err error) string {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil {
		return ""
	}
	return re.Response.Header.Get("X-Amz-Bucket-Region")
}

func (l *Lookup) bucketPolicy(ctx context.Context, name, arn, src string, in func(*s3.Options)) Fact[string] {
	out, err := call(ctx, l, "s3:GetBucketPolicy\x00"+name, func(ctx context.Context) (*s3.GetBucketPolicyOutput, error) {
		return l.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &name}, in)
	})
	if err != nil {
		return failed[string](err, "s3:GetBucketPolicy", arn, src, "NoSuchBucketPolicy")
	}
	if out.Policy == nil || !isJSONObject(*out.Policy) {
		return unknown[string](src, "s3:GetBucketPolicy on "+arn+" returned a malformed policy")
	}
	return found(*out.Policy, src)
}

func (l *Lookup) bucketOwnership(ctx context.Context, name, arn, src string, in func(*s3.Options)) Fact[string] {
	out, err := call(ctx, l, "s3:GetBucketOwnershipControls\x00"+name, func(ctx context.Context) (*s3.GetBucketOwnershipControlsOutput, error) {
		return l.s3.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: &name}, in)
	})
	if err != nil {
		return failed[string](err, "s3:GetBucketOwnershipControls", arn, src, "OwnershipControlsNotFoundError")
	}
	if out.OwnershipControls == nil || len(out.OwnershipControls.Rules) == 0 || out.OwnershipControls.Rules[0].ObjectOwnership == "" {
		return unknown[string](src, "s3:GetBucketOwnershipControls on "+arn+" returned no ownership rule")
	}
	return found(string(out.OwnershipControls.Rules[0].ObjectOwnership), src)
}

func (l *Lookup) bucketPayer(ctx context.Context, name, arn, src string, in func(*s3.Options)) Fact[string] {
	out, err := call(ctx, l, "s3:GetBucketRequestPayment\x00"+name, func(ctx context.Context) (*s3.GetBucketRequestPaymentOutput, error) {
		return l.s3.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: &name}, in)
	})
	if err != nil {
		return failed[string](err, "s3:GetBucketRequestPayment", arn, src)
	}
	switch p := string(out.Payer); p {
	case "BucketOwner", "Requester":
		return found(p, src)
	default:
		return unknown[string](src, "s3:GetBucketRequestPayment on "+arn+" returned an unexpected payer "+quote(p))
	}
}

func (l *Lookup) bucketEncryption(ctx context.Context, name, arn, src string, in func(*s3.Options)) Fact[BucketEncryption] {
	out, err := call(ctx, l, "s3:GetEncryptionConfiguration\x00"+name, func(ctx context.Context) (*s3.GetBucketEncryptionOutput, error) {
		return l.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: &name}, in)
	})
	if err != nil {
		return failed[BucketEncryption](err, "s3:GetEncryptionConfiguration", arn, src, "ServerSideEncryptionConfigurationNotFoundError")
	}
	// S3 allows exactly one rule; it is the bucket's default. No
	// configuration is an error code, never an empty answer.
	if out.ServerSideEncryptionConfiguration == nil || len(out.ServerSideEncryptionConfiguration.Rules) == 0 {
		return unknown[BucketEncryption](src, "s3:GetEncryptionConfiguration on "+arn+" returned no rule")
	}
	rule := out.ServerSideEncryptionConfiguration.Rules[0]
	if rule.ApplyServerSideEncryptionByDefault == nil || rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm == "" {
		return unknown[BucketEncryption](src, "s3:GetEncryptionConfiguration on "+arn+" returned a rule without an algorithm")
	}
	def := rule.ApplyServerSideEncryptionByDefault
	enc := BucketEncryption{SSEAlgorithm: string(def.SSEAlgorithm)}
	if def.KMSMasterKeyID != nil {
		enc.KMSKeyID = *def.KMSMasterKeyID
	}
	if rule.BucketKeyEnabled != nil {
		enc.BucketKeyEnabled = *rule.BucketKeyEnabled
	}
	return found(enc, src)
}

func (l *Lookup) bucketPublicAccess(ctx context.Context, name, arn, src string, in func(*s3.Options)) Fact[PublicAccessBlock] {
	out, err := call(ctx, l, "s3:GetBucketPublicAccessBlock\x00"+name, func(ctx context.Context) (*s3.GetPublicAccessBlockOutput, error) {
		return l.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: &name}, in)
	})
	if err != nil {
		return failed[PublicAccessBlock](err, "s3:GetBucketPublicAccessBlock", arn, src, "NoSuchPublicAccessBlockConfiguration")
	}
	// S3 always returns all four switches; a missing one is not "false".
	c := out.PublicAccessBlockConfiguration
	if c == nil || c.BlockPublicAcls == nil || c.IgnorePublicAcls == nil || c.BlockPublicPolicy == nil || c.RestrictPublicBuckets == nil {
		return unknown[PublicAccessBlock](src, "s3:GetBucketPublicAccessBlock on "+arn+" returned an incomplete configuration")
	}
	return found(PublicAccessBlock{
		BlockPublicACLs:       deref(c.BlockPublicAcls),
		IgnorePublicACLs:      deref(c.IgnorePublicAcls),
		BlockPublicPolicy:     deref(c.BlockPublicPolicy),
		RestrictPublicBuckets: deref(c.RestrictPublicBuckets),
	}, src)
}

// failed turns the error of a call into a NotFound fact when its code is one
// of notFoundCodes, and into an Unknown fact otherwise.
func failed[T any](err error, action, resource, src string, notFoundCodes ...string) Fact[T] {
	reason, missing := classify(err, action, resource, notFoundCodes...)
	if missing {
		return notFound[T](src)
	}
	return unknown[T](src, reason)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
