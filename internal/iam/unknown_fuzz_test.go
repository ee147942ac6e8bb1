package iam

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Completions of the unknown leaves that the soundness checks try: short
// strings that hit the patterns of the generated policies in every way
// (wildcards, the empty string, actions, ARNs, an account, a role).
var (
	policyAlphabet  = []string{"", "*", "b", "k", "s3:GetObject", "s3:Put*", "arn:aws:s3:::b/*", "arn:aws:iam::111122223333:role/GlueJobRole", "111122223333", "a", "0", "e3"}
	requestAlphabet = []string{"", "k", "a/k", "*", "x:y"}
)

// unknownGen builds a random policy set and request from fuzz bytes, with
// unknown leaves in every element that may hold one.
type unknownGen struct {
	data   []byte
	leaves int // leaves used so far, named L0, L1, ...
}

func (g *unknownGen) pick(n int) int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b) % n
}

// leaf returns a new unknown leaf, or "" once three are in use (the brute
// force tries every combination of their values).
func (g *unknownGen) leaf() string {
	if g.leaves == 3 {
		return ""
	}
	g.leaves++
	return UnknownLeaf(fmt.Sprintf("L%d", g.leaves-1))
}

func (g *unknownGen) one(options ...func() any) any { return options[g.pick(len(options))]() }

func lit(v any) func() any { return func() any { return v } }

func (g *unknownGen) statement(resourceBased bool) map[string]any {
	st := map[string]any{"Effect": []string{"Allow", "Deny"}[g.pick(2)]}
	action := g.one(lit("s3:GetObject"), lit("s3:*"), lit("s3:Put*"), func() any { return g.leaf() }, func() any { return "s3:" + g.leaf() },
		func() any { return []string{"s3:PutObject", g.leaf()} })
	if g.pick(4) == 0 {
		st["NotAction"] = action
	} else {
		st["Action"] = action
	}
	res := g.one(lit("*"), lit("arn:aws:s3:::b/*"), lit("arn:aws:s3:::b/k"), lit("arn:aws:s3:::b/a/*"), func() any { return "arn:aws:s3:::" + g.leaf() },
		func() any { return g.leaf() }, func() any { return "arn:aws:s3:::b/" + g.leaf() + "*" }, lit("arn:aws:s3:::*/k"))
	if g.pick(4) == 0 {
		st["NotResource"] = res
	} else {
		st["Resource"] = res
	}
	if resourceBased {
		st["Principal"] = g.one(lit("*"), lit(map[string]any{"AWS": "arn:aws:iam::111122223333:role/GlueJobRole"}),
			func() any { return map[string]any{"AWS": g.leaf()} }, lit(map[string]any{"AWS": "111122223333"}),
			func() any { return map[string]any{"AWS": []string{"444455556666", g.leaf()}} },
			lit(map[string]any{"AWS": "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession"}))
		if st["Effect"] == "Deny" && g.pick(3) == 0 {
			p := st["Principal"]
			delete(st, "Principal")
			if p == "*" {
				p = map[string]any{"AWS": g.leaf()}
			}
			st["NotPrincipal"] = p
		}
	}
	if g.pick(2) == 0 {
		op := []string{"StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase", "ForAnyValue:StringLike", "Null", "ArnLike", "NumericLessThan"}[g.pick(9)]
		key := g.one(lit("s3:prefix"), lit("aws:PrincipalTag/team"), func() any { return g.leaf() })
		value := g.one(lit("a"), lit("a*"), func() any { return g.leaf() }, func() any { return "x" + g.leaf() }, lit("${aws:PrincipalTag/team}"))
		switch op {
		case "Null":
			value = g.one(lit("true"), lit("false"), func() any { return g.leaf() })
		case "NumericLessThan":
			key = g.one(lit("s3:max-keys"), func() any { return g.leaf() })
			value = g.one(lit("5"), func() any { return "1" + g.leaf() }, func() any { return g.leaf() })
		}
		if k, ok := key.(string); ok && k != "" {
			st["Condition"] = map[string]any{op: map[string]any{k: value}}
		}
	}
	return st
}

