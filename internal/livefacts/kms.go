package livefacts

import (
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// awsManagedS3 reports whether ref names the AWS managed key aws/s3, which the
// access model handles without key facts.
func awsManagedS3(ref string) bool {
	return ref == "alias/aws/s3" || strings.HasSuffix(ref, ":alias/aws/s3")
}

// keyRefs returns the key references of the job: its security
// configuration's key, and the default keys of the buckets (and objects) it
// uses, sorted and each once.
func keyRefs(f *access.Facts, buckets []string) []string {
	var refs []string
	add := func(v access.Value[string]) {
		if v.Known && awsid.IsKMSKeyRef(v.V) && !awsManagedS3(v.V) {
			refs = append(refs, v.V)
		}
	}
	if sc := f.Job.SecurityConfiguration; sc != nil {
		add(sc.S3KMSKeyARN)
	}
	for _, b := range f.Buckets {
		if slices.Contains(buckets, b.Name) {
			add(b.SSEKMSKeyID)
		}
	}
	for _, o := range f.Objects {
		if slices.Contains(buckets, o.Bucket) {
			add(o.KMSKeyID)
		}
	}
	slices.Sort(refs)
	return slices.Compact(refs)
}

// findKey returns the index of the key ref names, or -1.
func findKey(keys []access.KMSKey, ref string) int {
	return slices.IndexFunc(keys, func(k access.KMSKey) bool {
		return (k.ARN.Known && k.ARN.V == ref) || (k.KeyID != "" && k.KeyID == ref) || slices.Contains(k.Aliases, ref)
	})
}

// keyLabel orders live keys.
func keyLabel(k access.KMSKey) string {
	if k.ARN.Known {
		return k.ARN.V
	}
	return k.Address
}

// keyGaps reports whether a key among the facts (a data source, which shows
// no policy) has a key policy managed outside the plan and a real ARN to ask
// about.
func keyGaps(k *access.KMSKey) bool {
	return policyGap(k.Policy) && k.ARN.Known && awsid.IsKMSKeyRef(k.ARN.V)
}

// liveKey builds a key that is not among the facts from its lookup.
func liveKey(n *notes, lf awslive.KeyFacts) access.KMSKey {
	k := access.KMSKey{}
	if strings.Contains(lf.Ref, "alias/") {
		k.Aliases = []string{lf.Ref}
	}
	md, ok := lf.Metadata.Get()
	switch {
	case ok:
		k.ARN = known(md.ARN, lf.Metadata)
		k.KeyID = md.KeyID
		k.Account = known(md.Account, lf.Metadata)
		k.Enabled = known(md.Enabled, lf.Metadata)
		k.AWSManagedS3 = md.KeyManager == "AWS" && slices.ContainsFunc(k.Aliases, awsManagedS3)
	case strings.Contains(lf.Ref, ":key/"):
		k.ARN = access.Known(lf.Ref, access.Provenance{Note: "key reference"})
		k.KeyID = lf.Ref[strings.LastIndexByte(lf.Ref, '/')+1:]
		k.Account = unknownFrom[string](n, lf.Metadata)
		k.Enabled = unknownFrom[bool](n, lf.Metadata)
	default:
		// An alias that did not resolve: the key's ARN is not known.
		k.Address = lf.Ref
		k.ARN = unknownFrom[string](n, lf.Metadata)
		k.Account = unknownFrom[string](n, lf.Metadata)
		k.Enabled = unknownFrom[bool](n, lf.Metadata)
	}
	if lf.Metadata.Status == awslive.NotFound {
		k.ARN = access.Unknown[string](access.Provenance{Note: "no such KMS key " + lf.Ref + " (" + lf.Metadata.Source + ")"})
	}
	fillKeyPolicy(n, &k, lf)
	return k
}

// fillKeyPolicy sets the key policy and adds the grants from lf. Grants that
// could not be listed make the key policy layer unknown too: a grant might
// allow what the policy does not.
func fillKeyPolicy(n *notes, k *access.KMSKey, lf awslive.KeyFacts) {
	// The key may share its grants with other jobs' facts: append to a copy.
	k.Grants = slices.Clone(k.Grants)
	switch lf.Policy.Status {
	case awslive.Found:
		k.Policy = &access.PolicyDoc{Label: lf.Policy.Source, JSON: lf.Policy.Value, Known: true, From: access.Provenance{Note: lf.Policy.Source}}
	default:
		k.Policy = &access.PolicyDoc{Label: "key policy of " + lf.Ref, From: reason(n, lf.Policy)}
	}
	grants, ok := lf.Grants.Get()
	if !ok {
		if k.Policy.Known {
			k.Policy = &access.PolicyDoc{Label: "key policy and grants of " + lf.Ref, From: reason(n, lf.Grants)}
		}
		return
	}
	for _, g := range grants {
		if g.GranteePrincipal == "" {
			continue // a grant to a service principal only
		}
		k.Grants = append(k.Grants, access.KMSGrant{
			Label:            "grant " + g.GrantID + " (" + lf.Grants.Source + ")",
			GranteePrincipal: known(g.GranteePrincipal, lf.Grants),
			Operations:       g.Operations,
			ContextEquals:    g.EncryptionContextEquals,
			ContextSubset:    g.EncryptionContextSubset,
		})
	}
}
