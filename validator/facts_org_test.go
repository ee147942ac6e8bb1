package validator

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// orgDir is the directory of a plan of Organizations data sources:
// testdata/plans/<name>, or the example of that name.
func orgDir(name string) string {
	if name == "org-data-sources" {
		return filepath.Join(examplesDir, name)
	}
	return filepath.Join("testdata", "plans", name)
}

// orgFacts builds the organization facts of the plan's first job.
func orgFacts(t *testing.T, name string) *access.Organization {
	t.Helper()
	doc, err := planjson.Load(filepath.Join(orgDir(name), "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFactBuilder(newPlanIndex(doc), nil, nil).Facts(0)
	if f.Org == nil {
		t.Fatal("no organization facts")
	}
	return f.Org
}

// decideOrg validates the plan, with its configuration, and returns the job
// export; hcl is the .glueaccess.hcl text ("" for none).
func decideOrg(t *testing.T, name, hcl string) *report.Job {
	t.Helper()
	dir := orgDir(name)
	opts := Options{Now: exampleNow, ConfigDir: dir}
	if hcl != "" {
		opts.Config = filepath.Join(t.TempDir(), ConfigFileName)
		if err := os.WriteFile(opts.Config, []byte(hcl), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := validate(filepath.Join(dir, "plan.json"), opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rep.Jobs {
		if rep.Jobs[i].Address == "aws_glue_job.export" {
			return &rep.Jobs[i]
		}
	}
	t.Fatal("no job aws_glue_job.export")
	return nil
}

// placeAccount is the .glueaccess.hcl text putting the job's account under
// parent, and parent (an OU) under grandparent when that is not "".
func placeAccount(parent, grandparent string) string {
	s := fmt.Sprintf("organization {\n  node \"111122223333\" {\n    parent = %q\n  }\n", parent)
	if grandparent != "" {
		s += fmt.Sprintf("  node %q {\n    parent = %q\n  }\n", parent, grandparent)
	}
	return s + "}\n"
}

func nodeAt(o *access.Organization, address string) *access.OrgNode {
	i := slices.IndexFunc(o.Nodes, func(n access.OrgNode) bool { return n.Address == address })
	if i < 0 {
		return nil
	}
	return &o.Nodes[i]
}

func rootOf(o *access.Organization) *access.OrgNode {
	i := slices.IndexFunc(o.Nodes, func(n access.OrgNode) bool { return n.Kind == access.NodeRoot })
	if i < 0 {
		return nil
	}
	return &o.Nodes[i]
}

// wantGA007 checks the job's verdict and that its only GA007 finding has
// verdict and reason, and that its text (because, missing) names each of
// names.
func wantGA007(t *testing.T, j *report.Job, verdict, findingVerdict, reason string, names ...string) {
	t.Helper()
	if j.Verdict != verdict {
		t.Fatalf("verdict %s, want %s: %+v", j.Verdict, verdict, j.Findings)
	}
	var fs []report.Finding
	for _, f := range j.Findings {
		if f.ID == "GA007" {
			fs = append(fs, f)
		}
	}
	if findingVerdict == "" {
		if len(fs) != 0 {
			t.Fatalf("GA007 findings %+v, want none", fs)
		}
		return
	}
	if len(fs) != 1 || fs[0].Verdict != findingVerdict || fs[0].Reason != reason {
		t.Fatalf("GA007 findings %+v, want one %s %s", fs, findingVerdict, reason)
	}
	text := fs[0].Because
	for _, m := range fs[0].Missing {
		text += "\n" + m.Fact + "\n" + m.How
	}
	for _, n := range names {
		if !strings.Contains(text, n) {
			t.Errorf("GA007 finding does not name %q:\n%s", n, text)
		}
	}
}

// TestOrgOUDataSource: data "aws_organizations_organization" reveals the
// organization id, management account and root; data
// "aws_organizations_organizational_unit" the OU's id and parent, not its
// accounts. An SCP on that OU governs the job's account only where the
// account is placed under it.
func TestOrgOUDataSource(t *testing.T) {
	const ix = "org-data-sources"
	o := orgFacts(t, ix)
	ou := nodeAt(o, "data.aws_organizations_organizational_unit.workloads")
	root := rootOf(o)
	t.Run("facts", func(t *testing.T) {
		if !o.ID.Known || !strings.HasPrefix(o.ID.V, "o-") || o.ID.From.Address != "data.aws_organizations_organization.this" {
			t.Errorf("organization id %+v, want the data source's o- id", o.ID)
		}
		if !o.ManagementAccount.Known || o.ManagementAccount.V != "999988887777" {
			t.Errorf("management account %+v, want 999988887777 read from the data source", o.ManagementAccount)
		}
		if root == nil || !awsid.IsRootID(root.ID) {
			t.Fatalf("root %+v, want the data source's root id", root)
		}
		if ou == nil || ou.Kind != access.NodeOU || ou.Name != "Workloads" || !awsid.IsOUID(ou.ID) || !ou.Parent.Known || ou.Parent.V != root.ID {
			t.Fatalf("OU node %+v, want Workloads under root %s", ou, root.ID)
		}
		if len(ou.SCPs) != 1 || ou.SCPs[0].Label != "aws_organizations_policy.residency" {
			t.Errorf("SCPs on the OU %+v, want aws_organizations_policy.residency", ou.SCPs)
		}
		if len(o.Unplaced) != 0 {
			t.Errorf("unplaced %+v: the attachment's target is the data source's known id", o.Unplaced)
		}
	})
	t.Run("account not placed: unknown, the OU named", func(t *testing.T) {
		wantGA007(t, decideOrg(t, ix, ""), report.Unknown, report.VerdictUnknown, access.ReasonOrgStructureUnknown,
			"place of account 111122223333", "data.aws_organizations_organizational_unit.workloads", "aws_organizations_policy.residency")
	})
	t.Run("account under the OU: the SCP denies", func(t *testing.T) {
		wantGA007(t, decideOrg(t, ix, placeAccount(ou.ID, "")), report.Denied, report.VerdictDeny, access.ReasonSCPDeny,
			"aws_organizations_policy.residency", ou.ID)
	})
	t.Run("account under another OU of the root: not governed", func(t *testing.T) {
		other := ou.ID[:strings.LastIndexByte(ou.ID, '-')] + "-00000000"
		wantGA007(t, decideOrg(t, ix, placeAccount(other, root.ID)), report.Allowed, "", "")
	})
	t.Run("account under an OU whose parent is not known: unknown", func(t *testing.T) {
		other := ou.ID[:strings.LastIndexByte(ou.ID, '-')] + "-00000000"
		wantGA007(t, decideOrg(t, ix, placeAccount(other, "")), report.Unknown, report.VerdictUnknown, access.ReasonOrgStructureUnknown,
			"data.aws_organizations_organizational_unit.workloads")
	})
}

// TestOrgOUsDataSource: data "aws_organizations_organizational_units" reveals
// the child OUs of a parent (id, name), each an organization node.
func TestOrgOUsDataSource(t *testing.T) {
	const ix = "org-data-ous"
	o := orgFacts(t, ix)
	root := rootOf(o)
	if root == nil {
		t.Fatal("no root")
	}
	children := map[string]*access.OrgNode{}
	for i := range o.Nodes {
		n := &o.Nodes[i]
		if strings.HasPrefix(n.Address, "data.aws_organizations_organizational_units.top.children[") {
			children[n.Name] = n
		}
	}
	sec, work := children["Security"], children["Workloads"]
	if len(children) != 2 || sec == nil || work == nil {
		t.Fatalf("child OU nodes %v, want Security and Workloads", children)
	}
	for _, n := range children {
		if n.Kind != access.NodeOU || !n.Parent.Known || n.Parent.V != root.ID {
			t.Errorf("child %+v, want an OU under %s", n, root.ID)
		}
	}
	if len(work.SCPs) != 1 || len(sec.SCPs) != 0 {
		t.Errorf("SCPs: Workloads %+v, Security %+v; want the residency SCP on Workloads only", work.SCPs, sec.SCPs)
	}
	t.Run("account not placed: unknown", func(t *testing.T) {
		wantGA007(t, decideOrg(t, ix, ""), report.Unknown, report.VerdictUnknown, access.ReasonOrgStructureUnknown,
			"data.aws_organizations_organizational_units.top.children[1]")
	})
	t.Run("account under Workloads: denied", func(t *testing.T) {
		wantGA007(t, decideOrg(t, ix, placeAccount(work.ID, "")), report.Denied, report.VerdictDeny, access.ReasonSCPDeny,
			"aws_organizations_policy.residency")
	})
	t.Run("account under Security: allowed", func(t *testing.T) {
		wantGA007(t, decideOrg(t, ix, placeAccount(sec.ID, "")), report.Allowed, "", "")
	})
}

// TestOrgDataSourcesReadAtApply: a data source Terraform reads only at apply
// reveals nothing in the plan; what it would reveal is unknown, never "no
// SCP".
func TestOrgDataSourcesReadAtApply(t *testing.T) {
	t.Run("OU read at apply: its SCP may govern any account", func(t *testing.T) {
		const ix = "org-data-ou-at-apply"
		const why = "the id of data.aws_organizations_organizational_unit.workloads, read only at apply"
		wantGA007(t, decideOrg(t, ix, ""), report.Unknown, report.VerdictUnknown, access.ReasonOrgStructureUnknown, why)
		// Placing the account, up to the root, does not help: the OU read
		// at apply may be the account's.
		tree := strings.Replace(placeAccount("ou-f4aa-00000000", "r-f4aa"), "organization {\n", "organization {\n  node \"r-f4aa\" {}\n", 1)
		wantGA007(t, decideOrg(t, ix, tree), report.Unknown, report.VerdictUnknown, access.ReasonOrgStructureUnknown, why)
		o := orgFacts(t, ix)
		if n := nodeAt(o, "data.aws_organizations_organizational_unit.workloads"); n != nil {
			t.Errorf("node %+v for an OU whose id is not known", n)
		}
		if len(o.Unplaced) != 1 || o.Unplaced[0].Attachment != "aws_organizations_policy_attachment.workloads" {
			t.Errorf("unplaced %+v, want the attachment to the OU read at apply", o.Unplaced)
		}
	})
	t.Run("OU under an OU read at apply: parent unknown", func(t *testing.T) {
		o := orgFacts(t, "org-data-ou-at-apply")
		n := nodeAt(o, "aws_organizations_organizational_unit.team")
		if n == nil || n.Parent.Known || !strings.Contains(n.Parent.From.Note, "data.aws_organizations_organizational_unit.workloads is read only at apply") {
			t.Errorf("node %+v, want its parent unknown, the data source named", n)
		}
	})
	t.Run("organization read at apply: ids unknown, the root still on every path", func(t *testing.T) {
		const ix = "org-data-org-at-apply"
		o := orgFacts(t, ix)
		if o.ID.Known || o.ManagementAccount.Known {
			t.Errorf("organization id %+v, management account %+v; want both unknown", o.ID, o.ManagementAccount)
		}
		root := rootOf(o)
		if root == nil || len(root.SCPs) != 1 || len(o.Unplaced) != 0 {
			t.Fatalf("root %+v, unplaced %+v; want the SCP attached to roots[0].id on the root", root, o.Unplaced)
		}
		wantGA007(t, decideOrg(t, ix, ""), report.Denied, report.VerdictDeny, access.ReasonSCPDeny, "aws_organizations_policy.residency")
	})
}
