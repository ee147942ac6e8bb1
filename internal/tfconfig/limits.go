package tfconfig

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Limits bound what loading and evaluating a configuration may cost, because the
// configuration may come from an untrusted pull request (docs/evaluation.md). A zero field
// takes its default (DefaultLimits). A value whose evaluation would pass a limit is
// unknown, with a note naming the limit; it never becomes an error of the whole
// configuration.
type Limits struct {
	// MaxFileBytes is the size of the largest file read: a .tf or .tf.json file, or a file
	// read by file(), templatefile() and the other file functions.
	MaxFileBytes int64
	// MaxConfigBytes is the total size of the configuration files of all modules.
	MaxConfigBytes int64
	// MaxElements is the most collection elements one function call or for expression
	// may produce.
	MaxElements int64
	// MaxStringBytes is the longest string one function call may produce.
	MaxStringBytes int64
	// MaxTotalElements and MaxTotalBytes bound the elements and string bytes that
	// function calls, for expressions and string templates create over the whole
	// evaluation; once spent, every value that needs more is unknown.
	MaxTotalElements int64
	MaxTotalBytes    int64
	// MaxDepth is the deepest chain of references evaluated (a local that uses a local
	// that uses ...), and the deepest bracket nesting a configuration file may have.
	MaxDepth int
	// Timeout bounds the wall time spent evaluating; after it, values still to be
	// evaluated are unknown.
	Timeout time.Duration
}

// DefaultLimits are generous for real configurations (an IAM policy is at most a few
// kilobytes; a large stack has a few thousand resources) and keep a hostile one to about
// a gigabyte of memory and a minute.
var DefaultLimits = Limits{
	MaxFileBytes:     4 << 20,
	MaxConfigBytes:   64 << 20,
	MaxElements:      100_000,
	MaxStringBytes:   4 << 20,
	MaxTotalElements: 1_000_000,
	MaxTotalBytes:    128 << 20,
	MaxDepth:         256,
	Timeout:          time.Minute,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *int64, def int64) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxFileBytes, d.MaxFileBytes)
	set(&l.MaxConfigBytes, d.MaxConfigBytes)
	set(&l.MaxElements, d.MaxElements)
	set(&l.MaxStringBytes, d.MaxStringBytes)
	set(&l.MaxTotalElements, d.MaxTotalElements)
	set(&l.MaxTotalBytes, d.MaxTotalBytes)
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// budget is what an evaluator has left to spend.
type budget struct {
	lim      Limits
	elements int64
	bytes    int64
	start    time.Time
	now      func() time.Time
}

func newBudget(lim Limits) *budget {
	return &budget{lim: lim, start: time.Now(), now: time.Now}
}

// expired says why evaluation must stop, or "".
func (b *budget) expired() string {
	if b.now().Sub(b.start) > b.lim.Timeout {
		return fmt.Sprintf("evaluation stopped after the time limit of %s", b.lim.Timeout)
	}
	return ""
}

// spend charges elements and string bytes; it says why the value is refused, or "".
func (b *budget) spend(what string, elements, bytes int64) string {
	if r := b.expired(); r != "" {
		return r
	}
	if elements > b.lim.MaxElements {
		return fmt.Sprintf("%s would make %d elements, more than the limit of %d", what, elements, b.lim.MaxElements)
	}
	if bytes > b.lim.MaxStringBytes && elements <= 1 {
		return fmt.Sprintf("%s would make a string of %d bytes, more than the limit of %d", what, bytes, b.lim.MaxStringBytes)
	}
	if b.elements+elements > b.lim.MaxTotalElements {
		return fmt.Sprintf("%s: the evaluation has created %d elements, the limit for the whole configuration", what, b.lim.MaxTotalElements)
	}
	if b.bytes+bytes > b.lim.MaxTotalBytes {
		return fmt.Sprintf("%s: the evaluation has created %d bytes of strings, the limit for the whole configuration", what, b.lim.MaxTotalBytes)
	}
	b.elements += elements
	b.bytes += bytes
	return ""
}

