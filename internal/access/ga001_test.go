package access

import (
	"strings"
	"testing"
)

const glueServiceRole = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"

// onlyManaged leaves the role with one attached AWS managed policy.
func onlyManaged(arn string) mod {
	return func(f *Facts) {
		f.Role.Inline = nil
		f.Role.Managed = []ManagedPolicy{{ARN: fact(arn, "aws_iam_role_policy_attachment.glue")}}
	}
}

// boundary sets the role's permissions boundary document.
func boundary(stmts ...string) mod {
	return func(f *Facts) {
		d := doc("aws_iam_policy.boundary", policy(stmts...))
		f.Role.Boundary = &ManagedPolicy{ARN: fact("arn:aws:iam::"+acctA+":policy/boundary", "aws_iam_role.glue"), Document: &d}
	}
}

func TestGA001(t *testing.T) {
	t.Parallel()
	runCases(t, GA001, []caseT{
		{
			name:  "AWSGlueServiceRole alone with a script outside aws-glue buckets is denied",
			facts: with(onlyManaged(glueServiceRole)),
			want: want{verdict: Deny, reason: ReasonNoAllow, layer: "identity", policy: "aws_iam_role.glue", index: -1,
				target: TargetIdentity, needs: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}},
		},
		{
			name: "object actions granted on the bucket ARN without /* are denied as wrong ARN shape",
			facts: with(rolePolicy(
				allow(acts("s3:GetObject"), "arn:aws:s3:::etl-scripts"),
				allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::etl-tmp/glue/*"),
				allow(acts("s3:ListBucket"), "arn:aws:s3:::etl-tmp"),
			)),
			want: want{verdict: Deny, reason: ReasonWrongARNShape, layer: "identity", policy: "aws_iam_role.glue", index: -1,
				target: TargetIdentity, needs: []string{"s3:GetObject"}},
		},
		{
			name:  "a boundary omitting s3:PutObject for TempDir denies, fixed in the boundary",
			facts: with(boundary(allow(acts("s3:GetObject", "s3:DeleteObject", "s3:ListBucket"), "*"))),
			want: want{verdict: Deny, reason: ReasonBoundaryMissing, layer: "boundary", policy: "aws_iam_policy.boundary", index: -1,
				target: TargetBoundary, needs: []string{"s3:PutObject"}},
		},
		{
			name: "an explicit deny in an identity policy denies with its statement",
			facts: with(addRolePolicy("aws_iam_role_policy.guard",
				stmt("Deny", acts("s3:DeleteObject"), "arn:aws:s3:::*"))),
			want: want{verdict: Deny, reason: ReasonExplicitDeny, layer: "identity", policy: "aws_iam_role_policy.guard", index: 0,
				target: TargetIdentity, needs: []string{"s3:DeleteObject"}},
		},
		{
			name:  "ListBucket granted on bucket/* instead of the bucket is wrong ARN shape",
			facts: with(rolePolicy(allow(acts("s3:GetObject"), "arn:aws:s3:::etl-scripts/jobs/*"), allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"), "arn:aws:s3:::etl-tmp/*"))),
			want:  want{verdict: Deny, reason: ReasonWrongARNShape, layer: "identity", target: TargetIdentity, needs: []string{"s3:ListBucket"}},
		},
		{
			name: "AWSGlueServiceRole with keys under aws-glue- folders is allowed",
			facts: with(onlyManaged(glueServiceRole), func(f *Facts) {
				f.Job.ScriptLocation.V = "s3://etl-scripts/aws-glue-scripts/etl.py"
				f.Job.DefaultArguments.V["--TempDir"] = "s3://etl-tmp/aws-glue-temp/"
			}),
		},
		{
			name: "a same-account bucket policy naming the role stands in for the identity allow",
			facts: with(rolePolicy(allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::etl-tmp/glue/*"), allow(acts("s3:ListBucket"), "arn:aws:s3:::etl-tmp")),
				bucketPolicy("etl-scripts", `{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/*"}`)),
		},
		{
			name:  "a boundary that allows the S3 actions the job needs is allowed",
			facts: with(boundary(allow(acts("s3:*"), "arn:aws:s3:::etl-*"))),
		},
		{
			name: "an identity policy whose text is unknown until apply is unknown",
			facts: with(func(f *Facts) {
				f.Role.Inline = []PolicyDoc{{Label: "aws_iam_role_policy.glue", From: Provenance{Address: "aws_iam_role_policy.glue", Attribute: "policy"}}}
			}),
			want: want{verdict: UnknownVerd, reason: ReasonPolicyUnknown},
		},
		{
			name:  "a role that is not in the plan is unknown",
			facts: with(func(f *Facts) { f.Role = nil }),
			want:  want{verdict: UnknownVerd, reason: ReasonRoleNotInPlan},
		},
		{
			name:  "an access point alias is not modelled and is unknown",
			facts: with(access("s3://reports-ap-abcdefghij1234567890-s3alias/x/", ModeRead)),
			want:  want{verdict: UnknownVerd, reason: ReasonUnsupportedEndpoint},
		},
		{
			name: "an attached policy that cannot be resolved and no allow is unknown",
			facts: with(func(f *Facts) {
				f.Role.Inline = nil
				f.Role.Managed = []ManagedPolicy{{ARN: fact("arn:aws:iam::"+acctA+":policy/elsewhere", "aws_iam_role_policy_attachment.x")}}
			}),
			want: want{verdict: UnknownVerd, reason: ReasonUnresolvedPolicies},
		},
	})
}

func TestInvalidPolicyNeverPasses(t *testing.T) {
	t.Parallel()
	const broken = `{"Effect":"Allow","Action":`
	tests := []struct {
		name   string
		f      *Facts
		id     CheckID
		policy string
	}{
		{name: "identity policy", f: with(addRolePolicy("aws_iam_role_policy.broken", broken)), id: GA001, policy: "aws_iam_role_policy.broken"},
		{name: "bucket policy", f: with(bucketPolicy("etl-tmp", broken)), id: GA002, policy: "aws_s3_bucket_policy.etl_tmp"},
		{name: "endpoint policy", f: with(inVPC(endpointPolicy(broken))), id: GA004, policy: "aws_vpc_endpoint_policy.s3"},
		{name: "key policy", f: with(kmsTemp(ptr(policy(broken)))...), id: GA005, policy: "aws_kms_key.data"},
		{name: "SCP", f: with(orgTree(map[string]func(*OrgNode){"r-1": scp("aws_organizations_policy.bad", broken)})), id: GA007, policy: "aws_organizations_policy.bad"},
		{name: "a bucket policy where an identity policy belongs", f: with(addRolePolicy("aws_iam_role_policy.misplaced", grantRoleOnShared)), id: GA001, policy: "aws_iam_role_policy.misplaced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tt.f, Options{})
			got := findingOf(rep, tt.id)
			if rep.Verdict != JobDenied || got == nil || got.Reason != ReasonInvalidPolicy || got.DecidedBy.Policy != tt.policy {
				t.Fatalf("want a %s deny invalid-policy finding on %s, got %s", tt.id, tt.policy, dump(rep.Findings))
			}
		})
	}
}

// TestMissingAllowOutsideThePlanIsGA001: the role has no Allow for a script
// in a bucket outside the plan. Only a same-account bucket policy could still
// grant it, so the open question is the role's permission (GA001), unknown
// for want of the bucket's owner and policy; it is not a bucket-policy
// finding.
func TestMissingAllowOutsideThePlanIsGA001(t *testing.T) {
	t.Parallel()
	f := with(func(f *Facts) {
		f.Job.ScriptLocation = fact("s3://team-legacy-scripts/legacy.py", "aws_glue_job.etl")
	})
	rep := Check(f, Options{})
	got := findingOf(rep, GA001)
	if got == nil {
		t.Fatalf("want a GA001 finding, got %s", dump(rep.Findings))
	}
	checkFinding(t, got, want{verdict: UnknownVerd, reason: ReasonBucketNotInPlan, needs: []string{"s3:GetObject"}})
	if got.Missing[0].Fact != "bucket team-legacy-scripts (owner account and bucket policy)" {
		t.Fatalf("want the bucket as the missing fact, got %s", dump(got.Missing))
	}
	if ga002 := findingOf(rep, GA002); ga002 != nil {
		t.Fatalf("the missing Allow is reported under GA002: %s", dump(ga002))
	}
}

// TestRoleValuesNotKnownAreNotUsed: a value marked not known carries no
// meaning even when V is filled; the role is then not known.
func TestRoleValuesNotKnownAreNotUsed(t *testing.T) {
	t.Parallel()
	f := with(func(f *Facts) {
		f.Role.ARN = Value[string]{V: roleARN, From: Provenance{Address: "aws_iam_role.glue", Attribute: "arn"}}
		f.Role.Account = Value[string]{V: acctA}
		f.Role.Name = Value[string]{V: roleName}
	})
	rep := Check(f, Options{})
	got := findingOf(rep, GA001)
	if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonAccountUnknown {
		t.Fatalf("want GA001 unknown account-unknown (the role is there, its account is not known), got %s", dump(rep.Findings))
	}
}

// TestRoleInPlanWithoutARNIsNotRoleNotInPlan: a role the facts have, whose
// name is not known until apply, is unknown for that reason, never
// role-not-in-plan.
func TestRoleInPlanWithoutARNIsNotRoleNotInPlan(t *testing.T) {
	t.Parallel()
	f := with(func(f *Facts) {
		f.Role.ARN = Unknown[string](Provenance{Address: "aws_iam_role.glue", Attribute: "arn"})
		f.Role.Name = Unknown[string](Provenance{Address: "aws_iam_role.glue", Attribute: "name"})
	})
	rep := Check(f, Options{})
	got := findingOf(rep, GA001)
	if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonRoleARNUnknown || len(got.Missing) == 0 || !strings.Contains(got.Missing[0].Fact, "ARN or name of role aws_iam_role.glue") {
		t.Fatalf("want GA001 unknown role-arn-unknown naming the role, got %s", dump(rep.Findings))
	}
}
