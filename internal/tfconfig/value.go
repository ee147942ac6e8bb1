package tfconfig

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Value is the answer for one attribute.
type Value struct {
	// Val is the value, without marks. It may be partly unknown when Known is false.
	Val cty.Value
	// Known reports whether Val is wholly known.
	Known bool
	// Derived lists, sorted, how values that neither the plan nor the configuration states
	// were derived (e.g. "aws_s3_bucket.data.arn derived from its bucket name (main.tf:3)").
	// Empty when everything came from the plan or from literal configuration.
	Derived []string
	// Range is where the attribute is configured, or the resource block when it is not.
	Range hcl.Range
	// Unknown says why the value is not known; empty when Known.
	Unknown string
	// Sensitive reports that the value includes something the plan or configuration marks
	// sensitive, or the contents of a file read by the configuration (which the plan
	// showed only as known after apply); it must not be echoed.
	Sensitive bool
}

// derivedMark marks a value that was derived rather than read; it travels with the value
// through every expression and function that uses it, so results know their provenance.
type derivedMark string

// unknownMark marks an unknown value with the reason it is unknown.
type unknownMark string

// sensitiveMark marks a value that is sensitive in the plan or the configuration.
type sensitiveMark struct{}

func unknown(format string, args ...any) cty.Value {
	return cty.DynamicVal.Mark(unknownMark(fmt.Sprintf(format, args...)))
}

// finish turns an evaluated, marked value into a Value.
func finish(v cty.Value, rng hcl.Range) Value {
	plain, pvm := v.UnmarkDeepWithPaths()
	notes := map[string]bool{}
	reasons := map[string]bool{}
	sensitive := false
	for _, pm := range pvm {
		for m := range pm.Marks {
			switch m := m.(type) {
			case derivedMark:
				notes[string(m)] = true
			case unknownMark:
				reasons[string(m)] = true
			case sensitiveMark:
				sensitive = true
			case fileMark:
				// The plan did not show this value (it comes from the configuration),
				// so a report must not print the file it was read from.
				sensitive = true
				notes[fmt.Sprintf("made from the contents of %s, which are not shown", string(m))] = true
			}
		}
	}
	out := Value{Val: plain, Known: plain.IsWhollyKnown(), Range: rng, Derived: slices.Sorted(maps.Keys(notes)), Sensitive: sensitive}
	if !out.Known {
		out.Unknown = strings.Join(slices.Sorted(maps.Keys(reasons)), "; ")
		if out.Unknown == "" {
			out.Unknown = "depends on values known only after apply"
		}
	}
	return out
}

// rangeString formats a range as file:line.
func rangeString(r hcl.Range) string {
	if r.Filename == "" {
		return "?"
	}
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// diagError turns error diagnostics into one error that names file:line of each.
func diagError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			msg = rangeString(*d.Subject) + ": " + msg
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		return nil
	}
	sort.Strings(msgs)
	return fmt.Errorf("%w: %s", ErrConfig, strings.Join(dedup(msgs), "; "))
}

func dedup(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
