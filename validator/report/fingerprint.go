package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Fingerprint identifies a finding from one run to the next, for baselines
// and the GitLab Code Quality report: a hash of the job's address, the check,
// the verdict, the reason, the first request (action and resource) and the
// deciding policy (layer, Terraform address, Sid). It holds no line number,
// statement index or position in the report, so moving code or adding jobs
// leaves the fingerprints of the other findings unchanged; a finding turning
// from unknown into deny gets a new one.
func Fingerprint(job string, f Finding) string {
	parts := []string{"glueaccess/v1", job, f.ID, f.Verdict, f.Reason, f.Action, f.Resource}
	if d := f.DecidedBy; d != nil {
		parts = append(parts, d.Layer, d.Policy, d.Sid)
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}
