package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// actionsPlaceholder in a clause is replaced by the group's actions: "the
// s3:GetObject action", "the s3:GetObject, s3:PutObject actions".
const actionsPlaceholder = "{actions}"

// rawFinding is one finding about one need, before grouping.
type rawFinding struct {
	ID        CheckID
	Verdict   Verdict
	Reason    string
	Need      Need
	Because   string
	DecidedBy *PolicyRef
	Missing   []Missing
	// fix describes the fix; the statements of add-statement fixes are built
	// from all needs of the group.
	fix *fixSpec
	// clause ends AWS-style messages ("because no identity-based policy
	// allows ...", "with an explicit deny in ..."); when set, the group's
	// Because is rebuilt from all its needs.
	clause string
	// variant separates findings whose explanations differ although they
	// share reason and missing facts.
	variant string
}

func (c *checker) add(r rawFinding) { c.raw = append(c.raw, r) }

// decide evaluates one request and records the findings. resOwner is the
// account owning the resource ("" = unknown).
func (c *checker) decide(n Need, req *iam.Request, ls layerSet, kms bool, resOwner string) {
	if ls.invalid {
		return
	}
	res, despite := iam.EvaluateDespite(&ls.in, req)
	if res.RequestError != "" {
		c.add(rawFinding{ID: checkFor(iam.LayerIdentity, kms), Verdict: UnknownVerd, Reason: ReasonLocationUnknown, Need: n,
			Because: "the request could not be evaluated: " + res.RequestError,
			Missing: []Missing{{Fact: "a well-formed resource for " + n.Why, How: "use complete s3:// URLs and key ARNs"}}})
		return
	}
	if !n.Required {
		if res.Decision != iam.Allowed {
			kind := "recommended"
			if n.Action == actKMSEncrypt {
				kind = "advisory" // S3 never calls it (docs/model.md#kms-needs)
			}
			if why, ok := c.undecided(res, ls, kms, resOwner); ok {
				c.notes = append(c.notes, fmt.Sprintf("%s %s on %s is not known to be allowed: %s", kind, n.Action, n.Resource, why))
			} else {
				c.gaps = append(c.gaps, ActionGap{Kind: kind, Action: n.Action, Resource: n.Resource, Decision: res.Decision.String(), Layer: string(res.DecidedBy.Kind)})
			}
		}
		return
	}
	switch res.Decision {
	case iam.ExplicitlyDenied:
		c.explicitDeny(n, res, kms, ls)
		c.decidedDespite(n, res, despite)
	case iam.Unknown:
		c.unknownKeys(n, res, kms, ls)
	case iam.Allowed:
		if len(ls.unknown) > 0 {
			// A policy that is not known may deny.
			for _, u := range ls.unknown {
				c.unknownLayerFinding(n, u, checkFor(u.Layer.Kind, kms), "the known policies allow it, but "+u.Missing.Fact+" is not known and may deny it")
			}
			return
		}
		c.decidedDespite(n, res, despite)
		for _, u := range ls.uncertain {
			in := ls.in
			if u.kind == iam.LayerSCP {
				in.SCPs = append(slices.Clone(in.SCPs), u.policies)
			} else {
				in.RCPs = append(slices.Clone(in.RCPs), u.policies)
			}
			if r2 := iam.Evaluate(&in, req); r2.Decision != iam.Allowed || u.opaque {
				verb := "would block"
				if r2.Decision == iam.Allowed {
					verb = "holds a policy not known that may block"
				}
				c.add(rawFinding{ID: GA007, Verdict: UnknownVerd, Reason: ReasonOrgStructureUnknown, Need: n, variant: verb,
					Because:   fmt.Sprintf("%s %s %s on %s %s", u.what, verb, n.Action, n.Resource, u.cond),
					DecidedBy: &PolicyRef{Layer: string(u.kind), Node: u.node, Policy: u.policy, Index: -1},
					Missing:   []Missing{u.missing}})
			}
		}
		if ls.incomplete {
			c.assume("unlisted-policies", "policies attached to role "+c.role.Name+" outside the inputs are assumed to contain no Deny")
		}
		if len(ls.unresolved) > 0 {
			c.assume("unresolved-policies", "attached policies that could not be resolved ("+strings.Join(ls.unresolved, ", ")+") are assumed to contain no Deny")
		}
	case iam.ImplicitlyDenied:
		if c.grantMayAllow(n, req, ls) {
			return
		}
		layers := res.NotAllowedBy
		if len(layers) == 0 {
			layers = []iam.Layer{res.DecidedBy}
		}
		sameAccount := resOwner == "" || resOwner == c.role.Account
		keyFailed := slices.ContainsFunc(layers, func(l iam.Layer) bool { return l.Kind == iam.LayerKeyPolicy })
		rescued := false
		for _, l := range layers {
			if kms && sameAccount && keyFailed && l.Kind == iam.LayerIdentity {
				// Same account, a key-policy statement naming the role grants
				// on its own: the key policy is the one fix needed.
				continue
			}
			if ul, ok := c.rescue(l, ls, kms, resOwner); ok {
				rescued = true
				// The condition at stake is the layer that failed to allow
				// (a role without an Allow is GA001 even when only a bucket
				// policy not known could stand in for it).
				c.unknownLayerFinding(n, ul, checkFor(l.Kind, kms), "no known policy allows it, and "+ul.Missing.Fact+" is not known")
				continue
			}
			c.missingAllow(n, req, l, ls, kms, resOwner)
		}
		if !rescued {
			c.decidedDespite(n, res, despite)
		}
	}
}

