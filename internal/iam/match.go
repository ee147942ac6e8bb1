package iam

import (
	"strings"
	"unicode/utf8"
)

// Glob tokens. Wildcards written in a policy become tokStar/tokOne; text that
// must match literally (including "*" produced by the ${*} escape or by a
// substituted variable) stays inside a tokLit.
const (
	tokLit = iota
	tokStar
	tokOne
)

type gtok struct {
	kind uint8
	s    string
}

// glob is a compiled wildcard pattern: "*" matches any run of characters
// (including none), "?" exactly one character.
type glob struct {
	toks []gtok
}

// tokenize compiles pattern text in which every "*" and "?" is a wildcard.
func tokenize(pattern string) []gtok {
	if pattern == "" {
		return nil
	}
	return appendTokens(make([]gtok, 0, tokenBound(pattern)), pattern)
}

// tokenBound is the most tokens pattern text compiles to: each wildcard adds
// itself and at most one literal before it.
func tokenBound(pattern string) int {
	wild := 0
	for i := 0; i < len(pattern); i++ {
		if c := pattern[i]; c == '*' || c == '?' {
			wild++
		}
	}
	return 2*wild + 1
}

// appendTokens appends the tokens of pattern text to dst.
func appendTokens(dst []gtok, pattern string) []gtok {
	first, start := len(dst), 0
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '*' && c != '?' {
			continue
		}
		if i > start {
			dst = append(dst, gtok{kind: tokLit, s: pattern[start:i]})
		}
		if c == '*' {
			// Consecutive stars are one star; collapsing them keeps backtracking linear.
			if n := len(dst); n == first || dst[n-1].kind != tokStar {
				dst = append(dst, gtok{kind: tokStar})
			}
		} else {
			dst = append(dst, gtok{kind: tokOne})
		}
		start = i + 1
	}
	if start < len(pattern) {
		dst = append(dst, gtok{kind: tokLit, s: pattern[start:]})
	}
	return dst
}

