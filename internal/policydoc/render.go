package policydoc

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// sidPattern is the provider's validation of statement.sid.
var sidPattern = regexp.MustCompile(`^[a-zA-Z0-9]*$`)

// Render returns the data source's `json` (indented by two spaces) and
// `minified_json` for doc, or the error the provider would report.
//
// Order of operations, as in the provider: merge every source document in
// order (their non-empty Sids must be unique across all of them), then the
// document built from the configuration, then every override document in
// order. A statement whose Sid matches an already merged one replaces it in
// place; statements without Sid are appended.
func Render(doc Document) (pretty, minified string, err error) {
	merged := &wireDoc{}
	sourceSids := map[string]bool{}
	for i, src := range doc.SourcePolicyDocuments {
		d, err := parseDocument(src)
		if err != nil {
			return "", "", fmt.Errorf("source_policy_documents[%d]: %w", i, err)
		}
		for j, st := range d.Statements {
			if st.Sid == "" {
				continue
			}
			if sourceSids[st.Sid] {
				return "", "", fmt.Errorf("source_policy_documents[%d] statement %d: %w %q across source documents", i, j, ErrDuplicateSid, st.Sid)
			}
			sourceSids[st.Sid] = true
		}
		merged.merge(d)
	}

	current, err := buildDocument(doc)
	if err != nil {
		return "", "", err
	}
	merged.merge(current)

	for i, src := range doc.OverridePolicyDocuments {
		d, err := parseDocument(src)
		if err != nil {
			return "", "", fmt.Errorf("override_policy_documents[%d]: %w", i, err)
		}
		merged.merge(d)
	}

	prettyJSON, err := json.MarshalIndent(merged, "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("encoding merged policy document: %w", err)
	}
	minifiedJSON, err := json.Marshal(merged)
	if err != nil {
		return "", "", fmt.Errorf("encoding merged policy document: %w", err)
	}
	return string(prettyJSON), string(minifiedJSON), nil
}

// merge folds next into d: next's Id wins when set, the greater Version wins
// (the two valid versions compare correctly as strings), and each statement
// of next replaces the first statement with the same non-empty Sid or is
// appended.
func (d *wireDoc) merge(next *wireDoc) {
	if next.Id != "" {
		d.Id = next.Id
	}
	if next.Version > d.Version {
		d.Version = next.Version
	}
	for _, st := range next.Statements {
		i := -1
		if st.Sid != "" {
			i = slices.IndexFunc(d.Statements, func(existing *wireStatement) bool { return existing.Sid == st.Sid })
		}
		if i >= 0 {
			d.Statements[i] = st
		} else {
			d.Statements = append(d.Statements, st)
		}
	}
}

// parseDocument reads a source or override document the way the provider
// does: keys match case-insensitively, unknown keys are ignored, and element
// values keep their JSON shape and order.
func parseDocument(src string) (*wireDoc, error) {
	var d wireDoc
	if err := json.Unmarshal([]byte(src), &d); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPolicyJSON, err)
	}
	for i, st := range d.Statements {
		if st == nil {
			return nil, fmt.Errorf("%w: statement %d is null", ErrPolicyJSON, i)
		}
	}
	return &d, nil
}

// buildDocument turns the configuration's own arguments into a document.
func buildDocument(doc Document) (*wireDoc, error) {
	version := doc.Version
	if version == "" {
		version = DefaultVersion
	}
	if version != Version2008 && version != Version2012 {
		return nil, fmt.Errorf("%w: version %q is neither %q nor %q", ErrInvalidArgument, version, Version2008, Version2012)
	}
	out := &wireDoc{Version: version, Id: doc.PolicyID}
	sids := map[string]bool{}
	for i, cfg := range doc.Statements {
		st, err := buildStatement(cfg, version)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, fmt.Errorf("statement %d: %w %q", i, ErrDuplicateSid, st.Sid)
			}
			sids[st.Sid] = true
		}
		out.Statements = append(out.Statements, st)
	}
	return out, nil
}

func buildStatement(cfg Statement, version string) (*wireStatement, error) {
	if !sidPattern.MatchString(cfg.Sid) {
		return nil, fmt.Errorf("%w: sid %q must only include alphanumeric characters", ErrInvalidArgument, cfg.Sid)
	}
	effect := cfg.Effect
	if effect == "" {
		effect = "Allow"
	}
	if effect != "Allow" && effect != "Deny" {
		return nil, fmt.Errorf("%w: effect %q is neither \"Allow\" nor \"Deny\"", ErrInvalidArgument, effect)
	}
	st := &wireStatement{Sid: cfg.Sid, Effect: effect}
	var err error
	if len(cfg.Actions) > 0 {
		st.Actions = stringSet(cfg.Actions)
	}
	if len(cfg.NotActions) > 0 {
		st.NotActions = stringSet(cfg.NotActions)
	}
	if len(cfg.Resources) > 0 {
		if st.Resources, err = replaceVarsIn(stringSet(cfg.Resources), version); err != nil {
			return nil, fmt.Errorf("resources: %w", err)
		}
	}
	if len(cfg.NotResources) > 0 {
		if st.NotResources, err = replaceVarsIn(stringSet(cfg.NotResources), version); err != nil {
			return nil, fmt.Errorf("not_resources: %w", err)
		}
	}
	if len(cfg.Principals) > 0 {
		if st.Principals, err = buildPrincipals(cfg.Principals, version); err != nil {
			return nil, fmt.Errorf("principals: %w", err)
		}
	}
	if len(cfg.NotPrincipals) > 0 {
		if st.NotPrincipals, err = buildPrincipals(cfg.NotPrincipals, version); err != nil {
			return nil, fmt.Errorf("not_principals: %w", err)
		}
	}
	if len(cfg.Conditions) > 0 {
		if st.Conditions, err = buildConditions(cfg.Conditions, version); err != nil {
			return nil, fmt.Errorf("condition: %w", err)
		}
	}
	return st, nil
}

