package validator

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// policyProblem is an Action or NotAction entry, in a policy document the
// fact builder read, that names no real AWS action. AWS ignores such an
// entry, so a typo in an Allow silently grants nothing: the classic cause of
// a 403 that every policy reads as allowed. It is also, with warning set, a
// part of the document that AWS refuses to save.
type policyProblem struct {
	awsdata.ActionProblem // Policy is the document's label
	// layer is the evaluation layer the document takes part in, as findings
	// name it in decided_by.
	layer iam.LayerKind
	// warning, when set, is instead a part of the document AWS refuses to
	// save (iam.Policy.Warnings), rendered.
	warning string
}

// note renders the problem for a job or plan note:
// `aws_iam_role_policy.glue statement 0: action "s3:GetObjects" does not
// exist; did you mean "s3:GetObject"?`.
func (p policyProblem) note() string {
	if p.warning != "" {
		return p.Policy + " " + p.warning
	}
	return p.Policy + " " + p.String()
}

// hint renders the problem as evidence of a finding whose needed action is
// the problem's suggestion.
func (p policyProblem) hint() string {
	return fmt.Sprintf("%s statement %d names %s; did you mean %s?", p.Policy, p.Statement, p.Pattern, p.Suggestion)
}

// lintKey identifies a linted document: its label, kind and a 128-bit
// digest of its text. The text itself is not kept: the memo lives as long as
// the validation, and holding every job's documents (decoded strings, not
// slices of the plan, since their quotes are escaped there) made what stays
// live grow with the jobs. One label names one document of a plan, rarely
// two (a planned and a declared one), so two texts of a label meeting on the
// digest is a chance of 2^-128.
type lintKey struct {
	label     string
	kind      iam.Kind
	sum, sum2 uint64
}

// policyLinter lints policy documents, each once: a role, bucket or key that
// several jobs share is parsed and checked a single time. The check workers
// share one; its memo is locked.
type policyLinter struct {
	mu   sync.Mutex
	done map[lintKey][]policyProblem
	// seeds digest documents for lintKey.
	seed, seed2 maphash.Seed
	// byActions holds awsdata.LintActions' problems by the Action and
	// NotAction entries they were found in (actionsKey), with no policy
	// label: the lint of a document reads nothing else of it, and many
	// documents differ only in their resources (a role policy per job
	// naming its own bucket).
	byActions map[string][]awsdata.ActionProblem
	// parse parses what the checks did not hand over: through the checks'
	// access.Run, so that the SCPs and RCPs the lint reads before the
	// checks start are the parses the checks then use, not parsed twice.
	parse func(doc string, kind iam.Kind, label string) (*iam.Policy, error)
}

// newPolicyLinter returns a linter parsing through run (nil: iam.Parse).
func newPolicyLinter(run *access.Run) *policyLinter {
	l := &policyLinter{done: map[lintKey][]policyProblem{}, byActions: map[string][]awsdata.ActionProblem{},
		seed: maphash.MakeSeed(), seed2: maphash.MakeSeed(),
		parse: func(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
			return iam.Parse([]byte(doc), kind, label)
		}}
	if run != nil {
		l.parse = run.Parse
	}
	return l
}

// compiledPolicies are the policies one job's checks compiled, by document
// and the kind each was parsed as (record is the job's
// access.Options.Compiled), so that linting the job's documents reuses them
// rather than parsing the text again.
type compiledPolicies map[compiledKey]*iam.Policy

type compiledKey struct {
	doc  *access.PolicyDoc
	kind iam.Kind
}

func (c compiledPolicies) record(doc *access.PolicyDoc, kind iam.Kind, p *iam.Policy) {
	c[compiledKey{doc, kind}] = p
}

