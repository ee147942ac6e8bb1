package planjson

import (
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// maxRefHops bounds how many module boundaries (var → caller, module output →
// child) one reference is followed through; configurations are acyclic, the
// bound only protects against malformed input.
const maxRefHops = 16

// Target is what a configuration reference points at: a resource instance and
// the attribute path read from it ("arn", "json"; empty for the whole object).
type Target struct {
	Resource *Resource
	Attr     string
}

// Expression returns the configuration expression of a top-level attribute, or
// of an attribute inside nested blocks: path "command", "script_location" reads
// command[0].script_location. Nil when the configuration does not set it.
func (r *Resource) Expression(path ...string) *tfjson.Expression {
	if r == nil || r.config == nil || len(path) == 0 {
		return nil
	}
	// Decoded anew each time: valueDecoder.expression is quick, and a cache
	// would keep the expressions of every resource read until the last job
	// is checked.
	e := decodeExpression(r.config.expression(path[0]))
	for _, p := range path[1:] {
		if e == nil || len(e.NestedBlocks) == 0 {
			return nil
		}
		e = e.NestedBlocks[0][p]
	}
	return e
}

// References returns the resource targets of an attribute's configuration
// expression, following input variables to the module call and module outputs
// into the child, in the order terraform lists them. Duplicates (terraform lists
// each reference and its shorter prefixes) are dropped.
func (ix *Plan) References(r *Resource, path ...string) []Target {
	e := r.Expression(path...)
	if e == nil {
		return nil
	}
	var out []Target
	seen := map[string]bool{}
	ix.follow(r, r.configModule, e.References, 0, func(t Target) {
		k := t.Resource.Address
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, t)
	})
	return out
}

// Reference returns the first resource target of an attribute's expression.
func (ix *Plan) Reference(r *Resource, path ...string) (Target, bool) {
	ts := ix.References(r, path...)
	if len(ts) == 0 {
		return Target{}, false
	}
	return ts[0], true
}

func (ix *Plan) follow(referrer *Resource, module string, refs []string, hops int, emit func(Target)) {
	if hops > maxRefHops {
		return
	}
	for _, ref := range refs {
		parts := SplitRef(ref)
		switch {
		case len(parts) >= 2 && parts[0] == "var":
			mc, ok := ix.calls[module]
			if !ok {
				continue
			}
			if e := decodeExpression(mc.args[parts[1]]); e != nil {
				ix.follow(referrer, mc.parent, e.References, hops+1, emit)
			}
		case len(parts) >= 3 && parts[0] == "module":
			child := joinModule(module, "module."+TrimKey(parts[1]))
			outputs, ok := ix.outputs[child]
			if !ok {
				continue
			}
			if out := outputs[parts[2]]; out != nil {
				if e := decodeExpression(out.Expression); e != nil {
					ix.follow(referrer, child, e.References, hops+1, emit)
				}
			}
		case len(parts) >= 3 && parts[0] == "data":
			ix.emitResource(referrer, module, "data."+parts[1]+"."+TrimKey(parts[2]), keyOf(parts[2]), parts[3:], emit)
		case len(parts) >= 2 && strings.Contains(parts[0], "_") && !isSpecial(parts[0]):
			ix.emitResource(referrer, module, parts[0]+"."+TrimKey(parts[1]), keyOf(parts[1]), parts[2:], emit)
		}
	}
}

func (ix *Plan) emitResource(referrer *Resource, module, local, key string, rest []string, emit func(Target)) {
	insts := ix.instancesOf(module, local)
	var r *Resource
	if key != "" {
		for _, in := range insts {
			if instanceKey(in.Address) == key {
				r = in
			}
		}
	} else {
		r = pick(insts, referrer)
	}
	if r != nil {
		emit(Target{Resource: r, Attr: strings.Join(rest, ".")})
	}
}

// isSpecial names the reference roots that are not resources.
func isSpecial(root string) bool {
	switch root {
	case "var", "local", "module", "data", "each", "count", "path", "terraform", "self":
		return true
	}
	return false
}

// SplitRef splits a reference at dots outside brackets:
// aws_s3_bucket.b["x"].arn → aws_s3_bucket, b["x"], arn.
func SplitRef(ref string) []string {
	var parts []string
	start, depth := 0, 0
	inString := false
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			parts = append(parts, ref[start:i])
			start = i + 1
		}
	}
	return append(parts, ref[start:])
}

// TrimKey drops an instance key: b["x"] → b.
func TrimKey(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i]
	}
	return s
}

// keyOf returns the bracketed key of a name, e.g. `["x"]` or `[0]`, or "".
func keyOf(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[i:]
	}
	return ""
}

// instanceKey returns the trailing instance key of an address, or "".
func instanceKey(addr string) string {
	if !strings.HasSuffix(addr, "]") {
		return ""
	}
	parts := SplitRef(addr)
	return keyOf(parts[len(parts)-1])
}
