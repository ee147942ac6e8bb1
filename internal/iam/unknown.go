package iam

import (
	"errors"
	"slices"
	"strings"
)

// Unknown leaves.
//
// A caller that renders a policy document before every value in it is known
// (a Terraform configuration at plan time) writes each string it cannot
// compute as UnknownLeaf(id), or embeds that marker inside a string it
// computes in part ("arn:aws:s3:::" + UnknownLeaf("var.bucket") + "/*"). The
// same marker may stand for a part of the request's resource ARN. The engine
// then evaluates three-valued: a leaf stands for every string it could be,
// and a result is decided only when all of them give the same decision;
// otherwise it is Unknown and Result.UnknownLeaves names the leaves it
// depends on.
//
// The marker is the leaf's id between two NUL characters. IAM stores policy
// documents only in the characters U+0009, U+000A, U+000D and U+0020 to
// U+00FF ("IAM API Reference", the PolicyDocument parameter), so no document
// AWS accepts can hold it.

// errUnclosedLeaf is the error for a marker without its closing NUL.
var errUnclosedLeaf = errors.New("unknown leaf marker is not closed (see iam.UnknownLeaf)")

// unknownMark delimits an unknown leaf's id.
const unknownMark = 0

// UnknownLeaf returns the marker that stands, in a policy document or in a
// request's resource ARN, for a string whose value is not known; id names it
// in Result.UnknownLeaves (NUL characters in id are dropped).
func UnknownLeaf(id string) string {
	return "\x00" + strings.ReplaceAll(id, "\x00", "") + "\x00"
}

// hasUnknown reports whether s holds an unknown leaf marker.
func hasUnknown(s string) bool { return strings.IndexByte(s, unknownMark) >= 0 }

// unknownText is a string holding unknown leaves, compiled.
type unknownText struct {
	// toks is the string as a glob in which each unknown leaf is a star: a
	// subject matches it when some value of the leaves could make the
	// string equal it (for a pattern: match it).
	toks []gtok
	ids  []string // the leaves, in order
	// whole: the string is one leaf, which could be any value, "*" included.
	whole bool
}

// parseUnknown compiles s, a string holding unknown leaf markers. With wild,
// "*" and "?" in the known text are wildcards (a pattern) and so is a policy
// variable (its value is a string not known here either); with fold, known
// text is lower-cased for a case-insensitive match. ok is false when a
// marker is not closed.
func parseUnknown(s string, wild, fold bool) (u unknownText, ok bool) {
	var toks []gtok
	lit := func(t string) {
		if t == "" {
			return
		}
		if fold {
			t = asciiLower(t)
		}
		if !wild {
			toks = append(toks, gtok{kind: tokLit, s: t})
			return
		}
		for t != "" {
			i := strings.Index(t, "${")
			if i < 0 {
				toks = appendTokens(toks, t)
				return
			}
			toks = appendTokens(toks, t[:i])
			end := strings.IndexByte(t[i:], '}')
			if end < 0 {
				toks = appendTokens(toks, t[i:])
				return
			}
			toks = appendStar(toks)
			t = t[i+end+1:]
		}
	}
	for {
		i := strings.IndexByte(s, unknownMark)
		if i < 0 {
			lit(s)
			break
		}
		end := strings.IndexByte(s[i+1:], unknownMark)
		if end < 0 {
			return unknownText{}, false
		}
		lit(s[:i])
		u.ids = append(u.ids, s[i+1:i+1+end])
		toks = appendStar(toks)
		u.whole = i == 0 && i+2+end == len(s) && len(u.ids) == 1
		s = s[i+2+end:]
	}
	u.toks = toks
	return u, true
}

// appendStar appends a star unless the last token is one.
func appendStar(toks []gtok) []gtok {
	if n := len(toks); n > 0 && toks[n-1].kind == tokStar {
		return toks
	}
	return append(toks, gtok{kind: tokStar})
}

// maybe reports whether some value of the leaves could make the string match
// subject; the caller treats that as unknown, never as a match, since other
// values would not.
func (u *unknownText) maybe(subject string, fold bool) bool {
	return glob{toks: u.toks}.match(subject, fold)
}

// noteLeaves records the leaves of u as unknown values the current
// statement depends on. They share ev.unknown with the unknown context keys,
// told apart by a leading NUL.
func (ev *evaluator) noteLeaves(u *unknownText) {
	for _, id := range u.ids {
		ev.unknown = append(ev.unknown, "\x00"+id)
	}
}

// maybeTri is unknown, with u's leaves noted, when some value of them could
// make the string match subject, and false otherwise.
func (ev *evaluator) maybeTri(u *unknownText, subject string, fold bool) tri {
	if u.maybe(subject, fold) {
		ev.noteLeaves(u)
		return triUnknown
	}
	return triFalse
}

// splitLeaves moves the unknown leaves out of a sorted list of unknown keys.
func splitLeaves(keys []string) (rest, leaves []string) {
	for _, k := range keys {
		if id, ok := strings.CutPrefix(k, "\x00"); ok {
			leaves = append(leaves, id)
		} else {
			rest = append(rest, k)
		}
	}
	slices.Sort(leaves)
	return rest, slices.Compact(leaves)
}
