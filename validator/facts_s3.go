package validator

import (
	"maps"
	"slices"
	"sort"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// bucketSubTypes are the standalone resources that configure one bucket
// through their "bucket" argument.
var bucketSubTypes = []string{
	"aws_s3_bucket_policy",
	"aws_s3_bucket_ownership_controls",
	"aws_s3_bucket_acl",
	"aws_s3_bucket_request_payment_configuration",
	"aws_s3_bucket_server_side_encryption_configuration",
	"aws_s3_bucket_public_access_block",
}

// bucketName returns the bucket a sub-resource configures (its bucket
// argument, or the name of the aws_s3_bucket it references) and the
// referenced bucket resource.
func (b *builder) bucketName(r *planjson.Resource) (string, *planjson.Resource, bool) {
	if v := b.str(r, "bucket"); v.Known && v.V != "" {
		t, _ := b.ix.Reference(r, "bucket")
		return v.V, t.Resource, true
	}
	if t, ok := b.ix.Reference(r, "bucket"); ok && t.Resource.Type == "aws_s3_bucket" {
		if n := b.str(t.Resource, "bucket"); n.Known && n.V != "" {
			return n.V, t.Resource, true
		}
		return "", t.Resource, false
	}
	return "", nil, false
}

// bucketParts are the resources that make up one bucket: its aws_s3_bucket,
// managed or data (nil when only sub-resources configure it), and its
// sub-resources. The parts of every bucket are kept while the jobs are
// checked, so the sub-resources are a slice rather than a map.
type bucketParts struct {
	main *planjson.Resource
	subs []bucketSub
}

// bucketSub is a sub-resource of a bucket with its key: its type, with
// "data." before it for a data source.
type bucketSub struct {
	key string
	r   *planjson.Resource
}

// sub returns the sub-resources by key, nil when there are none.
func (p bucketParts) sub() map[string]*planjson.Resource {
	if p.subs == nil {
		return nil
	}
	m := make(map[string]*planjson.Resource, len(p.subs))
	for _, s := range p.subs {
		m[s.key] = s.r
	}
	return m
}

// indexBuckets finds every bucket the plan shows, keyed by name:
// aws_s3_bucket resources, data aws_s3_bucket, and buckets only configured by
// sub-resources.
func (b *builder) indexBuckets() map[string]bucketParts {
	mains := map[string]*planjson.Resource{}
	for _, mode := range []tfjson.ResourceMode{tfjson.DataResourceMode, tfjson.ManagedResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_s3_bucket") {
			if n := b.str(r, "bucket"); n.Known && n.V != "" {
				mains[n.V] = r
			}
		}
	}
	subs := map[string]map[string]*planjson.Resource{}
	for _, typ := range bucketSubTypes {
		for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
			for _, r := range b.ix.OfType(mode, typ) {
				name, _, ok := b.bucketName(r)
				if !ok {
					continue
				}
				if subs[name] == nil {
					subs[name] = map[string]*planjson.Resource{}
				}
				key := typ
				if mode == tfjson.DataResourceMode {
					key = "data." + typ
				}
				subs[name][key] = r
			}
		}
	}
	out := make(map[string]bucketParts, len(mains))
	for n, r := range mains {
		out[n] = bucketParts{main: r}
	}
	for n, sub := range subs {
		p := out[n]
		p.subs = make([]bucketSub, 0, len(sub))
		for key, r := range sub {
			p.subs = append(p.subs, bucketSub{key, r})
		}
		out[n] = p
	}
	return out
}

// bucket returns the facts of the bucket named name, completed by its
// declarations; nil when neither the plan nor the configuration file shows
// it.
//
// A bucket is built when a job first reads it, not up front, and kept as
// roles are (see reuseCache). The policy of every bucket built is kept for
// linting the plan-wide remainder (bucketPolicies).
func (b *builder) bucket(name string) *access.Bucket {
	return b.bucketCache.get(name, func() *access.Bucket {
		bk := b.buildNamedBucket(name)
		if bk != nil {
			b.policyMu.Lock()
			b.bucketPolicy[name] = bk.Policy
			b.policyMu.Unlock()
		}
		return bk
	})
}

