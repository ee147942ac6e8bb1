package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// sessionName is the role-session name Glue uses for job runs (observed in
// CloudTrail, not documented).
const sessionName = "GlueJobRunnerSession"

// Check decides, for one job, every S3 and KMS request it will make against
// the seven conditions and returns the findings. It never panics on bad facts:
// invalid policies and unusable values become findings.
func Check(f *Facts, opts Options) *JobReport {
	if f == nil {
		f = &Facts{}
	}
	c := newChecker(f, opts)
	c.run()
	return c.report()
}

// checker holds the state of one Check call.
type checker struct {
	f    *Facts
	opts Options

	part    string
	region  string
	args    jobArgs
	base    route
	sendACL bool

	role       roleID
	sessionArn string   // see sessionARN
	identity   layerSet // identity + boundary of the role, shared by all needs

	parsed  map[*PolicyDoc]parsedPolicy
	docs    []*PolicyDoc // parsed documents in parse order, for lookups by label
	invalid map[string]bool
	// managedDocs and defaultKeyDocs hold documents Check materialises
	// (resolved AWS managed policies, default key policies) without touching
	// the caller's facts.
	managedDocs    map[string]*PolicyDoc
	defaultKeyDocs map[*KMSKey]*PolicyDoc
	// principalCtx holds, by resource account, the request context keys
	// every request of the job carries (see requestContext).
	principalCtx map[string]*iam.Context
	// kmsCtx holds, by key account, those of every KMS request S3 makes
	// for the job (see kmsRequestContext).
	kmsCtx map[string]*iam.Context
	// org indexes the job's organization (orgIdx); orgLevelsOf holds what
	// each account's place in it adds to a request (orgLevels).
	org         *orgIndex
	orgLevelsOf map[orgContributionKey]*orgContribution

	// fixed, when set, are the only locations checked (a registration
	// role's check of locations reached through Lake Formation).
	fixed []location
	// hybridUnknown are Lake Formation locations whose access mode is not
	// known, to check with the job role too (see checkHybridUnknown).
	hybridUnknown []lfUse

	raw         []rawFinding
	needs       []Need
	assumptions map[string]string
	notes       []string
	gaps        []ActionGap
}

// roleID is what is known about the job's role identity.
type roleID struct {
	ARN, Name, Account string
	Known              bool // ARN, name and account are known
	UniqueID           string
}

// parsedPolicy is a parsed policy document or why it is unusable.
type parsedPolicy struct {
	p       *iam.Policy
	unknown bool
	err     error
}

func newChecker(f *Facts, opts Options) *checker {
	part := f.Job.Partition
	if part == "" {
		part = "aws"
	}
	c := &checker{f: f, opts: opts, part: part, region: knownStr(f.Job.Region),
		parsed: map[*PolicyDoc]parsedPolicy{}, invalid: map[string]bool{}, assumptions: map[string]string{},
		managedDocs: map[string]*PolicyDoc{}, defaultKeyDocs: map[*KMSKey]*PolicyDoc{}, principalCtx: map[string]*iam.Context{}, kmsCtx: map[string]*iam.Context{}}
	if c.opts.ManagedPolicies == nil {
		c.opts.ManagedPolicies = embeddedManagedPolicy
	}
	return c
}

// embeddedManagedPolicy resolves AWS managed policies from the embedded set.
func embeddedManagedPolicy(arn string) ([]byte, string, bool) {
	p, ok := awsdata.ManagedPolicy(arn)
	if !ok {
		return nil, "", false
	}
	return p.Document, p.VersionID, true
}

func (c *checker) assume(code, text string) { c.assumptions[code] = text }

