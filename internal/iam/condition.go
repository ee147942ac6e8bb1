package iam

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// opKind is the comparison a condition operator performs.
type opKind uint8

const (
	opStringEquals opKind = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike // ArnEquals and ArnLike both match field by field with wildcards
	opNull
)

type opInfo struct {
	kind    opKind
	negated bool
}

// operators maps lower-cased base operator names (without set prefix or
// IfExists) to their comparison.
var operators = map[string]opInfo{
	"stringequals":              {opStringEquals, false},
	"stringnotequals":           {opStringEquals, true},
	"stringequalsignorecase":    {opStringEqualsIgnoreCase, false},
	"stringnotequalsignorecase": {opStringEqualsIgnoreCase, true},
	"stringlike":                {opStringLike, false},
	"stringnotlike":             {opStringLike, true},
	"numericequals":             {opNumericEquals, false},
	"numericnotequals":          {opNumericEquals, true},
	"numericlessthan":           {opNumericLessThan, false},
	"numericlessthanequals":     {opNumericLessThanEquals, false},
	"numericgreaterthan":        {opNumericGreaterThan, false},
	"numericgreaterthanequals":  {opNumericGreaterThanEquals, false},
	"dateequals":                {opDateEquals, false},
	"datenotequals":             {opDateEquals, true},
	"datelessthan":              {opDateLessThan, false},
	"datelessthanequals":        {opDateLessThanEquals, false},
	"dategreaterthan":           {opDateGreaterThan, false},
	"dategreaterthanequals":     {opDateGreaterThanEquals, false},
	"bool":                      {opBool, false},
	"binaryequals":              {opBinaryEquals, false},
	"ipaddress":                 {opIPAddress, false},
	"notipaddress":              {opIPAddress, true},
	"arnequals":                 {opArnLike, false},
	"arnlike":                   {opArnLike, false},
	"arnnotequals":              {opArnLike, true},
	"arnnotlike":                {opArnLike, true},
	"null":                      {opNull, false},
}

// setMode is the ForAnyValue:/ForAllValues: qualifier.
type setMode uint8

const (
	setNone setMode = iota
	setAnyValue
	setAllValues
)

// condition is one (operator, key, values) triple of a Condition block.
type condition struct {
	kind     opKind
	negated  bool
	ifExists bool
	set      setMode
	key      string // as written
	lkey     ctxKey
	values   []condValue
	// unkKey is set when the condition key is an unknown leaf: the
	// condition could test any key, so its outcome is unknown.
	unkKey *unknownText
	vars   bool // some value holds a policy variable (Parse warns where IAM refuses one)
	// plain: no value holds a policy variable or an unknown leaf, so every
	// value is matched as compiled.
	plain bool
}

// condValue is one policy value, pre-parsed for its operator when it holds no
// policy variable.
type condValue struct {
	tmpl *template    // non-nil when the value holds variables: parsed per request
	unk  *unknownText // non-nil when the value holds unknown leaves

	str    string  // string operators, Bool (lower-cased), Null
	glob   glob    // StringLike
	num    float64 // Numeric*
	nanos  int64   // Date*: Unix nanoseconds
	prefix netip.Prefix
	bin    []byte
	arn    arnGlob
}

// parseOperator splits "ForAllValues:StringNotEqualsIfExists" into its parts.
func parseOperator(name string) (condition, error) {
	var c condition
	base := name
	if i := strings.IndexByte(base, ':'); i >= 0 {
		switch strings.ToLower(base[:i]) {
		case "foranyvalue":
			c.set = setAnyValue
		case "forallvalues":
			c.set = setAllValues
		default:
			return c, fmt.Errorf("unknown condition set qualifier %q", base[:i])
		}
		base = base[i+1:]
	}
	lower := strings.ToLower(base)
	if info, ok := operators[lower]; ok {
		c.kind, c.negated = info.kind, info.negated
		return c, nil
	}
	if trimmed, ok := strings.CutSuffix(lower, "ifexists"); ok {
		if info, ok := operators[trimmed]; ok && info.kind != opNull {
			c.kind, c.negated, c.ifExists = info.kind, info.negated, true
			return c, nil
		}
	}
	return c, fmt.Errorf("unknown condition operator %q", name)
}

// compileValue pre-parses one policy value for the operator. Values holding
// policy variables are parsed when evaluated instead.
func (c *condition) compileValue(raw string, variables bool) (condValue, error) {
	var v condValue
	if hasUnknown(raw) {
		u, ok := parseUnknown(raw, c.kind == opStringLike || c.kind == opArnLike, c.kind == opStringEqualsIgnoreCase)
		if !ok {
			return v, errUnclosedLeaf
		}
		v.unk = &u
		return v, nil
	}
	if variables {
		v.tmpl = parseTemplate(raw)
		if v.tmpl != nil {
			return v, nil
		}
	}
	return v, c.parseStatic(&v, raw, nil)
}

