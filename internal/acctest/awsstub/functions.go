package awsstub

import (
	"errors"
	"fmt"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/tfconfig"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// The provider functions of hashicorp/aws (arn_parse, arn_build,
// trim_iam_role_path; https://registry.terraform.io/providers/hashicorp/aws/latest/docs/functions/)
// are served with the implementations the configuration evaluator uses, so
// that a plan made here and the evaluator's reading of the same configuration
// cannot disagree about them.

// providerFunction is one served function: its protocol signature and its
// implementation.
type providerFunction struct {
	spec   *tfprotov5.Function
	params []tftypes.Type
	impl   function.Function
}

// providerFunctions builds the served functions once from tfconfig's table.
func providerFunctions() map[string]providerFunction {
	out := map[string]providerFunction{}
	for name, f := range tfconfig.AWSProviderFunctions() {
		spec := &tfprotov5.Function{}
		var params []tftypes.Type
		var argTypes []cty.Type
		for _, p := range f.Params() {
			argTypes = append(argTypes, p.Type)
			t := tftypeOf(p.Type)
			params = append(params, t)
			// The real provider's parameters allow neither null nor unknown
			// values: Terraform then answers unknown without calling.
			spec.Parameters = append(spec.Parameters, &tfprotov5.FunctionParameter{Name: p.Name, Type: t})
		}
		ret, err := f.ReturnType(argTypes)
		if err != nil {
			panic(fmt.Sprintf("awsstub: provider function %s has no static return type: %v", name, err))
		}
		spec.Return = &tfprotov5.FunctionReturn{Type: tftypeOf(ret)}
		out[name] = providerFunction{spec: spec, params: params, impl: f}
	}
	return out
}

var servedFunctions = providerFunctions()

// tftypeOf translates the cty types the served functions use (strings and
// objects of them) to tftypes; any other type is a programming error.
func tftypeOf(t cty.Type) tftypes.Type {
	switch {
	case t == cty.String:
		return tftypes.String
	case t.IsObjectType():
		attrs := map[string]tftypes.Type{}
		for name, at := range t.AttributeTypes() {
			attrs[name] = tftypeOf(at)
		}
		return tftypes.Object{AttributeTypes: attrs}
	}
	panic("awsstub: provider function type " + t.FriendlyName() + " is not translated")
}

// ctyOf translates a known, non-null string argument to cty.
func ctyOf(v tftypes.Value) (cty.Value, error) {
	if !v.IsKnown() || v.IsNull() {
		return cty.NilVal, errors.New("argument must not be null or unknown")
	}
	var s string
	if err := v.As(&s); err != nil {
		return cty.NilVal, err
	}
	return cty.StringVal(s), nil
}

// tfvalueOf translates a known result (a string or an object of strings) to tftypes.
func tfvalueOf(v cty.Value) tftypes.Value {
	t := tftypeOf(v.Type())
	if v.Type() == cty.String {
		return tftypes.NewValue(t, v.AsString())
	}
	attrs := map[string]tftypes.Value{}
	for name, av := range v.AsValueMap() {
		attrs[name] = tfvalueOf(av)
	}
	return tftypes.NewValue(t, attrs)
}

func functionSpecs() map[string]*tfprotov5.Function {
	out := map[string]*tfprotov5.Function{}
	for name, f := range servedFunctions {
		out[name] = f.spec
	}
	return out
}

// callFunction decodes the arguments with the parameters' types, calls the
// implementation and encodes its result; a bad argument is a FunctionError
// naming the argument, as the real provider reports it.
func callFunction(req *tfprotov5.CallFunctionRequest) *tfprotov5.CallFunctionResponse {
	f, ok := servedFunctions[req.Name]
	if !ok {
		return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "provider function " + req.Name + " is not served by the offline stand-in"}}
	}
	if len(req.Arguments) != len(f.params) {
		return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: fmt.Sprintf("%s takes %d arguments, got %d", req.Name, len(f.params), len(req.Arguments))}}
	}
	args := make([]cty.Value, len(f.params))
	for i, t := range f.params {
		argErr := func(err error) *tfprotov5.CallFunctionResponse {
			n := int64(i)
			return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: fmt.Sprintf("%s argument %d: %v", req.Name, i+1, err), FunctionArgument: &n}}
		}
		if req.Arguments[i] == nil {
			return argErr(errors.New("argument is missing"))
		}
		v, err := req.Arguments[i].Unmarshal(t)
		if err != nil {
			return argErr(err)
		}
		if args[i], err = ctyOf(v); err != nil {
			return argErr(err)
		}
	}
	res, err := f.impl.Call(args)
	if err != nil {
		fe := &tfprotov5.FunctionError{Text: req.Name + ": " + err.Error()}
		var ae function.ArgError
		if errors.As(err, &ae) {
			n := int64(ae.Index)
			fe.FunctionArgument = &n
		}
		return &tfprotov5.CallFunctionResponse{Error: fe}
	}
	dv, err := tfprotov5.NewDynamicValue(f.spec.Return.Type, tfvalueOf(res))
	if err != nil {
		return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: req.Name + ": encoding the result: " + err.Error()}}
	}
	return &tfprotov5.CallFunctionResponse{Result: &dv}
}

// checkFunctionSignatures compares the served functions with the signatures
// the embedded schema records (as `terraform providers schema -json` prints
// the real provider's), so that the two cannot drift apart.
func checkFunctionSignatures(sigs map[string]*tfjson.FunctionSignature) error {
	if len(sigs) != len(servedFunctions) {
		return fmt.Errorf("embedded schema lists %d provider functions, %d are served", len(sigs), len(servedFunctions))
	}
	for _, name := range sortedNames(servedFunctions) {
		sig, ok := sigs[name]
		if !ok {
			return fmt.Errorf("provider function %s is served but not in the embedded schema", name)
		}
		f := servedFunctions[name].impl
		params := f.Params()
		if len(sig.Parameters) != len(params) || sig.VariadicParameter != nil {
			return fmt.Errorf("provider function %s: the embedded schema has %d parameters, %d are served", name, len(sig.Parameters), len(params))
		}
		var argTypes []cty.Type
		for i, p := range params {
			if sig.Parameters[i].Name != p.Name || !sig.Parameters[i].Type.Equals(p.Type) {
				return fmt.Errorf("provider function %s parameter %d: the embedded schema has %s %s, served is %s %s",
					name, i+1, sig.Parameters[i].Name, sig.Parameters[i].Type.FriendlyName(), p.Name, p.Type.FriendlyName())
			}
			argTypes = append(argTypes, p.Type)
		}
		ret, err := f.ReturnType(argTypes)
		if err != nil || !sig.ReturnType.Equals(ret) {
			return fmt.Errorf("provider function %s: the embedded schema returns %s, served returns %s (%v)", name, sig.ReturnType.FriendlyName(), ret.FriendlyName(), err)
		}
	}
	return nil
}
