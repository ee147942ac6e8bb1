package access

import (
	"fmt"
	"path"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// locationNeed is the representative need of a location for structural
// findings: the object read or write.
func (c *checker) locationNeed(l location, write bool) Need {
	n := Need{Action: actGetObject, Resource: objectResource(c.part, l.URL), URL: l.URL.Raw, Bucket: l.URL.Bucket,
		Prefix: l.URL.Key, IsPrefix: l.URL.Prefix, Intent: l.Intent, Required: true, Why: l.Why, Source: l.Source}
	if write {
		n.Action = actPutObject
	}
	return n
}

// ownership is a bucket's effective Object Ownership, or "" when not known.
func ownership(b *Bucket) string {
	switch {
	case b.ObjectOwnership.Known && b.ObjectOwnership.V != "":
		return b.ObjectOwnership.V
	case b.CreatedInPlan && !b.ACLConfigured && b.ObjectOwnership.From.IsZero():
		// A new bucket with no ownership controls and no ACL configuration
		// gets BucketOwnerEnforced (default since April 2023).
		return OwnershipBucketOwnerEnforced
	}
	return ""
}

// checkOwnership applies docs/model.md#ga003-object-ownership (E1, E2a, E2, E3, E6, E7) to the
// locations the job reads; E4 and E5 come out of the policy evaluation. E2 and
// E3 are warnings: they are notes and do not change the verdict.
func (c *checker) checkOwnership(locs []location) {
	seen := map[string]bool{}
	for _, l := range locs {
		read := l.Intent == OriginLibrary || l.Intent == OriginDataRead
		b := c.bucket(l.URL.Bucket)
		if isWrite(l.Intent) && b != nil && c.role.Known {
			if own := ownership(b); own != OwnershipBucketOwnerEnforced && (own != "" || b.ACLConfigured) &&
				bucketOwner(b) != "" && bucketOwner(b) != c.role.Account && c.aclHeader() != cannedOwnerFull {
				c.notes = append(c.notes, fmt.Sprintf("GA003 E3: objects the job writes to %s (ACLs enabled, owner %s) stay owned by account %s; readers in the bucket's account will be denied unless the job sends bucket-owner-full-control",
					l.URL.Raw, bucketOwner(b), c.role.Account))
			}
		}
		if !read || seen[l.URL.Raw] {
			continue
		}
		seen[l.URL.Raw] = true
		n := c.locationNeed(l, false)
		if b == nil {
			// E7: the bucket itself is missing (E6 is a known bucket whose
			// ownership controls are not managed).
			c.add(rawFinding{ID: GA003, Verdict: UnknownVerd, Reason: ReasonBucketNotInPlan, Need: n,
				Because: "bucket " + l.URL.Bucket + " is not known, so whether objects in it may be owned by another account cannot be decided",
				Missing: []Missing{{Fact: "object ownership of bucket " + l.URL.Bucket, How: howDeclareBucket(l.URL.Bucket, "object_ownership")}}})
			continue
		}
		own := ownership(b)
		if own == OwnershipBucketOwnerEnforced {
			continue // E1: ownership cannot differ
		}
		if o := c.unplacedWriter(b, l); o != nil {
			c.add(rawFinding{ID: GA003, Verdict: UnknownVerd, Reason: ReasonWriterOwnedObjects, Need: n,
				Because: fmt.Sprintf("%s is written by %s, whose location is not known at plan time: if it is that object, it stays owned by the writing account (bucket %s has %s ownership), and bucket policy Allows do not apply to it",
					l.URL.Raw, o.Address, b.Name, ownershipWords(own, b)),
				Missing: []Missing{*o.Unplaced}})
			continue
		}
		if w, ok := c.foreignWriter(b, l); ok && l.URL.Unknown != "" {
			// The object read is known only after apply: it may or may not
			// be the one another account writes.
			c.add(rawFinding{ID: GA003, Verdict: UnknownVerd, Reason: ReasonWriterOwnedObjects, Need: n,
				Because: fmt.Sprintf("%s may be the object %s writes, which stays owned by account %s (bucket %s has %s ownership): whether it is depends on %s, known only after apply",
					l.URL.Raw, w.Address, w.WriterAccount.V, b.Name, ownershipWords(own, b), l.URL.Unknown),
				Missing: []Missing{{Fact: l.URL.Unknown + " (the end of the key of " + l.URL.Raw + ")", How: "give the object a key known at plan time"}}})
			continue
		} else if ok {
			c.add(rawFinding{ID: GA003, Verdict: Deny, Reason: ReasonWriterOwnedObjects, Need: n,
				DecidedBy: &PolicyRef{Layer: "object-ownership", Policy: w.Address, Index: -1},
				Because: fmt.Sprintf("role %s would not be authorized to perform s3:GetObject on %s because the object written by %s is owned by account %s (bucket %s has %s ownership and the upload sends no bucket-owner-full-control ACL), and bucket policy Allows do not apply to it",
					c.role.Name, objectResource(c.part, s3URL{Bucket: w.Bucket, Key: w.Key}), w.Address, w.WriterAccount.V, b.Name, ownershipWords(own, b)),
				fix: &fixSpec{op: OpSetBucket, target: TargetBucketSetting, bucket: b.Name, resource: bucketResource(b),
					setting: &Setting{Name: "object_ownership", Value: OwnershipBucketOwnerEnforced},
					text:    "disable ACLs with aws_s3_bucket_ownership_controls object_ownership = \"BucketOwnerEnforced\": the bucket owner then owns every object, existing ones included"}})
			continue
		}
		if w := c.foreignUploaders(b, own); w != "" {
			c.notes = append(c.notes, fmt.Sprintf("GA003 E2: bucket %s has %s ownership and %s lets accounts other than %s upload: objects they upload without bucket-owner-full-control stay theirs, and role %s cannot read them through the bucket policy; set Object Ownership to BucketOwnerEnforced",
				b.Name, ownershipWords(own, b), w, bucketOwner(b), c.role.Name))
		}
		if own == "" && b.CreatedInPlan && b.ObjectOwnership.From.Address != "" {
			// A new bucket whose ownership setting the plan shows but cannot
			// tell (known only after apply, or unreadable).
			c.add(rawFinding{ID: GA003, Verdict: UnknownVerd, Reason: ReasonOwnershipUnmanaged, Need: n,
				Because: "the Object Ownership of bucket " + b.Name + " is not known at plan time: with ACLs enabled, objects other accounts upload stay theirs and may be unreadable",
				Missing: []Missing{{Fact: "object ownership of bucket " + b.Name + " (" + b.ObjectOwnership.From.String() + ")",
					How: "make aws_s3_bucket_ownership_controls rule.object_ownership known at plan time"}}})
			continue
		}
		if own == "" && !b.CreatedInPlan {
			// E6: objects may predate any setting the plan shows; an ACL
			// resource only says that ACLs are on.
			c.add(rawFinding{ID: GA003, Verdict: UnknownVerd, Reason: ReasonOwnershipUnmanaged, Need: n,
				Because: "bucket " + b.Name + " exists outside this plan and its Object Ownership is not known: objects uploaded by other accounts while ACLs were enabled may be unreadable",
				Missing: []Missing{{Fact: "object ownership of bucket " + b.Name,
					How: "manage it with aws_s3_bucket_ownership_controls, or declare object_ownership for the bucket in .glueaccess.hcl"}}})
		}
	}
}

// ownershipWords names the ownership setting for messages.
func ownershipWords(own string, b *Bucket) string {
	if own == "" {
		if b.ACLConfigured {
			return "ACL-enabled"
		}
		return "unknown"
	}
	return own
}

// bucketResource names the place a bucket setting lives.
func bucketResource(b *Bucket) string {
	if b.Address != "" {
		return b.Address
	}
	return "bucket " + b.Name
}

// payerResource names where a bucket's Requester Pays setting comes from:
// the request payment configuration when known, else the bucket.
func payerResource(b *Bucket) string {
	if a := b.RequestPayer.From.Address; a != "" {
		return a
	}
	return bucketResource(b)
}

// foreignWriter finds an object the plan writes into the location from an
// account other than the bucket owner and the job's, without transferring
// ownership (E2a).
func (c *checker) foreignWriter(b *Bucket, l location) (*S3Object, bool) {
	owner := bucketOwner(b)
	if owner == "" {
		return nil, false
	}
	own := ownership(b)
	for i := range c.f.Objects {
		o := &c.f.Objects[i]
		if o.Bucket != b.Name || !o.WriterAccount.Known || o.WriterAccount.V == owner || o.WriterAccount.V == c.role.Account {
			continue
		}
		if !l.URL.mayHold(o.Key) {
			continue
		}
		if own == "" && !b.ACLConfigured {
			continue // ownership unknown: reported as E6
		}
		// bucket-owner-full-control transfers ownership (BucketOwnerPreferred)
		// or grants the owner FULL_CONTROL through the ACL (ObjectWriter).
		if o.ACL.Known && o.ACL.V == cannedOwnerFull {
			continue
		}
		return o, true
	}
	return nil, false
}

// unplacedWriter returns an object the plan writes, with a bucket or key not
// known at plan time, that may be the object at l and owned by another
// account than the bucket's: GA003 is then unknown, never skipped.
func (c *checker) unplacedWriter(b *Bucket, l location) *S3Object {
	owner := bucketOwner(b)
	if own := ownership(b); own == "" && !b.ACLConfigured {
		return nil // ownership unknown: reported as E6
	}
	for i := range c.f.Objects {
		o := &c.f.Objects[i]
		switch {
		case o.Unplaced == nil:
		case o.Bucket != "" && o.Bucket != b.Name:
		case o.Key != "" && !l.URL.mayHold(o.Key):
		case o.WriterAccount.Known && owner != "" && (o.WriterAccount.V == owner || o.WriterAccount.V == c.role.Account):
		case o.ACL.Known && o.ACL.V == cannedOwnerFull:
		default:
			return o
		}
	}
	return nil
}

// sparkJob reports whether the job runs Spark (where --conf applies); an
// empty command name is Glue's default, glueetl. An unknown command is not
// Spark: nothing set through --conf can be relied on for it.
func (c *checker) sparkJob() bool {
	cmd := c.f.Job.Command
	return cmd.Known && (cmd.V == "" || cmd.V == "glueetl" || cmd.V == "gluestreaming")
}

// rpHeader reports whether the job sends x-amz-request-payer for a URL.
func (c *checker) rpHeader(u s3URL) bool {
	keys := []string{confRequesterPays}
	if _, scheme, _ := awsid.CutS3Scheme(u.Raw); scheme == "s3a" {
		keys = append(keys, confS3AReqPays)
	}
	for _, k := range keys {
		if v, ok := c.args.Conf[k]; ok && strings.EqualFold(strings.TrimSpace(v.Value), "true") {
			return true
		}
	}
	return false
}

// rpHeaderUnknown reports whether arguments that are not known may turn the
// requester-pays header on.
func (c *checker) rpHeaderUnknown() bool {
	if !c.args.Known {
		return true
	}
	for k := range c.args.Partial {
		if k == "--conf" || strings.HasPrefix(k, "--conf ") {
			return true
		}
	}
	return false
}

// checkRequesterPays applies docs/model.md#ga006-requester-pays.
func (c *checker) checkRequesterPays(locs []location) {
	seen := map[string]bool{}
	for _, l := range locs {
		k := l.URL.Raw + "\x00" + l.Intent
		if seen[k] {
			continue
		}
		seen[k] = true
		b := c.bucket(l.URL.Bucket)
		n := c.locationNeed(l, isWrite(l.Intent))
		if b == nil {
			c.assume("requester-pays-unknown", "buckets outside the plan are assumed not to be Requester Pays")
			continue
		}
		if !b.RequestPayer.Known {
			// Only a value Terraform will compute at apply is unknown; a payer
			// nothing manages is assumed BucketOwner (docs/model.md#ga006-requester-pays).
			if b.RequestPayer.From.Address == "" {
				if !b.CreatedInPlan {
					c.assume("requester-pays-unknown", "buckets whose payer is not managed in the plan are assumed not to be Requester Pays")
				}
				continue
			}
			c.add(rawFinding{ID: GA006, Verdict: UnknownVerd, Reason: ReasonNoRequestPayerHeader, Need: n,
				Because: "the payer setting of bucket " + b.Name + " is not known at plan time",
				Missing: []Missing{{Fact: "payer of bucket " + b.Name + " (" + b.RequestPayer.From.String() + ")", How: "make the request payment configuration known at plan time"}}})
			continue
		}
		if b.RequestPayer.V != PayerRequester {
			continue
		}
		owner := bucketOwner(b)
		switch {
		case owner == "" || !c.role.Known:
			c.add(rawFinding{ID: GA006, Verdict: UnknownVerd, Reason: ReasonAccountUnknown, Need: n,
				Because: "bucket " + b.Name + " is Requester Pays and whether the job's account is its owner is not known",
				Missing: []Missing{{Fact: "owner account of bucket " + b.Name + " or the job role's account", How: howDeclareBucket(b.Name, "owner_account")}}})
		case owner == c.role.Account:
			// The owner's principals need no header (docs/model.md#ga006-requester-pays).
		case l.Intent == OriginLibrary:
			c.add(rawFinding{ID: GA006, Verdict: UnknownVerd, Reason: ReasonGlueLoaderRP, Need: n,
				Because: fmt.Sprintf("%s is fetched by Glue before the script runs, and no documented setting makes that fetch send x-amz-request-payer to Requester Pays bucket %s of account %s", l.URL.Raw, b.Name, owner),
				Missing: []Missing{{Fact: "whether Glue's script and library loader sends the requester-pays header",
					How: "move scripts and libraries to a bucket that is not Requester Pays (or owned by account " + c.role.Account + ")"}}})
		case c.rpHeader(l.URL) && c.sparkJob():
			c.assume("conf-propagation", "--conf spark.hadoop.* properties are assumed to reach the EMRFS configuration of the job")
		case !c.rpHeader(l.URL) && c.rpHeaderUnknown():
			c.add(rawFinding{ID: GA006, Verdict: UnknownVerd, Reason: ReasonNoRequestPayerHeader, Need: n,
				Because: fmt.Sprintf("bucket %s of account %s is Requester Pays, and whether the job sends x-amz-request-payer is not known: its arguments are not known at plan time", b.Name, owner),
				Missing: []Missing{{Fact: "arguments of " + c.f.Job.Address + " (" + c.args.From.String() + ")", How: "make the job's default_arguments known at plan time"}}})
		case c.rpHeader(l.URL) && !c.f.Job.Command.Known:
			c.add(rawFinding{ID: GA006, Verdict: UnknownVerd, Reason: ReasonNoRequestPayerHeader, Need: n,
				Because: fmt.Sprintf("bucket %s of account %s is Requester Pays; the job sets the header through --conf, which only Spark jobs read, and the job type is not known", b.Name, owner),
				Missing: []Missing{{Fact: "job type (command.name) of " + c.f.Job.Address + " (" + c.f.Job.Command.From.String() + ")", How: "set command.name to a known value (glueetl, gluestreaming, pythonshell, glueray)"}}})
		default:
			rf := rawFinding{ID: GA006, Verdict: Deny, Reason: ReasonNoRequestPayerHeader, Need: n,
				DecidedBy: &PolicyRef{Layer: "requester-pays", Policy: payerResource(b), Index: -1},
				clause:    fmt.Sprintf("because bucket %s of account %s is Requester Pays and the job sends no x-amz-request-payer header", b.Name, owner)}
			if c.sparkJob() {
				rf.fix = &fixSpec{op: OpSetArgument, target: TargetJobArgument, resource: c.f.Job.Address,
					setting: &Setting{Name: "--conf", Value: confRequesterPays + "=true"},
					text:    "make EMRFS send x-amz-request-payer: add --conf " + confRequesterPays + "=true to the job's default_arguments (or set fs.s3.useRequesterPaysHeader in the script)"}
			} else {
				kind := "a " + c.f.Job.Command.V + " job has no --conf"
				if !c.f.Job.Command.Known {
					kind = "the job's type is not known, so --conf cannot be relied on"
				}
				rf.fix = &fixSpec{op: OpSetBucket, target: TargetBucketSetting, bucket: b.Name, resource: bucketResource(b),
					setting: &Setting{Name: "request_payer", Value: PayerBucketOwner},
					text:    kind + ": pass RequestPayer='requester' in code (then declare it), or turn Requester Pays off"}
			}
			c.add(rf)
		}
	}
}

// foreignUploaders is E2: it names the bucket policy statement that lets
// principals of accounts other than the bucket owner (or anyone) upload into
// a bucket whose ACLs are enabled, or returns "". With BucketOwnerPreferred a
// Deny forcing bucket-owner-full-control transfers every upload to the owner.
func (c *checker) foreignUploaders(b *Bucket, own string) string {
	owner := bucketOwner(b)
	aclsEnabled := own == OwnershipObjectWriter || own == OwnershipBucketOwnerPreferred || (own == "" && b.ACLConfigured)
	if owner == "" || !aclsEnabled || b.Policy == nil || !b.Policy.Known {
		return ""
	}
	var found string
	for i := 0; ; i++ {
		st := statementAt(b.Policy.JSON, i)
		if st == nil {
			break
		}
		if !coversAction(st, actPutObject) {
			continue
		}
		switch {
		case st["Effect"] == "Deny" && conditionKeys(st)["s3:x-amz-acl"]:
			if own == OwnershipBucketOwnerPreferred {
				return ""
			}
		case st["Effect"] == "Allow" && found == "" && foreignPrincipal(st["Principal"], owner):
			found = describeRef(&PolicyRef{Policy: b.Policy.label(), Index: i, Sid: stringOf(st["Sid"])})
		}
	}
	return found
}

// coversAction reports whether a statement's Action patterns match action
// (case-insensitive, * and ? wildcards). NotAction statements are not
// counted: they are too broad to name a writer with confidence.
func coversAction(st map[string]any, action string) bool {
	for _, p := range strs(st["Action"]) {
		if ok, err := path.Match(strings.ToLower(p), strings.ToLower(action)); err == nil && ok {
			return true
		}
	}
	return false
}

// foreignPrincipal reports whether a Principal element names anyone ("*") or
// an AWS principal of an account other than owner.
func foreignPrincipal(p any, owner string) bool {
	var aws []string
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]any:
		aws = strs(v["AWS"])
	}
	for _, a := range aws {
		acct := a
		if strings.HasPrefix(a, "arn:") {
			acct = awsid.AccountOfARN(a)
		}
		if a == "*" || acct != owner {
			return true
		}
	}
	return false
}

// stringOf returns a JSON value as a string, or "".
func stringOf(v any) string {
	s, _ := v.(string)
	return s
}
