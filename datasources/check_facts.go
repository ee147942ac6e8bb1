package datasources

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// Allowed values of the enumerated inputs.
var (
	failOnValues    = []string{failOnDeny, failOnUnknown, failOnNever}
	commandValues   = []string{"glueetl", "gluestreaming", "pythonshell", "glueray"}
	s3EncModes      = []string{access.S3EncryptionDisabled, access.S3EncryptionSSES3, access.S3EncryptionSSEKMS}
	ownershipValues = []string{access.OwnershipBucketOwnerEnforced, access.OwnershipBucketOwnerPreferred, access.OwnershipObjectWriter}
	endpointTypes   = []string{access.EndpointGateway, access.EndpointInterface}
	accessModes     = []string{access.ModeRead, access.ModeWrite, access.ModeReadWrite, access.ModeTemp}
	// grantOperations are the KMS grant operations that matter for S3 data.
	grantOperations = []string{"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
		"ReEncryptFrom", "ReEncryptTo", "DescribeKey", "CreateGrant", "RetireGrant", "Sign", "Verify",
		"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret"}
)

// factBuilder turns the check's configuration into access facts, reporting
// every malformed known value on its attribute path. Values not known yet are
// skipped: validation runs before Terraform knows them, and Read only runs
// once every input is known.
type factBuilder struct {
	defaults *ProviderData
	// parse makes policy documents be parsed to report syntax errors on
	// their attribute. Validation does; Read leaves it to the access model,
	// which parses every document anyway and reports invalid ones as findings.
	parse bool
	diags diag.Diagnostics
}

// validateFacts builds the facts at validate time, parsing every known policy.
func (m *checkModel) validateFacts() diag.Diagnostics {
	_, diags := m.buildFacts(&factBuilder{parse: true})
	return diags
}

// facts builds the facts for a read, with the provider's defaults.
func (m *checkModel) facts(defaults *ProviderData) (*access.Facts, diag.Diagnostics) {
	return m.buildFacts(&factBuilder{defaults: defaults})
}

func (m *checkModel) buildFacts(b *factBuilder) (*access.Facts, diag.Diagnostics) {
	if b.defaults == nil {
		b.defaults = &ProviderData{}
	}
	f := &access.Facts{}
	b.oneOf(m.FailOn, path.Root("fail_on"), failOnValues)
	if m.Job == nil && m.jobUnknown {
		return f, b.diags
	}
	if m.Job == nil {
		b.diags.AddAttributeError(path.Root("job"), "Missing job block",
			"glueaccess_check needs a job block describing the Glue job (name, role_arn, script_location, ...).")
		return f, b.diags
	}
	f.Job, f.Role = b.job(m.Job), b.role(m.Role, m.Job)
	f.Job.Region = b.region(m)
	account := ""
	if f.Role != nil && f.Role.Account.Known {
		account = f.Role.Account.V
	} else if a, err := parseARN(m.Job.RoleARN.ValueString()); err == nil {
		account = a.Account
	}
	f.Buckets = b.buckets(m.Buckets, account, f.Job.Region)
	f.Keys = b.keys(m.KMSKeys)
	f.Network = b.network(f.Job.Connections, m.VPCEndpoint, f.Job.Region)
	if m.Organization != nil {
		org, diags := m.Organization.build(path.Root("organization"))
		b.diags.Append(diags...)
		f.Org = org
	} else {
		f.Org = b.defaults.Organization
	}
	f.Access = b.access(m.Access)
	return f, b.diags
}

// oneOf reports a known value outside allowed.
func (b *factBuilder) oneOf(v types.String, at path.Path, allowed []string) {
	if !known(v) {
		return
	}
	for _, a := range allowed {
		if v.ValueString() == a {
			return
		}
	}
	b.diags.AddAttributeError(at, "Invalid value",
		fmt.Sprintf("%q is not one of %s.", v.ValueString(), strings.Join(allowed, ", ")))
}

// required reports a null attribute of a block that is present. The schema
// cannot mark it required: the framework would then demand it even when the
// optional block is absent.
func (b *factBuilder) required(v types.String, at path.Path) {
	if v.IsNull() {
		b.diags.AddAttributeError(at, "Missing required argument",
			fmt.Sprintf("The argument %q is required in this block.", pathLabel(at)))
	}
}

// check runs fn on a known value and reports its error on at.
func (b *factBuilder) check(v types.String, at path.Path, summary string, fn func(string) error) {
	if !known(v) {
		return
	}
	if err := fn(v.ValueString()); err != nil {
		b.diags.AddAttributeError(at, summary, err.Error())
	}
}

