package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Every string a report shows may come from a pull request: plan values,
// .tf files, .glueaccess.hcl. Each format has one escaping layer, applied to
// every such string and to nothing the format itself writes, so that no
// input can add structure to the report (see "Security" in docs/validate.md):
//
//   - text: controlChars shows control characters as escapes, so input
//     cannot start a line (a GitHub Actions workflow command begins a line
//     with "::", see "Workflow commands for GitHub Actions") or move the
//     terminal's cursor;
//   - markdown: mdText, mdCode and mdHTML;
//   - github: ghData and ghProperty;
//   - sarif: sarifURI for URIs; JSON encoding does the rest;
//   - json: the JSON encoding itself.

// controlChars replaces every control character of s (C0, DEL, C1), the
// Unicode line and paragraph separators, the bidirectional formatting
// characters that reorder what a reader sees (the "Trojan Source" attack),
// and bytes that are not UTF-8, by a visible Go-style escape (\n, \x1b,
// \u202e). Everything else is kept, backslashes included: an input can
// spell "\n" but cannot make a line break.
func controlChars(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !needsEscape(r, size):
			b.WriteString(s[i : i+size])
		case r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether controlChars escapes the rune r of encoded
// length size.
func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0x2028, r == 0x2029,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		// Arabic letter mark, left-to-right and right-to-left marks, line
		// and paragraph separators, embeddings, overrides and isolates.
		return true
	}
	return false
}

// wordJoiner is an invisible character that keeps GitHub from reading "@x"
// as a mention or "#1" as an issue reference when placed after "@" or "#".
const wordJoiner = "\u2060"

// mdText makes s inert Markdown prose, in a paragraph or a table cell:
// control characters are escaped (so no line break), every ASCII character
// that can begin inline markup (emphasis, code, links and images, raw HTML
// and comments, entities, table cells, strikethrough) is backslash-escaped,
// and the sequences GitHub turns into links without markup (https://...,
// www., user@host, @team, #123) are broken. CommonMark renders a
// backslash-escaped ASCII punctuation character as itself, so the text reads
// the same; see "Backslash escapes" in the CommonMark and GitHub Flavored
// Markdown specs.
func mdText(s string) string {
	s = controlChars(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '~', '[', ']', '<', '>', '&', '|':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '_':
			// An underscore between two letters or digits can neither open
			// nor close emphasis (CommonMark, "Emphasis and strong
			// emphasis"), and snake_case names are common: keep them as
			// they are.
			if i > 0 && i+1 < len(s) && isAlnum(s[i-1]) && isAlnum(s[i+1]) {
				b.WriteByte(c)
			} else {
				b.WriteString(`\_`)
			}
		case ':':
			// The scheme of an extended autolink (GFM "Autolinks
			// (extension)").
			if strings.HasPrefix(s[i+1:], "//") {
				b.WriteString(`\:`)
			} else {
				b.WriteByte(c)
			}
		case '.':
			// www. starts an extended autolink.
			if i >= 3 && strings.EqualFold(s[i-3:i], "www") {
				b.WriteString(`\.`)
			} else {
				b.WriteByte(c)
			}
		case '#', '@':
			if c == '#' {
				b.WriteString(`\#`)
			} else {
				b.WriteByte(c)
			}
			b.WriteString(wordJoiner)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mdCode renders s as a Markdown code span, where nothing is markup: the
// fence is one backtick longer than the longest run of backticks in s, a
// space pads content that begins or ends with a backtick or space (the
// parser strips one from each side), and control characters are escaped.
// In a table cell (cell true) a pipe would still end the cell, so it is
// written \|, which GFM tables turn back into a pipe inside code spans. An
// empty s is a code span of one space.
func mdCode(s string, cell bool) string {
	s = controlChars(s)
	if s == "" {
		return "` `"
	}
	run, longest := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if cell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	fence := strings.Repeat("`", longest+1)
	if s[0] == '`' || s[0] == ' ' || s[len(s)-1] == '`' || s[len(s)-1] == ' ' {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdHTML escapes s for the content of an HTML element in the Markdown (the
// <summary> of a job's section, an HTML block in which Markdown is not
// parsed): control characters are escaped and &, < and > are written
// as character references.
func mdHTML(s string) string {
	return htmlReplacer.Replace(controlChars(s))
}

var htmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// mdFence returns a code fence longer than any run of backticks at the start
// of a line of s, so that s cannot close the fenced block it is in.
func mdFence(s string) string {
	longest := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimLeft(line, " \t")
		n := len(line) - len(strings.TrimLeft(line, "`"))
		longest = max(longest, n)
	}
	return strings.Repeat("`", max(3, longest+1))
}

// sarifURI makes a file path a URI reference as SARIF requires
// (artifactLocation.uri, RFC 3986): every byte other than an unreserved
// character or a slash is percent-encoded, so spaces, "#", "%" and "?" stay
// part of the path; an absolute path becomes a file: URI.
func sarifURI(path string) string {
	path = strings.ReplaceAll(path, `\`, "/")
	var b strings.Builder
	if strings.HasPrefix(path, "/") {
		b.WriteString("file://")
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(path); i++ {
		c := path[i]
		if isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// TextEscape is the text format's escaping for messages written outside a
// report (the CLI's errors and warnings on stderr, which GitHub Actions also
// reads for workflow commands): control characters are shown as escapes, so
// a message is one line that begins with the tool's own words.
func TextEscape(s string) string { return controlChars(s) }