// parseStatic fills the typed form of v from text s. For StringLike and ARN
// operators toks, when non-nil, are the already expanded pattern tokens.
func (c *condition) parseStatic(v *condValue, s string, toks []gtok) error {
	switch c.kind {
	case opStringEquals, opStringEqualsIgnoreCase:
		v.str = s
	case opStringLike:
		if toks == nil {
			toks = tokenize(s)
		}
		v.glob = glob{toks: toks}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, ok := parseNumber(s)
		if !ok {
			return fmt.Errorf("value %q is not a number", s)
		}
		v.num = n
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(s)
		if !ok {
			return fmt.Errorf("value %q is not an ISO 8601 date or epoch seconds", s)
		}
		v.nanos = t
	case opBool, opNull:
		l := strings.ToLower(s)
		if l != "true" && l != "false" {
			return fmt.Errorf("value %q is not true or false", s)
		}
		v.str = l
	case opBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("value %q is not base64", s)
		}
		v.bin = b
	case opIPAddress:
		p, ok := parsePrefix(s)
		if !ok {
			return fmt.Errorf("value %q is not an IP address or CIDR block", s)
		}
		v.prefix = p
	case opArnLike:
		if toks == nil {
			v.arn = compileARNPattern(s)
		} else {
			v.arn = compileARNGlob(toks, false)
		}
	}
	return nil
}

// parseNumber parses a decimal integer or float ("12", "-3.5", "1e3").
// strconv.ParseFloat alone would also take "Inf", "NaN" and hexadecimal
// floats, which are not numbers in a policy.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil && !math.IsInf(n, 0)
}

// dateLayouts are the ISO 8601 forms AWS accepts in date conditions and in
// date context keys such as aws:CurrentTime.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
	"20060102T150405Z0700",
	"20060102",
}

// parseDate parses ISO 8601 or epoch seconds into Unix nanoseconds.
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	epoch := err == nil && n <= math.MaxInt64/int64(time.Second) && n >= math.MinInt64/int64(time.Second)
	// Eight digits read first as the basic date form 20060102, then as epoch
	// seconds; any other integer is epoch seconds.
	if epoch && len(s) != 8 {
		return n * int64(time.Second), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixNano(), true
		}
	}
	if epoch {
		return n * int64(time.Second), true
	}
	return 0, false
}

// parsePrefix parses a CIDR block or a bare address (a /32 or /128).
func parsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(p.Addr().Unmap(), unmapBits(p)).Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// unmapBits converts the prefix length of an IPv4-mapped IPv6 prefix.
func unmapBits(p netip.Prefix) int {
	if p.Addr().Is4In6() {
		if b := p.Bits() - 96; b >= 0 {
			return b
		}
		return 0
	}
	return p.Bits()
}

// evalCondition decides the condition against the request context.
func (ev *evaluator) evalCondition(c *condition) tri {
	if c.unkKey != nil {
		ev.noteLeaves(c.unkKey)
		return triUnknown
	}
	e, present := ev.lookup(c.lkey)
	var values []string
	if present {
		if e.unknown {
			ev.noteUnknown(c.key)
			return triUnknown
		}
		values = e.values
	}
	// A null data set: no value, or only an empty string. IAM documents that
	// ForAllValues is true for one and that Null "false" catches keys "with
	// empty values"; other operators compare an empty string as a value
	// (StringEquals s3:prefix "" matches a listing of the bucket root).
	null := len(values) == 0 || len(values) == 1 && values[0] == ""
	if c.kind == opNull {
		// Null: "true" asks for an absent key, "false" for a present one.
		absent := !present || null
		if !present {
			ev.noteMissing(c.key)
		}
		out := triFalse
		for i := range c.values {
			if u := c.values[i].unk; u != nil {
				ev.noteLeaves(u)
				out = triUnknown
				continue
			}
			if (c.values[i].str == "true") == absent {
				return triTrue
			}
		}
		return out
	}
	if !present || len(values) == 0 || c.set != setNone && null {
		if !present {
			ev.noteMissing(c.key)
		}
		// The set qualifier decides before IfExists: ForAnyValue is false on a
		// missing key or null data set even with an ...IfExists operator (AWS
		// answers AccessDenied for ForAnyValue:StringEqualsIfExists on a call
		// without aws:TagKeys), ForAllValues is true.
		switch {
		case c.set == setAnyValue:
			return triFalse
		case c.set == setAllValues, c.ifExists, c.negated:
			return triTrue
		}
		return triFalse
	}
	switch c.set {
	case setAllValues:
		// Every request value must satisfy the operator (for a negated
		// operator: match none of the policy values).
		out := triTrue
		for _, r := range values {
			out = out.and(ev.matchAny(c, r).not(c.negated))
			if out == triFalse {
				return out
			}
		}
		return out
	case setAnyValue:
		out := triFalse
		for _, r := range values {
			out = out.or(ev.matchAny(c, r).not(c.negated))
			if out == triTrue {
				return out
			}
		}
		return out
	}
	// No qualifier: a multi-valued key matches when any value matches; a negated
	// operator is true when no value matches.
	out := triFalse
	for _, r := range values {
		out = out.or(ev.matchAny(c, r))
		if out == triTrue {
			break
		}
	}
	return out.not(c.negated)
}

