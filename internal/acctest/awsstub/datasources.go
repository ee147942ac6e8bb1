package awsstub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/policydoc"
)

// regionDescriptions are the description attribute of data "aws_region"
// for common regions; others get the region code.
var regionDescriptions = map[string]string{
	"us-east-1":      "US East (N. Virginia)",
	"us-east-2":      "US East (Ohio)",
	"us-west-1":      "US West (N. California)",
	"us-west-2":      "US West (Oregon)",
	"eu-west-1":      "Europe (Ireland)",
	"eu-central-1":   "Europe (Frankfurt)",
	"ap-southeast-2": "Asia Pacific (Sydney)",
}

// ReadDataSource answers the data sources that need no AWS call,
// data "aws_s3_bucket", "aws_iam_role", "aws_kms_key" and "aws_kms_alias" as if every name
// existed (revealing only what the real data sources reveal), and
// data "aws_iam_policy" for the AWS managed policies embedded in
// internal/awsdata (looked up by arn; name lookups are refused), and the
// Organizations data sources from a fixed organization managed by the
// caller's account (see readOrganization). Terraform
// calls it only once every argument is known; otherwise it defers the read
// to apply by itself.
func (s *Server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	sch, ok := s.schemas.dataSources[req.TypeName]
	if !ok {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: unsupported("Data source type " + req.TypeName)}, nil
	}
	typ := sch.ValueType()
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Invalid configuration", fmt.Sprintf("decoding data.%s configuration: %v", req.TypeName, err))}, nil
	}
	cfg := s.config()
	current := attrs(config)
	set := map[string]tftypes.Value{}
	switch req.TypeName {
	case "aws_caller_identity":
		set["account_id"] = stringValue(cfg.account)
		set["id"] = stringValue(cfg.account)
		if cfg.callerRoleARN != "" {
			role := cfg.callerRoleARN[strings.LastIndex(cfg.callerRoleARN, "/")+1:]
			set["arn"] = stringValue("arn:aws:sts::" + cfg.account + ":assumed-role/" + role + "/terraform")
			set["user_id"] = stringValue("AROAEXAMPLEROLEID0000:terraform")
		} else {
			set["arn"] = stringValue("arn:aws:iam::" + cfg.account + ":user/terraform")
			set["user_id"] = stringValue("AIDAEXAMPLEUSERID0000")
		}
	case "aws_region":
		region := cfg.region
		for _, name := range []string{"region", "name", "id"} {
			if r, ok := knownString(current[name]); ok && r != "" {
				region = r
				break
			}
		}
		description := regionDescriptions[region]
		if description == "" {
			description = region
		}
		set["region"], set["name"], set["id"] = stringValue(region), stringValue(region), stringValue(region)
		set["endpoint"] = stringValue("ec2." + region + ".amazonaws.com")
		set["description"] = stringValue(description)
	case "aws_partition":
		set["partition"], set["id"] = stringValue("aws"), stringValue("aws")
		set["dns_suffix"] = stringValue("amazonaws.com")
		set["reverse_dns_prefix"] = stringValue("com.amazonaws")
	case "aws_iam_policy_document":
		state, diags := readPolicyDocument(sch.Block, config)
		if len(diags) > 0 {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: diags}, nil
		}
		return dataSourceResponse(typ, state)
	case "aws_iam_policy":
		arn, _ := knownString(current["arn"])
		info, ok := awsdata.ManagedPolicy(arn)
		if !ok {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: unsupported("Reading data.aws_iam_policy other than by the ARN of an AWS managed policy known to internal/awsdata")}, nil
		}
		set["id"], set["arn"] = stringValue(arn), stringValue(arn)
		set["name"], set["path"] = stringValue(info.Name), stringValue(info.Path)
		// The embedded document is compact JSON; IAM's own text may differ
		// in spacing.
		set["policy"] = stringValue(string(info.Document))
		set["policy_id"] = stringValue(managedPolicyID(arn))
		set["description"] = stringValue("")
		set["attachment_count"] = numberValue(0)
		set["tags"] = stringMapValue(map[string]string{})
	case "aws_s3_bucket":
		// A bucket is looked up by name; the stand-in has no buckets of its
		// own, so every name exists, in the provider's region. Like the real
		// data source it reveals no policy, encryption or ownership.
		name, _ := knownString(current["bucket"])
		region := cfg.region
		if r, ok := knownString(current["region"]); ok && r != "" {
			region = r
		}
		set["id"], set["arn"] = stringValue(name), stringValue("arn:aws:s3:::"+name)
		set["region"], set["bucket_region"] = stringValue(region), stringValue(region)
		set["bucket_domain_name"] = stringValue(name + ".s3.amazonaws.com")
		set["bucket_regional_domain_name"] = stringValue(name + ".s3." + region + ".amazonaws.com")
		set["hosted_zone_id"] = stringValue("Z1BKCTXD74EZPE")
	case "aws_iam_role":
		// Every role name exists at path "/" in the caller's account; the
		// real data source reveals no attached or inline policy either.
		name, _ := knownString(current["name"])
		set["id"], set["name"], set["path"] = stringValue(name), stringValue(name), stringValue("/")
		set["arn"] = stringValue("arn:aws:iam::" + cfg.account + ":role/" + name)
		set["unique_id"] = stringValue("AROA" + stableID("role/" + name)[:17])
		set["assume_role_policy"] = stringValue(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
		set["create_date"] = stringValue("2024-01-01T00:00:00Z")
		set["description"], set["permissions_boundary"] = stringValue(""), stringValue("")
		set["max_session_duration"] = numberValue(3600)
		set["tags"] = stringMapValue(map[string]string{})
	case "aws_kms_alias":
		// Every alias exists and targets a key of the caller's account and
		// region; like the real data source it reveals the target, not the
		// key's policy.
		name, _ := knownString(current["name"])
		keyID := strings.ToLower(stableID("alias/" + name)[:32])
		set["id"] = stringValue(name)
		set["arn"] = stringValue("arn:aws:kms:" + cfg.region + ":" + cfg.account + ":" + name)
		set["target_key_id"] = stringValue(keyID)
		set["target_key_arn"] = stringValue("arn:aws:kms:" + cfg.region + ":" + cfg.account + ":key/" + keyID)
		set["region"] = stringValue(cfg.region)
	case "aws_kms_key":
		// key_id may be a key id, key ARN, alias name or alias ARN; the key
		// is in the caller's account and region unless an ARN says otherwise.
		// The real data source reveals no key policy.
		ref, _ := knownString(current["key_id"])
		arn := ref
		if !strings.HasPrefix(ref, "arn:") || strings.Contains(ref, ":alias/") {
			id := strings.TrimPrefix(ref, "alias/")
			if strings.HasPrefix(ref, "alias/") || strings.Contains(ref, ":alias/") {
				id = stableID("alias/" + ref)
			}
			arn = "arn:aws:kms:" + cfg.region + ":" + cfg.account + ":key/" + id
		}
		parts := strings.SplitN(arn, ":", 6)
		id := arn[strings.LastIndexByte(arn, '/')+1:]
		set["arn"], set["id"] = stringValue(arn), stringValue(id)
		set["aws_account_id"] = stringValue(parts[4])
		set["enabled"] = boolValue(true)
		set["key_state"], set["key_usage"] = stringValue("Enabled"), stringValue("ENCRYPT_DECRYPT")
		set["key_manager"], set["origin"] = stringValue("CUSTOMER"), stringValue("AWS_KMS")
		set["customer_master_key_spec"], set["key_spec"] = stringValue("SYMMETRIC_DEFAULT"), stringValue("SYMMETRIC_DEFAULT")
		set["multi_region"] = boolValue(false)
		set["description"] = stringValue("")
		set["creation_date"] = stringValue("2024-01-01T00:00:00Z")
	case "aws_organizations_organization":
		if err := readOrganization(sch.Block, stubManagement(cfg.account), current, set); err != nil {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Read failed", "data.aws_organizations_organization: "+err.Error())}, nil
		}
	case "aws_organizations_organizational_unit":
		parent, _ := knownString(current["parent_id"])
		name, _ := knownString(current["name"])
		id, ok := stubOUID(parent, name)
		if !ok {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Invalid argument", "parent_id "+parent+" is not the id of a root (r-...) or an organizational unit (ou-...-...)")}, nil
		}
		set["id"], set["arn"] = stringValue(id), stringValue(stubOUARN(stubManagement(cfg.account), id))
	case "aws_organizations_organizational_units":
		// Every parent has the same two child OUs, named as landing zones
		// often name them; each id is the one data
		// "aws_organizations_organizational_unit" gives for that name.
		parent, _ := knownString(current["parent_id"])
		childType, err := listElementType(sch.Block, "children")
		if err != nil {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Read failed", "data.aws_organizations_organizational_units: "+err.Error())}, nil
		}
		var children []tftypes.Value
		for _, name := range stubChildOUs {
			id, ok := stubOUID(parent, name)
			if !ok {
				return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Invalid argument", "parent_id "+parent+" is not the id of a root (r-...) or an organizational unit (ou-...-...)")}, nil
			}
			children = append(children, tftypes.NewValue(childType, map[string]tftypes.Value{
				"id": stringValue(id), "arn": stringValue(stubOUARN(stubManagement(cfg.account), id)), "name": stringValue(name)}))
		}
		set["id"] = stringValue(parent)
		set["children"] = tftypes.NewValue(tftypes.List{ElementType: childType}, children)
	case "aws_glue_catalog_table":
		if err := readCatalogTable(typ, cfg, current, set); err != nil {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Read failed", "data.aws_glue_catalog_table: "+err.Error())}, nil
		}
	default:
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: unsupported("Reading data." + req.TypeName)}, nil
	}
	out := maps.Clone(current)
	maps.Copy(out, set)
	return dataSourceResponse(typ, tftypes.NewValue(typ, out))
}

