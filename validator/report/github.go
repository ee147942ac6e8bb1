package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// GitHub writes GitHub Actions workflow commands: one ::error (deny) or
// ::warning (unknown) annotation per finding, ::notice for suppressed ones,
// and an ::error per tool error.
func GitHub(w io.Writer, r *Report, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, e := range r.Errors {
		msg := e.Message
		if e.Resource != "" {
			msg = e.Resource + ": " + msg
		}
		fmt.Fprintf(bw, "::error title=%s,file=%s::%s\n", ghProperty("glueaccess error"), ghProperty(r.Plan.File), ghData(msg))
	}
	for _, w := range r.Plan.Warnings {
		fmt.Fprintf(bw, "::warning title=%s,file=%s::%s\n", ghProperty("glueaccess configuration"), ghProperty(r.Plan.File), ghData(w))
	}
	for _, w := range r.Plan.ActionWarnings {
		fmt.Fprintf(bw, "::warning title=%s,file=%s::%s\n", ghProperty(actionWarningTitle), ghProperty(r.Plan.File), ghData(w))
	}
	for _, j := range r.Jobs {
		for _, w := range j.ActionWarnings {
			fmt.Fprintf(bw, "::warning title=%s,file=%s::%s\n", ghProperty(actionWarningTitle), ghProperty(r.Plan.File), ghData(j.Address+": "+w))
		}
		for _, f := range j.Findings {
			cmd := "error"
			switch {
			case f.Suppressed != nil:
				cmd = "notice"
			case f.Verdict == VerdictUnknown:
				cmd = "warning"
			}
			title := f.ID + " " + f.Title
			var msg strings.Builder
			fmt.Fprintf(&msg, "%s: %s", j.Address, f.Because)
			if l := scriptLine(f); l != nil {
				fmt.Fprintf(&msg, "\nNamed at %s", l.String())
			}
			if f.Fix != nil {
				fmt.Fprintf(&msg, "\nFix: %s", f.Fix.Text)
				for _, st := range f.Fix.Statements {
					fmt.Fprintf(&msg, "\n%s", st)
				}
			}
			for _, m := range f.Missing {
				fmt.Fprintf(&msg, "\nMissing: %s; %s", m.Fact, m.How)
			}
			if s := f.Suppressed; s != nil {
				fmt.Fprintf(&msg, "\nSuppressed: %s", s.Reason)
			}
			where := "file=" + ghProperty(r.Plan.File)
			if l := findingLocation(j, f); l != nil {
				where = fmt.Sprintf("file=%s,line=%d", ghProperty(l.FromRoot()), l.Line)
			}
			fmt.Fprintf(bw, "::%s title=%s,%s::%s\n", cmd, ghProperty(title), where, ghData(msg.String()))
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "glueaccess: %s: %d allowed, %d denied, %d unknown\n", subjects(r), s.Allowed, s.Denied, s.Unknown)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing github annotations: %w", err)
	}
	return nil
}

// actionWarningTitle titles the annotation of a policy naming an action that
// does not exist.
const actionWarningTitle = "glueaccess action does not exist"

// ghData escapes a workflow command message, the github format's escaping
// layer with ghProperty: the runner turns %25, %0D and %0A back into "%",
// CR and LF ("Workflow commands for GitHub Actions"), so a message stays on
// its command's line. Other control characters are shown as Go escapes
// (controlChars) so that they cannot drive the log viewer.
func ghData(s string) string {
	return ghDataReplacer.Replace(ghControls(s))
}

// ghProperty escapes a workflow command property value (title, file), in
// which ":" and "," also end the value.
func ghProperty(s string) string {
	return ghPropertyReplacer.Replace(ghControls(s))
}

var (
	ghDataReplacer     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyReplacer = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghControls escapes the control characters of s other than CR and LF, which
// the workflow command escapes carry.
func ghControls(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\r")
		for j, p := range parts {
			parts[j] = controlChars(p)
		}
		lines[i] = strings.Join(parts, "\r")
	}
	return strings.Join(lines, "\n")
}
