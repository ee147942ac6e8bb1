package simulate

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// Exit codes of Run, shared by every glueaccess command.
const (
	exitAllowed  = 0
	exitDenied   = 1
	exitBadInput = 2
)

// Run implements `glueaccess simulate [--format text|json] REQUEST.json...`: it
// decides the request of each file and prints one report per file, in argument
// order. It returns 0 when every request is allowed and every stated expectation
// is met, 1 when a request is denied or an expectation is not met, and 2 when a
// file cannot be read or decoded (the other files are still reported).
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: glueaccess simulate [--format text|json] REQUEST.json...")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Decides the IAM request described by each file, offline (see docs/simulate.md).")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "exit codes: 0 all allowed, 1 a request denied or an expectation not met, 2 bad input")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAllowed
		}
		return exitBadInput
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "glueaccess simulate: unknown format %q (want text or json)\n", *format)
		return exitBadInput
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitBadInput
	}
	code := exitAllowed
	printed := false // text blocks are separated by a blank line
	for _, path := range fs.Args() {
		rep, err := simulateFile(path)
		fileCode := exitBadInput
		if err == nil {
			fileCode = rep.exitCode()
		}
		code = max(code, fileCode)
		if *format == "json" {
			writeJSON(stdout, path, rep, err)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "glueaccess simulate: %v\n", err)
			continue
		}
		if printed {
			fmt.Fprintln(stdout)
		}
		printed = true
		writeText(stdout, rep)
	}
	return code
}

// report is the outcome for one file.
type report struct {
	c   *Case
	res iam.Result
	msg string
	// diffs lists how the result differs from the file's expectation; empty when
	// it matches or the file states none.
	diffs []string
	// warnings are the Action/NotAction entries of the file's policies that name
	// no real action, and the parts of them AWS refuses to save
	// (iam.Policy.Warnings), each prefixed by its policy's label. AWS ignores
	// such an action entry, so they explain a surprising decision but never
	// change it.
	warnings []string
}

func (r *report) exitCode() int {
	if r.res.Decision != iam.Allowed || len(r.diffs) > 0 {
		return exitDenied
	}
	return exitAllowed
}

// simulateFile loads and decides one file. An engine panic is turned into an
// error so that one file cannot abort the reports of the others.
func simulateFile(path string) (rep *report, err error) {
	c, err := Load(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, &FileError{File: path, Err: fmt.Errorf("internal error evaluating the request: %v", p)}
		}
	}()
	res := iam.Evaluate(c.Input, c.Request)
	rep = &report{c: c, res: res, msg: res.Explain(c.Request), warnings: lintInput(c.Input)}
	if c.Expect != nil {
		rep.diffs = c.Expect.Check(res)
	}
	return rep, nil
}

// lintInput checks the actions named by every policy of in, in the order the
// request file lists its fields, and renders each problem as
// `identity_policies[0] statement 0 ("Sid"): action "s3:GetObjects" does not
// exist; did you mean "s3:GetObject"?`, followed by the policy's warnings.
func lintInput(in *iam.Input) []string {
	policies := append([]*iam.Policy{}, in.Identity...)
	policies = append(policies, in.Boundary, in.Session, in.Resource, in.Endpoint)
	for _, levels := range [][][]*iam.Policy{in.SCPs, in.RCPs} {
		for _, level := range levels {
			policies = append(policies, level...)
		}
	}
	var out []string
	for _, p := range policies {
		for _, prob := range awsdata.LintActions(p) {
			out = append(out, prob.Policy+" "+prob.String())
		}
		if p != nil {
			for _, w := range p.Warnings() {
				out = append(out, p.Label+" "+w.String())
			}
		}
	}
	return out
}

// Check compares a result with the expectation and returns one line per
// difference; nil means the result meets the expectation. Decisive statements are
// compared as a set of (policy, index, sid).
func (e *Expectation) Check(res iam.Result) []string {
	var diffs []string
	if res.Decision != e.Decision {
		diffs = append(diffs, fmt.Sprintf("decision: expected %s, got %s", e.Decision, res.Decision))
	}
	if e.DecidedBy != nil && *e.DecidedBy != res.DecidedBy {
		diffs = append(diffs, fmt.Sprintf("decided by: expected %s, got %s", layerName(*e.DecidedBy), layerName(res.DecidedBy)))
	}
	if e.Statements != nil {
		want := make([]string, 0, len(e.Statements))
		for _, s := range e.Statements {
			want = append(want, s.String())
		}
		got := make([]string, 0, len(res.Statements))
		for _, s := range res.Statements {
			got = append(got, ExpectedStatement{Policy: s.Policy, Index: s.Index, Sid: s.Sid}.String())
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, " ") != strings.Join(got, " ") {
			diffs = append(diffs, fmt.Sprintf("statements: expected [%s], got [%s]", strings.Join(want, " "), strings.Join(got, " ")))
		}
	}
	return diffs
}

