package awsdata

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// ProblemKind classifies an ActionProblem; the values are stable codes.
type ProblemKind string

const (
	// ProblemMalformed: the entry is not "service:action" (nor "*").
	ProblemMalformed ProblemKind = "malformed-action"
	// ProblemUnknownService: the service prefix names no AWS service.
	ProblemUnknownService ProblemKind = "unknown-service"
	// ProblemUnknownAction: a literal action that the service does not have.
	ProblemUnknownAction ProblemKind = "unknown-action"
	// ProblemNoMatch: a wildcard pattern that matches no action.
	ProblemNoMatch ProblemKind = "pattern-matches-nothing"
)

// ActionProblem is one Action or NotAction entry that names nothing real. Such
// an entry is silently ignored by AWS, which is how a typo turns into a 403
// (in Action) or into a broader grant than intended (in NotAction).
type ActionProblem struct {
	Kind      ProblemKind
	Policy    string // the policy's label
	Statement int    // 0-based statement index, as in iam.StatementRef
	Sid       string
	Not       bool   // the entry is in NotAction
	Pattern   string // as written
	// Suggestion is the nearest real action (unknown-action) or service prefix
	// (unknown-service) when one is close enough to be a likely typo; for an
	// API operation name, the action that authorizes it.
	Suggestion string
	// OperationActions are set when the entry names an API operation rather
	// than an action (s3:ListObjectsV2): the actions that authorize it
	// (s3:ListBucket). Suggestion is then the first of them, unless an action
	// is also a likely typo away (s3:ListBuckets, s3:ListBucket).
	OperationActions []string
}

// String renders the problem, e.g. `statement 1 ("ReadData"): action
// "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`.
func (p ActionProblem) String() string {
	return p.Where() + ": " + p.Message()
}

// Where names the statement: `statement 1 ("ReadData")`, or `statement 1`
// when it has no Sid.
func (p ActionProblem) Where() string {
	where := fmt.Sprintf("statement %d", p.Statement)
	if p.Sid != "" {
		where += fmt.Sprintf(" (%q)", p.Sid)
	}
	return where
}

// Message says what is wrong with the entry, and the likely intended name
// when there is one: `action "s3:GetObjects" does not exist; did you mean
// "s3:GetObject"?`. It does not end a sentence unless it asks; see Sentence.
func (p ActionProblem) Message() string {
	element := "action"
	if p.Not {
		element = "NotAction"
	}
	var msg string
	switch p.Kind {
	case ProblemMalformed:
		msg = fmt.Sprintf("%s %q is not of the form \"service:action\"", element, p.Pattern)
	case ProblemUnknownService:
		prefix, _, _ := strings.Cut(p.Pattern, ":")
		msg = fmt.Sprintf("%s %q uses unknown service prefix %q", element, p.Pattern, prefix)
	case ProblemUnknownAction:
		if len(p.OperationActions) > 0 {
			// The Service Authorization Reference names the operation each
			// action authorizes; the operation's own name is not an action.
			quoted := make([]string, len(p.OperationActions))
			for i, a := range p.OperationActions {
				quoted[i] = fmt.Sprintf("%q", a)
			}
			verb := "action is"
			if len(quoted) > 1 {
				verb = "actions are"
			}
			msg = fmt.Sprintf("%s %q does not exist: %q is an API operation; its IAM %s %s", element, p.Pattern, p.Pattern, verb, strings.Join(quoted, ", "))
			if p.Suggestion != "" && !slices.Contains(p.OperationActions, p.Suggestion) {
				// s3:ListBuckets is an API operation, and one letter away
				// from s3:ListBucket: either may be what was meant.
				msg += fmt.Sprintf("; or did you mean %q?", p.Suggestion)
			}
			return msg
		}
		msg = fmt.Sprintf("%s %q does not exist", element, p.Pattern)
	case ProblemNoMatch:
		msg = fmt.Sprintf("%s pattern %q matches no action", element, p.Pattern)
	default:
		msg = fmt.Sprintf("%s %q: %s", element, p.Pattern, p.Kind)
	}
	if p.Suggestion != "" {
		msg += fmt.Sprintf("; did you mean %q?", p.Suggestion)
	}
	return msg
}

// Sentence is Message as a complete sentence, capitalised and ending with a
// full stop or the question, so that further sentences can follow it.
func (p ActionProblem) Sentence() string {
	msg := p.Message()
	if !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return msg
}

