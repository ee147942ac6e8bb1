package awsstub

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
)

var arnObject = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"partition": tftypes.String, "service": tftypes.String, "region": tftypes.String,
	"account_id": tftypes.String, "resource": tftypes.String,
}}

// TestFunctionSignatures checks the served signatures against the real
// provider's documentation
// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/functions/).
func TestFunctionSignatures(t *testing.T) {
	s := newServer(t)
	resp, err := s.GetFunctions(context.Background(), &tfprotov5.GetFunctionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		params []string
		ret    tftypes.Type
	}{
		"arn_parse":          {[]string{"arn"}, arnObject},
		"arn_build":          {[]string{"partition", "service", "region", "account_id", "resource"}, tftypes.String},
		"trim_iam_role_path": {[]string{"arn"}, tftypes.String},
	}
	if len(resp.Functions) != len(want) {
		t.Errorf("served %d functions, want %d", len(resp.Functions), len(want))
	}
	for name, w := range want {
		f, ok := resp.Functions[name]
		if !ok {
			t.Errorf("%s is not served", name)
			continue
		}
		var got []string
		for _, p := range f.Parameters {
			got = append(got, p.Name)
			if !p.Type.Is(tftypes.String) || p.AllowNullValue || p.AllowUnknownValues {
				t.Errorf("%s parameter %s: type %v null %v unknown %v, want a string allowing neither", name, p.Name, p.Type, p.AllowNullValue, p.AllowUnknownValues)
			}
		}
		if strings.Join(got, ",") != strings.Join(w.params, ",") {
			t.Errorf("%s parameters %v, want %v", name, got, w.params)
		}
		if f.VariadicParameter != nil {
			t.Errorf("%s has a variadic parameter", name)
		}
		if f.Return == nil || !f.Return.Type.Equal(w.ret) {
			t.Errorf("%s returns %v, want %v", name, f.Return, w.ret)
		}
	}
	schema, err := s.GetProviderSchema(context.Background(), &tfprotov5.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(schema.Functions) != len(want) {
		t.Errorf("provider schema lists %d functions, want %d", len(schema.Functions), len(want))
	}
	meta, err := s.GetMetadata(context.Background(), &tfprotov5.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Functions) != len(want) {
		t.Errorf("metadata lists %d functions, want %d", len(meta.Functions), len(want))
	}
}

func TestCallFunction(t *testing.T) {
	s := newServer(t)
	str := func(v string) *tfprotov5.DynamicValue {
		return dynamic(t, tftypes.String, tftypes.NewValue(tftypes.String, v))
	}
	strs := func(vs ...string) []*tfprotov5.DynamicValue {
		var out []*tfprotov5.DynamicValue
		for _, v := range vs {
			out = append(out, str(v))
		}
		return out
	}
	for _, c := range []struct {
		name    string
		fn      string
		args    []*tfprotov5.DynamicValue
		ret     tftypes.Type
		want    tftypes.Value
		wantErr string
		errArg  int64 // meaningful when wantErr is set; -1: no argument named
	}{
		{
			name: "arn_parse splits an S3 object ARN", fn: "arn_parse",
			args: strs("arn:aws:s3:::sales-raw/input/*"), ret: arnObject,
			want: tftypes.NewValue(arnObject, map[string]tftypes.Value{
				"partition": tftypes.NewValue(tftypes.String, "aws"), "service": tftypes.NewValue(tftypes.String, "s3"),
				"region": tftypes.NewValue(tftypes.String, ""), "account_id": tftypes.NewValue(tftypes.String, ""),
				"resource": tftypes.NewValue(tftypes.String, "sales-raw/input/*"),
			}),
		},
		{
			name: "arn_parse keeps a role path in the resource", fn: "arn_parse",
			args: strs("arn:aws-cn:iam::444455556666:role/service/etl"), ret: arnObject,
			want: tftypes.NewValue(arnObject, map[string]tftypes.Value{
				"partition": tftypes.NewValue(tftypes.String, "aws-cn"), "service": tftypes.NewValue(tftypes.String, "iam"),
				"region": tftypes.NewValue(tftypes.String, ""), "account_id": tftypes.NewValue(tftypes.String, "444455556666"),
				"resource": tftypes.NewValue(tftypes.String, "role/service/etl"),
			}),
		},
		{
			name: "arn_build joins the parts", fn: "arn_build",
			args: strs("aws", "s3", "", "", "sales-raw/*"), ret: tftypes.String,
			want: tftypes.NewValue(tftypes.String, "arn:aws:s3:::sales-raw/*"),
		},
		{
			name: "trim_iam_role_path drops the path", fn: "trim_iam_role_path",
			args: strs("arn:aws:iam::444455556666:role/service/glue/etl"), ret: tftypes.String,
			want: tftypes.NewValue(tftypes.String, "arn:aws:iam::444455556666:role/etl"),
		},
		{
			name: "trim_iam_role_path keeps a role without path", fn: "trim_iam_role_path",
			args: strs("arn:aws:iam::444455556666:role/etl"), ret: tftypes.String,
			want: tftypes.NewValue(tftypes.String, "arn:aws:iam::444455556666:role/etl"),
		},
		{name: "arn_parse rejects a non-ARN", fn: "arn_parse", args: strs("sales-raw"), wantErr: "arn", errArg: 0},
		{name: "trim_iam_role_path rejects a user ARN", fn: "trim_iam_role_path", args: strs("arn:aws:iam::444455556666:user/etl"), wantErr: "not an IAM role ARN", errArg: 0},
		{name: "a null argument is named", fn: "arn_build", args: []*tfprotov5.DynamicValue{str("aws"), str("s3"), dynamic(t, tftypes.String, tftypes.NewValue(tftypes.String, nil)), str(""), str("b")}, wantErr: "argument 3", errArg: 2},
		{name: "a missing argument count is an error", fn: "arn_build", args: strs("aws"), wantErr: "takes 5 arguments, got 1", errArg: -1},
		{name: "an unknown function is an error", fn: "arn_mangle", args: strs("x"), wantErr: "arn_mangle is not served", errArg: -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := s.CallFunction(context.Background(), &tfprotov5.CallFunctionRequest{Name: c.fn, Arguments: c.args})
			if err != nil {
				t.Fatal(err)
			}
			if c.wantErr != "" {
				if resp.Error == nil || !strings.Contains(resp.Error.Text, c.wantErr) {
					t.Fatalf("error %+v, want one containing %q", resp.Error, c.wantErr)
				}
				switch {
				case c.errArg < 0 && resp.Error.FunctionArgument != nil:
					t.Errorf("error names argument %d, want none", *resp.Error.FunctionArgument)
				case c.errArg >= 0 && (resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != c.errArg):
					t.Errorf("error names argument %v, want %d", resp.Error.FunctionArgument, c.errArg)
				}
				if resp.Result != nil {
					t.Errorf("an error came with a result")
				}
				return
			}
			if resp.Error != nil {
				t.Fatalf("error: %s", resp.Error.Text)
			}
			got, err := resp.Result.Unmarshal(c.ret)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(c.want) {
				t.Errorf("result %v, want %v", got, c.want)
			}
		})
	}
}

