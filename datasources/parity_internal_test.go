package datasources

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

// factParity says, for every fact the access model takes (the facts that the
// plan reader and .glueaccess.hcl build for the validator), how a module
// author supplies it to glueaccess_check:
//   - "attr:<path>": a data source attribute or block (checked below to exist
//     in the schema), with "[]" for list blocks;
//   - "provider:<name>": a provider setting;
//   - "derived: ...": computed from other arguments, as the validator does;
//   - "not: ...": why the data source has no way to say it.
//
// A new fact in internal/access fails TestFactParity until it is listed here.
var factParity = map[string]string{
	"Job.Name":                                   "attr:job.name",
	"Job.RoleRef":                                "attr:job.role_arn",
	"Job.Command":                                "attr:job.command",
	"Job.ScriptLocation":                         "attr:job.script_location",
	"Job.DefaultArguments":                       "attr:job.default_arguments",
	"Job.NonOverridableArguments":                "attr:job.non_overridable_arguments",
	"Job.Connections.Name":                       "attr:job.connection[].name",
	"Job.Connections.Found":                      "derived: every connection block describes a connection that exists",
	"Job.Connections.SubnetID":                   "attr:job.connection[].subnet_id",
	"Job.Connections.S3Properties":               "not: only NETWORK connections place the job; the S3 properties of other connection types do not change S3 authorization of the job's own requests",
	"Job.SecurityConfiguration.Name":             "attr:job.security_configuration.name",
	"Job.SecurityConfiguration.S3EncryptionMode": "attr:job.security_configuration.s3_encryption_mode",
	"Job.SecurityConfiguration.S3KMSKeyARN":      "attr:job.security_configuration.s3_kms_key_arn",
	"Job.GlueVersion":                            "attr:job.glue_version",
	"Job.Region":                                 "attr:job.region",
	"Job.Partition":                              "provider:partition",
	"Role.ARN":                                   "attr:job.role_arn",
	"Role.Name":                                  "derived: from job.role_arn",
	"Role.Account":                               "derived: from job.role_arn",
	"Role.UniqueID":                              "not: AWS assigns the unique id (AROA...) when the role is created; aws:userid stays unknown unless lookup_aws reads it",
	"Role.Tags":                                  "attr:role.tags",
	"Role.Inline":                                "attr:role.policies",
	"Role.Managed.ARN":                           "attr:role.managed_policy_arns",
	"Role.Managed.Document":                      "attr:role.policies",
	"Role.Boundary.ARN":                          "attr:role.permissions_boundary",
	"Role.Boundary.Document":                     "attr:role.permissions_boundary_policy",
	"Role.PoliciesComplete":                      "attr:role.policies_complete",
	"Buckets.Name":                               "attr:bucket[].name",
	"Buckets.Owner":                              "attr:bucket[].owner_account",
	"Buckets.Region":                             "attr:bucket[].region",
	"Buckets.Policy":                             "attr:bucket[].policy",
	"Buckets.ObjectOwnership":                    "attr:bucket[].object_ownership",
	"Buckets.ACLConfigured":                      "not: a bucket ACL matters only with ObjectWriter ownership, where the data source already takes objects as written by the job",
	"Buckets.RequestPayer":                       "attr:bucket[].requester_pays",
	"Buckets.SSEAlgorithm":                       "attr:bucket[].kms_key_arn",
	"Buckets.SSEKMSKeyID":                        "attr:bucket[].kms_key_arn",
	"Buckets.BucketKeyEnabled":                   "attr:bucket[].bucket_key_enabled",
	"Buckets.PublicAccess.BlockPublicACLs":       "derived: AWS's defaults for a bucket (all four settings on since April 2023)",
	"Buckets.PublicAccess.IgnorePublicACLs":      "derived: AWS's defaults for a bucket (all four settings on since April 2023)",
	"Buckets.PublicAccess.BlockPublicPolicy":     "derived: AWS's defaults for a bucket (all four settings on since April 2023)",
	"Buckets.PublicAccess.RestrictPublicBuckets": "attr:bucket[].restrict_public_buckets",
	"Buckets.CreatedInPlan":                      "not: the data source sees no plan; every bucket block is a described bucket",
	"Keys.ARN":                                   "attr:kms_key[].arn",
	"Keys.ARNPlaceholder":                        "not: plan placeholders of keys created in the same plan; the data source gets the key ARN once known",
	"Keys.KeyID":                                 "derived: from kms_key[].arn",
	"Keys.Account":                               "derived: from kms_key[].arn",
	"Keys.Policy":                                "attr:kms_key[].policy",
	"Keys.Grants.GranteePrincipal":               "attr:kms_key[].grant[].grantee_principal",
	"Keys.Grants.Operations":                     "attr:kms_key[].grant[].operations",
	"Keys.Grants.ContextEquals":                  "attr:kms_key[].grant[].encryption_context_equals",
	"Keys.Grants.ContextSubset":                  "attr:kms_key[].grant[].encryption_context_subset",
	"Keys.Aliases":                               "attr:kms_key[].aliases",
	"Keys.Enabled":                               "attr:kms_key[].enabled",
	"Keys.AWSManagedS3":                          "derived: a bucket kms_key_arn of alias/aws/s3 is the AWS managed key; a key/... ARN of aws/s3 is recognised only by lookup_aws",
	"Objects.Bucket":                             "not: single aws_s3_object resources are uploads the plan makes (the script); the data source describes them through job.script_location and the bucket's settings",
	"Objects.Key":                                "not: see Objects.Bucket",
	"Objects.SSEAlgorithm":                       "not: see Objects.Bucket",
	"Objects.KMSKeyID":                           "not: see Objects.Bucket",
	"Objects.BucketKeyEnabled":                   "not: see Objects.Bucket",
	"Objects.WriterAccount":                      "not: see Objects.Bucket",
	"Objects.ACL":                                "not: see Objects.Bucket",
	"Network.Subnets.ID":                         "attr:job.connection[].subnet_id",
	"Network.Subnets.VPCID":                      "attr:vpc_endpoint.vpc_id",
	"Network.Subnets.RouteTableID":               "derived: the subnet routes S3 through vpc_endpoint when the block is given, else through a NAT",
	"Network.VPCs.ID":                            "derived: the subnet's route (vpc_endpoint or NAT) is given directly, so the VPC's main route table is never consulted",
	"Network.VPCs.MainRouteTableID":              "derived: see Network.Subnets.RouteTableID",
	"Network.RouteTables.ID":                     "derived: see Network.Subnets.RouteTableID",
	"Network.RouteTables.HasNAT":                 "derived: see Network.Subnets.RouteTableID",
	"Network.Endpoints.ID":                       "attr:vpc_endpoint.id",
	"Network.Endpoints.VPCID":                    "attr:vpc_endpoint.vpc_id",
	"Network.Endpoints.ServiceName":              "derived: com.amazonaws.<job region>.s3",
	"Network.Endpoints.Type":                     "attr:vpc_endpoint.type",
	"Network.Endpoints.RouteTableIDs":            "derived: see Network.Subnets.RouteTableID",
	"Network.Endpoints.PrivateDNS":               "derived: vpc_endpoint.type Interface is taken with private DNS",
	"Network.Endpoints.InboundResolverOnly":      "not: the private DNS option for inbound endpoints only; the block describes the endpoint the job's subnet resolves to",
	"Network.Endpoints.Policy":                   "attr:vpc_endpoint.policy",
	"Org.ID":                                     "attr:organization.id",
	"Org.ManagementAccount":                      "attr:organization.management_account_id",
	"Org.Nodes.ID":                               "attr:organization.organizational_unit[].id",
	"Org.Nodes.Kind":                             "derived: root_id, organizational_unit and account blocks",
	"Org.Nodes.Name":                             "not: names appear only in reports; findings name nodes by id",
	"Org.Nodes.Parent":                           "attr:organization.account[].parent_id",
	"Org.Nodes.SCPs":                             "attr:organization.policy[].content",
	"Org.Nodes.RCPs":                             "attr:organization.policy[].type",
	"Org.Nodes.FullAWSAccessDetached":            "attr:organization.full_aws_access_detached",
	"Access.URL":                                 "attr:access[].path",
	"Access.Mode":                                "attr:access[].mode",
	"Access.Unknown":                             "not: Terraform reads a data source only once all its arguments are known (it defers the read to apply otherwise), so no value reaches it known only in part",
	"Access.Source":                              "derived: every path given to the data source is declared (SourceDeclared); the data source reads no script",
	"CatalogTables.Database":                     "not: the data source reads no script, where the validator finds the catalog tables a job names",
	"CatalogTables.Table":                        "not: see CatalogTables.Database",
	"CatalogTables.Mode":                         "not: see CatalogTables.Database",
	"CatalogTables.Source":                       "not: see CatalogTables.Database",
	"Job.PartialArguments.Key":                   "not: see Access.Unknown",
	"Job.PartialArguments.Leaves":                "not: see Access.Unknown",
	"Job.PartialArguments.NonOverridable":        "not: see Access.Unknown",
	"Job.PartialArguments.Prefix":                "not: see Access.Unknown",
	"Job.Connections.PartialS3Properties.Key":    "not: see Job.Connections.S3Properties and Access.Unknown",
	"Job.Connections.PartialS3Properties.Leaves": "not: see Job.Connections.S3Properties and Access.Unknown",
	"Job.Connections.PartialS3Properties.NonOverridable": "not: see Job.Connections.S3Properties and Access.Unknown",
	"Job.Connections.PartialS3Properties.Prefix":         "not: see Job.Connections.S3Properties and Access.Unknown",
	"Objects.Unplaced.Fact":                              "not: see Objects.Bucket",
	"Objects.Unplaced.How":                               "not: see Objects.Bucket",
	"Org.Unplaced.Attachment":                            "not: an organization policy's target_ids known only after apply defer the read (see Access.Unknown)",
	"Org.Unplaced.RCP":                                   "not: see Org.Unplaced.Attachment",
	"Org.Unplaced.Policy":                                "not: see Org.Unplaced.Attachment",
	"Org.Unplaced.Missing.Fact":                          "not: see Org.Unplaced.Attachment",
	"Org.Unplaced.Missing.How":                           "not: see Org.Unplaced.Attachment",
}