// The stand-in's organization is managed by the caller's account (listing
// accounts needs the management account or a delegated administrator:
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html),
// except that DefaultAccountID, the workload account of the examples, is a
// member managed by StubManagementAccountID. Its root has SCPs and RCPs
// enabled.

// StubManagementAccountID manages the organization DefaultAccountID is in.
const StubManagementAccountID = "999988887777"

// stubManagement is the management account of the organization the caller
// is in.
func stubManagement(caller string) string {
	if caller == DefaultAccountID {
		return StubManagementAccountID
	}
	return caller
}

// stubChildOUs are the child OUs of every parent.
var stubChildOUs = []string{"Security", "Workloads"}

// stubOrgID is the organization id (o- and 10 characters).
func stubOrgID(management string) string {
	return "o-" + strings.ToLower(stableID("org/" + management)[:10])
}

// stubOUID is the id of the OU named name under parent: "ou-", the root's
// suffix, "-", 8 characters. ok is false when parent is neither a root nor
// an OU id.
func stubOUID(parent, name string) (string, bool) {
	var root string
	switch {
	case strings.HasPrefix(parent, "r-") && len(parent) > 2:
		root = parent[2:]
	case strings.HasPrefix(parent, "ou-") && strings.Count(parent, "-") == 2:
		root = strings.Split(parent, "-")[1]
	default:
		return "", false
	}
	return "ou-" + root + "-" + strings.ToLower(stableID("ou/" + parent + "/" + name)[:8]), true
}

