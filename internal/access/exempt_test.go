package access

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// principalDeny is a Deny of every S3 action on etl-tmp (the job's TempDir)
// with one aws:PrincipalArn condition; the job is denied unless the role is
// spared.
func principalDeny(op string, values ...string) string {
	v, _ := json.Marshal(values)
	return `{"Sid":"Perimeter","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::etl-tmp","arn:aws:s3:::etl-tmp/*"],"Condition":{"` + op + `":{"aws:PrincipalArn":` + string(v) + `}}}`
}

// keepTmpReadable is a second bucket-policy statement, so that removing the
// Deny leaves a policy behind.
const keepTmpReadable = `{"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-tmp/*"}`

const (
	adminRole  = "arn:aws:iam::" + acctA + ":role/admin"
	adminRoles = "arn:aws:iam::" + acctA + ":role/admin-*"
)

// TestExemptPrincipalEditsThePrincipalCondition: a Deny that already
// conditions on aws:PrincipalArn is fixed by editing that condition, not by
// stacking an ArnNotEquals next to it; the edited policy lets the job run.
func TestExemptPrincipalEditsThePrincipalCondition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		facts *Facts
		id    CheckID
		op    string // Fix.Op
		// cond is the aws:PrincipalArn values of each operator the fixed
		// statement must carry, exactly; operators not listed must be absent.
		cond map[string][]string
		text string // in Fix.Text
	}{
		{
			name:  "an ArnNotLike allow-list gets the role added",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnNotLike", adminRoles))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnNotLike": {adminRoles, roleARN}},
			text: "add the role to the principals the Deny spares (ArnNotLike aws:PrincipalArn)",
		},
		{
			name:  "a StringNotEquals allow-list gets the role added",
			facts: with(bucketPolicy("etl-tmp", principalDeny("StringNotEquals", adminRole))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"StringNotEquals": {adminRole, roleARN}},
			text: "(StringNotEquals aws:PrincipalArn)",
		},
		{
			name:  "an ArnNotEquals allow-list is extended, not duplicated",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnNotEquals", adminRole))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnNotEquals": {adminRole, roleARN}},
			text: "spares",
		},
		{
			name:  "an ArnEquals list naming the role and another loses the role",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnEquals", roleARN, adminRole))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnEquals": {adminRole}},
			text: "remove the role from the principals the Deny targets (ArnEquals aws:PrincipalArn)",
		},
		{
			name:  "a StringEquals condition naming only the role removes the statement",
			facts: with(bucketPolicy("etl-tmp", principalDeny("StringEquals", roleARN), keepTmpReadable)),
			id:    GA002, op: OpRemoveStatement,
			text: "remove aws_s3_bucket_policy.etl_tmp statement 0 (Sid \"Perimeter\"): its StringEquals aws:PrincipalArn condition names only this role",
		},
		{
			name:  "the only statement of a bucket policy is removed",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnLike", roleARN))),
			id:    GA002, op: OpRemoveStatement,
			text: "delete aws_s3_bucket_policy.etl_tmp: its only statement is a Deny whose ArnLike aws:PrincipalArn condition names only this role",
		},
		{
			name:  "a removal and an exception in one policy both apply, whichever comes first",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnEquals", roleARN), vpceDeny)),
			id:    GA002, op: OpRemoveStatement,
			text: "remove aws_s3_bucket_policy.etl_tmp statement 0 (Sid \"Perimeter\")",
		},
		{
			name: "an inline policy made only of a Deny naming the role is deleted",
			facts: with(addRolePolicy("aws_iam_role_policy.deny",
				`{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"`+roleARN+`"}}}`)),
			id: GA001, op: OpRemoveStatement,
			text: "the role's own policy aws_iam_role_policy.deny denies it: delete aws_iam_role_policy.deny",
		},
		{
			name: "a key-policy Deny naming only the role is removed from the key policy",
			facts: with(kmsTemp(ptr(policy(rootDelegation,
				`{"Sid":"NoEtl","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"`+roleARN+`"}}}`)))...),
			id: GA005, op: OpRemoveStatement,
			text: "the key policy denies it: remove aws_kms_key.data statement 1 (Sid \"NoEtl\"): its ArnEquals aws:PrincipalArn condition names only this role",
		},
		{
			name:  "an ArnLike pattern covering the role is left alone and the role excepted",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnLike", "arn:aws:iam::"+acctA+":role/etl/*"))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnLike": {"arn:aws:iam::" + acctA + ":role/etl/*"}, "ArnNotEquals": {roleARN}},
			text: "exempt the role from the Deny with an aws:PrincipalArn condition",
		},
		{
			name:  "a policy variable that may stand for the role is left alone and the role excepted",
			facts: with(bucketPolicy("etl-tmp", principalDeny("StringEquals", roleARN, "arn:aws:iam::${aws:PrincipalAccount}:role/etl/glue-etl"))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"StringEquals": {roleARN, "arn:aws:iam::${aws:PrincipalAccount}:role/etl/glue-etl"}, "ArnNotEquals": {roleARN}},
			text: "exempt the role from the Deny",
		},
		{
			name:  "an ArnLike pattern that does not cover the role stays while the role is removed",
			facts: with(bucketPolicy("etl-tmp", principalDeny("ArnLike", adminRoles, roleARN))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnLike": {adminRoles}},
			text: "remove the role from the principals the Deny targets (ArnLike aws:PrincipalArn)",
		},
		{
			name:  "a StringEquals value that looks like a pattern is a literal: the role is removed",
			facts: with(bucketPolicy("etl-tmp", principalDeny("StringEquals", roleARN, "arn:aws:iam::"+acctA+":role/*"))),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"StringEquals": {"arn:aws:iam::" + acctA + ":role/*"}},
			text: "remove the role from the principals the Deny targets",
		},
		{
			name:  "a Deny without a principal condition gets an ArnNotEquals exception",
			facts: with(bucketPolicy("etl-tmp", vpceDeny)),
			id:    GA002, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnNotEquals": {roleARN}},
			text: "exempt the role from the Deny with an aws:PrincipalArn condition",
		},
		{
			name: "an SCP allow-list on ArnNotLike gets the role added",
			facts: with(orgTree(map[string]func(*OrgNode){"ou-1-data": scp("aws_organizations_policy.perimeter",
				`{"Sid":"AdminsOnlyDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"ArnNotLike":{"aws:principalarn":["`+adminRoles+`"]}}}`)})),
			id: GA007, op: OpExemptPrincipal,
			cond: map[string][]string{"ArnNotLike": {adminRoles, roleARN}},
			text: "an SCP attached to ou-1-data denies it: add the role to the principals the Deny spares (ArnNotLike aws:principalarn)",
		},
		{
			name: "an endpoint policy Deny on StringNotLike gets the role added",
			facts: with(inVPC(endpointPolicy(anyone("Allow", acts("s3:*"), "*"),
				`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalArn":"`+adminRoles+`"}}}`))),
			id: GA004, op: OpExemptPrincipal,
			cond: map[string][]string{"StringNotLike": {adminRoles, roleARN}},
			text: "the VPC endpoint policy denies it: add the role",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tt.facts, Options{})
			got := findingOf(rep, tt.id)
			if got == nil || got.Verdict != Deny || got.Reason == "" || got.Fix == nil {
				t.Fatalf("want a %s deny with a fix, got %s", tt.id, dump(rep.Findings))
			}
			fx := got.Fix
			if fx.Op != tt.op || !strings.Contains(fx.Text, tt.text) {
				t.Fatalf("fix %s %q, want %s with %q", fx.Op, fx.Text, tt.op, tt.text)
			}
			if fx.Op == OpRemoveStatement {
				if len(fx.Statements) != 0 || fx.HCL != "" || fx.Index != got.DecidedBy.Index {
					t.Fatalf("remove-statement must name the statement and carry none: %s", dump(fx))
				}
			} else {
				checkPrincipalCondition(t, fx, tt.cond)
			}
			after := Check(applyAll(t, tt.facts, rep), Options{})
			if after.Verdict != JobAllowed {
				t.Fatalf("after the fix the job is %s: %s", after.Verdict, dump(after.Findings))
			}
		})
	}
}

// checkPrincipalCondition asserts the aws:PrincipalArn values per condition
// operator of the rewritten statement of an exempt-principal fix.
func checkPrincipalCondition(t *testing.T, fx *Fix, want map[string][]string) {
	t.Helper()
	if len(fx.Statements) != 1 {
		t.Fatalf("want one rewritten statement, got %s", dump(fx))
	}
	var st map[string]any
	if err := json.Unmarshal(fx.Statements[0], &st); err != nil {
		t.Fatal(err)
	}
	cond, _ := st["Condition"].(map[string]any)
	for op, block := range cond {
		m, _ := block.(map[string]any)
		key := principalArnKey(m)
		if key == "" {
			continue
		}
		w, ok := want[op]
		if !ok {
			t.Fatalf("unexpected %s on aws:PrincipalArn: %s", op, dump(st))
		}
		if got := strs(m[key]); !slices.Equal(got, w) {
			t.Fatalf("%s aws:PrincipalArn = %v, want %v", op, got, w)
		}
		delete(want, op)
	}
	if len(want) > 0 {
		t.Fatalf("statement lacks %v: %s", want, dump(st))
	}
}