// provenanceFields say where a fact came from, not what it is.
var provenanceFields = map[string]bool{"Address": true, "From": true, "Label": true}

// factLeaves lists the facts of access.Facts: struct fields down to values,
// maps, strings and policy documents, without provenance.
func factLeaves() []string {
	var out []string
	docType := reflect.TypeOf(access.PolicyDoc{})
	pkg := reflect.TypeOf(access.Facts{}).PkgPath()
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != pkg || t == docType || strings.HasPrefix(t.Name(), "Value[") {
			out = append(out, prefix)
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || provenanceFields[f.Name] {
				continue
			}
			name := f.Name
			if prefix != "" {
				name = prefix + "." + f.Name
			}
			walk(name, f.Type)
		}
	}
	walk("", reflect.TypeOf(access.Facts{}))
	slices.Sort(out)
	return out
}

// schemaHas reports whether the data source schema has the attribute or block
// at p ("bucket[].policy", "job.connection[].name").
func schemaHas(s schema.Schema, p string) bool {
	attrs, blocks := s.Attributes, s.Blocks
	parts := strings.Split(p, ".")
	for i, part := range parts {
		name := strings.TrimSuffix(part, "[]")
		last := i == len(parts)-1
		if a, ok := attrs[name]; ok {
			return last && !strings.HasSuffix(part, "[]") && a != nil
		}
		b, ok := blocks[name]
		if !ok {
			return false
		}
		switch b := b.(type) {
		case schema.ListNestedBlock:
			if !strings.HasSuffix(part, "[]") {
				return false
			}
			attrs, blocks = b.NestedObject.Attributes, b.NestedObject.Blocks
		case schema.SingleNestedBlock:
			if strings.HasSuffix(part, "[]") {
				return false
			}
			attrs, blocks = b.Attributes, b.Blocks
		default:
			return false
		}
		if last {
			return true
		}
	}
	return false
}

