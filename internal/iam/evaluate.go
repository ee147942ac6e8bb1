package iam

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// tri is a three-valued truth: a statement applies, does not, or depends on a
// context key whose value is not known.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

func (a tri) and(b tri) tri {
	switch {
	case a == triFalse || b == triFalse:
		return triFalse
	case a == triTrue && b == triTrue:
		return triTrue
	}
	return triUnknown
}

func (a tri) or(b tri) tri {
	switch {
	case a == triTrue || b == triTrue:
		return triTrue
	case a == triFalse && b == triFalse:
		return triFalse
	}
	return triUnknown
}

// not negates a when neg is set.
func (a tri) not(neg bool) tri {
	if !neg || a == triUnknown {
		return a
	}
	return triOf(a == triFalse)
}

// hit is one statement whose action, resource and principal matched the
// request; applies is the outcome of its conditions.
//
// A hit holds a single pointer, so that recording it stays cheap for the
// garbage collector's write barrier.
type hit struct {
	st      *statement
	layer   int32 // index in evaluator.layers
	applies tri
	pm      principalMatch
	// keys[keyLo:keyHi] are the absent context keys the statement referenced;
	// unknown[unkLo:unkHi] the unknown ones.
	keyLo, keyHi int32
	unkLo, unkHi int32
}

// ref names the statement of a hit.
func (ev *evaluator) ref(h *hit) StatementRef {
	return StatementRef{Layer: ev.layers[h.layer].layer, Policy: h.st.policy.Label, Index: h.st.index, Sid: h.st.sid, Effect: h.st.effect}
}

// layerSum is the outcome of one layer (several policies ORed).
type layerSum struct {
	layer   Layer
	deny    tri
	allow   tri
	allowBy [pmExact + 1]tri // resource and key policies: allow by principal class
	lo, hi  int              // hits[lo:hi]
}

// evaluator holds the state of one Evaluate call.
type evaluator struct {
	req        *Request
	ctx        *Context
	account    string // the caller's account
	resAccount string
	arn        [arnSegments]string
	service    string // the action's service prefix, lower-cased
	actionName string // the action after "service:"
	arnOK      bool
	boundary   bool            // the caller has a permissions boundary (NotPrincipal rule)
	derived    [2]derivedEntry // aws:PrincipalAccount and aws:PrincipalArn derived from the principal
	caller     caller
	linked     linkedMemo // kept across requests
	// resUnk is set when the request's resource holds unknown leaves (see
	// matchUnknownResource); resField5 is then its resource field, when
	// resExact says the first five fields are known.
	resUnk    *unknownText
	resField5 []gtok
	resExact  bool

	hits    []hit
	keys    []string // absent keys referenced, per hit ranges
	unknown []string // unknown keys referenced, per hit ranges
	layers  []layerSum
}

// derivedEntry is a context entry derived from the principal, with room for
// its one value.
type derivedEntry struct {
	ctxEntry
	single [1]string
}

// lookup finds a condition key in the request context.
func (ev *evaluator) lookup(k ctxKey) (*ctxEntry, bool) {
	if e, ok := ev.ctx.lookup(k); ok {
		return e, true
	}
	// aws:PrincipalAccount and aws:PrincipalArn are on every authenticated
	// request; derive them from the principal when the caller did not set them.
	// Each derived key has its own slot, written with the same value every
	// time within a request, so entries handed out never change under a caller.
	c := &ev.caller
	switch {
	case k.lower == "aws:principalaccount" && ev.account != "" && c.service == "":
		return ev.derive(0, ev.account), true
	case k.lower == "aws:principalarn" && c.roleARN != "":
		return ev.derive(1, c.roleARN), true
	case k.lower == "aws:principalarn" && c.arn != "":
		return ev.derive(1, c.arn), true
	}
	return nil, false
}

// derive fills derived slot i with the single value v.
func (ev *evaluator) derive(i int, v string) *ctxEntry {
	d := &ev.derived[i]
	d.single[0] = v
	d.values = d.single[:]
	return &d.ctxEntry
}

// evaluatorPool recycles evaluators and their scratch slices, so that a
// request costs no allocation beyond its Result.
var evaluatorPool = sync.Pool{New: func() any { return new(evaluator) }}