func (c *checker) run() {
	c.args = effectiveArgs(&c.f.Job)
	c.sendACL = c.sendsACL()
	c.role = c.roleIdentity()
	c.sessionArn = awsid.AssumedRoleARN(c.part, c.role.Account, c.role.Name, sessionName)
	c.base = placement(c.f)
	if c.f.Crawler == nil && c.fixed == nil {
		c.assume("run-time-arguments", "arguments passed when the job run starts (StartJobRun) are not visible and were not considered")
	}
	if c.f.Org == nil {
		c.assume("no-org-data", "no SCPs or RCPs were visible; supply the organization (plan of the management account, configuration file or live lookup) to check GA007")
	}
	if c.sendACL {
		c.assume("conf-propagation", "--conf spark.hadoop.* properties are assumed to reach the EMRFS configuration of the job")
	}
	if c.base.Kind == RouteNoPath {
		c.notes = append(c.notes, fmt.Sprintf("subnet %s has neither an S3 VPC endpoint nor a NAT route: Glue rejects the job run at start", c.base.Subnet))
	}
	var locs []location
	var unres []unresolved
	var notes []string
	switch {
	case c.fixed != nil:
		locs = c.fixed
	case c.f.Crawler != nil:
		locs, unres, notes = crawlerLocations(c.f)
	default:
		locs, unres, notes = locations(c.f, c.args)
	}
	cat := c.catalogNeeds()
	locs = append(locs, cat.locs...)
	if c.f.Crawler != nil {
		locs = c.crawlerOnLakeFormation(locs)
	}
	c.notes = append(c.notes, notes...)
	for _, u := range unres {
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLocationUnknown,
			Need: Need{Action: "s3:*", Why: u.Why, Source: u.Source}, Because: fmt.Sprintf("the S3 location of %s is not known, so its access cannot be checked", u.What),
			Missing: []Missing{{Fact: u.What, How: u.How}}})
	}
	s3needs := s3Needs(c.part, locs, c.sendACL)
	// Room for the S3 and Glue needs and about as many KMS needs as
	// locations and keys: the list is otherwise copied as it grows.
	c.needs = slices.Grow(c.needs, len(s3needs)+len(cat.glue)+2*len(locs))
	if c.f.Role == nil || !c.role.Known {
		if c.f.Role != nil {
			// The role's policies are there even when its ARN is not:
			// compile them once, so an invalid one is reported and the
			// caller can reuse them (Options.Compiled).
			c.identityLayers()
		}
		c.roleUnknown(s3needs)
		c.roleUnknown(cat.glue)
		c.needs = append(c.needs, s3needs...)
		c.needs = append(c.needs, cat.glue...)
	} else {
		c.identity = c.identityLayers()
		for _, n := range s3needs {
			c.checkS3(n)
		}
		for _, n := range cat.glue {
			c.checkGlue(n)
		}
		c.needs = append(c.needs, s3needs...)
		c.needs = append(c.needs, cat.glue...)
		c.checkKMS(locs)
	}
	c.checkLakeFormation(cat.lf)
	c.checkHybridUnknown(c.hybridUnknown)
	c.checkOwnership(locs)
	c.checkRequesterPays(locs)
}

// roleUnknown reports every need as unknown because the role is not known.
func (c *checker) roleUnknown(needs []Need) {
	fact := "the job's IAM role"
	how := "add the aws_iam_role named by role_arn to the plan (or a data \"aws_iam_role\" and its policies), or declare it in .glueaccess.hcl"
	reason := ReasonRoleNotInPlan
	because := "the job's role is not known"
	if r := c.f.Role; r != nil {
		// The role is there; what is missing is part of its identity.
		name := r.Address
		if name == "" {
			name = knownStr(r.ARN)
		}
		reason = ReasonRoleARNUnknown
		fact = fmt.Sprintf("ARN or name of role %s", name)
		how = "give the role a known name (not name_prefix) and path"
		if strings.HasPrefix(name, "data.") || strings.Contains(name, ".data.") {
			how = "let " + name + " be read at plan time: a data source whose arguments or depends_on wait for changes is read only at apply"
		}
		if c.role.Account == "" {
			reason = ReasonAccountUnknown
			fact = "account of role " + name
			if from := r.Account.From.String(); from != "" {
				fact += " (" + from + ")"
			}
			how = "set allowed_account_ids or assume_role on its provider configuration, or read data \"aws_caller_identity\" through it"
		}
		because = fmt.Sprintf("the %s is not known", fact)
	}
	for _, n := range needs {
		if !n.Required {
			continue
		}
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: reason, Need: n,
			Because: fmt.Sprintf("%s, so whether the role may perform %s on %s cannot be decided", because, n.Action, n.Resource),
			Missing: []Missing{{Fact: fact, How: how}}})
	}
}

