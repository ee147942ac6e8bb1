package access

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// bucket finds a bucket fact by name.
func (c *checker) bucket(name string) *Bucket {
	for i := range c.f.Buckets {
		if c.f.Buckets[i].Name == name {
			return &c.f.Buckets[i]
		}
	}
	return nil
}

// bucketOwner returns the bucket's owner account, or "" when not known.
func bucketOwner(b *Bucket) string {
	if b == nil || !b.Owner.Known {
		return ""
	}
	return b.Owner.V
}

// howDeclareBucket tells how to supply facts about a bucket.
func howDeclareBucket(name, attr string) string {
	return `add the bucket to the plan, or declare it in .glueaccess.hcl: bucket "` + name + `" { ` + attr + ` = ... }`
}

// unsupportedBucket names the kind of S3 endpoint a bucket name denotes when
// it is not a general purpose bucket (docs/model.md#s3-endpoints-that-are-not-buckets), or "".
func unsupportedBucket(name string) string {
	switch {
	case strings.HasSuffix(name, "-s3alias"):
		return "an access point alias"
	case strings.HasSuffix(name, "--x-s3"):
		return "an S3 Express directory bucket"
	case strings.HasSuffix(name, ".mrap"):
		return "a Multi-Region Access Point"
	}
	return ""
}

// Condition keys set on every request (see requestContext), made ready once.
var (
	keySourceVpce         = iam.NewContextKey("aws:SourceVpce")
	keySourceVpc          = iam.NewContextKey("aws:SourceVpc")
	keySourceIP           = iam.NewContextKey("aws:SourceIp")
	keyExistingObjectTag  = iam.NewContextKey("s3:ExistingObjectTag/")
	keyS3Prefix           = iam.NewContextKey("s3:prefix")
	keyS3Delimiter        = iam.NewContextKey("s3:delimiter")
	keyS3ACL              = iam.NewContextKey("s3:x-amz-acl")
	keySSE                = iam.NewContextKey("s3:x-amz-server-side-encryption")
	keySSEKey             = iam.NewContextKey("s3:x-amz-server-side-encryption-aws-kms-key-id")
	keyKMSViaService      = iam.NewContextKey("kms:ViaService")
	keyKMSEncryptionS3ARN = iam.NewContextKey("kms:EncryptionContext:aws:s3:arn")
)

// requestContext returns a new request context holding the keys every
// request of the job to resourceAccount carries. They depend only on the job
// and the account, so each set is built once per check, and each request's
// context is derived from it (read through, not copied; the set does not
// change once built).
func (c *checker) requestContext(resourceAccount string) *iam.Context {
	return c.principalBase(resourceAccount).Derive()
}

// principalBase is the set of keys of requestContext.
func (c *checker) principalBase(resourceAccount string) *iam.Context {
	base, ok := c.principalCtx[resourceAccount]
	if !ok {
		base = iam.NewContext()
		c.principalContext(base, resourceAccount)
		c.principalCtx[resourceAccount] = base
	}
	return base
}

// kmsRequestContext is requestContext for the KMS requests S3 makes for the
// job, with the keys every one of them carries: S3 calls KMS with a forward
// access session, the role's identity marked as coming through S3.
func (c *checker) kmsRequestContext(keyAccount string) *iam.Context {
	base, ok := c.kmsCtx[keyAccount]
	if !ok {
		base = c.principalBase(keyAccount).Clone()
		base.Set("aws:ViaAWSService", "true")
		for _, k := range []string{"aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"} {
			base.Set(k, "s3.amazonaws.com")
		}
		// Where the forwarded call comes from is S3's business, not known here.
		base.SetUnknownKey(keySourceIP)
		base.Set("kms:CallerAccount", c.role.Account)
		c.kmsCtx[keyAccount] = base
	}
	return base.Derive()
}

