package access

import (
	"fmt"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// keyUse is the KMS key protecting one location's objects.
type keyUse struct {
	none       bool // no KMS (SSE-S3, unencrypted)
	arn        string
	key        *KMSKey // nil when the key is not in the facts
	account    string  // K
	awsManaged bool    // the AWS managed aws/s3 key of account account
	from       string  // where the choice of key comes from
	missing    *Missing
}

// keyByARN finds a key fact by ARN.
func (c *checker) keyByARN(arn string) *KMSKey {
	for i := range c.f.Keys {
		if c.f.Keys[i].ARN.Known && c.f.Keys[i].ARN.V == arn {
			return &c.f.Keys[i]
		}
	}
	return nil
}

// findKey resolves a key reference (key ARN, key id, alias name or alias ARN).
func (c *checker) findKey(ref string) *KMSKey {
	for i := range c.f.Keys {
		k := &c.f.Keys[i]
		if (k.ARN.Known && k.ARN.V == ref) || (k.KeyID != "" && (k.KeyID == ref || strings.HasSuffix(ref, ":key/"+k.KeyID))) {
			return k
		}
		for _, a := range k.Aliases {
			if a == ref || strings.HasSuffix(ref, ":"+a) || strings.HasSuffix(a, ":"+ref) {
				return k
			}
		}
	}
	return nil
}

// resolveKeyARN returns the key ARN of a reference when it can be known.
func (c *checker) resolveKeyARN(ref Value[string]) (string, bool) {
	if !ref.Known {
		return "", false
	}
	if k := c.findKey(ref.V); k != nil && k.ARN.Known {
		return k.ARN.V, true
	}
	if strings.Contains(ref.V, ":key/") {
		return ref.V, true
	}
	return "", false
}

// useOf resolves a configured key reference into a keyUse. owner is the
// bucket owner, the account of an aws/s3 key ("" = unknown).
func (c *checker) useOf(ref Value[string], owner, from string) keyUse {
	if !ref.Known {
		return keyUse{from: from, missing: &Missing{Fact: "KMS key of " + from + " (" + ref.From.String() + ")", How: "make the key ARN known at plan time"}}
	}
	if ref.V == "" || ref.V == "alias/aws/s3" || strings.HasSuffix(ref.V, ":alias/aws/s3") {
		return keyUse{awsManaged: true, account: owner, from: from}
	}
	if k := c.findKey(ref.V); k != nil {
		if k.AWSManagedS3 {
			return keyUse{awsManaged: true, account: knownStr(k.Account), key: k, from: from}
		}
		if !k.ARN.Known {
			return keyUse{from: from, missing: &Missing{Fact: "ARN of KMS key " + k.Address, How: "the key's ARN is assigned at creation; check again after apply or reference an existing key"}}
		}
		acct := knownStr(k.Account)
		if acct == "" {
			acct = awsid.AccountOfARN(k.ARN.V)
		}
		return keyUse{arn: k.ARN.V, key: k, account: acct, from: from}
	}
	if strings.Contains(ref.V, ":key/") {
		return keyUse{arn: ref.V, account: awsid.AccountOfARN(ref.V), from: from}
	}
	return keyUse{from: from, missing: &Missing{Fact: "KMS key " + ref.V + " of " + from,
		How: "add the key (or the aws_kms_alias resolving it) to the plan, or use the key ARN"}}
}

// bucketDefaultKey is the key of a bucket's default encryption.
func (c *checker) bucketDefaultKey(b *Bucket, name string) keyUse {
	if b == nil {
		return keyUse{missing: &Missing{Fact: "default encryption of bucket " + name, How: howDeclareBucket(name, "default_kms_key_arn")}}
	}
	if !b.SSEAlgorithm.Known && b.CreatedInPlan && b.SSEAlgorithm.From.IsZero() && !NewBucketEncryption.Value.UsesKMS() {
		return keyUse{none: true} // a new bucket without encryption settings: S3's default, SSE-S3
	}
	if !b.SSEAlgorithm.Known {
		return keyUse{missing: &Missing{Fact: "default encryption of bucket " + name + " (" + b.SSEAlgorithm.From.String() + ")", How: howDeclareBucket(name, "default_kms_key_arn")}}
	}
	if b.SSEAlgorithm.V.UsesKMS() {
		return c.useOf(b.SSEKMSKeyID, bucketOwner(b), "default encryption of bucket "+name)
	}
	return keyUse{none: true}
}

// writeKey is the key a job's writes to a location use (docs/model.md#kms-needs): the
// security configuration's SSE-KMS key, else the bucket default.
func (c *checker) writeKey(b *Bucket, name string) keyUse {
	if sc := c.f.Job.SecurityConfiguration; sc != nil {
		if !sc.S3EncryptionMode.Known {
			return keyUse{missing: &Missing{Fact: "S3 encryption mode of security configuration " + sc.Name, How: "add the aws_glue_security_configuration " + sc.Name + " to the plan"}}
		}
		switch sc.S3EncryptionMode.V {
		case S3EncryptionSSEKMS:
			return c.useOf(sc.S3KMSKeyARN, bucketOwner(b), "security configuration "+sc.Name)
		case S3EncryptionSSES3:
			return keyUse{none: true}
		}
	}
	return c.bucketDefaultKey(b, name)
}

// readKey is the key protecting objects the job reads: the object's own
// encryption when the plan writes it, the job's write key for its temp data,
// else the bucket default (an assumption).
func (c *checker) readKey(b *Bucket, l location) keyUse {
	if l.Intent == OriginTemp {
		return c.writeKey(b, l.URL.Bucket)
	}
	if l.URL.Unknown != "" {
		// The key is known only after apply: any object the plan writes
		// under its known start may be it, with its own encryption.
		for i := range c.f.Objects {
			o := &c.f.Objects[i]
			if (o.Bucket == l.URL.Bucket || o.Unplaced != nil && o.Bucket == "") && (o.Key == "" || l.URL.mayHold(o.Key)) &&
				(!o.SSEAlgorithm.Known || o.SSEAlgorithm.V != "") {
				return keyUse{missing: &Missing{Fact: "which object " + l.URL.Raw + " is (" + l.URL.Unknown + "): " + o.Address + " under it has its own encryption",
					How: "give the object a key known at plan time"}}
			}
		}
	}
	if !l.URL.Prefix && l.URL.Unknown == "" {
		for i := range c.f.Objects {
			o := &c.f.Objects[i]
			if o.Bucket != l.URL.Bucket || o.Key != l.URL.Key {
				continue
			}
			if !o.SSEAlgorithm.Known {
				return keyUse{missing: &Missing{Fact: "encryption of object " + o.Address, How: "set server_side_encryption on the aws_s3_object"}}
			}
			switch {
			case o.SSEAlgorithm.V.UsesKMS():
				return c.useOf(o.KMSKeyID, bucketOwner(b), "object "+o.Address)
			case o.SSEAlgorithm.V == SSEAES256:
				return keyUse{none: true}
			}
			return c.bucketDefaultKey(b, l.URL.Bucket)
		}
	}
	c.assume("object-encrypted-with-bucket-default", "objects the job reads and the plan does not write are assumed encrypted with their bucket's default key")
	return c.bucketDefaultKey(b, l.URL.Bucket)
}

// defaultKeyPolicy is the policy AWS gives a key created without one: root
// delegation to the owning account.
func defaultKeyPolicy(k *KMSKey) *PolicyDoc {
	acct := knownStr(k.Account)
	if acct == "" {
		acct = awsid.AccountOfARN(knownStr(k.ARN))
	}
	part := "aws"
	if a, ok := awsid.ParseARN(k.ARN.V); ok && a.Partition != "" {
		part = a.Partition
	}
	label := k.Address
	if label == "" {
		label = k.ARN.V
	}
	return &PolicyDoc{Label: label + " (default key policy)", Known: true, shared: true, From: Provenance{Address: k.Address, Note: "default key policy"},
		JSON: fmt.Sprintf(`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:%s:iam::%s:root"},"Action":"kms:*","Resource":"*"}]}`, part, acct)}
}

// keyPolicy is a key's policy document: its own, or the default key policy
// (materialised once per key so it parses once).
func (c *checker) keyPolicy(k *KMSKey) *PolicyDoc {
	if k.Policy != nil {
		return k.Policy
	}
	if d, ok := c.defaultKeyDocs[k]; ok {
		return d
	}
	d := defaultKeyPolicy(k)
	c.defaultKeyDocs[k] = d
	return d
}

// checkKMS derives and evaluates the KMS needs of every location.
func (c *checker) checkKMS(locs []location) {
	seen := map[string]bool{}
	var needs []Need
	for _, l := range locs {
		b := c.bucket(l.URL.Bucket)
		type use struct {
			u     keyUse
			write bool
		}
		var uses []use
		if isWrite(l.Intent) {
			uses = append(uses, use{c.writeKey(b, l.URL.Bucket), true})
		}
		if isRead(l.Intent) && l.Intent != OriginTemp {
			uses = append(uses, use{c.readKey(b, l), false})
		}
		for _, u := range uses {
			acts := []string{actKMSDecrypt}
			if u.write {
				acts = []string{actKMSDecrypt, actKMSGenerate}
				if !u.u.awsManaged && u.u.missing == nil {
					// Advisory only (docs/model.md#kms-needs): S3 does not call Encrypt
					// for SSE-KMS uploads, but Glue's examples grant it.
					acts = append(acts, actKMSEncrypt)
				}
			}
			for _, a := range acts {
				n := Need{Action: a, Resource: u.u.arn, Key: u.u.arn, URL: l.URL.Raw, Bucket: l.URL.Bucket, Prefix: l.URL.Key, IsPrefix: l.URL.Prefix,
					Intent: l.Intent, Required: a != actKMSEncrypt, Why: fmt.Sprintf("%s of %s (%s)", a, l.URL.Raw, l.Why), Unknown: l.URL.Unknown, Source: l.Source}
				if u.u.from != "" {
					n.Why = fmt.Sprintf("%s for %s, key from %s (%s)", a, l.URL.Raw, u.u.from, l.Why)
				}
				k := a + "\x00" + u.u.arn + "\x00" + l.URL.Raw + "\x00" + l.Intent
				if u.u.none || seen[k] {
					continue
				}
				seen[k] = true
				c.checkKeyNeed(n, u.u, b)
				if !u.u.awsManaged && u.u.missing == nil {
					needs = append(needs, n)
				}
			}
		}
	}
	sortNeeds(needs)
	c.needs = append(c.needs, needs...)
}

// keyRegion is the Region of S3's KMS calls for a bucket: the bucket's,
// else the job's ("" when neither is known).
func (c *checker) keyRegion(bucket string) string {
	if b := c.bucket(bucket); b != nil && b.Region.Known && b.Region.V != "" {
		return b.Region.V
	}
	return c.region
}

// checkKeyNeed decides one KMS need.
func (c *checker) checkKeyNeed(n Need, u keyUse, b *Bucket) {
	if u.missing != nil {
		n.Resource = "kms key of " + n.URL
		c.add(rawFinding{ID: GA005, Verdict: UnknownVerd, Reason: ReasonKeyUnknown, Need: n,
			Because: fmt.Sprintf("the KMS key protecting %s is not known, so %s cannot be checked", n.URL, n.Action),
			Missing: []Missing{*u.missing}})
		return
	}
	if u.awsManaged {
		switch {
		case u.account == "":
			n.Resource = "aws/s3 key of " + n.Bucket
			c.add(rawFinding{ID: GA005, Verdict: UnknownVerd, Reason: ReasonKeyUnknown, Need: n,
				Because: "objects in " + n.Bucket + " use the AWS managed key aws/s3 of the bucket's account, which is not known",
				Missing: []Missing{{Fact: "owner account of bucket " + n.Bucket, How: howDeclareBucket(n.Bucket, "owner_account")}}})
		case u.account != c.role.Account:
			n.Resource = fmt.Sprintf("arn:%s:kms:%s:%s:alias/aws/s3", c.part, c.region, u.account)
			c.add(rawFinding{ID: GA005, Verdict: Deny, Reason: ReasonAWSManagedKeyCross, Need: n,
				DecidedBy: &PolicyRef{Layer: string(iam.LayerKeyPolicy), Policy: "AWS managed key aws/s3 of account " + u.account, Index: -1},
				clause:    "because the AWS managed key aws/s3 can only be used by principals of account " + u.account,
				fix: &fixSpec{op: OpSetBucket, target: TargetBucketSetting, bucket: n.Bucket, resource: "default encryption of bucket " + n.Bucket,
					setting: &Setting{Name: "sse_algorithm", Value: string(SSEAES256)},
					text:    "another account's aws/s3 key cannot be shared: encrypt the bucket with SSE-S3 or with a customer managed key whose key policy allows account " + c.role.Account}})
		}
		// Same account: the aws/s3 key policy allows every principal of the
		// account through S3 (docs/model.md#kms-needs), so nothing is needed.
		return
	}
	if u.key != nil && u.key.Enabled.Known && !u.key.Enabled.V {
		c.notes = append(c.notes, "KMS key "+u.arn+" is disabled: S3 requests under it fail with a KMS error")
	}
	if kr, ok := awsid.KMSKeyRegion(u.arn); ok && b != nil && b.Region.Known && b.Region.V != "" && kr != b.Region.V {
		// S3 uses only keys in the bucket's Region (docs/model.md#kms-needs). The failure is
		// a KMS error, not a 403, so it is a note beside the permission check.
		c.notes = append(c.notes, fmt.Sprintf("KMS key %s is in Region %s but bucket %s is in %s: S3 uses only keys in the bucket's Region, so requests under it fail", u.arn, kr, n.Bucket, b.Region.V))
	}
	ls := c.identity.clone()
	ctx := c.kmsRequestContext(u.account)
	req := &iam.Request{Principal: c.principal(), Action: n.Action, Resource: u.arn, ResourceAccount: u.account, Context: ctx}
	if region := c.keyRegion(n.Bucket); region != "" {
		ctx.SetKey(keyKMSViaService, "s3."+region+".amazonaws.com")
	} else {
		ctx.SetUnknownKey(keyKMSViaService)
	}
	encARN := n.URL
	if u, err := parseS3URL(n.URL, false); err == nil {
		encARN = objectResource(c.part, u)
		if b != nil && b.BucketKeyEnabled.Known && b.BucketKeyEnabled.V {
			encARN = awsid.BucketARN(c.part, u.Bucket)
		}
	}
	// A bucket this plan creates without the setting has Bucket Keys off;
	// otherwise a setting not supplied leaves the context ARN open.
	bucketKey := b != nil && b.BucketKeyEnabled.Known && b.BucketKeyEnabled.V
	switch {
	case n.Unknown != "" && !bucketKey:
		// The object's key, and so its ARN in the context, is known only
		// after apply.
		ctx.SetUnknownKey(keyKMSEncryptionS3ARN)
	case b != nil && (b.BucketKeyEnabled.Known || (b.CreatedInPlan && b.BucketKeyEnabled.From.IsZero())):
		ctx.SetKey(keyKMSEncryptionS3ARN, encARN)
	default:
		ctx.SetUnknownKey(keyKMSEncryptionS3ARN)
	}
	switch {
	case u.key == nil:
		ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerKeyPolicy}, Reason: ReasonKeyUnknown, Missing: Missing{
			Fact: "key policy of " + u.arn, How: "add the aws_kms_key (or aws_kms_key_policy) to the plan, or declare the key policy in .glueaccess.hcl"}})
	default:
		doc := c.keyPolicy(u.key)
		pp := c.parse(doc, iam.KindKeyPolicy, GA005)
		switch {
		case pp.err != nil:
			return
		case pp.unknown:
			ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerKeyPolicy}, Reason: ReasonKeyUnknown, Missing: Missing{
				Fact: "key policy of " + u.arn + " (" + doc.From.String() + ")", How: "make the key policy known at plan time"}})
		default:
			ls.in.Resource = pp.p
		}
		for _, g := range u.key.Grants {
			ig := iam.Grant{Label: g.Label, GranteePrincipal: g.GranteePrincipal.V, Operations: g.Operations,
				EncryptionContextEquals: g.ContextEquals, EncryptionContextSubset: g.ContextSubset}
			if !g.GranteePrincipal.Known {
				ig.GranteePrincipal = c.role.ARN
				ls.maybeGrants = append(ls.maybeGrants, maybeGrant{grant: ig, missing: Missing{
					Fact: "grantee_principal of KMS grant " + g.Label,
					How:  "make it known at plan time, e.g. by referencing the role's arn"}})
				continue
			}
			ls.in.Grants = append(ls.in.Grants, ig)
		}
	}
	c.addOrg(&ls, u.account)
	c.decide(n, req, ls, true, u.account)
}