// policyDoc renders a generated document; the leaves' markers are escaped
// as \u0000 by encoding/json.
func policyDoc(stmts ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b)
}

// complete replaces every leaf marker of s, JSON-escaped (\u0000) or raw, by
// its value.
func complete(s string, values []string) string {
	for i, v := range values {
		id := fmt.Sprintf("L%d", i)
		s = strings.ReplaceAll(s, `\u0000`+id+`\u0000`, v)
		s = strings.ReplaceAll(s, "\x00"+id+"\x00", v)
	}
	return s
}

// unknownScenario is a generated request and its policies as JSON.
type unknownScenario struct {
	identity, boundary, resource, scp string
	resourceARN                       string
	ctx                               map[string]string
}

func (sc *unknownScenario) evaluate(values []string) (Result, bool) {
	parse := func(doc string, kind Kind, label string) (*Policy, bool) {
		if doc == "" {
			return nil, true
		}
		p, err := Parse([]byte(complete(doc, values)), kind, label)
		return p, err == nil
	}
	id, ok1 := parse(sc.identity, KindIdentity, "identity")
	bd, ok2 := parse(sc.boundary, KindBoundary, "boundary")
	rp, ok3 := parse(sc.resource, KindResource, "resource")
	scp, ok4 := parse(sc.scp, KindSCP, "scp")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		// A value AWS would not accept in that place: no completion.
		return Result{}, false
	}
	in := &Input{Identity: []*Policy{id}, Boundary: bd, Resource: rp}
	if scp != nil {
		in.SCPs = [][]*Policy{{scp}}
	}
	ctx := NewContext()
	for k, v := range sc.ctx {
		ctx.Set(k, v)
	}
	req := glueRequest(complete(sc.resourceARN, values), ctx)
	req.Resource = complete(sc.resourceARN, values)
	return Evaluate(in, req), true
}

func generateScenario(data []byte) (*unknownScenario, int) {
	g := &unknownGen{data: data}
	sc := &unknownScenario{ctx: map[string]string{}}
	sc.identity = policyDoc(g.statement(false), g.statement(false))
	if g.pick(3) == 0 {
		sc.boundary = policyDoc(g.statement(false))
	}
	if g.pick(2) == 0 {
		sc.resource = policyDoc(g.statement(true))
	}
	if g.pick(4) == 0 {
		sc.scp = policyDoc(g.statement(false))
	}
	sc.resourceARN = []string{"arn:aws:s3:::b/k", "arn:aws:s3:::b/a/k"}[g.pick(2)]
	if g.pick(2) == 0 {
		if l := g.leaf(); l != "" {
			sc.resourceARN = []string{"arn:aws:s3:::b/" + l, "arn:aws:s3:::b/a/" + l + "/k", "arn:aws:s3:::" + l}[g.pick(3)]
		}
	}
	if g.pick(2) == 0 {
		sc.ctx["s3:prefix"] = []string{"a", "ab", ""}[g.pick(3)]
	}
	if g.pick(3) == 0 {
		sc.ctx["aws:PrincipalTag/team"] = "a"
	}
	if g.pick(2) == 0 {
		sc.ctx["s3:max-keys"] = []string{"3", "10", "1000"}[g.pick(3)]
	}
	return sc, g.leaves
}