// buildPrincipals keeps one block per distinct (type, identifier set), in
// the order the provider's SDK lists set elements, which decides how
// identifiers of blocks sharing a type are concatenated.
func buildPrincipals(blocks []Principal, version string) (wirePrincipals, error) {
	keyed := make([]hashedElem[Principal], 0, len(blocks))
	for _, p := range blocks {
		ids := uniqueSorted(p.Identifiers)
		var b strings.Builder
		b.WriteString("identifiers:{")
		for _, id := range sdkSetOrder(ids) {
			b.WriteString(id + ";")
		}
		b.WriteString("};type:" + p.Type + ";")
		keyed = append(keyed, hashedElem[Principal]{key: b.String(), value: Principal{Type: p.Type, Identifiers: ids}})
	}
	var out wirePrincipals
	for _, p := range sdkOrder(keyed) {
		ids, err := replaceVarsIn(stringSet(p.Identifiers), version)
		if err != nil {
			return nil, fmt.Errorf("type %q identifiers: %w", p.Type, err)
		}
		out = append(out, wirePrincipal{Type: p.Type, Identifiers: ids})
	}
	return out, nil
}

// buildConditions keeps one block per distinct (test, variable, values), in
// the SDK's set order, which decides how values of blocks sharing test and
// variable are concatenated.
func buildConditions(blocks []Condition, version string) (wireConditions, error) {
	keyed := make([]hashedElem[Condition], 0, len(blocks))
	for _, c := range blocks {
		var b strings.Builder
		b.WriteString("test:" + c.Test + ";values:(")
		for _, v := range c.Values {
			b.WriteString(v + ";")
		}
		b.WriteString(");variable:" + c.Variable + ";")
		keyed = append(keyed, hashedElem[Condition]{key: b.String(), value: c})
	}
	var out wireConditions
	for _, c := range sdkOrder(keyed) {
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			r, err := replaceVars(v, version)
			if err != nil {
				return nil, fmt.Errorf("%s %q values: %w", c.Test, c.Variable, err)
			}
			vals[i] = r
		}
		var values any = vals
		if len(vals) == 1 {
			values = vals[0]
		}
		out = append(out, wireCondition{Test: c.Test, Variable: c.Variable, Values: values})
	}
	return out, nil
}

// stringSet renders a configured set of strings: one element as a string,
// several in descending order.
func stringSet(in []string) any {
	l := uniqueSorted(in)
	if len(l) == 1 {
		return l[0]
	}
	slices.Reverse(l)
	return l
}

// replaceVarsIn rewrites `&{` to `${` in a value built by stringSet. The
// rewrite happens after sorting, as in the provider, so the order is that of
// the configured strings.
func replaceVarsIn(v any, version string) (any, error) {
	switch v := v.(type) {
	case string:
		return replaceVars(v, version)
	case []string:
		out := make([]string, len(v))
		for i, s := range v {
			r, err := replaceVars(s, version)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	default:
		return nil, fmt.Errorf("element of type %T", v)
	}
}

// replaceVars turns the `&{aws:username}` spelling, which Terraform does not
// interpolate, into the IAM policy variable `${aws:username}`. Policy
// variables need version 2012-10-17.
func replaceVars(s, version string) (string, error) {
	if !strings.Contains(s, "&{") {
		return s, nil
	}
	if version == Version2008 {
		return "", fmt.Errorf("%w: %q uses &{...}, which version %s does not support", ErrInvalidArgument, s, Version2008)
	}
	return strings.ReplaceAll(s, "&{", "${"), nil
}

func uniqueSorted(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

// hashedElem is a set element with the SDK's serialization of it.
type hashedElem[T any] struct {
	key   string
	value T
}

// sdkOrder returns the distinct elements in the order terraform-plugin-sdk's
// schema.Set lists them: by the decimal string of the CRC-32 of their
// serialization, compared as strings. Equal serializations are one element.
// The serialization breaks hash ties so the order stays deterministic.
func sdkOrder[T any](elems []hashedElem[T]) []T {
	type ranked struct {
		code string
		elem hashedElem[T]
	}
	rs := make([]ranked, 0, len(elems))
	for _, e := range elems {
		rs = append(rs, ranked{code: strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(e.key))), 10), elem: e})
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if c := strings.Compare(a.code, b.code); c != 0 {
			return c
		}
		return strings.Compare(a.elem.key, b.elem.key)
	})
	rs = slices.CompactFunc(rs, func(a, b ranked) bool { return a.elem.key == b.elem.key })
	out := make([]T, len(rs))
	for i, r := range rs {
		out[i] = r.elem.value
	}
	return out
}

// sdkSetOrder orders distinct strings as the SDK lists a set of strings,
// whose elements serialize as the string followed by ";".
func sdkSetOrder(ss []string) []string {
	elems := make([]hashedElem[string], len(ss))
	for i, s := range ss {
		elems[i] = hashedElem[string]{key: s + ";", value: s}
	}
	return sdkOrder(elems)
}