// roleIdentity works out the role's ARN, name and account.
func (c *checker) roleIdentity() roleID {
	r := c.f.Role
	if r == nil {
		return roleID{}
	}
	id := roleID{ARN: knownStr(r.ARN), Name: knownStr(r.Name), Account: knownStr(r.Account)}
	if a, name, ok := awsid.ParseRoleARN(id.ARN); ok {
		if id.Account == "" {
			id.Account = a.Account
		}
		if id.Name == "" {
			id.Name = name
		}
	}
	id.Known = id.ARN != "" && id.Name != "" && id.Account != ""
	if r.UniqueID.Known {
		id.UniqueID = r.UniqueID.V
	}
	return id
}

// knownStr returns a value when it is known and "" otherwise: V of a value
// that is not known means nothing, whatever it holds.
func knownStr(v Value[string]) string {
	if !v.Known {
		return ""
	}
	return v.V
}

// sessionARN is the assumed-role session ARN of the job's requests, made
// once in run, with the role: every request names it.
func (c *checker) sessionARN() string { return c.sessionArn }

// principal is the request principal.
func (c *checker) principal() iam.Principal {
	return iam.Principal{ARN: c.sessionARN(), RoleARN: c.role.ARN, Account: c.role.Account}
}

// sendsACL reports whether the job (may) send a canned ACL on writes: the
// EMRFS/S3A property is set and the job is Spark, or of unknown type.
func (c *checker) sendsACL() bool {
	if !c.sparkJob() && c.f.Job.Command.Known {
		return false
	}
	for _, k := range []string{confCannedACL, confS3AACL} {
		if v, ok := c.args.Conf[k]; ok && strings.TrimSpace(v.Value) != "" {
			return true
		}
	}
	return false
}

// parse parses a policy document once. Invalid documents become an error
// finding on their label.
func (c *checker) parse(doc *PolicyDoc, kind iam.Kind, id CheckID) parsedPolicy {
	if pp, ok := c.parsed[doc]; ok {
		return pp
	}
	var pp parsedPolicy
	if !doc.Known {
		pp.unknown = true
	} else {
		p, err := c.parsePolicy(doc.JSON, kind, doc.label(), doc.shared)
		if err != nil {
			pp.err = fmt.Errorf("policy %s: %w", doc.label(), err)
			if !c.invalid[doc.label()] {
				c.invalid[doc.label()] = true
				c.add(rawFinding{ID: id, Verdict: Deny, Reason: ReasonInvalidPolicy,
					Need:      Need{Why: "policy " + doc.label()},
					Because:   fmt.Sprintf("the policy document %s is not valid (%v); AWS rejects it, so nothing it should grant can be relied on", doc.label(), err),
					DecidedBy: &PolicyRef{Layer: kindLayer(kind), Policy: doc.label(), Index: -1}})
			}
		}
		pp.p = p
		if p != nil && c.opts.Compiled != nil {
			c.opts.Compiled(doc, kind, p)
		}
	}
	c.parsed[doc] = pp
	c.docs = append(c.docs, doc)
	return pp
}

// kindLayer names the layer a policy kind plays.
func kindLayer(k iam.Kind) string {
	switch k {
	case iam.KindBoundary:
		return string(iam.LayerBoundary)
	case iam.KindResource:
		return string(iam.LayerResource)
	case iam.KindKeyPolicy:
		return string(iam.LayerKeyPolicy)
	case iam.KindSCP:
		return string(iam.LayerSCP)
	case iam.KindRCP:
		return string(iam.LayerRCP)
	case iam.KindEndpoint:
		return string(iam.LayerEndpoint)
	default:
		return string(iam.LayerIdentity)
	}
}