// release empties the evaluator, keeping its slices' capacity, and pools it.
// Stale entries beyond the slices' length are not cleared: they point at
// compiled policies and key names, and clearing costs a write barrier per
// pointer. The derived entries and the caller are rewritten before each use.
func (ev *evaluator) release() {
	ev.req, ev.ctx, ev.service, ev.actionName = nil, nil, "", ""
	ev.resUnk, ev.resField5, ev.resExact = nil, nil, false
	ev.hits, ev.keys, ev.unknown, ev.layers = ev.hits[:0], ev.keys[:0], ev.unknown[:0], ev.layers[:0]
	evaluatorPool.Put(ev)
}

func (ev *evaluator) noteMissing(key string) { ev.keys = append(ev.keys, key) }
func (ev *evaluator) noteUnknown(key string) { ev.unknown = append(ev.unknown, key) }

// Evaluate decides one request against the policies in. It never panics; a
// malformed request (empty action, unparsable resource) is ImplicitlyDenied with
// the reason in Explain.
func Evaluate(in *Input, req *Request) Result {
	if in == nil {
		in = &Input{}
	}
	if req == nil {
		return Result{Decision: ImplicitlyDenied, RequestError: "no request"}
	}
	arn, arnOK := awsid.SplitARN(req.Resource)
	var resUnk *unknownText
	if hasUnknown(req.Resource) {
		var msg string
		if resUnk, msg = unknownResource(req, &arn, &arnOK); msg != "" {
			return Result{Decision: ImplicitlyDenied, RequestError: msg}
		}
	}
	colon := strings.IndexByte(req.Action, ':')
	if msg := checkRequest(req, colon, &arn, arnOK, resUnk != nil); msg != "" {
		return Result{Decision: ImplicitlyDenied, RequestError: msg}
	}
	ev := evaluatorPool.Get().(*evaluator)
	if resUnk != nil {
		ev.resUnk, ev.resExact = resUnk, arnOK
		if arnOK {
			f, _ := parseUnknown(arn[5], false, false)
			ev.resField5 = f.toks
		}
	}
	ev.req, ev.ctx, ev.boundary = req, req.Context, in.Boundary != nil
	ev.service, ev.actionName = asciiLower(req.Action[:colon]), req.Action[colon+1:]
	ev.arn, ev.arnOK = arn, arnOK
	ev.account = req.Principal.Account
	if ev.account == "" {
		if segs, ok := awsid.SplitARN(req.Principal.ARN); ok {
			ev.account = segs[4]
		}
	}
	ev.resAccount = req.ResourceAccount
	if ev.resAccount == "" && ev.arnOK {
		ev.resAccount = ev.arn[4]
	}
	p := &req.Principal
	ev.caller = caller{arn: p.ARN, roleARN: p.RoleARN, service: p.Service}
	v, one := principalArnOf(req.Context)
	if msg := ev.caller.resolveRole(v, one, &ev.linked); msg != "" {
		ev.release()
		return Result{Decision: ImplicitlyDenied, RequestError: msg}
	}
	// release is not deferred: run does not panic, and a deferred call
	// costs a measurable share of a request.
	out := ev.run(in)
	ev.release()
	return out
}

// checkRequest returns why a request cannot be evaluated, or "". i is the
// index of the first ':' of the action, arn and arnOK the resource split into
// the six fields of an ARN.
func checkRequest(req *Request, i int, arn *[arnSegments]string, arnOK, unknownRes bool) string {
	switch {
	case req.Action == "":
		return "the request has no action"
	case i <= 0 || i == len(req.Action)-1:
		return "action " + strconv.Quote(req.Action) + " is not of the form service:Name"
	case req.Resource == "":
		return "the request has no resource"
	case !unknownRes && req.Resource != "*" && !strings.HasPrefix(req.Resource, "arn:"):
		return "resource " + strconv.Quote(req.Resource) + " is not an ARN"
	}
	if !unknownRes && req.Resource != "*" && !arnOK {
		return "resource " + strconv.Quote(req.Resource) + " does not have the six fields of an ARN"
	}
	if req.Principal.ARN == "" && req.Principal.Service == "" {
		return "the request has no principal"
	}
	if arnOK && arn[2] == "s3" && arn[4] == "" && req.ResourceAccount == "" && req.Principal.Service == "" {
		// S3 ARNs carry no account. Guessing "same account" would apply the
		// lenient same-account rule to what may be a cross-account request.
		return "resource " + strconv.Quote(req.Resource) + " names no account: set ResourceAccount to the bucket owner"
	}
	return ""
}

