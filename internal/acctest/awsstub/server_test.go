package awsstub

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

func newServer(t *testing.T) *Server {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// object builds a value of block's type: the given attributes and blocks,
// null for other attributes, no elements for other blocks.
func object(block *tfprotov5.SchemaBlock, set map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for _, a := range block.Attributes {
		vals[a.Name] = tftypes.NewValue(a.Type, nil)
	}
	for _, nb := range block.BlockTypes {
		switch nb.Nesting {
		case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
			vals[nb.TypeName] = tftypes.NewValue(nb.ValueType(), nil)
		case tfprotov5.SchemaNestedBlockNestingModeMap:
			vals[nb.TypeName] = tftypes.NewValue(nb.ValueType(), map[string]tftypes.Value{})
		default:
			vals[nb.TypeName] = tftypes.NewValue(nb.ValueType(), []tftypes.Value{})
		}
	}
	for k, v := range set {
		vals[k] = v
	}
	return tftypes.NewValue(block.ValueType(), vals)
}

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov5.DynamicValue {
	t.Helper()
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func decode(t *testing.T, typ tftypes.Type, dv *tfprotov5.DynamicValue, diags []*tfprotov5.Diagnostic) map[string]tftypes.Value {
	t.Helper()
	for _, d := range diags {
		t.Fatalf("diagnostic: %s: %s", d.Summary, d.Detail)
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return attrs(v)
}

func blockOf(t *testing.T, block *tfprotov5.SchemaBlock, name string) *tfprotov5.SchemaNestedBlock {
	t.Helper()
	nb := nestedBlock(block, name)
	if nb == nil {
		t.Fatalf("no block %s", name)
	}
	return nb
}

func configure(t *testing.T, s *Server, set map[string]tftypes.Value) {
	t.Helper()
	resp, err := s.ConfigureProvider(t.Context(), &tfprotov5.ConfigureProviderRequest{
		Config: dynamic(t, s.schemas.provider.ValueType(), object(s.schemas.provider.Block, set)),
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
	}
}

func assumeRoles(s *Server, arns ...string) tftypes.Value {
	nb := nestedBlock(s.schemas.provider.Block, "assume_role")
	var blocks []tftypes.Value
	for _, arn := range arns {
		blocks = append(blocks, object(nb.Block, map[string]tftypes.Value{"role_arn": stringValue(arn)}))
	}
	return tftypes.NewValue(nb.ValueType(), blocks)
}

func plan(t *testing.T, s *Server, typeName string, prior, proposed tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	typ := s.schemas.resources[typeName].ValueType()
	resp, err := s.PlanResourceChange(t.Context(), &tfprotov5.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: dynamic(t, typ, prior), ProposedNewState: dynamic(t, typ, proposed), Config: dynamic(t, typ, proposed),
	})
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, typ, resp.PlannedState, resp.Diagnostics)
}

func TestSchemaConversion(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if n := len(s.schemas.resources); n != 40 {
		t.Errorf("%d resource types, want the 40 of the embedded schema", n)
	}
	if v := s.schemas.resources["aws_vpc"].Version; v != 1 {
		t.Errorf("aws_vpc schema version %d, want 1", v)
	}
	cmd := blockOf(t, s.schemas.resources["aws_glue_job"].Block, "command")
	if cmd.Nesting != tfprotov5.SchemaNestedBlockNestingModeList || cmd.MinItems != 1 || cmd.MaxItems != 1 {
		t.Errorf("aws_glue_job.command nesting %v items %d..%d, want a list of exactly one", cmd.Nesting, cmd.MinItems, cmd.MaxItems)
	}
	stmt := blockOf(t, s.schemas.dataSources["aws_iam_policy_document"].Block, "statement")
	if cond := blockOf(t, stmt.Block, "condition"); cond.Nesting != tfprotov5.SchemaNestedBlockNestingModeSet {
		t.Errorf("statement.condition nesting %v, want set", cond.Nesting)
	}
	var dnsEntry *tfprotov5.SchemaAttribute
	for _, a := range s.schemas.resources["aws_vpc_endpoint"].Block.Attributes {
		if a.Name == "dns_entry" {
			dnsEntry = a
		}
	}
	want := tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"dns_name": tftypes.String, "hosted_zone_id": tftypes.String}}}
	if dnsEntry == nil || !dnsEntry.Type.Equal(want) || !dnsEntry.Computed {
		t.Errorf("aws_vpc_endpoint.dns_entry = %+v, want computed %s", dnsEntry, want)
	}
}

