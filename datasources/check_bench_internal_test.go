package datasources

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// realisticConfig is the configuration of a production-sized job: script and
// libraries, temp dir and Spark UI logs, an SSE-KMS security configuration,
// a VPC connection through an endpoint with a policy, six buckets with
// policies, two identity policies plus AWSGlueServiceRole, a key with a
// grant, an organization with SCPs and RCPs, and four declared paths.
// mutate, when not nil, changes the model before it is encoded.
func realisticConfig(tb testing.TB, mutate func(*checkModel)) tfsdk.Config {
	ctx := context.Background()
	s := checkSchema()
	doc := func(v any) types.String {
		raw, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return types.StringValue(string(raw))
	}
	stmt := func(sid, effect string, actions, resources []string) map[string]any {
		return map[string]any{"Sid": sid, "Effect": effect, "Action": actions, "Resource": resources}
	}
	bucketNames := []string{"etl-artifacts", "etl-scratch", "etl-logs", "raw-zone", "curated-zone", "reference-data"}
	var bucketARNs, objectARNs []string
	for _, b := range bucketNames {
		bucketARNs = append(bucketARNs, "arn:aws:s3:::"+b)
		objectARNs = append(objectARNs, "arn:aws:s3:::"+b+"/*")
	}
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	role := "arn:aws:iam::111122223333:role/etl/glue-etl"
	identity := doc(map[string]any{"Version": "2012-10-17", "Statement": []any{
		stmt("Locate", "Allow", []string{"s3:GetBucketLocation"}, []string{"*"}),
		stmt("List", "Allow", []string{"s3:ListBucket", "s3:ListBucketMultipartUploads"}, bucketARNs),
		stmt("Objects", "Allow", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}, objectARNs),
	}})
	kmsPolicy := doc(map[string]any{"Version": "2012-10-17", "Statement": []any{
		stmt("UseKey", "Allow", []string{"kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"}, []string{key}),
	}})
	var buckets []bucketModel
	for _, b := range bucketNames {
		buckets = append(buckets, bucketModel{
			Name:         types.StringValue(b),
			OwnerAccount: types.StringValue("111122223333"),
			Region:       types.StringNull(),
			Policy: doc(map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
					"Resource":  []string{"arn:aws:s3:::" + b, "arn:aws:s3:::" + b + "/*"},
					"Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}}},
			}}),
			ObjectOwnership:       types.StringNull(),
			RequesterPays:         types.BoolNull(),
			KMSKeyARN:             types.StringValue(key),
			BucketKeyEnabled:      types.BoolValue(true),
			RestrictPublicBuckets: types.BoolNull(),
		})
	}
	list := func(block string, v any) types.List {
		nb := s.Blocks[block].(schema.ListNestedBlock)
		l, diags := types.ListValueFrom(ctx, nb.NestedObject.Type(), v)
		if diags.HasError() {
			tb.Fatal(diags)
		}
		return l
	}
	strs := func(v ...string) types.List {
		l, _ := types.ListValueFrom(ctx, types.StringType, v)
		return l
	}
	jobBlocks := s.Blocks["job"].(schema.SingleNestedBlock).Blocks
	conns, diags := types.ListValueFrom(ctx, jobBlocks["connection"].(schema.ListNestedBlock).NestedObject.Type(), []connectionModel{
		{Name: types.StringValue("vpc-net"), SubnetID: types.StringValue("subnet-0a1b2c3d")},
	})
	if diags.HasError() {
		tb.Fatal(diags)
	}
	args, _ := types.MapValueFrom(ctx, types.StringType, map[string]string{
		"--TempDir":               "s3://etl-scratch/tmp/",
		"--extra-py-files":        "s3://etl-artifacts/libs/common.py,s3://etl-artifacts/libs/schemas.py",
		"--enable-spark-ui":       "true",
		"--spark-event-logs-path": "s3://etl-logs/spark/",
		"--source":                "s3://raw-zone/orders/",
	})
	grantsType := s.Blocks["kms_key"].(schema.ListNestedBlock).NestedObject.Blocks["grant"].(schema.ListNestedBlock).NestedObject.Type()
	grants, _ := types.ListValueFrom(ctx, grantsType, []grantModel{{
		Name: types.StringValue("glue"), GranteePrincipal: types.StringValue(role), Operations: strs("Decrypt", "GenerateDataKey"),
		EncryptionContextEquals: types.MapNull(types.StringType), EncryptionContextSubset: types.MapNull(types.StringType),
	}})
	orgBlocks := s.Blocks["organization"].(schema.SingleNestedBlock).Blocks
	nodeType := orgBlocks["account"].(schema.ListNestedBlock).NestedObject.Type()
	units, _ := types.ListValueFrom(ctx, nodeType, []OrgNodeModel{{ID: types.StringValue("ou-ab12-data0001"), ParentID: types.StringValue("r-ab12")}})
	accounts, _ := types.ListValueFrom(ctx, nodeType, []OrgNodeModel{{ID: types.StringValue("111122223333"), ParentID: types.StringValue("ou-ab12-data0001")}})
	policies, _ := types.ListValueFrom(ctx, orgBlocks["policy"].(schema.ListNestedBlock).NestedObject.Type(), []OrgPolicyModel{
		{Name: types.StringValue("no-bucket-deletion"), Type: types.StringNull(), TargetIDs: strs("r-ab12"),
			Content: doc(map[string]any{"Statement": []any{stmt("NoDelete", "Deny", []string{"s3:DeleteBucket"}, []string{"*"})}})},
		{Name: types.StringValue("org-only"), Type: types.StringValue(PolicyTypeRCP), TargetIDs: strs("ou-ab12-data0001"),
			Content: doc(map[string]any{"Statement": []any{map[string]any{"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
				"Condition": map[string]any{"StringNotEqualsIfExists": map[string]string{"aws:PrincipalAccount": "111122223333"}}}}})},
	})

	m := checkModel{
		FailOn: types.StringValue(failOnNever),
		Job: &jobModel{
			Name: types.StringValue("nightly"), RoleARN: types.StringValue(role), Command: types.StringNull(),
			GlueVersion: types.StringValue("5.0"), Region: types.StringNull(),
			ScriptLocation:          types.StringValue("s3://etl-artifacts/jobs/nightly.py"),
			DefaultArguments:        args,
			NonOverridableArguments: types.MapNull(types.StringType),
			Connections:             conns,
			SecurityConfiguration: &securityConfigurationModel{Name: types.StringValue("sse-kms"),
				S3EncryptionMode: types.StringValue("SSE-KMS"), S3KMSKeyARN: types.StringValue(key)},
		},
		Role: &roleModel{
			Policies:                  strs(identity.ValueString(), kmsPolicy.ValueString()),
			ManagedPolicyARNs:         strs("arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"),
			PermissionsBoundary:       types.StringNull(),
			PermissionsBoundaryPolicy: types.StringNull(),
			Tags:                      types.MapNull(types.StringType),
			PoliciesComplete:          types.BoolNull(),
		},
		Buckets: list("bucket", buckets),
		KMSKeys: list("kms_key", []kmsKeyModel{{ARN: types.StringValue(key), Policy: types.StringNull(),
			Aliases: strs("alias/etl"), Enabled: types.BoolNull(), Grants: grants}}),
		VPCEndpoint: &vpcEndpointModel{ID: types.StringValue("vpce-0a1b2c3d"), VPCID: types.StringValue("vpc-0a1b2c3d"),
			Type: types.StringNull(), Policy: types.StringNull()},
		Organization: &OrganizationModel{
			ManagementAccountID: types.StringValue("999988887777"), RootID: types.StringValue("r-ab12"),
			FullAWSAccessDetached: types.ListNull(types.StringType), Units: units, Accounts: accounts, Policies: policies,
		},
		Access: list("access", []accessModel{
			{Path: types.StringValue("s3://raw-zone/orders/"), Mode: types.StringValue("read")},
			{Path: types.StringValue("s3://reference-data/currencies/"), Mode: types.StringValue("read")},
			{Path: types.StringValue("s3://curated-zone/orders/"), Mode: types.StringValue("write")},
			{Path: types.StringValue("s3://etl-scratch/staging/"), Mode: types.StringValue("temp")},
		}),
		Allowed:  types.BoolNull(),
		Verdict:  types.StringNull(),
		Findings: types.ListNull(types.ObjectType{AttrTypes: findingAttrTypes}),
		Summary:  types.ListNull(types.StringType),
	}
	if mutate != nil {
		mutate(&m)
	}
	state := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	if diags := state.Set(ctx, &m); diags.HasError() {
		tb.Fatal(diags)
	}
	return tfsdk.Config{Schema: s, Raw: state.Raw}
}

