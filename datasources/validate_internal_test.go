package datasources

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

func TestParseS3URL(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in          string
		bucket, key string
		err         string // substring of the error; empty for success
	}{
		"object":                  {in: "s3://etl-artifacts/jobs/nightly.py", bucket: "etl-artifacts", key: "jobs/nightly.py"},
		"prefix":                  {in: "s3://raw-zone/orders/", bucket: "raw-zone", key: "orders/"},
		"whole bucket":            {in: "s3://raw-zone", bucket: "raw-zone", key: ""},
		"hadoop s3a scheme":       {in: "s3a://raw-zone/x", bucket: "raw-zone", key: "x"},
		"legacy s3n scheme":       {in: "s3n://raw-zone/x", bucket: "raw-zone", key: "x"},
		"https is not S3":         {in: "https://raw-zone.s3.amazonaws.com/x", err: "is not an S3 URL"},
		"uppercase bucket":        {in: "s3://Raw-Zone/x", err: "not a valid S3 bucket name"},
		"two-letter bucket":       {in: "s3://ab/x", err: "not a valid S3 bucket name"},
		"bucket with double dots": {in: "s3://raw..zone/x", err: "not a valid S3 bucket name"},
		"empty bucket":            {in: "s3:///x", err: "not a valid S3 bucket name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := parseS3URL(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, errBadValue) {
					t.Fatalf("parseS3URL(%q) error = %v, want one containing %q wrapping errBadValue", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || got.Bucket != tc.bucket || got.Key != tc.key {
				t.Fatalf("parseS3URL(%q) = %+v, %v; want bucket %q key %q", tc.in, got, err, tc.bucket, tc.key)
			}
		})
	}
}

func TestARNChecks(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		check func(string) error
		in    string
		err   string
	}{
		"role":                      {check: roleOnly, in: "arn:aws:iam::111122223333:role/glue-etl"},
		"role with path":            {check: roleOnly, in: "arn:aws:iam::111122223333:role/etl/jobs/glue-etl"},
		"role in GovCloud":          {check: roleOnly, in: "arn:aws-us-gov:iam::111122223333:role/glue-etl"},
		"user is not a role":        {check: roleOnly, in: "arn:aws:iam::111122223333:user/glue-etl", err: "not an IAM role ARN"},
		"role with short account":   {check: roleOnly, in: "arn:aws:iam::1111:role/glue-etl", err: "not an IAM role ARN"},
		"role name alone":           {check: roleOnly, in: "glue-etl", err: "is not an ARN"},
		"unknown partition":         {check: roleOnly, in: "arn:azure:iam::111122223333:role/x", err: "unknown partition"},
		"AWS managed policy":        {check: policyOnly, in: "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"},
		"customer managed policy":   {check: policyOnly, in: "arn:aws:iam::111122223333:policy/glue-s3"},
		"policy ARN of a role":      {check: policyOnly, in: "arn:aws:iam::111122223333:role/glue-s3", err: "not an IAM policy ARN"},
		"key":                       {check: keyOnly, in: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		"alias where a key is due":  {check: keyOnly, in: "arn:aws:kms:eu-west-1:111122223333:alias/etl", err: "is an alias ARN"},
		"alias where aliases do":    {check: keyOrAlias, in: "arn:aws:kms:eu-west-1:111122223333:alias/etl"},
		"key without region":        {check: keyOnly, in: "arn:aws:kms::111122223333:key/1234", err: "not a KMS key ARN"},
		"S3 ARN is not a KMS key":   {check: keyOrAlias, in: "arn:aws:s3:::bucket", err: "not a KMS key ARN"},
		"account id":                {check: CheckAccountID, in: "111122223333"},
		"account id with a dash":    {check: CheckAccountID, in: "1111-2222-3333", err: "not a 12-digit"},
		"region":                    {check: CheckRegion, in: "us-gov-west-1"},
		"availability zone":         {check: CheckRegion, in: "eu-west-1a", err: "not an AWS region"},
		"partition":                 {check: CheckPartition, in: "aws-cn"},
		"partition with capitals":   {check: CheckPartition, in: "AWS", err: "not an AWS partition"},
		"bucket name with a dot":    {check: checkBucketName, in: "logs.example.com"},
		"bucket name with trailing": {check: checkBucketName, in: "logs-", err: "not a valid S3 bucket name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tc.check(tc.in)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("%q: unexpected error %v", tc.in, err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("%q: error = %v, want one containing %q", tc.in, err, tc.err)
			}
		})
	}
}

func roleOnly(s string) error   { _, err := checkRoleARN(s); return err }
func policyOnly(s string) error { _, err := checkPolicyARN(s); return err }
func keyOnly(s string) error    { _, err := checkKMSKeyARN(s, false); return err }
func keyOrAlias(s string) error { _, err := checkKMSKeyARN(s, true); return err }

