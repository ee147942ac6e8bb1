// Package simulate reads request files — one IAM request plus every policy that
// governs it, written as JSON — and decides them offline with the iam engine. It
// backs the `glueaccess simulate` command and the engine's scenario corpus.
//
// The file format is documented in docs/simulate.md.
package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// ErrInvalidRequestFile classes every error about the shape of a request file
// (unknown field, wrong type, missing value). Policy documents that fail to parse
// wrap iam.ErrPolicySyntax instead.
var ErrInvalidRequestFile = errors.New("invalid request file")

// FileError is an error located in a request file: File is the file name given to
// Decode, Path the JSON path of the offending value ("identity_policies[0]",
// "request.context[\"aws:SourceVpce\"]"), empty when the whole file is at fault.
type FileError struct {
	File string
	Path string
	Err  error
}

func (e *FileError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Err.Error()
	}
	return e.File + ": " + e.Path + ": " + e.Err.Error()
}

func (e *FileError) Unwrap() error { return e.Err }

// Case is one decoded request file.
type Case struct {
	File    string
	Input   *iam.Input
	Request *iam.Request
	// Why is the file's one-line statement of the AWS rule the case exercises.
	Why string
	// Expect is the expected result; nil when the file states none.
	Expect *Expectation
}

// Expectation is what a request file says the engine must decide.
type Expectation struct {
	Decision iam.Decision
	// DecidedBy is nil when the file does not state it.
	DecidedBy *iam.Layer
	// Statements are the expected decisive statements, compared as a set; nil when
	// the file does not state them (an empty, non-nil slice expects none).
	Statements []ExpectedStatement
}

// ExpectedStatement names one decisive statement by policy label and position.
type ExpectedStatement struct {
	Policy string
	Index  int
	Sid    string
}

func (s ExpectedStatement) String() string {
	if s.Sid == "" {
		return fmt.Sprintf("%s#%d", s.Policy, s.Index)
	}
	return fmt.Sprintf("%s#%d(%s)", s.Policy, s.Index, s.Sid)
}

// Load reads and decodes the request file at path.
func Load(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{File: path, Err: fmt.Errorf("read request file: %w", err)}
	}
	return Decode(path, data)
}

// Decode decodes a request file. name labels the file in errors and in the Case.
// Every policy document is parsed with the iam.Kind its position implies.
func Decode(name string, data []byte) (*Case, error) {
	d := decoder{file: name}
	c, err := d.decodeCase(data)
	if err != nil {
		return nil, err
	}
	c.File = name
	return c, nil
}

type decoder struct{ file string }

// fail builds a FileError at path whose cause wraps ErrInvalidRequestFile.
func (d decoder) fail(path, format string, args ...any) error {
	return &FileError{File: d.file, Path: path, Err: fmt.Errorf("%w: %s", ErrInvalidRequestFile, fmt.Sprintf(format, args...))}
}

// object decodes raw as a JSON object whose keys must all be in allowed; unknown
// keys are an error so that a misspelt field never silently changes a decision.
func (d decoder) object(raw json.RawMessage, path string, allowed ...string) (map[string]json.RawMessage, error) {
	if !isKind(raw, '{') {
		return nil, d.fail(path, "expected a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, d.fail(path, "%v", err)
	}
	// Sorted so that the first unknown field reported does not depend on map order.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(allowed, k) {
			return nil, d.fail(join(path, k), "unknown field (allowed: %s)", strings.Join(allowed, ", "))
		}
	}
	return m, nil
}

