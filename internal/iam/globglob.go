package iam

import "strconv"

// Matching a pattern against a string of which parts are not known: the
// request's resource ARN with unknown leaves, such as
// arn:aws:s3:::libs/<unknown>. Each leaf stands for any string, so the
// request is a set of ARNs written as a glob whose stars are the leaves, and
// a Resource pattern matches all of them, none, or some. Both are globs over
// bytes, and the answer is exact: "none" is the emptiness of the
// intersection of the two languages, "all" the inclusion of the request's in
// the pattern's, decided by a subset construction over the pattern.

// gelem is one byte-level element of a glob: a literal byte, "?" or "*".
type gelem struct {
	kind uint8 // tokLit, tokOne, tokStar
	c    byte
}

// elems expands glob tokens to bytes. ok is false when the text is not
// ASCII: "?" matches one character, not one byte, and the byte-level
// construction would then be wrong.
func elems(toks []gtok) (out []gelem, ok bool) {
	for _, t := range toks {
		if t.kind != tokLit {
			out = append(out, gelem{kind: t.kind})
			continue
		}
		for i := 0; i < len(t.s); i++ {
			if t.s[i] >= 0x80 {
				return nil, false
			}
			out = append(out, gelem{kind: tokLit, c: t.s[i]})
		}
	}
	return out, true
}

// globLimit bounds the subset construction; beyond it the answer is unknown,
// which is always sound.
const globLimit = 4096

// globVsGlob returns true when every string of request (whose stars stand
// for unknown text; its "?" never occurs) matches pattern, false when none
// does, and unknown otherwise or when the question is too large to answer.
func globVsGlob(pattern, request []gtok) tri {
	// Most questions are decided by the literal text both start with (a
	// bucket name, a prefix) or have the shapes "text*" against "text<leaf>".
	pat, req := pattern, request
	for len(pat) > 0 && len(req) > 0 && pat[0].kind == tokLit && req[0].kind == tokLit {
		a, b := pat[0].s, req[0].s
		n := min(len(a), len(b))
		if a[:n] != b[:n] {
			return triFalse
		}
		switch {
		case len(a) == len(b):
			pat, req = pat[1:], req[1:]
		case len(a) < len(b):
			pat, req = pat[1:], append([]gtok{{kind: tokLit, s: b[n:]}}, req[1:]...)
		default:
			pat, req = append([]gtok{{kind: tokLit, s: a[n:]}}, pat[1:]...), req[1:]
		}
	}
	switch {
	case len(pat) == 0 && len(req) == 0:
		return triTrue
	case len(pat) == 1 && pat[0].kind == tokStar:
		// The rest of the pattern takes anything.
		return triTrue
	case len(req) == 1 && req[0].kind == tokStar && len(pat) > 0 && pat[0].kind == tokLit:
		// The leaf may or may not start with the pattern's next text
		// (and end as the pattern wants: a leaf can be any string).
		return triUnknown
	}
	p, ok1 := elems(pat)
	r, ok2 := elems(req)
	if !ok1 || !ok2 {
		return triUnknown
	}
	if !intersects(p, r) {
		return triFalse
	}
	switch includes(p, r) {
	case 1:
		return triTrue
	}
	return triUnknown
}

// intersects reports whether some string matches both globs.
func intersects(p, r []gelem) bool {
	n, m := len(p), len(r)
	seen := make([]bool, (n+1)*(m+1))
	stack := [][2]int{{0, 0}}
	push := func(i, j int) {
		if !seen[i*(m+1)+j] {
			seen[i*(m+1)+j] = true
			stack = append(stack, [2]int{i, j})
		}
	}
	seen[0] = true
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, j := s[0], s[1]
		if i == n && j == m {
			return true
		}
		// A star may match nothing.
		if i < n && p[i].kind == tokStar {
			push(i+1, j)
		}
		if j < m && r[j].kind == tokStar {
			push(i, j+1)
		}
		if i == n || j == m {
			continue
		}
		// Both consume one byte.
		a, b := p[i], r[j]
		switch {
		case a.kind == tokStar && b.kind == tokStar:
			// Both stay: nothing new.
		case a.kind == tokStar:
			push(i, j+1)
		case b.kind == tokStar:
			push(i+1, j)
		case a.kind == tokOne || b.kind == tokOne || a.c == b.c:
			push(i+1, j+1)
		}
	}
	return false
}

