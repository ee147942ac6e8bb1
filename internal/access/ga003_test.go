package access

import (
	"strings"
	"testing"
)

// landing is a bucket of account A that account B uploads into: the job reads
// s3://landing/in/, and the plan writes landing/in/feed.csv from account B
// with the given ACL ("" = none).
func landing(ownership Ownership, acl string) []mod {
	return []mod{
		bucket("landing", acctA, func(b *Bucket) {
			if ownership != "" {
				b.ObjectOwnership = fact(ownership, "aws_s3_bucket_ownership_controls.landing")
			} else {
				b.ACLConfigured = true
			}
		}),
		addRolePolicy("aws_iam_role_policy.landing",
			allow(acts("s3:GetObject"), "arn:aws:s3:::landing/in/*"),
			allow(acts("s3:ListBucket"), "arn:aws:s3:::landing")),
		access("s3://landing/in/", ModeRead),
		func(f *Facts) {
			o := S3Object{Address: "aws_s3_object.feed", Bucket: "landing", Key: "in/feed.csv",
				SSEAlgorithm: fact[SSEAlgorithm]("", "aws_s3_object.feed"), WriterAccount: fact(acctB, "provider.aws.partner")}
			if acl != "" {
				o.ACL = fact(acl, "aws_s3_object.feed")
			}
			f.Objects = append(f.Objects, o)
		},
	}
}

// partnerOut is a write into bucket partner-out of account B whose policy
// requires bucket-owner-full-control and grants the role; the role may set
// object ACLs wherever it writes, ready for the job to send one.
func partnerOut(mods ...mod) []mod {
	out := []mod{
		bucket("partner-out", acctB),
		bucketPolicy("partner-out",
			`{"Sid":"GlueWrite","Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["s3:PutObject","s3:PutObjectAcl","s3:DeleteObject","s3:ListBucket"],"Resource":["arn:aws:s3:::partner-out","arn:aws:s3:::partner-out/*"]}`,
			`{"Sid":"RequireOwnerFullControl","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::partner-out/*","Condition":{"StringNotEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}`),
		addRolePolicy("aws_iam_role_policy.partner",
			allow(acts("s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject"), "arn:aws:s3:::partner-out/out/*"),
			allow(acts("s3:ListBucket"), "arn:aws:s3:::partner-out"),
			allow(acts("s3:PutObjectAcl"), "arn:aws:s3:::etl-tmp/glue/*")),
		access("s3://partner-out/out/", ModeWrite),
	}
	return append(out, mods...)
}

func TestGA003(t *testing.T) {
	t.Parallel()
	runCases(t, GA003, []caseT{
		{
			name:  "an object another account uploads into an ObjectWriter bucket is owned by that account",
			facts: with(landing(OwnershipObjectWriter, "")...),
			want: want{verdict: Deny, reason: ReasonWriterOwnedObjects, layer: "object-ownership", policy: "aws_s3_object.feed", index: -1,
				target: TargetBucketSetting, needs: []string{"s3:GetObject"}},
		},
		{
			name:  "BucketOwnerPreferred does not transfer ownership when the upload sends no ACL",
			facts: with(landing(OwnershipBucketOwnerPreferred, "private")...),
			want:  want{verdict: Deny, reason: ReasonWriterOwnedObjects, layer: "object-ownership", target: TargetBucketSetting},
		},
		{
			name:  "ACLs enabled through an ACL resource keep uploads owned by the writer",
			facts: with(landing("", "")...),
			want:  want{verdict: Deny, reason: ReasonWriterOwnedObjects, layer: "object-ownership", target: TargetBucketSetting},
		},
		{
			name:  "a cross-account write without the ACL a bucket policy requires is denied",
			facts: with(partnerOut()...),
			want: want{verdict: Deny, reason: ReasonACLRequiredNotSent, layer: "resource", policy: "aws_s3_bucket_policy.partner_out", index: 1,
				target: TargetJobArgument, needs: []string{"s3:PutObject"}},
		},
		{
			name:  "BucketOwnerPreferred with bucket-owner-full-control transfers ownership",
			facts: with(landing(OwnershipBucketOwnerPreferred, cannedOwnerFull)...),
		},
		{
			name:  "BucketOwnerEnforced makes the bucket owner own every object",
			facts: with(landing(OwnershipBucketOwnerEnforced, "")...),
		},
		{
			name:  "a job sending bucket-owner-full-control meets the bucket policy",
			facts: with(partnerOut(setArg("--conf", "spark.hadoop.fs.s3.canned.acl=BucketOwnerFullControl"))...),
		},
		{
			name: "an existing bucket without an ownership resource is unknown",
			facts: with(access("s3://legacy/in/", ModeRead), bucket("legacy", acctA, func(b *Bucket) { b.CreatedInPlan = false }),
				addRolePolicy("aws_iam_role_policy.legacy", allow(acts("s3:GetObject", "s3:ListBucket"), "arn:aws:s3:::legacy", "arn:aws:s3:::legacy/*"))),
			want: want{verdict: UnknownVerd, reason: ReasonOwnershipUnmanaged},
		},
	})
}

