package datasources

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// Policy types of AWS Organizations that take part in S3 and KMS authorization.
const (
	PolicyTypeSCP = "SERVICE_CONTROL_POLICY"
	PolicyTypeRCP = "RESOURCE_CONTROL_POLICY"
)

// OrganizationModel is the organization block of the provider and of
// glueaccess_check: the tree of root, OUs and accounts, and the SCPs and RCPs
// attached to its nodes.
type OrganizationModel struct {
	ID                    types.String `tfsdk:"id"`
	ManagementAccountID   types.String `tfsdk:"management_account_id"`
	RootID                types.String `tfsdk:"root_id"`
	FullAWSAccessDetached types.List   `tfsdk:"full_aws_access_detached"`
	Units                 types.List   `tfsdk:"organizational_unit"`
	Accounts              types.List   `tfsdk:"account"`
	Policies              types.List   `tfsdk:"policy"`
}

// OrgNodeModel is an OU or account and its parent.
type OrgNodeModel struct {
	ID       types.String `tfsdk:"id"`
	ParentID types.String `tfsdk:"parent_id"`
}

// OrgPolicyModel is one SCP or RCP and the nodes it is attached to.
type OrgPolicyModel struct {
	Name      types.String `tfsdk:"name"`
	Type      types.String `tfsdk:"type"`
	Content   types.String `tfsdk:"content"`
	TargetIDs types.List   `tfsdk:"target_ids"`
}

// Descriptions shared by the provider's and the check's organization blocks.
const (
	OrgDescription = "AWS Organizations structure with its SCPs and RCPs. SCPs are taken from the path of the " +
		"job's account, RCPs from the path of the bucket's (or key's) account; the management account is exempt " +
		"from both. `FullAWSAccess` is attached at every node, as AWS does, unless the node is listed in " +
		"`full_aws_access_detached`."
	OrgIDDescription = "The organization id (`o-…`), as in `aws_organizations_organization.id`: the value of " +
		"`aws:PrincipalOrgID` and `aws:ResourceOrgID` for the accounts of this block, and the first part of their " +
		"`aws:PrincipalOrgPaths` and `aws:ResourceOrgPaths` (`o-…/r-…/ou-…/`, derived from the `parent_id`s). " +
		"Unset, conditions on these keys cannot be decided, unless `lookup_aws = true` takes it from Organizations " +
		"(`DescribeOrganization`, when `ListParents` finds the job's account in the credentials' organization)."
	OrgManagementDescription = "The management account id, which SCPs and RCPs never restrict. Unset, `lookup_aws = true` " +
		"takes it from Organizations like the `id`."
	OrgRootDescription = "Id of the organization root (`r-…`), as in `aws_organizations_organization.roots[0].id`. " +
		"Defaults to the one `r-…` id used as a `parent_id`."
	OrgDetachedDescription = "Root, OU and account ids from which `FullAWSAccess` was detached (the allow-list " +
		"strategy): at those nodes only the listed SCPs allow."
	OrgUnitDescription    = "An organizational unit and its parent, as `aws_organizations_organizational_unit` records it."
	OrgAccountDescription = "A member account and its parent, as `aws_organizations_account` records it."
	OrgPolicyDescription  = "One SCP or RCP and where it is attached, like `aws_organizations_policy` with its `aws_organizations_policy_attachment`s."
	OrgNodeIDDescription  = "Id of the node (`ou-…` for an OU, 12 digits for an account)."
	OrgParentDescription  = "Id of the parent: the root id or an OU id."
	OrgPolicyNameDesc     = "Name of the policy, used in findings."
	OrgPolicyTypeDesc     = "`SERVICE_CONTROL_POLICY` (default) or `RESOURCE_CONTROL_POLICY`."
	OrgPolicyContentDesc  = "The policy document (JSON)."
	OrgPolicyTargetsDesc  = "Root, OU and account ids the policy is attached to; each must be a node of this block."
)