func TestPlanCreate(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	configure(t, s, map[string]tftypes.Value{
		"region":       stringValue("eu-west-1"),
		"default_tags": tftypes.NewValue(nestedBlock(s.schemas.provider.Block, "default_tags").ValueType(), []tftypes.Value{object(nestedBlock(s.schemas.provider.Block, "default_tags").Block, map[string]tftypes.Value{"tags": stringMapValue(map[string]string{"Owner": "data", "Team": "default"})})}),
	})
	res := func(name string) *tfprotov5.SchemaBlock { return s.schemas.resources[name].Block }
	glueCmd := blockOf(t, res("aws_glue_job"), "command")

	tests := map[string]struct {
		typeName string
		config   map[string]tftypes.Value
		known    map[string]tftypes.Value
		unknown  []string
		null     []string
	}{
		"role: path defaults to /, identity attributes unknown, tags_all are the default tags": {
			typeName: "aws_iam_role",
			config:   map[string]tftypes.Value{"name": stringValue("etl"), "assume_role_policy": stringValue("{}")},
			known: map[string]tftypes.Value{
				"name": stringValue("etl"), "path": stringValue("/"), "max_session_duration": numberValue(3600),
				"tags_all": stringMapValue(map[string]string{"Owner": "data", "Team": "default"}),
			},
			unknown: []string{"arn", "id", "unique_id", "create_date"},
			null:    []string{"permissions_boundary", "description"},
		},
		"bucket without a name: name and ARN unknown; tags merged over default tags": {
			typeName: "aws_s3_bucket",
			config:   map[string]tftypes.Value{"tags": stringMapValue(map[string]string{"Team": "etl"})},
			known:    map[string]tftypes.Value{"tags_all": stringMapValue(map[string]string{"Owner": "data", "Team": "etl"}), "region": stringValue("eu-west-1")},
			unknown:  []string{"bucket", "arn", "id", "policy", "bucket_region"},
		},
		"kms key: enabled symmetric key, id and policy unknown": {
			typeName: "aws_kms_key",
			config:   map[string]tftypes.Value{"region": stringValue("us-west-2")},
			known:    map[string]tftypes.Value{"is_enabled": boolValue(true), "key_usage": stringValue("ENCRYPT_DECRYPT"), "region": stringValue("us-west-2")},
			unknown:  []string{"arn", "key_id", "policy", "multi_region"},
		},
		"vpc endpoint and organizations policy types default": {
			typeName: "aws_vpc_endpoint",
			config:   map[string]tftypes.Value{"service_name": stringValue("com.amazonaws.eu-west-1.s3"), "vpc_id": stringValue("vpc-1")},
			known:    map[string]tftypes.Value{"vpc_endpoint_type": stringValue("Gateway")},
			unknown:  []string{"id", "prefix_list_id", "policy", "route_table_ids"},
		},
		"catalog table: ARN, catalog id and table type unknown": {
			typeName: "aws_glue_catalog_table",
			config:   map[string]tftypes.Value{"name": stringValue("orders"), "database_name": stringValue("sales")},
			known:    map[string]tftypes.Value{"region": stringValue("eu-west-1")},
			unknown:  []string{"arn", "id", "catalog_id", "table_type", "parameters"},
			null:     []string{"owner", "description", "retention"},
		},
		"lake formation registration: hybrid mode and role computed when left out": {
			typeName: "aws_lakeformation_resource",
			config:   map[string]tftypes.Value{"arn": stringValue("arn:aws:s3:::lake")},
			known:    map[string]tftypes.Value{"arn": stringValue("arn:aws:s3:::lake")},
			unknown:  []string{"hybrid_access_enabled", "role_arn", "last_modified", "with_federation"},
			null:     []string{"use_service_linked_role"},
		},
		"lake formation grant: grant option computed": {
			typeName: "aws_lakeformation_permissions",
			config: map[string]tftypes.Value{"principal": stringValue("arn:aws:iam::1:role/r"),
				"permissions": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{stringValue("SELECT")})},
			unknown: []string{"permissions_with_grant_option", "id"},
			null:    []string{"catalog_id"},
		},
		"glue job: command name defaults, python version unknown": {
			typeName: "aws_glue_job",
			config: map[string]tftypes.Value{"name": stringValue("nightly"), "role_arn": stringValue("arn:aws:iam::1:role/r"), "command": tftypes.NewValue(glueCmd.ValueType(), []tftypes.Value{
				object(glueCmd.Block, map[string]tftypes.Value{"script_location": stringValue("s3://b/s.py")}),
			})},
			unknown: []string{"glue_version", "arn"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			block := res(tc.typeName)
			got := plan(t, s, tc.typeName, tftypes.NewValue(block.ValueType(), nil), object(block, tc.config))
			for attr, want := range tc.known {
				if !got[attr].Equal(want) {
					t.Errorf("%s = %s, want %s", attr, got[attr], want)
				}
			}
			for _, attr := range tc.unknown {
				if got[attr].IsKnown() {
					t.Errorf("%s = %s, want unknown", attr, got[attr])
				}
			}
			for _, attr := range tc.null {
				if !got[attr].IsNull() {
					t.Errorf("%s = %s, want null (not computed, no default)", attr, got[attr])
				}
			}
			if tc.typeName == "aws_glue_job" {
				cmd := attrs(elems(got["command"])[0])
				if n, _ := knownString(cmd["name"]); n != "glueetl" || cmd["python_version"].IsKnown() {
					t.Errorf("command[0] name %s python_version %s, want glueetl and unknown", cmd["name"], cmd["python_version"])
				}
			}
		})
	}
}