// matchAny reports whether request value r matches any policy value under the
// positive form of the operator. A value whose variable has no value matches
// nothing: IAM's "Policy variables" page says the value "is effectively null.
// There is no equal or like value", so StringEquals and StringLike do not
// match while "inverted condition operators like StringNotEquals or
// StringNotLike do match against a null value".
func (ev *evaluator) matchAny(c *condition, r string) tri {
	if c.plain {
		for i := range c.values {
			if matchValue(c.kind, &c.values[i], r) {
				return triTrue
			}
		}
		return triFalse
	}
	out := triFalse
	for i := range c.values {
		v := &c.values[i]
		if v.unk != nil {
			// Some value of the leaves may match r, others not: never
			// a match, at most unknown.
			if !isString(c.kind) || v.unk.maybe(r, c.kind == opStringEqualsIgnoreCase) {
				ev.noteLeaves(v.unk)
				out = triUnknown
			}
			continue
		}
		if v.tmpl != nil {
			var ok bool
			var st varStatus
			v, st, ok = ev.expandValue(c, v)
			if st == varUnknown {
				out = triUnknown
				continue
			}
			if st == varMissing || !ok {
				continue
			}
		}
		if matchValue(c.kind, v, r) {
			return triTrue
		}
	}
	return out
}

// expandValue substitutes variables in a policy value and parses the result.
// ok is false when the substituted text is not valid for the operator.
func (ev *evaluator) expandValue(c *condition, v *condValue) (*condValue, varStatus, bool) {
	out := &condValue{}
	switch c.kind {
	case opStringLike, opArnLike:
		toks, st := ev.expandGlob(v.tmpl)
		if st != varOK {
			return nil, st, false
		}
		return out, varOK, c.parseStatic(out, "", toks) == nil
	}
	s, st := ev.expandString(v.tmpl)
	if st != varOK {
		return nil, st, false
	}
	return out, varOK, c.parseStatic(out, s, nil) == nil
}

// isString reports whether an operator compares text, so that a value with
// unknown leaves can be ruled out by its known text.
func isString(k opKind) bool {
	return k == opStringEquals || k == opStringEqualsIgnoreCase || k == opStringLike || k == opArnLike
}

// matchValue compares request value r with policy value v under the positive
// form of the operator. A request value that does not parse for the operator
// matches nothing.
func matchValue(kind opKind, v *condValue, r string) bool {
	switch kind {
	case opStringEquals:
		return r == v.str
	case opStringEqualsIgnoreCase:
		return strings.EqualFold(r, v.str)
	case opStringLike:
		return v.glob.match(r, false)
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, ok := parseNumber(r)
		if !ok {
			return false
		}
		switch kind {
		case opNumericEquals:
			return n == v.num
		case opNumericLessThan:
			return n < v.num
		case opNumericLessThanEquals:
			return n <= v.num
		case opNumericGreaterThan:
			return n > v.num
		default:
			return n >= v.num
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(r)
		if !ok {
			return false
		}
		switch kind {
		case opDateEquals:
			return t == v.nanos
		case opDateLessThan:
			return t < v.nanos
		case opDateLessThanEquals:
			return t <= v.nanos
		case opDateGreaterThan:
			return t > v.nanos
		default:
			return t >= v.nanos
		}
	case opBool:
		return strings.EqualFold(r, v.str)
	case opBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(r)
		return err == nil && bytes.Equal(b, v.bin)
	case opIPAddress:
		a, err := netip.ParseAddr(strings.TrimSpace(r))
		return err == nil && v.prefix.Contains(a.Unmap())
	case opArnLike:
		segs, ok := awsid.SplitARN(r)
		return v.arn.match(&segs, r, ok)
	}
	return false
}
