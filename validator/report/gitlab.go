package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// codeQualityIssue is one entry of a GitLab Code Quality report, the subset
// of the Code Climate issue format GitLab reads ("Code Quality" in the GitLab
// CI documentation, section "Implement a custom tool"): description,
// check_name, fingerprint, severity, location.path and location.lines.begin.
type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// GitLab writes a GitLab Code Quality report: one issue per finding that is
// not suppressed (GitLab has no notion of a suppressed issue), deny
// "critical" and unknown "minor", at the deciding statement or the job (the
// file relative to the repository root when the validator found it, which is
// what GitLab needs), else at line 1 of the plan file; and one "blocker" per tool error, at the plan file.
func GitLab(w io.Writer, r *Report, _ Options) error {
	issues := []codeQualityIssue{}
	at := func(l *Location) codeQualityLocation {
		if l == nil {
			return codeQualityLocation{Path: r.Plan.File, Lines: codeQualityLines{Begin: 1}}
		}
		return codeQualityLocation{Path: l.FromRoot(), Lines: codeQualityLines{Begin: l.Line}}
	}
	for _, j := range r.Jobs {
		for _, f := range j.Findings {
			if f.Suppressed != nil {
				continue
			}
			severity := "critical"
			if f.Verdict == VerdictUnknown {
				severity = "minor"
			}
			desc := f.ID + " " + j.Address + ": " + f.Because
			if f.Fix != nil {
				desc += " Fix: " + f.Fix.Text
			}
			check := f.ID
			if rule, _, ok := RuleByID(f.ID); ok {
				check = rule.ID + " " + rule.Name
			}
			issues = append(issues, codeQualityIssue{Description: desc, CheckName: check, Fingerprint: Fingerprint(j.Address, f), Severity: severity, Location: at(findingLocation(j, f))})
		}
	}
	for _, e := range r.Errors {
		msg := e.Message
		if e.Resource != "" {
			msg = e.Resource + ": " + msg
		}
		issues = append(issues, codeQualityIssue{Description: "glueaccess could not decide: " + msg, CheckName: "glueaccess-error",
			Fingerprint: Fingerprint(e.Resource, Finding{ID: "error", Reason: e.Message}), Severity: "blocker", Location: at(nil)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(issues); err != nil {
		return fmt.Errorf("writing gitlab code quality report: %w", err)
	}
	return nil
}