// TestFactParity: every fact the validator can be given (from a plan or
// .glueaccess.hcl) is something a glueaccess_check can express, or the table
// says why not; every attribute the table names exists.
func TestFactParity(t *testing.T) {
	t.Parallel()
	leaves := factLeaves()
	if len(leaves) < 50 {
		t.Fatalf("found only %d facts in access.Facts: the walk is broken", len(leaves))
	}
	s := checkSchema()
	for _, leaf := range leaves {
		how, ok := factParity[leaf]
		if !ok {
			t.Errorf("fact %s: not in factParity; say which glueaccess_check argument supplies it, or why none can", leaf)
			continue
		}
		kind, what, _ := strings.Cut(how, ":")
		what = strings.TrimSpace(what)
		switch kind {
		case "attr":
			if !schemaHas(s, what) {
				t.Errorf("fact %s: glueaccess_check has no %s", leaf, what)
			}
		case "provider", "derived", "not":
			if what == "" {
				t.Errorf("fact %s: %q says nothing", leaf, how)
			}
		default:
			t.Errorf("fact %s: %q is not attr:, provider:, derived: or not:", leaf, how)
		}
	}
	for fact := range factParity {
		if !slices.Contains(leaves, fact) {
			t.Errorf("factParity lists %s, which access.Facts does not have", fact)
		}
	}
}

// TestSchemaHas guards the schema walk the parity test relies on.
func TestSchemaHas(t *testing.T) {
	t.Parallel()
	s := checkSchema()
	for p, want := range map[string]bool{
		"organization.id": true, "bucket[].policy": true, "job.connection[].subnet_id": true,
		"kms_key[].grant[].operations": true, "bucket.policy": false, "organization.nope": false,
		"job.connection.name": false, "job": true, "fail_on": true, "fail_on.x": false,
	} {
		if got := schemaHas(s, p); got != want {
			t.Errorf("schemaHas(%q) = %v, want %v", p, got, want)
		}
	}
}
