// Package iam is an offline implementation of the AWS IAM policy language and of
// AWS's documented request-evaluation logic: identity-based policies, permissions
// boundaries, session policies, resource-based policies (bucket and key policies),
// SCPs and RCPs at every level of an organization, VPC endpoint policies and KMS
// grants.
//
// The package knows nothing about Terraform or the AWS SDK. Callers parse each
// policy document once (Parse), then evaluate many requests against sets of
// compiled policies (Evaluate).
//
// # Values not known
//
// Evaluation is three-valued. A request context key may be marked unknown
// (Context.SetUnknown), and any string of a policy document, or part of one,
// may be an unknown leaf: the marker UnknownLeaf(id), where id names where
// the value comes from (a Terraform expression, say). A leaf may stand in an
// Action, NotAction, Resource, NotResource, Principal or NotPrincipal entry,
// in a condition value and as a condition key; the request's resource ARN may
// hold leaves too (arn:aws:s3:::libs/<leaf>). A leaf stands for every string
// it could be, wildcards included in a policy, and a Result is Allowed,
// ExplicitlyDenied or ImplicitlyDenied only when that decision holds for
// every value of every leaf (ImplicitlyDenied: no value allows, though a leaf
// may make it an explicit deny). Otherwise it is Unknown, and
// Result.UnknownLeaves (and UnknownKeys) name what it depends on. So an
// unknown element of an Allow never removes an explicit Deny, and an unknown
// condition value of a Deny makes that Deny a "maybe".
//
// A policy entry with a leaf is compared by its known text: it may match
// when its known text can (arn:aws:s3:::<leaf>/* may match any S3 object,
// arn:aws:s3:::logs-<leaf>/* no object of bucket data), and never matches
// for certain. A request resource with a leaf is matched exactly against
// a known Resource pattern, glob against glob: arn:aws:s3:::libs/* decides
// arn:aws:s3:::libs/<leaf> and arn:aws:s3:::libs/jobs/* does not. A pattern
// whose first five fields hold a star that may run over colons, or a leaf
// in the request's first five fields, is compared as one glob over the whole
// ARN, which can rule a match out but not in.
//
// Effect, Version and Sid must be known (a leaf there is a syntax error or
// plain text), and so must the request's action and principal.
//
// Policies without leaves pay little for this: the leaves are kept apart
// from the compiled patterns, and a request's resource is searched once for
// a marker. See ExampleUnknownLeaf.
package iam

import "errors"

// ErrPolicySyntax classes every error returned by Parse; callers branch on it with
// errors.Is. The concrete error is a *SyntaxError naming the JSON path.
var ErrPolicySyntax = errors.New("invalid policy document")

// Kind says what role a policy document plays. It decides which elements are
// required or forbidden when parsing (a resource-based policy needs Principal, an
// identity policy must not have one) and how the document takes part in evaluation.
type Kind int

const (
	KindIdentity  Kind = iota // inline or managed policy attached to a role or user
	KindBoundary              // permissions boundary (an identity-style document)
	KindSession               // session policy passed to AssumeRole
	KindResource              // resource-based policy: S3 bucket policy and the like
	KindKeyPolicy             // KMS key policy (a resource-based policy that is authoritative)
	KindSCP                   // service control policy (no Principal element)
	KindRCP                   // resource control policy (Principal "*" only)
	KindEndpoint              // VPC endpoint policy (a resource-based policy shape)
)

// Effect of a statement.
type Effect string

const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Decision is the outcome of evaluating one request.
type Decision int

const (
	Allowed Decision = iota
	ImplicitlyDenied
	ExplicitlyDenied
	// Unknown: the outcome depends on a request-context key marked unknown
	// (Context.SetUnknown), on an unknown leaf of a policy or of the
	// request's resource (UnknownLeaf); UnknownKeys and UnknownLeaves say
	// which.
	Unknown
)

// LayerKind names a policy layer of AWS's evaluation logic.
type LayerKind string

const (
	LayerIdentity  LayerKind = "identity"
	LayerBoundary  LayerKind = "boundary"
	LayerSession   LayerKind = "session"
	LayerResource  LayerKind = "resource"
	LayerKeyPolicy LayerKind = "kms-key-policy"
	LayerGrant     LayerKind = "kms-grant"
	LayerSCP       LayerKind = "scp"
	LayerRCP       LayerKind = "rcp"
	LayerEndpoint  LayerKind = "vpc-endpoint"
)

// Layer identifies one layer; Level is the 0-based organization level (root = 0,
// then each OU, then the account) for SCP and RCP layers and 0 otherwise.
type Layer struct {
	Kind  LayerKind `json:"kind"`
	Level int       `json:"level,omitempty"`
}

