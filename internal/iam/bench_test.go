package iam_test

import (
	"os"
	"strings"
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

// BenchmarkUnknownLeaves measures the request of BenchmarkGlueRequest when
// something is not known: the key of the object (the request's resource is
// arn:aws:s3:::etl-scripts/jobs/<unknown>), or the bucket of one more
// identity policy's Resource.
func BenchmarkUnknownLeaves(b *testing.B) {
	c, err := simulate.Load(defaultBenchCase)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("request-resource", func(b *testing.B) {
		req := *c.Request
		req.Resource = "arn:aws:s3:::etl-scripts/jobs/" + iam.UnknownLeaf("aws_glue_job.nightly.command.script_location")
		res := iam.Evaluate(c.Input, &req)
		b.Logf("decision %v, leaves %v", res.Decision, res.UnknownLeaves)
		b.ReportAllocs()
		for b.Loop() {
			iam.Evaluate(c.Input, &req)
		}
	})
	b.Run("policy-leaf", func(b *testing.B) {
		doc := `{"Version": "2012-10-17", "Statement": [{"Sid": "DenyOther", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::` +
			strings.ReplaceAll(iam.UnknownLeaf("var.bucket"), "\x00", `\u0000`) + `/*"}]}`
		p, err := iam.Parse([]byte(doc), iam.KindIdentity, "leaf")
		if err != nil {
			b.Fatal(err)
		}
		in := *c.Input
		in.Identity = append(append([]*iam.Policy{}, in.Identity...), p)
		res := iam.Evaluate(&in, c.Request)
		if res.Decision != iam.Unknown {
			b.Fatalf("decision %v, want Unknown", res.Decision)
		}
		b.ReportAllocs()
		for b.Loop() {
			iam.Evaluate(&in, c.Request)
		}
	})
	// One more identity policy whose Allow names an unknown bucket: the
	// request is still allowed by the known statements, and the result names
	// the leaf it was decided despite (EvaluateDespite).
	b.Run("policy-leaf-decided", func(b *testing.B) {
		doc := `{"Version": "2012-10-17", "Statement": [{"Sid": "Landing", "Effect": "Allow", "Action": "s3:*", "Resource": "` +
			strings.ReplaceAll(iam.UnknownLeaf("data.aws_s3_bucket.landing.arn"), "\x00", `\u0000`) + `"}]}`
		p, err := iam.Parse([]byte(doc), iam.KindIdentity, "leaf")
		if err != nil {
			b.Fatal(err)
		}
		in := *c.Input
		in.Identity = append(append([]*iam.Policy{}, in.Identity...), p)
		res, despite := iam.EvaluateDespite(&in, c.Request)
		if res.Decision != iam.Allowed || len(despite) != 1 {
			b.Fatalf("decision %v despite %v, want Allowed despite the leaf", res.Decision, despite)
		}
		b.ReportAllocs()
		for b.Loop() {
			iam.EvaluateDespite(&in, c.Request)
		}
	})
}
