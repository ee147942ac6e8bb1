package datasources

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// known reports whether v holds a value that can be checked now: not null and
// not unknown. Validation skips values Terraform only learns at apply time.
func known(v attr.Value) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// indexedString is one element of a list(string) attribute with its path.
type indexedString struct {
	Path  path.Path
	Value types.String
}

// listStrings returns the elements of a list(string) attribute with their paths;
// an unknown or null list has none.
func listStrings(l types.List, at path.Path) ([]indexedString, diag.Diagnostics) {
	if !known(l) {
		return nil, nil
	}
	out := make([]indexedString, 0, len(l.Elements()))
	for i, e := range l.Elements() {
		s, ok := e.(types.String)
		if !ok {
			var diags diag.Diagnostics
			diags.AddAttributeError(at.AtListIndex(i), "Unexpected element type",
				fmt.Sprintf("Expected a string, got %T. Please report this issue to the provider developers.", e))
			return out, diags
		}
		out = append(out, indexedString{Path: at.AtListIndex(i), Value: s})
	}
	return out, nil
}

// stringValues returns the known values of a list(string) attribute, in order.
func stringValues(l types.List, at path.Path) ([]string, diag.Diagnostics) {
	elems, diags := listStrings(l, at)
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		if known(e.Value) {
			out = append(out, e.Value.ValueString())
		}
	}
	return out, diags
}

// mapStrings returns a map(string) attribute as a Go map; unknown entries are left out.
func mapStrings(m types.Map) map[string]string {
	if !known(m) {
		return nil
	}
	out := make(map[string]string, len(m.Elements()))
	for k, e := range m.Elements() {
		if v, ok := e.(types.String); ok && known(v) {
			out[k] = v.ValueString()
		}
	}
	return out
}