// read runs the data source's Read on cfg and returns the new state.
func read(tb testing.TB, d *CheckDataSource, cfg tfsdk.Config) tfsdk.State {
	ctx := context.Background()
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: cfg.Schema, Raw: tftypes.NewValue(cfg.Schema.Type().TerraformType(ctx), nil)}}
	d.Read(ctx, datasource.ReadRequest{Config: cfg}, resp)
	if resp.Diagnostics.HasError() {
		tb.Fatal(resp.Diagnostics)
	}
	return resp.State
}

// readOnce runs Read and decodes the resulting state.
func readOnce(tb testing.TB, d *CheckDataSource, cfg tfsdk.Config) checkModel {
	var out checkModel
	if diags := read(tb, d, cfg).Get(context.Background(), &out); diags.HasError() {
		tb.Fatal(diags)
	}
	return out
}

// TestRealisticJobDecided pins what the benchmark measures: the realistic
// job is fully described and allowed, so every check runs to a decision, and
// taking the KMS statement away denies it under GA005 alone.
func TestRealisticJobDecided(t *testing.T) {
	d := &CheckDataSource{defaults: &ProviderData{}}
	out := readOnce(t, d, realisticConfig(t, nil))
	if out.Verdict.ValueString() != "allowed" || len(out.Findings.Elements()) != 0 {
		t.Fatalf("verdict %s, summary %s; want allowed with no findings", out.Verdict, out.Summary)
	}
	out = readOnce(t, d, realisticConfig(t, func(m *checkModel) {
		m.Role.Policies = types.ListValueMust(types.StringType, m.Role.Policies.Elements()[:1])
		ctx := context.Background()
		var keys []kmsKeyModel
		if diags := m.KMSKeys.ElementsAs(ctx, &keys, false); diags.HasError() {
			t.Fatal(diags)
		}
		keys[0].Grants = types.ListNull(keys[0].Grants.ElementType(ctx))
		m.KMSKeys = types.ListValueMust(m.KMSKeys.ElementType(ctx), []attr.Value{mustObject(t, ctx, m.KMSKeys.ElementType(ctx), keys[0])})
	}))
	if out.Verdict.ValueString() != "denied" {
		t.Fatalf("without kms permissions: verdict %s, want denied", out.Verdict)
	}
	for _, line := range out.Summary.Elements() {
		if s := line.(types.String).ValueString(); s[:5] != "GA005" {
			t.Errorf("without kms permissions only GA005 may deny, got %q", s)
		}
	}
}

// mustObject converts one element model to an object value of type typ.
func mustObject(t *testing.T, ctx context.Context, typ attr.Type, v any) attr.Value {
	l, diags := types.ListValueFrom(ctx, typ, []any{v})
	if diags.HasError() {
		t.Fatal(diags)
	}
	return l.Elements()[0]
}

// BenchmarkCheckRead measures the data source's read (configuration
// decoding, facts, the seven checks, outputs) for the realistic job.
func BenchmarkCheckRead(b *testing.B) {
	d := &CheckDataSource{defaults: &ProviderData{}}
	cfg := realisticConfig(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		read(b, d, cfg)
	}
}