// policy returns the document at v as a fact, nil when v is null; a known
// document that does not parse as kind, or names an action that does not
// exist, is reported on at.
func (b *factBuilder) policy(v types.String, at path.Path, kind iam.Kind) *access.PolicyDoc {
	if v.IsNull() {
		return nil
	}
	label := pathLabel(at)
	doc := &access.PolicyDoc{Label: label, From: access.Provenance{Attribute: label}}
	if v.IsUnknown() {
		return doc
	}
	if b.parse {
		p, err := parsePolicy(v.ValueString(), kind, label)
		if err != nil {
			b.diags.AddAttributeError(at, "Invalid policy document", err.Error())
		}
		addActionErrors(&b.diags, at, p)
	}
	doc.JSON, doc.Known = v.ValueString(), true
	return doc
}

// str returns a string fact: known, or unknown with where it comes from.
func strFact(v types.String, at path.Path) access.Value[string] {
	from := access.Provenance{Attribute: pathLabel(at)}
	if !known(v) {
		return access.Unknown[string](from)
	}
	return access.Known(v.ValueString(), from)
}

func (b *factBuilder) job(j *jobModel) access.Job {
	at := path.Root("job")
	out := access.Job{
		Address:        "job " + j.Name.ValueString(),
		Name:           strFact(j.Name, at.AtName("name")),
		RoleRef:        strFact(j.RoleARN, at.AtName("role_arn")),
		ScriptLocation: strFact(j.ScriptLocation, at.AtName("script_location")),
		Partition:      b.defaults.Partition,
	}
	b.required(j.Name, at.AtName("name"))
	b.required(j.RoleARN, at.AtName("role_arn"))
	if j.Command.IsNull() {
		out.Command = access.Known("glueetl", access.Provenance{Note: "default job type"})
	} else {
		b.oneOf(j.Command, at.AtName("command"), commandValues)
		out.Command = strFact(j.Command, at.AtName("command"))
	}
	if !j.GlueVersion.IsNull() {
		out.GlueVersion = strFact(j.GlueVersion, at.AtName("glue_version"))
	}
	b.check(j.RoleARN, at.AtName("role_arn"), "Invalid role ARN", func(s string) error {
		a, err := checkRoleARN(s)
		if err == nil && out.Partition == "" {
			out.Partition = a.Partition
		}
		return err
	})
	b.check(j.ScriptLocation, at.AtName("script_location"), "Invalid S3 URL", func(s string) error {
		_, err := parseS3URL(s)
		return err
	})
	out.DefaultArguments = b.argMap(j.DefaultArguments, at.AtName("default_arguments"))
	out.NonOverridableArguments = b.argMap(j.NonOverridableArguments, at.AtName("non_overridable_arguments"))

	conns := elements[connectionModel](j.Connections)
	for i, c := range conns {
		cAt := at.AtName("connection").AtListIndex(i)
		b.check(c.SubnetID, cAt.AtName("subnet_id"), "Invalid subnet id", func(s string) error {
			if !strings.HasPrefix(s, "subnet-") {
				return fmt.Errorf("%w: %q is not a subnet id (subnet-…)", errBadValue, s)
			}
			return nil
		})
		subnet := strFact(c.SubnetID, cAt.AtName("subnet_id"))
		if c.SubnetID.IsNull() {
			subnet = access.Known("", subnet.From)
		}
		out.Connections = append(out.Connections, access.Connection{
			Name: c.Name.ValueString(), Found: true, Address: pathLabel(cAt),
			From: access.Provenance{Attribute: pathLabel(cAt)}, SubnetID: subnet,
		})
	}

	if sc := j.SecurityConfiguration; sc != nil {
		scAt := at.AtName("security_configuration")
		b.required(sc.Name, scAt.AtName("name"))
		b.oneOf(sc.S3EncryptionMode, scAt.AtName("s3_encryption_mode"), s3EncModes)
		b.check(sc.S3KMSKeyARN, scAt.AtName("s3_kms_key_arn"), "Invalid KMS key ARN", func(s string) error {
			_, err := checkKMSKeyARN(s, true)
			return err
		})
		if sc.S3EncryptionMode.ValueString() == access.S3EncryptionSSEKMS && sc.S3KMSKeyARN.IsNull() {
			b.diags.AddAttributeError(scAt.AtName("s3_kms_key_arn"), "Missing KMS key",
				"s3_encryption_mode SSE-KMS needs s3_kms_key_arn, the key Glue encrypts every written object with.")
		}
		mode := strFact(sc.S3EncryptionMode, scAt.AtName("s3_encryption_mode"))
		if sc.S3EncryptionMode.IsNull() {
			mode = access.Known(access.S3EncryptionDisabled, access.Provenance{Note: "default s3_encryption_mode"})
		}
		out.SecurityConfiguration = &access.SecurityConfiguration{
			Name:             sc.Name.ValueString(),
			Address:          pathLabel(scAt),
			From:             access.Provenance{Attribute: pathLabel(scAt)},
			S3EncryptionMode: mode,
			S3KMSKeyARN:      strFact(sc.S3KMSKeyARN, scAt.AtName("s3_kms_key_arn")),
		}
	}
	return out
}

