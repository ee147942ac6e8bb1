package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Markdown writes a pull-request comment: a headline, a table of jobs, and
// per job with findings a section with the reasons and fixes.
func Markdown(w io.Writer, r *Report, _ Options) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	icon := map[string]string{Allowed: "✅", Denied: "❌", Unknown: "❔"}
	switch {
	case s.Denied > 0:
		fmt.Fprintf(bw, "### ❌ glueaccess: %d of %d Glue jobs would get 403 Access Denied from S3\n\n", s.Denied, s.Jobs)
	case s.Unknown > 0:
		fmt.Fprintf(bw, "### ❔ glueaccess: %d of %d Glue jobs could not be decided from the plan\n\n", s.Unknown, s.Jobs)
	default:
		fmt.Fprintf(bw, "### ✅ glueaccess: all %d Glue jobs can reach their S3 data\n\n", s.Jobs)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(bw, "> **error**: %s\n\n", mdText(strings.TrimSpace(e.Resource+" "+e.Message)))
	}
	for _, w := range r.Plan.Warnings {
		fmt.Fprintf(bw, "> **warning**: %s\n\n", mdText(w))
	}
	for _, w := range r.Plan.ActionWarnings {
		fmt.Fprintf(bw, "> **warning**: %s\n\n", mdText(w))
	}
	for _, j := range r.Jobs {
		for _, w := range j.ActionWarnings {
			fmt.Fprintf(bw, "> **warning** (%s): %s\n\n", mdCode(j.Address, false), mdText(w))
		}
	}
	if len(r.Jobs) > 0 {
		fmt.Fprintln(bw, "| Job | Role | Verdict | Findings |")
		fmt.Fprintln(bw, "|---|---|---|---|")
		for _, j := range r.Jobs {
			var ids []string
			for _, f := range j.Findings {
				id := mdText(f.ID)
				if f.Suppressed != nil {
					id = "~~" + id + "~~"
				}
				ids = append(ids, id)
			}
			fmt.Fprintf(bw, "| %s | %s | %s %s | %s |\n", mdCode(j.Address, true), mdText(orDash(j.Role)), icon[j.Verdict], mdText(j.Verdict), strings.Join(ids, ", "))
		}
	}
	for _, j := range r.Jobs {
		if len(j.Findings) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n<details><summary><code>%s</code>: %s</summary>\n\n", mdHTML(j.Address), mdHTML(j.Verdict))
		for _, f := range j.Findings {
			state := f.Verdict
			if f.Suppressed != nil {
				state = "suppressed " + state
			}
			fmt.Fprintf(bw, "#### %s %s (%s)\n\n", mdText(f.ID), mdText(f.Title), mdText(state))
			fmt.Fprintf(bw, "%s on %s", mdCode(f.Action, false), mdCode(f.Resource, false))
			if f.URL != "" {
				fmt.Fprintf(bw, " for %s", mdCode(f.URL, false))
			}
			fmt.Fprintf(bw, ": %s\n\n", mdText(f.Because))
			if f.DecidedBy != nil {
				fmt.Fprintf(bw, "Decided by %s.\n\n", mdText(f.DecidedBy.Describe()))
			}
			for _, m := range f.Missing {
				fmt.Fprintf(bw, "- missing: %s — %s\n", mdText(m.Fact), mdText(m.How))
			}
			if len(f.Missing) > 0 {
				fmt.Fprintln(bw)
			}
			if f.Fix != nil {
				fmt.Fprintf(bw, "**Fix:** %s\n\n", mdText(f.Fix.Text))
				for _, st := range f.Fix.Statements {
					writeFenced(bw, "json", string(st))
				}
				if f.Fix.HCL != "" {
					writeFenced(bw, "hcl", strings.TrimRight(f.Fix.HCL, "\n"))
				}
			}
			if sp := f.Suppressed; sp != nil {
				fmt.Fprintf(bw, "Suppressed by %s: %s\n\n", mdText(sp.Source), mdText(sp.Reason))
			}
		}
		fmt.Fprintln(bw, "</details>")
	}
	fmt.Fprintf(bw, "\n%d allowed, %d denied, %d unknown; %d findings (%d suppressed).\n", s.Allowed, s.Denied, s.Unknown, s.Findings, s.Suppressed)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing markdown report: %w", err)
	}
	return nil
}

// writeFenced writes body as a fenced code block of the language lang: a
// fence no line of body can close, and body's control characters other
// than line feeds escaped (a carriage return would end a line too).
func writeFenced(w io.Writer, lang, body string) {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = controlChars(l)
	}
	body = strings.Join(lines, "\n")
	fence := mdFence(body)
	fmt.Fprintf(w, "%s%s\n%s\n%s\n\n", fence, lang, body, fence)
}