func TestPlanUpdateKeepsPriorComputedValues(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	block := s.schemas.resources["aws_iam_role"].Block
	prior := object(block, map[string]tftypes.Value{"name": stringValue("etl"), "path": stringValue("/"), "arn": stringValue("arn:aws:iam::1:role/etl")})
	proposed := object(block, map[string]tftypes.Value{"name": stringValue("etl"), "description": stringValue("new"), "arn": stringValue("arn:aws:iam::1:role/etl")})
	got := plan(t, s, "aws_iam_role", prior, proposed)
	if a, _ := knownString(got["arn"]); a != "arn:aws:iam::1:role/etl" {
		t.Errorf("arn %s, want the prior value kept", got["arn"])
	}
	if p, _ := knownString(got["path"]); p != "/" {
		t.Errorf("path %s, want the default filled again on update", got["path"])
	}
	if got["unique_id"].IsKnown() && !got["unique_id"].IsNull() {
		t.Errorf("unique_id %s invented on update", got["unique_id"])
	}
}

func TestApplyInventsAWSShapedValues(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	configure(t, s, map[string]tftypes.Value{"assume_role": assumeRoles(s, "arn:aws:iam::111111111111:role/hop", "arn:aws:iam::999988887777:role/deploy")})
	tests := map[string]struct {
		typeName string
		config   map[string]tftypes.Value
		want     map[string]*regexp.Regexp
	}{
		"role ARN from account of the last assumed role, path and name": {
			typeName: "aws_iam_role",
			config:   map[string]tftypes.Value{"name": stringValue("etl"), "path": stringValue("/service/"), "assume_role_policy": stringValue("{}")},
			want: map[string]*regexp.Regexp{
				"arn":         regexp.MustCompile(`^arn:aws:iam::999988887777:role/service/etl$`),
				"unique_id":   regexp.MustCompile(`^AROA[0-9A-F]{17}$`),
				"name_prefix": regexp.MustCompile(`^$`), // null
			},
		},
		"bucket ARN from the bucket name": {
			typeName: "aws_s3_bucket",
			config:   map[string]tftypes.Value{"bucket": stringValue("sales")},
			want:     map[string]*regexp.Regexp{"arn": regexp.MustCompile(`^arn:aws:s3:::sales$`), "id": regexp.MustCompile(`^sales$`)},
		},
		"generated bucket name from its prefix": {
			typeName: "aws_s3_bucket",
			config:   map[string]tftypes.Value{"bucket_prefix": stringValue("logs-")},
			want:     map[string]*regexp.Regexp{"bucket": regexp.MustCompile(`^logs-[0-9a-f]{26}$`), "arn": regexp.MustCompile(`^arn:aws:s3:::logs-[0-9a-f]{26}$`)},
		},
		"kms key ARN with a UUID key id in the key's region": {
			typeName: "aws_kms_key",
			config:   map[string]tftypes.Value{"region": stringValue("eu-central-1")},
			want: map[string]*regexp.Regexp{
				"arn":    regexp.MustCompile(`^arn:aws:kms:eu-central-1:999988887777:key/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`),
				"policy": regexp.MustCompile(`"AWS":"arn:aws:iam::999988887777:root"`),
			},
		},
		"catalog table id and ARN from catalog, database and name": {
			typeName: "aws_glue_catalog_table",
			config:   map[string]tftypes.Value{"name": stringValue("orders"), "database_name": stringValue("sales")},
			want: map[string]*regexp.Regexp{
				"id":  regexp.MustCompile(`^999988887777:sales:orders$`),
				"arn": regexp.MustCompile(`^arn:aws:glue:us-east-1:999988887777:table/sales/orders$`),
			},
		},
		"lake formation registration without role_arn uses the service-linked role": {
			typeName: "aws_lakeformation_resource",
			config:   map[string]tftypes.Value{"arn": stringValue("arn:aws:s3:::lake/sales"), "use_service_linked_role": boolValue(true)},
			want: map[string]*regexp.Regexp{
				"id":       regexp.MustCompile(`^arn:aws:s3:::lake/sales$`),
				"role_arn": regexp.MustCompile(`^arn:aws:iam::999988887777:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess$`),
			},
		},
		"vpc endpoint id": {
			typeName: "aws_vpc_endpoint",
			config:   map[string]tftypes.Value{"service_name": stringValue("com.amazonaws.us-east-1.s3"), "vpc_id": stringValue("vpc-1")},
			want:     map[string]*regexp.Regexp{"id": regexp.MustCompile(`^vpce-[0-9a-f]{17}$`), "prefix_list_id": regexp.MustCompile(`^pl-[0-9a-f]{8}$`)},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			block := s.schemas.resources[tc.typeName].Block
			typ := block.ValueType()
			null := tftypes.NewValue(typ, nil)
			planned := dynamic(t, typ, tftypes.NewValue(typ, plan(t, s, tc.typeName, null, object(block, tc.config))))
			var states []map[string]tftypes.Value
			for range 2 {
				resp, err := s.ApplyResourceChange(t.Context(), &tfprotov5.ApplyResourceChangeRequest{TypeName: tc.typeName, PriorState: dynamic(t, typ, null), PlannedState: planned, Config: planned})
				if err != nil {
					t.Fatal(err)
				}
				states = append(states, decode(t, typ, resp.NewState, resp.Diagnostics))
			}
			state := tftypes.NewValue(typ, states[0])
			if !state.IsFullyKnown() {
				t.Errorf("applied state still holds unknown values: %s", state)
			}
			if !state.Equal(tftypes.NewValue(typ, states[1])) {
				t.Error("two applies of the same plan invented different values")
			}
			for attr, re := range tc.want {
				got, _ := knownString(states[0][attr])
				if !re.MatchString(got) {
					t.Errorf("%s = %q, want match of %s", attr, got, re)
				}
			}
		})
	}
}