// s3Arguments are the Glue job parameters whose values are comma-separated
// S3 URLs (docs/model.md#s3-locations); --additional-python-modules mixes S3 URLs with PyPI
// names, so only its s3:// entries are checked.
var s3Arguments = map[string]bool{
	"--scriptLocation": true, "--TempDir": true, "--spark-event-logs-path": true,
	"--extra-py-files": true, "--extra-jars": true, "--extra-files": true, "--s3-py-modules": true,
	"--additional-python-modules": false,
}

// argMap returns a job-argument map fact; null means an empty map. Known
// values of the S3-location parameters must be S3 URLs.
func (b *factBuilder) argMap(v types.Map, at path.Path) access.Value[map[string]string] {
	from := access.Provenance{Attribute: pathLabel(at)}
	if v.IsUnknown() {
		return access.Unknown[map[string]string](from)
	}
	m := mapStrings(v)
	if m == nil {
		m = map[string]string{}
	}
	for _, key := range slices.Sorted(maps.Keys(m)) {
		all, ok := s3Arguments[key]
		if !ok {
			continue
		}
		for _, entry := range strings.Split(m[key], ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" || (!all && !awsid.HasS3Scheme(entry)) {
				continue
			}
			if _, err := parseS3URL(entry); err != nil {
				b.diags.AddAttributeError(at.AtMapKey(key), "Invalid S3 URL", fmt.Sprintf("job parameter %s: %v", key, err))
			}
		}
	}
	return access.Known(m, from)
}

// region is the job's Region: its own, the provider's, else the Region of the
// key its security configuration or first kms_key names.
func (b *factBuilder) region(m *checkModel) access.Value[string] {
	at := path.Root("job").AtName("region")
	if !m.Job.Region.IsNull() {
		b.check(m.Job.Region, at, "Invalid region", CheckRegion)
		return strFact(m.Job.Region, at)
	}
	if b.defaults.Region != "" {
		return access.Known(b.defaults.Region, access.Provenance{Note: "provider region"})
	}
	var keyARNs []string
	if sc := m.Job.SecurityConfiguration; sc != nil && known(sc.S3KMSKeyARN) {
		keyARNs = append(keyARNs, sc.S3KMSKeyARN.ValueString())
	}
	if keys := elements[kmsKeyModel](m.KMSKeys); len(keys) > 0 && known(keys[0].ARN) {
		keyARNs = append(keyARNs, keys[0].ARN.ValueString())
	}
	for _, k := range keyARNs {
		if a, err := parseARN(k); err == nil && a.Region != "" {
			return access.Known(a.Region, access.Provenance{Note: "Region of KMS key " + k})
		}
	}
	return access.Unknown[string](access.Provenance{Attribute: pathLabel(at)})
}

