package validator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// TestOrdinaryStacks decides stacks written the way public Glue stacks are
// written, not designed around the tool: no account number anywhere, names
// from variables and a label-style lookup(…, null), a managed policy list
// naming a policy of the same plan, a bucket read through a data source. With
// the configuration each is decided as AWS would; from the plan alone a job
// may only become unknown, never take another decided verdict.
func TestOrdinaryStacks(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		jobs map[string]expectJob
		// why is text the report must hold for each job not allowed.
		why string
	}{
		"stack-plain": {jobs: map[string]expectJob{"aws_glue_job.orders": {report.Allowed, nil}}},
		"stack-caller-managed": {jobs: map[string]expectJob{
			"aws_glue_job.daily": {report.Allowed, nil}}},
		"stack-foreach-label": {jobs: map[string]expectJob{
			`aws_glue_job.this["clicks"]`: {report.Denied, []string{"GA001"}},
			`aws_glue_job.this["views"]`:  {report.Denied, []string{"GA001"}},
		}, why: "because no identity-based policy allows"},
		"stack-ds-bucket": {jobs: map[string]expectJob{"aws_glue_job.ingest": {report.Unknown, nil}},
			why: `data "aws_s3_bucket" does not reveal the default encryption of bucket shared-landing-zone`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", "plans", name)
			plan := filepath.Join(dir, "plan.json")
			rep := validateExample(t, dir, plan)
			checkDecisions(t, rep, tc.jobs)
			if tc.why != "" {
				var all strings.Builder
				for _, j := range rep.Jobs {
					for _, f := range j.Findings {
						all.WriteString(f.Because + "\n")
						for _, m := range f.Missing {
							all.WriteString(m.Fact + "\n")
						}
					}
				}
				if !strings.Contains(all.String(), tc.why) {
					t.Errorf("no finding says %q:\n%s", tc.why, all.String())
				}
			}
			for _, j := range validateExampleWith(t, dir, plan, "").Jobs {
				if w := tc.jobs[j.Address].verdict; j.Verdict != w && j.Verdict != report.Unknown {
					t.Errorf("%s from the plan alone is %s; with the configuration %s", j.Address, j.Verdict, w)
				}
			}
		})
	}
}
