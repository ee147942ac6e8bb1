package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// SARIF 2.1.0 document shapes: only the parts glueaccess fills.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	Invocations       []sarifInvocation `json:"invocations"`
	Artifacts         []sarifArtifact   `json:"artifacts"`
	Results           []sarifResult     `json:"results"`
}

// sarifAutomation identifies the run: GitHub code scanning keeps one set of
// alerts per category (the id up to its last "/"), so each configuration
// directory of a repository gets its own and their uploads do not replace
// each other.
type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifHelp      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifRuleLevel `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

// sarifRuleProps are the rule properties GitHub code scanning reads: tags,
// and security-severity (a score from 0.1 to 10; 4.0 to 6.9 shows as
// "medium"). A 403 stops a job from running; it exposes nothing, so every
// rule is medium.
type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRuleLevel struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// srcRoot is the uriBaseId of files named relative to the repository root;
// GitHub code scanning resolves it to the checkout.
const srcRoot = "%SRCROOT%"

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Related      []sarifLocation    `json:"relatedLocations,omitempty"`
	Fingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	Properties   sarifProperties    `json:"properties"`
}

type sarifLocation struct {
	ID               int            `json:"id,omitempty"`
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

type sarifProperties struct {
	Verdict   string     `json:"verdict"`
	Reason    string     `json:"reason"`
	Action    string     `json:"action"`
	Resource  string     `json:"resource"`
	URL       string     `json:"url,omitempty"`
	DecidedBy *Statement `json:"decidedBy,omitempty"`
	Fix       *Fix       `json:"fix,omitempty"`
}

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// findingLocation is where a finding points in the configuration: the
// deciding statement, else the job; nil without the configuration.
func findingLocation(j Job, f Finding) *Location {
	if f.DecidedBy != nil && f.DecidedBy.Location != nil {
		return f.DecidedBy.Location
	}
	return j.Location
}

// physical is a configuration file and line (its URI relative to the
// repository root, fromRoot, else to the configuration directory), or the
// plan file when there is no location; the paths are made URIs by sarifURI.
func physical(planFile string, l *Location, fromRoot bool) sarifPhysical {
	if l == nil {
		return sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: sarifURI(planFile)}}
	}
	loc := sarifArtifactLocation{URI: sarifURI(l.FromRoot())}
	if fromRoot {
		loc.URIBaseID = srcRoot
	}
	return sarifPhysical{ArtifactLocation: loc, Region: &sarifRegion{StartLine: l.Line}}
}

// SARIF writes a SARIF 2.1.0 log: one rule per GA id, one result per finding
// (deny → error, unknown → warning); suppressed findings keep their result
// with an external suppression; tool errors are tool execution notifications.
func SARIF(w io.Writer, r *Report, opts Options) error {
	driver := sarifDriver{Name: "glueaccess", Version: opts.ToolVersion, InformationURI: DocsURL}
	for _, rule := range Rules {
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.ID,
			Name:                 rule.Name,
			ShortDescription:     sarifText{rule.Short},
			FullDescription:      sarifText{rule.Help},
			Help:                 sarifHelp{Text: rule.Help + " See " + rule.HelpURI(), Markdown: rule.Help + "\n\n[Documentation](" + rule.HelpURI() + ")"},
			HelpURI:              rule.HelpURI(),
			DefaultConfiguration: sarifRuleLevel{Level: "error"},
			Properties:           sarifRuleProps{Tags: []string{"security", "aws", "iam", "s3"}, SecuritySeverity: "5.0"},
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0}
	for _, e := range r.Errors {
		msg := e.Message
		if e.Resource != "" {
			msg = e.Resource + ": " + msg
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifText{msg}})
	}
	for _, w := range r.Plan.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifText{w}})
	}
	// A policy naming an action that does not exist is no GA rule's result:
	// it is reported as a warning about the input, job-level ones prefixed by
	// the job.
	for _, w := range r.Plan.ActionWarnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifText{w}})
	}
	for _, j := range r.Jobs {
		for _, w := range j.ActionWarnings {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifText{j.Address + ": " + w}})
		}
	}
	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{inv},
		Artifacts:   []sarifArtifact{{Location: sarifArtifactLocation{URI: sarifURI(r.Plan.File)}}},
		Results:     []sarifResult{},
	}
	if r.Plan.ConfigPath != "" {
		id := "glueaccess/"
		if r.Plan.ConfigPath != "." {
			id += r.Plan.ConfigPath + "/"
		}
		run.AutomationDetails = &sarifAutomation{ID: id}
	}
	for _, j := range r.Jobs {
		for _, f := range j.Findings {
			_, idx, ok := RuleByID(f.ID)
			if !ok {
				return fmt.Errorf("writing sarif: finding %s on %s has no rule", f.ID, j.Address)
			}
			level := "error"
			if f.Verdict == VerdictUnknown {
				level = "warning"
			}
			msg := j.Address + ": " + f.Because
			if f.Fix != nil {
				msg += " Fix: " + f.Fix.Text
			}
			res := sarifResult{
				RuleID:    f.ID,
				RuleIndex: idx,
				Level:     level,
				Message:   sarifText{msg},
				Locations: []sarifLocation{{
					PhysicalLocation: physical(r.Plan.File, findingLocation(j, f), r.Plan.ConfigPath != ""),
					LogicalLocations: []sarifLogical{{FullyQualifiedName: j.Address, Kind: "resource"}},
				}},
				Fingerprints: map[string]string{"glueaccess/v1": j.Address + "|" + f.ID + "|" + f.Reason + "|" + f.Action + "|" + f.Resource},
				Properties:   sarifProperties{Verdict: f.Verdict, Reason: f.Reason, Action: f.Action, Resource: f.Resource, URL: f.URL, DecidedBy: f.DecidedBy, Fix: f.Fix},
			}
			if d := f.DecidedBy; d != nil && d.Location != nil && j.Location != nil {
				// The statement is the primary location; the job is where the
				// request comes from.
				res.Related = []sarifLocation{{ID: 1, PhysicalLocation: physical(r.Plan.File, j.Location, r.Plan.ConfigPath != ""), Message: &sarifText{subjectWord(j.Address) + " " + j.Address}}}
			}
			for _, n := range f.Needs {
				// The script line that names the location the finding is about.
				if n.Location != nil {
					res.Related = append(res.Related, sarifLocation{ID: len(res.Related) + 1, PhysicalLocation: physical(r.Plan.File, n.Location, n.Location.Path != ""),
						Message: &sarifText{"script line naming " + n.URL}})
					break
				}
			}
			if s := f.Suppressed; s != nil {
				res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: s.Reason}}
			}
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("writing sarif: %w", err)
	}
	return nil
}
