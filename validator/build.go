package validator

import (
	"maps"
	"slices"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// factBuilder turns an indexed plan into access facts, one aws_glue_job (or
// aws_glue_crawler) at a time, so a large plan never holds every job's facts
// at once. What jobs
// share (roles, buckets, keys, network, organization) is built once.
type factBuilder struct {
	b    *builder
	decl *declarations
	jobs []*planjson.Resource
	// config is the configuration evaluator among the resolvers, nil when
	// none; it locates jobs and statements in the configuration files.
	config *configEval
}

// newFactBuilder prepares the shared facts of a plan. res answers attribute
// values (nil: the plan alone); decl adds what the configuration file
// declares (nil: nothing).
func newFactBuilder(ix *planIndex, res resolver, decl *declarations) *factBuilder {
	if res == nil {
		res = planResolver{ix: ix}
	}
	if decl == nil {
		decl = &declarations{}
	}
	for _, key := range slices.Sorted(maps.Keys(decl.ProviderAccounts)) {
		ix.declareAccount(key, decl.ProviderAccounts[key])
	}
	if ce := configIn(res); ce != nil {
		ce.learnAccounts(ix)
	}
	b := &builder{ix: ix, res: res}
	b.config = configIn(res)
	b.roles = b.indexRoles()
	b.roleLinks = b.indexRoleLinks()
	b.roleCache = reuseCache[access.Role]{}
	b.policies = b.indexPolicies()
	b.declaredPolicies = decl.policyDocs()
	b.decl = decl
	b.bucketParts = b.indexBuckets()
	b.bucketCache = reuseCache[access.Bucket]{}
	b.bucketPolicy = map[string]*access.PolicyDoc{}
	b.keys = decl.mergeKeys(b.buildKeys())
	b.objects = b.buildObjects()
	b.network = b.buildNetwork()
	b.org = decl.mergeOrg(b.buildOrg())
	b.connections = b.indexByName("aws_glue_connection")
	b.secConfigs = b.indexByName("aws_glue_security_configuration")
	b.catalog = b.buildCatalog()
	jobs := append(ix.OfType(tfjson.ManagedResourceMode, "aws_glue_job"), ix.OfType(tfjson.ManagedResourceMode, crawlerType)...)
	return &factBuilder{b: b, decl: decl, jobs: jobs, config: configIn(res)}
}

// Jobs returns the addresses of the plan's aws_glue_job instances in order,
// then its aws_glue_crawler instances.
func (fb *factBuilder) Jobs() []string {
	out := make([]string, len(fb.jobs))
	for i, r := range fb.jobs {
		out[i] = r.Address
	}
	return out
}

// Facts builds the facts of the i-th job of Jobs. Not safe for concurrent
// use: call it from one goroutine.
func (fb *factBuilder) Facts(i int) *access.Facts {
	r := fb.jobs[i]
	if r.Type == crawlerType {
		return fb.b.crawlerFacts(r)
	}
	return fb.b.jobFacts(r, fb.decl.accessFor(r.Address))
}