func (b *builder) buildNamedBucket(name string) *access.Bucket {
	var bk *access.Bucket
	if p, ok := b.bucketParts[name]; ok {
		bk = b.buildBucket(name, p.main, p.sub())
	}
	return b.decl.mergeBucket(name, bk)
}

// bucketPolicies returns the policy of every bucket, keyed by name: as it
// was built for a job, or built now for the buckets no job reads. Call it
// once the jobs' facts are built.
func (b *builder) bucketPolicies() map[string]*access.PolicyDoc {
	b.policyMu.Lock()
	defer b.policyMu.Unlock()
	out := make(map[string]*access.PolicyDoc, len(b.bucketParts))
	add := func(name string) {
		if _, done := out[name]; done {
			return
		}
		if p, ok := b.bucketPolicy[name]; ok {
			out[name] = p
		} else if bk := b.buildNamedBucket(name); bk != nil {
			out[name] = bk.Policy
		}
	}
	for name := range b.bucketParts {
		add(name)
	}
	for _, db := range b.decl.Buckets {
		add(db.Name)
	}
	return out
}

func (b *builder) buildBucket(name string, main *planjson.Resource, sub map[string]*planjson.Resource) *access.Bucket {
	bk := &access.Bucket{Name: name}
	created := main != nil && main.Mode == tfjson.ManagedResourceMode && main.Created
	bk.CreatedInPlan = created
	if main != nil {
		bk.Address = main.Address
		bk.From = access.Provenance{Address: main.Address}
	} else {
		for _, k := range slices.Sorted(maps.Keys(sub)) {
			bk.From = access.Provenance{Address: sub[k].Address, Note: "bucket itself not in the plan"}
			break
		}
	}

	// Owner: expected_bucket_owner on a sub-resource, else the account of the
	// provider configuration managing the bucket.
	bk.Owner = access.Unknown[string](access.Provenance{Note: "owner of bucket " + name + " not in the plan"})
	if main != nil && main.Mode == tfjson.DataResourceMode {
		// Any bucket the credentials may read can be read through it,
		// another account's included.
		bk.Owner = access.Unknown[string](access.Provenance{Address: main.Address, Note: "data \"aws_s3_bucket\" does not reveal the owner of bucket " + name})
	}
	for _, k := range slices.Sorted(maps.Keys(sub)) {
		if v := b.str(sub[k], "expected_bucket_owner"); v.Known && v.V != "" {
			bk.Owner = v
			break
		}
	}
	if !bk.Owner.Known && main != nil && main.Mode == tfjson.ManagedResourceMode {
		if a := b.accountValue(main); a.Known {
			bk.Owner = a
		}
	}
	if main != nil {
		bk.Region = b.str(main, "bucket_region")
		if !bk.Region.Known || bk.Region.V == "" {
			if rg := b.str(main, "region"); rg.Known && rg.V != "" {
				bk.Region = rg
			} else if rg, ok := b.ix.regionOf(main.ProviderKey()); ok {
				bk.Region = access.Known(rg, access.Provenance{Address: main.Address, Note: "region of its provider configuration"})
			}
		}
	}

	// A data source shows the bucket's name, ARN and region, not how it is
	// configured: what it does not reveal is not known.
	dataMain := main != nil && main.Mode == tfjson.DataResourceMode
	notShown := func(what string) access.Provenance {
		return access.Provenance{Address: main.Address, Note: "data \"aws_s3_bucket\" does not reveal the " + what + " of bucket " + name}
	}

	// Policy: the standalone resource wins over the legacy argument.
	switch {
	case sub["aws_s3_bucket_policy"] != nil:
		p := sub["aws_s3_bucket_policy"]
		bk.Policy = b.policyDoc(p, "policy", p.Address)
	case sub["data.aws_s3_bucket_policy"] != nil:
		p := sub["data.aws_s3_bucket_policy"]
		bk.Policy = b.policyDoc(p, "policy", p.Address)
	case main != nil && configured(main, "policy"):
		bk.Policy = b.policyDoc(main, "policy", main.Address+" policy")
	case dataMain:
		bk.Policy = &access.PolicyDoc{Label: "policy of bucket " + name, From: notShown("bucket policy")}
	case main != nil && !main.Created:
		if v := b.str(main, "policy"); v.Known && main.Mode == tfjson.ManagedResourceMode {
			if v.V != "" {
				bk.Policy = &access.PolicyDoc{Label: main.Address + " policy", JSON: v.V, Known: true, From: v.From}
			}
		} else {
			bk.Policy = &access.PolicyDoc{Label: "policy of bucket " + name, From: access.Provenance{Address: main.Address, Note: "existing bucket; its policy is managed outside this plan"}}
		}
	case created:
		// A new bucket has no policy.
	default:
		bk.Policy = &access.PolicyDoc{Label: "policy of bucket " + name, From: access.Provenance{Note: "bucket " + name + " is not managed in this plan"}}
	}

	// ACLs and ownership.
	acl := sub["aws_s3_bucket_acl"] != nil
	if main != nil && (configured(main, "acl") || configured(main, "grant")) {
		acl = true
	}
	bk.ACLConfigured = acl
	switch {
	case sub["aws_s3_bucket_ownership_controls"] != nil:
		bk.ObjectOwnership = access.Ownerships.Fact(b.readBlock(sub["aws_s3_bucket_ownership_controls"], "rule", "object_ownership"))
	case created && !acl:
		bk.ObjectOwnership = access.NewBucketOwnership.Fact(access.Provenance{Address: main.Address})
	case dataMain:
		bk.ObjectOwnership = access.Unknown[access.Ownership](notShown("Object Ownership setting"))
	default:
		bk.ObjectOwnership = access.Unknown[access.Ownership](access.Provenance{Note: "no aws_s3_bucket_ownership_controls for bucket " + name})
	}

	// Requester Pays.
	switch {
	case dataMain && sub["aws_s3_bucket_request_payment_configuration"] == nil:
		bk.RequestPayer = access.Unknown[access.Payer](notShown("Requester Pays setting"))
	case sub["aws_s3_bucket_request_payment_configuration"] != nil:
		bk.RequestPayer = access.Payers.Fact(b.readBlock(sub["aws_s3_bucket_request_payment_configuration"], "payer", ""))
	case main != nil && (configured(main, "request_payer") || !main.Created):
		bk.RequestPayer = access.Payers.Fact(b.str(main, "request_payer"))
		if bk.RequestPayer.Known && bk.RequestPayer.V == "" {
			// Not set: S3's default.
			bk.RequestPayer.V = access.NewBucketPayer.Value
		}
	case created:
		bk.RequestPayer = access.NewBucketPayer.Fact(access.Provenance{Address: main.Address})
	default:
		bk.RequestPayer = access.Unknown[access.Payer](access.Provenance{Note: "payer of bucket " + name + " not in the plan"})
	}

	// Default encryption.
	sse := sub["aws_s3_bucket_server_side_encryption_configuration"]
	switch {
	case sse != nil:
		b.readSSE(bk, sse, "rule.0")
	case dataMain:
		bk.SSEAlgorithm = access.Unknown[access.SSEAlgorithm](notShown("default encryption"))
	case main != nil && (configured(main, "server_side_encryption_configuration") || !main.Created):
		b.readSSE(bk, main, "server_side_encryption_configuration.0.rule.0")
	case created:
		bk.SSEAlgorithm = access.NewBucketEncryption.Fact(access.Provenance{Address: main.Address})
		bk.SSEKMSKeyID = access.Known("", bk.SSEAlgorithm.From)
		bk.BucketKeyEnabled = access.Known(false, bk.SSEAlgorithm.From)
	default:
		bk.SSEAlgorithm = access.Unknown[access.SSEAlgorithm](access.Provenance{Note: "default encryption of bucket " + name + " not in the plan"})
	}

	// Block Public Access: the resource defaults each flag to false; a bucket
	// created without it gets S3's default.
	if pab := sub["aws_s3_bucket_public_access_block"]; pab != nil {
		bk.PublicAccess = access.PublicAccessBlock{
			BlockPublicACLs:       b.boolean(pab, "block_public_acls", false),
			IgnorePublicACLs:      b.boolean(pab, "ignore_public_acls", false),
			BlockPublicPolicy:     b.boolean(pab, "block_public_policy", false),
			RestrictPublicBuckets: b.boolean(pab, "restrict_public_buckets", false),
		}
	} else if created {
		bk.PublicAccess = access.NewBucketPublicAccess(access.Provenance{Address: main.Address})
	}
	return bk
}

