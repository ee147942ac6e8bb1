package iam

import (
	"fmt"
	"strings"
)

var decisionNames = [...]string{
	Allowed:          "Allowed",
	ImplicitlyDenied: "ImplicitlyDenied",
	ExplicitlyDenied: "ExplicitlyDenied",
	Unknown:          "Unknown",
}

// String returns "Allowed", "ImplicitlyDenied", "ExplicitlyDenied" or "Unknown".
func (d Decision) String() string {
	if d >= 0 && int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return fmt.Sprintf("Decision(%d)", int(d))
}

// String names a policy kind as AWS's documentation does.
func (k Kind) String() string {
	switch k {
	case KindIdentity:
		return "identity-based"
	case KindBoundary:
		return "permissions boundary"
	case KindSession:
		return "session"
	case KindResource:
		return "resource-based"
	case KindKeyPolicy:
		return "key"
	case KindSCP:
		return "service control"
	case KindRCP:
		return "resource control"
	case KindEndpoint:
		return "VPC endpoint"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// policyNoun names a policy of kind k with its article: "an identity-based
// policy", "a key policy".
func (k Kind) policyNoun() string { return withArticle(k.String() + " policy") }

// policyNoun is how AWS's AccessDenied messages name a layer.
func policyNoun(k LayerKind) string {
	switch k {
	case LayerIdentity:
		return "identity-based policy"
	case LayerBoundary:
		return "permissions boundary"
	case LayerSession:
		return "session policy"
	case LayerResource, LayerKeyPolicy:
		return "resource-based policy"
	case LayerGrant:
		return "KMS grant"
	case LayerSCP:
		return "service control policy"
	case LayerRCP:
		return "resource control policy"
	case LayerEndpoint:
		return "VPC endpoint policy"
	}
	return "policy"
}

// Explain renders the result the way AWS words its AccessDenied messages:
// "<principal> is not authorized to perform: <action> on resource: <arn> because
// no identity-based policy allows the <action> action".
func (r Result) Explain(req *Request) string {
	if req == nil {
		req = &Request{}
	}
	who := req.Principal.ARN
	if who == "" {
		who = req.Principal.Service
	}
	if r.RequestError != "" {
		return fmt.Sprintf("the request cannot be evaluated: %s", r.RequestError)
	}
	head := fmt.Sprintf("%s is not authorized to perform: %s on resource: %s", who, req.Action, req.Resource)
	switch r.Decision {
	case Allowed:
		s := fmt.Sprintf("%s is authorized to perform: %s on resource: %s", who, req.Action, req.Resource)
		for _, st := range r.Statements {
			if st.Layer.Kind == r.DecidedBy.Kind {
				return s + ": allowed by " + describe(st)
			}
		}
		return s
	case ExplicitlyDenied:
		return fmt.Sprintf("%s with an explicit deny in %s", head, withArticle(policyNoun(r.DecidedBy.Kind)))
	case ImplicitlyDenied:
		return fmt.Sprintf("%s because no %s allows the %s action", head, policyNoun(r.DecidedBy.Kind), req.Action)
	}
	if len(r.UnknownLeaves) > 0 {
		return fmt.Sprintf("%s is possibly not authorized to perform: %s on resource: %s: the decision depends on unknown values of %v and on the unknown values %v in %s",
			who, req.Action, strings.ReplaceAll(req.Resource, "\x00", "?"), r.UnknownKeys, r.UnknownLeaves, withArticle(policyNoun(r.DecidedBy.Kind)))
	}
	return fmt.Sprintf("%s is possibly not authorized to perform: %s on resource: %s: the decision depends on unknown values of %v in %s",
		who, req.Action, req.Resource, r.UnknownKeys, withArticle(policyNoun(r.DecidedBy.Kind)))
}

// withArticle prefixes a noun phrase with "a" or "an".
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// describe names one statement: policy label, index and Sid.
func describe(s StatementRef) string {
	out := fmt.Sprintf("%s %q statement %d", policyNoun(s.Layer.Kind), s.Policy, s.Index)
	if s.Sid != "" {
		out += fmt.Sprintf(" (Sid %q)", s.Sid)
	}
	return out
}