// principalContext sets the keys every request of the job carries (docs/model.md#the-request).
func (c *checker) principalContext(ctx *iam.Context, resourceAccount string) {
	ctx.Set("aws:PrincipalArn", c.role.ARN)
	ctx.Set("aws:PrincipalAccount", c.role.Account)
	ctx.Set("aws:PrincipalType", "AssumedRole")
	ctx.Set("aws:PrincipalIsAWSService", "false")
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:ViaAWSService", "false")
	if c.region != "" {
		ctx.Set("aws:RequestedRegion", c.region)
	} else {
		ctx.SetUnknown("aws:RequestedRegion")
	}
	if c.role.UniqueID != "" {
		ctx.Set("aws:userid", c.role.UniqueID+":"+sessionName)
	} else {
		ctx.SetUnknown("aws:userid")
	}
	if r := c.f.Role; r.Tags.Known {
		for _, k := range slices.Sorted(maps.Keys(r.Tags.V)) {
			ctx.Set("aws:PrincipalTag/"+k, r.Tags.V[k])
		}
	} else {
		// A tag the role may carry is neither present nor absent: a
		// condition or policy variable on it is unknown, never "no value"
		// (negated operators match a missing key).
		ctx.SetUnknownPrefix("aws:PrincipalTag/")
	}
	if resourceAccount != "" {
		ctx.Set("aws:ResourceAccount", resourceAccount)
	} else {
		ctx.SetUnknown("aws:ResourceAccount")
	}
	c.orgKeys(ctx, "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", c.role.Account)
	c.orgKeys(ctx, "aws:ResourceOrgID", "aws:ResourceOrgPaths", resourceAccount)
}

// orgKeys sets an account's organization id and path keys (aws:PrincipalOrg*
// for the role's account, aws:ResourceOrg* for the resource's). The id needs
// the organization id and the account in the tree; the path also needs every
// parent up to the root. AWS writes the path as
// o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/: the organization,
// the root and the OUs above the account, each followed by "/" (IAM User
// Guide, "AWS global condition context keys", aws:PrincipalOrgPaths).
// Anything missing leaves the key unknown, never absent.
func (c *checker) orgKeys(ctx *iam.Context, idKey, pathKey, account string) {
	o := c.f.Org
	if o == nil || !o.ID.Known || o.ID.V == "" || account == "" || !c.inOrg(account) {
		ctx.SetUnknown(idKey)
		ctx.SetUnknown(pathKey)
		return
	}
	ctx.Set(idKey, o.ID.V)
	if p, ok := c.orgPath(account); ok {
		ctx.Set(pathKey, p)
	} else {
		ctx.SetUnknown(pathKey)
	}
}

// orgPath returns the organization path of an account, false when its chain
// of parents does not reach the root through known nodes.
func (c *checker) orgPath(account string) (string, bool) {
	p := c.orgIdx().place(account).orgPath
	return p, p != ""
}

// inOrg reports whether an account is a node of the organization.
func (c *checker) inOrg(account string) bool {
	if _, ok := c.orgIdx().byID[account]; ok {
		return true
	}
	return c.f.Org.ManagementAccount.Known && c.f.Org.ManagementAccount.V == account
}

// aclHeader is the canned ACL the job sends, in header form.
func (c *checker) aclHeader() string {
	for _, k := range []string{confCannedACL, confS3AACL} {
		if v, ok := c.args.Conf[k]; ok {
			switch strings.ToLower(strings.TrimSpace(v.Value)) {
			case "bucketownerfullcontrol", "bucket-owner-full-control":
				return cannedOwnerFull
			case "bucketownerread", "bucket-owner-read":
				return "bucket-owner-read"
			default:
				return strings.ToLower(strings.TrimSpace(v.Value))
			}
		}
	}
	return ""
}

