package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ANSI colours used by the text format.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

// Text writes the report for people: per job, its verdict, then each finding
// in plain words with the deciding statement and the fix, then a summary line.
func Text(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	verdictWord := map[string]string{
		Allowed: paint(ansiGreen, "ALLOWED"),
		Denied:  paint(ansiRed, "DENIED"),
		Unknown: paint(ansiYellow, "UNKNOWN"),
	}
	fmt.Fprintf(bw, "%s (terraform %s, plan format %s)\n", r.Plan.File, r.Plan.TerraformVersion, r.Plan.FormatVersion)
	for _, n := range r.Plan.Warnings {
		fmt.Fprintf(bw, "%s %s\n", paint(ansiYellow, "warning:"), n)
	}
	for _, n := range r.Plan.ActionWarnings {
		fmt.Fprintf(bw, "%s %s\n", paint(ansiYellow, "warning:"), n)
	}
	for _, n := range r.Plan.Notes {
		fmt.Fprintf(bw, "note: %s\n", n)
	}
	for _, e := range r.Errors {
		if e.Resource != "" {
			fmt.Fprintf(bw, "%s %s: %s\n", paint(ansiRed, "error:"), e.Resource, e.Message)
		} else {
			fmt.Fprintf(bw, "%s %s\n", paint(ansiRed, "error:"), e.Message)
		}
	}
	for _, j := range r.Jobs {
		fmt.Fprintln(bw)
		role := j.Role
		if role == "" {
			role = "unknown role"
		}
		fmt.Fprintf(bw, "%s %s (job %s, role %s)%s\n", verdictWord[j.Verdict], paint(ansiBold, j.Address), orDash(j.Name), role, at(j.Location))
		for _, f := range j.Findings {
			writeFinding(bw, f, paint)
		}
		for _, a := range j.Assumptions {
			fmt.Fprintf(bw, "  assumes: %s\n", a.Text)
		}
		for _, n := range j.ActionWarnings {
			fmt.Fprintf(bw, "  %s %s\n", paint(ansiYellow, "warning:"), n)
		}
		for _, n := range j.Notes {
			fmt.Fprintf(bw, "  note: %s\n", n)
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "\n%d %s: %d allowed, %d denied, %d unknown (%d %s, %d suppressed",
		s.Jobs, plural(s.Jobs, "Glue job", "Glue jobs"), s.Allowed, s.Denied, s.Unknown, s.Findings, plural(s.Findings, "finding", "findings"), s.Suppressed)
	if s.Errors > 0 {
		fmt.Fprintf(bw, ", %d %s", s.Errors, plural(s.Errors, "error", "errors"))
	}
	fmt.Fprintln(bw, ")")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing text report: %w", err)
	}
	return nil
}

func writeFinding(w io.Writer, f Finding, paint func(string, string) string) {
	word := paint(ansiRed, "deny")
	if f.Verdict == VerdictUnknown {
		word = paint(ansiYellow, "unknown")
	}
	if f.Suppressed != nil {
		word = "suppressed " + f.Verdict
	}
	fmt.Fprintf(w, "  %s %s %s", f.ID, f.Title, word)
	if f.Reason != "" {
		fmt.Fprintf(w, " (%s)", f.Reason)
	}
	if f.Action != "" {
		fmt.Fprintf(w, ": %s %s", f.Action, f.Resource)
	}
	if len(f.Needs) > 1 {
		fmt.Fprintf(w, " (+%d more)", len(f.Needs)-1)
	}
	if f.URL != "" {
		fmt.Fprintf(w, " for %s", f.URL)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "    why: %s\n", f.Because)
	if f.DecidedBy != nil {
		fmt.Fprintf(w, "    decided by %s%s\n", f.DecidedBy.Describe(), at(f.DecidedBy.Location))
	}
	for _, e := range f.Evidence {
		fmt.Fprintf(w, "    rests on: %s\n", e)
	}
	for _, m := range f.Missing {
		fmt.Fprintf(w, "    missing: %s; %s\n", m.Fact, m.How)
	}
	if f.Fix != nil {
		fmt.Fprintf(w, "    fix: %s\n", f.Fix.Text)
		for _, st := range f.Fix.Statements {
			fmt.Fprintf(w, "      %s\n", st)
		}
		if f.Fix.Setting != nil {
			fmt.Fprintf(w, "      %s = %q\n", f.Fix.Setting.Name, f.Fix.Setting.Value)
		}
	}
	if s := f.Suppressed; s != nil {
		fmt.Fprintf(w, "    suppressed by %s: %s", s.Source, s.Reason)
		if s.Expires != "" {
			fmt.Fprintf(w, " (until %s)", s.Expires)
		}
		fmt.Fprintln(w)
	}
}

// Describe renders a statement reference in words.
func (s *Statement) Describe() string {
	var b strings.Builder
	b.WriteString(s.Layer)
	b.WriteString(" policy ")
	b.WriteString(s.Policy)
	if s.Node != "" {
		fmt.Fprintf(&b, " attached to %s", s.Node)
	}
	if s.Index < 0 {
		b.WriteString(" (no statement allows)")
		return b.String()
	}
	fmt.Fprintf(&b, " statement %d", s.Index)
	if s.Sid != "" {
		fmt.Fprintf(&b, " (Sid %q)", s.Sid)
	}
	return b.String()
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
