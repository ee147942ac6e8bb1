// Package policydoc reproduces what the hashicorp/aws provider's
// data "aws_iam_policy_document" computes from its configuration: the same
// validation errors, the same merge of source and override documents, and
// byte-for-byte the same `json` and `minified_json` strings.
//
// The exact strings matter because Terraform compares them: a policy built
// here must equal the one the provider would produce, key order, array order
// and escaping included. Evaluation code must not depend on that order.
package policydoc

import (
	"errors"
	"hash/crc32"
	"strconv"
)

// Version strings the data source accepts; DefaultVersion applies when the
// version argument is not set.
const (
	Version2008    = "2008-10-17"
	Version2012    = "2012-10-17"
	DefaultVersion = Version2012
)

// Sentinel errors; every error Render returns wraps exactly one of them.
var (
	// ErrInvalidArgument: an argument the provider's schema validation would
	// reject (version, effect or sid value), or a `&{` variable under 2008-10-17.
	ErrInvalidArgument = errors.New("invalid aws_iam_policy_document argument")
	// ErrDuplicateSid: two statements of the configuration, or two statements
	// across source_policy_documents, share a non-empty Sid.
	ErrDuplicateSid = errors.New("duplicate policy statement sid")
	// ErrPolicyJSON: a source or override document is not a policy document
	// the provider can read.
	ErrPolicyJSON = errors.New("unreadable policy document json")
)

// Document is the configuration of one data "aws_iam_policy_document". Empty
// strings and nil slices stand for arguments that are not set.
type Document struct {
	// Version is "2008-10-17", "2012-10-17" or "" (the default, 2012-10-17).
	Version  string
	PolicyID string
	// SourcePolicyDocuments are merged first, in order.
	SourcePolicyDocuments []string
	// OverridePolicyDocuments are merged last, in order; later ones win.
	OverridePolicyDocuments []string
	// Statements are the statement blocks in configuration order.
	Statements []Statement
}

// Statement is one statement block. Actions, NotActions, Resources,
// NotResources, Principals, NotPrincipals and Conditions are sets in the
// provider's schema: their order and duplicates do not change the result.
type Statement struct {
	Sid string
	// Effect is "Allow", "Deny" or "" (the default, Allow).
	Effect        string
	Actions       []string
	NotActions    []string
	Resources     []string
	NotResources  []string
	Principals    []Principal
	NotPrincipals []Principal
	Conditions    []Condition
}

// Principal is one principals or not_principals block.
type Principal struct {
	Type        string
	Identifiers []string // a set
}

// Condition is one condition block. Values is a list: its order is kept.
type Condition struct {
	Test     string
	Variable string
	Values   []string
}

// ID returns the value the provider stores in the data source's `id`
// attribute for a rendered json string: the decimal CRC-32 (IEEE) checksum,
// which the SDK's string hash code yields unchanged on 64-bit platforms.
func ID(json string) string {
	return strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(json))), 10)
}