// evalLayer evaluates every statement of the policies of one layer and
// returns the layer's outcome.
func (ev *evaluator) evalLayer(layer Layer, policies ...*Policy) layerSum {
	ev.layers = append(ev.layers, layerSum{layer: layer, lo: len(ev.hits)})
	idx := len(ev.layers) - 1
	sum := &ev.layers[idx]
	for _, p := range policies {
		if p == nil {
			continue
		}
		for _, c := range p.candidates(ev.service) {
			ev.evalStatement(int32(idx), &p.statements[c.stmt], c.group, sum)
		}
	}
	sum.hi = len(ev.hits)
	return *sum
}

// evalStatement records a hit when the statement's action, resource and
// principal match the request (or when a policy variable without a value
// kept its resource from matching), and folds its outcome into the layer.
//
// group, when not negative, is the statement's only action group that can
// match (see candidate).
func (ev *evaluator) evalStatement(layer int32, st *statement, group int32, sum *layerSum) {
	req := ev.req
	keyLo, unkLo := len(ev.keys), len(ev.unknown)
	act := triTrue
	if group >= 0 {
		if !st.actions.groups[group].match(ev.actionName) {
			return
		}
	} else if st.actions.all {
		if st.notAction {
			return
		}
	} else if m := st.actions.match(req.Action, ev.service); m == st.notAction {
		// A NotAction entry names the action, or no Action entry does.
		if st.notAction || st.actUnknown == nil {
			return
		}
		// An unknown Action entry may name it.
		if act = ev.maybeAction(st); act == triFalse {
			return
		}
	} else if st.notAction && st.actUnknown != nil {
		// No known NotAction entry names the action; an unknown one may.
		act = ev.maybeAction(st).not(true)
	}
	res := triTrue
	if st.hasResource && !st.anyResource {
		res = triFalse
		for i := range st.resources {
			rp := &st.resources[i]
			var m tri
			switch {
			case ev.resUnk != nil:
				m = ev.matchUnknownResource(rp)
			case rp.plain:
				m = triOf(rp.arn.match(&ev.arn, req.Resource, ev.arnOK))
			default:
				m = ev.matchResource(rp)
			}
			if res = res.or(m); res == triTrue {
				break
			}
		}
		switch {
		case !st.notResource:
		case len(ev.keys) > keyLo:
			// A NotResource entry whose variable has no value makes the
			// statement invalid, as it does in Resource: the non-match must
			// not turn into a match.
			res = triFalse
		default:
			res = res.not(true)
		}
		// A statement whose resource does not match, for want of no key,
		// is done before its principal is compared.
		if res == triFalse && len(ev.keys) == keyLo {
			ev.keys, ev.unknown = ev.keys[:keyLo], ev.unknown[:unkLo]
			return
		}
	}
	pm := pmRole
	if ps := st.principal; ps != nil {
		if st.notPrincipal {
			// AWS documents that a Deny with NotPrincipal (the only effect
			// NotPrincipal may have) always denies a caller that has a
			// permissions boundary.
			if ev.boundary || !ps.exempts(&ev.caller, ev.account) {
				pm = pmRole
			} else {
				pm = pmNone
			}
		} else {
			pm = ps.match(&ev.caller, ev.account)
			if pm == pmRole && st.anyByPrincipalArn && ev.caller.service == "" {
				pm = pmExact
			}
		}
	}
	if st.leaves {
		ev.evalStatementLeaves(layer, st, act, res, pm, keyLo, unkLo, sum)
		return
	}
	if pm == pmNone {
		ev.keys, ev.unknown = ev.keys[:keyLo], ev.unknown[:unkLo]
		return
	}
	// The loop of applyConditions, written out: a call per statement
	// costs more than the loop.
	applies := res
	for i := range st.conditions {
		applies = applies.and(ev.evalCondition(&st.conditions[i]))
		if applies == triFalse {
			break
		}
	}
	// The common case, written out rather than calling record: this is the
	// innermost step of every request.
	ev.hits = append(ev.hits, hit{
		st:      st,
		layer:   layer,
		applies: applies,
		pm:      pm,
		keyLo:   int32(keyLo), keyHi: int32(len(ev.keys)),
		unkLo: int32(unkLo), unkHi: int32(len(ev.unknown)),
	})
	if st.effect == Deny {
		sum.deny = sum.deny.or(applies)
		return
	}
	sum.allow = sum.allow.or(applies)
	sum.allowBy[pm] = sum.allowBy[pm].or(applies)
}

