package access

import (
	"strings"
	"testing"
)

// partialLib adds a library argument known only in part: prefix then the
// id of an object created by the same apply.
func partialLib(prefix string) mod {
	return func(f *Facts) {
		f.Job.PartialArguments = append(f.Job.PartialArguments, PartialArgument{Key: "--extra-py-files", Prefix: prefix,
			Leaves: []string{"aws_s3_object.wheel.id"}, From: Provenance{Address: "aws_glue_job.etl", Attribute: "default_arguments.--extra-py-files"}})
	}
}

// TestPartialKeyNeeds checks that a library whose key ends in a value known
// only after apply stays a need, decided only where every key gives the
// same answer, and otherwise unknown naming the value.
func TestPartialKeyNeeds(t *testing.T) {
	t.Parallel()
	const (
		readLibs    = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/libs/*"}`
		readOneLib  = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/libs/a.whl"}`
		denyLibs    = `{"Sid":"NoLibs","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/libs/*"}`
		denyOneLib  = `{"Sid":"NoA","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/libs/a.whl"}`
		notResource = `{"Sid":"OnlyA","Effect":"Deny","Action":"s3:GetObject","NotResource":["arn:aws:s3:::etl-scripts/libs/a.whl","arn:aws:s3:::etl-scripts/jobs/*","arn:aws:s3:::etl-tmp/*"]}`
	)
	cases := []struct {
		name    string
		facts   *Facts
		verdict JobVerdict
		reason  string // reason of the GA001 finding ("" = none)
		because string // text the finding or a note must hold
	}{
		{"an Allow on libs/* decides every key", with(partialLib("s3://etl-scripts/libs/"), addRolePolicy("aws_iam_role_policy.libs", readLibs)),
			JobAllowed, "", "decided for every value of aws_s3_object.wheel.id: aws_iam_role_policy.libs statement 0 allows every key under s3://etl-scripts/libs/"},
		{"no Allow covers any key: denied for every key", with(partialLib("s3://etl-scripts/libs/")),
			JobDenied, ReasonNoAllow, "s3://etl-scripts/libs/${aws_s3_object.wheel.id}"},
		{"an Allow on one key covers some keys only", with(partialLib("s3://etl-scripts/libs/"), addRolePolicy("aws_iam_role_policy.libs", readOneLib)),
			JobUnknown, ReasonLocationUnknown, "aws_iam_role_policy.libs statement 0 covers some keys under s3://etl-scripts/libs/"},
		{"a Deny on libs/* denies every key", with(partialLib("s3://etl-scripts/libs/"), addRolePolicy("aws_iam_role_policy.libs", readLibs, denyLibs)),
			JobDenied, ReasonExplicitDeny, "denies every key under s3://etl-scripts/libs/"},
		{"a Deny on one key beside an Allow on libs/*", with(partialLib("s3://etl-scripts/libs/"), addRolePolicy("aws_iam_role_policy.libs", readLibs, denyOneLib)),
			JobUnknown, ReasonLocationUnknown, `statement 1 (Sid "NoA") covers some keys`},
		{"a Deny with NotResource on one key", with(partialLib("s3://etl-scripts/libs/"), addRolePolicy("aws_iam_role_policy.libs", readLibs, notResource)),
			JobUnknown, ReasonLocationUnknown, `(Sid "OnlyA") covers some keys`},
		{"the bucket is not known", with(partialLib("s3://etl-scr"), addRolePolicy("aws_iam_role_policy.libs", readLibs)),
			JobUnknown, ReasonLocationUnknown, "--extra-py-files entry s3://etl-scr${aws_s3_object.wheel.id}"},
		{"an earlier entry is complete", with(partialLib("s3://etl-scripts/libs/b.whl,"), addRolePolicy("aws_iam_role_policy.libs", readOneLib)),
			JobDenied, ReasonNoAllow, "s3://etl-scripts/libs/b.whl"},
		{"a pip module then an unknown one", with(func(f *Facts) {
			f.Job.PartialArguments = []PartialArgument{{Key: "--additional-python-modules", Prefix: "pandas==", Leaves: []string{"var.pandas"}}}
		}), JobAllowed, "", ""},
		{"an unknown --conf", with(func(f *Facts) {
			f.Job.PartialArguments = []PartialArgument{{Key: "--conf", Prefix: "spark.hadoop.fs.s3.canned.acl=", Leaves: []string{"var.acl"}}}
		}), JobUnknown, ReasonLocationUnknown, "argument --conf spark.hadoop.fs.s3.canned.acl=${var.acl}"},
		{"a connection's driver jar known in part", with(addRolePolicy("aws_iam_role_policy.libs", readOneLib), func(f *Facts) {
			f.Job.Connections = []Connection{{Name: "jdbc", Found: true, SubnetID: Known("", Provenance{}), PartialS3Properties: []PartialArgument{
				{Key: "JDBC_DRIVER_JAR_URI", Prefix: "s3://etl-scripts/libs/", Leaves: []string{"aws_s3_object.driver.id"}}}}}
		}), JobUnknown, ReasonLocationUnknown, "ends in aws_s3_object.driver.id"},
		{"a connection's properties not known at all", with(func(f *Facts) {
			f.Job.Connections = []Connection{{Name: "jdbc", Found: true, SubnetID: Known("", Provenance{}), PartialS3Properties: []PartialArgument{
				{Key: "connection_properties", Leaves: []string{"aws_secretsmanager_secret_version.jdbc.secret_string"}}}}}
		}), JobUnknown, ReasonLocationUnknown, "connection jdbc connection_properties ${aws_secretsmanager_secret_version.jdbc.secret_string}"},
		{"a declared path known in part", with(func(f *Facts) {
			f.Access = []AccessPath{{URL: "s3://etl-data/", Mode: ModeRead, Unknown: "aws_s3_bucket.in.id", From: Provenance{Address: "aws_glue_job.etl", Attribute: "tags"}}}
		}), JobUnknown, ReasonLocationUnknown, "declared read path s3://etl-data/${aws_s3_bucket.in.id}"},
		{"a known non-overridable value wins over a partial default", with(partialLib("s3://etl-scripts/libs/"), func(f *Facts) {
			f.Job.NonOverridableArguments = Known(map[string]string{"--extra-py-files": "s3://etl-scripts/jobs/x.py"}, Provenance{Address: "aws_glue_job.etl"})
		}), JobAllowed, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, Options{})
			if rep.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s: %s", rep.Verdict, tc.verdict, dump(rep.Findings))
			}
			got := findingOf(rep, GA001)
			if tc.reason == "" {
				if got != nil {
					t.Fatalf("want no GA001 finding, got %s", dump(got))
				}
			} else if got == nil || got.Reason != tc.reason {
				t.Fatalf("want GA001 %s, got %s", tc.reason, dump(rep.Findings))
			}
			text := strings.Join(rep.Notes, "\n")
			for _, f := range rep.Findings {
				text += "\n" + f.Because
				for _, n := range f.Needs {
					text += "\n" + n.URL
				}
				for _, m := range f.Missing {
					text += "\n" + m.Fact
				}
			}
			if !strings.Contains(text, tc.because) {
				t.Errorf("report does not say %q:\n%s", tc.because, text)
			}
		})
	}
}

// TestUnplacedAttachment checks that an SCP whose attachment target is not
// known makes GA007 unknown, naming the attachment, exactly when it could
// change the answer.
func TestUnplacedAttachment(t *testing.T) {
	t.Parallel()
	unplaced := func(content string) mod {
		return func(f *Facts) {
			f.Org.Unplaced = append(f.Org.Unplaced, UnplacedPolicy{Attachment: "aws_organizations_policy_attachment.x",
				Policy:  doc("aws_organizations_policy.guard", content),
				Missing: Missing{Fact: "target_id of aws_organizations_policy_attachment.x", How: "make it known"}})
		}
	}
	tree := orgTree(nil)
	runCases(t, GA007, []caseT{
		{name: "a deny on what the job does", facts: with(tree, unplaced(policy(denyDelete))),
			want: want{verdict: UnknownVerd, reason: ReasonOrgStructureUnknown, layer: "scp", policy: "aws_organizations_policy.guard", index: -1}},
		{name: "a deny on what the job never does", facts: with(tree, unplaced(policy(`{"Effect":"Deny","Action":"s3:PutBucketPolicy","Resource":"*"}`))),
			want: want{}},
		{name: "a policy whose text is not known", facts: with(tree, func(f *Facts) {
			f.Org.Unplaced = append(f.Org.Unplaced, UnplacedPolicy{Attachment: "aws_organizations_policy_attachment.x",
				Policy: PolicyDoc{Label: "aws_organizations_policy_attachment.x"}, Missing: Missing{Fact: "policy_id", How: "make it known"}})
		}), want: want{verdict: UnknownVerd, reason: ReasonOrgStructureUnknown, layer: "scp"}},
	})
}

// TestPartialKeyEncryptionContext checks that the encryption context of an
// object whose key is known only after apply is not taken as known: a key
// policy condition on one object ARN cannot be decided.
func TestPartialKeyEncryptionContext(t *testing.T) {
	t.Parallel()
	keyPolicy := func(op, arn string) string {
		return policy(adminOnly, `{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"`+op+`":{"kms:EncryptionContext:aws:s3:arn":"`+arn+`"}}}`)
	}
	lib := []mod{partialLib("s3://etl-tmp/libs/"), addRolePolicy("aws_iam_role_policy.libs", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-tmp/libs/*"}`)}
	bucketKeys := editBucket("etl-tmp", func(b *Bucket) { b.BucketKeyEnabled = fact(true, "aws_s3_bucket.etl_tmp") })
	rep := Check(with(append(kmsTemp(ptr(keyPolicy("StringEquals", "arn:aws:s3:::etl-tmp"))), append(lib, bucketKeys)...)...), Options{})
	if rep.Verdict != JobAllowed {
		t.Fatalf("with bucket keys the context is the bucket ARN, known: %s", dump(rep.Findings))
	}
	oneObject := policy(adminOnly,
		`{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::etl-tmp/glue/*"}}}`,
		`{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::etl-tmp/libs/a.whl"}}}`)
	rep = Check(with(append(kmsTemp(ptr(oneObject)), lib...)...), Options{})
	got := findingOf(rep, GA005)
	if rep.Verdict != JobUnknown || got == nil || got.Verdict != UnknownVerd || !strings.Contains(dump(got), "kms:EncryptionContext:aws:s3:arn") {
		t.Fatalf("a condition on one object ARN: want GA005 unknown naming the context key, got %s: %s", rep.Verdict, dump(rep.Findings))
	}
}

// TestGA003UnknownPlacement checks that an object the plan writes, owned by
// another account, makes GA003 unknown, never skipped, when the object the
// job reads or the object written is placed only after apply.
func TestGA003UnknownPlacement(t *testing.T) {
	t.Parallel()
	// landing's feed object, written by account B, with the job reading a
	// library known only in part instead of the declared prefix.
	partialRead := func(f *Facts) {
		f.Access = nil
		partialLib("s3://landing/in/")(f)
	}
	unplacedFeed := func(f *Facts) {
		for i := range f.Objects {
			f.Objects[i].Key = ""
			f.Objects[i].Unplaced = &Missing{Fact: "aws_s3_object.feed.key", How: "make it known"}
		}
	}
	runCases(t, GA003, []caseT{
		{name: "the library read may be the object another account writes",
			facts: with(append(landing(OwnershipObjectWriter, ""), partialRead)...),
			want:  want{verdict: UnknownVerd, reason: ReasonWriterOwnedObjects, needs: []string{"s3:GetObject"}}},
		{name: "an object written with a key known only after apply may be under the prefix read",
			facts: with(append(landing(OwnershipObjectWriter, ""), unplacedFeed)...),
			want:  want{verdict: UnknownVerd, reason: ReasonWriterOwnedObjects, needs: []string{"s3:GetObject"}}},
		{name: "an unplaced object in a bucket whose owner enforces ownership cannot differ",
			facts: with(append(landing(OwnershipBucketOwnerEnforced, ""), unplacedFeed)...),
			want:  want{}},
	})
}