// undecided says why a request the known facts do not allow may yet be
// allowed: its condition keys are not known, or every layer that does not
// allow it could once the facts it lacks are known (the policies of a
// configuration not evaluated, say). It is false when the refusal stands
// whatever is not known: an explicit deny, or a layer that is fully known.
func (c *checker) undecided(res iam.Result, ls layerSet, kms bool, resOwner string) (string, bool) {
	switch res.Decision {
	case iam.Unknown:
		what, count := unknownsOf(res, "")
		return "it depends on " + what + ", which " + plural(count, "is", "are") + " not known at plan time", true
	case iam.ImplicitlyDenied:
		layers := res.NotAllowedBy
		if len(layers) == 0 {
			layers = []iam.Layer{res.DecidedBy}
		}
		var facts []string
		for _, l := range layers {
			u, ok := c.rescue(l, ls, kms, resOwner)
			if !ok {
				return "", false
			}
			if !slices.Contains(facts, u.Missing.Fact) {
				facts = append(facts, u.Missing.Fact)
			}
		}
		return "no known policy allows it, and " + joinList(facts, "and") + " " + plural(len(facts), "is", "are") + " not known", true
	}
	return "", false
}

// unknownsOf names what an unknown result depends on: its condition keys and
// the unknown leaves of its policies (where says in which statements), with
// how many things it names.
func unknownsOf(res iam.Result, where string) (string, int) {
	what, count := joinList(res.UnknownKeys, "and"), len(res.UnknownKeys)
	if len(res.UnknownLeaves) > 0 {
		leaves := "the value of " + strings.Join(res.UnknownLeaves, ", ") + where
		if what == "" {
			what = leaves
		} else {
			what += " and " + leaves
		}
		count++
	}
	return what, count
}

// decidedDespite notes what a decision reached with unknown leaves in the
// request's policies rests on: it holds for every value of them.
func (c *checker) decidedDespite(n Need, res iam.Result, despite []string) {
	if len(despite) == 0 {
		return
	}
	var by []string
	for _, st := range res.Statements {
		if res.Decision != iam.ExplicitlyDenied || st.Effect == iam.Deny {
			by = append(by, stmtName(st))
		}
	}
	var how string
	switch res.Decision {
	case iam.Allowed:
		how = "allowed by " + strings.Join(by, ", ")
	case iam.ExplicitlyDenied:
		how = "denied by " + strings.Join(by, ", ")
	default:
		how = "no " + layerWords[res.DecidedBy.Kind] + " allows it"
	}
	c.notes = append(c.notes, fmt.Sprintf("%s on %s is decided for every value of %s: %s", n.Action, n.Resource, strings.Join(despite, ", "), how))
}

