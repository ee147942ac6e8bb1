package tfconfig

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// greenfield: a bucket, its policy, a role, a key and a job created together; every ARN is
// unknown in the plan.
func greenfield(t *testing.T, opts Options) *Evaluator {
	t.Helper()
	cfg := load(t, "greenfield")
	plan := planFor(t, cfg, map[string]any{"env": "prod"},
		create("aws_s3_bucket.data", map[string]any{"bucket": "etl-prod-data"}, "arn", "id"),
		create("aws_s3_bucket_policy.data", map[string]any{}, "bucket", "policy", "id"),
		create("aws_iam_role.glue", map[string]any{"name": "glue-prod", "path": "/service/",
			"assume_role_policy": `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"}}],"Version":"2012-10-17"}`},
			"arn", "id", "unique_id"),
		create("aws_kms_key.data", map[string]any{"description": "data"}, "arn", "key_id", "id", "policy"),
		create("aws_glue_job.nightly", map[string]any{"name": "nightly",
			"command": []any{map[string]any{"name": "glueetl", "script_location": "s3://etl-prod-data/jobs/nightly.py"}}},
			"role_arn", "default_arguments", "arn", "id"),
	)
	return bind(t, cfg, plan, opts)
}

func TestGreenfieldBucketPolicyDecidedExactly(t *testing.T) {
	ev := greenfield(t, Options{})
	v := attribute(t, ev, "aws_s3_bucket_policy.data", "policy")
	want := `{"Statement":[{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny","Principal":"*",` +
		`"Resource":["arn:aws:s3:::etl-prod-data","arn:aws:s3:::etl-prod-data/*"],"Sid":"DenyInsecure\u003c\u0026\u003e"}],"Version":"2012-10-17"}`
	if got := mustString(t, v); got != want {
		t.Errorf("policy:\n got %s\nwant %s", got, want)
	}
	if !containsNote(v.Derived, "aws_s3_bucket.data.arn: bucket ARN derived from its name (main.tf:17)") {
		t.Errorf("derived notes %q do not explain the bucket ARN", v.Derived)
	}
	if got := rangeString(v.Range); got != "main.tf:23" {
		t.Errorf("range = %s, want the policy argument at main.tf:23", got)
	}
	bucket := attribute(t, ev, "aws_s3_bucket_policy.data", "bucket")
	if got := mustString(t, bucket); got != "etl-prod-data" {
		t.Errorf("bucket = %q, want the bucket id, which is its name", got)
	}
}

func TestGreenfieldRoleARNFromAccountPathAndName(t *testing.T) {
	ev := greenfield(t, Options{})
	v := attribute(t, ev, "aws_glue_job.nightly", "role_arn")
	if got, want := mustString(t, v), "arn:aws:iam::111122223333:role/service/glue-prod"; got != want {
		t.Errorf("role_arn = %q, want %q", got, want)
	}
	for _, note := range []string{
		"aws_iam_role.glue.arn: role ARN derived from account, path and name",
		"account 111122223333 from the assume_role role_arn of provider aws (main.tf:1)",
	} {
		if !containsNote(v.Derived, note) {
			t.Errorf("derived notes %q lack %q", v.Derived, note)
		}
	}
}

func TestGreenfieldKeyARNIsSymbolicAndStable(t *testing.T) {
	ev := greenfield(t, Options{})
	arn := mustString(t, attribute(t, ev, "aws_kms_key.data", "arn"))
	if !strings.HasPrefix(arn, "arn:aws:kms:eu-west-1:111122223333:key/symbolic-") {
		t.Fatalf("key arn = %q, want a symbolic key ARN in eu-west-1 and account 111122223333", arn)
	}
	arg := attribute(t, ev, "aws_glue_job.nightly", "default_arguments", "--kms-key")
	if got := mustString(t, arg); got != arn {
		t.Errorf("--kms-key = %q, want the same key ARN %q wherever the key is referenced", got, arn)
	}
	if !IsSymbolic(arn) || IsSymbolic("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab") {
		t.Errorf("IsSymbolic does not tell the made-up key ARN %q from a real one", arn)
	}
	keyID := mustString(t, attribute(t, ev, "aws_kms_key.data", "key_id"))
	if !strings.HasSuffix(arn, "/"+keyID) {
		t.Errorf("key arn %q does not end with key id %q", arn, keyID)
	}
}

