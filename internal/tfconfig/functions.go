package tfconfig

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// funcEnv is what the function table depends on.
type funcEnv struct {
	files         *fileAccess
	budget        *budget
	planTimestamp string
}

// functions returns the functions of the Terraform language as of Terraform 1.11 (each
// also under its core:: name) and those of the hashicorp/aws provider. Where Terraform
// uses cty's stdlib, so does this table, so results are the same; the rest follow the
// Terraform documentation, and console_test.go checks every one against terraform
// console. Every function counts against the evaluation budget.
func functions(env funcEnv) map[string]function.Function {
	fa := env.files
	fns := map[string]function.Function{
		"abs":              stdlib.AbsoluteFunc,
		"abspath":          fa.abspathFunc(),
		"alltrue":          boolsFunc(true),
		"anytrue":          boolsFunc(false),
		"base64decode":     base64DecodeFunc,
		"base64encode":     makeStringFunc(func(s string) (string, error) { return b64([]byte(s)), nil }),
		"base64gzip":       base64GzipFunc,
		"base64sha256":     hashFunc(sha256Sum, b64),
		"base64sha512":     hashFunc(sha512Sum, b64),
		"basename":         basenameFunc,
		"bcrypt":           impureFunc("bcrypt", []function.Parameter{{Name: "str", Type: cty.String}}, &function.Parameter{Name: "cost", Type: cty.Number}, cty.String),
		"can":              tryfunc.CanFunc,
		"ceil":             stdlib.CeilFunc,
		"chomp":            stdlib.ChompFunc,
		"chunklist":        stdlib.ChunklistFunc,
		"cidrhost":         cidrhostFunc,
		"cidrnetmask":      cidrnetmaskFunc,
		"cidrsubnet":       cidrsubnetFunc,
		"cidrsubnets":      cidrsubnetsFunc,
		"coalesce":         coalesceFunc,
		"coalescelist":     stdlib.CoalesceListFunc,
		"compact":          stdlib.CompactFunc,
		"concat":           stdlib.ConcatFunc,
		"contains":         containsFunc,
		"csvdecode":        stdlib.CSVDecodeFunc,
		"dirname":          dirnameFunc,
		"distinct":         stdlib.DistinctFunc,
		"element":          elementFunc,
		"endswith":         stringPredicate(strings.HasSuffix, false),
		"ephemeralasnull":  ephemeralasnullFunc,
		"file":             fa.contentFunc("file", utf8Text),
		"filebase64":       fa.contentFunc("filebase64", func(b []byte) (string, error) { return b64(b), nil }),
		"filebase64sha256": fa.contentFunc("filebase64sha256", b64Of(sha256Sum)),
		"filebase64sha512": fa.contentFunc("filebase64sha512", b64Of(sha512Sum)),
		"fileexists":       fa.fileexistsFunc(),
		"filemd5":          fa.contentFunc("filemd5", hexOf(md5Sum)),
		"fileset":          fa.filesetFunc(env.budget.lim.MaxElements),
		"filesha1":         fa.contentFunc("filesha1", hexOf(sha1Sum)),
		"filesha256":       fa.contentFunc("filesha256", hexOf(sha256Sum)),
		"filesha512":       fa.contentFunc("filesha512", hexOf(sha512Sum)),
		"flatten":          stdlib.FlattenFunc,
		"floor":            stdlib.FloorFunc,
		"format":           formatFunc(stdlib.FormatFunc, cty.String),
		"formatdate":       stdlib.FormatDateFunc,
		"formatlist":       formatFunc(stdlib.FormatListFunc, cty.List(cty.String)),
		"indent":           stdlib.IndentFunc,
		"index":            indexFunc,
		"issensitive":      issensitiveFunc,
		"join":             stdlib.JoinFunc,
		"jsondecode":       stdlib.JSONDecodeFunc,
		"jsonencode":       stdlib.JSONEncodeFunc,
		"keys":             stdlib.KeysFunc,
		"length":           lengthFunc,
		"log":              stdlib.LogFunc,
		"lookup":           lookupFunc,
		"lower":            stdlib.LowerFunc,
		"matchkeys":        matchkeysFunc,
		"max":              stdlib.MaxFunc,
		"md5":              hashFunc(md5Sum, hex.EncodeToString),
		"merge":            stdlib.MergeFunc,
		"min":              stdlib.MinFunc,
		"nonsensitive":     nonsensitiveFunc,
		"one":              oneFunc,
		"parseint":         stdlib.ParseIntFunc,
		"pathexpand":       pathexpandFunc,
		"plantimestamp":    plantimestampFunc(env.planTimestamp),
		"pow":              stdlib.PowFunc,
		"range":            stdlib.RangeFunc,
		"regex":            stdlib.RegexFunc,
		"regexall":         stdlib.RegexAllFunc,
		"replace":          replaceFunc,
		"reverse":          stdlib.ReverseListFunc,
		"rsadecrypt":       rsadecryptFunc,
		"sensitive":        sensitiveFunc,
		"setintersection":  stdlib.SetIntersectionFunc,
		"setproduct":       stdlib.SetProductFunc,
		"setsubtract":      stdlib.SetSubtractFunc,
		"setunion":         stdlib.SetUnionFunc,
		"sha1":             hashFunc(sha1Sum, hex.EncodeToString),
		"sha256":           hashFunc(sha256Sum, hex.EncodeToString),
		"sha512":           hashFunc(sha512Sum, hex.EncodeToString),
		"signum":           signumFunc,
		"slice":            stdlib.SliceFunc,
		"sort":             stdlib.SortFunc,
		"split":            stdlib.SplitFunc,
		"startswith":       stringPredicate(strings.HasPrefix, true),
		"strcontains":      strcontainsFunc,
		"strrev":           stdlib.ReverseFunc,
		"substr":           stdlib.SubstrFunc,
		"sum":              sumFunc,
		"textdecodebase64": textEncodingFunc(false),
		"textencodebase64": textEncodingFunc(true),
		"timeadd":          stdlib.TimeAddFunc,
		"timecmp":          timecmpFunc,
		"timestamp":        impureFunc("timestamp", nil, nil, cty.String),
		"title":            stdlib.TitleFunc,
		"tobool":           stdlib.MakeToFunc(cty.Bool),
		"tolist":           stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":            stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":         stdlib.MakeToFunc(cty.Number),
		"toset":            stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":         stdlib.MakeToFunc(cty.String),
		"transpose":        transposeFunc,
		"trim":             stdlib.TrimFunc,
		"trimprefix":       stdlib.TrimPrefixFunc,
		"trimspace":        stdlib.TrimSpaceFunc,
		"trimsuffix":       stdlib.TrimSuffixFunc,
		"try":              tryfunc.TryFunc,
		"upper":            stdlib.UpperFunc,
		"urlencode":        urlencodeFunc,
		"uuid":             impureFunc("uuid", nil, nil, cty.String),
		"uuidv5":           uuidv5Func,
		"values":           stdlib.ValuesFunc,
		"yamldecode":       yamldecodeFunc,
		"yamlencode":       ctyyaml.YAMLEncodeFunc,
		"zipmap":           stdlib.ZipmapFunc,

		"provider::aws::arn_parse":          arnParseFunc,
		"provider::aws::arn_build":          arnBuildFunc,
		"provider::aws::trim_iam_role_path": trimIAMRolePathFunc,
	}
	// The template functions see the table without themselves: Terraform forbids a
	// template from calling a template function.
	var inner map[string]function.Function
	templates := func() map[string]function.Function { return inner }
	fns["templatefile"] = fa.templatefileFunc(templates)
	fns["templatestring"] = templatestringFunc(templates)
	for name, f := range fns {
		fns[name] = budgeted(name, f, env.budget)
	}
	for name, f := range fns {
		if !strings.Contains(name, "::") {
			fns["core::"+name] = f
		}
	}
	inner = make(map[string]function.Function, len(fns))
	for k, v := range fns {
		if !strings.HasSuffix(k, "templatefile") && !strings.HasSuffix(k, "templatestring") {
			inner[k] = v
		}
	}
	inner[budgetFunc] = budgetFunction(env.budget)
	fns[budgetFunc] = inner[budgetFunc]
	return fns
}