func TestSimulationPrincipal(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in                     string
		arn, roleARN, acct, sv string
		err                    string
	}{
		"role becomes a session of it": {in: "arn:aws:iam::111122223333:role/etl/glue-etl",
			arn: "arn:aws:sts::111122223333:assumed-role/glue-etl/S", roleARN: "arn:aws:iam::111122223333:role/etl/glue-etl", acct: "111122223333"},
		"session names its role without path": {in: "arn:aws:sts::111122223333:assumed-role/glue-etl/run-1",
			arn: "arn:aws:sts::111122223333:assumed-role/glue-etl/run-1", roleARN: "arn:aws:iam::111122223333:role/glue-etl", acct: "111122223333"},
		"user":              {in: "arn:aws:iam::111122223333:user/alice", arn: "arn:aws:iam::111122223333:user/alice", acct: "111122223333"},
		"service principal": {in: "glue.amazonaws.com", sv: "glue.amazonaws.com"},
		"bare name":         {in: "glue-etl", err: "neither an ARN nor a service principal"},
		"malformed session": {in: "arn:aws:sts::111122223333:assumed-role/glue-etl", err: "not an assumed-role ARN"},
		// Before ParseAssumedRoleARN these gave the role ARN "...:role/" and an empty session.
		"session without role name":    {in: "arn:aws:sts::111122223333:assumed-role//run-1", err: "not an assumed-role ARN"},
		"session without session name": {in: "arn:aws:sts::111122223333:assumed-role/glue-etl/", err: "not an assumed-role ARN"},
		"S3 bucket as a caller":        {in: "arn:aws:s3:::bucket", err: "not an IAM role, user, root or assumed-role ARN"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := simulationPrincipal(tc.in, "S")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || p.ARN != tc.arn || p.RoleARN != tc.roleARN || p.Account != tc.acct || p.Service != tc.sv {
				t.Fatalf("simulationPrincipal(%q) = %+v, %v", tc.in, p, err)
			}
		})
	}
}

func TestDecidedBy(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		ref  *access.PolicyRef
		want string
	}{
		"structural finding":     {ref: nil, want: ""},
		"explicit deny with sid": {ref: &access.PolicyRef{Layer: "resource", Policy: "bucket[0].policy", Index: 1, Sid: "DenyOutsideVpce"}, want: `bucket policy bucket[0].policy statement 1 (Sid "DenyOutsideVpce")`},
		"missing allow":          {ref: &access.PolicyRef{Layer: "identity", Policy: "role glue-etl", Index: -1}, want: "identity-based policy role glue-etl (no statement allows)"},
		"scp node":               {ref: &access.PolicyRef{Layer: "scp", Level: 1, Node: "ou-ab12-data0001", Policy: "perimeter", Index: 0}, want: "service control policy perimeter attached to ou-ab12-data0001 statement 0"},
		"no scp at a level":      {ref: &access.PolicyRef{Layer: "scp", Level: 1, Node: "ou-ab12-data0001", Policy: "ou-ab12-data0001", Index: -1}, want: "service control policy at ou-ab12-data0001 (no statement allows)"},
		"setting, not a policy":  {ref: &access.PolicyRef{Layer: "requester-pays", Policy: "bucket[2]", Index: -1}, want: "Requester Pays setting of bucket[2]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := decidedBy(tc.ref); got != tc.want {
				t.Fatalf("decidedBy = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFailDiagnostics(t *testing.T) {
	t.Parallel()
	report := &access.JobReport{Job: "job nightly", Findings: []access.Finding{
		{ID: access.GA001, Title: "role-s3-permissions", Verdict: access.Deny, Because: "no identity-based policy allows the s3:DeleteObject action",
			Fix: &access.Fix{Target: access.TargetIdentity, Resource: "role glue-etl", Text: "add this statement", Statements: []json.RawMessage{json.RawMessage(`{"Effect":"Allow"}`)}}},
		{ID: access.GA002, Title: "bucket-policy", Verdict: access.UnknownVerd, Because: "owner of bucket x is not known",
			Missing: []access.Missing{{Fact: "owner account of bucket x", How: "add a bucket block"}}},
	}}
	cases := map[string]struct {
		failOn           string
		errors, warnings int
	}{
		"deny fails on denials and warns on unknowns": {failOn: failOnDeny, errors: 1, warnings: 1},
		"unknown fails on both":                       {failOn: failOnUnknown, errors: 2},
		"never reports nothing":                       {failOn: failOnNever},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			diags := failDiagnostics(tc.failOn, report)
			if diags.ErrorsCount() != tc.errors || diags.WarningsCount() != tc.warnings {
				t.Fatalf("%d errors, %d warnings; want %d, %d", diags.ErrorsCount(), diags.WarningsCount(), tc.errors, tc.warnings)
			}
			if tc.errors == 0 {
				return
			}
			first := diags.Errors()[0]
			if first.Summary() != "GA001 role-s3-permissions: job nightly would be denied" ||
				!strings.Contains(first.Detail(), "Fix: add this statement\n  {\"Effect\":\"Allow\"}") {
				t.Fatalf("first error = %q / %q", first.Summary(), first.Detail())
			}
		})
	}
}

