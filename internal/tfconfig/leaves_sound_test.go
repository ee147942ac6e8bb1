package tfconfig

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// TestPolicyDocumentLeavesSound decides the policies of testdata/leaves_sound
// with the raw bucket's ARN unknown (each use of it an unknown leaf) and with
// it known as each of many values, Terraform's rendering of the document
// then given by the same configuration: whenever the unknown document
// decides a request, every value the IAM engine accepts decides it so (as
// iam.UnknownLeaf promises: Allowed and ExplicitlyDenied alike, for
// ImplicitlyDenied no value allows). The values are
// ARNs that match the requests and that do not, wildcards, actions, an
// endpoint id and the caller's own ARN, so that a leaf placed where its value
// changes the document's meaning shows up as a disagreement.
func TestPolicyDocumentLeavesSound(t *testing.T) {
	cfg := load(t, "leaves_sound")
	policies := map[string]iam.Kind{
		"aws_iam_role_policy.deny_not_resource": iam.KindIdentity,
		"aws_iam_role_policy.deny_not_action":   iam.KindIdentity,
		"aws_iam_role_policy.suffix":            iam.KindIdentity,
		"aws_iam_role_policy.condition":         iam.KindIdentity,
		"aws_iam_role_policy.heredoc":           iam.KindIdentity,
		"aws_iam_role_policy.buckets":           iam.KindIdentity,
		"aws_s3_bucket_policy.principal":        iam.KindResource,
	}
	evaluator := func(raw map[string]any, unknown ...string) *Evaluator {
		read := tfjson.Actions{tfjson.ActionRead}
		changes := []*tfjson.ResourceChange{
			change("", "data.aws_s3_bucket.raw", nil, read, raw, unknown...),
			change("", "data.aws_iam_policy_document.buckets", nil, read, map[string]any{}, "json", "minified_json", "id"),
		}
		for address := range policies {
			typ, name, _ := strings.Cut(address, ".")
			after := map[string]any{"name": name, "role": "glue"}
			if typ == "aws_s3_bucket_policy" {
				after = map[string]any{"bucket": "data"}
			}
			changes = append(changes, create(address, after, "id", "policy"))
		}
		return bind(t, cfg, planFor(t, cfg, nil, changes...), Options{AccountID: "111122223333"})
	}
	values := []string{
		"arn:aws:s3:::raw", "arn:aws:s3:::data", "arn:aws:s3:::data/in", "arn:aws:s3:::other",
		"*", "arn:aws:s3:::*", "arn:aws:s3:::dat?", "s3:GetObject", "s3:*", "s3:Put*", "vpce-1",
		"arn:aws:iam::111122223333:role/glue", "arn:aws:sts::111122223333:assumed-role/glue/s",
		"arn:aws:iam::111122223333:root", "arn:aws:glue:eu-west-1:111122223333:job/j",
	}
	type request struct {
		action, resource, vpce, source string
	}
	var requests []request
	for _, action := range []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"} {
		for _, resource := range []string{"arn:aws:s3:::data/in/x", "arn:aws:s3:::data", "arn:aws:s3:::raw/k", "arn:aws:s3:::other/k"} {
			for _, ctx := range [][2]string{{"", ""}, {"vpce-1", "arn:aws:glue:eu-west-1:111122223333:job/j"}, {"vpce-2", "arn:aws:s3:::raw"}} {
				requests = append(requests, request{action, resource, ctx[0], ctx[1]})
			}
		}
	}
	// decide returns false when the engine refuses the document (AWS would
	// refuse it at apply: an endpoint id as an action).
	decide := func(doc string, kind iam.Kind, r request) (iam.Decision, bool) {
		p, err := iam.Parse([]byte(doc), kind, "test")
		if err != nil {
			return 0, false
		}
		in := &iam.Input{Identity: []*iam.Policy{p}}
		if kind == iam.KindResource {
			in = &iam.Input{Resource: p}
		}
		ctx := iam.NewContext()
		if r.vpce != "" {
			ctx.Set("aws:SourceVpce", r.vpce)
			ctx.Set("aws:SourceArn", r.source)
		}
		return iam.Evaluate(in, &iam.Request{
			Principal: iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/glue/s", RoleARN: "arn:aws:iam::111122223333:role/glue"},
			Action:    r.action, Resource: r.resource, ResourceAccount: "111122223333", Context: ctx,
		}).Decision, true
	}
	unknownEv := evaluator(map[string]any{"bucket": "raw"}, "arn")
	known := make([]*Evaluator, len(values))
	for i, v := range values {
		known[i] = evaluator(map[string]any{"bucket": "raw", "arn": v})
	}
	for address, kind := range policies {
		doc, ok := unknownEv.PolicyDocument(address, "policy", iam.UnknownLeaf)
		if !ok {
			t.Errorf("%s: no document with unknown leaves", address)
			continue
		}
		decided := 0
		for _, r := range requests {
			want, ok := decide(doc.JSON, kind, r)
			if !ok {
				t.Fatalf("%s: the engine refuses the document with unknown leaves %s", address, doc.JSON)
			}
			if want == iam.Unknown {
				continue
			}
			decided++
			for i, v := range values {
				concrete := attribute(t, known[i], address, "policy")
				if !concrete.Known {
					t.Fatalf("%s: policy not known with the ARN %q", address, v)
				}
				got, ok := decide(concrete.Val.AsString(), kind, r)
				if ok && got != want && (want != iam.ImplicitlyDenied || got == iam.Allowed) {
					t.Errorf("%s: %v decided %v with the ARN unknown, but %v when it is %q\nunknown: %s\nknown: %s",
						address, r, want, got, v, doc.JSON, concrete.Val.AsString())
				}
			}
		}
		if decided == 0 {
			t.Errorf("%s: no request decided with the ARN unknown: the test proves nothing for it", address)
		}
	}
}