// checkS3 evaluates one S3 need.
func (c *checker) checkS3(n Need) {
	ls := c.identity.clone()
	if ls.invalid {
		return
	}
	if kind := unsupportedBucket(n.Bucket); kind != "" {
		// Access points and directory buckets have their own authorization
		// (access point policies, s3express:CreateSession).
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonUnsupportedEndpoint, Need: n,
			Because: fmt.Sprintf("%s is %s, whose authorization path is not modelled", n.Bucket, kind),
			Missing: []Missing{{Fact: "authorization of " + kind + " " + n.Bucket, How: "use the underlying general purpose bucket name, or check this access by hand"}}})
		return
	}
	b := c.bucket(n.Bucket)
	owner := bucketOwner(b)
	// private is the bucket policy without its public grants, set when S3
	// may or may not ignore them (RestrictPublicBuckets not known).
	var private *iam.Policy
	ctx := c.requestContext(owner)
	req := &iam.Request{Principal: c.principal(), Action: n.Action, Resource: n.Resource, ResourceAccount: owner, Context: ctx}
	if owner == "" {
		// The engine needs an account; with the owner unknown every layer
		// that depends on it is marked unknown below.
		req.ResourceAccount = c.role.Account
	}
	ls.resourceLabel = "bucket policy of " + n.Bucket
	switch {
	case b == nil:
		ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerResource}, Reason: ReasonBucketNotInPlan, Missing: Missing{
			Fact: "bucket " + n.Bucket + " (owner account and bucket policy)", How: howDeclareBucket(n.Bucket, "owner_account")}})
	case owner == "":
		fact := "owner account of bucket " + n.Bucket
		if from := b.Owner.From.String(); from != "" && b.Address != "" {
			// The bucket is in the plan: say why its owner is not known.
			fact += " (" + from + ")"
		}
		ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerResource}, Reason: ReasonBucketNotInPlan, Missing: Missing{
			Fact: fact, How: howDeclareBucket(n.Bucket, "owner_account")}})
	case b.Policy != nil:
		ls.resourceLabel = b.Policy.label()
		pp := c.parse(b.Policy, iam.KindResource, GA002)
		switch {
		case pp.err != nil:
			return
		case pp.unknown:
			ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerResource}, Reason: ReasonBucketPolicyUnmanaged, Missing: Missing{
				Fact: "bucket policy of " + n.Bucket + " (" + b.Policy.From.String() + ")",
				How:  "manage the policy in the plan (aws_s3_bucket_policy), read it with data \"aws_s3_bucket_policy\", or declare policy_json for the bucket in .glueaccess.hcl"}})
		default:
			ls.in.Resource = pp.p
			if owner != c.role.Account {
				on, known := restrictsPublic(b)
				if p, ok := c.withoutPublicAllows(b.Policy); ok && on {
					ls.in.Resource, ls.publicIgnored = p, true
				} else if ok && !known {
					private = p
				}
			}
		}
	}
	var bucketRegion Value[string]
	if b != nil {
		bucketRegion = b.Region
	}
	// The deprecated --disable-proxy covered exactly these S3 script and
	// library downloads (docs/model.md#ga004-vpc-endpoint-policy).
	noProxy := c.args.truthy("--disable-proxy-v2") || c.args.truthy("--disable-proxy")
	r := routeFor(c.base, n.Intent, noProxy, bucketRegion, c.region)
	switch {
	case r.through():
		if b != nil && b.Region.Known {
			ctx.SetKey(keySourceVpce, r.Endpoint.ID)
			ctx.SetKey(keySourceVpc, r.VPCID)
		} else {
			// A bucket of another Region is not served by the endpoint: the
			// keys are present or absent depending on the bucket's Region.
			// The endpoint policy is still applied, which can only restrict.
			ctx.SetUnknownKey(keySourceVpce)
			ctx.SetUnknownKey(keySourceVpc)
		}
		ls.endpointLabel = r.Endpoint.Address
		if ls.endpointLabel == "" {
			ls.endpointLabel = r.Endpoint.ID
		}
		if p := r.Endpoint.Policy; p != nil {
			ls.endpointLabel = p.label()
			pp := c.parse(p, iam.KindEndpoint, GA004)
			switch {
			case pp.err != nil:
				return
			case pp.unknown:
				ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerEndpoint}, Reason: ReasonRoutingUnknown, Missing: Missing{
					Fact: "policy of VPC endpoint " + r.Endpoint.ID + " (" + p.From.String() + ")", How: "make the endpoint policy known at plan time"}})
			default:
				ls.in.Endpoint = pp.p
			}
		}
	case r.Kind == RouteUnknown:
		ctx.SetUnknownKey(keySourceVpce)
		ctx.SetUnknownKey(keySourceVpc)
		ctx.SetUnknownKey(keySourceIP)
		ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerEndpoint}, Reason: ReasonRoutingUnknown, Missing: *r.Missing})
	default:
		ctx.SetUnknownKey(keySourceIP)
	}
	switch n.Action {
	case actGetObject:
		// The tags of an object the job reads are not in the plan; S3 sets
		// s3:ExistingObjectTag/<key> from them (Amazon S3 condition keys).
		ctx.SetUnknownPrefixKey(keyExistingObjectTag)
	case actListBucket, actListBucketMPU:
		if n.Prefix != "" {
			ctx.SetKey(keyS3Prefix, n.Prefix)
		}
		ctx.SetKey(keyS3Delimiter, "/")
	case actPutObject, actPutObjectACL:
		switch h := c.aclHeader(); {
		case h == "" || !c.sendACL:
		case !c.f.Job.Command.Known:
			ctx.SetUnknownKey(keyS3ACL)
		default:
			ctx.SetKey(keyS3ACL, h)
		}
	}
	if n.Action == actPutObject {
		c.sseHeaders(ctx)
	}
	c.addOrg(&ls, owner)
	if private != nil {
		c.publicGrantUnknown(&ls, private, req, b)
	}
	if n.Unknown != "" && !c.decidedForEveryKey(n, req, ls) {
		return
	}
	c.decide(n, req, ls, false, owner)
}