// readSSE reads a server-side encryption rule at prefix (a dot path to the
// rule object).
func (b *builder) readSSE(bk *access.Bucket, r *planjson.Resource, prefix string) {
	d := prefix + ".apply_server_side_encryption_by_default.0."
	if top := topAttr(prefix); unreadableBlock(r, top) {
		bk.SSEAlgorithm, bk.SSEKMSKeyID = access.Unknown[access.SSEAlgorithm](from(r, top)), access.Unknown[string](from(r, top))
		return
	}
	bk.SSEAlgorithm = access.SSEAlgorithms.Fact(b.str(r, d+"sse_algorithm"))
	bk.SSEKMSKeyID = b.keyRef(r, d+"kms_master_key_id", "rule", "apply_server_side_encryption_by_default", "kms_master_key_id")
	bk.BucketKeyEnabled = b.boolean(r, prefix+".bucket_key_enabled", false)
}

// keyRef reads a KMS key id/ARN attribute; when unknown and referencing a key
// or alias of the plan, it yields that key's ARN (or its stand-in).
func (b *builder) keyRef(r *planjson.Resource, attr string, path ...string) access.Value[string] {
	v := b.str(r, attr)
	if v.Known {
		return v
	}
	if t, ok := b.ix.Reference(r, path...); ok {
		switch t.Resource.Type {
		case "aws_kms_key":
			arn, note := b.keyARN(t.Resource)
			return access.Known(arn, access.Provenance{Address: t.Resource.Address, Attribute: "arn", Note: note})
		case "aws_kms_alias":
			if n := b.str(t.Resource, "name"); n.Known && n.V != "" {
				return access.Known(n.V, n.From)
			}
		}
	}
	return v
}

// buildObjects returns the aws_s3_object resources in address order.
func (b *builder) buildObjects() []access.S3Object {
	var out []access.S3Object
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_s3_object") {
		name, _, ok := b.bucketName(r)
		key := b.str(r, "key")
		o := access.S3Object{
			Unplaced:         unplaced(r, ok, key),
			Address:          r.Address,
			Bucket:           knownStr(name, ok),
			Key:              knownStr(key.V, key.Known),
			SSEAlgorithm:     access.SSEAlgorithms.Fact(b.str(r, "server_side_encryption")),
			KMSKeyID:         b.keyRef(r, "kms_key_id", "kms_key_id"),
			BucketKeyEnabled: b.boolean(r, "bucket_key_enabled", false),
			ACL:              b.str(r, "acl"),
		}
		if !configured(r, "server_side_encryption") && !o.SSEAlgorithm.Known {
			// Not configured: S3 applies the bucket's default encryption.
			o.SSEAlgorithm = access.Known[access.SSEAlgorithm]("", access.Provenance{Address: r.Address, Attribute: "server_side_encryption", Note: "not configured: the bucket default applies"})
			o.KMSKeyID = access.Known("", o.SSEAlgorithm.From)
		}
		o.WriterAccount = b.accountValue(r)
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}
