package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// Sharing in sharedEstatePlan: job j runs as the role of job j%sharedRoles
// and keeps its script and temporary files in the bucket of job
// j%sharedBuckets, so every role and bucket is read by many jobs, some in
// another account than the bucket's, and only jobs whose two numbers agree
// hold a role policy granting their bucket.
const (
	sharedAccounts = 5
	sharedRoles    = 5
	sharedBuckets  = 7
)

// sharedEstatePlan generates the flat estate of jobs jobs over
// sharedAccounts accounts (orgPlan) and rewires each job to a shared role
// and bucket. The strings replaced are those only the aws_glue_job entries
// hold: the references of role_arn (role policies reference the role's
// name) and the job's s3:// URLs (bucket policies name ARNs).
func sharedEstatePlan(tb testing.TB, jobs int) []byte {
	tb.Helper()
	data, _ := orgPlan(tb, estate{accounts: sharedAccounts, jobs: jobs})
	rewire := func(j int, old, new string) {
		if !bytes.Contains(data, []byte(old)) {
			tb.Fatalf("job %d: the plan has no %s", j, old)
		}
		data = bytes.ReplaceAll(data, []byte(old), []byte(new))
	}
	for j := range jobs {
		n, role, bucket := strconv.Itoa(j), strconv.Itoa(j%sharedRoles), strconv.Itoa(j%sharedBuckets)
		if j >= sharedRoles {
			rewire(j, `"aws_iam_role.jobq`+n+`.arn","aws_iam_role.jobq`+n+`"`, `"aws_iam_role.jobq`+role+`.arn","aws_iam_role.jobq`+role+`"`)
		}
		if j >= sharedBuckets {
			rewire(j, `s3://bench-jobq`+n+`/`, `s3://bench-jobq`+bucket+`/`)
		}
	}
	return data
}

// decideJSON decides the plan with GOMAXPROCS set to procs (one check
// worker per processor) and returns the JSON report.
func decideJSON(t *testing.T, data []byte, procs int) []byte {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	doc, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	rep := decide(newPlanIndex(doc), nil, nil, time.Time{}, nil)
	var out bytes.Buffer
	if err := report.Formatters["json"](&out, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestDecideSameOnAnyWorkers decides a plan whose jobs share roles and
// buckets, across accounts, with one check worker and with many: up to two
// get their facts from the goroutine feeding them, more build them at once
// through the shared caches. The reports must be the same byte for byte
// (verdicts, findings, notes, their order). Run with -race, it also holds
// fact building free of data races.
func TestDecideSameOnAnyWorkers(t *testing.T) {
	bare := bareJobsPlan(40)
	if one, many := decideJSON(t, bare, 1), decideJSON(t, bare, 8); !bytes.Equal(one, many) {
		t.Fatalf("the report of bare jobs with 8 workers differs from the report with one:\n%s", firstDifference(one, many))
	}
	data := sharedEstatePlan(t, 120)
	one := decideJSON(t, data, 1)
	var rep report.Report
	if err := json.Unmarshal(one, &rep); err != nil {
		t.Fatal(err)
	}
	// The plan is shaped as intended: roles shared, verdicts mixed.
	roles, verdicts := map[string]int{}, map[string]int{}
	for _, j := range rep.Jobs {
		roles[j.Role]++
		verdicts[j.Verdict]++
	}
	if len(rep.Jobs) != 120 || len(rep.Errors) != 0 || len(roles) != sharedRoles || verdicts["allowed"] == 0 || verdicts["denied"] == 0 {
		t.Fatalf("%d jobs, errors %v, roles %v, verdicts %v: want 120 jobs over %d roles, allowed and denied", len(rep.Jobs), rep.Errors, roles, verdicts, sharedRoles)
	}
	for _, procs := range []int{2, 8} {
		for range 3 {
			if many := decideJSON(t, data, procs); !bytes.Equal(one, many) {
				t.Fatalf("the report with %d workers differs from the report with one:\n%s", procs, firstDifference(one, many))
			}
		}
	}
}

// TestSharedFactsAreTheFactsBuiltAlone builds the facts of every job of a
// plan whose jobs share roles and buckets on several goroutines at once,
// through one builder's caches, and holds each to the facts of a builder
// that built that job alone: sharing must never hand a job what was built
// for another.
func TestSharedFactsAreTheFactsBuiltAlone(t *testing.T) {
	data := sharedEstatePlan(t, 60)
	doc, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(doc), nil, nil)
	if !fb.concurrent() {
		t.Fatal("a builder without a configuration evaluator is not concurrent")
	}
	n := len(fb.Jobs())
	shared := make([][]byte, n)
	var wg sync.WaitGroup
	const workers = 4
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker takes the jobs in another order, so that every
			// role and bucket is first built for some job and then
			// reused, or kept, for others.
			for k := range n {
				i := (k*(w+1) + w) % n
				if w%2 == 1 {
					i = n - 1 - i
				}
				text, err := json.Marshal(fb.Facts(i))
				if err != nil {
					t.Error(err)
					return
				}
				if w == 0 {
					shared[i] = text
				}
			}
		}()
	}
	wg.Wait()
	for i, addr := range fb.Jobs() {
		doc, err := planjson.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		alone, err := json.Marshal(newFactBuilder(newPlanIndex(doc), nil, nil).Facts(i))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(alone, shared[i]) {
			t.Errorf("%s: the facts built through the shared caches differ from those built alone:\n%s", addr, firstDifference(alone, shared[i]))
		}
	}
}