func layerName(l iam.Layer) string {
	if l.Kind == iam.LayerSCP || l.Kind == iam.LayerRCP {
		return fmt.Sprintf("%s level %d", l.Kind, l.Level)
	}
	return string(l.Kind)
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func writeText(w io.Writer, r *report) {
	fmt.Fprintln(w, r.c.File)
	fmt.Fprintf(w, "  decision:   %s\n", r.res.Decision)
	fmt.Fprintf(w, "  decided by: %s\n", layerName(r.res.DecidedBy))
	for _, s := range r.res.Statements {
		sid := ""
		if s.Sid != "" {
			sid = fmt.Sprintf(" (Sid %q)", s.Sid)
		}
		fmt.Fprintf(w, "  statement:  %s statement %d%s: %s in %s\n", s.Policy, s.Index, sid, s.Effect, layerName(s.Layer))
	}
	if len(r.res.NotAllowedBy) > 0 {
		names := make([]string, 0, len(r.res.NotAllowedBy))
		for _, l := range r.res.NotAllowedBy {
			names = append(names, layerName(l))
		}
		fmt.Fprintf(w, "  not allowed by: %s\n", strings.Join(names, ", "))
	}
	if len(r.res.MissingContextKeys) > 0 {
		fmt.Fprintf(w, "  missing context keys: %s\n", strings.Join(sortedCopy(r.res.MissingContextKeys), ", "))
	}
	fmt.Fprintf(w, "  message:    %s\n", r.msg)
	for _, warning := range r.warnings {
		fmt.Fprintf(w, "  warning:    %s\n", warning)
	}
	if r.c.Expect == nil {
		return
	}
	if len(r.diffs) == 0 {
		fmt.Fprintln(w, "  expectation: met")
		return
	}
	fmt.Fprintln(w, "  expectation: NOT met")
	for _, d := range r.diffs {
		fmt.Fprintf(w, "    - %s\n", d)
	}
}

// jsonReport is the --format json line for a decided file.
type jsonReport struct {
	File               string             `json:"file"`
	Decision           string             `json:"decision"`
	DecidedBy          iam.Layer          `json:"decided_by"`
	Statements         []iam.StatementRef `json:"statements"`
	NotAllowedBy       []iam.Layer        `json:"not_allowed_by,omitempty"`
	MissingContextKeys []string           `json:"missing_context_keys"`
	Message            string             `json:"message"`
	Warnings           []string           `json:"warnings,omitempty"`
	Expectation        *jsonExpectation   `json:"expectation,omitempty"`
}

type jsonExpectation struct {
	Met         bool     `json:"met"`
	Differences []string `json:"differences"`
}

// jsonError is the --format json line for a file that could not be decided.
type jsonError struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

func writeJSON(w io.Writer, path string, r *report, err error) {
	var v any
	if err != nil {
		v = jsonError{File: path, Error: err.Error()}
	} else {
		jr := jsonReport{
			File:               r.c.File,
			Decision:           r.res.Decision.String(),
			DecidedBy:          r.res.DecidedBy,
			Statements:         append([]iam.StatementRef{}, r.res.Statements...),
			NotAllowedBy:       r.res.NotAllowedBy,
			MissingContextKeys: sortedCopy(r.res.MissingContextKeys),
			Message:            r.msg,
			Warnings:           r.warnings,
		}
		if r.c.Expect != nil {
			jr.Expectation = &jsonExpectation{Met: len(r.diffs) == 0, Differences: append([]string{}, r.diffs...)}
		}
		v = jr
	}
	// Every field is a string, a number or a slice of them: Marshal cannot fail.
	line, _ := json.Marshal(v)
	fmt.Fprintf(w, "%s\n", line)
}