func stubOUARN(management, id string) string {
	return "arn:aws:organizations::" + management + ":ou/" + stubOrgID(management) + "/" + id
}

// readOrganization sets the attributes of data
// "aws_organizations_organization"; with return_organization_only the real
// data source leaves the accounts, roots and policy types unset.
func readOrganization(block *tfprotov5.SchemaBlock, management string, current, set map[string]tftypes.Value) error {
	orgID := stubOrgID(management)
	accountARN := func(id string) string {
		return "arn:aws:organizations::" + management + ":account/" + orgID + "/" + id
	}
	set["id"] = stringValue(orgID)
	set["arn"] = stringValue("arn:aws:organizations::" + management + ":organization/" + orgID)
	set["feature_set"] = stringValue("ALL")
	set["master_account_id"] = stringValue(management)
	set["master_account_arn"] = stringValue(accountARN(management))
	set["master_account_email"] = stringValue("aws+" + management + "@example.com")
	set["master_account_name"] = stringValue("management")
	if only, ok := knownBool(current["return_organization_only"]); ok && only {
		return nil
	}
	accountType, err := listElementType(block, "accounts")
	if err != nil {
		return err
	}
	account := func(id, name, joined string) tftypes.Value {
		return tftypes.NewValue(accountType, map[string]tftypes.Value{
			"arn": stringValue(accountARN(id)), "email": stringValue("aws+" + id + "@example.com"), "id": stringValue(id),
			"joined_method": stringValue(joined), "joined_timestamp": stringValue("2024-01-01T00:00:00Z"),
			"name": stringValue(name), "state": stringValue("ACTIVE"), "status": stringValue("ACTIVE")})
	}
	members := []tftypes.Value{account(DefaultAccountID, "workload", "INVITED")}
	accounts := append([]tftypes.Value{account(management, "management", "CREATED")}, members...)
	set["accounts"] = tftypes.NewValue(tftypes.List{ElementType: accountType}, accounts)
	set["non_master_accounts"] = tftypes.NewValue(tftypes.List{ElementType: accountType}, members)
	enabled := []string{"RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY"}
	rootType, err := listElementType(block, "roots")
	if err != nil {
		return err
	}
	rootObject, ok := rootType.(tftypes.Object)
	policyList, ok2 := rootObject.AttributeTypes["policy_types"].(tftypes.List)
	if !ok || !ok2 {
		return fmt.Errorf("schema attribute roots is not a list of objects with a policy_types list")
	}
	policyType := policyList.ElementType
	var types []tftypes.Value
	for _, t := range enabled {
		types = append(types, tftypes.NewValue(policyType, map[string]tftypes.Value{"status": stringValue("ENABLED"), "type": stringValue(t)}))
	}
	rootID := "r-" + strings.ToLower(stableID("root/" + management)[:4])
	set["roots"] = tftypes.NewValue(tftypes.List{ElementType: rootType}, []tftypes.Value{tftypes.NewValue(rootType, map[string]tftypes.Value{
		"arn": stringValue("arn:aws:organizations::" + management + ":root/" + orgID + "/" + rootID), "id": stringValue(rootID),
		"name": stringValue("Root"), "policy_types": tftypes.NewValue(tftypes.List{ElementType: policyType}, types)})})
	set["enabled_policy_types"] = stringSetValue(enabled)
	set["aws_service_access_principals"] = stringSetValue(nil)
	return nil
}

