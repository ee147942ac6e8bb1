package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/golden"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

func reqFile(name string) string { return filepath.Join("testdata", "requests", name+".json") }

// runCapture runs Run and renders exit code, stdout and stderr as one text, the
// form the golden files hold.
func runCapture(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunGolden(t *testing.T) {
	decided := []string{reqFile("allowed"), reqFile("explicit-deny"), reqFile("implicit-deny"),
		reqFile("expect-mismatch"), reqFile("kms-grant"), reqFile("scp-level"), reqFile("typo-action")}
	bad := []string{reqFile("bad-unknown-field"), reqFile("allowed"), reqFile("bad-policy"),
		reqFile("not-json"), reqFile("does-not-exist")}
	tests := []struct {
		golden string
		args   []string
	}{
		{"text-decided", decided},
		{"json-decided", append([]string{"--format", "json"}, decided...)},
		{"text-bad-input", bad},
		{"json-bad-input", append([]string{"--format=json"}, bad...)},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, stdout, stderr := runCapture(tt.args...)
			got := fmt.Sprintf("exit: %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
			golden.Check(t, filepath.Join("testdata", "golden", tt.golden+".golden"), []byte(got))
		})
	}
}

func TestRunExitCode(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		want       int
		wantStdout string // substring
		wantStderr string // substring
	}{
		{"allowed and expectation met", []string{reqFile("allowed")}, 0, "expectation: met", ""},
		{"action warning does not change the exit code", []string{reqFile("allowed-with-warning")}, 0,
			`warning:    identity_policies[0] statement 0 ("ReadScripts"): action "s3:ListBuckets" does not exist: "s3:ListBuckets" is an API operation; its IAM action is "s3:ListAllMyBuckets"; or did you mean "s3:ListBucket"?`, ""},
		{"typo explains the denial", []string{reqFile("typo-action")}, 1, `did you mean "s3:GetObject"?`, ""},
		{"expected denial still exits 1", []string{reqFile("explicit-deny")}, 1, "decision:   ExplicitlyDenied", ""},
		{"denial without expectation", []string{reqFile("implicit-deny")}, 1, "missing context keys: aws:SourceVpce", ""},
		{"allowed but expectation not met", []string{reqFile("expect-mismatch")}, 1, "decision: expected ImplicitlyDenied, got Allowed", ""},
		{"one denial among allowed", []string{reqFile("allowed"), reqFile("scp-level")}, 1, "decided by: scp level 1", ""},
		{"bad file does not hide the others", []string{reqFile("bad-policy"), reqFile("allowed")}, 2, "expectation: met", "identity_policies[1].Statement[0].Effect"},
		{"unknown field names its path", []string{reqFile("bad-unknown-field")}, 2, "", "request.resource_acount: invalid request file: unknown field"},
		{"missing file", []string{reqFile("does-not-exist")}, 2, "", "does-not-exist.json: read request file"},
		{"not JSON", []string{reqFile("not-json")}, 2, "", "not valid JSON"},
		{"no files", nil, 2, "", "usage: glueaccess simulate"},
		{"unknown format", []string{"--format", "yaml", reqFile("allowed")}, 2, "", `unknown format "yaml"`},
		{"unknown flag", []string{"--verbose", reqFile("allowed")}, 2, "", "flag provided but not defined"},
		{"help", []string{"-h"}, 0, "", "usage: glueaccess simulate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCapture(tt.args...)
			if code != tt.want {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.wantStdout, stdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.wantStderr, stderr)
			}
		})
	}
}

// TestRunJSONLines checks that --format json prints exactly one JSON object per
// file, in argument order, errors included.
func TestRunJSONLines(t *testing.T) {
	files := []string{reqFile("kms-grant"), reqFile("not-json"), reqFile("implicit-deny")}
	code, stdout, stderr := runCapture(append([]string{"--format", "json"}, files...)...)
	if code != 2 || stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 2 and nothing on stderr", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(files) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(files), stdout)
	}
	type line struct {
		File               string             `json:"file"`
		Decision           string             `json:"decision"`
		DecidedBy          *iam.Layer         `json:"decided_by"`
		Statements         []iam.StatementRef `json:"statements"`
		MissingContextKeys []string           `json:"missing_context_keys"`
		Error              string             `json:"error"`
	}
	var got []line
	for _, l := range lines {
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, l)
		}
		got = append(got, v)
	}
	for i, f := range files {
		if got[i].File != f {
			t.Errorf("line %d names %q, want %q", i, got[i].File, f)
		}
	}
	if got[0].Decision != "Allowed" || got[0].DecidedBy == nil || got[0].DecidedBy.Kind != iam.LayerGrant ||
		len(got[0].Statements) != 1 || got[0].Statements[0].Policy != "kms_grants[0]" {
		t.Errorf("kms grant line = %+v, want Allowed by kms-grant citing kms_grants[0]", got[0])
	}
	if got[1].Error == "" || got[1].Decision != "" {
		t.Errorf("bad file line = %+v, want only an error", got[1])
	}
	if got[2].Decision != "ImplicitlyDenied" || len(got[2].MissingContextKeys) != 1 || got[2].MissingContextKeys[0] != "aws:SourceVpce" {
		t.Errorf("implicit deny line = %+v, want ImplicitlyDenied missing aws:SourceVpce", got[2])
	}
}