// size counts the elements and string bytes of a value, stopping once past maxElements
// or maxBytes.
func size(v cty.Value, maxElements, maxBytes int64) (elements, bytes int64) {
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if elements > maxElements || bytes > maxBytes {
			return
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			bytes += int64(len(v.AsString()))
		case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				elements++
				_, e := it.Element()
				walk(e)
			}
		}
	}
	walk(v)
	return elements, bytes
}

// oversized says why a value is too large to keep (a string longer than MaxStringBytes,
// more than MaxTotalElements elements), or "". It bounds what string templates of JSON
// syntax, which meter cannot reach, can build from one reference to the next.
func (b *budget) oversized(v cty.Value) string {
	var elements int64
	var why string
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if why != "" {
			return
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			if n := int64(len(v.AsString())); n > b.lim.MaxStringBytes {
				why = fmt.Sprintf("a string of %d bytes, more than the limit of %d", n, b.lim.MaxStringBytes)
			}
		case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next() && why == ""; {
				if elements++; elements > b.lim.MaxTotalElements {
					why = fmt.Sprintf("more than %d elements, the limit", b.lim.MaxTotalElements)
				}
				_, e := it.Element()
				walk(e)
			}
		}
	}
	walk(v)
	return why
}

// refused is an unknown value of type ty saying why it was not computed.
func refused(ty cty.Type, reason string) cty.Value {
	return cty.UnknownVal(ty).Mark(unknownMark(reason))
}

// budgeted wraps a function so that its result counts against the budget, and so that
// calls known to blow up (range, setproduct, format widths) or given an oversized value
// are refused before they run. The wrapper passes every argument through as it is, so
// that an oversized one is refused before cty walks it; the wrapped function then handles
// unknown, null and marked arguments by its own rules.
func budgeted(name string, f function.Function, b *budget) function.Function {
	open := func(p function.Parameter) function.Parameter {
		p.AllowUnknown, p.AllowNull, p.AllowMarked, p.AllowDynamicType = true, true, true, true
		return p
	}
	params := make([]function.Parameter, len(f.Params()))
	for i, p := range f.Params() {
		params[i] = open(p)
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		p := open(*vp)
		varParam = &p
	}
	oversized := func(args []cty.Value) string {
		for _, a := range args {
			if e, _ := size(a, b.lim.MaxElements, b.lim.MaxTotalBytes); e > b.lim.MaxElements {
				return fmt.Sprintf("%s() was given a value of more than %d elements, the limit", name, b.lim.MaxElements)
			}
		}
		return ""
	}
	return function.New(&function.Spec{
		Params:   params,
		VarParam: varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			if oversized(args) != "" {
				return cty.DynamicPseudoType, nil
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
			if r := oversized(args); r != "" {
				return refused(ty, r), nil
			}
			if r := precheck(name, args, b.lim); r != "" {
				return refused(ty, r), nil
			}
			if r := b.expired(); r != "" {
				return refused(ty, r), nil
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			elements, bytes := size(v, b.lim.MaxTotalElements, b.lim.MaxTotalBytes)
			if r := b.spend(name+"()", elements, bytes); r != "" {
				return refused(ty, r).WithMarks(v.Marks()), nil
			}
			return v, nil
		},
	})
}

// precheck refuses calls whose result size follows from the arguments and is too large.
func precheck(name string, args []cty.Value, lim Limits) string {
	known := func(v cty.Value) (cty.Value, bool) {
		v, _ = v.UnmarkDeep()
		return v, v.IsWhollyKnown() && !v.IsNull()
	}
	switch name {
	case "range":
		nums := make([]float64, 0, 3)
		for _, a := range args {
			a, ok := known(a)
			if !ok || a.Type() != cty.Number {
				return ""
			}
			f, _ := a.AsBigFloat().Float64()
			nums = append(nums, f)
		}
		start, limit, step := 0.0, 0.0, 1.0
		switch len(nums) {
		case 1:
			limit = nums[0]
		case 2:
			start, limit = nums[0], nums[1]
			if limit < start {
				step = -1
			}
		case 3:
			start, limit, step = nums[0], nums[1], nums[2]
		}
		if step != 0 && (limit-start)/step > float64(lim.MaxElements) {
			return fmt.Sprintf("range() would make %.0f elements, more than the limit of %d", (limit-start)/step, lim.MaxElements)
		}
	case "setproduct":
		n := 1.0
		for _, a := range args {
			a, ok := known(a)
			if !ok || !a.CanIterateElements() {
				return ""
			}
			n *= float64(a.LengthInt())
		}
		if len(args) > 0 && n*float64(len(args)) > float64(lim.MaxElements) {
			return fmt.Sprintf("setproduct() would make %.0f elements, more than the limit of %d", n*float64(len(args)), lim.MaxElements)
		}
	case "format", "formatlist":
		if f, ok := known(args[0]); ok && f.Type() == cty.String {
			if w := widestVerb(f.AsString()); w > lim.MaxStringBytes {
				return fmt.Sprintf("%s() pads to %d characters, more than the limit of %d", name, w, lim.MaxStringBytes)
			}
		}
	case "indent":
		if n, ok := known(args[0]); ok && n.Type() == cty.Number {
			if s, ok := known(args[1]); ok && s.Type() == cty.String {
				f, _ := n.AsBigFloat().Float64()
				if f*float64(len(s.AsString())+1) > float64(lim.MaxStringBytes) {
					return fmt.Sprintf("indent() would make a string longer than the limit of %d bytes", lim.MaxStringBytes)
				}
			}
		}
	}
	return ""
}

// widestVerb is the largest width or precision a format string asks for.
func widestVerb(f string) int64 {
	var widest int64
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		for i < len(f) && (f[i] == '-' || f[i] == '+' || f[i] == '#' || f[i] == ' ' || f[i] == '0' || f[i] == '.' || (f[i] >= '1' && f[i] <= '9')) {
			var n int64
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				n = min(n*10+int64(f[i]-'0'), 1<<40)
				i++
			}
			widest = max(widest, n)
			if i < len(f) && (f[i] == '-' || f[i] == '+' || f[i] == '#' || f[i] == ' ' || f[i] == '.') {
				i++
			}
		}
	}
	return widest
}

