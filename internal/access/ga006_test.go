package access

import "testing"

// requesterPays makes shared-data (account owner) a Requester Pays bucket the
// job reads, with a bucket policy granting the role.
func requesterPays(owner string, mods ...mod) []mod {
	out := []mod{
		bucket("shared-data", owner, func(b *Bucket) {
			b.RequestPayer = fact(PayerRequester, "aws_s3_bucket_request_payment_configuration.shared")
		}),
		bucketPolicy("shared-data", grantRoleOnShared),
		addRolePolicy("aws_iam_role_policy.shared",
			allow(acts("s3:GetObject"), "arn:aws:s3:::shared-data/*"),
			allow(acts("s3:ListBucket"), "arn:aws:s3:::shared-data")),
		access("s3://shared-data/in/", ModeRead),
	}
	return append(out, mods...)
}

func TestGA006(t *testing.T) {
	t.Parallel()
	runCases(t, GA006, []caseT{
		{
			name:  "reading another account's Requester Pays bucket without the header is denied",
			facts: with(requesterPays(acctB)...),
			want: want{verdict: Deny, reason: ReasonNoRequestPayerHeader, layer: "requester-pays", policy: "aws_s3_bucket_request_payment_configuration.shared", index: -1,
				target: TargetJobArgument, needs: []string{"s3:GetObject"}},
		},
		{
			name:  "the header property set to false does not send it",
			facts: with(requesterPays(acctB, setArg("--conf", "spark.hadoop.fs.s3.useRequesterPaysHeader=false"))...),
			want:  want{verdict: Deny, reason: ReasonNoRequestPayerHeader, layer: "requester-pays", target: TargetJobArgument},
		},
		{
			name: "a Python shell job cannot take --conf, so the fix is on the bucket",
			facts: with(requesterPays(acctB, func(f *Facts) {
				f.Job.Command = fact("pythonshell", "aws_glue_job.etl")
				f.Job.DefaultArguments.V["--conf"] = "spark.hadoop.fs.s3.useRequesterPaysHeader=true"
			})...),
			want: want{verdict: Deny, reason: ReasonNoRequestPayerHeader, layer: "requester-pays", target: TargetBucketSetting},
		},
		{
			name: "a Requester Pays bucket the job writes to is denied without the header",
			facts: with(requesterPays(acctB, access("s3://shared-data/out/", ModeWrite),
				bucketPolicy("shared-data", grantRoleOnShared, `{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::shared-data/out/*"}`),
				addRolePolicy("aws_iam_role_policy.out", allow(acts("s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::shared-data/out/*")))...),
			want: want{verdict: Deny, reason: ReasonNoRequestPayerHeader, layer: "requester-pays", target: TargetJobArgument, needs: []string{"s3:PutObject"}},
		},
		{
			name: "the header set through --conf is not relied on when the job type is not known",
			facts: with(requesterPays(acctB, setArg("--conf", "spark.hadoop.fs.s3.useRequesterPaysHeader=true"), func(f *Facts) {
				f.Job.Command = Unknown[string](Provenance{Address: "aws_glue_job.etl", Attribute: "command.name"})
			})...),
			want: want{verdict: UnknownVerd, reason: ReasonNoRequestPayerHeader, needs: []string{"s3:GetObject"}},
		},
		{
			name:  "the bucket owner's own role needs no header",
			facts: with(requesterPays(acctA)...),
		},
		{
			name:  "the header configured through --conf is sent",
			facts: with(requesterPays(acctB, setArg("--conf", "spark.sql.shuffle.partitions=8 --conf spark.hadoop.fs.s3.useRequesterPaysHeader=true"))...),
		},
		{
			name: "a script in another account's Requester Pays bucket is unknown: Glue's loader sends no header",
			facts: with(requesterPays(acctB, setArg("--conf", "spark.hadoop.fs.s3.useRequesterPaysHeader=true"), func(f *Facts) {
				f.Job.ScriptLocation.V = "s3://shared-data/jobs/etl.py"
			})...),
			want: want{verdict: UnknownVerd, reason: ReasonGlueLoaderRP},
		},
		{
			name: "a Requester Pays bucket whose owner is unknown is unknown",
			facts: with(requesterPays(acctB, editBucket("shared-data", func(b *Bucket) {
				b.Owner = Unknown[string](Provenance{Address: "aws_s3_bucket.shared_data"})
			}))...),
			want: want{verdict: UnknownVerd, reason: ReasonAccountUnknown},
		},
	})
}