func (d decoder) decodeCase(data []byte) (*Case, error) {
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, &FileError{File: d.file, Err: fmt.Errorf("%w: not valid JSON: %v", ErrInvalidRequestFile, err)}
	}
	top, err := d.object(data, "", "request", "identity_policies", "permission_boundary", "resource_policy",
		"scps", "rcps", "vpc_endpoint_policy", "session_policy", "kms_grants", "why", "expect")
	if err != nil {
		return nil, err
	}
	rawReq, ok := top["request"]
	if !ok {
		return nil, d.fail("request", "missing required field")
	}
	req, err := d.request(rawReq)
	if err != nil {
		return nil, err
	}
	in, err := d.input(top, isKMSAction(req.Action))
	if err != nil {
		return nil, err
	}
	c := &Case{Input: in, Request: req}
	if raw, ok := top["why"]; ok {
		if c.Why, err = d.str(raw, "why"); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["expect"]; ok {
		if c.Expect, err = d.expectation(raw); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// arnParts parses an ARN whose partition, service and resource are not empty;
// the resource keeps any further colons. ok is false for anything else.
func arnParts(s string) (awsid.ARN, bool) {
	a, ok := awsid.ParseARN(s)
	if !ok || a.Partition == "" || a.Service == "" || a.Resource == "" {
		return awsid.ARN{}, false
	}
	return a, true
}

func (d decoder) request(raw json.RawMessage) (*iam.Request, error) {
	m, err := d.object(raw, "request", "principal", "principal_role_arn", "principal_service",
		"action", "resource", "resource_account", "context")
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	for _, k := range []string{"principal", "principal_role_arn", "principal_service", "action", "resource", "resource_account"} {
		if v, ok := m[k]; ok {
			s, err := d.str(v, "request."+k)
			if err != nil {
				return nil, err
			}
			if s == "" {
				return nil, d.fail("request."+k, "must not be empty")
			}
			fields[k] = s
		}
	}
	req := &iam.Request{Action: fields["action"], Resource: fields["resource"]}
	if req.Action == "" {
		return nil, d.fail("request.action", "missing required field")
	}
	if req.Principal, err = d.principal(fields); err != nil {
		return nil, err
	}
	if req.Resource == "" {
		return nil, d.fail("request.resource", "missing required field")
	}
	parts, ok := arnParts(req.Resource)
	if !ok {
		return nil, d.fail("request.resource", "%q is not an ARN", req.Resource)
	}
	req.ResourceAccount = parts.Account
	if acct, ok := fields["resource_account"]; ok {
		if !awsid.IsAccountID(acct) {
			return nil, d.fail("request.resource_account", "%q is not a 12-digit account id", acct)
		}
		if parts.Account != "" && parts.Account != acct {
			return nil, d.fail("request.resource_account", "%q differs from account %q in the resource ARN", acct, parts.Account)
		}
		req.ResourceAccount = acct
	}
	if req.ResourceAccount == "" && parts.Service == "s3" {
		return nil, d.fail("request.resource_account", "required for S3 resources: S3 ARNs carry no account")
	}
	req.Context = iam.NewContext()
	if raw, ok := m["context"]; ok {
		if err := d.context(raw, req.Context); err != nil {
			return nil, err
		}
	}
	if msg := iam.CheckPrincipal(&req.Principal, req.Context); msg != "" {
		return nil, d.fail("request.context", "%s", msg)
	}
	return req, nil
}

// principal builds the caller from "principal" (an ARN) or "principal_service".
// For an assumed-role session the role ARN is derived from the session ARN (no
// path) unless principal_role_arn names it.
func (d decoder) principal(f map[string]string) (iam.Principal, error) {
	arn, hasARN := f["principal"]
	svc, hasSvc := f["principal_service"]
	roleARN, hasRole := f["principal_role_arn"]
	switch {
	case hasARN && hasSvc:
		return iam.Principal{}, d.fail("request", "principal and principal_service are mutually exclusive")
	case hasSvc:
		if hasRole {
			return iam.Principal{}, d.fail("request.principal_role_arn", "not allowed with principal_service")
		}
		if !isServicePrincipal(svc) {
			return iam.Principal{}, d.fail("request.principal_service", "%q is not a service principal (want e.g. glue.amazonaws.com)", svc)
		}
		return iam.Principal{Service: svc}, nil
	case !hasARN:
		return iam.Principal{}, d.fail("request.principal", "missing required field (or principal_service)")
	case isServicePrincipal(arn):
		// A service calling with its own identity, as resource policies
		// allow (Principal {"Service": "glue.amazonaws.com"}).
		if hasRole {
			return iam.Principal{}, d.fail("request.principal_role_arn", "not allowed with a service principal")
		}
		return iam.Principal{Service: arn}, nil
	}
	parts, ok := arnParts(arn)
	if !ok || !awsid.IsAccountID(parts.Account) {
		return iam.Principal{}, d.fail("request.principal", "%q is not a principal ARN with a 12-digit account", arn)
	}
	p := iam.Principal{ARN: arn, Account: parts.Account}
	switch {
	case parts.Service == "sts" && strings.HasPrefix(parts.Resource, "assumed-role/"):
		_, role, _, ok := awsid.ParseAssumedRoleARN(arn)
		if !ok {
			return iam.Principal{}, d.fail("request.principal", "%q: want arn:<partition>:sts::<account>:assumed-role/<role>/<session>", arn)
		}
		p.RoleARN = awsid.RoleARN(parts.Partition, parts.Account, role)
		if hasRole {
			rp, name, ok := awsid.ParseRoleARN(roleARN)
			if !ok || rp.Partition != parts.Partition || rp.Account != parts.Account || name != role {
				return iam.Principal{}, d.fail("request.principal_role_arn", "%q is not the ARN of role %q in account %s (partition %s)", roleARN, role, parts.Account, parts.Partition)
			}
			p.RoleARN = roleARN
		}
	case parts.Service == "iam" && strings.HasPrefix(parts.Resource, "role/"):
		if hasRole {
			return iam.Principal{}, d.fail("request.principal_role_arn", "only for assumed-role session principals")
		}
		p.RoleARN = arn
	case hasRole:
		return iam.Principal{}, d.fail("request.principal_role_arn", "only for assumed-role session principals")
	}
	return p, nil
}

// isServicePrincipal reports whether s names an AWS service principal
// (glue.amazonaws.com, logging.s3.amazonaws.com).
func isServicePrincipal(s string) bool {
	name, ok := strings.CutSuffix(s, ".amazonaws.com")
	return ok && name != "" && !strings.ContainsAny(name, ":/ ")
}

// context fills ctx from a JSON object of key → string or array of strings. Keys
// are case-insensitive in IAM, so two spellings of one key are rejected.
func (d decoder) context(raw json.RawMessage, ctx *iam.Context) error {
	if !isKind(raw, '{') {
		return d.fail("request.context", "expected a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return d.fail("request.context", "%v", err)
	}
	seen := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		path := fmt.Sprintf("request.context[%q]", k)
		if k == "" {
			return d.fail(path, "empty condition key")
		}
		if prev, dup := seen[strings.ToLower(k)]; dup {
			return d.fail(path, "same key as %q (condition keys are case-insensitive)", prev)
		}
		seen[strings.ToLower(k)] = k
		values, err := d.strings(m[k], path)
		if err != nil {
			return err
		}
		ctx.Set(k, values...)
	}
	return nil
}

// input parses every policy document with the kind its position implies and
// labels it by that position.
func (d decoder) input(top map[string]json.RawMessage, kmsAction bool) (*iam.Input, error) {
	in := &iam.Input{}
	var err error
	if raw, ok := top["identity_policies"]; ok {
		if in.Identity, err = d.policyList(raw, "identity_policies", iam.KindIdentity); err != nil {
			return nil, err
		}
	}
	resourceKind := iam.KindResource
	if kmsAction {
		resourceKind = iam.KindKeyPolicy
	}
	singles := []struct {
		field string
		kind  iam.Kind
		dst   **iam.Policy
	}{
		{"permission_boundary", iam.KindBoundary, &in.Boundary},
		{"session_policy", iam.KindSession, &in.Session},
		{"resource_policy", resourceKind, &in.Resource},
		{"vpc_endpoint_policy", iam.KindEndpoint, &in.Endpoint},
	}
	for _, s := range singles {
		raw, ok := top[s.field]
		if !ok || isKind(raw, 'n') {
			continue
		}
		if *s.dst, err = d.policy(raw, s.field, s.kind); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["scps"]; ok {
		if in.SCPs, err = d.levels(raw, "scps", iam.KindSCP); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["rcps"]; ok {
		if in.RCPs, err = d.levels(raw, "rcps", iam.KindRCP); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["kms_grants"]; ok {
		if in.Grants, err = d.grants(raw); err != nil {
			return nil, err
		}
	}
	return in, nil
}

func (d decoder) policy(raw json.RawMessage, label string, kind iam.Kind) (*iam.Policy, error) {
	if !isKind(raw, '{') {
		return nil, d.fail(label, "a policy document must be a JSON object")
	}
	p, err := iam.Parse(raw, kind, label)
	var se *iam.SyntaxError
	switch {
	case errors.As(err, &se):
		// Report the full JSON path from the top of the file rather than the
		// engine's path inside the document prefixed by the label.
		return nil, &FileError{File: d.file, Path: join(label, se.Path), Err: fmt.Errorf("%w: %s", iam.ErrPolicySyntax, se.Msg)}
	case err != nil:
		return nil, &FileError{File: d.file, Path: label, Err: err}
	}
	return p, nil
}

func (d decoder) array(raw json.RawMessage, path string) ([]json.RawMessage, error) {
	if isKind(raw, 'n') {
		return nil, nil
	}
	if !isKind(raw, '[') {
		return nil, d.fail(path, "expected a JSON array")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, d.fail(path, "%v", err)
	}
	return items, nil
}

func (d decoder) policyList(raw json.RawMessage, path string, kind iam.Kind) ([]*iam.Policy, error) {
	items, err := d.array(raw, path)
	if err != nil {
		return nil, err
	}
	var out []*iam.Policy
	for i, item := range items {
		p, err := d.policy(item, fmt.Sprintf("%s[%d]", path, i), kind)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// levels decodes an organization path: an array of levels, root first, each an
// array of policy documents.
func (d decoder) levels(raw json.RawMessage, path string, kind iam.Kind) ([][]*iam.Policy, error) {
	items, err := d.array(raw, path)
	if err != nil {
		return nil, err
	}
	out := make([][]*iam.Policy, 0, len(items))
	for i, item := range items {
		levelPath := fmt.Sprintf("%s[%d]", path, i)
		if !isKind(item, '[') {
			return nil, d.fail(levelPath, "expected an array of policy documents (one level of the organization)")
		}
		level, err := d.policyList(item, levelPath, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, level)
	}
	return out, nil
}

func (d decoder) grants(raw json.RawMessage) ([]iam.Grant, error) {
	items, err := d.array(raw, "kms_grants")
	if err != nil {
		return nil, err
	}
	var out []iam.Grant
	for i, item := range items {
		path := fmt.Sprintf("kms_grants[%d]", i)
		m, err := d.object(item, path, "grantee_principal", "operations", "constraints")
		if err != nil {
			return nil, err
		}
		g := iam.Grant{Label: path}
		raw, ok := m["grantee_principal"]
		if !ok {
			return nil, d.fail(path+".grantee_principal", "missing required field")
		}
		if g.GranteePrincipal, err = d.str(raw, path+".grantee_principal"); err != nil {
			return nil, err
		}
		if raw, ok = m["operations"]; !ok {
			return nil, d.fail(path+".operations", "missing required field")
		}
		if g.Operations, err = d.strings(raw, path+".operations"); err != nil {
			return nil, err
		}
		if len(g.Operations) == 0 {
			return nil, d.fail(path+".operations", "a grant needs at least one operation")
		}
		if raw, ok := m["constraints"]; ok {
			cm, err := d.object(raw, path+".constraints", "encryption_context_equals", "encryption_context_subset")
			if err != nil {
				return nil, err
			}
			if raw, ok := cm["encryption_context_equals"]; ok {
				if g.EncryptionContextEquals, err = d.stringMap(raw, path+".constraints.encryption_context_equals"); err != nil {
					return nil, err
				}
			}
			if raw, ok := cm["encryption_context_subset"]; ok {
				if g.EncryptionContextSubset, err = d.stringMap(raw, path+".constraints.encryption_context_subset"); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, g)
	}
	return out, nil
}

var decisions = map[string]iam.Decision{
	"Allowed":          iam.Allowed,
	"ImplicitlyDenied": iam.ImplicitlyDenied,
	"ExplicitlyDenied": iam.ExplicitlyDenied,
}

var layerKinds = map[iam.LayerKind]bool{
	iam.LayerIdentity: true, iam.LayerBoundary: true, iam.LayerSession: true, iam.LayerResource: true,
	iam.LayerKeyPolicy: true, iam.LayerGrant: true, iam.LayerSCP: true, iam.LayerRCP: true, iam.LayerEndpoint: true,
}

func (d decoder) expectation(raw json.RawMessage) (*Expectation, error) {
	m, err := d.object(raw, "expect", "decision", "decided_by", "statements")
	if err != nil {
		return nil, err
	}
	rawDecision, ok := m["decision"]
	if !ok {
		return nil, d.fail("expect.decision", "missing required field")
	}
	s, err := d.str(rawDecision, "expect.decision")
	if err != nil {
		return nil, err
	}
	e := &Expectation{}
	if e.Decision, ok = decisions[s]; !ok {
		return nil, d.fail("expect.decision", "%q: want Allowed, ImplicitlyDenied or ExplicitlyDenied", s)
	}
	if raw, ok := m["decided_by"]; ok {
		if e.DecidedBy, err = d.layer(raw, "expect.decided_by"); err != nil {
			return nil, err
		}
	}
	if raw, ok := m["statements"]; ok {
		items, err := d.array(raw, "expect.statements")
		if err != nil {
			return nil, err
		}
		e.Statements = make([]ExpectedStatement, 0, len(items))
		for i, item := range items {
			st, err := d.expectedStatement(item, fmt.Sprintf("expect.statements[%d]", i))
			if err != nil {
				return nil, err
			}
			e.Statements = append(e.Statements, st)
		}
	}
	return e, nil
}

func (d decoder) layer(raw json.RawMessage, path string) (*iam.Layer, error) {
	m, err := d.object(raw, path, "kind", "level")
	if err != nil {
		return nil, err
	}
	rawKind, ok := m["kind"]
	if !ok {
		return nil, d.fail(path+".kind", "missing required field")
	}
	kind, err := d.str(rawKind, path+".kind")
	if err != nil {
		return nil, err
	}
	l := &iam.Layer{Kind: iam.LayerKind(kind)}
	if !layerKinds[l.Kind] {
		return nil, d.fail(path+".kind", "unknown layer %q", kind)
	}
	if raw, ok := m["level"]; ok {
		if l.Level, err = d.index(raw, path+".level"); err != nil {
			return nil, err
		}
		if l.Level != 0 && l.Kind != iam.LayerSCP && l.Kind != iam.LayerRCP {
			return nil, d.fail(path+".level", "only scp and rcp layers have organization levels")
		}
	}
	return l, nil
}

func (d decoder) expectedStatement(raw json.RawMessage, path string) (ExpectedStatement, error) {
	m, err := d.object(raw, path, "policy", "index", "sid")
	if err != nil {
		return ExpectedStatement{}, err
	}
	var st ExpectedStatement
	rawPolicy, ok := m["policy"]
	if !ok {
		return st, d.fail(path+".policy", "missing required field")
	}
	if st.Policy, err = d.str(rawPolicy, path+".policy"); err != nil {
		return st, err
	}
	rawIndex, ok := m["index"]
	if !ok {
		return st, d.fail(path+".index", "missing required field")
	}
	if st.Index, err = d.index(rawIndex, path+".index"); err != nil {
		return st, err
	}
	if raw, ok := m["sid"]; ok {
		if st.Sid, err = d.str(raw, path+".sid"); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (d decoder) str(raw json.RawMessage, path string) (string, error) {
	var s string
	if !isKind(raw, '"') || json.Unmarshal(raw, &s) != nil {
		return "", d.fail(path, "expected a string")
	}
	return s, nil
}

// strings accepts a string or an array of strings, the two forms IAM uses for
// multi-valued elements.
func (d decoder) strings(raw json.RawMessage, path string) ([]string, error) {
	if isKind(raw, '"') {
		s, err := d.str(raw, path)
		return []string{s}, err
	}
	var list []string
	if !isKind(raw, '[') || json.Unmarshal(raw, &list) != nil {
		return nil, d.fail(path, "expected a string or an array of strings")
	}
	return list, nil
}

func (d decoder) stringMap(raw json.RawMessage, path string) (map[string]string, error) {
	var m map[string]string
	if !isKind(raw, '{') || json.Unmarshal(raw, &m) != nil {
		return nil, d.fail(path, "expected an object of string values")
	}
	return m, nil
}

func (d decoder) index(raw json.RawMessage, path string) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err != nil || n < 0 {
		return 0, d.fail(path, "expected a non-negative integer")
	}
	return n, nil
}

// isKind reports whether raw's first non-space byte is c ('{', '[', '"', 'n').
func isKind(raw json.RawMessage, c byte) bool {
	t := bytes.TrimLeft(raw, " \t\r\n")
	return len(t) > 0 && t[0] == c
}

func isKMSAction(action string) bool {
	return len(action) >= 4 && strings.EqualFold(action[:4], "kms:")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