// TestPutObjectAclMissing is E5: the job sends the ACL but the role may not
// set it; reported under GA001 with the GA003 reason.
func TestPutObjectAclMissing(t *testing.T) {
	t.Parallel()
	f := with(setArg("--conf", "spark.hadoop.fs.s3.canned.acl=BucketOwnerFullControl"))
	rep := Check(f, Options{})
	got := findingOf(rep, GA001)
	if got == nil || got.Verdict != Deny || got.Reason != ReasonPutObjectACLMissing || got.Needs[0].Action != "s3:PutObjectAcl" {
		t.Fatalf("want GA001 putobjectacl-missing on s3:PutObjectAcl, got %s", dump(rep.Findings))
	}
	fixed := applyAll(t, f, rep)
	if after := Check(fixed, Options{}); after.Verdict != JobAllowed {
		t.Fatalf("fix did not allow: %s", dump(after.Findings))
	}
}

// TestOwnershipOfBucketOutsideThePlan is E7: a bucket not in the plan is
// unknown for want of the bucket itself (not E6, an existing bucket whose
// ownership controls are unmanaged).
func TestOwnershipOfBucketOutsideThePlan(t *testing.T) {
	t.Parallel()
	f := with(access("s3://elsewhere/data/", ModeRead),
		addRolePolicy("aws_iam_role_policy.x", allow(acts("s3:GetObject", "s3:ListBucket"), "arn:aws:s3:::elsewhere", "arn:aws:s3:::elsewhere/*")))
	rep := Check(f, Options{})
	got := findingOf(rep, GA003)
	if got == nil {
		t.Fatalf("want a GA003 finding, got %s", dump(rep.Findings))
	}
	checkFinding(t, got, want{verdict: UnknownVerd, reason: ReasonBucketNotInPlan, needs: []string{"s3:GetObject"}})
}

// TestForeignWritersWarning is E2: a bucket with ACLs enabled whose policy
// lets other accounts upload may hold objects the job cannot read. It is a
// warning (a note), never a deny or unknown finding.
func TestForeignWritersWarning(t *testing.T) {
	t.Parallel()
	const partnerPut = `{"Sid":"PartnerUpload","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},"Action":"s3:Put*","Resource":"arn:aws:s3:::landing/*"}`
	const requireACL = `{"Sid":"RequireOwnerFullControl","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::landing/*","Condition":{"StringNotEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}`
	readLanding := func(ownership Ownership, stmts ...string) *Facts {
		mods := landing(ownership, cannedOwnerFull)
		mods = append(mods, func(f *Facts) { f.Objects = nil }, bucketPolicy("landing", stmts...))
		return with(mods...)
	}
	tests := []struct {
		name string
		f    *Facts
		note bool
	}{
		{name: "ObjectWriter and another account may upload", f: readLanding(OwnershipObjectWriter, partnerPut), note: true},
		{name: "BucketOwnerPreferred and anyone may upload", f: readLanding(OwnershipBucketOwnerPreferred,
			`{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::landing/*"}`), note: true},
		{name: "BucketOwnerPreferred with a Deny forcing bucket-owner-full-control", f: readLanding(OwnershipBucketOwnerPreferred, partnerPut, requireACL)},
		{name: "BucketOwnerEnforced", f: readLanding(OwnershipBucketOwnerEnforced, partnerPut)},
		{name: "only the bucket's own account may upload", f: readLanding(OwnershipObjectWriter,
			`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctA+`:role/loader"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::landing/*"}`)},
		{name: "another account may only read", f: readLanding(OwnershipObjectWriter,
			`{"Effect":"Allow","Principal":{"AWS":"`+acctB+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::landing/*"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tt.f, Options{})
			if rep.Verdict != JobAllowed {
				t.Fatalf("E2 must not change the verdict, got %s: %s", rep.Verdict, dump(rep.Findings))
			}
			found := false
			for _, n := range rep.Notes {
				found = found || strings.HasPrefix(n, "GA003 E2: ")
			}
			if found != tt.note {
				t.Fatalf("E2 note present = %v, want %v: %s", found, tt.note, dump(rep.Notes))
			}
		})
	}
}