// applyConditions ANDs the statement's conditions into applies.
func (ev *evaluator) applyConditions(st *statement, applies tri) tri {
	for i := range st.conditions {
		applies = applies.and(ev.evalCondition(&st.conditions[i]))
		if applies == triFalse {
			break
		}
	}
	return applies
}

// evalStatementLeaves finishes evalStatement for a statement whose Action,
// NotAction, Principal or NotPrincipal holds unknown leaves: act is the
// outcome of its Action element, res of its Resource element (never false
// without a missing key: evalStatement is done with those), pm the way its
// known principals name the caller.
func (ev *evaluator) evalStatementLeaves(layer int32, st *statement, act, res tri, pm principalMatch, keyLo, unkLo int, sum *layerSum) {
	maybe, who := pmNone, triTrue
	if ps := st.principal; ps != nil {
		switch {
		case !st.notPrincipal:
			maybe = ps.maybe(&ev.caller, ev.account)
		case pm != pmNone && !ev.boundary && ps.maybeExempts(&ev.caller, ev.account):
			// Unknown NotPrincipal entries may exempt the caller.
			who = triUnknown
		}
	}
	if pm == pmNone && maybe == pmNone {
		ev.keys, ev.unknown = ev.keys[:keyLo], ev.unknown[:unkLo]
		return
	}
	applies := ev.applyConditions(st, act.and(res))
	if who == triUnknown {
		ev.notePrincipalLeaves(st.principal)
		applies = applies.and(who)
	}
	if pm != pmNone {
		ev.record(layer, st, pm, applies, keyLo, unkLo, sum)
	}
	if maybe > pm {
		// An unknown Principal entry may name the caller more strongly
		// than the known ones do: that grant (or Deny) is unknown.
		ev.notePrincipalLeaves(st.principal)
		ev.record(layer, st, maybe, applies.and(triUnknown), keyLo, unkLo, sum)
	}
}

// record appends the hit of a statement that matched the request with
// principal class pm and folds it into the layer.
func (ev *evaluator) record(layer int32, st *statement, pm principalMatch, applies tri, keyLo, unkLo int, sum *layerSum) {
	ev.hits = append(ev.hits, hit{
		st:      st,
		layer:   layer,
		applies: applies,
		pm:      pm,
		keyLo:   int32(keyLo), keyHi: int32(len(ev.keys)),
		unkLo: int32(unkLo), unkHi: int32(len(ev.unknown)),
	})
	if st.effect == Deny {
		sum.deny = sum.deny.or(applies)
		return
	}
	sum.allow = sum.allow.or(applies)
	sum.allowBy[pm] = sum.allowBy[pm].or(applies)
}

// maybeAction is unknown, with the leaves noted, when an unknown Action or
// NotAction entry of st could name the request's action, and false
// otherwise.
func (ev *evaluator) maybeAction(st *statement) tri {
	out := triFalse
	for i := range st.actUnknown {
		out = out.or(ev.maybeTri(&st.actUnknown[i], ev.req.Action, true))
	}
	return out
}

// matchResource matches the request resource against one pattern, substituting
// policy variables first. A variable without a value makes the pattern match
// nothing.
func (ev *evaluator) matchResource(rp *resourcePattern) tri {
	if rp.unk != nil {
		return ev.maybeTri(rp.unk, ev.req.Resource, false)
	}
	if rp.tmpl == nil {
		return triOf(rp.arn.match(&ev.arn, ev.req.Resource, ev.arnOK))
	}
	toks, st := ev.expandGlob(rp.tmpl)
	switch st {
	case varUnknown:
		return triUnknown
	case varMissing:
		return triFalse
	}
	g := compileARNGlob(toks, true)
	return triOf(g.match(&ev.arn, ev.req.Resource, ev.arnOK))
}

// resourcePattern is one compiled Resource/NotResource entry.
type resourcePattern struct {
	arn  arnGlob
	tmpl *template    // non-nil when the entry holds policy variables
	unk  *unknownText // non-nil when the entry holds unknown leaves
	// plain: neither tmpl nor unk, so arn decides alone (set at Parse, for
	// the common case's single test).
	plain bool
}