// listElementType is the element type of a top-level list attribute of
// block.
func listElementType(block *tfprotov5.SchemaBlock, name string) (tftypes.Type, error) {
	for _, a := range block.Attributes {
		if l, ok := a.Type.(tftypes.List); ok && a.Name == name {
			return l.ElementType, nil
		}
	}
	return nil, fmt.Errorf("schema has no list attribute %s", name)
}

// managedPolicyID invents a stable policy id (IAM's are "ANPA" + 17
// characters) for an AWS managed policy: the real one is not embedded.
func managedPolicyID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return "ANPA" + strings.ToUpper(hex.EncodeToString(sum[:])[:17])
}

func dataSourceResponse(typ tftypes.Type, state tftypes.Value) (*tfprotov5.ReadDataSourceResponse, error) {
	dv, err := tfprotov5.NewDynamicValue(typ, state)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Read failed", fmt.Sprintf("encoding data source state: %v", err))}, nil
	}
	return &tfprotov5.ReadDataSourceResponse{State: &dv}, nil
}

// readPolicyDocument renders the document with internal/policydoc and
// returns the state the real provider stores: json, minified_json and id
// set, version and each statement's effect defaulted, and unset nested
// attributes as empty sets and empty strings rather than null.
func readPolicyDocument(block *tfprotov5.SchemaBlock, config tftypes.Value) (tftypes.Value, []*tfprotov5.Diagnostic) {
	current := attrs(config)
	for _, name := range []string{"source_json", "override_json"} {
		if s, ok := knownString(current[name]); ok && s != "" {
			return config, errorDiag("Invalid argument", name+" is deprecated and only accepts an empty string; use "+strings.TrimSuffix(name, "_json")+"_policy_documents")
		}
	}
	doc, state, err := policyDocumentFromConfig(block, current)
	if err != nil {
		return config, errorDiag("Invalid aws_iam_policy_document", err.Error())
	}
	pretty, minified, err := policydoc.Render(doc)
	if err != nil {
		return config, errorDiag("Writing IAM Policy Document failed", err.Error())
	}
	state["json"] = stringValue(pretty)
	state["minified_json"] = stringValue(minified)
	state["id"] = stringValue(policydoc.ID(pretty))
	return tftypes.NewValue(config.Type(), state), nil
}