// doc lints one document, with the policy the checks compiled from it when
// compiled has it. A document whose text is not known, or does not parse,
// has nothing to lint here: the checks report it (unknown, or an
// invalid-policy error).
func (l *policyLinter) doc(d *access.PolicyDoc, kind iam.Kind, layer iam.LayerKind, compiled compiledPolicies) []policyProblem {
	if d == nil || !d.Known {
		return nil
	}
	label := d.Label
	if label == "" {
		label = d.From.String()
	}
	key := lintKey{label: label, kind: kind, sum: maphash.String(l.seed, d.JSON), sum2: maphash.String(l.seed2, d.JSON)}
	l.mu.Lock()
	probs, ok := l.done[key]
	l.mu.Unlock()
	if ok {
		return probs
	}
	p := compiled[compiledKey{d, kind}]
	if p == nil || p.Label != label {
		// Not compiled by the checks, or under another label (the checks
		// name an unlabelled document "policy"): problems carry the label.
		p, _ = l.parse(d.JSON, kind, label)
	}
	if p != nil {
		for _, ap := range l.actions(p) {
			ap.Policy = p.Label
			probs = append(probs, policyProblem{ActionProblem: ap, layer: layer})
		}
		for _, w := range p.Warnings() {
			probs = append(probs, policyProblem{ActionProblem: awsdata.ActionProblem{Policy: label, Statement: w.Statement, Sid: w.Sid}, layer: layer, warning: w.String()})
		}
	}
	l.mu.Lock()
	l.done[key] = probs
	l.mu.Unlock()
	return probs
}

// actions is awsdata.LintActions(p) but for the policy label (Policy), from
// byActions when a document with the same action entries was linted before.
func (l *policyLinter) actions(p *iam.Policy) []awsdata.ActionProblem {
	key := actionsKey(p.ActionPatterns())
	l.mu.Lock()
	probs, ok := l.byActions[string(key)]
	l.mu.Unlock()
	if ok {
		return probs
	}
	probs = awsdata.LintActions(p)
	l.mu.Lock()
	l.byActions[string(key)] = probs
	l.mu.Unlock()
	return probs
}

// actionsKey encodes a policy's Action and NotAction entries, each with its
// statement's index and Sid, unambiguously (lengths before texts).
func actionsKey(patterns []iam.ActionPattern) []byte {
	var b []byte
	for _, ap := range patterns {
		b = strconv.AppendInt(b, int64(ap.Statement), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(len(ap.Sid)), 10)
		b = append(b, ':')
		b = append(b, ap.Sid...)
		if ap.Not {
			b = append(b, '!')
		} else {
			b = append(b, '=')
		}
		b = strconv.AppendInt(b, int64(len(ap.Pattern)), 10)
		b = append(b, ':')
		b = append(b, ap.Pattern...)
	}
	return b
}

// managed lints a managed policy attachment unless it is AWS managed: AWS
// keeps some of its policies naming retired actions, which the owner of the
// plan can do nothing about.
func (l *policyLinter) managed(mp *access.ManagedPolicy, kind iam.Kind, layer iam.LayerKind, compiled compiledPolicies) []policyProblem {
	if mp == nil || (mp.ARN.Known && strings.Contains(mp.ARN.V, ":iam::aws:policy/")) {
		return nil
	}
	return l.doc(mp.Document, kind, layer, compiled)
}

// job lints the documents that belong to one job's facts: its role's inline,
// customer managed and boundary policies, and the policies of the buckets and
// keys it uses, with what its checks compiled. Each problem appears once.
func (l *policyLinter) job(f *access.Facts, compiled compiledPolicies) []policyProblem {
	var out []policyProblem
	if r := f.Role; r != nil {
		for i := range r.Inline {
			out = append(out, l.doc(&r.Inline[i], iam.KindIdentity, iam.LayerIdentity, compiled)...)
		}
		for i := range r.Managed {
			out = append(out, l.managed(&r.Managed[i], iam.KindIdentity, iam.LayerIdentity, compiled)...)
		}
		out = append(out, l.managed(r.Boundary, iam.KindBoundary, iam.LayerBoundary, compiled)...)
	}
	for i := range f.Buckets {
		out = append(out, l.doc(f.Buckets[i].Policy, iam.KindResource, iam.LayerResource, compiled)...)
	}
	for i := range f.Keys {
		out = append(out, l.doc(f.Keys[i].Policy, iam.KindKeyPolicy, iam.LayerKeyPolicy, compiled)...)
	}
	return dedupProblems(out)
}