// grantMayAllow reports, and records as unknown, a request that a KMS grant
// whose grantee is not known would allow were it granted to the role.
func (c *checker) grantMayAllow(n Need, req *iam.Request, ls layerSet) bool {
	var missing []Missing
	var labels []string
	for _, g := range ls.maybeGrants {
		in := ls.in
		in.Grants = append(slices.Clone(ls.in.Grants), g.grant)
		if r := iam.Evaluate(&in, req); r.Decision == iam.Allowed || r.Decision == iam.Unknown {
			missing = append(missing, g.missing)
			labels = append(labels, g.grant.Label)
		}
	}
	if len(missing) == 0 {
		return false
	}
	c.add(rawFinding{ID: GA005, Verdict: UnknownVerd, Reason: ReasonPolicyUnknown, Need: n, Missing: missing,
		Because: fmt.Sprintf("whether role %s may perform %s on %s cannot be decided: no known policy allows it, and the grantee of %s, which would allow it, is not known",
			c.role.Name, n.Action, n.Resource, strings.Join(labels, ", "))})
	return true
}

// rescue reports whether a layer that did not allow might allow once the
// unknown facts are known, and which unknown fact would decide.
func (c *checker) rescue(l iam.Layer, ls layerSet, kms bool, resOwner string) (unknownLayer, bool) {
	find := func(k iam.LayerKind, level int) (unknownLayer, bool) {
		for _, u := range ls.unknown {
			if u.Layer.Kind == k && (u.Layer.Level == level || (k != iam.LayerSCP && k != iam.LayerRCP)) {
				return u, true
			}
		}
		return unknownLayer{}, false
	}
	switch l.Kind {
	case iam.LayerIdentity, iam.LayerSession:
		if u, ok := find(iam.LayerIdentity, 0); ok {
			return u, true
		}
		if len(ls.unresolved) > 0 {
			return unknownLayer{Layer: l, Reason: ReasonUnresolvedPolicies, Missing: Missing{
				Fact: "documents of attached policies " + strings.Join(ls.unresolved, ", "),
				How:  "add the aws_iam_policy resources (or data \"aws_iam_policy\") for them to the plan"}}, true
		}
		if ls.incomplete {
			return unknownLayer{Layer: l, Reason: ReasonUnresolvedPolicies, Missing: Missing{
				Fact: "the complete set of policies attached to role " + c.role.Name,
				How:  "manage the role's attachments in the plan (or with aws_iam_role_policy_attachments_exclusive)"}}, true
		}
		// Same account, a bucket or key policy naming the role can grant
		// without an identity Allow.
		if resOwner == "" || resOwner == c.role.Account {
			if u, ok := find(iam.LayerResource, 0); ok {
				return u, true
			}
			if u, ok := find(iam.LayerKeyPolicy, 0); ok {
				return u, true
			}
		}
	case iam.LayerResource, iam.LayerKeyPolicy:
		if u, ok := find(iam.LayerResource, 0); ok {
			return u, true
		}
		return find(iam.LayerKeyPolicy, 0)
	default:
		return find(l.Kind, l.Level)
	}
	return unknownLayer{}, false
}

// unknownLayerFinding reports a need as unknown because of an unknown layer.
func (c *checker) unknownLayerFinding(n Need, u unknownLayer, id CheckID, why string) {
	reason := u.Reason
	if reason == "" {
		reason = ReasonPolicyUnknown
	}
	c.add(rawFinding{ID: id, Verdict: UnknownVerd, Reason: reason, Need: n, variant: why,
		Because: fmt.Sprintf("whether role %s may perform %s on %s cannot be decided: %s", c.role.Name, n.Action, n.Resource, why),
		Missing: []Missing{u.Missing}})
}