// policyDocumentFromConfig builds the policydoc model and the normalized
// top-level state from a fully known configuration.
func policyDocumentFromConfig(block *tfprotov5.SchemaBlock, current map[string]tftypes.Value) (policydoc.Document, map[string]tftypes.Value, error) {
	var doc policydoc.Document
	state := maps.Clone(current)
	doc.Version, _ = knownString(current["version"])
	if doc.Version == "" {
		doc.Version = policydoc.DefaultVersion
		state["version"] = stringValue(doc.Version)
	}
	doc.PolicyID, _ = knownString(current["policy_id"])
	var ok bool
	if doc.SourcePolicyDocuments, ok = knownStrings(current["source_policy_documents"]); !ok {
		return doc, nil, fmt.Errorf("source_policy_documents is not known")
	}
	if doc.OverridePolicyDocuments, ok = knownStrings(current["override_policy_documents"]); !ok {
		return doc, nil, fmt.Errorf("override_policy_documents is not known")
	}
	stmtBlock := nestedBlock(block, "statement")
	if stmtBlock == nil {
		return doc, nil, fmt.Errorf("schema has no statement block")
	}
	stmtsValue := current["statement"]
	var stmtStates []tftypes.Value
	for i, sv := range elems(stmtsValue) {
		st, normalized, err := statementFromConfig(stmtBlock.Block, attrs(sv))
		if err != nil {
			return doc, nil, fmt.Errorf("statement %d: %w", i, err)
		}
		doc.Statements = append(doc.Statements, st)
		stmtStates = append(stmtStates, tftypes.NewValue(sv.Type(), normalized))
	}
	if len(stmtStates) > 0 {
		state["statement"] = tftypes.NewValue(stmtsValue.Type(), stmtStates)
	}
	return doc, state, nil
}

