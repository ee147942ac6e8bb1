package access

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// LakeFormation is what the plan shows of Lake Formation.
type LakeFormation struct {
	Resources []LFResource `json:"resources,omitempty"`
	Grants    []LFGrant    `json:"grants,omitempty"`
	// Settings is nil when no aws_lakeformation_data_lake_settings is in
	// the plan.
	Settings *LFSettings `json:"settings,omitempty"`
}

// LFResource is an aws_lakeformation_resource: an S3 location registered
// with Lake Formation ("Registering an Amazon S3 location").
type LFResource struct {
	Address string `json:"address"`
	// ARN is the registered bucket or prefix ARN.
	ARN Value[string] `json:"arn"`
	// HybridAccess is hybrid_access_enabled; unknown until apply when the
	// configuration leaves it out.
	HybridAccess Value[bool] `json:"hybrid_access"`
	// ServiceLinkedRole is use_service_linked_role.
	ServiceLinkedRole bool `json:"service_linked_role,omitempty"`
	// Role is the registration role Lake Formation assumes to vend
	// credentials for the location (role_arn); nil when not known.
	Role *Role `json:"role,omitempty"`
	// Account is the account registering the location (the provider's).
	Account Value[string] `json:"account"`
}

// LFGrant is an aws_lakeformation_permissions on a table.
type LFGrant struct {
	Address     string        `json:"address"`
	Principal   Value[string] `json:"principal"`
	Permissions []string      `json:"permissions"`
	Database    string        `json:"database"`
	// Table is "" with Wildcard set for every table of Database.
	Table    string `json:"table,omitempty"`
	Wildcard bool   `json:"wildcard,omitempty"`
	// AllColumns is false for a table_with_columns grant naming columns:
	// it does not cover reading the whole table.
	AllColumns bool `json:"all_columns"`
}

// LFSettings is aws_lakeformation_data_lake_settings.
type LFSettings struct {
	Address string `json:"address"`
	// IAMAllowedDefault is true when create_table_default_permissions grant
	// ALL to IAM_ALLOWED_PRINCIPALS, false when they grant something else
	// or nothing, unknown when the plan does not say.
	IAMAllowedDefault Value[bool] `json:"iam_allowed_default"`
}

// lfUse is a table location reached with credentials Lake Formation vends
// through its registration role.
type lfUse struct {
	reg  *LFResource
	locs []location
}

// registration returns the Lake Formation registration covering a location:
// the bucket, or a prefix of the key on "/" boundaries. Registrations whose
// ARN is not known may cover anything: the first such is returned.
func (c *checker) registration(u s3URL) *LFResource {
	if c.f.Catalog == nil || c.f.Catalog.LakeFormation == nil {
		return nil
	}
	var maybe *LFResource
	for i := range c.f.Catalog.LakeFormation.Resources {
		r := &c.f.Catalog.LakeFormation.Resources[i]
		if !r.ARN.Known {
			if maybe == nil {
				maybe = r
			}
			continue
		}
		a, ok := awsid.ParseS3ARN(r.ARN.V)
		if !ok || a.Partition != c.part || a.Bucket != u.Bucket {
			continue
		}
		prefix := strings.TrimSuffix(a.Key, "/")
		if prefix == "" || u.Key == prefix || strings.HasPrefix(u.Key, prefix+"/") {
			return r
		}
	}
	return maybe
}

