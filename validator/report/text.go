package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

// ANSI colours used by the text format.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

// Text writes the report for people: the plan's notes, warnings and errors;
// each denied or unknown job in full (every finding in plain words with the
// deciding statement and the fix); each allowed job on one line; then a
// summary line. A job's assumptions and notes are shown with opts.Verbose
// (the gaps in recommended actions on one line per job), else counted in a
// last line. Every string from the input is shown through controlChars (see
// escape.go), so no line of the report begins with input.
func Text(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	p := textPrinter{bw}
	paint := func(code, s string) painted {
		if !opts.Color {
			return painted(s)
		}
		return painted(code + s + ansiReset)
	}
	verdictWord := map[string]painted{
		Allowed: paint(ansiGreen, "ALLOWED"),
		Denied:  paint(ansiRed, "DENIED"),
		Unknown: paint(ansiYellow, "UNKNOWN"),
	}
	p.printf("%s (terraform %s, plan format %s)\n", lineStart(r.Plan.File), r.Plan.TerraformVersion, r.Plan.FormatVersion)
	for _, n := range r.Plan.Warnings {
		p.printf("%s %s\n", paint(ansiYellow, "warning:"), n)
	}
	for _, n := range r.Plan.ActionWarnings {
		p.printf("%s %s\n", paint(ansiYellow, "warning:"), n)
	}
	for _, n := range r.Plan.Notes {
		p.printf("note: %s\n", n)
	}
	for _, e := range r.Errors {
		if e.Resource != "" {
			p.printf("%s %s: %s\n", paint(ansiRed, "error:"), e.Resource, e.Message)
		} else {
			p.printf("%s %s\n", paint(ansiRed, "error:"), e.Message)
		}
	}
	var hiddenAssumptions, hiddenNotes int
	hiddenOn := map[string]bool{} // "job", "crawler": the kinds whose notes were left out
	oneLiner := false             // the previous job was written on one line
	for _, j := range r.Jobs {
		full := j.Verdict != Allowed || len(j.Findings) > 0 || len(j.ActionWarnings) > 0 ||
			opts.Verbose && (len(j.Assumptions) > 0 || len(j.Notes) > 0 || len(j.ActionGaps) > 0)
		// A job in full stands apart; a run of one-line jobs is a block.
		if full || !oneLiner {
			p.printf("\n")
		}
		oneLiner = !full
		role := j.Role
		if role == "" {
			role = "unknown role"
		}
		kind := "job"
		if isCrawler(j.Address) {
			kind = "crawler"
		}
		p.printf("%s %s (%s %s, role %s)%s\n", verdictWord[j.Verdict], paint(ansiBold, controlChars(j.Address)), kind, orDash(j.Name), role, at(j.Location))
		for _, g := range bySource(j.Findings) {
			if g.label != "" {
				p.printf("  %s\n", painted(g.label))
			}
			for _, f := range g.findings {
				writeFinding(p, f, paint)
			}
		}
		for _, n := range j.ActionWarnings {
			p.printf("  %s %s\n", paint(ansiYellow, "warning:"), n)
		}
		if !opts.Verbose {
			hiddenAssumptions += len(j.Assumptions)
			hiddenNotes += len(j.Notes) + len(j.ActionGaps)
			if len(j.Assumptions)+len(j.Notes)+len(j.ActionGaps) > 0 {
				hiddenOn[kind] = true
			}
			continue
		}
		for _, a := range j.Assumptions {
			p.printf("  assumes: %s\n", a.Text)
		}
		for _, g := range actionGaps(j.ActionGaps) {
			p.printf("  note: %s %s not allowed (%s)\n", painted(g.kind), painted(strings.Join(g.actions, ", ")), painted(strings.Join(g.on, "; ")))
		}
		for _, n := range j.Notes {
			p.printf("  note: %s\n", n)
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "\n%s: %d allowed, %d denied, %d unknown (%d %s, %d suppressed",
		subjects(r), s.Allowed, s.Denied, s.Unknown, s.Findings, plural(s.Findings, "finding", "findings"), s.Suppressed)
	if s.Errors > 0 {
		fmt.Fprintf(bw, ", %d %s", s.Errors, plural(s.Errors, "error", "errors"))
	}
	fmt.Fprintln(bw, ")")
	var hidden []string
	if hiddenAssumptions > 0 {
		hidden = append(hidden, fmt.Sprintf("%d %s", hiddenAssumptions, plural(hiddenAssumptions, "assumption", "assumptions")))
	}
	if hiddenNotes > 0 {
		hidden = append(hidden, fmt.Sprintf("%d %s", hiddenNotes, plural(hiddenNotes, "note", "notes")))
	}
	if len(hidden) > 0 {
		on := "jobs"
		switch {
		case hiddenOn["job"] && hiddenOn["crawler"]:
			on = "jobs and crawlers"
		case hiddenOn["crawler"]:
			on = "crawlers"
		}
		fmt.Fprintf(bw, "%s on %s not shown (--verbose shows them)\n", strings.Join(hidden, " and "), on)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing text report: %w", err)
	}
	return nil
}

// actionGap is the recommended (or advisory) actions of a job that are not
// allowed, for one line: the actions, and each resource with the decision
// and layer.
type actionGap struct {
	kind    string
	actions []string
	on      []string
}

// actionGaps groups a job's action gaps, escaped, one per kind in order of
// first appearance.
func actionGaps(in []ActionGap) []actionGap {
	var gaps []actionGap
	for _, a := range in {
		kind := controlChars(a.Kind)
		i := slices.IndexFunc(gaps, func(g actionGap) bool { return g.kind == kind })
		if i < 0 {
			gaps = append(gaps, actionGap{kind: kind})
			i = len(gaps) - 1
		}
		g := &gaps[i]
		if act := controlChars(a.Action); !slices.Contains(g.actions, act) {
			g.actions = append(g.actions, act)
		}
		if on := controlChars(a.Resource + ": " + a.Decision + " by the " + a.Layer + " layer"); !slices.Contains(g.on, on) {
			g.on = append(g.on, on)
		}
	}
	return gaps
}

// painted is text the text format writes itself (its words, ANSI colours,
// strings already escaped): textPrinter prints it as it is.
type painted string

// textPrinter is the text format's escaping layer: printf shows every string
// argument through controlChars; the format and painted arguments are the
// report's own.
type textPrinter struct{ w io.Writer }

func (p textPrinter) printf(format string, args ...any) {
	for i, a := range args {
		switch a := a.(type) {
		case string:
			args[i] = controlChars(a)
		case json.RawMessage:
			args[i] = controlChars(string(a))
		}
	}
	fmt.Fprintf(p.w, format, args...)
}

// lineStart makes the plan's path safe to begin the report's first line
// with: a path starting with anything but a letter, digit, "/", "." or "_"
// (a workflow command starts with "::") is written ./path, the same file.
func lineStart(path string) string {
	if path == "" || isAlnum(path[0]) || strings.IndexByte("/._", path[0]) >= 0 {
		return path
	}
	return "./" + path
}

func writeFinding(p textPrinter, f Finding, paint func(string, string) painted) {
	word := paint(ansiRed, "deny")
	if f.Verdict == VerdictUnknown {
		word = paint(ansiYellow, "unknown")
	}
	if f.Suppressed != nil {
		word = painted("suppressed " + controlChars(f.Verdict))
	}
	p.printf("  %s %s %s", f.ID, f.Title, word)
	if f.Reason != "" {
		p.printf(" (%s)", f.Reason)
	}
	if f.Action != "" {
		p.printf(": %s", f.Action)
		if f.Resource != "" {
			p.printf(" %s", f.Resource)
		}
	}
	if len(f.Needs) > 1 {
		p.printf(" (+%d more)", len(f.Needs)-1)
	}
	if f.URL != "" {
		p.printf(" for %s", f.URL)
	}
	if l := scriptLine(f); l != nil {
		p.printf(" (%s)", l.String())
	}
	p.printf("\n")
	p.printf("    why: %s\n", f.Because)
	if f.DecidedBy != nil {
		p.printf("    decided by %s%s\n", f.DecidedBy.Describe(), at(f.DecidedBy.Location))
	}
	for _, e := range f.Evidence {
		p.printf("    rests on: %s\n", e)
	}
	for _, m := range f.Missing {
		p.printf("    missing: %s; %s\n", m.Fact, m.How)
	}
	if f.Fix != nil {
		p.printf("    fix: %s\n", f.Fix.Text)
		for _, st := range f.Fix.Statements {
			p.printf("      %s\n", st)
		}
		if f.Fix.Setting != nil {
			p.printf("      %s = %s\n", f.Fix.Setting.Name, painted(strconv.Quote(f.Fix.Setting.Value)))
		}
	}
	if s := f.Suppressed; s != nil {
		p.printf("    suppressed by %s: %s", s.Source, s.Reason)
		if s.Expires != "" {
			p.printf(" (until %s)", s.Expires)
		}
		p.printf("\n")
	}
}

// sourceGroup is a job's findings whose first need comes from one source.
type sourceGroup struct {
	label    string
	findings []Finding
}

// sourceLabels name the sources of needs in the text report, in the order
// the groups are shown.
var sourceLabels = []struct{ source, label string }{
	{"definition", "from the job's definition:"},
	{"declared", "from declared paths:"},
	{"script", "from the job's script:"},
	{"catalog-table", "from Data Catalog tables:"},
	{"crawler-target", "from crawler targets:"},
}

// bySource groups findings by the source of their first need. A job whose
// findings all come from its definition is one group without a label, as
// before sources were reported.
func bySource(fs []Finding) []sourceGroup {
	src := func(f Finding) string {
		if len(f.Needs) == 0 || f.Needs[0].Source == "" {
			return "definition"
		}
		return f.Needs[0].Source
	}
	if !slices.ContainsFunc(fs, func(f Finding) bool { return src(f) != "definition" }) {
		return []sourceGroup{{findings: fs}}
	}
	var out []sourceGroup
	known := map[string]bool{}
	for _, l := range sourceLabels {
		known[l.source] = true
		g := sourceGroup{label: l.label}
		for _, f := range fs {
			if src(f) == l.source {
				g.findings = append(g.findings, f)
			}
		}
		if len(g.findings) > 0 {
			out = append(out, g)
		}
	}
	other := sourceGroup{label: "from elsewhere:"}
	for _, f := range fs {
		if !known[src(f)] {
			other.findings = append(other.findings, f)
		}
	}
	if len(other.findings) > 0 {
		out = append(out, other)
	}
	return out
}

// Describe renders the statement in the words the access model gives every
// report and the provider (access.PolicyRef.Describe).
func (s *Statement) Describe() string {
	return (&access.PolicyRef{Layer: s.Layer, Level: s.Level, Node: s.Node, Policy: s.Policy, Index: s.Index, Sid: s.Sid}).Describe()
}

// at renders " at file:line", or nothing without a location.
func at(l *Location) string {
	if l == nil {
		return ""
	}
	return " at " + l.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isCrawler reports whether a decided address is an aws_glue_crawler (a
// crawler is decided like a job: validator/facts_crawler.go), in the root
// module or in a module.
func isCrawler(address string) bool {
	steps := addressSteps(address)
	return len(steps) >= 2 && steps[len(steps)-2] == "aws_glue_crawler"
}

// addressSteps splits a resource instance address at its dots, leaving out
// instance keys: module.etl["a.b"].aws_glue_crawler.raw["x"] gives module,
// etl, aws_glue_crawler, raw. A key is a number or a quoted string that may
// hold any text, dots and brackets included, so the dots inside one are not
// steps.
func addressSteps(address string) []string {
	var steps []string
	var step strings.Builder
	depth, quoted, escaped := 0, false, false
	for i := 0; i < len(address); i++ {
		c := address[i]
		switch {
		case quoted:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				quoted = false
			}
		case c == '"' && depth > 0:
			quoted = true
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth > 0:
		case c == '.':
			steps = append(steps, step.String())
			step.Reset()
		default:
			step.WriteByte(c)
		}
	}
	return append(steps, step.String())
}

// scriptLine is the script line that names the location a finding is about
// (its first need's), nil when the need does not come from a script.
func scriptLine(f Finding) *Location {
	if len(f.Needs) > 0 {
		return f.Needs[0].Location
	}
	return nil
}

// subjectWord is what a decided address is: "Glue job" or "crawler".
func subjectWord(address string) string {
	if isCrawler(address) {
		return "crawler"
	}
	return "Glue job"
}

// ofSubjects counts what a report decides for "N of …" sentences: "3 Glue
// jobs", or "3 (2 Glue jobs and 1 crawler)" when crawlers are decided too.
func ofSubjects(r *Report) string {
	words := subjects(r)
	for _, j := range r.Jobs {
		if isCrawler(j.Address) {
			return fmt.Sprintf("%d (%s)", r.Summary.Jobs, words)
		}
	}
	return words
}

// subjects counts what a report decides in words: "2 Glue jobs", "1 Glue
// job and 1 crawler", "3 crawlers".
func subjects(r *Report) string {
	crawlers := 0
	for _, j := range r.Jobs {
		if isCrawler(j.Address) {
			crawlers++
		}
	}
	jobs := r.Summary.Jobs - crawlers
	words := fmt.Sprintf("%d %s", jobs, plural(jobs, "Glue job", "Glue jobs"))
	switch {
	case crawlers == 0:
		return words
	case jobs == 0:
		return fmt.Sprintf("%d %s", crawlers, plural(crawlers, "crawler", "crawlers"))
	}
	return fmt.Sprintf("%s and %d %s", words, crawlers, plural(crawlers, "crawler", "crawlers"))
}