// FuzzUnknownSound checks the three-valued evaluation against brute force:
// for random policies and requests with unknown leaves, a decided result
// (Allowed, ExplicitlyDenied, ImplicitlyDenied) holds for every completion
// of the leaves drawn from a small alphabet (Allowed: each is Allowed;
// ExplicitlyDenied: each is; ImplicitlyDenied: none is Allowed), and an
// Unknown result names a leaf or a key.
func FuzzUnknownSound(f *testing.F) {
	for _, seed := range []string{"", "\x03\x00\x02", "\x01\x02\x05\x01\x01\x00\x00\x01\x04", "\x00\x03\x01\x02\x02\x00\x01\x05\x06\x00\x00\x00\x01\x00\x01",
		"\x01\x04\x00\x06\x01\x01\x02\x07\x00\x00\x02\x03\x04\x05\x06\x07\x00\x01\x00\x01\x00\x01", "\x01\x05\x00\x04\x00\x01\x02\x00\x03\x00\x00\x01\x00\x00\x00\x01\x00\x01\x00"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, leaves := generateScenario(data)
		// The three-valued run keeps the markers: no values.
		three, ok := sc.evaluate(nil)
		if !ok {
			return
		}
		if three.RequestError != "" {
			t.Fatalf("request error %q", three.RequestError)
		}
		if three.Decision == Unknown && len(three.UnknownLeaves) == 0 && len(three.UnknownKeys) == 0 {
			t.Fatalf("Unknown naming nothing")
		}
		values := make([]string, leaves)
		var walk func(i int)
		walk = func(i int) {
			if i < leaves {
				alphabet := policyAlphabet
				if strings.Contains(sc.resourceARN, fmt.Sprintf("\x00L%d\x00", i)) {
					alphabet = requestAlphabet
				}
				for _, v := range alphabet {
					values[i] = v
					walk(i + 1)
				}
				return
			}
			got, ok := sc.evaluate(values)
			if !ok {
				return
			}
			bad := false
			switch three.Decision {
			case Allowed:
				bad = got.Decision != Allowed
			case ExplicitlyDenied:
				bad = got.Decision != ExplicitlyDenied
			case ImplicitlyDenied:
				bad = got.Decision == Allowed
			}
			if bad {
				t.Fatalf("three-valued %v (leaves %v), but with %q: %v\nidentity %s\nboundary %s\nresource %s\nscp %s\nrequest %q %v",
					three.Decision, three.UnknownLeaves, values, got.Decision, sc.identity, sc.boundary, sc.resource, sc.scp, sc.resourceARN, sc.ctx)
			}
		}
		walk(0)
	})
}

// FuzzGlobVsGlob checks the glob-against-glob decision with brute force: a
// true answer holds for every completion of the request's unknown parts
// drawn from a small alphabet, a false one for none.
func FuzzGlobVsGlob(f *testing.F) {
	f.Add("libs/*", "libs/\x00a\x00")
	f.Add("libs/jobs/*", "libs/\x00a\x00")
	f.Add("a*b?c", "a\x00x\x00c")
	f.Add("*x*", "\x00a\x00y\x00b\x00")
	f.Fuzz(func(t *testing.T, pattern, request string) {
		if len(pattern) > 12 || len(request) > 12 || strings.Count(request, "\x00") > 4 {
			return
		}
		u, ok := parseUnknown(request, false, false)
		if !ok || strings.ContainsRune(pattern, 0) {
			return
		}
		got := globVsGlob(tokenize(pattern), u.toks)
		alphabet := []string{"", "a", "b", "x", "*", "ab", "?c", "aa"}
		for c := range pattern {
			alphabet = append(alphabet, pattern[c:c+1])
		}
		parts := strings.Split(request, "\x00")
		var walk func(i int, s string)
		walk = func(i int, s string) {
			if i == len(parts) {
				m := glob{toks: tokenize(pattern)}.match(s, false)
				if got == triTrue && !m || got == triFalse && m {
					t.Fatalf("globVsGlob(%q, %q) = %v, but %q: %v", pattern, request, got, s, m)
				}
				return
			}
			if i%2 == 0 {
				walk(i+1, s+parts[i])
				return
			}
			for _, v := range alphabet {
				walk(i+1, s+v)
			}
		}
		walk(0, "")
	})
}
