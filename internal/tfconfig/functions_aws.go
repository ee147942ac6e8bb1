package tfconfig

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// The functions the hashicorp/aws provider defines (Terraform 1.8 and later call them as
// provider::aws::<name>), as the provider documents them:
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/functions/arn_parse,
// .../arn_build and .../trim_iam_role_path. The provider parses ARNs with the AWS SDK's
// arn package, which this package uses too.

var arnObjectType = cty.Object(map[string]cty.Type{
	"partition": cty.String, "service": cty.String, "region": cty.String,
	"account_id": cty.String, "resource": cty.String,
})

var arnParseFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "arn", Type: cty.String}},
	Type:   function.StaticReturnType(arnObjectType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		a, err := arn.Parse(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(arnObjectType), function.NewArgError(0, err)
		}
		return cty.ObjectVal(map[string]cty.Value{
			"partition": cty.StringVal(a.Partition), "service": cty.StringVal(a.Service),
			"region": cty.StringVal(a.Region), "account_id": cty.StringVal(a.AccountID),
			"resource": cty.StringVal(a.Resource),
		}), nil
	},
})

var arnBuildFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "partition", Type: cty.String}, {Name: "service", Type: cty.String},
		{Name: "region", Type: cty.String}, {Name: "account_id", Type: cty.String},
		{Name: "resource", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(arn.ARN{
			Partition: args[0].AsString(), Service: args[1].AsString(), Region: args[2].AsString(),
			AccountID: args[3].AsString(), Resource: args[4].AsString(),
		}.String()), nil
	},
})

// trimIAMRolePathFunc keeps only the role name of a role ARN's resource:
// arn:aws:iam::111122223333:role/some/path/name becomes ...:role/name.
var trimIAMRolePathFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "arn", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		a, err := arn.Parse(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		parts := strings.Split(a.Resource, "/")
		if a.Service != "iam" || parts[0] != "role" || len(parts) < 2 || parts[len(parts)-1] == "" {
			return cty.UnknownVal(cty.String), function.NewArgError(0, fmt.Errorf("%q is not an IAM role ARN", args[0].AsString()))
		}
		a.Resource = "role/" + parts[len(parts)-1]
		return cty.StringVal(a.String()), nil
	},
})

// AWSProviderFunctions returns the hashicorp/aws provider functions by their short names,
// for the offline stand-in of that provider (internal/acctest/awsstub) to serve the same
// implementations Terraform configurations are evaluated with here.
func AWSProviderFunctions() map[string]function.Function {
	return map[string]function.Function{
		"arn_parse": arnParseFunc, "arn_build": arnBuildFunc, "trim_iam_role_path": trimIAMRolePathFunc,
	}
}
