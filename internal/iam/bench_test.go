package iam_test

import (
	"os"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/simulate"
)

// defaultBenchCase is a Glue job's s3:GetObject through five identity
// policies, a bucket policy and three SCP levels; GLUEACCESS_BENCH_CASE names
// another request file.
const defaultBenchCase = "testdata/bench/glue_request.json"

// BenchmarkGlueRequest measures one Evaluate call. Policies are parsed once,
// outside the loop, as callers do.
func BenchmarkGlueRequest(b *testing.B) {
	path := os.Getenv("GLUEACCESS_BENCH_CASE")
	if path == "" {
		path = defaultBenchCase
	}
	c, err := simulate.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	// Measure a real decision: a request denied early would flatter the figures.
	if res := iam.Evaluate(c.Input, c.Request); res.Decision != iam.Allowed {
		b.Fatalf("%s: decision %v, want Allowed: %s", path, res.Decision, res.Explain(c.Request))
	}
	b.ReportAllocs()
	for b.Loop() {
		iam.Evaluate(c.Input, c.Request)
	}
}

// BenchmarkParse measures Parse on two identity policies: a Glue job's own
// policy of ten statements, each with conditions, and the AWSGlueServiceRole
// managed policy, both as AWS prints them (indented).
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"glue_job_policy", "aws_glue_service_role"} {
		b.Run(name, func(b *testing.B) {
			doc, err := os.ReadFile("testdata/bench/" + name + ".json")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := iam.Parse(doc, iam.KindIdentity, name); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := iam.Parse(doc, iam.KindIdentity, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