// unknownKeys reports a need the engine could not decide because condition
// keys are unknown.
func (c *checker) unknownKeys(n Need, res iam.Result, kms bool, ls layerSet) {
	layer := res.DecidedBy
	var ref *PolicyRef
	if len(res.Statements) > 0 {
		s := res.Statements[0]
		layer = s.Layer
		ref = c.ref(s, ls)
	}
	var missing []Missing
	reason := ReasonConditionUnknown
	if len(res.UnknownKeys) == 0 {
		reason = ReasonPolicyUnknown
	}
	id := checkFor(layer.Kind, kms)
	var stmts []string
	for _, st := range res.Statements {
		stmts = append(stmts, stmtName(st))
	}
	for _, l := range res.UnknownLeaves {
		missing = append(missing, Missing{Fact: l + " (known only after apply; read by " + strings.Join(stmts, ", ") + ")",
			How: "make " + l + " known at plan time, or let the statements that decide the request not depend on it"})
	}
	for _, k := range res.UnknownKeys {
		if strings.EqualFold(k, "s3:x-amz-acl") {
			// Whether the ACL a bucket requires is sent is E4 (GA003).
			id = GA003
		}
		m := c.howKey(k)
		switch {
		case strings.HasPrefix(strings.ToLower(k), "aws:sourcevpc") && c.base.Kind == RouteUnknown:
			reason = ReasonRoutingUnknown
			if c.base.Missing != nil {
				m = *c.base.Missing
			}
		case strings.HasPrefix(strings.ToLower(k), "aws:sourcevpc") && c.base.through() && n.Bucket != "" && !kms:
			m = Missing{Fact: "Region of bucket " + n.Bucket + " (the VPC endpoint serves only buckets of its own Region)", How: howDeclareBucket(n.Bucket, "region")}
		}
		missing = append(missing, m)
	}
	what, count := unknownsOf(res, " in "+strings.Join(stmts, ", "))
	c.add(rawFinding{ID: id, Verdict: UnknownVerd, Reason: reason, Need: n, DecidedBy: ref,
		Because: fmt.Sprintf("whether role %s may perform %s on %s depends on %s, which %s not known at plan time", c.role.Name, n.Action, n.Resource,
			what, plural(count, "is", "are")),
		Missing: missing})
}

// howKey explains an unknown condition key.
func (c *checker) howKey(k string) Missing {
	switch strings.ToLower(k) {
	case "aws:sourceip":
		return Missing{Fact: "aws:SourceIp (the job's egress address is not knowable when it does not use a VPC endpoint)",
			How: "attach the job to a VPC connection whose subnet routes S3 through a VPC endpoint, or exempt the role with an aws:PrincipalArn condition"}
	case "aws:principalorgid", "aws:principalorgpaths", "aws:resourceorgid", "aws:resourceorgpaths":
		return Missing{Fact: k + " (organization id, and for a path the account's place in the organization tree)",
			How: "supply the organization id (o-...) and the tree of OUs and accounts (plan of the management account, configuration file, the organization block of the data source, or a live lookup)"}
	case "aws:resourceaccount":
		return Missing{Fact: "aws:ResourceAccount (owner of the resource)", How: "declare the bucket's owner_account in .glueaccess.hcl"}
	case "aws:userid":
		return Missing{Fact: "aws:userid (the role's unique id, assigned when the role is created)", How: "condition on aws:PrincipalArn instead, or check again once the role exists"}
	case "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id":
		return Missing{Fact: k + " (the job's security configuration)", How: "add the aws_glue_security_configuration to the plan"}
	case "s3:x-amz-acl":
		return Missing{Fact: "s3:x-amz-acl (whether the job sends its --conf canned ACL, which only Spark jobs read)", How: "set command.name of " + c.f.Job.Address + " to a known value"}
	case "kms:encryptioncontext:aws:s3:arn":
		return Missing{Fact: "whether S3 Bucket Keys are enabled on the bucket (they switch the encryption context from the object ARN to the bucket ARN)",
			How: "manage the bucket's aws_s3_bucket_server_side_encryption_configuration (bucket_key_enabled) in the plan"}
	case "aws:sourcevpce", "aws:sourcevpc":
		return Missing{Fact: k + " (the job's network path)", How: "add the job's connections, subnet, route table and VPC endpoints to the plan"}
	}
	return Missing{Fact: k, How: "make the value of " + k + " known at plan time"}
}