// Principal of a request: the caller. ARN is the caller's ARN as AWS sees it on the
// request (for a role, the assumed-role session ARN
// arn:aws:sts::<acct>:assumed-role/<role>/<session>). RoleARN is the IAM role ARN
// (with path) the session belongs to, empty for other principal types. Service is
// set instead of ARN for a service principal such as glue.amazonaws.com.
//
// A role never signs a request, its sessions do: an ARN naming the role itself
// (arn:aws:iam::<acct>:role/<path><role>) is evaluated as a session of that
// role whose name is not known, so that a resource policy granting the role ARN
// stays limited by the boundary and the session policy. When the request
// context holds aws:PrincipalArn, AWS's own name for the caller's role with its
// path, that ARN is the role matched against Principal and NotPrincipal; it
// must name the caller's role (CheckPrincipal), and a role whose path is
// aws-service-role/ is a service-linked role, which SCPs and RCPs do not
// restrict.
type Principal struct {
	ARN     string `json:"arn,omitempty"`
	RoleARN string `json:"role_arn,omitempty"`
	Account string `json:"account,omitempty"`
	Service string `json:"service,omitempty"`
}

// Request is one API call to authorize.
type Request struct {
	Principal Principal
	Action    string // "s3:GetObject"
	Resource  string // full ARN
	// ResourceAccount is the account that owns the resource. Required for S3 (S3
	// ARNs carry no account: a role or user request without it is refused with
	// a RequestError); defaults to the ARN's account field otherwise.
	ResourceAccount string
	Context         *Context
}

// Grant is a KMS grant on the key in the request.
type Grant struct {
	Label            string   // e.g. "aws_kms_grant.glue"
	GranteePrincipal string   // ARN of the grantee
	Operations       []string // "Decrypt", "GenerateDataKey", ...
	// EncryptionContextEquals / EncryptionContextSubset are the grant constraints;
	// nil means no constraint.
	EncryptionContextEquals map[string]string
	EncryptionContextSubset map[string]string
}

// Input holds every policy that applies to one request. Nil or empty fields mean
// the layer does not apply (no boundary, no session policy, no endpoint in the
// path, the principal's account is not governed by SCPs, ...).
type Input struct {
	Identity []*Policy
	Boundary *Policy
	Session  *Policy
	// Resource is the resource-based policy of the target: the bucket policy for
	// S3, the key policy for kms:* actions. For kms actions a nil key policy means
	// nothing grants (the key policy is authoritative).
	Resource *Policy
	// SCPs are the levels governing the principal's account, root first; each
	// level's policies are ORed for Allow. FullAWSAccess is not implicit. They
	// are not applied to a service principal caller, which no account governs.
	SCPs [][]*Policy
	// RCPs are the levels governing the resource's account; RCPFullAWSAccess is
	// implicit at every level, so only Deny statements matter.
	RCPs [][]*Policy
	// Endpoint is the VPC endpoint policy; non-nil means the request travels
	// through that endpoint.
	Endpoint *Policy
	Grants   []Grant
}

// StatementRef names one statement of one policy: the decisive statements of a
// result.
type StatementRef struct {
	Layer  Layer  `json:"layer"`
	Policy string `json:"policy"` // the policy's Label
	Index  int    `json:"index"`  // 0-based position in Statement
	Sid    string `json:"sid,omitempty"`
	Effect Effect `json:"effect"`
}

// Result of evaluating one request.
type Result struct {
	Decision Decision
	// DecidedBy is the layer whose statement (explicit deny), or whose missing
	// allow (implicit deny), decided; for Allowed the layer that granted.
	DecidedBy Layer
	// Statements are the decisive statements: the matching Deny statements for an
	// explicit deny; for Allowed the Allow statements that granted, one per layer
	// that had to allow; for Unknown the statements whose applicability depends
	// on an unknown key; none for an implicit deny. The slice may be shared
	// with other Results of the same policies: read it, never write to it.
	Statements []StatementRef
	// NotAllowedBy lists, for an implicit deny, every layer that failed to allow.
	NotAllowedBy []Layer
	// MissingContextKeys are condition keys that the deciding statements (or the
	// statements that could have matched) referenced but the request did not carry.
	MissingContextKeys []string
	// UnknownKeys are context keys marked unknown that the decision depended on.
	UnknownKeys []string
	// UnknownLeaves are the ids of the unknown leaves (UnknownLeaf) of the
	// policies and of the request's resource that an Unknown decision
	// depends on, sorted.
	UnknownLeaves []string
	// RequestError says why a malformed request could not be evaluated (its
	// Decision is then ImplicitlyDenied); "" otherwise.
	RequestError string
}