// firstDifference shows where two texts first differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "...\n" + string(a[from:min(len(a), i+200)]) + "\n---\n" + string(b[from:min(len(b), i+200)])
}

// bareJobsPlan is a plan of n Glue jobs and nothing else, each running as a
// role outside the plan (three roles, two accounts) and reading a script
// from a bucket outside it (four buckets): the fact builder's up-front work
// asks the plan index nothing, so the jobs' facts are the first to.
func bareJobsPlan(n int) []byte {
	var changes []string
	for i := range n {
		changes = append(changes, fmt.Sprintf(`{"address":"aws_glue_job.j%d","mode":"managed","type":"aws_glue_job","name":"j%d",`+
			`"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,`+
			`"after":{"name":"j%d","role_arn":"arn:aws:iam::11112222333%d:role/r%d","command":[{"name":"glueetl","script_location":"s3://b%d/x.py"}]},`+
			`"after_unknown":{"arn":true,"id":true}}}`, i, i, i, i%2, i%3, i%4))
	}
	return []byte(`{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[` + strings.Join(changes, ",") + `]}`)
}

// TestSettledIndexIsOnlyRead: once the fact builder is made, building any
// job's facts writes none of the plan index's caches, which the check
// workers read at once. The plan is one whose jobs would otherwise be the
// first to fill them.
func TestSettledIndexIsOnlyRead(t *testing.T) {
	doc, err := planjson.Decode(bareJobsPlan(6))
	if err != nil {
		t.Fatal(err)
	}
	ix := newPlanIndex(doc)
	fb := newFactBuilder(ix, nil, nil)
	partition, creds, data, accounts := ix.partitionName, ix.creds, maps.Clone(ix.dataByProvider), maps.Clone(ix.accounts)
	for i := range fb.Jobs() {
		fb.Facts(i)
	}
	if ix.partitionName != partition || ix.creds != creds || !maps.EqualFunc(ix.dataByProvider, data, func(a, b []*planjson.Resource) bool { return len(a) == len(b) }) || !maps.Equal(ix.accounts, accounts) {
		t.Errorf("building job facts wrote the index's caches: partition %q then %q, credential groups %p then %p, data by provider %v then %v, accounts %v then %v",
			partition, ix.partitionName, creds, ix.creds, data, ix.dataByProvider, accounts, ix.accounts)
	}
	if ix.dataByProvider == nil || ix.creds == nil || ix.partitionName == "" {
		t.Error("the index's caches were not filled before the jobs' facts were built")
	}
}