// FuzzInputParsers: the parsers behind ValidateConfig never panic, and what
// they accept is consistent with what they return.
func FuzzInputParsers(f *testing.F) {
	for _, seed := range []string{
		"s3://raw-zone/orders/", "s3a://b-1/x", "s3://", "arn:aws:iam::111122223333:role/a/b",
		"arn:aws:kms:eu-west-1:111122223333:key/1234", "arn:aws:sts::111122223333:assumed-role/r/s",
		"glue.amazonaws.com", "arn:::::", "arn:aws:iam::aws:policy/x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if u, err := parseS3URL(s); err == nil {
			if checkBucketName(u.Bucket) != nil || !strings.HasSuffix(s, u.Bucket+"/"+u.Key) && !strings.HasSuffix(s, u.Bucket) {
				t.Fatalf("parseS3URL(%q) accepted bucket %q key %q", s, u.Bucket, u.Key)
			}
		}
		if a, err := parseARN(s); err == nil && "arn:"+a.Partition+":"+a.Service+":"+a.Region+":"+a.Account+":"+a.Resource != s {
			t.Fatalf("parseARN(%q) = %+v does not rebuild the input", s, a)
		}
		if _, err := checkRoleARN(s); err == nil && !strings.Contains(s, ":role/") {
			t.Fatalf("checkRoleARN accepted %q", s)
		}
		_, _ = checkPolicyARN(s)
		_, _ = checkKMSKeyARN(s, true)
		if p, err := simulationPrincipal(s, "S"); err == nil && p.ARN == "" && p.Service == "" {
			t.Fatalf("simulationPrincipal(%q) accepted a principal with neither ARN nor service", s)
		}
	})
}

// TestUnknownFindingsPointAtInputs: an unknown finding tells which input of
// the data source supplies the missing fact; without a mapping the access
// model's own hint is shown.
func TestUnknownFindingsPointAtInputs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		f    access.Finding
		want string
	}{
		"undescribed bucket": {
			f:    access.Finding{ID: access.GA003, Verdict: access.UnknownVerd, Reason: access.ReasonOwnershipUnmanaged, Needs: []access.Need{{Bucket: "cross"}}},
			want: "GA003 unknown: x. To decide it: describe bucket cross in a bucket block",
		},
		"no role block": {
			f:    access.Finding{ID: access.GA001, Verdict: access.UnknownVerd, Reason: access.ReasonRoleNotInPlan},
			want: "GA001 unknown: x. To decide it: describe the job's role in a role block",
		},
		"unmapped reason falls back to the model's hint": {
			f: access.Finding{ID: access.GA002, Verdict: access.UnknownVerd, Reason: access.ReasonConditionUnknown,
				Missing: []access.Missing{{Fact: "aws:SourceIp of the job", How: "route the job through a VPC endpoint"}}},
			want: "GA002 unknown: x. To decide it: aws:SourceIp of the job: route the job through a VPC endpoint",
		},
		"a denial shows its fix": {
			f:    access.Finding{ID: access.GA006, Verdict: access.Deny, Reason: access.ReasonNoRequestPayerHeader, Fix: &access.Fix{Text: "add --conf"}},
			want: "GA006 deny: x. Fix: add --conf",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.f.Because = "x."
			if got := summaryLine(tc.f); !strings.HasPrefix(got, tc.want) {
				t.Fatalf("summaryLine = %q, want prefix %q", got, tc.want)
			}
		})
	}
}

// TestAddActionErrorsWarnsAboutRefusedPolicies: a part of a document that AWS
// refuses to save is a warning on the attribute, with the AWS rule, and no
// error (the check still decides the document as written).
func TestAddActionErrorsWarnsAboutRefusedPolicies(t *testing.T) {
	t.Parallel()
	p, err := iam.Parse([]byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
		"Condition": {"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/limit}"}}}]}`), iam.KindIdentity, "policy")
	if err != nil {
		t.Fatal(err)
	}
	var diags diag.Diagnostics
	addActionErrors(&diags, path.Root("identity_policies").AtListIndex(0), p)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning and no error", diags)
	}
	if d := diags.Warnings()[0].Detail(); !strings.Contains(d, "Numeric condition operators") || !strings.Contains(d, "Statement[0].Condition.NumericLessThan.s3:max-keys") {
		t.Errorf("warning detail %q does not name the rule and the element", d)
	}
}

// TestS3SchemeAnyCase: the data source reads an S3 URL whose scheme is in
// upper or mixed case as internal/access and the validator do (the same
// table stands in their tests), so a location the checks decide on is never
// refused here.
func TestS3SchemeAnyCase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]string{
		"S3://data-lake/jobs/x.py": {"data-lake", "jobs/x.py"},
		"s3A://data-lake/in/":      {"data-lake", "in/"},
		"S3N://data-lake":          {"data-lake", ""},
	} {
		got, err := parseS3URL(in)
		if err != nil || got.Bucket != want[0] || got.Key != want[1] {
			t.Errorf("parseS3URL(%q) = %+v, %v; want bucket %q key %q", in, got, err, want[0], want[1])
		}
	}
}
