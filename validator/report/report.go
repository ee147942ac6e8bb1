// Package report renders the outcome of glueaccess validate in the output
// formats the CLI offers: text, json, sarif, github and markdown. The Report
// type is the stable JSON contract documented in docs/validate.md; every other
// format is a view of it.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// Version is the JSON contract version.
const Version = 1

// Job verdicts.
const (
	Allowed = "allowed"
	Denied  = "denied"
	Unknown = "unknown"
)

// Finding verdicts.
const (
	VerdictDeny    = "deny"
	VerdictUnknown = "unknown"
)

// Report is the whole result of one validation.
type Report struct {
	Version int      `json:"version"`
	Plan    PlanInfo `json:"plan"`
	Jobs    []Job    `json:"jobs"`
	Errors  []Error  `json:"errors"`
	Summary Summary  `json:"summary"`
}

// PlanInfo describes the input.
type PlanInfo struct {
	File             string `json:"file"`
	FormatVersion    string `json:"format_version"`
	TerraformVersion string `json:"terraform_version"`
	Config           string `json:"config,omitempty"`
	// ConfigDir is the directory of the Terraform configuration evaluated for
	// values the plan leaves unknown; empty when none was used.
	ConfigDir string `json:"config_dir,omitempty"`
	// ConfigPath is ConfigDir relative to the repository root ("." for the
	// root itself), set when every Location also carries its Path from the
	// root (glueaccess validate --base-dir, else the git top level).
	ConfigPath string `json:"config_path,omitempty"`
	// Notes apply to every job (run-time arguments are invisible; no
	// Organizations data was visible).
	Notes []string `json:"notes"`
	// Warnings say that the Terraform configuration could not be used (it
	// is invalid, or not the one the plan was made from), so jobs were
	// decided from the plan alone.
	Warnings []string `json:"warnings,omitempty"`
	// ActionWarnings are Action or NotAction entries, in policies of the plan
	// that no single job's facts hold (VPC endpoint policies, SCPs, RCPs,
	// policies of buckets and keys no job uses), that name no real AWS action.
	ActionWarnings []string `json:"action_warnings,omitempty"`
}

