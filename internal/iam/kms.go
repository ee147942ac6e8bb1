package iam

import "strings"

// encryptionContextPrefix is the lower-cased prefix of the condition keys that
// carry a KMS request's encryption context.
const encryptionContextPrefix = "kms:encryptioncontext:"

// kmsGrants reports whether a grant covers the request: its grantee is the
// caller's role or session, it lists the operation, and its encryption-context
// constraints hold.
func (ev *evaluator) kmsGrants(grants []Grant) (tri, StatementRef) {
	c := &ev.caller
	op := ev.req.Action[len("kms:"):]
	out := triFalse
	var ref StatementRef
	for i := range grants {
		g := &grants[i]
		if g.GranteePrincipal == "" || (g.GranteePrincipal != c.roleARN && g.GranteePrincipal != c.arn) {
			continue
		}
		listed := false
		for _, o := range g.Operations {
			if strings.EqualFold(o, op) {
				listed = true
				break
			}
		}
		if !listed {
			continue
		}
		ok := ev.grantConstraints(g)
		if ok != triFalse && out != triTrue {
			ref = StatementRef{Layer: Layer{Kind: LayerGrant}, Policy: g.Label, Index: i, Effect: Allow}
		}
		out = out.or(ok)
	}
	return out, ref
}

// grantConstraints checks EncryptionContextEquals (the request's context is
// exactly the map) and EncryptionContextSubset (the request's context
// includes the map).
func (ev *evaluator) grantConstraints(g *Grant) tri {
	if g.EncryptionContextEquals == nil && g.EncryptionContextSubset == nil || !takesEncryptionContext(ev.req.Action) {
		return triTrue
	}
	out := triTrue
	want := g.EncryptionContextEquals
	if want == nil {
		want = g.EncryptionContextSubset
	}
	for k, v := range want {
		e, ok := ev.ctx.lookup(newCtxKey(encryptionContextPrefix + k))
		switch {
		case ok && e.unknown:
			ev.noteUnknown("kms:EncryptionContext:" + k)
			out = out.and(triUnknown)
		case !ok || len(e.values) != 1 || e.values[0] != v:
			return triFalse
		}
	}
	if g.EncryptionContextEquals != nil && ev.ctx != nil {
		// No pair beyond the constraint's may be present.
		for e := range ev.ctx.each {
			rest, found := strings.CutPrefix(e.key.lower, encryptionContextPrefix)
			if !found {
				continue
			}
			if _, listed := lookupFold(g.EncryptionContextEquals, rest); !listed {
				if e.unknown {
					ev.noteUnknown(e.name)
					out = out.and(triUnknown)
					continue
				}
				return triFalse
			}
		}
	}
	return out
}

// lookupFold finds a map key case-insensitively (context keys are stored
// lower-cased).
func lookupFold(m map[string]string, lkey string) (string, bool) {
	for k, v := range m {
		if strings.ToLower(k) == lkey {
			return v, true
		}
	}
	return "", false
}

// takesEncryptionContext reports whether a kms action is one of the
// cryptographic operations that accept an encryption context. KMS documents
// that grant constraints apply only to those; other operations a grant allows
// (DescribeKey, RetireGrant, ...) ignore the constraints.
func takesEncryptionContext(action string) bool {
	switch strings.ToLower(action[len("kms:"):]) {
	case "encrypt", "decrypt", "reencryptfrom", "reencryptto", "generatedatakey", "generatedatakeywithoutplaintext",
		"generatedatakeypair", "generatedatakeypairwithoutplaintext":
		return true
	}
	return false
}