// decidedForEveryKey handles a need whose object key ends in a value known
// only after apply. It evaluates the request for the known start of the key
// and reports whether that answer holds for every value: when an explicit
// Deny that covers every such key decides, or when no statement of the
// request's policies covers some keys that start so and not others (an
// Allow on libs/* decides every key under libs/). Otherwise it records the
// need as unknown, naming the value and the statements that depend on it,
// and returns false.
func (c *checker) decidedForEveryKey(n Need, req *iam.Request, ls layerSet) bool {
	head := "arn:" + c.part + ":s3:::" + n.Bucket + "/" + n.Prefix
	req.Resource = head
	var deps []iam.StatementRef
	for _, p := range ls.policies() {
		deps = append(deps, p.SegmentDependent(n.Action, head)...)
	}
	res := iam.Evaluate(&ls.in, req)
	if res.Decision == iam.ExplicitlyDenied {
		for _, st := range res.Statements {
			if st.Effect == iam.Deny && !slices.ContainsFunc(deps, func(d iam.StatementRef) bool { return d.Policy == st.Policy && d.Index == st.Index }) {
				c.notes = append(c.notes, fmt.Sprintf("%s on %s is decided for every value of %s: %s denies every key under s3://%s/%s", n.Action, n.Resource, n.Unknown, stmtName(st), n.Bucket, n.Prefix))
				return true
			}
		}
	}
	if len(deps) == 0 {
		if res.Decision == iam.Allowed && len(res.Statements) > 0 {
			var by []string
			for _, st := range res.Statements {
				by = append(by, stmtName(st))
			}
			verb := "allows"
			if len(by) > 1 {
				verb = "allow"
			}
			c.notes = append(c.notes, fmt.Sprintf("%s on %s is decided for every value of %s: %s %s every key under s3://%s/%s, and no statement covers only some of them", n.Action, n.Resource, n.Unknown, strings.Join(by, ", "), verb, n.Bucket, n.Prefix))
		}
		return true
	}
	var names []string
	for _, d := range deps {
		names = append(names, stmtName(d))
	}
	c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLocationUnknown, Need: n, variant: n.Unknown,
		Because: fmt.Sprintf("the key of %s ends in %s, known only after apply, and %s covers some keys under s3://%s/%s and not others, so whether role %s may perform %s on it cannot be decided",
			n.URL, n.Unknown, strings.Join(names, ", "), n.Bucket, n.Prefix, c.role.Name, n.Action),
		Missing: []Missing{{Fact: n.Unknown + " (the end of the key of " + n.URL + ")",
			How: "give the object a key known at plan time, or grant (or deny) every key under s3://" + n.Bucket + "/" + n.Prefix}}})
	return false
}

// publicGrantUnknown makes the bucket-policy layer unknown when the request
// is allowed only thanks to public grants that RestrictPublicBuckets, whose
// value is not known, would set aside for another account's role.
func (c *checker) publicGrantUnknown(ls *layerSet, private *iam.Policy, req *iam.Request, b *Bucket) {
	in := ls.in
	in.Resource = private
	if iam.Evaluate(&ls.in, req).Decision != iam.Allowed || iam.Evaluate(&in, req).Decision == iam.Allowed {
		return
	}
	ls.in.Resource, ls.publicIgnored = private, true
	ls.unknown = append(ls.unknown, unknownLayer{Layer: iam.Layer{Kind: iam.LayerResource}, Reason: ReasonRestrictPublicBuckets, Missing: Missing{
		Fact: "RestrictPublicBuckets of bucket " + b.Name + " (only a public statement of its policy grants the role, and S3 ignores those for other accounts when it is on)",
		How:  "manage aws_s3_bucket_public_access_block for the bucket, declare it in .glueaccess.hcl, or grant the role by ARN in the bucket policy"}})
}

