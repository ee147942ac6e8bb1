package access

import (
	"slices"
	"strings"
	"testing"
)

func TestDenialMessagesReadAsEnglish(t *testing.T) {
	t.Parallel()
	t.Run("an explicit deny in an identity-based policy", func(t *testing.T) {
		rep := Check(with(addRolePolicy("aws_iam_role_policy.guard", stmt("Deny", acts("s3:DeleteObject"), "arn:aws:s3:::*"))), Options{})
		f := findingOf(rep, GA001)
		if f == nil || f.Verdict != Deny || !strings.Contains(f.Because, "with an explicit deny in an identity-based policy (aws_iam_role_policy.guard statement 0)") {
			t.Fatalf("want a deny naming an identity-based policy with its article: %s", dump(f))
		}
	})
	t.Run("keys that are not known are plural", func(t *testing.T) {
		rep := Check(with(bucketPolicy("etl-tmp", `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::etl-tmp/*",`+
			`"Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"},"StringNotEquals":{"aws:userid":"AROAEXAMPLE"}}}`)), Options{})
		f := findingOf(rep, GA002)
		if f == nil || f.Verdict != UnknownVerd {
			t.Fatalf("want GA002 unknown: %s", dump(rep.Findings))
		}
		if !strings.Contains(f.Because, " and ") || !strings.Contains(f.Because, ", which are not known at plan time") {
			t.Errorf("two keys must read \"A and B, which are not known\": %q", f.Because)
		}
	})
	for _, tc := range []struct{ in, want string }{
		{"identity-based policy", "an identity-based policy"},
		{"resource-based policy", "a resource-based policy"},
		{"VPC endpoint policy", "a VPC endpoint policy"},
		{"KMS grant", "a KMS grant"},
	} {
		if got := withArticle(tc.in); got != tc.want {
			t.Errorf("withArticle(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A recommended action the known policies do not allow, when the policies
// that could allow it are not known (the configuration was not evaluated),
// is not known to be allowed: its note must not say that AWS denies it.
func TestRecommendedActionsWithPoliciesNotKnownAreNotCalledDenied(t *testing.T) {
	t.Parallel()
	known := Check(base(), Options{})
	if !slices.ContainsFunc(known.ActionGaps, func(g ActionGap) bool {
		return g.Kind == "recommended" && g.Action == "s3:AbortMultipartUpload" && g.Decision == "ImplicitlyDenied" && g.Layer == "identity"
	}) {
		t.Fatalf("fixture: the known policies should leave AbortMultipartUpload not allowed: %+v", known.ActionGaps)
	}
	rep := Check(with(func(f *Facts) {
		f.Role.Inline = []PolicyDoc{{Label: "aws_iam_role_policy.glue", From: Provenance{Address: "aws_iam_role_policy.glue", Note: "policy known only after apply"}}}
	}), Options{})
	if rep.Verdict == JobAllowed {
		t.Fatalf("a job whose only policy is not known was allowed")
	}
	if len(rep.ActionGaps) > 0 {
		t.Errorf("an action is called denied although the policy that decides it is not known: %+v", rep.ActionGaps)
	}
	if !hasNote(rep.Notes, "recommended s3:AbortMultipartUpload on ", "is not known to be allowed: no known policy allows it, and ") {
		t.Errorf("want the note to say the action is not known to be allowed and why: %q", rep.Notes)
	}
}

func hasNote(notes []string, prefix, part string) bool {
	for _, n := range notes {
		if strings.HasPrefix(n, prefix) && strings.Contains(n, part) {
			return true
		}
	}
	return false
}