// Job is the verdict on one aws_glue_job.
type Job struct {
	Address string `json:"address"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Verdict string `json:"verdict"`
	// Location is the job's resource block, when the configuration was used.
	Location    *Location    `json:"location,omitempty"`
	Findings    []Finding    `json:"findings"`
	Assumptions []Assumption `json:"assumptions"`
	Notes       []string     `json:"notes,omitempty"`
	// ActionGaps are the recommended and advisory requests the policies do
	// not allow (the job runs without them).
	ActionGaps []ActionGap `json:"action_gaps,omitempty"`
	// ActionWarnings are Action or NotAction entries, in the policies of the
	// job's role, buckets and keys, that name no real AWS action: AWS ignores
	// them, so a misspelt action in an Allow grants nothing.
	ActionWarnings []string `json:"action_warnings,omitempty"`
}

// ActionGap is a recommended (or advisory) request of a job that the
// policies do not allow, as access.ActionGap.
type ActionGap struct {
	Kind     string `json:"kind"` // "recommended" or "advisory"
	Action   string `json:"action"`
	Resource string `json:"resource"`
	Decision string `json:"decision"` // "ImplicitlyDenied" or "ExplicitlyDenied"
	Layer    string `json:"layer"`    // the deciding layer, as decided_by.layer
}

// Assumption is something taken as true without evidence.
type Assumption struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Finding is one reason a job would be (or might be) denied.
type Finding struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
	// Action, Resource and URL are those of the first request the finding is
	// about; Needs lists all of them.
	Action     string       `json:"action"`
	Resource   string       `json:"resource"`
	URL        string       `json:"url"`
	Needs      []Need       `json:"needs"`
	Because    string       `json:"because"`
	DecidedBy  *Statement   `json:"decided_by"`
	Missing    []Missing    `json:"missing"`
	Fix        *Fix         `json:"fix"`
	Suppressed *Suppression `json:"suppressed,omitempty"`
	// Evidence lists how values the deciding policy rests on were derived
	// from the configuration rather than stated ("aws_s3_bucket.data.arn:
	// bucket ARN derived from its name (main.tf:17)").
	Evidence []string `json:"evidence,omitempty"`
}

// Location is a line of the Terraform configuration, File relative to the
// configuration directory, Path (when the repository root is known) relative
// to the repository root.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Path string `json:"path,omitempty"`
}

// FromRoot is the location's file relative to the repository root when
// known, else relative to the configuration directory: what code scanning,
// annotations and Code Quality reports need to land on the file.
func (l *Location) FromRoot() string {
	if l.Path != "" {
		return l.Path
	}
	return l.File
}

// String renders the location as file:line.
func (l *Location) String() string { return l.File + ":" + strconv.Itoa(l.Line) }

// Need is one request a finding is about.
type Need struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	URL      string `json:"url,omitempty"`
	Intent   string `json:"intent"`
	Why      string `json:"why,omitempty"`
	// Source says where the need was found: definition, declared, script,
	// catalog-table, crawler-target.
	Source string `json:"source,omitempty"`
	// Location is the script line that names the location (Source script),
	// its Path relative to the repository root.
	Location *Location `json:"location,omitempty"`
}

// Statement names the policy statement (or the policy lacking an allow, Index
// -1) that decided.
type Statement struct {
	Layer  string `json:"layer"`
	Policy string `json:"policy"`
	Index  int    `json:"index"`
	Sid    string `json:"sid,omitempty"`
	Level  int    `json:"level,omitempty"`
	Node   string `json:"node,omitempty"`
	// Location is the statement (or, Index -1, the policy) in the
	// configuration, when the configuration was used.
	Location *Location `json:"location,omitempty"`
}

// Missing is a fact that is needed and not known, and how to supply it.
type Missing struct {
	Fact string `json:"fact"`
	How  string `json:"how"`
}

// Fix is the smallest change that removes the finding.
type Fix struct {
	Target   string `json:"target"`
	Op       string `json:"op"`
	Resource string `json:"resource"`
	Text     string `json:"text"`
	// Statements are policy statements to add (or the rewritten statement).
	Statements []json.RawMessage `json:"statements,omitempty"`
	HCL        string            `json:"hcl,omitempty"`
	Setting    *Setting          `json:"setting,omitempty"`
}

// Setting is a name = value change.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Suppression records why a finding does not count.
type Suppression struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	Source  string `json:"source"`
}

// Error is a tool error: input the tool could not use. Errors are never findings.
type Error struct {
	Message  string `json:"message"`
	Resource string `json:"resource,omitempty"`
}

// Summary counts jobs and findings.
type Summary struct {
	Jobs       int `json:"jobs"`
	Allowed    int `json:"allowed"`
	Denied     int `json:"denied"`
	Unknown    int `json:"unknown"`
	Findings   int `json:"findings"`
	Suppressed int `json:"suppressed"`
	Errors     int `json:"errors"`
}

// Options tune rendering.
type Options struct {
	// Color enables ANSI colour in the text format.
	Color bool
	// Verbose shows, in the text format, each job's assumptions and notes
	// (the plan's notes are always shown).
	Verbose bool
	// CommentDir is the configuration directory the Markdown format's
	// sticky-comment marker names ("" is "."): the GitHub Action finds its
	// pull-request comment again by it.
	CommentDir string
	// ToolVersion is the version of glueaccess that made the report, for
	// formats that name their tool (SARIF driver.version); "" leaves it out.
	ToolVersion string
}

// Formatter writes a report in one format.
type Formatter func(w io.Writer, r *Report, opts Options) error

// Formatters maps each --format name to its formatter.
var Formatters = map[string]Formatter{
	"text":     Text,
	"json":     JSON,
	"sarif":    SARIF,
	"github":   GitHub,
	"markdown": Markdown,
	"junit":    JUnit,
	"gitlab":   GitLab,
}

// Names returns the format names in order, for usage text.
func Names() []string {
	names := make([]string, 0, len(Formatters))
	for n := range Formatters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Summarize recomputes Summary from the jobs and errors. A suppressed finding
// does not change its job's verdict.
func (r *Report) Summarize() {
	s := Summary{Jobs: len(r.Jobs), Errors: len(r.Errors)}
	for i := range r.Jobs {
		j := &r.Jobs[i]
		verdict := Allowed
		for _, f := range j.Findings {
			s.Findings++
			if f.Suppressed != nil {
				s.Suppressed++
				continue
			}
			switch {
			case f.Verdict == VerdictDeny:
				verdict = Denied
			case f.Verdict == VerdictUnknown && verdict == Allowed:
				verdict = Unknown
			}
		}
		j.Verdict = verdict
		switch verdict {
		case Allowed:
			s.Allowed++
		case Denied:
			s.Denied++
		default:
			s.Unknown++
		}
	}
	r.Summary = s
}

// JSON writes the report as the documented JSON contract.
func JSON(w io.Writer, r *Report, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("writing json report: %w", err)
	}
	return nil
}