// sseHeaders sets the encryption headers a job's PutObject carries
// (docs/model.md#the-request): the security configuration's, else --encryption-type sse-s3, else
// none (bucket default encryption does not populate them).
func (c *checker) sseHeaders(ctx *iam.Context) {
	sc := c.f.Job.SecurityConfiguration
	if sc != nil {
		if !sc.S3EncryptionMode.Known {
			ctx.SetUnknownKey(keySSE)
			ctx.SetUnknownKey(keySSEKey)
			return
		}
		switch sc.S3EncryptionMode.V {
		case S3EncryptionSSEKMS:
			ctx.SetKey(keySSE, string(SSEKMS))
			if k, ok := c.resolveKeyARN(sc.S3KMSKeyARN); ok {
				ctx.SetKey(keySSEKey, k)
			} else {
				ctx.SetUnknownKey(keySSEKey)
			}
			return
		case S3EncryptionSSES3:
			ctx.SetKey(keySSE, string(SSEAES256))
			return
		}
	}
	if v, ok := c.args.Args["--encryption-type"]; ok && strings.EqualFold(v.Value, "sse-s3") {
		ctx.SetKey(keySSE, string(SSEAES256))
	}
}

// restrictsPublic reports whether RestrictPublicBuckets is in force: set, or
// implied for a bucket this plan creates without a public-access block
// (NewBucketBlockPublicAccess); known is false when neither says.
func restrictsPublic(b *Bucket) (on, known bool) {
	r := b.PublicAccess.RestrictPublicBuckets
	switch {
	case r.Known:
		return r.V, true
	case b.CreatedInPlan && r.From.IsZero():
		return NewBucketBlockPublicAccess.Value, true
	}
	return false, false
}

// nonPublicKeys are the condition keys whose fixed values make a statement
// non-public in S3's sense.
var nonPublicKeys = map[string]bool{
	"aws:sourceip": true, "aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceowner": true,
	"aws:sourceaccount": true, "aws:principalorgid": true, "aws:principalaccount": true, "aws:principalarn": true, "aws:userid": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true, "s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
}

// isPublicAllow reports whether a statement is a public grant: an Allow to
// every principal without a condition that fixes who or where.
func isPublicAllow(st map[string]any) bool {
	if st["Effect"] != "Allow" {
		return false
	}
	anyone := false
	switch p := st["Principal"].(type) {
	case string:
		anyone = p == "*"
	case map[string]any:
		for _, v := range strs(p["AWS"]) {
			anyone = anyone || v == "*"
		}
	}
	if !anyone {
		return false
	}
	for k := range conditionKeys(st) {
		if nonPublicKeys[k] {
			return false
		}
	}
	return true
}

// withoutPublicAllows returns the bucket policy with its public Allow
// statements neutralised (statement positions kept, so references stay
// right), as S3 ignores them for cross-account callers under
// RestrictPublicBuckets; ok is false when the policy has none.
func (c *checker) withoutPublicAllows(doc *PolicyDoc) (*iam.Policy, bool) {
	var d map[string]any
	if json.Unmarshal([]byte(doc.JSON), &d) != nil {
		return nil, false
	}
	list, _ := d["Statement"].([]any)
	if m, ok := d["Statement"].(map[string]any); ok {
		list = []any{m}
	}
	changed := false
	for _, e := range list {
		st, _ := e.(map[string]any)
		if st == nil || !isPublicAllow(st) {
			continue
		}
		// A Null test on a key every request carries never holds.
		cond, _ := st["Condition"].(map[string]any)
		if cond == nil {
			cond = map[string]any{}
		}
		null, _ := cond["Null"].(map[string]any)
		if null == nil {
			null = map[string]any{}
		}
		null["aws:PrincipalArn"] = "true"
		cond["Null"] = null
		st["Condition"] = cond
		changed = true
	}
	if !changed {
		return nil, false
	}
	d["Statement"] = list
	b, err := json.Marshal(d)
	if err != nil {
		return nil, false
	}
	p, err := c.parsePolicy(string(b), iam.KindResource, doc.label(), false)
	if err != nil {
		return nil, false
	}
	return p, true
}