// budgetFunc is the name under which loaded expressions call the budget: the collection,
// key and value of every for expression and each interpolated part of every string
// template pass through it, so that what HCL builds itself is counted too (a for
// expression's value is counted on every iteration, so nested ones multiply their cost).
const budgetFunc = "tfconfig::budget"

func budgetFunction(b *budget) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType,
			AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
			elements, bytes := size(args[0], b.lim.MaxTotalElements, b.lim.MaxTotalBytes)
			if r := b.spend("a for expression or string template", elements, bytes); r != "" {
				return refused(ty, r), nil
			}
			return args[0], nil
		},
	})
}

// meter rewrites the for expressions and string templates of a native-syntax body or
// expression so that they call budgetFunc. It is idempotent.
func meter(node hclsyntax.Node) {
	wrap := func(e hclsyntax.Expression) hclsyntax.Expression {
		if c, ok := e.(*hclsyntax.FunctionCallExpr); ok && c.Name == budgetFunc {
			return e
		}
		r := e.Range()
		return &hclsyntax.FunctionCallExpr{Name: budgetFunc, Args: []hclsyntax.Expression{e}, NameRange: r, OpenParenRange: r, CloseParenRange: r}
	}
	_ = hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.ForExpr:
			n.CollExpr = wrap(n.CollExpr)
			n.ValExpr = wrap(n.ValExpr)
			if n.KeyExpr != nil {
				n.KeyExpr = wrap(n.KeyExpr)
			}
		case *hclsyntax.TemplateExpr:
			for i, p := range n.Parts {
				if _, literal := p.(*hclsyntax.LiteralValueExpr); !literal {
					n.Parts[i] = wrap(p)
				}
			}
		}
		return nil
	})
}

// nestingDepth is the deepest bracket nesting of configuration source, a bound on how
// deep the parser recurses. Brackets inside strings and comments count too, which only
// overestimates.
func nestingDepth(src []byte) int {
	depth, deepest := 0, 0
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			deepest = max(deepest, depth)
		case ')', ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return deepest
}