// run evaluates every layer and combines them per AWS's evaluation logic.
func (ev *evaluator) run(in *Input) Result {
	req := ev.req
	isKMS := len(req.Action) > 4 && strings.EqualFold(req.Action[:4], "kms:")
	resKind := LayerResource
	if isKMS {
		resKind = LayerKeyPolicy
	}

	// Every layer is evaluated, without short-circuit, so that the result can
	// name every matching Deny and every layer that failed to allow.
	ident := ev.evalLayer(Layer{Kind: LayerIdentity}, in.Identity...)
	bound := layerSum{allow: triTrue, deny: triFalse}
	if in.Boundary != nil {
		bound = ev.evalLayer(Layer{Kind: LayerBoundary}, in.Boundary)
	}
	sess := layerSum{allow: triTrue, deny: triFalse}
	if in.Session != nil {
		sess = ev.evalLayer(Layer{Kind: LayerSession}, in.Session)
	}
	res := layerSum{layer: Layer{Kind: resKind}}
	if in.Resource != nil {
		res = ev.evalLayer(Layer{Kind: resKind}, in.Resource)
	}
	// SCPs limit only the IAM users and roles of the accounts they govern; a
	// service principal belongs to no account and is outside them. AWS
	// Organizations: "SCPs do not affect service-linked roles", and RCPs do
	// not apply to "calls made by service-linked roles".
	if req.Principal.Service == "" && !ev.caller.serviceLinked {
		for i, level := range in.SCPs {
			ev.evalLayer(Layer{Kind: LayerSCP, Level: i}, level...)
		}
	}
	if !ev.caller.serviceLinked {
		for i, level := range in.RCPs {
			ev.evalLayer(Layer{Kind: LayerRCP, Level: i}, level...)
		}
	}
	if in.Endpoint != nil {
		ev.evalLayer(Layer{Kind: LayerEndpoint}, in.Endpoint)
	}

	deny := triFalse
	for i := range ev.layers {
		l := &ev.layers[i]
		deny = deny.or(l.deny)
	}
	if deny == triTrue {
		return ev.explicitDeny()
	}

	g := ev.grant(in, isKMS, ident, bound, sess, res)

	// Gates every request must pass besides the grant: each SCP level and the
	// VPC endpoint policy.
	allowed := g.ok
	if deny == triUnknown {
		allowed = allowed.and(triUnknown)
	}
	for i := range ev.layers {
		l := &ev.layers[i]
		if isGate(l.layer) {
			allowed = allowed.and(l.allow)
		}
	}
	out := Result{}
	switch allowed {
	case triTrue:
		out.Decision = Allowed
		out.DecidedBy = g.by
		var buf [8]*hit
		hs := buf[:0]
		for i := range ev.layers {
			l := &ev.layers[i]
			if isGate(l.layer) {
				hs = ev.appendFirstAllow(hs, l, pmNone)
			}
		}
		hs = ev.appendPathHits(hs, in, g.path, ident, bound, sess, res)
		if g.path == pathKMSGrant {
			refs := make([]StatementRef, 0, len(hs)+1)
			for _, h := range hs {
				refs = append(refs, ev.ref(h))
			}
			out.Statements = append(refs, g.grantRef)
		} else {
			out.Statements = ev.sharedRefs(hs)
		}
	case triFalse:
		out.Decision = ImplicitlyDenied
		for i := range ev.layers {
			l := &ev.layers[i]
			if isGate(l.layer) && l.allow == triFalse {
				out.NotAllowedBy = append(out.NotAllowedBy, l.layer)
			}
		}
		out.NotAllowedBy = append(out.NotAllowedBy, g.failed...)
		out.DecidedBy = out.NotAllowedBy[0]
	default:
		out.Decision = Unknown
		out.DecidedBy = ev.unknownLayer(g, deny)
		for i := range ev.hits {
			h := &ev.hits[i]
			if h.applies == triUnknown {
				out.Statements = append(out.Statements, ev.ref(h))
				out.UnknownKeys = append(out.UnknownKeys, ev.unknown[h.unkLo:h.unkHi]...)
			}
		}
		if g.ok == triUnknown {
			out.UnknownKeys = append(out.UnknownKeys, ev.unknown[g.unkLo:g.unkHi]...)
		}
		out.UnknownKeys, out.UnknownLeaves = splitLeaves(out.UnknownKeys)
		out.UnknownKeys = sortKeys(out.UnknownKeys)
	}
	out.MissingContextKeys = ev.missingKeys(out.Statements)
	return out
}