func (b *factBuilder) role(r *roleModel, j *jobModel) *access.Role {
	if r == nil {
		return nil
	}
	at := path.Root("role")
	out := &access.Role{
		Address:          "role",
		ARN:              strFact(j.RoleARN, path.Root("job").AtName("role_arn")),
		PoliciesComplete: r.PoliciesComplete.IsNull() || r.PoliciesComplete.ValueBool(),
	}
	out.Name, out.Account = access.Unknown[string](out.ARN.From), access.Unknown[string](out.ARN.From)
	if a, err := parseARN(j.RoleARN.ValueString()); known(j.RoleARN) && err == nil {
		out.Account = access.Known(a.Account, out.ARN.From)
		out.Name = access.Known(a.Resource[strings.LastIndex(a.Resource, "/")+1:], out.ARN.From)
		out.Address = "role " + out.Name.V
	}
	out.UniqueID = access.Unknown[string](access.Provenance{Note: "role unique id is not an input"})
	if r.Tags.IsUnknown() {
		out.Tags = access.Unknown[map[string]string](access.Provenance{Attribute: "role.tags"})
	} else {
		tags := mapStrings(r.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		out.Tags = access.Known(tags, access.Provenance{Attribute: "role.tags"})
	}

	docs, diags := listStrings(r.Policies, at.AtName("policies"))
	b.diags.Append(diags...)
	for _, d := range docs {
		out.Inline = append(out.Inline, *b.policy(d.Value, d.Path, iam.KindIdentity))
	}
	arns, diags := listStrings(r.ManagedPolicyARNs, at.AtName("managed_policy_arns"))
	b.diags.Append(diags...)
	for _, a := range arns {
		b.check(a.Value, a.Path, "Invalid policy ARN", func(s string) error {
			_, err := checkPolicyARN(s)
			return err
		})
		out.Managed = append(out.Managed, access.ManagedPolicy{ARN: strFact(a.Value, a.Path)})
	}
	if !r.PermissionsBoundary.IsNull() || !r.PermissionsBoundaryPolicy.IsNull() {
		b.check(r.PermissionsBoundary, at.AtName("permissions_boundary"), "Invalid policy ARN", func(s string) error {
			_, err := checkPolicyARN(s)
			return err
		})
		boundary := &access.ManagedPolicy{ARN: strFact(r.PermissionsBoundary, at.AtName("permissions_boundary"))}
		boundary.Document = b.policy(r.PermissionsBoundaryPolicy, at.AtName("permissions_boundary_policy"), iam.KindBoundary)
		out.Boundary = boundary
	}
	return out
}

func (b *factBuilder) buckets(l types.List, roleAccount string, jobRegion access.Value[string]) []access.Bucket {
	buckets := elements[bucketModel](l)
	seen := map[string]bool{}
	out := make([]access.Bucket, 0, len(buckets))
	for i, bm := range buckets {
		at := path.Root("bucket").AtListIndex(i)
		from := access.Provenance{Attribute: pathLabel(at)}
		b.check(bm.Name, at.AtName("name"), "Invalid bucket name", checkBucketName)
		if known(bm.Name) {
			if seen[bm.Name.ValueString()] {
				b.diags.AddAttributeError(at.AtName("name"), "Duplicate bucket",
					fmt.Sprintf("Bucket %q is described by more than one bucket block.", bm.Name.ValueString()))
			}
			seen[bm.Name.ValueString()] = true
		}
		b.check(bm.OwnerAccount, at.AtName("owner_account"), "Invalid account id", CheckAccountID)
		b.check(bm.Region, at.AtName("region"), "Invalid region", CheckRegion)
		b.oneOf(bm.ObjectOwnership, at.AtName("object_ownership"), ownershipValues)
		b.check(bm.KMSKeyARN, at.AtName("kms_key_arn"), "Invalid KMS key ARN", func(s string) error {
			_, err := checkKMSKeyARN(s, true)
			return err
		})

		bucket := access.Bucket{
			Name:    bm.Name.ValueString(),
			Address: pathLabel(at),
			From:    from,
			Owner:   strFact(bm.OwnerAccount, at.AtName("owner_account")),
			Region:  strFact(bm.Region, at.AtName("region")),
			Policy:  b.policy(bm.Policy, at.AtName("policy"), iam.KindResource),
		}
		if bm.OwnerAccount.IsNull() {
			switch {
			case b.defaults.AccountID != "":
				bucket.Owner = access.Known(b.defaults.AccountID, access.Provenance{Note: "provider account_id"})
			case roleAccount != "":
				bucket.Owner = access.Known(roleAccount, access.Provenance{Note: "assumed: same account as the job's role"})
			}
		}
		if bm.Region.IsNull() {
			bucket.Region = jobRegion
		}
		bucket.ObjectOwnership = defaulted(bm.ObjectOwnership, at.AtName("object_ownership"), access.OwnershipBucketOwnerEnforced)
		bucket.RequestPayer = access.Known(access.PayerBucketOwner, access.Provenance{Note: "default: not Requester Pays"})
		if bm.RequesterPays.IsUnknown() {
			bucket.RequestPayer = access.Unknown[string](access.Provenance{Attribute: pathLabel(at.AtName("requester_pays"))})
		} else if bm.RequesterPays.ValueBool() {
			bucket.RequestPayer = access.Known(access.PayerRequester, access.Provenance{Attribute: pathLabel(at.AtName("requester_pays"))})
		}
		sseFrom := access.Provenance{Attribute: pathLabel(at.AtName("kms_key_arn"))}
		switch {
		case bm.KMSKeyARN.IsUnknown():
			bucket.SSEAlgorithm = access.Unknown[string](sseFrom)
			bucket.SSEKMSKeyID = access.Unknown[string](sseFrom)
		case bm.KMSKeyARN.IsNull():
			bucket.SSEAlgorithm = access.Known("", access.Provenance{Note: "default encryption SSE-S3"})
			bucket.SSEKMSKeyID = access.Known("", sseFrom)
		default:
			bucket.SSEAlgorithm = access.Known(access.SSEKMS, sseFrom)
			bucket.SSEKMSKeyID = access.Known(bm.KMSKeyARN.ValueString(), sseFrom)
		}
		bucket.BucketKeyEnabled = boolDefault(bm.BucketKeyEnabled, at.AtName("bucket_key_enabled"), false)
		allBlocked := access.Known(true, access.Provenance{Note: "AWS default for new buckets"})
		bucket.PublicAccess = access.PublicAccessBlock{
			BlockPublicACLs:       allBlocked,
			IgnorePublicACLs:      allBlocked,
			BlockPublicPolicy:     allBlocked,
			RestrictPublicBuckets: boolDefault(bm.RestrictPublicBuckets, at.AtName("restrict_public_buckets"), true),
		}
		out = append(out, bucket)
	}
	return out
}

// defaulted returns a string fact, def when the value is null.
func defaulted(v types.String, at path.Path, def string) access.Value[string] {
	if v.IsNull() {
		return access.Known(def, access.Provenance{Note: "default " + pathLabel(at)})
	}
	return strFact(v, at)
}

// boolDefault returns a bool fact, def when the value is null.
func boolDefault(v types.Bool, at path.Path, def bool) access.Value[bool] {
	from := access.Provenance{Attribute: pathLabel(at)}
	switch {
	case v.IsUnknown():
		return access.Unknown[bool](from)
	case v.IsNull():
		return access.Known(def, access.Provenance{Note: "default " + pathLabel(at)})
	}
	return access.Known(v.ValueBool(), from)
}

func (b *factBuilder) keys(l types.List) []access.KMSKey {
	keys := elements[kmsKeyModel](l)
	out := make([]access.KMSKey, 0, len(keys))
	for i, k := range keys {
		at := path.Root("kms_key").AtListIndex(i)
		key := access.KMSKey{
			ARN:     strFact(k.ARN, at.AtName("arn")),
			Address: pathLabel(at),
			Policy:  b.policy(k.Policy, at.AtName("policy"), iam.KindKeyPolicy),
			Enabled: boolDefault(k.Enabled, at.AtName("enabled"), true),
			Account: access.Unknown[string](access.Provenance{Attribute: pathLabel(at.AtName("arn"))}),
		}
		b.check(k.ARN, at.AtName("arn"), "Invalid KMS key ARN", func(s string) error {
			a, err := checkKMSKeyARN(s, false)
			if err == nil {
				key.KeyID = strings.TrimPrefix(a.Resource, "key/")
				key.Account = access.Known(a.Account, key.ARN.From)
			}
			return err
		})
		aliases, diags := stringValues(k.Aliases, at.AtName("aliases"))
		b.diags.Append(diags...)
		key.Aliases = aliases
		grants := elements[grantModel](k.Grants)
		for j, g := range grants {
			gAt := at.AtName("grant").AtListIndex(j)
			b.check(g.GranteePrincipal, gAt.AtName("grantee_principal"), "Invalid principal ARN", func(s string) error {
				_, err := parseARN(s)
				return err
			})
			ops, diags := listStrings(g.Operations, gAt.AtName("operations"))
			b.diags.Append(diags...)
			grant := access.KMSGrant{Label: g.Name.ValueString(), GranteePrincipal: strFact(g.GranteePrincipal, gAt.AtName("grantee_principal"))}
			if grant.Label == "" {
				grant.Label = pathLabel(gAt)
			}
			for _, op := range ops {
				b.oneOf(op.Value, op.Path, grantOperations)
				if known(op.Value) {
					grant.Operations = append(grant.Operations, op.Value.ValueString())
				}
			}
			grant.ContextEquals = mapStrings(g.EncryptionContextEquals)
			grant.ContextSubset = mapStrings(g.EncryptionContextSubset)
			key.Grants = append(key.Grants, grant)
		}
		out = append(out, key)
	}
	return out
}

// network describes where the job's subnet sends S3 traffic: through the
// vpc_endpoint when one is given, else through a NAT. Nil when no connection
// places the job in a subnet.
func (b *factBuilder) network(conns []access.Connection, e *vpcEndpointModel, region access.Value[string]) *access.Network {
	at := path.Root("vpc_endpoint")
	if e != nil {
		b.required(e.ID, at.AtName("id"))
		b.required(e.VPCID, at.AtName("vpc_id"))
		b.check(e.ID, at.AtName("id"), "Invalid VPC endpoint id", prefixed("vpce-", "VPC endpoint id"))
		b.check(e.VPCID, at.AtName("vpc_id"), "Invalid VPC id", prefixed("vpc-", "VPC id"))
		b.oneOf(e.Type, at.AtName("type"), endpointTypes)
	}
	var endpointPolicy *access.PolicyDoc
	if e != nil {
		endpointPolicy = b.policy(e.Policy, at.AtName("policy"), iam.KindEndpoint)
	}
	n := &access.Network{}
	for _, c := range conns {
		subnet, ok := c.SubnetID.V, c.SubnetID.Known
		if !ok || subnet == "" {
			continue
		}
		rt := subnet + "-routes"
		if e == nil {
			// No endpoint given: the subnet's own VPC never shows in a
			// request context (NAT traffic carries no aws:SourceVpc), so a
			// label stands in for its id.
			vpc := "vpc of " + subnet
			n.Subnets = append(n.Subnets, access.Subnet{ID: subnet, From: c.From,
				VPCID: access.Known(vpc, c.From), RouteTableID: access.Known(rt, c.From)})
			n.RouteTables = append(n.RouteTables, access.RouteTable{ID: rt,
				HasNAT: access.Known(true, access.Provenance{Note: "assumed: no vpc_endpoint block, S3 traffic leaves through a NAT"})})
			continue
		}
		n.Subnets = append(n.Subnets, access.Subnet{ID: subnet, From: c.From,
			VPCID: strFact(e.VPCID, at.AtName("vpc_id")), RouteTableID: access.Known(rt, c.From)})
		n.RouteTables = append(n.RouteTables, access.RouteTable{ID: rt, HasNAT: access.Known(false, access.Provenance{Note: "S3 traffic uses the vpc_endpoint"})})
	}
	if len(n.Subnets) == 0 {
		return nil
	}
	if e != nil {
		typ := e.Type.ValueString()
		if e.Type.IsNull() {
			typ = access.EndpointGateway
		}
		ep := access.VPCEndpoint{
			ID:          e.ID.ValueString(),
			Address:     pathLabel(at),
			From:        access.Provenance{Attribute: pathLabel(at)},
			VPCID:       e.VPCID.ValueString(),
			ServiceName: "com.amazonaws." + region.V + ".s3",
			Type:        typ,
			PrivateDNS:  typ == access.EndpointInterface,
			Policy:      endpointPolicy,
		}
		for _, s := range n.Subnets {
			ep.RouteTableIDs = append(ep.RouteTableIDs, s.RouteTableID.V)
		}
		n.Endpoints = append(n.Endpoints, ep)
	}
	return n
}

// prefixed returns a check that a value starts with prefix (an AWS id form).
func prefixed(prefix, what string) func(string) error {
	return func(s string) error {
		if !strings.HasPrefix(s, prefix) || len(s) == len(prefix) {
			return fmt.Errorf("%w: %q is not a %s (%s…)", errBadValue, s, what, prefix)
		}
		return nil
	}
}

func (b *factBuilder) access(l types.List) []access.AccessPath {
	paths := elements[accessModel](l)
	out := make([]access.AccessPath, 0, len(paths))
	for i, p := range paths {
		at := path.Root("access").AtListIndex(i)
		b.check(p.Path, at.AtName("path"), "Invalid S3 URL", func(s string) error {
			_, err := parseS3URL(s)
			return err
		})
		b.oneOf(p.Mode, at.AtName("mode"), accessModes)
		out = append(out, access.AccessPath{URL: p.Path.ValueString(), Mode: p.Mode.ValueString(),
			From: access.Provenance{Attribute: pathLabel(at)}})
	}
	return out
}
