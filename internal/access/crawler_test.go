package access

import (
	"slices"
	"testing"
)

const crawlerRoleARN = "arn:aws:iam::" + acctA + ":role/crawler"

// crawlerFacts is a crawler reading s3://lake/raw/ (given without scheme)
// with a role allowed exactly that.
func crawlerFacts(mods ...func(*Facts)) *Facts {
	f := &Facts{
		Job: Job{Address: "aws_glue_crawler.raw", Name: fact("raw", "aws_glue_crawler.raw"), RoleRef: fact(crawlerRoleARN, "aws_glue_crawler.raw"),
			Command: fact("crawler", "aws_glue_crawler.raw"), Region: fact(region, "aws_glue_crawler.raw")},
		Role: &Role{Address: "aws_iam_role.crawler", ARN: fact(crawlerRoleARN, "r"), Name: fact("crawler", "r"), Account: fact(acctA, "r"),
			Tags: fact(map[string]string{}, "r"), PoliciesComplete: true,
			Inline: []PolicyDoc{doc("aws_iam_role_policy.crawler", policy(
				allow(acts("s3:GetObject"), "arn:aws:s3:::lake/raw/*"),
				allow(acts("s3:ListBucket"), "arn:aws:s3:::lake")))}},
		Buckets: []Bucket{newBucket("lake", acctA)},
		Crawler: &Crawler{Targets: []CrawlerTarget{{Kind: "s3_target", Path: "lake/raw", Mode: ModeRead, From: Provenance{Address: "aws_glue_crawler.raw", Attribute: "s3_target"}}},
			LakeFormationCredentials: fact(false, "aws_glue_crawler.raw")},
	}
	for _, m := range mods {
		m(f)
	}
	return f
}

func TestCrawler(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		facts   *Facts
		verdict JobVerdict
		denied  []string // actions of deny findings
	}{
		{name: "s3_target read and listed: allowed", facts: crawlerFacts(), verdict: JobAllowed},
		{name: "GetObject on another prefix: denied", verdict: JobDenied, denied: []string{"s3:GetObject"},
			facts: crawlerFacts(func(f *Facts) { f.Crawler.Targets[0].Path = "s3://lake/curated/" })},
		{name: "no ListBucket: denied", verdict: JobDenied, denied: []string{"s3:ListBucket"},
			facts: crawlerFacts(func(f *Facts) {
				f.Role.Inline = []PolicyDoc{doc("aws_iam_role_policy.crawler", policy(allow(acts("s3:GetObject"), "arn:aws:s3:::lake/raw/*")))}
			})},
		{name: "partial exclusions still read the path", verdict: JobDenied, denied: []string{"s3:GetObject"},
			facts: crawlerFacts(func(f *Facts) {
				f.Crawler.Targets[0].Path = "lake/curated"
				f.Crawler.Targets[0].Exclusions = []string{"**.tmp"}
			})},
		{name: "an exclusion of everything reads nothing", verdict: JobAllowed,
			facts: crawlerFacts(func(f *Facts) {
				f.Crawler.Targets = append(f.Crawler.Targets, CrawlerTarget{Kind: "s3_target", Path: "lake/curated", Mode: ModeRead, Exclusions: []string{"**"}})
			})},
		{name: "a Delta target writing manifests needs PutObject", verdict: JobDenied, denied: []string{"s3:DeleteObject", "s3:PutObject"},
			facts: crawlerFacts(func(f *Facts) { f.Crawler.Targets[0].Kind, f.Crawler.Targets[0].Mode = "delta_target", ModeReadWrite })},
		{name: "Lake Formation credentials are not modelled: unknown, even with S3 access", verdict: JobUnknown,
			facts: crawlerFacts(func(f *Facts) { f.Crawler.LakeFormationCredentials = fact(true, "x") })},
		{name: "Lake Formation credentials not known: unknown", verdict: JobUnknown,
			facts: crawlerFacts(func(f *Facts) { f.Crawler.LakeFormationCredentials = Unknown[bool](Provenance{Address: "x"}) })},
		{name: "a path in a Lake Formation location is unknown, even with S3 access", verdict: JobUnknown,
			facts: crawlerFacts(func(f *Facts) {
				f.Catalog = &Catalog{LakeFormation: &LakeFormation{Resources: []LFResource{{Address: "aws_lakeformation_resource.lake",
					ARN: fact("arn:aws:s3:::lake", "x"), HybridAccess: fact(false, "x")}}}}
			})},
		{name: "a path in a hybrid Lake Formation location is the role's to read", verdict: JobAllowed,
			facts: crawlerFacts(func(f *Facts) {
				f.Catalog = &Catalog{LakeFormation: &LakeFormation{Resources: []LFResource{{Address: "aws_lakeformation_resource.lake",
					ARN: fact("arn:aws:s3:::lake", "x"), HybridAccess: fact(true, "x")}}}}
			})},
		{name: "a path known only after apply is unknown", verdict: JobUnknown,
			facts: crawlerFacts(func(f *Facts) { f.Crawler.Targets[0].Unknown = "aws_s3_bucket.lake.bucket" })},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, Options{})
			if rep.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s: %s", rep.Verdict, tc.verdict, dump(rep.Findings))
			}
			var denied []string
			for _, f := range rep.Findings {
				if f.Verdict != Deny {
					continue
				}
				for _, n := range f.Needs {
					denied = append(denied, n.Action)
					if n.Source != SourceCrawler {
						t.Errorf("need %s %s has source %q", n.Action, n.Resource, n.Source)
					}
				}
			}
			slices.Sort(denied)
			if denied = slices.Compact(denied); !slices.Equal(denied, tc.denied) {
				t.Errorf("denied actions %q, want %q", denied, tc.denied)
			}
			for _, a := range rep.Assumptions {
				if a.Code == "run-time-arguments" {
					t.Errorf("a crawler has no run-time arguments, yet the report assumes them")
				}
			}
		})
	}
}
