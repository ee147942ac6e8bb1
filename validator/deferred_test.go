package validator

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
	tfjson "github.com/hashicorp/terraform-json"
)

func TestDeferredJobIsUnknownWithTheReason(t *testing.T) {
	m := plantest.Map(t, filepath.Join("testdata", "plans", "linking", "plan.json"))
	change := func(addr string) map[string]any { return plantest.Change(t, m, addr) }
	rc := plantest.Clone(change("aws_glue_job.linked")).(map[string]any)
	rc["address"], rc["name"] = "aws_glue_job.later", "later"
	rc["change"].(map[string]any)["after"].(map[string]any)["name"] = "later-job"
	m["complete"] = false
	m["deferred_changes"] = []any{
		map[string]any{"reason": "provider_config_unknown", "resource_change": rc},
		map[string]any{"reason": "resource_config_unknown", "resource_change": plantest.Clone(change("aws_s3_bucket.data"))},
	}
	// The bucket is deferred, so it is not planned.
	var kept []any
	for _, c := range m["resource_changes"].([]any) {
		if c.(map[string]any)["address"] != "aws_s3_bucket.data" {
			kept = append(kept, c)
		}
	}
	m["resource_changes"] = kept
	data, _ := json.Marshal(m)
	doc, err := planjson.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	ix := newPlanIndex(doc)
	if len(ix.Deferred) != 1 || ix.Deferred[0] != (deferredJob{Address: "aws_glue_job.later", Name: "later-job", Reason: "provider_config_unknown"}) {
		t.Fatalf("deferred jobs %+v", ix.Deferred)
	}
	rep := decide(ix, nil, nil, time.Now(), nil)
	var found bool
	for _, j := range rep.Jobs {
		if j.Address != "aws_glue_job.later" {
			continue
		}
		found = true
		if j.Verdict != "unknown" || len(j.Findings) != 1 || j.Findings[0].Reason != deferredReason ||
			!strings.Contains(j.Findings[0].Because, "provider_config_unknown") {
			t.Errorf("deferred job reported as %+v", j)
		}
	}
	if !found {
		t.Fatalf("deferred job not in the report: %+v", rep.Jobs)
	}
	// The bucket is deferred too: the planned job may depend on it, so it
	// is unknown, naming the bucket.
	if !slices.Equal(ix.DeferredOthers, []string{"aws_s3_bucket.data"}) {
		t.Fatalf("other deferred changes %v", ix.DeferredOthers)
	}
	for _, j := range rep.Jobs {
		if j.Address != "aws_glue_job.linked" {
			continue
		}
		last := j.Findings[len(j.Findings)-1]
		if j.Verdict == "allowed" || last.Reason != dependencyDeferred || !strings.Contains(last.Because, "aws_s3_bucket.data") || last.Verdict != "unknown" {
			t.Errorf("planned job of an incomplete plan: verdict %s, last finding %+v", j.Verdict, last)
		}
	}
	if exitCode(rep, "unknown") != ExitDenied {
		t.Errorf("--fail-on unknown exit %d, want %d", exitCode(rep, "unknown"), ExitDenied)
	}
}

// TestDeferredCrawlerIsReported: a crawler is decided like a job, so a
// deferred crawler is reported unknown like a deferred job, never left out.
func TestDeferredCrawlerIsReported(t *testing.T) {
	changes := []planjson.DeferredChange{
		{Address: "aws_glue_crawler.events", Mode: tfjson.ManagedResourceMode, Type: "aws_glue_crawler", Reason: "provider_config_unknown"},
		{Address: "aws_glue_job.etl", Mode: tfjson.ManagedResourceMode, Type: "aws_glue_job", Reason: "resource_config_unknown"},
	}
	jobs, _ := deferredJobs(changes)
	if len(jobs) != 2 || jobs[0].Address != "aws_glue_crawler.events" || !jobs[0].Crawler || jobs[1].Crawler {
		t.Fatalf("deferred subjects %+v", jobs)
	}
	j := jobs[0].reportJob()
	if len(j.Findings) != 1 || j.Findings[0].Verdict != report.VerdictUnknown || j.Findings[0].Reason != deferredReason ||
		!strings.Contains(j.Findings[0].Because, "deferred this crawler") || !strings.Contains(j.Findings[0].Because, "provider_config_unknown") {
		t.Errorf("deferred crawler reported as %+v", j)
	}
}