// includes returns 1 when every string matching r matches p, 0 when some
// does not, and -1 when the question is too large to answer here (a pattern
// of 64 bytes or more, or more than globLimit states).
func includes(p, r []gelem) int {
	n, m := len(p), len(r)
	if n >= 64 {
		return -1
	}
	// The bytes that can tell pattern positions apart: the literal bytes of
	// p, and one byte p does not name, standing for all the others.
	var lits [128]bool
	var alphabet []byte
	for _, e := range p {
		if e.kind == tokLit && !lits[e.c] {
			lits[e.c] = true
			alphabet = append(alphabet, e.c)
		}
	}
	for c := byte(1); c < 128; c++ {
		if !lits[c] {
			alphabet = append(alphabet, c)
			break
		}
	}
	// A set of pattern positions is a bit mask; a star's position implies
	// the next one (the star may match nothing).
	closure := func(set uint64) uint64 {
		for i := 0; i < n; i++ {
			if set&(1<<i) != 0 && p[i].kind == tokStar {
				set |= 1 << (i + 1)
			}
		}
		return set
	}
	step := func(set uint64, c byte) uint64 {
		var out uint64
		for i := 0; i < n; i++ {
			if set&(1<<i) == 0 {
				continue
			}
			switch e := p[i]; {
			case e.kind == tokStar:
				out |= 1 << i
			case e.kind == tokOne || e.c == c:
				out |= 1 << (i + 1)
			}
		}
		return closure(out)
	}
	type state struct {
		j   int
		set uint64
	}
	start := state{0, closure(1)}
	seen := map[state]bool{start: true}
	stack := []state{start}
	push := func(s state) {
		if !seen[s] {
			seen[s] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		if len(seen) > globLimit {
			return -1
		}
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.set == 0 {
			// No pattern position is left: some string of r with this
			// prefix matches nothing (r has a completion from here: its
			// remaining literals, its stars empty).
			return 0
		}
		if s.j == m {
			if s.set&(1<<n) == 0 {
				return 0
			}
			continue
		}
		switch e := r[s.j]; e.kind {
		case tokStar:
			for _, c := range alphabet {
				push(state{s.j, step(s.set, c)})
			}
			// Tried first (the stack is last in, first out): the leaf
			// being empty is the likeliest counterexample.
			push(state{s.j + 1, s.set})
		default:
			push(state{s.j + 1, step(s.set, e.c)})
		}
	}
	return 1
}

// unknownResource compiles a request resource holding unknown leaves. arnOK
// is cleared when a leaf is in the first five fields: the fields of its
// values are then not known, and only the whole ARN can be compared. It
// returns why the request cannot be evaluated, or "".
func unknownResource(req *Request, arn *[arnSegments]string, arnOK *bool) (*unknownText, string) {
	u, ok := parseUnknown(req.Resource, false, false)
	if !ok {
		return nil, "resource " + strconv.Quote(req.Resource) + ": " + errUnclosedLeaf.Error()
	}
	if *arnOK {
		for i := 0; i < arnSegments-1; i++ {
			if hasUnknown(arn[i]) {
				*arnOK = false
			}
		}
	}
	if !*arnOK && req.ResourceAccount == "" {
		// The account would default to the ARN's account field; guessing
		// it would pick the same-account or the cross-account rules blind.
		return nil, "resource " + strconv.Quote(req.Resource) + " has an unknown part before its resource field: set ResourceAccount"
	}
	return &u, ""
}

// matchUnknownResource matches a Resource entry against a request resource
// holding unknown leaves: true when every value of the leaves matches,
// false when none does, unknown (with the leaves noted) otherwise.
func (ev *evaluator) matchUnknownResource(rp *resourcePattern) tri {
	var out tri
	switch {
	case rp.unk != nil:
		// Both sides unknown: a match is possible or not; never certain.
		out = triFalse
		p, ok1 := elems(rp.unk.toks)
		r, ok2 := elems(ev.resUnk.toks)
		if !ok1 || !ok2 || intersects(p, r) {
			ev.noteLeaves(rp.unk)
			out = triUnknown
		}
	case rp.tmpl != nil:
		toks, st := ev.expandGlob(rp.tmpl)
		switch st {
		case varUnknown:
			return triUnknown
		case varMissing:
			return triFalse
		}
		g := compileARNGlob(toks, true)
		out = ev.unknownARNMatch(&g)
	default:
		out = ev.unknownARNMatch(&rp.arn)
	}
	if out == triUnknown {
		ev.noteLeaves(ev.resUnk)
	}
	return out
}

// unknownARNMatch matches a compiled ARN pattern against the request's
// resource with unknown leaves. With the first five fields known and no
// field stretching over colons, the answer is exact: those fields are
// matched as known text, and the resource field glob against glob. Otherwise
// the pattern is compared as one glob over the whole ARN, a star crossing
// colons: a superset of its matches, so a "none" is sound and anything else
// is unknown.
func (ev *evaluator) unknownARNMatch(g *arnGlob) tri {
	switch {
	case g.any:
		return triTrue
	case !g.ok:
		return triFalse
	case ev.resExact && g.span == 0 && g.fields == nil:
		// prefix holds the five fields and the resource field's literal
		// start; rest is the remainder of the resource field.
		toks := append([]gtok{{kind: tokLit, s: g.prefix}}, g.rest.toks...)
		return globVsGlob(toks, ev.resUnk.toks)
	case ev.resExact && g.span == 0:
		for i := 0; i < arnSegments-1; i++ {
			if !g.fields[i].match(ev.arn[i], false) {
				return triFalse
			}
		}
		return globVsGlob(g.fields[arnSegments-1].toks, ev.resField5)
	}
	p, ok1 := elems(g.wholeToks())
	r, ok2 := elems(ev.resUnk.toks)
	if ok1 && ok2 && !intersects(p, r) {
		return triFalse
	}
	return triUnknown
}

// wholeToks returns the pattern as one glob over the whole ARN, each star
// free to cross colons: every ARN the pattern matches matches it.
func (g *arnGlob) wholeToks() []gtok {
	if g.fields == nil {
		return append([]gtok{{kind: tokLit, s: g.prefix}}, g.rest.toks...)
	}
	n := arnSegments
	if g.span > 0 {
		n = g.span
	}
	var toks []gtok
	for i := 0; i < n; i++ {
		if i > 0 {
			toks = append(toks, gtok{kind: tokLit, s: ":"})
		}
		toks = append(toks, g.fields[i].toks...)
	}
	if n < arnSegments {
		toks = appendStar(toks)
	}
	return toks
}
