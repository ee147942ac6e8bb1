package validator

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// ignoreDirective starts an inline suppression comment in a .tf file:
//
//	# glueaccess:ignore GA003 reason="objects are rewritten nightly" expires=2027-03-31
//
// on the lines directly above the job's resource block or inside it
// (docs/configuration.md). "//" and "/* */" comments work too.
const ignoreDirective = "glueaccess:ignore"

// inlineSuppressions returns the suppressions written as comments on the
// resource block of each located job of the report, keyed by job address.
// resolve turns a location's file into a path to read. A malformed directive
// is an error naming file:line (exit 2), never skipped.
func inlineSuppressions(rep *report.Report, resolve func(string) string) (map[string][]suppression, error) {
	out := map[string][]suppression{}
	files := map[string]*lexedFile{}
	var errs []error
	for _, j := range rep.Jobs {
		l := j.Location
		if l == nil {
			continue
		}
		lf, ok := files[l.File]
		if !ok {
			var err error
			lf, err = lexFile(resolve(l.File), l.File)
			if err != nil {
				return nil, err
			}
			files[l.File] = lf
		}
		for _, c := range lf.blockComments(l.Line) {
			sup, err := parseIgnore(c.text, l.File, c.line)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, s := range sup {
				s.Job = j.Address
				out[j.Address] = append(out[j.Address], s)
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", errConfig, errors.Join(errs...))
	}
	return out, nil
}

// lexedFile is a .tf file's top-level blocks and comments.
type lexedFile struct {
	blocks   []hcl.Range
	comments []comment
}

type comment struct {
	line int
	text string // without the comment markers
}

// lexFile reads the HCL file at path; name is how messages call it.
func lexFile(path, name string) (*lexedFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s for glueaccess:ignore comments: %w", name, err)
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("reading %s for glueaccess:ignore comments: %s", name, diags.Error())
	}
	lf := &lexedFile{}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		lf.blocks = append(lf.blocks, b.Range())
	}
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	for _, t := range tokens {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		lf.comments = append(lf.comments, comment{line: t.Range.Start.Line, text: commentText(string(t.Bytes))})
	}
	return lf, nil
}

// commentText strips the markers of a "#", "//" or "/* */" comment.
func commentText(s string) string {
	switch {
	case strings.HasPrefix(s, "#"):
		s = s[1:]
	case strings.HasPrefix(s, "//"):
		s = s[2:]
	case strings.HasPrefix(s, "/*"):
		s = strings.TrimSuffix(s[2:], "*/")
	}
	return strings.TrimSpace(s)
}

// blockComments returns the glueaccess:ignore comments of the top-level block
// starting on line: those inside it, and those on the unbroken run of comment
// lines directly above it.
func (lf *lexedFile) blockComments(line int) []comment {
	var block *hcl.Range
	for i := range lf.blocks {
		if lf.blocks[i].Start.Line == line {
			block = &lf.blocks[i]
			break
		}
	}
	if block == nil {
		return nil
	}
	commented := map[int]bool{}
	for _, c := range lf.comments {
		commented[c.line] = true
	}
	first := line
	for commented[first-1] {
		first--
	}
	var out []comment
	for _, c := range lf.comments {
		if c.line >= first && c.line <= block.End.Line && strings.HasPrefix(c.text, ignoreDirective) {
			out = append(out, c)
		}
	}
	return out
}

// parseIgnore parses one directive: glueaccess:ignore, one or more check ids
// (GA001..GA007, separated by spaces or commas), reason="..." (required) and
// expires=YYYY-MM-DD (optional). file and line locate it in messages.
func parseIgnore(text, file string, line int) ([]suppression, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s: %s", file, line, ignoreDirective, fmt.Sprintf(format, args...))
	}
	rest := strings.TrimPrefix(text, ignoreDirective)
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, bad("want %q followed by check ids, got %q", ignoreDirective, text)
	}
	words, err := splitDirective(rest)
	if err != nil {
		return nil, bad("%v", err)
	}
	var ids []access.CheckID
	var reason, expires string
	var haveReason bool
	for _, w := range words {
		key, value, isKV := strings.Cut(w, "=")
		if !isKV {
			for _, id := range strings.Split(w, ",") {
				if id == "" {
					continue
				}
				cid := access.CheckID(id)
				if _, ok := access.Titles[cid]; !ok {
					return nil, bad("check id %q: want GA001..GA007", id)
				}
				ids = append(ids, cid)
			}
			continue
		}
		switch key {
		case "reason":
			reason, haveReason = value, true
		case "expires":
			expires = value
		default:
			return nil, bad("unknown setting %q (want reason=\"...\" and optionally expires=YYYY-MM-DD)", key)
		}
	}
	if len(ids) == 0 {
		return nil, bad("name the check to suppress (GA001..GA007)")
	}
	if !haveReason || strings.TrimSpace(reason) == "" {
		return nil, bad("reason=\"...\" is required and must not be empty")
	}
	var until time.Time
	if expires != "" {
		t, err := time.Parse(time.DateOnly, expires)
		if err != nil {
			return nil, bad("expires %q: want a date YYYY-MM-DD", expires)
		}
		until = t
	}
	out := make([]suppression, 0, len(ids))
	for _, id := range ids {
		out = append(out, suppression{ID: id, Reason: reason, Expires: until, From: access.Provenance{File: file, Line: line}})
	}
	return out, nil
}

// splitDirective splits on spaces, keeping a double-quoted value (with \" and
// \\ escapes) whole and unquoted.
func splitDirective(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			cur.WriteByte(s[i+1])
			i++
		case c == '"':
			quoted = !quoted
			inWord = true
		case !quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("unterminated quoted value")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