// ref converts an engine statement reference.
func (c *checker) ref(s iam.StatementRef, ls layerSet) *PolicyRef {
	r := &PolicyRef{Layer: string(s.Layer.Kind), Level: s.Layer.Level, Policy: s.Policy, Index: s.Index, Sid: s.Sid}
	r.Node = levelNode(s.Layer, ls)
	return r
}

// levelNode returns the organization node of an SCP/RCP level.
func levelNode(l iam.Layer, ls layerSet) string {
	switch l.Kind {
	case iam.LayerSCP:
		if l.Level >= 0 && l.Level < len(ls.scpNodes) {
			return ls.scpNodes[l.Level]
		}
	case iam.LayerRCP:
		if l.Level >= 0 && l.Level < len(ls.rcpNodes) {
			return ls.rcpNodes[l.Level]
		}
	}
	return ""
}

// layerWords are the AWS words for each layer in denial messages.
var layerWords = map[iam.LayerKind]string{
	iam.LayerIdentity:  "identity-based policy",
	iam.LayerBoundary:  "permissions boundary",
	iam.LayerSession:   "session policy",
	iam.LayerResource:  "resource-based policy",
	iam.LayerKeyPolicy: "resource-based policy",
	iam.LayerGrant:     "KMS grant",
	iam.LayerSCP:       "service control policy",
	iam.LayerRCP:       "resource control policy",
	iam.LayerEndpoint:  "VPC endpoint policy",
}

// explicitDeny records an explicit deny: one finding per matching Deny
// statement, so that every layer that blocks gets its own fix.
func (c *checker) explicitDeny(n Need, res iam.Result, kms bool, ls layerSet) {
	found := false
	for _, s := range res.Statements {
		if s.Effect == iam.Deny {
			found = true
			c.denyStatement(n, s, kms, ls)
		}
	}
	if !found {
		c.denyStatement(n, iam.StatementRef{Layer: res.DecidedBy, Index: -1}, kms, ls)
	}
}

// denyStatement records the finding of one matching Deny statement.
func (c *checker) denyStatement(n Need, deny iam.StatementRef, kms bool, ls layerSet) {
	ref := c.ref(deny, ls)
	id := checkFor(deny.Layer.Kind, kms)
	stmt := c.statementOf(deny.Policy, deny.Index)
	reason := denyReason(deny.Layer.Kind, stmt, n.Action)
	clause := fmt.Sprintf("with an explicit deny in %s (%s)", withArticle(layerWords[deny.Layer.Kind]), ref.statement())
	rf := rawFinding{ID: id, Verdict: Deny, Reason: reason, Need: n, DecidedBy: ref, clause: clause}
	if reason == ReasonACLRequiredNotSent {
		// E4: the bucket requires bucket-owner-full-control and the job does
		// not send it, reported under GA003. A Spark job is fixed by its
		// setting; other jobs read no --conf, so the Deny has to exempt them.
		rf.ID = GA003
		if c.sparkJob() {
			rf.fix = &fixSpec{op: OpSetArgument, target: TargetJobArgument, resource: c.f.Job.Address,
				setting: &Setting{Name: "--conf", Value: confCannedACL + "=BucketOwnerFullControl"},
				text:    "make the job send the bucket-owner-full-control ACL (and allow s3:PutObjectAcl wherever s3:PutObject is allowed)"}
		} else if rf.fix = c.exemptFix(deny.Layer.Kind, ref, stmt, n); rf.fix != nil {
			rf.fix.text += "; or send ACL='bucket-owner-full-control' from the job's code and declare it"
		}
	} else {
		rf.fix = c.exemptFix(deny.Layer.Kind, ref, stmt, n)
		if rf.fix != nil {
			switch reason {
			case ReasonVPCECondition:
				rf.fix.text += "; or attach the job to a VPC connection whose subnet routes S3 through the allowed endpoint"
			case ReasonSSECondition:
				rf.fix.text += "; or give the job a security configuration with the S3 encryption the policy requires"
			}
		}
	}
	c.add(rf)
}