func TestGreenfieldUnsupportedFunctionLosesOnlyItsValue(t *testing.T) {
	ev := greenfield(t, Options{})
	when := attribute(t, ev, "aws_glue_job.nightly", "default_arguments", "--when")
	if when.Known {
		t.Fatalf("--when is known (%#v), want unknown because timestamp() is known only at apply", when.Val)
	}
	if !strings.Contains(when.Unknown, "timestamp() returns a new value on every run") {
		t.Errorf("reason = %q, want it to name timestamp", when.Unknown)
	}
	tmp := attribute(t, ev, "aws_glue_job.nightly", "default_arguments", "--TempDir")
	if got := mustString(t, tmp); got != "s3://etl-prod-data/tmp/" {
		t.Errorf("--TempDir = %q, want s3://etl-prod-data/tmp/", got)
	}
	whole := attribute(t, ev, "aws_glue_job.nightly", "default_arguments")
	if whole.Known {
		t.Error("default_arguments is known although one of its values is not")
	}
}

func TestGreenfieldKnownPlanValuesWin(t *testing.T) {
	ev := greenfield(t, Options{})
	v := attribute(t, ev, "aws_glue_job.nightly", "command", "0", "name")
	// name = "glueetl" is the provider's default: only the plan knows it.
	if got := mustString(t, v); got != "glueetl" {
		t.Errorf("command[0].name = %q, want glueetl from the plan", got)
	}
	if len(v.Derived) != 0 {
		t.Errorf("a plan value carries derived notes %q", v.Derived)
	}
}

func TestPlanDefaultsKeptWhereTheConfigurationFillsIn(t *testing.T) {
	cfg := load(t, "greenfield")
	plan := planFor(t, cfg, map[string]any{"env": "prod"},
		create("aws_s3_bucket.data", map[string]any{"bucket": "etl-prod-data"}, "arn"),
		create("aws_s3_bucket_policy.data", map[string]any{}, "policy"),
		create("aws_iam_role.glue", map[string]any{"name": "glue-prod", "path": "/service/"}, "arn"),
		create("aws_kms_key.data", map[string]any{}, "arn", "key_id"),
		create("aws_glue_job.nightly", map[string]any{"name": "nightly", "command": []any{map[string]any{"name": "glueetl"}}},
			"role_arn", "default_arguments"))
	// command[0].script_location is unknown in this plan; name is the provider's default.
	plan.ResourceChanges[4].Change.AfterUnknown = map[string]any{"role_arn": true, "default_arguments": true,
		"command": []any{map[string]any{"script_location": true}}}
	ev := bind(t, cfg, plan, Options{})
	command := attribute(t, ev, "aws_glue_job.nightly", "command", "0")
	if !command.Known {
		t.Fatalf("command unknown: %s", command.Unknown)
	}
	if got := command.Val.GetAttr("name").AsString(); got != "glueetl" {
		t.Errorf("command[0].name = %q, want the plan's default glueetl", got)
	}
	if got := command.Val.GetAttr("script_location").AsString(); got != "s3://etl-prod-data/jobs/nightly.py" {
		t.Errorf("command[0].script_location = %q, want it from the configuration", got)
	}
}

