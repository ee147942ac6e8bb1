package iam

import (
	"fmt"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// Warning is a part of a policy document that breaks a rule AWS documents for
// policies it stores: IAM refuses to save such a document, or (NotPrincipal)
// the document does not do what it reads as doing. Parse accepts the document
// and the engine evaluates it as written, so that a plan is still decided;
// callers report the warnings next to the decision.
type Warning struct {
	Statement int    // 0-based statement index, as in StatementRef
	Sid       string // the statement's Sid, if any
	Path      string // JSON path of the offending element, e.g. Statement[0].Resource[1]
	Msg       string // what is wrong, with the AWS rule
}

// String renders the warning, e.g. `statement 0 ("ReadOwn") at
// Statement[0].Resource[0]: resource "arn:aws:s3:${aws:region}::x" uses a
// policy variable before the fifth colon; ...`.
func (w Warning) String() string {
	where := fmt.Sprintf("statement %d", w.Statement)
	if w.Sid != "" {
		where += fmt.Sprintf(" (%q)", w.Sid)
	}
	return where + " at " + w.Path + ": " + w.Msg
}

// Warnings lists, in document order, the parts of the document that break a
// rule AWS documents for stored policies (see Warning).
func (p *Policy) Warnings() []Warning { return p.warnings }

// warn records a warning on statement st.
func (ps *parser) warn(st *statement, path, format string, args ...any) {
	ps.warnings = append(ps.warnings, Warning{Statement: st.index, Sid: st.sid, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// variableBeforeFifthColon reports whether a Resource entry holds a policy
// variable (not one of the escapes ${*}, ${?}, ${$}) in the first five fields
// of the ARN. IAM ("Policy variables", Resource element): "You can't use a
// variable to replace parts of the ARN before the fifth colon, such as the
// service or account."
func variableBeforeFifthColon(r string) bool {
	colons := 0
	for i := 0; i < len(r) && colons < 5; i++ {
		switch {
		case r[i] == ':':
			colons++
		case strings.HasPrefix(r[i:], "${"):
			end := strings.IndexByte(r[i:], '}')
			if end < 0 {
				return false
			}
			switch body := r[i+2 : i+end]; body {
			case "*", "?", "$":
			default:
				if key, _, _ := splitDefault(body); key != "" {
					return true
				}
			}
			i += end
		}
	}
	return false
}

// noVariables names the operator families whose values IAM does not
// substitute policy variables in ("Policy variables – Not supported" on the
// page "IAM JSON policy elements: Condition operators"), or "" for the
// families that support them (String, Boolean, ARN).
func noVariables(k opKind) string {
	switch k {
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		return "Numeric"
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		return "Date"
	case opBinaryEquals:
		return "Binary"
	case opIPAddress:
		return "IP address"
	case opNull:
		return "Null"
	}
	return ""
}

// notPrincipalWithoutAccount warns about each user, role or role session a
// Deny's NotPrincipal lists without the account that holds it. IAM
// ("NotPrincipal"): "When you use NotPrincipal, you must also specify the
// account ARN of the not-denied principal. Otherwise, the policy might deny
// access to the entire account containing the principal."
func (ps *parser) notPrincipalWithoutAccount(st *statement, path pathFunc) {
	for _, a := range st.principal.arns {
		segs, ok := awsid.SplitARN(a)
		if !ok {
			continue
		}
		named := segs[2] == "iam" && (strings.HasPrefix(segs[5], "role/") || strings.HasPrefix(segs[5], "user/")) ||
			segs[2] == "sts" && strings.HasPrefix(segs[5], "assumed-role/")
		if named && !contains(st.principal.accounts, segs[4]) {
			ps.warn(st, join(path(), "AWS"), "NotPrincipal lists %q without its account %s: IAM requires that a Deny with NotPrincipal \"also specify the account ARN of the not-denied principal\", or the Deny applies to that principal too", a, segs[4])
		}
	}
}