// organizationBlock is the data-source schema of the organization block.
func organizationBlock(description string) schema.SingleNestedBlock {
	node := func(desc string) schema.ListNestedBlock {
		return schema.ListNestedBlock{
			MarkdownDescription: desc,
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"id":        schema.StringAttribute{Required: true, MarkdownDescription: OrgNodeIDDescription},
				"parent_id": schema.StringAttribute{Required: true, MarkdownDescription: OrgParentDescription},
			}},
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: description,
		Attributes: map[string]schema.Attribute{
			"id":                       schema.StringAttribute{Optional: true, MarkdownDescription: OrgIDDescription},
			"management_account_id":    schema.StringAttribute{Optional: true, MarkdownDescription: OrgManagementDescription},
			"root_id":                  schema.StringAttribute{Optional: true, MarkdownDescription: OrgRootDescription},
			"full_aws_access_detached": schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: OrgDetachedDescription},
		},
		Blocks: map[string]schema.Block{
			"organizational_unit": node(OrgUnitDescription),
			"account":             node(OrgAccountDescription),
			"policy": schema.ListNestedBlock{
				MarkdownDescription: OrgPolicyDescription,
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"name":       schema.StringAttribute{Required: true, MarkdownDescription: OrgPolicyNameDesc},
					"type":       schema.StringAttribute{Optional: true, MarkdownDescription: OrgPolicyTypeDesc},
					"content":    schema.StringAttribute{Required: true, MarkdownDescription: OrgPolicyContentDesc},
					"target_ids": schema.ListAttribute{Required: true, ElementType: types.StringType, MarkdownDescription: OrgPolicyTargetsDesc},
				}},
			},
		},
	}
}

// Validate reports every problem in the known parts of the block on its
// attribute path: account ids, policy types and documents, targets and parents
// that are not nodes of the tree.
func (o *OrganizationModel) Validate(at path.Path) diag.Diagnostics {
	_, diags := o.build(at)
	return diags
}

// Organization converts the block to the access model's organization. Call it
// on a fully known block (at read time); unknown parts are left out.
func (o *OrganizationModel) Organization(at path.Path) (*access.Organization, diag.Diagnostics) {
	return o.build(at)
}