// isGate reports whether a layer must allow every request on its own: an SCP
// level or a VPC endpoint policy.
func isGate(l Layer) bool { return l.Kind == LayerSCP || l.Kind == LayerEndpoint }

// unknownLayer names the layer an Unknown result hinges on: a Deny that may
// apply, else a gate whose Allow is unknown, else the grant step.
func (ev *evaluator) unknownLayer(g grantOutcome, deny tri) Layer {
	for i := range ev.layers {
		l := &ev.layers[i]
		if deny == triUnknown && l.deny == triUnknown || deny != triUnknown && isGate(l.layer) && l.allow == triUnknown {
			return l.layer
		}
	}
	return g.by
}

// explicitDeny builds the result for a matching Deny: every matching Deny
// statement, in layer order.
func (ev *evaluator) explicitDeny() Result {
	out := Result{Decision: ExplicitlyDenied}
	for i := range ev.hits {
		h := &ev.hits[i]
		if h.st.effect == Deny && h.applies == triTrue {
			if len(out.Statements) == 0 {
				out.DecidedBy = ev.layers[h.layer].layer
			}
			out.Statements = append(out.Statements, ev.ref(h))
		}
	}
	out.MissingContextKeys = ev.missingKeys(out.Statements)
	return out
}

// appendFirstAllow appends the hit of the first applying Allow of a layer (of
// principal class pm, or any class with pmNone).
func (ev *evaluator) appendFirstAllow(hs []*hit, l *layerSum, pm principalMatch) []*hit {
	for i := l.lo; i < l.hi; i++ {
		h := &ev.hits[i]
		if h.st.effect == Allow && h.applies == triTrue && (pm == pmNone || h.pm == pm) {
			return append(hs, h)
		}
	}
	return hs
}

// sharedRefs returns the decisive statements of an Allowed result, the
// statements of hits hs, as a slice the Result may keep. Outcomes repeat: a
// job's requests are granted by the same statements over and over. So the
// statement cited last keeps the slice it last handed out, with the statements
// and layers it names, and hands it out again when they are the same, instead
// of allocating one per request. Correctness rests on that comparison alone,
// not on which statement keeps the slice. Result documents the slice as
// read-only.
func (ev *evaluator) sharedRefs(hs []*hit) []StatementRef {
	if len(hs) == 0 {
		return []StatementRef{}
	}
	last := hs[len(hs)-1].st
	slot := &last.policy.refs[last.index]
	if m := slot.Load(); m != nil && len(m.keys) == len(hs) {
		same := true
		for i, h := range hs {
			k := &m.keys[i]
			if k.st != h.st || k.layer != ev.layers[h.layer].layer {
				same = false
				break
			}
		}
		if same {
			return m.refs
		}
	}
	m := &refsMemo{keys: make([]refKey, len(hs)), refs: make([]StatementRef, len(hs))}
	for i, h := range hs {
		m.keys[i] = refKey{st: h.st, layer: ev.layers[h.layer].layer}
		m.refs[i] = ev.ref(h)
	}
	slot.Store(m)
	return m.refs
}

// refsMemo is a Result.Statements slice kept for reuse (see sharedRefs): the
// statement and layer of each entry, and the slice.
type refsMemo struct {
	keys []refKey
	refs []StatementRef
}

type refKey struct {
	st    *statement
	layer Layer
}

// missingKeys lists, sorted and without duplicates, the absent keys referenced
// by the decisive statements and by statements that did not apply (they would
// have matched but for the key).
func (ev *evaluator) missingKeys(decisive []StatementRef) []string {
	if len(ev.keys) == 0 {
		return nil
	}
	var out []string
	for i := range ev.hits {
		h := &ev.hits[i]
		if h.keyHi == h.keyLo {
			continue
		}
		if h.applies == triFalse || slices.Contains(decisive, ev.ref(h)) {
			out = append(out, ev.keys[h.keyLo:h.keyHi]...)
		}
	}
	return sortKeys(out)
}

// sortKeys sorts keys case-insensitively and drops case-insensitive duplicates,
// keeping the first spelling.
func sortKeys(keys []string) []string {
	if len(keys) == 0 {
		return nil
	}
	slices.SortStableFunc(keys, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return slices.CompactFunc(keys, strings.EqualFold)
}
