package access

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// TestFixShowsLeavesAsReferences checks that a fix quoting a statement with
// an unknown leaf shows the leaf as the reference it is read through, and
// that applying the fix puts the leaf back.
func TestFixShowsLeavesAsReferences(t *testing.T) {
	leaf := iam.UnknownLeaf(`data.aws_s3_bucket.x["a"].arn`)
	if got, want := showLeaves("arn:aws:s3:::"+leaf+"/*"), `arn:aws:s3:::${data.aws_s3_bucket.x["a"].arn}/*`; got != want {
		t.Errorf("showLeaves = %q, want %q", got, want)
	}
	if got := showLeaves("a\x00unclosed"); got != "a\x00unclosed" {
		t.Errorf("an unclosed marker was rewritten: %q", got)
	}
	deny := map[string]any{"Sid": "Protect", "Effect": "Deny", "Action": "s3:PutObject",
		"Resource": []any{"arn:aws:s3:::curated/*", leaf + "/*"}}
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{deny}})
	f := &Facts{Role: &Role{Inline: []PolicyDoc{{Label: "aws_iam_role_policy.job", JSON: string(doc), Known: true,
		Leaves: []string{`data.aws_s3_bucket.x["a"].arn`}}}}}
	c := &checker{}
	fix := c.buildFix(&fixSpec{op: OpExemptPrincipal, policy: "aws_iam_role_policy.job", index: 0, stmt: func() map[string]any {
		st := cloneJSON(deny)
		st["Condition"] = map[string]any{"ArnNotEquals": map[string]any{"aws:PrincipalArn": "arn:aws:iam::111122223333:role/glue"}}
		return st
	}()}, nil)
	if len(fix.Statements) != 1 || strings.ContainsRune(string(fix.Statements[0]), 0) || strings.Contains(string(fix.Statements[0]), `\u0000`) ||
		!strings.Contains(string(fix.Statements[0]), `${data.aws_s3_bucket.x[\"a\"].arn}/*`) {
		t.Fatalf("fix statement %s does not show the leaf as its reference", fix.Statements)
	}
	if !strings.Contains(fix.HCL, `${data.aws_s3_bucket.x[\"a\"].arn}/*`) {
		t.Errorf("fix HCL %s does not show the leaf as its reference", fix.HCL)
	}
	g, err := ApplyFix(f, *fix)
	if err != nil {
		t.Fatal(err)
	}
	got := g.Role.Inline[0].JSON
	if !strings.Contains(got, `\u0000data.aws_s3_bucket.x[\"a\"].arn\u0000/*`) || !strings.Contains(got, "ArnNotEquals") {
		t.Errorf("applied fix %s does not hold the leaf and the exemption", got)
	}
}
