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
	b.policies = b.indexPolicies()
	b.declaredPolicies = decl.policyDocs()
	b.decl = decl
	b.bucketParts = b.indexBuckets()
	b.bucketPolicy = map[string]*access.PolicyDoc{}
	b.keys = decl.mergeKeys(b.buildKeys())
	b.objects = b.buildObjects()
	b.indexStores()
	b.network = b.buildNetwork()
	b.org = decl.mergeOrg(b.buildOrg())
	b.connections = b.indexByName("aws_glue_connection")
	b.secConfigs = b.indexByName("aws_glue_security_configuration")
	b.catalog = b.buildCatalog()
	jobs := append(ix.OfType(tfjson.ManagedResourceMode, "aws_glue_job"), ix.OfType(tfjson.ManagedResourceMode, crawlerType)...)
	ix.settle()
	return &factBuilder{b: b, decl: decl, jobs: jobs, config: configIn(res)}
}

// concurrent reports whether Facts may be called from several goroutines at
// once: when no configuration evaluator answers values. The evaluator
// (internal/tfconfig) memoizes as it goes and is not safe for concurrent
// use, and the order it is asked in must stay the jobs' order so that what
// it reports does not depend on scheduling.
func (fb *factBuilder) concurrent() bool { return fb.b.config == nil }

// Jobs returns the addresses of the plan's aws_glue_job instances in order,
// then its aws_glue_crawler instances.
func (fb *factBuilder) Jobs() []string {
	out := make([]string, len(fb.jobs))
	for i, r := range fb.jobs {
		out[i] = r.Address
	}
	return out
}

// Facts builds the facts of the i-th job of Jobs. It is safe for concurrent
// use when concurrent says so; otherwise call it from one goroutine, in the
// jobs' order. What jobs share (roles and buckets kept from their second
// job, the index's caches) is built the same whichever job asks first.
func (fb *factBuilder) Facts(i int) *access.Facts {
	r := fb.jobs[i]
	if r.Type == crawlerType {
		return fb.b.crawlerFacts(r)
	}
	return fb.b.jobFacts(r, fb.decl.accessFor(r.Address))
}