// match matches s against the pattern. With fold, literal pattern text (already
// lower-cased with asciiLower) is compared ASCII case-insensitively.
func (g glob) match(s string, fold bool) bool {
	toks := g.toks
	// Fast paths for the common shapes: a literal and a lone star.
	if len(toks) == 1 {
		switch toks[0].kind {
		case tokStar:
			return true
		case tokLit:
			return len(s) == len(toks[0].s) && hasPrefix(s, toks[0].s, fold)
		}
	}
	ti, si := 0, 0
	starTi, starSi := -1, 0
	for {
		if ti < len(toks) {
			t := toks[ti]
			switch t.kind {
			case tokStar:
				if ti == len(toks)-1 {
					return true // a trailing star takes the rest
				}
				starTi, starSi = ti, si
				ti++
				continue
			case tokOne:
				if si < len(s) {
					_, size := utf8.DecodeRuneInString(s[si:])
					si += size
					ti++
					continue
				}
			default:
				if hasPrefix(s[si:], t.s, fold) {
					si += len(t.s)
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		// Mismatch: let the last star absorb one more character and retry.
		if starTi < 0 || starSi >= len(s) {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[starSi:])
		starSi += size
		if next := toks[starTi+1]; next.kind == tokLit {
			// Skip straight to the next place the literal after the star occurs.
			i := indexLit(s[starSi:], next.s, fold)
			if i < 0 {
				return false
			}
			starSi += i
		}
		si = starSi
		ti = starTi + 1
	}
}

// indexLit finds lit in s (ASCII case-insensitively with fold).
func indexLit(s, lit string, fold bool) int {
	if !fold {
		return strings.Index(s, lit)
	}
	for i := 0; i+len(lit) <= len(s); i++ {
		if hasPrefix(s[i:], lit, true) {
			return i
		}
	}
	return -1
}

// hasPrefix reports whether s starts with lit; with fold, lit is lower-case
// ASCII and s is compared ASCII case-insensitively.
func hasPrefix(s, lit string, fold bool) bool {
	if len(s) < len(lit) {
		return false
	}
	if !fold {
		return s[:len(lit)] == lit
	}
	for i := 0; i < len(lit); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lit[i] {
			return false
		}
	}
	return true
}

// asciiLower lower-cases ASCII letters only, so that byte lengths never change
// and matching with hasPrefix(fold) stays byte-aligned.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// arnSegments is the number of colon-separated ARN fields; the last keeps any
// further colons (arn:partition:service:region:account:resource).
const arnSegments = 6

// arnGlob is an ARN pattern compiled field by field, so that a wildcard in one
// field never spills into the next; only the last field's "*" crosses ":" and
// "/".
type arnGlob struct {
	any bool // a bare "*": matches anything, ARN or not
	ok  bool // false when the pattern cannot match any ARN (too few fields)
	// span, when non-zero, is the number of fields of a Resource pattern that
	// IAM's rule for a "*" ending a field applies to: such a "*" expands beyond
	// the colon boundaries. It is set when the pattern has fewer than six
	// fields ("arn:aws:s3:*" covers every S3 ARN) or when one of its first
	// five fields ends in "*"; fields then holds every field and matchSpan
	// decides.
	span int
	// When the first five fields hold no wildcard, prefix is their text with
	// the colons followed by the literal text that starts the resource field
	// ("arn:aws:s3:::etl-scripts/jobs/" for "arn:aws:s3:::etl-scripts/jobs/*"),
	// and rest is the resource field's pattern after that literal: one string
	// comparison replaces five glob matches and the start of the sixth.
	// fields is then nil.
	prefix string
	rest   glob
	fields *[arnSegments]glob // every field, when the head has wildcards
}

// compileARNPattern compiles an ARN pattern of an ArnEquals/ArnLike condition:
// each of the six fields is matched on its own. Only a bare "*" matches any
// value; "**" is an ARN pattern with one field.
func compileARNPattern(pattern string) arnGlob {
	if pattern == "*" {
		return arnGlob{any: true}
	}
	// compileARNGlob copies the tokens, so they can live on the stack.
	var buf [16]gtok
	return compileARNGlob(appendTokens(buf[:0], pattern), false)
}

// compileResourcePattern compiles a Resource or NotResource entry. It differs
// from an ArnLike value in one documented way: a "*" that ends a field may run
// over the following colons (see arnGlob.span).
func compileResourcePattern(pattern string) arnGlob {
	if pattern == "*" {
		return arnGlob{any: true}
	}
	var buf [16]gtok
	return compileARNGlob(appendTokens(buf[:0], pattern), true)
}

// compileARNGlob splits a token stream into ARN fields at the first five
// colons found in literal text. With resource set, a "*" ending one of the
// first five fields may run over colons (see arnGlob.span).
func compileARNGlob(toks []gtok, resource bool) arnGlob {
	var segs [arnSegments]glob
	// Fields fill in order, so they share one buffer: splitting at the five
	// colons adds at most five tokens.
	buf := make([]gtok, 0, len(toks)+arnSegments-1)
	seg, start := 0, 0
	next := func() {
		if len(buf) > start {
			segs[seg].toks = buf[start:len(buf):len(buf)]
		}
		seg, start = seg+1, len(buf)
	}
	for _, t := range toks {
		if t.kind != tokLit || seg == arnSegments-1 {
			buf = append(buf, t)
			continue
		}
		s := t.s
		for seg < arnSegments-1 {
			j := strings.IndexByte(s, ':')
			if j < 0 {
				break
			}
			if j > 0 {
				buf = append(buf, gtok{kind: tokLit, s: s[:j]})
			}
			next()
			s = s[j+1:]
		}
		if s != "" {
			buf = append(buf, gtok{kind: tokLit, s: s})
		}
	}
	if len(buf) > start {
		segs[seg].toks = buf[start:]
	}
	if resource {
		n, expands := seg+1, false
		for i := 0; i < n && i < arnSegments-1; i++ {
			expands = expands || segs[i].endsWithStar()
		}
		switch {
		case expands:
			return arnGlob{ok: true, span: n, fields: &segs}
		case n < arnSegments:
			return arnGlob{} // too few fields and none can stretch
		}
	}
	if seg < arnSegments-1 {
		return arnGlob{}
	}
	g := arnGlob{ok: true}
	for i := 0; i < arnSegments-1; i++ {
		if toks := segs[i].toks; len(toks) > 1 || len(toks) == 1 && toks[0].kind != tokLit {
			g.fields = &segs
			return g
		}
	}
	// The first token of the resource field, when literal, must match at its
	// very start (no wildcard comes before it), so it joins the prefix.
	tail := segs[arnSegments-1].toks
	var lead string
	if len(tail) > 0 && tail[0].kind == tokLit {
		lead, tail = tail[0].s, tail[1:]
	}
	if len(tail) > 0 {
		g.rest.toks = tail
	}
	var prefix strings.Builder
	size := arnSegments - 1 + len(lead)
	for i := 0; i < arnSegments-1; i++ {
		for _, t := range segs[i].toks {
			size += len(t.s)
		}
	}
	prefix.Grow(size)
	for i := 0; i < arnSegments-1; i++ {
		if toks := segs[i].toks; len(toks) == 1 {
			prefix.WriteString(toks[0].s)
		}
		prefix.WriteByte(':')
	}
	prefix.WriteString(lead)
	g.prefix = prefix.String()
	return g
}

// match matches an ARN split by awsid.SplitARN; full is the whole ARN. arnOK false means the request resource is
// not an ARN, which only a bare "*" matches.
func (g *arnGlob) match(arn *[arnSegments]string, full string, arnOK bool) bool {
	if g.any {
		return true
	}
	if !g.ok || !arnOK {
		return false
	}
	if g.span > 0 {
		return g.matchSpan(full)
	}
	if g.fields == nil {
		// The prefix holds exactly the five colons of the first five fields,
		// so a full ARN that starts with it has the same first five fields.
		n := len(g.prefix)
		if len(g.rest.toks) == 0 {
			return full == g.prefix
		}
		return len(full) >= n && full[:n] == g.prefix && g.rest.match(full[n:], false)
	}
	// The resource and service fields differ most often: test them first.
	for _, i := range [...]int{5, 2, 4, 3, 1, 0} {
		if !g.fields[i].match(arn[i], false) {
			return false
		}
	}
	return true
}

// endsWithStar reports whether the glob's last token is a wildcard "*".
func (g *glob) endsWithStar() bool {
	return len(g.toks) > 0 && g.toks[len(g.toks)-1].kind == tokStar
}

// matchSpan matches the whole ARN s against a pattern whose fields ending in
// "*" may run over colons. The ARN is cut at every colon into pieces; a field
// matches one piece, and a field ending in "*" may also take the pieces that
// follow. The sixth field (the resource) takes all the rest, colons included;
// the last field of a shorter pattern takes the rest only when it ends in "*".
// reach holds, per field, the pieces it may start at: a forward pass over the
// fields keeps the work linear in fields times pieces squared.
func (g *arnGlob) matchSpan(s string) bool {
	var startBuf [16]int
	starts := append(startBuf[:0], 0) // offset of each piece
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			starts = append(starts, i+1)
		}
	}
	np := len(starts)
	piece := func(k int) string {
		if k == np-1 {
			return s[starts[k]:]
		}
		return s[starts[k] : starts[k+1]-1]
	}
	var reachBuf, nextBuf [2]uint64
	reach, next := reachBuf[:], nextBuf[:]
	if words := (np + 63) / 64; words > len(reachBuf) {
		reach, next = make([]uint64, words), make([]uint64, words)
	}
	reach[0] = 1
	for i := 0; i < g.span; i++ {
		f := &g.fields[i]
		last, stretch := i == g.span-1, f.endsWithStar()
		clear(next)
		any := false
		for k := 0; k < np; k++ {
			if reach[k/64]&(1<<(k%64)) == 0 {
				continue
			}
			switch {
			case last && g.span == arnSegments:
				if f.match(s[starts[k]:], false) {
					return true
				}
			case last:
				if (k == np-1 || stretch) && f.match(piece(k), false) {
					return true
				}
			case k < np-1 && f.match(piece(k), false):
				any = true
				next[(k+1)/64] |= 1 << ((k + 1) % 64)
				for m := k + 2; stretch && m < np; m++ {
					next[m/64] |= 1 << (m % 64)
				}
			}
		}
		if !any {
			return false
		}
		reach, next = next, reach
	}
	return false
}

// Wildcard is a compiled IAM wildcard pattern: "*" matches any run of
// characters, "?" exactly one, and everything else itself, case-sensitively.
// It is the matcher policy evaluation uses, offered to the callers that
// match other text the same way (the action catalog, fix advice), so that
// IAM's wildcard rule is written once.
type Wildcard struct{ g glob }

// CompileWildcard compiles pattern; every "*" and "?" in it is a wildcard.
func CompileWildcard(pattern string) Wildcard { return Wildcard{glob{toks: tokenize(pattern)}} }

// Match reports whether s matches the pattern.
func (w Wildcard) Match(s string) bool { return w.g.match(s, false) }

// MatchWildcard reports whether s matches the IAM wildcard pattern.
func MatchWildcard(pattern, s string) bool { return CompileWildcard(pattern).Match(s) }
