package access

// What S3 gives a new general purpose bucket when nothing configures a
// setting. Every source of facts applies these and only these: the validator
// to a bucket its plan creates without the setting's resource, the data
// source to a bucket block that leaves the attribute out, and the checks to a
// bucket CreatedInPlan whose fact was not supplied at all.

// BucketDefault is one setting of a new bucket: its value, since when S3
// applies it, and the AWS page that says so.
type BucketDefault[T any] struct {
	Value T
	// Since is when S3 started applying Value to new buckets ("" when it
	// always has): buckets created before keep what they had, so the default
	// says nothing about a bucket that already exists.
	Since string
	// What says what the default means, for provenance notes and schema
	// descriptions.
	What string
	// Doc is the AWS documentation of the default.
	Doc string
}

// The defaults of a new bucket.
var (
	NewBucketOwnership = BucketDefault[Ownership]{Value: OwnershipBucketOwnerEnforced, Since: "April 2023",
		What: "Object Ownership BucketOwnerEnforced: ACLs disabled, the bucket owner owns every object",
		Doc:  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html"}
	NewBucketPayer = BucketDefault[Payer]{Value: PayerBucketOwner,
		What: "payer BucketOwner: not Requester Pays",
		Doc:  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html"}
	// NewBucketEncryption is SSE-S3. A bucket fact carries it as "": no
	// default encryption configuration, which S3 applies as SSE-S3.
	NewBucketEncryption = BucketDefault[SSEAlgorithm]{Value: "", Since: "January 2023",
		What: "default encryption SSE-S3 (AES256): no KMS key",
		Doc:  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html"}
	// NewBucketBlockPublicAccess holds for each of the four Block Public
	// Access settings.
	NewBucketBlockPublicAccess = BucketDefault[bool]{Value: true, Since: "April 2023",
		What: "Block Public Access: all four settings on",
		Doc:  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"}
)

// Note is the provenance note of a fact taken from the default: "S3 default
// for a new bucket since April 2023: Object Ownership BucketOwnerEnforced
// ...".
func (d BucketDefault[T]) Note() string {
	s := "S3 default for a new bucket"
	if d.Since != "" {
		s += " since " + d.Since
	}
	return s + ": " + d.What
}

// Fact is the default as a known fact; from says which bucket it is the
// default of, its Note is set to the default's.
func (d BucketDefault[T]) Fact(from Provenance) Value[T] {
	from.Note = d.Note()
	return Known(d.Value, from)
}

// NewBucketPublicAccess is Block Public Access as a new bucket has it: all
// four settings on.
func NewBucketPublicAccess(from Provenance) PublicAccessBlock {
	v := NewBucketBlockPublicAccess.Fact(from)
	return PublicAccessBlock{BlockPublicACLs: v, IgnorePublicACLs: v, BlockPublicPolicy: v, RestrictPublicBuckets: v}
}
