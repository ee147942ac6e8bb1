package iam

import "strings"

// SegmentDependent lists the statements of p for action whose Resource or
// NotResource element may apply to some resources head+X and not to others,
// X being the rest of the resource, not known yet (an S3 key that is known
// only after apply). A request whose resource ends in such an unknown part
// is decided alike for every X by any set of policies none of which has such
// a statement: each statement then applies to every completion or to none.
//
// The test is sound, not complete: an entry holding policy variables, or
// whose first five ARN fields hold wildcards, counts as dependent unless it
// can match no completion at all.
func (p *Policy) SegmentDependent(action, head string) []StatementRef {
	colon := strings.IndexByte(action, ':')
	if colon <= 0 {
		return nil
	}
	service := asciiLower(action[:colon])
	var out []StatementRef
	for i := range p.statements {
		st := &p.statements[i]
		if st.actions.all {
			if st.notAction {
				continue
			}
		} else if st.actions.match(action, service) == st.notAction {
			continue
		}
		if !st.hasResource || st.anyResource {
			continue
		}
		every, some := false, false
		for j := range st.resources {
			switch segmentCover(&st.resources[j], head) {
			case coverEvery:
				every = true
			case coverSome:
				some = true
			}
		}
		if some && !every {
			out = append(out, StatementRef{Policy: p.Label, Index: st.index, Sid: st.sid, Effect: st.effect})
		}
	}
	return out
}

// How a resource pattern covers the resources head+X for every X.
const (
	coverNone  = iota // matches no completion
	coverEvery        // matches every completion
	coverSome         // may match some completions and not others
)

// segmentCover tells how a Resource entry covers head+X.
func segmentCover(rp *resourcePattern, head string) int {
	if rp.tmpl != nil {
		return coverSome
	}
	g := &rp.arn
	switch {
	case g.any:
		return coverEvery
	case !g.ok:
		return coverNone
	}
	text := g.text()
	if !mayMatchStart(text, head) {
		return coverNone
	}
	if g.fields == nil && g.span == 0 && strings.HasPrefix(head, g.prefix) {
		// The entry is the literal prefix then the glob rest: it covers
		// every X when rest ends in "*" and the tokens before that star
		// match a start of what follows the prefix in head (the star then
		// takes the rest of head and any X).
		h := head[len(g.prefix):]
		if toks := g.rest.toks; len(toks) > 0 && toks[len(toks)-1].kind == tokStar {
			before := glob{toks: toks[:len(toks)-1]}
			for i := 0; i <= len(h); i++ {
				if before.match(h[:i], false) {
					return coverEvery
				}
			}
		}
	}
	return coverSome
}

// mayMatchStart reports whether a pattern text may match some string that
// starts with head: the literal text before its first wildcard and head
// must agree where both reach.
func mayMatchStart(text, head string) bool {
	lead := text
	if i := strings.IndexAny(text, "*?"); i >= 0 {
		lead = text[:i]
		return strings.HasPrefix(head, lead) || strings.HasPrefix(lead, head)
	}
	return strings.HasPrefix(lead, head)
}

// text renders the entry back to pattern text: wildcards as "*" and "?"
// (a literal "*" or "?" reads as a wildcard, which only widens what the text
// may match).
func (g *arnGlob) text() string {
	var b strings.Builder
	write := func(toks []gtok) {
		for _, t := range toks {
			switch t.kind {
			case tokStar:
				b.WriteByte('*')
			case tokOne:
				b.WriteByte('?')
			default:
				b.WriteString(t.s)
			}
		}
	}
	if g.fields == nil {
		b.WriteString(g.prefix)
		write(g.rest.toks)
		return b.String()
	}
	n := arnSegments
	if g.span > 0 {
		n = g.span
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(':')
		}
		write(g.fields[i].toks)
	}
	return b.String()
}