// build validates and converts in one pass so that both agree on what is valid.
func (o *OrganizationModel) build(at path.Path) (*access.Organization, diag.Diagnostics) {
	var diags diag.Diagnostics
	org := &access.Organization{From: access.Provenance{Attribute: pathLabel(at)},
		// An id not set is missing, not pending: no Attribute, so that
		// lookup_aws fills it (internal/livefacts).
		ID: access.Unknown[string](access.Provenance{Note: pathLabel(at.AtName("id")) + " not set"})}
	if known(o.ID) {
		id := o.ID.ValueString()
		if !awsid.IsOrganizationID(id) {
			diags.AddAttributeError(at.AtName("id"), "Invalid organization id",
				fmt.Sprintf("%q is not an AWS Organizations id (o- followed by 10 to 32 lowercase letters or digits).", id))
		}
		org.ID = access.Known(id, access.Provenance{Attribute: pathLabel(at.AtName("id"))})
	}
	if known(o.ManagementAccountID) {
		id := o.ManagementAccountID.ValueString()
		if err := CheckAccountID(id); err != nil {
			diags.AddAttributeError(at.AtName("management_account_id"), "Invalid account id", err.Error())
		}
		org.ManagementAccount = access.Known(id, access.Provenance{Attribute: pathLabel(at.AtName("management_account_id"))})
	}

	units := elements[OrgNodeModel](o.Units)
	accounts := elements[OrgNodeModel](o.Accounts)

	// The root: configured, or the one r-… id used as a parent.
	rootID := o.RootID.ValueString()
	if !known(o.RootID) {
		roots := map[string]bool{}
		for _, n := range append(append([]OrgNodeModel{}, units...), accounts...) {
			if p := n.ParentID.ValueString(); strings.HasPrefix(p, "r-") {
				roots[p] = true
			}
		}
		if len(roots) > 1 {
			diags.AddAttributeError(at.AtName("root_id"), "Ambiguous organization root",
				fmt.Sprintf("The parent_id values name several roots (%s); an organization has one root. Set root_id.", strings.Join(slices.Sorted(maps.Keys(roots)), ", ")))
		}
		for r := range roots {
			rootID = r
		}
	}
	index := map[string]int{}
	if rootID != "" {
		index[rootID] = len(org.Nodes)
		org.Nodes = append(org.Nodes, access.OrgNode{ID: rootID, Kind: access.NodeRoot, Parent: access.Known("", access.Provenance{})})
	}
	addNodes := func(nodes []OrgNodeModel, kind, attrName string) {
		for i, n := range nodes {
			nodeAt := at.AtName(attrName).AtListIndex(i)
			if !known(n.ID) {
				continue
			}
			id := n.ID.ValueString()
			if kind == access.NodeAccount {
				if err := CheckAccountID(id); err != nil {
					diags.AddAttributeError(nodeAt.AtName("id"), "Invalid account id", err.Error())
				}
			}
			if _, dup := index[id]; dup {
				diags.AddAttributeError(nodeAt.AtName("id"), "Duplicate organization node", fmt.Sprintf("%q appears more than once in the organization.", id))
				continue
			}
			parent := access.Unknown[string](access.Provenance{Attribute: pathLabel(nodeAt.AtName("parent_id"))})
			if known(n.ParentID) {
				parent = access.Known(n.ParentID.ValueString(), parent.From)
			}
			index[id] = len(org.Nodes)
			org.Nodes = append(org.Nodes, access.OrgNode{ID: id, Kind: kind, Parent: parent})
		}
	}
	addNodes(units, access.NodeOU, "organizational_unit")
	addNodes(accounts, access.NodeAccount, "account")
	for _, attrName := range []string{"organizational_unit", "account"} {
		nodes := units
		if attrName == "account" {
			nodes = accounts
		}
		for i, n := range nodes {
			if !known(n.ParentID) {
				continue
			}
			parent := n.ParentID.ValueString()
			if _, ok := index[parent]; !ok || parent == n.ID.ValueString() {
				diags.AddAttributeError(at.AtName(attrName).AtListIndex(i).AtName("parent_id"), "Unknown organization parent",
					fmt.Sprintf("Parent %q is not the root or an organizational_unit of this organization block.", parent))
			}
		}
	}

	detached, d := listStrings(o.FullAWSAccessDetached, at.AtName("full_aws_access_detached"))
	diags.Append(d...)
	for _, id := range detached {
		if !known(id.Value) {
			continue
		}
		i, ok := index[id.Value.ValueString()]
		if !ok {
			diags.AddAttributeError(id.Path, "Unknown organization node", fmt.Sprintf("%q is not a node of this organization block.", id.Value.ValueString()))
			continue
		}
		org.Nodes[i].FullAWSAccessDetached = true
	}

	policies := elements[OrgPolicyModel](o.Policies)
	for i, p := range policies {
		pAt := at.AtName("policy").AtListIndex(i)
		if p.Type.IsUnknown() {
			continue
		}
		typ := PolicyTypeSCP
		if !p.Type.IsNull() {
			typ = p.Type.ValueString()
		}
		var kind iam.Kind
		switch typ {
		case PolicyTypeSCP:
			kind = iam.KindSCP
		case PolicyTypeRCP:
			kind = iam.KindRCP
		default:
			diags.AddAttributeError(pAt.AtName("type"), "Invalid organization policy type",
				fmt.Sprintf("%q is neither %s nor %s.", typ, PolicyTypeSCP, PolicyTypeRCP))
			continue
		}
		label := p.Name.ValueString()
		if label == "" {
			label = pathLabel(pAt)
		}
		doc := access.PolicyDoc{Label: label, From: access.Provenance{Attribute: pathLabel(pAt.AtName("content"))}}
		if known(p.Content) {
			parsed, err := parsePolicy(p.Content.ValueString(), kind, label)
			if err != nil {
				diags.AddAttributeError(pAt.AtName("content"), "Invalid organization policy", err.Error())
			}
			addActionErrors(&diags, pAt.AtName("content"), parsed)
			doc.JSON, doc.Known = p.Content.ValueString(), true
		}
		targets, d := listStrings(p.TargetIDs, pAt.AtName("target_ids"))
		diags.Append(d...)
		for _, t := range targets {
			if !known(t.Value) {
				continue
			}
			n, ok := index[t.Value.ValueString()]
			if !ok {
				diags.AddAttributeError(t.Path, "Unknown policy target",
					fmt.Sprintf("%q is not the root, an organizational_unit or an account of this organization block.", t.Value.ValueString()))
				continue
			}
			if kind == iam.KindSCP {
				org.Nodes[n].SCPs = append(org.Nodes[n].SCPs, doc)
			} else {
				org.Nodes[n].RCPs = append(org.Nodes[n].RCPs, doc)
			}
		}
	}
	return org, diags
}

// pathLabel renders an attribute path the way a user writes it in HCL:
// role.policies[0], bucket[1].policy.
func pathLabel(p path.Path) string {
	return p.String()
}