// denyReason derives the reason code of an explicit deny from the deciding
// layer and statement.
func denyReason(k iam.LayerKind, stmt map[string]any, action string) string {
	switch k {
	case iam.LayerSCP:
		return ReasonSCPDeny
	case iam.LayerRCP:
		return ReasonRCPDeny
	case iam.LayerEndpoint:
		return ReasonEndpointDenies
	case iam.LayerResource:
		keys := conditionKeys(stmt)
		switch {
		case stmt["NotPrincipal"] != nil:
			return ReasonNotPrincipalSession
		case keys["aws:sourcevpce"] || keys["aws:sourcevpc"]:
			return ReasonVPCECondition
		case keys["s3:x-amz-acl"] && action == actPutObject:
			return ReasonACLRequiredNotSent
		case keys["s3:x-amz-server-side-encryption"] || keys["s3:x-amz-server-side-encryption-aws-kms-key-id"]:
			return ReasonSSECondition
		}
	}
	return ReasonExplicitDeny
}

// conditionKeys lists the (lower-cased) condition keys of a statement.
func conditionKeys(stmt map[string]any) map[string]bool {
	out := map[string]bool{}
	cond, _ := stmt["Condition"].(map[string]any)
	for _, block := range cond {
		m, _ := block.(map[string]any)
		for k := range m {
			out[strings.ToLower(k)] = true
		}
	}
	return out
}

// missingAllow records a layer that did not allow a required need.
func (c *checker) missingAllow(n Need, req *iam.Request, l iam.Layer, ls layerSet, kms bool, resOwner string) {
	id := checkFor(l.Kind, kms)
	ref := &PolicyRef{Layer: string(l.Kind), Level: l.Level, Index: -1}
	var reason string
	fs := &fixSpec{op: OpAddStatement}
	switch l.Kind {
	case iam.LayerIdentity, iam.LayerSession:
		ref.Policy = ls.identityLabel
		reason = ReasonNoAllow
		if kms {
			reason = ReasonIAMNoKMS
		} else if c.wrongShape(req, ls) {
			reason = ReasonWrongARNShape
		}
		fs.target, fs.resource = TargetIdentity, ls.identityLabel
		fs.text = "add this statement to a policy attached to role " + c.role.Name
		if k := c.keyByARN(n.Key); kms && k != nil && k.ARNPlaceholder && c.keyRegion(n.Bucket) != "" {
			fs.viaService = "s3." + c.keyRegion(n.Bucket) + ".amazonaws.com"
			fs.text += " (the key's ARN is assigned at apply, so the statement allows key use through S3 in the Region; narrow Resource to the key's ARN, e.g. " + k.Address + ".arn, in the policy document)"
		}
	case iam.LayerBoundary:
		ref.Policy = ls.boundaryLabel
		reason = ReasonBoundaryMissing
		fs.target, fs.resource, fs.policy = TargetBoundary, ls.boundaryLabel, ls.boundaryLabel
		fs.text = "the permissions boundary " + ls.boundaryLabel + " caps role " + c.role.Name + ": add this statement to the boundary document (an identity Allow cannot lift a boundary)"
	case iam.LayerResource, iam.LayerKeyPolicy:
		if kms {
			ref.Layer = string(iam.LayerKeyPolicy)
			ref.Policy = n.Key
			reason = ReasonKeyPolicyNoAllow
			if resOwner != "" && resOwner != c.role.Account {
				reason = ReasonCrossAccountKey
			}
			k := c.keyByARN(n.Key)
			fs.target, fs.key, fs.resource = TargetKeyPolicy, n.Key, n.Key
			if k != nil && k.Policy != nil && policyUsesKey(k.Policy, "kms:encryptioncontext:aws:s3:arn") {
				reason = ReasonEncryptionContext
			}
			if k != nil {
				if k.Address != "" {
					fs.resource = k.Address
				}
				ref.Policy = c.keyPolicy(k).label()
				if k.Policy != nil {
					fs.policy = k.Policy.label()
				}
			}
			fs.principal = c.role.ARN
			fs.text = "add this statement to the key policy of " + n.Key + " (without key-policy permission IAM Allows have no effect)"
		} else {
			ref.Policy = ls.resourceLabel
			reason = ReasonCrossAccountNoAllow
			fs.target, fs.bucket, fs.resource, fs.principal = TargetBucketPolicy, n.Bucket, "bucket policy of "+n.Bucket, c.role.ARN
			fs.text = "cross-account access needs the bucket owner's consent: add this statement to the bucket policy of " + n.Bucket
			if b := c.bucket(n.Bucket); b != nil && b.Policy != nil {
				fs.policy = b.Policy.label()
				fs.resource = b.Policy.label()
				switch {
				case ls.publicIgnored:
					reason = ReasonRestrictPublicBuckets
					fs.text = "RestrictPublicBuckets makes S3 ignore the bucket policy's public grants for other accounts: add this statement naming the role to the bucket policy of " + n.Bucket
				case grantsServiceOnly(b.Policy):
					reason = ReasonServicePrincipalOnly
					fs.text = "a grant to the Glue service principal does not cover the job's role session: add this statement naming the role to the bucket policy of " + n.Bucket
				}
			}
		}
	case iam.LayerEndpoint:
		ref.Policy = ls.endpointLabel
		reason = ReasonEndpointNoAllow
		if n.Action == actPutObjectACL {
			reason = ReasonPutObjectACLMissing
		}
		fs.target, fs.resource, fs.policy, fs.endpointPrincipal = TargetEndpointPolicy, ls.endpointLabel, ls.endpointLabel, c.role.ARN
		fs.text = "the request travels through VPC endpoint " + ls.endpointLabel + ": add this statement to its endpoint policy"
	case iam.LayerSCP:
		ref.Node = levelNode(l, ls)
		ref.Policy = ref.Node
		reason = ReasonSCPNoAllowAtLevel
		fs.target, fs.node, fs.resource = TargetSCP, ref.Node, ref.Node
		fs.text = "no SCP attached to " + ref.Node + " allows it: add this Allow to an SCP attached there (an allow-list needs it at every level)"
	default:
		ref.Policy = string(l.Kind)
		reason = ReasonNoAllow
		fs = nil
	}
	if n.Action == actPutObjectACL && (reason == ReasonNoAllow || reason == ReasonCrossAccountNoAllow) {
		// E5: the job sends an ACL and this layer does not let it.
		reason = ReasonPutObjectACLMissing
	}
	c.add(rawFinding{ID: id, Verdict: Deny, Reason: reason, Need: n, DecidedBy: ref,
		clause: "because no " + layerWords[l.Kind] + " allows the " + actionsPlaceholder, fix: fs})
}

