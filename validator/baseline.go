package validator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// baselineVersion is the version of the baseline file format.
const baselineVersion = 1

// baselineFile is a baseline (docs/validate.md, "Adopting on a repository
// with findings"): the findings a team has accepted for now, by fingerprint
// (report.Fingerprint), so that only new findings fail. Job, ID and Verdict
// are there for the people reviewing the file; only Fingerprint matches.
type baselineFile struct {
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Job         string `json:"job"`
	ID          string `json:"id"`
	Verdict     string `json:"verdict"`
}

var fingerprintPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// writeBaseline writes the findings of the report that nothing suppresses.
// Entries are sorted, so the file does not change when nothing else does.
func writeBaseline(path string, rep *report.Report) error {
	b := baselineFile{Version: baselineVersion, Findings: []baselineEntry{}}
	seen := map[string]bool{}
	for _, j := range rep.Jobs {
		for _, f := range j.Findings {
			fp := report.Fingerprint(j.Address, f)
			if f.Suppressed != nil || seen[fp] {
				continue
			}
			seen[fp] = true
			b.Findings = append(b.Findings, baselineEntry{Fingerprint: fp, Job: j.Address, ID: f.ID, Verdict: f.Verdict})
		}
	}
	slices.SortFunc(b.Findings, func(x, y baselineEntry) int {
		return strings.Compare(x.Job+"\x00"+x.ID+"\x00"+x.Fingerprint, y.Job+"\x00"+y.ID+"\x00"+y.Fingerprint)
	})
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("writing baseline %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing baseline %s: %w", path, err)
	}
	return nil
}

// readBaseline reads a baseline file into its set of fingerprints. Anything
// unexpected in it is an error naming the file (exit 2): a baseline that is
// misread would let findings through.
func readBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b baselineFile
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: not a glueaccess baseline (%v); write one with --write-baseline", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("baseline %s: unexpected data after the baseline object", path)
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("baseline %s: version %d, want %d", path, b.Version, baselineVersion)
	}
	set := map[string]bool{}
	var errs []error
	for i, e := range b.Findings {
		if !fingerprintPattern.MatchString(e.Fingerprint) {
			errs = append(errs, fmt.Errorf("baseline %s: findings[%d]: fingerprint %q: want 32 lowercase hex digits", path, i, e.Fingerprint))
			continue
		}
		set[e.Fingerprint] = true
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// applyBaseline marks the findings whose fingerprint is in the baseline as
// suppressed, citing the baseline, and notes in the plan how many baseline
// entries no longer match a finding (fixed since, or changed).
func applyBaseline(rep *report.Report, set map[string]bool, path string) {
	used := map[string]bool{}
	for i := range rep.Jobs {
		j := &rep.Jobs[i]
		for k := range j.Findings {
			f := &j.Findings[k]
			fp := report.Fingerprint(j.Address, *f)
			if !set[fp] {
				continue
			}
			used[fp] = true
			if f.Suppressed == nil {
				f.Suppressed = &report.Suppression{Reason: "accepted in the baseline", Source: path}
			}
		}
	}
	if stale := len(set) - len(used); stale > 0 {
		rep.Plan.Notes = append(rep.Plan.Notes, fmt.Sprintf("%d of the %d findings accepted in the baseline %s are no longer reported (fixed or changed); rewrite it with --write-baseline to drop them", stale, len(set), path))
	}
}
