package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// Markdown writes a pull-request comment: the hidden sticky-comment marker,
// a headline, a table of jobs, and per job with findings a section with the
// reasons and fixes, led for a denied or unknown job by a Mermaid diagram of
// its access path with the blocking layers marked.
func Markdown(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	icon := map[string]string{Allowed: "✅", Denied: "❌", Unknown: "❔"}
	fmt.Fprintf(bw, "%s\n\n", CommentMarker(opts.CommentDir))
	switch {
	case s.Denied > 0:
		fmt.Fprintf(bw, "### ❌ glueaccess: %d of %s would get 403 Access Denied from S3\n\n", s.Denied, ofSubjects(r))
	case s.Unknown > 0:
		fmt.Fprintf(bw, "### ❔ glueaccess: %d of %s could not be decided from the plan\n\n", s.Unknown, ofSubjects(r))
	case s.Jobs == 1:
		fmt.Fprintf(bw, "### ✅ glueaccess: the %s can reach its S3 data\n\n", subjectWord(r.Jobs[0].Address))
	default:
		fmt.Fprintf(bw, "### ✅ glueaccess: all %s can reach their S3 data\n\n", ofSubjects(r))
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
		if j.Verdict != Allowed {
			writeFenced(bw, "mermaid", accessPath(j))
		}
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
			if l := scriptLine(f); l != nil {
				fmt.Fprintf(bw, "Named at %s.\n\n", mdCode(l.String(), false))
			}
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
	fmt.Fprintf(bw, "\n%d allowed, %d denied, %d unknown; %d %s (%d suppressed).\n", s.Allowed, s.Denied, s.Unknown, s.Findings, plural(s.Findings, "finding", "findings"), s.Suppressed)
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

// CommentMarker is the hidden first line of the Markdown report by which
// the GitHub Action's comment script (scripts/action/comment.sh) finds its
// pull-request comment for the configuration directory dir ("" is ".")
// again. The directory is percent-encoded outside letters, digits and
// "._~/-", so it cannot end the HTML comment.
func CommentMarker(dir string) string {
	if dir == "" {
		dir = "."
	}
	return "<!-- glueaccess-comment: " + pctEncode(dir) + " -->"
}

// mmGraph is a Mermaid flowchart being built: nodes with generated ids
// (n1, n2, ...) and labels escaped by mmLabel, edges, and the class of each
// node that blocks.
type mmGraph struct {
	ids   map[string]string // label → id
	lines []string
	edges map[string]bool
	class map[string]string // id → "deny" or "unknown"
	order []string          // ids with a class, in order
}

// node returns the id of the node of that kind and input-derived name,
// defining it the first time.
func (g *mmGraph) node(kind, name string) string {
	label := kind + " " + mmLabel(name)
	if id, ok := g.ids[label]; ok {
		return id
	}
	id := "n" + strconv.Itoa(len(g.ids)+1)
	g.ids[label] = id
	g.lines = append(g.lines, fmt.Sprintf("  %s[\"%s\"]", id, label))
	return id
}

// edge adds from --> to once, labelled with the input-derived action when
// there is one.
func (g *mmGraph) edge(from, to, action string) {
	e := fmt.Sprintf("  %s --> %s", from, to)
	if action != "" {
		e = fmt.Sprintf("  %s -->|\"%s\"| %s", from, mmLabel(action), to)
	}
	if !g.edges[e] {
		g.edges[e] = true
		g.lines = append(g.lines, e)
	}
}

// mark gives the node the class of the finding's verdict; deny wins.
func (g *mmGraph) mark(id string, f Finding) {
	c := "unknown"
	if f.Verdict == VerdictDeny {
		c = "deny"
	}
	switch g.class[id] {
	case "":
		g.order = append(g.order, id)
	case "deny":
		return
	}
	g.class[id] = c
}

// accessPath is the Mermaid flowchart of a job's access path: job → role →
// each bucket its findings are about, with the VPC endpoint between role and
// bucket, the KMS key after the bucket and the SCP or RCP beside the role
// where a finding is theirs; the node of the layer that blocks each finding
// not suppressed is marked deny or unknown. Every name in it is input.
func accessPath(j Job) string {
	g := &mmGraph{ids: map[string]string{}, edges: map[string]bool{}, class: map[string]string{}}
	job := g.node("job", j.Address)
	role := g.node("role", orDash(j.Role))
	g.edge(job, role, "")
	for _, f := range j.Findings {
		if f.Suppressed != nil {
			continue
		}
		bucket := g.node("bucket", bucketOf(f))
		switch f.ID {
		case "GA001":
			g.edge(role, bucket, f.Action)
			g.mark(role, f)
		case "GA004":
			ep := g.node("VPC endpoint", decidingPolicy(f))
			g.edge(role, ep, "")
			g.edge(ep, bucket, f.Action)
			g.mark(ep, f)
		case "GA005":
			key := g.node("KMS key", f.Resource)
			g.edge(role, bucket, "")
			g.edge(bucket, key, f.Action)
			g.mark(key, f)
		case "GA007":
			kind := "SCP or RCP"
			if f.DecidedBy != nil && f.DecidedBy.Layer != "" {
				kind = strings.ToUpper(mmLabel(f.DecidedBy.Layer))
			}
			org := g.node(kind, decidingPolicy(f))
			g.edge(role, org, "")
			g.edge(org, bucket, f.Action)
			g.mark(org, f)
		default: // the bucket's policy, ownership or Requester Pays
			g.edge(role, bucket, f.Action)
			g.mark(bucket, f)
		}
	}
	lines := append([]string{"graph LR"}, g.lines...)
	lines = append(lines,
		"  classDef deny fill:#fdd,stroke:#c00,stroke-width:2px",
		"  classDef unknown fill:#ffd,stroke:#b80,stroke-dasharray:4")
	for _, id := range g.order {
		lines = append(lines, fmt.Sprintf("  class %s %s", id, g.class[id]))
	}
	return strings.Join(lines, "\n")
}

// bucketOf is the bucket a finding is about: the host of its s3:// URL, else
// the bucket of its S3 ARN ("arn:PARTITION:s3:::bucket/key"), else its
// resource.
func bucketOf(f Finding) string {
	if u, err := awsid.ParseS3URL(f.URL); err == nil {
		return u.Bucket
	}
	if b, ok := awsid.S3ARNBucket(f.Resource); ok {
		return b
	}
	return f.Resource
}

// decidingPolicy names the policy that decided f, or says it is not known.
func decidingPolicy(f Finding) string {
	if f.DecidedBy == nil || f.DecidedBy.Policy == "" {
		return "not known"
	}
	return f.DecidedBy.Policy
}
