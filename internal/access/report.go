package access

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// groupKey identifies findings that are reported together: same condition,
// verdict, reason, deciding statement, fix and missing facts.
func (r *rawFinding) groupKey() string {
	var ref string
	if d := r.DecidedBy; d != nil {
		ref = strings.Join([]string{d.Layer, strconv.Itoa(d.Level), d.Node, d.Policy, strconv.Itoa(d.Index)}, "|")
	}
	var miss []string
	for _, m := range r.Missing {
		miss = append(miss, m.Fact)
	}
	return strings.Join([]string{string(r.ID), string(r.Verdict), r.Reason, ref, r.fix.groupKey(), strings.Join(miss, ";"), r.variant}, "\x00")
}

// report groups the raw findings and builds the job report.
func (c *checker) report() *JobReport {
	rep := &JobReport{Job: c.f.Job.Address, Verdict: JobAllowed}
	groups := map[string][]rawFinding{}
	var order []string
	for _, r := range c.raw {
		k := r.groupKey()
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		rep.Findings = append(rep.Findings, c.finding(groups[k]))
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Verdict != b.Verdict {
			return a.Verdict == Deny
		}
		if a.Reason != b.Reason {
			return a.Reason < b.Reason
		}
		return needKey(a.Needs) < needKey(b.Needs)
	})
	for _, f := range rep.Findings {
		switch {
		case f.Verdict == Deny:
			rep.Verdict = JobDenied
		case rep.Verdict == JobAllowed:
			rep.Verdict = JobUnknown
		}
	}
	rep.Needs = dedupNeeds(c.needs)
	for _, code := range slices.Sorted(maps.Keys(c.assumptions)) {
		rep.Assumptions = append(rep.Assumptions, Assumption{Code: code, Text: c.assumptions[code]})
	}
	rep.Notes = dedupStrings(c.notes)
	rep.ActionGaps = slices.Compact(slices.SortedFunc(slices.Values(c.gaps), compareGaps))
	return rep
}

// finding merges one group of raw findings.
func (c *checker) finding(g []rawFinding) Finding {
	first := g[0]
	f := Finding{ID: first.ID, Title: Titles[first.ID], Verdict: first.Verdict, Job: c.f.Job.Address,
		DecidedBy: first.DecidedBy, Reason: first.Reason}
	var needs []Need
	for _, r := range g {
		needs = append(needs, r.Need)
		for _, m := range r.Missing {
			if !containsMissing(f.Missing, m) {
				f.Missing = append(f.Missing, m)
			}
		}
	}
	f.Needs = dedupNeeds(needs)
	switch {
	case first.clause != "":
		acts := strings.Split(joinUnique(f.Needs, func(n Need) string { return n.Action }), ", ")
		sort.Strings(acts)
		actions := strings.Join(acts, ", ")
		f.Because = fmt.Sprintf("role %s would not be authorized to perform %s on %s %s",
			c.role.Name, actions, joinUnique(f.Needs, func(n Need) string { return n.Resource }), strings.ReplaceAll(first.clause, actionsPlaceholder, actionWords(actions)))
	case len(f.Needs) == 2:
		f.Because = first.Because + " (and 1 more request)"
	case len(f.Needs) > 2:
		f.Because = fmt.Sprintf("%s (and %d more requests)", first.Because, len(f.Needs)-1)
	default:
		f.Because = first.Because
	}
	f.Fix = c.buildFix(first.fix, f.Needs)
	return f
}

// actionWords renders "s3:GetObject action" or "s3:GetObject, s3:PutObject
// actions".
func actionWords(actions string) string {
	if strings.Contains(actions, ", ") {
		return actions + " actions"
	}
	return actions + " action"
}

func containsMissing(ms []Missing, m Missing) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// joinUnique joins the distinct values of a field in order of appearance.
func joinUnique(ns []Need, field func(Need) string) string {
	var out []string
	seen := map[string]bool{}
	for _, n := range ns {
		if v := field(n); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return strings.Join(out, ", ")
}

// dedupNeeds removes repeated needs and sorts them.
func dedupNeeds(ns []Need) []Need {
	type key struct{ action, resource, url, intent, key string }
	seen := make(map[key]struct{}, len(ns))
	out := make([]Need, 0, len(ns))
	for i := range ns {
		n := &ns[i]
		k := key{n.Action, n.Resource, n.URL, n.Intent, n.Key}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, *n)
	}
	if len(out) == 0 {
		return nil
	}
	sortNeeds(out)
	return out
}

func needKey(ns []Need) string {
	if len(ns) == 0 {
		return ""
	}
	return ns[0].Resource + "\x00" + ns[0].Action
}

func dedupStrings(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// compareGaps orders action gaps by kind, action, resource, decision, layer.
func compareGaps(a, b ActionGap) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Action, b.Action), cmp.Compare(a.Resource, b.Resource),
		cmp.Compare(a.Decision, b.Decision), cmp.Compare(a.Layer, b.Layer))
}