func TestAccountUnknownWithoutProviderOrOption(t *testing.T) {
	cfg := load(t, "noaccount")
	plan := planFor(t, cfg, nil,
		create("aws_iam_role.r", map[string]any{"name": "r", "path": "/"}, "arn"),
		change("", "data.aws_iam_policy_document.p", nil, tfjson.Actions{tfjson.ActionRead}, map[string]any{}, "json"),
		create("aws_iam_role_policy.p", map[string]any{"name": "p", "role": "r"}, "id"))
	tests := []struct {
		name    string
		opts    Options
		want    string
		unknown string
	}{
		{name: "no account anywhere", unknown: "the account of provider aws is not known"},
		{name: "account supplied by the caller", opts: Options{AccountID: "444455556666", Partition: "aws-cn"},
			want: "arn:aws-cn:iam::444455556666:role/r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := bind(t, cfg, plan, tc.opts)
			v := attribute(t, ev, "aws_iam_role.r", "arn")
			if tc.unknown != "" {
				if v.Known || !strings.Contains(v.Unknown, tc.unknown) {
					t.Fatalf("arn = %#v (known %v, reason %q), want unknown because %s", v.Val, v.Known, v.Unknown, tc.unknown)
				}
				return
			}
			if got := mustString(t, v); got != tc.want {
				t.Errorf("arn = %q, want %q", got, tc.want)
			}
			if !containsNote(v.Derived, "supplied by the caller") {
				t.Errorf("notes %q do not say the account came from the caller", v.Derived)
			}
			id := attribute(t, ev, "aws_iam_role_policy.p", "id")
			if got := mustString(t, id); got != "r:p" {
				t.Errorf("role policy id = %q, want r:p", got)
			}
		})
	}
}

func TestResolveGivesPlanJSONShapes(t *testing.T) {
	ev := greenfield(t, Options{})
	tests := []struct {
		address, attr string
		want          any
		ok            bool
	}{
		{"aws_glue_job.nightly", "role_arn", "arn:aws:iam::111122223333:role/service/glue-prod", true},
		{"aws_glue_job.nightly", "command.0.script_location", "s3://etl-prod-data/jobs/nightly.py", true},
		{"aws_glue_job.nightly", "default_arguments.--when", nil, false},
		{"aws_glue_job.nightly", "no_such_attribute", nil, false},
	}
	for _, tc := range tests {
		got, ok := ev.Resolve(tc.address, tc.attr)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Resolve(%s, %s) = %v, %v; want %v, %v", tc.address, tc.attr, got, ok, tc.want, tc.ok)
		}
	}
	args, ok := ev.Resolve("aws_s3_bucket_policy.data", "bucket")
	if !ok || args != "etl-prod-data" {
		t.Errorf("bucket = %v, %v", args, ok)
	}
}

func TestSensitivityTravels(t *testing.T) {
	cfg := load(t, "greenfield")
	plan := planFor(t, cfg, map[string]any{"env": "prod"},
		create("aws_s3_bucket.data", map[string]any{"bucket": "etl-prod-data"}, "arn"),
		create("aws_s3_bucket_policy.data", map[string]any{}, "policy"),
		create("aws_iam_role.glue", map[string]any{"name": "glue-prod", "path": "/service/"}, "arn"),
		create("aws_kms_key.data", map[string]any{}, "arn", "key_id"),
		create("aws_glue_job.nightly", map[string]any{"name": "nightly"}, "role_arn", "default_arguments", "command"))
	plan.ResourceChanges[2].Change.AfterSensitive = map[string]any{"name": true}
	ev := bind(t, cfg, plan, Options{})
	tests := []struct {
		address, attr string
		sensitive     bool
	}{
		{"aws_iam_role.glue", "name", true},
		{"aws_glue_job.nightly", "role_arn", true}, // built from the sensitive name
		{"aws_s3_bucket_policy.data", "policy", false},
	}
	for _, tc := range tests {
		if v := attribute(t, ev, tc.address, tc.attr); v.Sensitive != tc.sensitive {
			t.Errorf("%s.%s sensitive = %v, want %v", tc.address, tc.attr, v.Sensitive, tc.sensitive)
		}
	}
}
