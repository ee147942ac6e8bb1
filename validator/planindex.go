package validator

import (
	"fmt"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// planIndex is the indexed plan (internal/planjson) with what the fact
// builder learns of it as it goes: the partition, the account of each
// provider configuration, and the jobs terraform deferred.
type planIndex struct {
	*planjson.Plan
	// Deferred are the Glue jobs terraform deferred to a later plan (an
	// incomplete plan, complete: false), in address order: they are
	// reported as unknown.
	Deferred []deferredJob
	// DeferredOthers are the addresses of the other deferred changes whose
	// types the checks read: every job is unknown while they are.
	DeferredOthers []string
	// partitionName and accounts cache partition and directAccount.
	partitionName string
	accounts      map[string]string
	// creds groups the provider configurations by credential settings and
	// holds the symbolic accounts of groups whose account is not known
	// (see accounts.go); nil until first needed.
	creds *credGroups
	// dataByProvider holds the data resources by provider configuration key
	// (dataOf); nil until first needed.
	dataByProvider map[string][]*planjson.Resource
	// settled is set by settle: the caches above are filled, and the check
	// workers, building job facts at once, only read them.
	settled bool
}

// settle fills the index's caches (the partition, the account of every
// provider configuration the plan names, the credential groups, the data
// resources by provider configuration) before the check workers build job
// facts concurrently. From then on nothing writes them: directAccount
// answers a key it has not seen without recording it.
func (ix *planIndex) settle() {
	ix.partition()
	ix.dataOf("")
	for key := range ix.ProviderConfigs {
		ix.directAccount(key)
	}
	for _, r := range ix.Resources {
		ix.directAccount(r.ProviderKey())
	}
	ix.credGroups()
	ix.settled = true
}

// newPlanIndex indexes a decoded plan for fact building.
func newPlanIndex(doc *planjson.Document) *planIndex {
	ix := &planIndex{Plan: planjson.Index(doc)}
	ix.Deferred, ix.DeferredOthers = deferredJobs(ix.DeferredChanges)
	return ix
}

// deferredJob is an aws_glue_job or aws_glue_crawler (decided like a job)
// terraform deferred to a later plan.
type deferredJob struct {
	Address string
	Name    string // the planned name, when the deferred change has one
	Reason  string // terraform's reason, e.g. "provider_config_unknown"
	Crawler bool   // an aws_glue_crawler
}

// deferredJobs are the Glue jobs among the plan's deferred changes, in
// address order, and the addresses of the other deferred changes of types
// the checks read (planjson.Governed), in address order.
func deferredJobs(changes []planjson.DeferredChange) (jobs []deferredJob, others []string) {
	for i := range changes {
		c := &changes[i]
		if c.Mode != tfjson.ManagedResourceMode || (c.Type != jobType && c.Type != crawlerType) {
			if planjson.Governed(c.Mode, c.Type) {
				others = append(others, c.Address)
			}
			continue
		}
		j := deferredJob{Address: c.Address, Reason: c.Reason, Crawler: c.Type == crawlerType}
		if n, ok := c.Attribute("name").(string); ok {
			j.Name = n
		}
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(a, b deferredJob) int { return strings.Compare(a.Address, b.Address) })
	slices.Sort(others)
	return jobs, others
}

// jobType is the resource type of a Glue job.
const jobType = "aws_glue_job"

// deferredReason is the reason of the finding on a deferred job.
const deferredReason = "job-deferred"

// reportJob is the unknown verdict on a deferred job: the plan holds none of
// what decides it, so every check is undecided; the finding is GA001's, the
// first check, with the reason, and --fail-on unknown fails on it.
func (j deferredJob) reportJob() report.Job {
	rule := report.Rules[0]
	kind := "job"
	if j.Crawler {
		kind = "crawler"
	}
	reason := j.Reason
	if reason == "" {
		reason = "no reason given"
	}
	return report.Job{
		Address: j.Address,
		Name:    j.Name,
		Findings: []report.Finding{{
			ID: rule.ID, Title: rule.Name, Verdict: report.VerdictUnknown, Reason: deferredReason,
			Needs:   []report.Need{},
			Because: fmt.Sprintf("terraform deferred this %s to a later plan (%s): the plan holds none of its values, so no check can decide it", kind, reason),
			Missing: []report.Missing{{
				Fact: "the planned values of " + j.Address,
				How:  "apply this plan, then plan again: terraform plans the deferred changes once what they wait for is known",
			}},
		}},
		Assumptions: []report.Assumption{},
	}
}

// dependencyDeferred is the reason of the finding on a job of a plan whose
// deferred changes include resources the checks read.
const dependencyDeferred = "dependency-deferred"

// deferredFinding is the unknown finding every decided job of an incomplete
// plan carries when terraform deferred resources of types the checks read
// (a bucket policy, a role, a key): the plan does not say which jobs they
// govern, and a policy left out could deny, so no job is allowed on the
// plan's word. Nil when there are none.
func (ix *planIndex) deferredFinding() *report.Finding {
	if len(ix.DeferredOthers) == 0 {
		return nil
	}
	rule := report.Rules[0]
	f := &report.Finding{
		ID: rule.ID, Title: rule.Name, Verdict: report.VerdictUnknown, Reason: dependencyDeferred,
		Needs:   []report.Need{},
		Because: fmt.Sprintf("terraform deferred %s to a later plan: the plan holds none of their values, and any of them may govern this job", strings.Join(ix.DeferredOthers, ", ")),
	}
	for _, addr := range ix.DeferredOthers {
		f.Missing = append(f.Missing, report.Missing{Fact: "the planned values of " + addr, How: "apply this plan, then plan again"})
	}
	return f
}