// LintActions checks every Action and NotAction entry of p against the action
// catalog and returns the problems in document order (nil when all is well).
func LintActions(p *iam.Policy) []ActionProblem {
	if p == nil {
		return nil
	}
	problems := lintPatterns(currentCatalog(), p.EachActionPattern())
	for i := range problems {
		problems[i].Policy = p.Label
	}
	return problems
}

func lintPatterns(c *catalog, patterns iter.Seq[iam.ActionPattern]) []ActionProblem {
	var problems []ActionProblem
	for ap := range patterns {
		v := c.verdict(ap.Pattern)
		if v.ok {
			continue
		}
		problems = append(problems, ActionProblem{
			Kind:             v.kind,
			Statement:        ap.Statement,
			Sid:              ap.Sid,
			Not:              ap.Not,
			Pattern:          ap.Pattern,
			Suggestion:       v.suggestion,
			OperationActions: slices.Clone(v.opActions),
		})
	}
	return problems
}

// patternVerdict is what the catalog says of one Action entry: whether it
// names a real action, and if not, what is wrong and what was likely meant.
type patternVerdict struct {
	ok         bool
	kind       ProblemKind
	suggestion string
	opActions  []string
}

// verdictMemoSize bounds the entries memoised per catalog: a plan's
// documents repeat a few hundred distinct entries ("s3:GetObject") many
// thousand times.
const verdictMemoSize = 8192

// verdict judges one entry, memoised: the catalog does not change once
// loaded, so the verdict on an entry (as written) does not either.
func (c *catalog) verdict(pattern string) patternVerdict {
	if v, ok := c.verdicts.Load(pattern); ok {
		return v.(patternVerdict)
	}
	v := c.judge(pattern)
	if c.verdictCount.Add(1) <= verdictMemoSize {
		// A copy of the key: the entry is part of a policy document,
		// which the memo must not keep.
		c.verdicts.Store(strings.Clone(pattern), v)
	}
	return v
}

// judge is verdict without the memo.
func (c *catalog) judge(pattern string) patternVerdict {
	kind, suggestion, ok := c.check(pattern)
	if ok {
		return patternVerdict{ok: true}
	}
	var opActions []string
	if kind == ProblemUnknownAction {
		if opActions = c.operationActions(pattern); len(opActions) > 0 && !oneEditApart(pattern, suggestion) {
			// A name AWS documents as an API operation was most likely
			// meant as one; only a single-edit spelling competes.
			suggestion = opActions[0]
		}
	}
	return patternVerdict{kind: kind, suggestion: suggestion, opActions: opActions}
}

// oneEditApart reports whether the action parts of two "service:action"
// names are one edit apart, case-insensitively.
func oneEditApart(a, b string) bool {
	_, x, _ := strings.Cut(strings.ToLower(a), ":")
	_, y, _ := strings.Cut(strings.ToLower(b), ":")
	return b != "" && editDistance(x, y) <= 1
}

// check decides whether one entry names at least one real action.
func (c *catalog) check(pattern string) (ProblemKind, string, bool) {
	prefix, act, hasColon := strings.Cut(pattern, ":")
	if !hasColon || prefix == "" || act == "" {
		// Only a pure wildcard such as "*" may omit the colon.
		if pattern != "" && strings.Trim(pattern, "*") == "" {
			return "", "", true
		}
		return ProblemMalformed, "", false
	}
	if hasWildcard(prefix) {
		if !c.matchesAny(pattern) {
			return ProblemNoMatch, "", false
		}
		return "", "", true
	}
	if _, known := c.service(prefix); !known {
		suggestion, d := c.closestService(prefix)
		if !likelyTypo(d, len(prefix)) {
			suggestion = ""
		}
		return ProblemUnknownService, suggestion, false
	}
	if hasWildcard(act) {
		if !c.matchesAny(pattern) {
			return ProblemNoMatch, "", false
		}
		return "", "", true
	}
	if c.has(pattern) {
		return "", "", true
	}
	suggestion, d := c.closest(pattern)
	if !likelyTypo(d, len(act)) {
		suggestion = ""
	}
	return ProblemUnknownAction, suggestion, false
}

// likelyTypo says whether a candidate d edits away from a name of length n is
// worth suggesting: a couple of edits always, about a third of the name for
// long names. Further away, a suggestion is more noise than help.
func likelyTypo(d, n int) bool {
	return d <= max(2, n/3)
}