// TestFunctionsPlan has the real terraform call the served functions.
func TestFunctionsPlan(t *testing.T) {
	t.Parallel()
	tf := acctest.Terraform(t)
	dir := "testdata/functions"
	tf.Validate(t, dir)
	var plan tfjson.Plan
	if err := json.Unmarshal(tf.Plan(t, dir, nil), &plan); err != nil {
		t.Fatalf("decoding plan JSON: %v", err)
	}
	outputs := plan.PlannedValues.Outputs
	want := map[string]any{
		"parsed":  map[string]any{"partition": "aws", "service": "s3", "region": "", "account_id": "", "resource": "sales-raw/input/*"},
		"built":   "arn:aws:iam::" + DefaultAccountID + ":role/service/glue/etl",
		"trimmed": "arn:aws:iam::" + DefaultAccountID + ":role/etl",
	}
	for name, w := range want {
		o, ok := outputs[name]
		if !ok {
			t.Errorf("no output %s", name)
			continue
		}
		gotJSON, _ := json.Marshal(o.Value)
		wantJSON, _ := json.Marshal(w)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("output %s = %s, want %s", name, gotJSON, wantJSON)
		}
	}
	if c := plan.OutputChanges["trimmed_later"]; c == nil || c.AfterUnknown != true {
		t.Errorf("output trimmed_later is not planned unknown: %+v", c)
	}
}