func statementFromConfig(block *tfprotov5.SchemaBlock, a map[string]tftypes.Value) (policydoc.Statement, map[string]tftypes.Value, error) {
	var st policydoc.Statement
	norm := maps.Clone(a)
	st.Sid, _ = knownString(a["sid"])
	st.Effect, _ = knownString(a["effect"])
	if st.Effect == "" {
		st.Effect = "Allow"
	}
	norm["sid"], norm["effect"] = stringValue(st.Sid), stringValue(st.Effect)
	for _, f := range []struct {
		name string
		dst  *[]string
	}{{"actions", &st.Actions}, {"not_actions", &st.NotActions}, {"resources", &st.Resources}, {"not_resources", &st.NotResources}} {
		name, dst := f.name, f.dst
		vals, ok := knownStrings(a[name])
		if !ok {
			return st, nil, fmt.Errorf("%s is not known", name)
		}
		*dst = vals
		if a[name].IsNull() {
			norm[name] = tftypes.NewValue(a[name].Type(), []tftypes.Value{})
		}
	}
	for _, f := range []struct {
		name string
		dst  *[]policydoc.Principal
	}{{"principals", &st.Principals}, {"not_principals", &st.NotPrincipals}} {
		name, dst := f.name, f.dst
		for _, pv := range elems(a[name]) {
			pa := attrs(pv)
			typ, _ := knownString(pa["type"])
			ids, ok := knownStrings(pa["identifiers"])
			if !ok {
				return st, nil, fmt.Errorf("%s identifiers are not known", name)
			}
			*dst = append(*dst, policydoc.Principal{Type: typ, Identifiers: ids})
		}
	}
	for _, cv := range elems(a["condition"]) {
		ca := attrs(cv)
		test, _ := knownString(ca["test"])
		variable, _ := knownString(ca["variable"])
		values, ok := knownStrings(ca["values"])
		if !ok {
			return st, nil, fmt.Errorf("condition values are not known")
		}
		st.Conditions = append(st.Conditions, policydoc.Condition{Test: test, Variable: variable, Values: values})
	}
	for _, nb := range block.BlockTypes {
		if norm[nb.TypeName].IsNull() {
			norm[nb.TypeName] = tftypes.NewValue(nb.ValueType(), []tftypes.Value{})
		}
	}
	return st, norm, nil
}

func nestedBlock(block *tfprotov5.SchemaBlock, name string) *tfprotov5.SchemaNestedBlock {
	for _, nb := range block.BlockTypes {
		if nb.TypeName == name {
			return nb
		}
	}
	return nil
}

// stableID invents a stable hexadecimal id for what the stand-in reads but
// has no record of.
func stableID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// StubCatalogBucket is the bucket holding every table data
// "aws_glue_catalog_table" reads in the caller's catalog: the stand-in has
// no catalog of its own, so every table exists, unpartitioned, an external
// table stored under s3://<StubCatalogBucket>-<catalog id>/<database>/<table>/.
const StubCatalogBucket = "stub-glue-catalog"

// readCatalogTable sets the attributes of data "aws_glue_catalog_table".
func readCatalogTable(typ tftypes.Type, cfg providerConfig, current, set map[string]tftypes.Value) error {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return fmt.Errorf("schema type is not an object")
	}
	db, _ := knownString(current["database_name"])
	name, _ := knownString(current["name"])
	catalog, region := cfg.account, cfg.region
	if c, ok := knownString(current["catalog_id"]); ok && c != "" {
		catalog = c
	}
	if r, ok := knownString(current["region"]); ok && r != "" {
		region = r
	}
	sdList, ok := obj.AttributeTypes["storage_descriptor"].(tftypes.List)
	if !ok {
		return fmt.Errorf("storage_descriptor is not a list")
	}
	sdType, ok := sdList.ElementType.(tftypes.Object)
	if !ok {
		return fmt.Errorf("storage_descriptor elements are not objects")
	}
	sd := map[string]tftypes.Value{}
	for k, at := range sdType.AttributeTypes {
		sd[k] = tftypes.NewValue(at, nil)
	}
	sd["location"] = stringValue("s3://" + StubCatalogBucket + "-" + catalog + "/" + db + "/" + name + "/")
	set["storage_descriptor"] = tftypes.NewValue(sdList, []tftypes.Value{tftypes.NewValue(sdType, sd)})
	for _, k := range []string{"partition_keys", "partition_index", "target_table"} {
		set[k] = tftypes.NewValue(obj.AttributeTypes[k], []tftypes.Value{})
	}
	set["id"] = stringValue(catalog + ":" + db + ":" + name)
	set["arn"] = stringValue("arn:aws:glue:" + region + ":" + catalog + ":table/" + db + "/" + name)
	set["catalog_id"], set["region"] = stringValue(catalog), stringValue(region)
	set["table_type"] = stringValue("EXTERNAL_TABLE")
	set["description"], set["owner"] = stringValue(""), stringValue("")
	set["view_original_text"], set["view_expanded_text"] = stringValue(""), stringValue("")
	set["retention"] = numberValue(0)
	set["parameters"] = stringMapValue(map[string]string{})
	return nil
}