// TestLintInput checks that every policy position of a request file is linted,
// in the file's field order, and that each warning names its policy's label.
func TestLintInput(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string
	}{
		{"clean policies give no warnings", `{` + s3Req + `, "identity_policies": [` + allowS3 + `]}`, nil},
		{"an API operation name is told its IAM action", `{` + s3Req + `, "identity_policies": [{"Statement": [{"Sid": "List", "Effect": "Allow", "Action": "s3:ListObjectsV2", "Resource": "*"}]}]}`,
			[]string{`identity_policies[0] statement 0 ("List"): action "s3:ListObjectsV2" does not exist: "s3:ListObjectsV2" is an API operation; its IAM action is "s3:ListBucket"`}},
		{"every position is linted and labelled", `{` + s3Req + `,
			"identity_policies": [` + allowS3 + `, {"Statement": [{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}]}],
			"permission_boundary": {"Statement": [{"Effect": "Allow", "Action": "s3:PutObjects", "Resource": "*"}]},
			"session_policy": {"Statement": [{"Effect": "Allow", "NotAction": "iam:PassRoles", "Resource": "*"}]},
			"resource_policy": {"Statement": [{"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObjectt", "Resource": "*"}]},
			"vpc_endpoint_policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListAllMyBucket", "Resource": "*"}]},
			"scps": [[` + allowS3 + `], [{"Statement": [{"Effect": "Allow", "Action": ["s3:*", "s3:Nothing*"], "Resource": "*"}]}]],
			"rcps": [[{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBuckets", "Resource": "*"}]}]]}`,
			[]string{
				`identity_policies[1] statement 0: action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`,
				`permission_boundary statement 0: action "s3:PutObjects" does not exist; did you mean "s3:PutObject"?`,
				`session_policy statement 0: NotAction "iam:PassRoles" does not exist; did you mean "iam:PassRole"?`,
				`resource_policy statement 0 ("Read"): action "s3:GetObjectt" does not exist; did you mean "s3:GetObject"?`,
				`vpc_endpoint_policy statement 0: action "s3:ListAllMyBucket" does not exist; did you mean "s3:ListAllMyBuckets"?`,
				`scps[1][0] statement 0: action pattern "s3:Nothing*" matches no action`,
				`rcps[0][0] statement 0: action "s3:DeleteBuckets" does not exist; did you mean "s3:DeleteBucket"?`,
			}},
		{"policies AWS refuses to save are reported after the actions", `{` + s3Req + `,
			"identity_policies": [{"Version": "2012-10-17", "Statement": [{"Sid": "Own", "Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3::${aws:PrincipalAccount}:x/*"}]}],
			"resource_policy": {"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/GlueJobRole"}, "Action": "s3:*", "Resource": "*"}]}}`,
			[]string{
				`identity_policies[0] statement 0 ("Own"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`,
				`identity_policies[0] statement 0 ("Own") at Statement[0].Resource[0]: resource "arn:aws:s3::${aws:PrincipalAccount}:x/*" uses a policy variable before the fifth colon: IAM accepts variables "only in the resource portion of the ARN" ("you can't use a variable to replace parts of the ARN before the fifth colon")`,
				`resource_policy statement 0 at Statement[0].NotPrincipal.AWS: NotPrincipal lists "arn:aws:iam::111122223333:role/GlueJobRole" without its account 111122223333: IAM requires that a Deny with NotPrincipal "also specify the account ARN of the not-denied principal", or the Deny applies to that principal too`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode("case.json", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := lintInput(c.Input)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("lintInput() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestExpectationCheck(t *testing.T) {
	res := iam.Result{
		Decision:  iam.ExplicitlyDenied,
		DecidedBy: iam.Layer{Kind: iam.LayerSCP, Level: 2},
		Statements: []iam.StatementRef{
			{Policy: "scps[2][1]", Index: 0, Sid: "NoS3"},
			{Policy: "resource_policy", Index: 3},
		},
	}
	scp2 := &iam.Layer{Kind: iam.LayerSCP, Level: 2}
	tests := []struct {
		name string
		exp  Expectation
		want []string
	}{
		{"all match, statements in another order", Expectation{Decision: iam.ExplicitlyDenied, DecidedBy: scp2,
			Statements: []ExpectedStatement{{Policy: "resource_policy", Index: 3}, {Policy: "scps[2][1]", Index: 0, Sid: "NoS3"}}}, nil},
		{"unchecked parts are ignored", Expectation{Decision: iam.ExplicitlyDenied}, nil},
		{"decision differs", Expectation{Decision: iam.Allowed}, []string{"decision: expected Allowed, got ExplicitlyDenied"}},
		{"level differs", Expectation{Decision: iam.ExplicitlyDenied, DecidedBy: &iam.Layer{Kind: iam.LayerSCP, Level: 1}},
			[]string{"decided by: expected scp level 1, got scp level 2"}},
		{"empty statements expected", Expectation{Decision: iam.ExplicitlyDenied, Statements: []ExpectedStatement{}},
			[]string{"statements: expected [], got [resource_policy#3 scps[2][1]#0(NoS3)]"}},
		{"sid differs", Expectation{Decision: iam.ExplicitlyDenied, Statements: []ExpectedStatement{{Policy: "resource_policy", Index: 3}, {Policy: "scps[2][1]", Index: 0}}},
			[]string{"statements: expected [resource_policy#3 scps[2][1]#0], got [resource_policy#3 scps[2][1]#0(NoS3)]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.exp.Check(res)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Check() = %q, want %q", got, tt.want)
			}
		})
	}
}