// wrongShape reports whether the identity policies allow the action on the
// other S3 ARN shape (bucket vs objects): the typical "bucket ARN without
// /*". A request on another kind of resource (a Glue table) has no other
// shape.
func (c *checker) wrongShape(req *iam.Request, ls layerSet) bool {
	a, ok := awsid.ParseS3ARN(req.Resource)
	if !ok {
		return false
	}
	alt := *req
	if a.Object {
		alt.Resource = awsid.BucketARN(a.Partition, a.Bucket)
	} else {
		alt.Resource = awsid.ObjectARN(a.Partition, a.Bucket, "*")
	}
	in := iam.Input{Identity: ls.in.Identity}
	return iam.Evaluate(&in, &alt).Decision == iam.Allowed
}

// grantsServiceOnly reports whether a policy's Allow statements name service
// principals and no AWS principal: the "glue.amazonaws.com" mistake.
func grantsServiceOnly(doc *PolicyDoc) bool {
	if !doc.Known {
		return false
	}
	service := false
	for i := 0; ; i++ {
		st := statementAt(doc.JSON, i)
		if st == nil {
			return service
		}
		if st["Effect"] != "Allow" {
			continue
		}
		p, _ := st["Principal"].(map[string]any)
		if p == nil || p["AWS"] != nil {
			return false
		}
		service = service || p["Service"] != nil
	}
}

// policyUsesKey reports whether any statement of a known policy has a
// condition on key (lower case).
func policyUsesKey(doc *PolicyDoc, key string) bool {
	if !doc.Known {
		return false
	}
	for i := 0; ; i++ {
		st := statementAt(doc.JSON, i)
		if st == nil {
			return false
		}
		if conditionKeys(st)[key] {
			return true
		}
	}
}
