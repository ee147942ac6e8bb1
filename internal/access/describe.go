package access

import (
	"fmt"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// Layers that are settings rather than policies: a finding they decide
// names the resource holding the setting, and "no statement allows" would
// mislead.
const (
	LayerObjectOwnership = "object-ownership"
	LayerRequesterPays   = "requester-pays"
)

// layerNames name each layer of a PolicyRef in descriptions. The policy
// layers are named as AWS's documentation names them (the key policy more
// precisely than the "resource-based policy" of AWS's denial messages,
// layerWords); a setting layer names the setting of the resource.
var layerNames = map[string]string{
	string(iam.LayerIdentity):  "identity-based policy",
	string(iam.LayerBoundary):  "permissions boundary",
	string(iam.LayerSession):   "session policy",
	string(iam.LayerResource):  "bucket policy",
	string(iam.LayerKeyPolicy): "key policy",
	string(iam.LayerGrant):     "KMS grant",
	string(iam.LayerSCP):       "service control policy",
	string(iam.LayerRCP):       "resource control policy",
	string(iam.LayerEndpoint):  "VPC endpoint policy",
	LayerObjectOwnership:       "Object Ownership of",
	LayerRequesterPays:         "Requester Pays setting of",
}

// Describe renders the reference in words, the one wording every report and
// the provider use for the statement that decided:
//
//	bucket policy aws_s3_bucket_policy.raw statement 1 (Sid "DenyOutsideVpce")
//	service control policy p-data attached to ou-ab12-data0001 statement 0
//	identity-based policy aws_iam_role_policy.glue (no statement allows)
//	Requester Pays setting of aws_s3_bucket_request_payment_configuration.raw
func (r *PolicyRef) Describe() string {
	name, ok := layerNames[r.Layer]
	if !ok {
		name = r.Layer
	}
	if r.Layer == LayerObjectOwnership || r.Layer == LayerRequesterPays {
		return name + " " + r.Policy
	}
	if r.Node != "" && r.Policy == r.Node {
		// Every policy of one organization level: the node names them.
		s := name + " at " + r.Node
		if r.Index < 0 {
			s += " (no statement allows)"
		}
		return s
	}
	s := r.statement()
	if !strings.HasPrefix(s, name+" ") {
		// A label that already names the layer ("bucket policy of
		// raw-zone", for a bucket without a policy) is not prefixed again.
		s = name + " " + s
	}
	if r.Index < 0 {
		s += " (no statement allows)"
	}
	return s
}

// statement renders where the reference points, without its layer:
// "aws_s3_bucket_policy.raw statement 1 (Sid "DenyOutsideVpce")"; the policy
// alone when no statement decided.
func (r *PolicyRef) statement() string {
	s := r.Policy
	if r.Node != "" && !strings.Contains(s, r.Node) {
		s += " attached to " + r.Node
	}
	return s + statementSuffix(r.Index, r.Sid)
}

// stmtName names an engine statement reference for messages, as statement
// does.
func stmtName(st iam.StatementRef) string {
	return st.Policy + statementSuffix(st.Index, st.Sid)
}

// statementSuffix is " statement 1 (Sid "X")", or "" for no statement
// (index -1).
func statementSuffix(index int, sid string) string {
	if index < 0 {
		return ""
	}
	s := fmt.Sprintf(" statement %d", index)
	if sid != "" {
		s += fmt.Sprintf(" (Sid %q)", sid)
	}
	return s
}

// withArticle puts "a" or "an" before a noun phrase, as it is spoken: "an
// identity-based policy", "a VPC endpoint policy", "a KMS grant".
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// joinList joins items as "a, b and c" (conj "and") or "a, b or c".
func joinList(items []string, conj string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// plural picks the word for n things.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