// lakeFormation decides how a table on a registered location is reached
// (Lake Formation Developer Guide, "Hybrid access mode", "Underlying data
// access control"; docs/validate.md): in hybrid access mode the job role's
// own S3 permissions (it is taken as not opted in); otherwise Lake Formation vends
// credentials of the registration role once the job role holds the table
// permission. With the mode not known both paths must hold. It returns the
// locations the job role reaches itself and those reached through Lake
// Formation.
func (c *checker) lakeFormation(use tableUse, reg *LFResource, locs []location, why string, source SourceKind) ([]location, *lfUse) {
	name := use.ref.Database.V + "." + use.ref.Table.V
	if !reg.ARN.Known {
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLFNoPermission,
			Need:    Need{Action: "s3:*", Intent: OriginLFAccess, Why: why, Source: source},
			Because: fmt.Sprintf("%s registers a location not known at plan time, which may govern catalog table %s", reg.Address, name),
			Missing: []Missing{{Fact: "arn of " + reg.Address, How: "give the registered location a value known at plan time"}}})
		return nil, nil
	}
	if h, ok := reg.HybridAccess.Get(); ok && h {
		c.assume("lf-hybrid-not-opted-in", "roles are assumed not opted in to Lake Formation on locations registered in hybrid access mode, so their IAM and S3 permissions decide (Lake Formation opt-ins are not in the plan)")
		return locs, nil
	}
	if !reg.HybridAccess.Known {
		// Either mode may hold at apply: the job role's own access must
		// hold as well as Lake Formation's, and what the job role lacks is
		// unknown, not denied, until the mode is known.
		c.hybridUnknown = append(c.hybridUnknown, lfUse{reg: reg, locs: locs})
	}
	perm := "SELECT"
	if use.ref.Mode == ModeWrite {
		perm = "INSERT"
	}
	switch granted, unknownGrant := c.lfGranted(use.ref); {
	case granted:
	case c.iamAllowedDefault(use.table):
		// "Use only IAM access control" for the table: IAMAllowedPrincipals
		// hold Super on it ("Changing the default settings for your data
		// lake"), so the job role's IAM permissions decide.
		c.assume("lf-iam-allowed-principals", "tables created in a database whose default table permission grants ALL to IAM_ALLOWED_PRINCIPALS keep that grant (no revocation is in the plan)")
		return locs, nil
	default:
		fact := fmt.Sprintf("Lake Formation grant of %s on table %s to role %s", perm, name, c.role.ARN)
		if unknownGrant != "" {
			fact += " (" + unknownGrant + " grants to a principal not known at plan time)"
		}
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLFNoPermission,
			Need:    Need{Action: perm, Resource: "Lake Formation table " + name, Intent: OriginLFAccess, Required: true, Why: why, Source: source},
			Because: fmt.Sprintf("%s registers the location of catalog table %s with Lake Formation, which vends credentials only to principals granted %s on the table; no such grant to the job's role is in the plan", reg.Address, name, perm),
			Missing: []Missing{{Fact: fact, How: fmt.Sprintf(`add resource "aws_lakeformation_permissions" with principal = the role's ARN, permissions = ["%s"] and a table block for %s`, perm, name)}}})
	}
	return nil, &lfUse{reg: reg, locs: locs}
}

// lfGranted reports whether the plan grants the job role the table
// permission a use needs (ALL covers every one), and names a grant whose
// principal is not known.
func (c *checker) lfGranted(ref TableRef) (bool, string) {
	var need []string
	if ref.Mode != ModeWrite {
		need = append(need, "SELECT")
	}
	if ref.Mode != ModeRead {
		need = append(need, "INSERT")
	}
	var unknown string
	have := map[string]bool{}
	for _, g := range c.f.Catalog.LakeFormation.Grants {
		if !strings.EqualFold(g.Database, ref.Database.V) || !(g.Wildcard || strings.EqualFold(g.Table, ref.Table.V)) {
			continue
		}
		if !g.Principal.Known {
			unknown = g.Address
			continue
		}
		if g.Principal.V != c.role.ARN {
			continue
		}
		for _, p := range g.Permissions {
			if p == "SELECT" && !g.AllColumns {
				continue
			}
			have[p] = true
		}
	}
	for _, p := range need {
		if !have[p] && !have["ALL"] {
			return false, unknown
		}
	}
	return true, ""
}

// iamAllowedDefault reports whether the table's default permissions are
// "Use only IAM access control": its database's, else the data lake
// settings'. Not known is false.
func (c *checker) iamAllowedDefault(t *CatalogTable) bool {
	if db := c.database(t.Database); db != nil && db.IAMAllowedDefault.Known {
		return db.IAMAllowedDefault.V
	}
	if s := c.f.Catalog.LakeFormation.Settings; s != nil && s.IAMAllowedDefault.Known {
		return s.IAMAllowedDefault.V
	}
	return false
}

// serviceLinkedRoleName is the role Lake Formation uses with
// use_service_linked_role ("Using service-linked roles for Lake Formation").
const serviceLinkedRoleName = "AWSServiceRoleForLakeFormationDataAccess"