func readData(t *testing.T, s *Server, typeName string, config map[string]tftypes.Value) (map[string]tftypes.Value, []*tfprotov5.Diagnostic) {
	t.Helper()
	sch := s.schemas.dataSources[typeName]
	resp, err := s.ReadDataSource(t.Context(), &tfprotov5.ReadDataSourceRequest{TypeName: typeName, Config: dynamic(t, sch.ValueType(), object(sch.Block, config))})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		return nil, resp.Diagnostics
	}
	return decode(t, sch.ValueType(), resp.State, nil), nil
}

func TestReadDataSource(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	configure(t, s, map[string]tftypes.Value{"region": stringValue("eu-west-1"), "assume_role": assumeRoles(s, "arn:aws:iam::999988887777:role/deploy")})

	t.Run("caller identity is the assumed role's account", func(t *testing.T) {
		got, diags := readData(t, s, "aws_caller_identity", nil)
		if diags != nil {
			t.Fatal(diags[0].Detail)
		}
		if a, _ := knownString(got["account_id"]); a != "999988887777" {
			t.Errorf("account_id %q", a)
		}
		if a, _ := knownString(got["arn"]); a != "arn:aws:sts::999988887777:assumed-role/deploy/terraform" {
			t.Errorf("arn %q, want the assumed-role session ARN", a)
		}
	})
	t.Run("region is the provider's unless the data source names one", func(t *testing.T) {
		got, _ := readData(t, s, "aws_region", nil)
		if r, _ := knownString(got["region"]); r != "eu-west-1" {
			t.Errorf("region %q, want the provider region", r)
		}
		got, _ = readData(t, s, "aws_region", map[string]tftypes.Value{"region": stringValue("us-west-2")})
		if r, _ := knownString(got["endpoint"]); r != "ec2.us-west-2.amazonaws.com" {
			t.Errorf("endpoint %q, want the named region's", r)
		}
	})
	t.Run("policy document is rendered by policydoc and normalized like the provider's state", func(t *testing.T) {
		stmt := blockOf(t, s.schemas.dataSources["aws_iam_policy_document"].Block, "statement")
		stmtValue := object(stmt.Block, map[string]tftypes.Value{
			"actions":   tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{stringValue("s3:GetObject"), stringValue("s3:ListBucket")}),
			"resources": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{stringValue("arn:aws:s3:::b/&{aws:username}")}),
		})
		got, diags := readData(t, s, "aws_iam_policy_document", map[string]tftypes.Value{"statement": tftypes.NewValue(stmt.ValueType(), []tftypes.Value{stmtValue})})
		if diags != nil {
			t.Fatal(diags[0].Detail)
		}
		wantJSON, wantMin, err := policydoc.Render(policydoc.Document{Statements: []policydoc.Statement{{Actions: []string{"s3:GetObject", "s3:ListBucket"}, Resources: []string{"arn:aws:s3:::b/&{aws:username}"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if j, _ := knownString(got["json"]); j != wantJSON || !strings.Contains(j, "${aws:username}") {
			t.Errorf("json:\n%s\nwant:\n%s", j, wantJSON)
		}
		if m, _ := knownString(got["minified_json"]); m != wantMin {
			t.Errorf("minified_json %s, want %s", m, wantMin)
		}
		if v, _ := knownString(got["version"]); v != "2012-10-17" {
			t.Errorf("version %q, want the default stored", v)
		}
		st := attrs(elems(got["statement"])[0])
		if e, _ := knownString(st["effect"]); e != "Allow" || st["not_actions"].IsNull() || st["sid"].IsNull() {
			t.Errorf("statement state effect %s not_actions %s sid %s, want Allow, empty set, empty string", st["effect"], st["not_actions"], st["sid"])
		}
	})
	t.Run("policy document errors surface as diagnostics", func(t *testing.T) {
		_, diags := readData(t, s, "aws_iam_policy_document", map[string]tftypes.Value{"source_policy_documents": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{stringValue("not json")})})
		if diags == nil || !strings.Contains(diags[0].Detail, "source_policy_documents[0]") {
			t.Errorf("diagnostics %v, want the unreadable source document named", diags)
		}
	})
	t.Run("AWS managed policy is read from the embedded data", func(t *testing.T) {
		arn := "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
		got, diags := readData(t, s, "aws_iam_policy", map[string]tftypes.Value{"arn": stringValue(arn)})
		if diags != nil {
			t.Fatal(diags[0].Detail)
		}
		info, ok := awsdata.ManagedPolicy(arn)
		if !ok {
			t.Fatalf("%s is not embedded in internal/awsdata", arn)
		}
		if p, _ := knownString(got["policy"]); p != string(info.Document) || !strings.Contains(p, "glue:") {
			t.Errorf("policy %q, want the embedded AWSGlueServiceRole document", p)
		}
		if n, _ := knownString(got["name"]); n != "AWSGlueServiceRole" {
			t.Errorf("name %q", n)
		}
	})
	t.Run("data sources of existing resources reveal only what AWS's do", func(t *testing.T) {
		got, diags := readData(t, s, "aws_s3_bucket", map[string]tftypes.Value{"bucket": stringValue("sales")})
		if diags != nil {
			t.Fatalf("data.aws_s3_bucket: %v", diags)
		}
		if a, _ := knownString(got["arn"]); a != "arn:aws:s3:::sales" {
			t.Errorf("arn %q", a)
		}
		got, diags = readData(t, s, "aws_iam_role", map[string]tftypes.Value{"name": stringValue("etl")})
		if diags != nil {
			t.Fatalf("data.aws_iam_role: %v", diags)
		}
		if a, _ := knownString(got["arn"]); !strings.HasPrefix(a, "arn:aws:iam::") || !strings.HasSuffix(a, ":role/etl") {
			t.Errorf("role arn %q", a)
		}
	})
	t.Run("every catalog table exists under the stand-in's catalog bucket", func(t *testing.T) {
		got, diags := readData(t, s, "aws_glue_catalog_table", map[string]tftypes.Value{"database_name": stringValue("sales"), "name": stringValue("orders")})
		if diags != nil {
			t.Fatalf("data.aws_glue_catalog_table: %v", diags[0].Detail)
		}
		if a, _ := knownString(got["arn"]); a != "arn:aws:glue:eu-west-1:999988887777:table/sales/orders" {
			t.Errorf("arn %q", a)
		}
		sd := elems(got["storage_descriptor"])
		if len(sd) != 1 {
			t.Fatalf("%d storage descriptors, want 1", len(sd))
		}
		if l, _ := knownString(attrs(sd[0])["location"]); l != "s3://"+StubCatalogBucket+"-999988887777/sales/orders/" {
			t.Errorf("location %q", l)
		}
		if pk := elems(got["partition_keys"]); pk == nil || len(pk) != 0 {
			t.Errorf("partition_keys %v, want a known empty list", got["partition_keys"])
		}
	})
	t.Run("organization data sources agree with each other", func(t *testing.T) {
		org, diags := readData(t, s, "aws_organizations_organization", nil)
		if diags != nil {
			t.Fatal(diags[0].Detail)
		}
		orgID, _ := knownString(org["id"])
		if m, _ := knownString(org["master_account_id"]); m != "999988887777" || !regexp.MustCompile(`^o-[a-z0-9]{10}$`).MatchString(orgID) {
			t.Errorf("master_account_id %q id %q, want the caller's account and an o- id", m, orgID)
		}
		var ids []string
		for _, a := range elems(org["accounts"]) {
			id, _ := knownString(attrs(a)["id"])
			ids = append(ids, id)
		}
		if !slices.Equal(ids, []string{"999988887777", DefaultAccountID}) || len(elems(org["non_master_accounts"])) != 1 {
			t.Errorf("accounts %v, non_master_accounts %v; want the management account and %s", ids, org["non_master_accounts"], DefaultAccountID)
		}
		roots := elems(org["roots"])
		if len(roots) != 1 {
			t.Fatalf("roots %v, want one", org["roots"])
		}
		root, _ := knownString(attrs(roots[0])["id"])
		ou, diags := readData(t, s, "aws_organizations_organizational_unit", map[string]tftypes.Value{"parent_id": stringValue(root), "name": stringValue("Workloads")})
		if diags != nil {
			t.Fatal(diags[0].Detail)
		}
		ouID, _ := knownString(ou["id"])
		if !regexp.MustCompile(`^ou-` + root[2:] + `-[a-z0-9]{8}$`).MatchString(ouID) {
			t.Errorf("OU id %q, want ou-%s-<8>", ouID, root[2:])
		}
		if a, _ := knownString(ou["arn"]); a != "arn:aws:organizations::999988887777:ou/"+orgID+"/"+ouID {
			t.Errorf("OU arn %q", a)
		}
		units, diags := readData(t, s, "aws_organizations_organizational_units", map[string]tftypes.Value{"parent_id": stringValue(root)})
		if diags != nil {
			t.Fatal(diags[0].Detail)
		}
		found := false
		for _, c := range elems(units["children"]) {
			id, _ := knownString(attrs(c)["id"])
			name, _ := knownString(attrs(c)["name"])
			found = found || id == ouID && name == "Workloads"
		}
		if !found {
			t.Errorf("children %v, want Workloads with id %s", units["children"], ouID)
		}
		only, _ := readData(t, s, "aws_organizations_organization", map[string]tftypes.Value{"return_organization_only": boolValue(true)})
		if !only["accounts"].IsNull() || !only["roots"].IsNull() {
			t.Errorf("return_organization_only: accounts %v roots %v, want null", only["accounts"], only["roots"])
		}
		workload := newServer(t)
		configure(t, workload, map[string]tftypes.Value{"region": stringValue("eu-west-1")})
		member, _ := readData(t, workload, "aws_organizations_organization", nil)
		if m, _ := knownString(member["master_account_id"]); m != StubManagementAccountID {
			t.Errorf("read from %s: master_account_id %q, want %s (the workload account is a member)", DefaultAccountID, m, StubManagementAccountID)
		}
		_, diags = readData(t, s, "aws_organizations_organizational_unit", map[string]tftypes.Value{"parent_id": stringValue("111122223333"), "name": stringValue("x")})
		if diags == nil || !strings.Contains(diags[0].Detail, "parent_id 111122223333") {
			t.Errorf("diagnostics %v, want the bad parent_id named", diags)
		}
	})
	t.Run("data sources that need AWS are refused", func(t *testing.T) {
		for typeName, config := range map[string]map[string]tftypes.Value{
			"aws_iam_policy": {"arn": stringValue("arn:aws:iam::111122223333:policy/customer")},
		} {
			_, diags := readData(t, s, typeName, config)
			if diags == nil || !strings.Contains(diags[0].Detail, "not supported by the offline stand-in") {
				t.Errorf("data.%s: diagnostics %v, want not supported", typeName, diags)
			}
		}
	})
}