// shared lints the documents every job shares: VPC endpoint policies and the
// organization's SCPs and RCPs.
func (l *policyLinter) shared(n *access.Network, org *access.Organization) []policyProblem {
	var out []policyProblem
	if n != nil {
		for i := range n.Endpoints {
			out = append(out, l.doc(n.Endpoints[i].Policy, iam.KindEndpoint, iam.LayerEndpoint, nil)...)
		}
	}
	if org != nil {
		for _, node := range org.Nodes {
			for i := range node.SCPs {
				out = append(out, l.doc(&node.SCPs[i], iam.KindSCP, iam.LayerSCP, nil)...)
			}
			for i := range node.RCPs {
				out = append(out, l.doc(&node.RCPs[i], iam.KindRCP, iam.LayerRCP, nil)...)
			}
		}
	}
	return dedupProblems(out)
}

// unused lints the bucket policies (by bucket name) and key policies of the
// plan that no job's facts hold, skipping documents whose label is in used.
func (l *policyLinter) unused(buckets map[string]*access.PolicyDoc, keys []access.KMSKey, used map[string]bool) []policyProblem {
	var out []policyProblem
	keep := func(probs []policyProblem) {
		for _, p := range probs {
			if !used[p.Policy] {
				out = append(out, p)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(buckets)) {
		keep(l.doc(buckets[name], iam.KindResource, iam.LayerResource, nil))
	}
	for i := range keys {
		keep(l.doc(keys[i].Policy, iam.KindKeyPolicy, iam.LayerKeyPolicy, nil))
	}
	return dedupProblems(out)
}

// dedupProblems drops repeats (one document reached twice, as an inline
// policy and through a declaration) keeping the first.
func dedupProblems(probs []policyProblem) []policyProblem {
	var out []policyProblem
	seen := map[string]bool{}
	for _, p := range probs {
		if n := p.note(); !seen[n] {
			seen[n] = true
			out = append(out, p)
		}
	}
	return out
}

// addLintHints adds to each finding's evidence the problems that explain it:
// a policy of the finding's blocking layer names an action that does not
// exist whose closest real action is exactly one the finding needs. When the
// deciding policy is itself among them, only its problems count.
func addLintHints(j *report.Job, probs []policyProblem) {
	for i := range j.Findings {
		f := &j.Findings[i]
		if f.DecidedBy == nil {
			continue
		}
		var layer []policyProblem
		for _, p := range probs {
			if string(p.layer) == f.DecidedBy.Layer && p.Kind == awsdata.ProblemUnknownAction && p.Suggestion != "" {
				layer = append(layer, p)
			}
		}
		if slices.ContainsFunc(layer, func(p policyProblem) bool { return p.Policy == f.DecidedBy.Policy }) {
			layer = slices.DeleteFunc(layer, func(p policyProblem) bool { return p.Policy != f.DecidedBy.Policy })
		}
		for _, p := range layer {
			needed := slices.ContainsFunc(f.Needs, func(n report.Need) bool { return strings.EqualFold(n.Action, p.Suggestion) }) ||
				strings.EqualFold(f.Action, p.Suggestion)
			if h := p.hint(); needed && !slices.Contains(f.Evidence, h) {
				f.Evidence = append(f.Evidence, h)
			}
		}
	}
}

// problemNotes renders problems as notes, in order.
func problemNotes(probs []policyProblem) []string {
	var out []string
	for _, p := range probs {
		out = append(out, p.note())
	}
	return out
}
