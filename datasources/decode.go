package datasources

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Nested blocks are decoded by hand rather than with ElementsAs: the
// framework's reflection validates every struct tag with a freshly compiled
// regular expression, which made decoding cost as much as the checks.

// blockElement is a model of one nested block element, filled from its attributes.
type blockElement[T any] interface {
	*T
	setFrom(a map[string]attr.Value)
}

// elements decodes a list block into its element models; an unknown or null
// list has none, and so has an unknown element.
func elements[T any, P blockElement[T]](l types.List) []T {
	if !known(l) {
		return nil
	}
	out := make([]T, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		o, ok := e.(types.Object)
		if !ok || !known(o) {
			continue
		}
		var t T
		P(&t).setFrom(o.Attributes())
		out = append(out, t)
	}
	return out
}

// The getters return the attribute as its framework type, null when the
// attribute is missing or of another type (which the schema rules out).

func stringAttr(a map[string]attr.Value, name string) types.String {
	if v, ok := a[name].(types.String); ok {
		return v
	}
	return types.StringNull()
}

func boolAttr(a map[string]attr.Value, name string) types.Bool {
	if v, ok := a[name].(types.Bool); ok {
		return v
	}
	return types.BoolNull()
}

func listAttr(a map[string]attr.Value, name string) types.List {
	if v, ok := a[name].(types.List); ok {
		return v
	}
	return types.ListNull(types.StringType)
}

func mapAttr(a map[string]attr.Value, name string) types.Map {
	if v, ok := a[name].(types.Map); ok {
		return v
	}
	return types.MapNull(types.StringType)
}

func (m *connectionModel) setFrom(a map[string]attr.Value) {
	m.Name, m.SubnetID = stringAttr(a, "name"), stringAttr(a, "subnet_id")
}

func (m *bucketModel) setFrom(a map[string]attr.Value) {
	*m = bucketModel{
		Name:                  stringAttr(a, "name"),
		OwnerAccount:          stringAttr(a, "owner_account"),
		Region:                stringAttr(a, "region"),
		Policy:                stringAttr(a, "policy"),
		ObjectOwnership:       stringAttr(a, "object_ownership"),
		RequesterPays:         boolAttr(a, "requester_pays"),
		KMSKeyARN:             stringAttr(a, "kms_key_arn"),
		BucketKeyEnabled:      boolAttr(a, "bucket_key_enabled"),
		RestrictPublicBuckets: boolAttr(a, "restrict_public_buckets"),
	}
}

func (m *kmsKeyModel) setFrom(a map[string]attr.Value) {
	*m = kmsKeyModel{
		ARN:     stringAttr(a, "arn"),
		Policy:  stringAttr(a, "policy"),
		Aliases: listAttr(a, "aliases"),
		Enabled: boolAttr(a, "enabled"),
		Grants:  listAttr(a, "grant"),
	}
}

func (m *grantModel) setFrom(a map[string]attr.Value) {
	*m = grantModel{
		Name:                    stringAttr(a, "name"),
		GranteePrincipal:        stringAttr(a, "grantee_principal"),
		Operations:              listAttr(a, "operations"),
		EncryptionContextEquals: mapAttr(a, "encryption_context_equals"),
		EncryptionContextSubset: mapAttr(a, "encryption_context_subset"),
	}
}

func (m *accessModel) setFrom(a map[string]attr.Value) {
	m.Path, m.Mode = stringAttr(a, "path"), stringAttr(a, "mode")
}

func (m *OrgNodeModel) setFrom(a map[string]attr.Value) {
	m.ID, m.ParentID = stringAttr(a, "id"), stringAttr(a, "parent_id")
}

func (m *OrgPolicyModel) setFrom(a map[string]attr.Value) {
	*m = OrgPolicyModel{
		Name:      stringAttr(a, "name"),
		Type:      stringAttr(a, "type"),
		Content:   stringAttr(a, "content"),
		TargetIDs: listAttr(a, "target_ids"),
	}
}

// single returns a single nested block's attributes, nil when the block is
// absent (or not known yet).
func single(a map[string]attr.Value, name string) map[string]attr.Value {
	o, ok := a[name].(types.Object)
	if !ok || !known(o) {
		return nil
	}
	return o.Attributes()
}

func (m *checkModel) setFrom(a map[string]attr.Value) {
	*m = checkModel{
		FailOn:    stringAttr(a, "fail_on"),
		LookupAWS: boolAttr(a, "lookup_aws"),
		Buckets:   listAttr(a, "bucket"),
		KMSKeys:   listAttr(a, "kms_key"),
		Access:    listAttr(a, "access"),
		Allowed:   boolAttr(a, "allowed"),
		Verdict:   stringAttr(a, "verdict"),
		Findings:  listAttr(a, "findings"),
		Summary:   listAttr(a, "summary"),
	}
	m.jobUnknown = a["job"] != nil && a["job"].IsUnknown()
	m.Crawler = decodeCrawler(a)
	if j := single(a, "job"); j != nil {
		m.Job = &jobModel{
			Name:                    stringAttr(j, "name"),
			RoleARN:                 stringAttr(j, "role_arn"),
			Command:                 stringAttr(j, "command"),
			GlueVersion:             stringAttr(j, "glue_version"),
			Region:                  stringAttr(j, "region"),
			ScriptLocation:          stringAttr(j, "script_location"),
			DefaultArguments:        mapAttr(j, "default_arguments"),
			NonOverridableArguments: mapAttr(j, "non_overridable_arguments"),
			Connections:             listAttr(j, "connection"),
		}
		if sc := single(j, "security_configuration"); sc != nil {
			m.Job.SecurityConfiguration = &securityConfigurationModel{
				Name:             stringAttr(sc, "name"),
				S3EncryptionMode: stringAttr(sc, "s3_encryption_mode"),
				S3KMSKeyARN:      stringAttr(sc, "s3_kms_key_arn"),
			}
		}
	}
	if r := single(a, "role"); r != nil {
		m.Role = &roleModel{
			Policies:                  listAttr(r, "policies"),
			ManagedPolicyARNs:         listAttr(r, "managed_policy_arns"),
			PermissionsBoundary:       stringAttr(r, "permissions_boundary"),
			PermissionsBoundaryPolicy: stringAttr(r, "permissions_boundary_policy"),
			Tags:                      mapAttr(r, "tags"),
			PoliciesComplete:          boolAttr(r, "policies_complete"),
		}
	}
	if e := single(a, "vpc_endpoint"); e != nil {
		m.VPCEndpoint = &vpcEndpointModel{
			ID:     stringAttr(e, "id"),
			VPCID:  stringAttr(e, "vpc_id"),
			Type:   stringAttr(e, "type"),
			Policy: stringAttr(e, "policy"),
		}
	}
	if o := single(a, "organization"); o != nil {
		m.Organization = &OrganizationModel{
			ID:                    stringAttr(o, "id"),
			ManagementAccountID:   stringAttr(o, "management_account_id"),
			RootID:                stringAttr(o, "root_id"),
			FullAWSAccessDetached: listAttr(o, "full_aws_access_detached"),
			Units:                 listAttr(o, "organizational_unit"),
			Accounts:              listAttr(o, "account"),
			Policies:              listAttr(o, "policy"),
		}
	}
}

// decodeCheck reads the glueaccess_check configuration into its model.
func decodeCheck(ctx context.Context, cfg tfsdk.Config) (checkModel, diag.Diagnostics) {
	var obj types.Object
	diags := cfg.Get(ctx, &obj)
	var m checkModel
	if !diags.HasError() {
		m.setFrom(obj.Attributes())
	}
	return m, diags
}
