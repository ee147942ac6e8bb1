package iam

import "strings"

// template is a Resource entry or condition value containing policy variables
// (Version 2012-10-17 only). Literal parts keep their wildcards; variable
// values are substituted as literal text.
type template struct {
	parts []tmplPart
}

type tmplPart struct {
	toks []gtok // literal text, tokenized (set when isVar is false)
	text string // literal text, escapes resolved (for non-glob operators)

	isVar      bool
	key        string // as written, for MissingContextKeys
	lkey       ctxKey // for lookup
	dflt       string
	hasDefault bool
}

// parseTemplate splits s into literal text and ${...} variables. It returns
// nil when s holds no variable, so static values keep their fast paths. The
// escapes ${*}, ${?} and ${$} stand for the literal characters.
func parseTemplate(s string) *template {
	if !strings.Contains(s, "${") {
		return nil
	}
	var t template
	var lit strings.Builder // literal text without wildcards from escapes
	var toks []gtok
	needsTemplate := false
	flush := func() {
		if lit.Len() == 0 && toks == nil {
			return
		}
		t.parts = append(t.parts, tmplPart{toks: toks, text: lit.String()})
		lit.Reset()
		toks = nil
	}
	for s != "" {
		i := strings.Index(s, "${")
		if i < 0 {
			lit.WriteString(s)
			toks = appendTokens(toks, s)
			break
		}
		lit.WriteString(s[:i])
		toks = appendTokens(toks, s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			// An unterminated "${" is plain text.
			lit.WriteString(s[i:])
			toks = appendTokens(toks, s[i:])
			break
		}
		body := s[i+2 : i+end]
		s = s[i+end+1:]
		switch body {
		case "*", "?", "$":
			lit.WriteString(body)
			toks = append(toks, gtok{kind: tokLit, s: body})
			needsTemplate = true // escapes need the template path: "*" here is not a wildcard
			continue
		}
		key, dflt, hasDefault := splitDefault(body)
		if key == "" {
			lit.WriteString("${" + body + "}")
			toks = appendTokens(toks, "${"+body+"}")
			continue
		}
		flush()
		t.parts = append(t.parts, tmplPart{isVar: true, key: key, lkey: newCtxKey(key), dflt: dflt, hasDefault: hasDefault})
		needsTemplate = true
	}
	if !needsTemplate {
		return nil
	}
	flush()
	return &t
}

// splitDefault parses "key" or "key, 'default value'" (a doubled quote in the
// default stands for one quote).
func splitDefault(body string) (key, dflt string, ok bool) {
	comma := strings.IndexByte(body, ',')
	if comma < 0 {
		return strings.TrimSpace(body), "", false
	}
	key = strings.TrimSpace(body[:comma])
	d := strings.TrimSpace(body[comma+1:])
	if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
		return "", "", false
	}
	return key, strings.ReplaceAll(d[1:len(d)-1], "''", "'"), true
}

// varStatus is the outcome of substituting a template's variables.
type varStatus uint8

const (
	varOK      varStatus = iota
	varMissing           // a variable's key is absent (and has no default): the value matches nothing
	varUnknown           // a variable's key is marked unknown
)

// resolve looks one variable up. A multi-valued key cannot be substituted and
// counts as absent, as AWS documents.
func (ev *evaluator) resolve(p *tmplPart) (string, varStatus) {
	e, ok := ev.lookup(p.lkey)
	switch {
	case ok && e.unknown:
		ev.noteUnknown(p.key)
		return "", varUnknown
	case ok && len(e.values) == 1:
		return e.values[0], varOK
	case p.hasDefault:
		return p.dflt, varOK
	}
	ev.noteMissing(p.key)
	return "", varMissing
}

// expandGlob substitutes variables and returns the pattern tokens.
func (ev *evaluator) expandGlob(t *template) ([]gtok, varStatus) {
	var toks []gtok
	for i := range t.parts {
		p := &t.parts[i]
		if !p.isVar {
			toks = append(toks, p.toks...)
			continue
		}
		v, st := ev.resolve(p)
		if st != varOK {
			return nil, st
		}
		if v != "" {
			toks = append(toks, gtok{kind: tokLit, s: v})
		}
	}
	return toks, varOK
}

// expandString substitutes variables and returns the literal value.
func (ev *evaluator) expandString(t *template) (string, varStatus) {
	var b strings.Builder
	for i := range t.parts {
		p := &t.parts[i]
		if !p.isVar {
			b.WriteString(p.text)
			continue
		}
		v, st := ev.resolve(p)
		if st != varOK {
			return "", st
		}
		b.WriteString(v)
	}
	return b.String(), varOK
}
