package iam

// grantOutcome is the outcome of the grant step: whether some policy (or KMS
// grant) gives the caller the permission, which layer did, and otherwise which
// layers failed to allow.
type grantOutcome struct {
	ok       tri
	by       Layer
	path     grantPath    // when ok is true: the path cited
	grantRef StatementRef // the KMS grant, for pathKMSGrant
	failed   []Layer
	// unknown[unkLo:unkHi] are the unknown keys grant constraints referenced.
	unkLo, unkHi int
}

// grantPath is one way a request can be granted.
type grantPath uint8

const (
	pathIdentity      grantPath = iota // identity policies, capped by boundary and session policy
	pathIdentityKey                    // KMS same account: identity policies enabled by the key policy's root delegation
	pathCrossAccount                   // identity policies and the resource (key) policy
	pathResourceExact                  // resource policy naming the exact session or user
	pathResourceRole                   // resource policy naming the role or "*", capped by boundary and session policy
	pathKMSGrant
	pathService // a service principal allowed by the resource policy
)

// grant applies AWS's rules for who must allow a request once no Deny matched:
// identity policies (capped by boundary and session policy) and the resource
// policy, differently in the same account and across accounts; for KMS the key
// policy is authoritative and grants are a third way in.
func (ev *evaluator) grant(in *Input, isKMS bool, ident, bound, sess, res layerSum) grantOutcome {
	caps := bound.allow.and(sess.allow)
	viaIAM := ident.allow.and(caps)
	sameAccount := ev.resAccount == "" || ev.resAccount == ev.account
	resRole, resExact, resAcct := res.allowBy[pmRole], res.allowBy[pmExact], res.allowBy[pmAccount]

	// Candidate paths in the order results prefer to cite them.
	type candidate struct {
		path grantPath
		ok   tri
	}
	var buf [4]candidate
	paths := buf[:0]
	switch {
	case ev.req.Principal.Service != "":
		// A service principal has no identity policies: only the resource
		// policy can grant.
		paths = append(paths, candidate{pathService, resExact.or(resRole)})
	case sameAccount && isKMS:
		// Only the key policy's root delegation makes IAM policies count.
		paths = append(paths,
			candidate{pathIdentityKey, viaIAM.and(resAcct)},
			candidate{pathResourceExact, resExact},
			candidate{pathResourceRole, resRole.and(caps)})
	case sameAccount:
		paths = append(paths,
			candidate{pathIdentity, viaIAM},
			candidate{pathResourceExact, resExact},
			candidate{pathResourceRole, resRole.and(caps)})
	default:
		// Across accounts both sides must allow: the caller's IAM policies and
		// the resource (or key) policy naming the caller, its role or account.
		paths = append(paths, candidate{pathCrossAccount, viaIAM.and(resAcct.or(resRole).or(resExact))})
	}
	o := grantOutcome{ok: triFalse}
	if isKMS && ev.req.Principal.Service == "" {
		var ok tri
		o.unkLo = len(ev.unknown)
		ok, o.grantRef = ev.kmsGrants(in.Grants)
		o.unkHi = len(ev.unknown)
		paths = append(paths, candidate{pathKMSGrant, ok})
	}

	for _, c := range paths {
		o.ok = o.ok.or(c.ok)
	}
	if o.ok == triFalse {
		o.failed = ev.failedLayers(in, isKMS, sameAccount, ident, bound, sess, res)
		o.by = o.failed[0]
		return o
	}
	for _, c := range paths {
		if c.ok != o.ok {
			continue
		}
		o.by = res.layer
		switch c.path {
		case pathIdentity, pathIdentityKey, pathCrossAccount:
			o.by = ident.layer
		case pathKMSGrant:
			o.by = Layer{Kind: LayerGrant}
		}
		o.path = c.path
		break
	}
	return o
}

// appendPathHits appends the hits of the Allow statements that granted
// through path p, one per layer that had to allow. A KMS grant is no
// statement: the caller cites it.
func (ev *evaluator) appendPathHits(hs []*hit, in *Input, p grantPath, ident, bound, sess, res layerSum) []*hit {
	switch p {
	case pathResourceExact:
		return ev.appendFirstAllow(hs, &res, pmExact)
	case pathResourceRole:
		hs = ev.appendFirstAllow(hs, &res, pmRole)
	case pathService:
		return ev.appendFirstAllow(hs, &res, pmNone)
	case pathKMSGrant:
		return hs
	default:
		hs = ev.appendFirstAllow(hs, &ident, pmNone)
	}
	if in.Boundary != nil {
		hs = ev.appendFirstAllow(hs, &bound, pmNone)
	}
	if in.Session != nil {
		hs = ev.appendFirstAllow(hs, &sess, pmNone)
	}
	switch p {
	case pathIdentityKey:
		hs = ev.appendFirstAllow(hs, &res, pmAccount)
	case pathCrossAccount:
		hs = ev.appendFirstAllow(hs, &res, pmNone)
	}
	return hs
}

// failedLayers names, for a request nothing granted, each layer that did not
// allow: the one AWS's message cites comes first.
func (ev *evaluator) failedLayers(in *Input, isKMS, sameAccount bool, ident, bound, sess, res layerSum) []Layer {
	var out []Layer
	resAllows := res.allowBy[pmRole].or(res.allowBy[pmExact])
	if isKMS || !sameAccount {
		resAllows = resAllows.or(res.allowBy[pmAccount])
	}
	if ev.req.Principal.Service != "" {
		return []Layer{res.layer}
	}
	if isKMS && resAllows == triFalse {
		out = append(out, res.layer)
	}
	// When the identity policies or the resource policy did allow, the
	// boundary or session policy is what cut the grant: cite it first.
	capsFirst := ident.allow != triFalse || sameAccount && res.allowBy[pmRole] != triFalse
	if !capsFirst && ident.allow == triFalse {
		out = append(out, ident.layer)
	}
	if !isKMS && !sameAccount && resAllows == triFalse {
		out = append(out, res.layer)
	}
	if in.Boundary != nil && bound.allow == triFalse {
		out = append(out, bound.layer)
	}
	if in.Session != nil && sess.allow == triFalse {
		out = append(out, sess.layer)
	}
	if capsFirst && ident.allow == triFalse {
		out = append(out, ident.layer)
	}
	if len(out) == 0 {
		// Each grant path above fails through one of the listed layers; this
		// keeps DecidedBy defined should a new path break that.
		out = append(out, ident.layer)
	}
	return out
}