// TestACLHeaderNeedsSpark: the canned ACL is an EMRFS property passed with
// --conf, which only Spark jobs read.
func TestACLHeaderNeedsSpark(t *testing.T) {
	t.Parallel()
	command := func(v Value[string]) mod { return func(f *Facts) { f.Job.Command = v } }
	sends := setArg("--conf", "spark.hadoop.fs.s3.canned.acl=BucketOwnerFullControl")
	runCases(t, GA003, []caseT{
		{
			name:  "a Python shell job does not send the ACL set through --conf",
			facts: with(partnerOut(sends, command(fact("pythonshell", "aws_glue_job.etl")))...),
			want:  want{verdict: Deny, reason: ReasonACLRequiredNotSent, layer: "resource", target: TargetBucketPolicy, needs: []string{"s3:PutObject"}},
		},
		{
			name:  "whether the ACL is sent is unknown when the job type is not known",
			facts: with(partnerOut(sends, command(Unknown[string](Provenance{Address: "aws_glue_job.etl", Attribute: "command.name"})))...),
			want:  want{verdict: UnknownVerd, reason: ReasonConditionUnknown, layer: "resource", needs: []string{"s3:PutObject"}},
		},
	})
}

// TestPutObjectAclMissingInBucketPolicy is E5 on the bucket side: the job
// sends the ACL to another account's bucket whose policy allows the role
// s3:PutObject but not s3:PutObjectAcl.
func TestPutObjectAclMissingInBucketPolicy(t *testing.T) {
	t.Parallel()
	f := with(partnerOut(setArg("--conf", "spark.hadoop.fs.s3.canned.acl=BucketOwnerFullControl"),
		bucketPolicy("partner-out",
			`{"Sid":"GlueWrite","Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["s3:PutObject","s3:DeleteObject","s3:ListBucket"],"Resource":["arn:aws:s3:::partner-out","arn:aws:s3:::partner-out/*"]}`))...)
	rep := Check(f, Options{})
	got := findingOf(rep, GA002)
	if got == nil {
		t.Fatalf("want a GA002 finding, got %s", dump(rep.Findings))
	}
	checkFinding(t, got, want{verdict: Deny, reason: ReasonPutObjectACLMissing, layer: "resource", target: TargetBucketPolicy, needs: []string{"s3:PutObjectAcl"}})
}

// TestExistingBucketWithACLsOwnershipNotKnown is E6 with ACLs enabled: an
// ACL resource on an existing bucket says ACLs are on, not who owns the
// objects uploaded before.
func TestExistingBucketWithACLsOwnershipNotKnown(t *testing.T) {
	t.Parallel()
	f := with(access("s3://legacy/in/", ModeRead), bucket("legacy", acctA, func(b *Bucket) {
		b.CreatedInPlan = false
		b.ACLConfigured = true
	}), addRolePolicy("aws_iam_role_policy.legacy", allow(acts("s3:GetObject", "s3:ListBucket"), "arn:aws:s3:::legacy", "arn:aws:s3:::legacy/*")))
	rep := Check(f, Options{})
	got := findingOf(rep, GA003)
	if got == nil {
		t.Fatalf("want a GA003 finding, got %s", dump(rep.Findings))
	}
	checkFinding(t, got, want{verdict: UnknownVerd, reason: ReasonOwnershipUnmanaged, needs: []string{"s3:GetObject"}})
}