// registrationRole returns the role Lake Formation assumes for a
// registration: role_arn's, or the service-linked role, whose inline policy
// Lake Formation itself extends with every registered path
// ("RegisterResource": "When you register subsequent paths, Lake Formation
// adds the path to the existing policy").
func (c *checker) registrationRole(reg *LFResource) *Role {
	if !reg.ServiceLinkedRole {
		return reg.Role
	}
	acct, ok := reg.Account.Get()
	if !ok {
		return nil
	}
	a, _ := awsid.ParseS3ARN(reg.ARN.V)
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []string{actGetObject, actPutObject, actDeleteObject}, "Resource": strings.TrimSuffix(reg.ARN.V, "/") + "/*"},
		map[string]any{"Effect": "Allow", "Action": []string{actListBucket}, "Resource": awsid.BucketARN(c.part, a.Bucket)},
	}})
	from := Provenance{Address: reg.Address, Note: "inline policy Lake Formation gives its service-linked role"}
	c.assume("lf-service-linked-role", "the Lake Formation service-linked role is assumed to hold only the S3 permissions Lake Formation adds for each registered location")
	return &Role{
		ARN:              Known("arn:"+c.part+":iam::"+acct+":role/aws-service-role/lakeformation.amazonaws.com/"+serviceLinkedRoleName, from),
		Name:             Known(serviceLinkedRoleName, from),
		Account:          Known(acct, from),
		Tags:             Known(map[string]string{}, from),
		Inline:           []PolicyDoc{{Label: reg.Address + " (service-linked role policy)", JSON: string(doc), Known: true, From: from}},
		PoliciesComplete: true,
	}
}

// checkHybridUnknown checks, with the job role, the locations of
// registrations whose access mode is not known: a denial there holds only
// in hybrid access mode, so it is reported as unknown, naming the mode.
func (c *checker) checkHybridUnknown(uses []lfUse) {
	for _, use := range uses {
		sub := &Facts{Job: c.f.Job, Role: c.f.Role, Buckets: c.f.Buckets, Keys: c.f.Keys, Objects: c.f.Objects, Network: c.f.Network, Org: c.f.Org}
		s := newChecker(sub, c.opts)
		s.fixed = slices.Clone(use.locs)
		s.run()
		for i := range s.raw {
			r := &s.raw[i]
			if r.Verdict == Deny {
				r.Verdict = UnknownVerd
				r.fix = nil
				r.Missing = append(r.Missing, Missing{Fact: "hybrid_access_enabled of " + use.reg.Address,
					How: "set hybrid_access_enabled on the registration: the job role's own S3 permissions decide only in hybrid access mode"})
				r.variant += " if hybrid " + use.reg.Address
			}
		}
		c.merge(s)
	}
}

// merge adds a sub-check's findings, needs, notes, action gaps and
// assumptions.
func (c *checker) merge(s *checker) {
	c.raw = append(c.raw, s.raw...)
	c.needs = append(c.needs, s.needs...)
	c.notes = append(c.notes, s.notes...)
	c.gaps = append(c.gaps, s.gaps...)
	for k, v := range s.assumptions {
		c.assumptions[k] = v
	}
}

// checkLakeFormation checks the locations reached with Lake Formation
// credentials as the registration role: its policies, the bucket policy,
// ownership, KMS and the organization's policies decide, as for the job
// role. The findings join the job's, each saying which role they are about.
func (c *checker) checkLakeFormation(uses []lfUse) {
	for _, use := range uses {
		role := c.registrationRole(use.reg)
		sub := &Facts{Job: Job{Address: c.f.Job.Address, Name: c.f.Job.Name, Command: Known("lakeformation", Provenance{Address: use.reg.Address}),
			Region: c.f.Job.Region, Partition: c.f.Job.Partition},
			Role: role, Buckets: c.f.Buckets, Keys: c.f.Keys, Objects: c.f.Objects, Org: c.f.Org}
		s := newChecker(sub, c.opts)
		s.fixed = slices.Clone(use.locs)
		for i := range s.fixed {
			s.fixed[i].Why += " through Lake Formation credentials of " + use.reg.Address
		}
		s.run()
		for i := range s.raw {
			r := &s.raw[i]
			if role == nil {
				r.Missing = []Missing{{Fact: "registration role of " + use.reg.Address, How: "set role_arn (or use_service_linked_role) to a role in the plan"}}
				r.Because = "the role Lake Formation uses for " + use.reg.Address + " is not known, so its S3 access cannot be checked"
			}
			if r.clause != "" {
				// The report words clauses with the job's role: say the
				// registration role's name here.
				r.Because = fmt.Sprintf("role %s would not be authorized to perform %s on %s %s", s.role.Name, r.Need.Action, r.Need.Resource,
					strings.ReplaceAll(r.clause, actionsPlaceholder, actionWords(r.Need.Action)))
				r.clause = ""
			}
			r.variant += " via " + use.reg.Address
		}
		c.merge(s)
		if len(c.f.Job.Connections) > 0 {
			c.assume("lf-network-path", "requests made with Lake Formation credentials are assumed not to pass through the job's VPC endpoint (AWS does not document their network path)")
		}
	}
}
