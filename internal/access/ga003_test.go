package access

import "testing"

// landing is a bucket of account A that account B uploads into: the job reads
// s3://landing/in/, and the plan writes landing/in/feed.csv from account B
// with the given ACL ("" = none).
func landing(ownership, acl string) []mod {
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
				SSEAlgorithm: fact("", "aws_s3_object.feed"), WriterAccount: fact(acctB, "provider.aws.partner")}
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