// unsupportedFunc stands in for a function this package does not know (another
// provider's): the call evaluates to an unknown value naming the function, so only values
// that use it are lost.
func unsupportedFunc(name string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType,
			AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return unknown("function %s is not supported by the configuration evaluator", name), nil
		},
	})
}

// pathexpandFunc expands a leading ~ to the home directory of whoever ran terraform plan,
// which this evaluator cannot know; other paths are returned as they are.
var pathexpandFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p := args[0].AsString()
		if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
			return refused(cty.String, fmt.Sprintf("pathexpand(%q) depends on the home directory of the machine that ran terraform plan", p)), nil
		}
		return cty.StringVal(p), nil
	},
})

// yamldecodeFunc is Terraform's yamldecode, except that a document using aliases is not
// expanded (a few aliases can expand to gigabytes): its value is unknown.
var yamldecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "src", Type: cty.String}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !args[0].IsKnown() || hasYAMLAlias(args[0].AsString()) {
			return cty.DynamicPseudoType, nil
		}
		return ctyyaml.YAMLDecodeFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		if hasYAMLAlias(args[0].AsString()) {
			return refused(ty, "yamldecode(): the document uses YAML aliases, which this evaluator does not expand"), nil
		}
		return ctyyaml.YAMLDecodeFunc.Call(args)
	},
})

// yamlAnchor and yamlAlias find "&name" and "*name" where YAML allows a node property
// or an alias (after a separator); a "*" inside a scalar such as "s3://b/*" is neither.
var (
	yamlAnchor = regexp.MustCompile(`(^|[\s:\-\[{,])&[^\s\[\]{},]`)
	yamlAlias  = regexp.MustCompile(`(^|[\s:\-\[{,])\*[^\s\[\]{},]`)
)

// hasYAMLAlias reports whether YAML source may use an alias; it errs towards yes.
func hasYAMLAlias(src string) bool {
	return yamlAnchor.MatchString(src) && yamlAlias.MatchString(src)
}

// templatestringFunc is Terraform's templatestring: its first argument must be a
// reference to a string holding a template, never a literal.
func templatestringFunc(fns func() map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "template", Type: customdecode.ExpressionClosureType},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			closure := customdecode.ExpressionClosureFromVal(args[0])
			if _, diags := hcl.AbsTraversalForExpr(closure.Expression); diags.HasErrors() {
				return cty.DynamicVal, function.NewArgErrorf(0, "invalid template expression: must be a direct reference to a single string from elsewhere, containing valid Terraform template syntax")
			}
			v, diags := closure.Value()
			if diags.HasErrors() {
				return cty.DynamicVal, function.NewArgErrorf(0, "%s", diags.Error())
			}
			plain, marks := v.Unmark()
			if !plain.IsKnown() {
				return cty.DynamicVal.WithMarks(marks), nil
			}
			if plain.Type() != cty.String || plain.IsNull() {
				return cty.DynamicVal, function.NewArgErrorf(0, "invalid template value: a string is required")
			}
			out, err := renderTemplate([]byte(plain.AsString()), "<templatestring argument>", args[1], fns())
			if err != nil {
				return cty.DynamicVal, err
			}
			return out.WithMarks(marks), nil
		},
	})
}
