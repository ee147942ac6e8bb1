package livefacts

import (
	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// bucketGaps reports whether a bucket among the facts lacks a setting the
// plan does not hold.
func bucketGaps(b *access.Bucket) bool {
	return gap(b.Owner) || gap(b.Region) || policyGap(b.Policy) || gap(b.ObjectOwnership) ||
		gap(b.RequestPayer) || gap(b.SSEAlgorithm) || publicAccessGap(b.PublicAccess)
}

// policyGap reports whether a policy exists (or may) but its text is
// managed outside the plan. Nil is "no policy", a fact.
func policyGap(d *access.PolicyDoc) bool {
	return d != nil && !d.Known && d.From.Attribute == ""
}

// publicAccessGap reports whether no Block Public Access setting was supplied.
func publicAccessGap(p access.PublicAccessBlock) bool { return p == access.PublicAccessBlock{} }

// fillBucket fills the bucket's missing settings from lf. all is set for a
// bucket that is not among the facts at all.
func fillBucket(n *notes, b *access.Bucket, lf awslive.BucketFacts, caller awslive.Fact[string], all bool) {
	if all || gap(b.Region) {
		switch lf.Region.Status {
		case awslive.Found:
			b.Region = known(lf.Region.Value, lf.Region)
		case awslive.NotFound:
			b.Region = access.Unknown[string](access.Provenance{Note: "bucket " + b.Name + " does not exist (" + lf.Region.Source + ")"})
		default:
			b.Region = unknownFrom[string](n, lf.Region)
		}
	}
	if all || gap(b.Owner) {
		// GetBucketPolicy answers only identities of the bucket owner's
		// account, so an answer (a policy, or "no policy") places the
		// bucket in the credentials' account.
		acct, ok := caller.Get()
		switch {
		case lf.Policy.Status != awslive.Unknown && ok:
			b.Owner = access.Known(acct, access.Provenance{Note: caller.Source + ", the only account " + lf.Policy.Source + " answers"})
		case lf.Policy.Status == awslive.Unknown:
			b.Owner = unknownFrom[string](n, lf.Policy)
		default:
			b.Owner = unknownFrom[string](n, caller)
		}
	}
	if all || policyGap(b.Policy) {
		switch lf.Policy.Status {
		case awslive.Found:
			b.Policy = &access.PolicyDoc{Label: lf.Policy.Source, JSON: lf.Policy.Value, Known: true, From: access.Provenance{Note: lf.Policy.Source}}
		case awslive.NotFound:
			b.Policy = nil
		default:
			b.Policy = &access.PolicyDoc{Label: "policy of bucket " + b.Name, From: reason(n, lf.Policy)}
		}
	}
	if all || gap(b.ObjectOwnership) {
		switch lf.ObjectOwnership.Status {
		case awslive.Found:
			b.ObjectOwnership = access.Ownerships.Fact(known(lf.ObjectOwnership.Value, lf.ObjectOwnership))
		case awslive.NotFound:
			// No ownership controls: S3 behaves as ObjectWriter.
			b.ObjectOwnership = access.Known(access.OwnershipObjectWriter, access.Provenance{Note: lf.ObjectOwnership.Source + ": no ownership controls"})
		default:
			b.ObjectOwnership = unknownFrom[access.Ownership](n, lf.ObjectOwnership)
		}
	}
	if all || gap(b.RequestPayer) {
		switch lf.RequestPayer.Status {
		case awslive.Found:
			b.RequestPayer = access.Payers.Fact(known(lf.RequestPayer.Value, lf.RequestPayer))
		default:
			// RequestPayer is never not-found: S3 always answers a payer.
			b.RequestPayer = unknownFrom[access.Payer](n, lf.RequestPayer)
		}
	}
	if all || gap(b.SSEAlgorithm) {
		e := lf.Encryption
		switch e.Status {
		case awslive.Found:
			b.SSEAlgorithm = access.SSEAlgorithms.Fact(known(e.Value.SSEAlgorithm, e))
			b.SSEKMSKeyID = known(e.Value.KMSKeyID, e)
			b.BucketKeyEnabled = known(e.Value.BucketKeyEnabled, e)
		case awslive.NotFound:
			from := access.Provenance{Note: e.Source + ": no default encryption (SSE-S3)"}
			b.SSEAlgorithm = access.Known[access.SSEAlgorithm]("", from)
			b.SSEKMSKeyID = access.Known("", from)
			b.BucketKeyEnabled = access.Known(false, from)
		default:
			b.SSEAlgorithm = unknownFrom[access.SSEAlgorithm](n, e)
			b.SSEKMSKeyID = unknownFrom[string](n, e)
			b.BucketKeyEnabled = unknownFrom[bool](n, e)
		}
	}
	if all || publicAccessGap(b.PublicAccess) {
		p := lf.PublicAccessBlock
		switch p.Status {
		case awslive.Found, awslive.NotFound:
			// Not found: nothing is blocked at bucket level.
			b.PublicAccess = access.PublicAccessBlock{
				BlockPublicACLs:       known(p.Value.BlockPublicACLs, p),
				IgnorePublicACLs:      known(p.Value.IgnorePublicACLs, p),
				BlockPublicPolicy:     known(p.Value.BlockPublicPolicy, p),
				RestrictPublicBuckets: known(p.Value.RestrictPublicBuckets, p),
			}
		default:
			u := unknownFrom[bool](n, p)
			b.PublicAccess = access.PublicAccessBlock{BlockPublicACLs: u, IgnorePublicACLs: u, BlockPublicPolicy: u, RestrictPublicBuckets: u}
		}
	}
}
