package access

import (
	"slices"
	"strings"
	"testing"
)

const (
	tableARN = "arn:aws:glue:" + region + ":" + acctA + ":table/sales/orders"
	dbARN    = "arn:aws:glue:" + region + ":" + acctA + ":database/sales"
	catARN   = "arn:aws:glue:" + region + ":" + acctA + ":catalog"
)

// catalogJob is base() reading table sales.orders at s3://lake/sales/orders/,
// with a role allowed exactly that.
func catalogJob(mods ...mod) *Facts {
	f := with(bucket("lake", acctA), addRolePolicy("aws_iam_role_policy.lake",
		allow(acts("s3:GetObject"), "arn:aws:s3:::lake/sales/orders/*"),
		allow(acts("s3:ListBucket"), "arn:aws:s3:::lake"),
		allow(acts("glue:GetTable", "glue:GetPartitions"), catARN, dbARN, tableARN)))
	from := Provenance{Address: "aws_glue_job.etl", Attribute: "default_arguments"}
	f.CatalogTables = []TableRef{{Database: Known("sales", from), Table: Known("orders", from), Mode: ModeRead, From: from}}
	f.Catalog = &Catalog{Tables: []CatalogTable{{Address: "aws_glue_catalog_table.orders", Database: "sales", Name: "orders",
		CatalogID: fact(acctA, "aws_glue_catalog_table.orders"), Region: fact(region, "aws_glue_catalog_table.orders"),
		Location: fact("s3://lake/sales/orders/", "aws_glue_catalog_table.orders"), Partitioned: fact(true, "aws_glue_catalog_table.orders")}}}
	for _, m := range mods {
		m(f)
	}
	return f
}

// findingsOf returns the findings with the reason.
func findingsOf(rep *JobReport, reason string) []Finding {
	var out []Finding
	for _, f := range rep.Findings {
		if f.Reason == reason {
			out = append(out, f)
		}
	}
	return out
}

func needActions(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		for _, n := range f.Needs {
			out = append(out, n.Action+" "+n.Resource)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCatalogTableAllowed(t *testing.T) {
	t.Parallel()
	rep := Check(catalogJob(), Options{})
	if rep.Verdict != JobAllowed {
		t.Fatalf("verdict %s, want allowed: %s", rep.Verdict, dump(rep.Findings))
	}
	var s3, glue bool
	for _, n := range rep.Needs {
		if n.Source != SourceCatalog && strings.Contains(n.Why, "catalog table") {
			t.Errorf("need %s %s from a catalog table has source %q", n.Action, n.Resource, n.Source)
		}
		s3 = s3 || n.Action == "s3:GetObject" && n.Resource == "arn:aws:s3:::lake/sales/orders/*" && n.Source == SourceCatalog
		glue = glue || n.Action == "glue:GetTable" && n.Resource == tableARN && n.Required
	}
	if !s3 || !glue {
		t.Errorf("needs lack the table's S3 read (%v) or its required glue:GetTable (%v): %+v", s3, glue, rep.Needs)
	}
}

func TestCatalogTableDecisions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		facts   *Facts
		id      CheckID
		verdict Verdict
		reason  string
		needs   []string // "action resource" of the findings with reason
	}{
		{
			name:  "no glue:GetTable on the table is denied by GA001 beside S3",
			facts: catalogJob(func(f *Facts) { f.Role.Inline = f.Role.Inline[:1]; f.Role.Inline = append(f.Role.Inline, lakeS3Only()) }),
			id:    GA001, verdict: Deny, reason: ReasonNoAllow,
			needs: []string{"glue:GetPartitions " + catARN, "glue:GetPartitions " + dbARN, "glue:GetPartitions " + tableARN, "glue:GetTable " + catARN, "glue:GetTable " + dbARN, "glue:GetTable " + tableARN},
		},
		{
			name: "GetTable on the table alone misses the database and catalog ancestors",
			facts: catalogJob(func(f *Facts) {
				f.Role.Inline = append(f.Role.Inline[:1], lakeS3Only(), doc("aws_iam_role_policy.cat", policy(allow(acts("glue:GetTable", "glue:GetPartitions"), tableARN))))
			}),
			id: GA001, verdict: Deny, reason: ReasonNoAllow,
			needs: []string{"glue:GetPartitions " + catARN, "glue:GetPartitions " + dbARN, "glue:GetTable " + catARN, "glue:GetTable " + dbARN},
		},
		{
			name: "the table's S3 location not granted is denied by GA001",
			facts: catalogJob(func(f *Facts) {
				f.Catalog.Tables[0].Location = fact("s3://lake/sales/orders_v2/", "aws_glue_catalog_table.orders")
			}),
			id: GA001, verdict: Deny, reason: ReasonNoAllow,
			needs: []string{"s3:GetObject arn:aws:s3:::lake/sales/orders_v2/*"},
		},
		{
			name:  "a table not in the plan is unknown naming it",
			facts: catalogJob(func(f *Facts) { f.CatalogTables[0].Table = fact("returns", "x") }),
			id:    GA001, verdict: UnknownVerd, reason: ReasonTableNotInPlan, needs: []string{"s3:* "},
		},
		{
			name: "a table whose name is not known is unknown",
			facts: catalogJob(func(f *Facts) {
				f.CatalogTables[0].Table = Unknown[string](Provenance{File: "jobs/etl.py", Line: 12})
			}),
			id: GA001, verdict: UnknownVerd, reason: ReasonLocationUnknown, needs: []string{"s3:* "},
		},
		{
			name:  "a mode whose requests are not modelled (delete) is unknown, never allowed",
			facts: catalogJob(func(f *Facts) { f.CatalogTables[0].Mode = "delete" }),
			id:    GA001, verdict: UnknownVerd, reason: ReasonLocationUnknown, needs: []string{"s3:* "},
		},
		{
			name: "a table location known only after apply is unknown",
			facts: catalogJob(func(f *Facts) {
				f.Catalog.Tables[0].Location = Unknown[string](Provenance{Address: "aws_glue_catalog_table.orders"})
			}),
			id: GA001, verdict: UnknownVerd, reason: ReasonLocationUnknown, needs: []string{"s3:* "},
		},
		{
			name: "a catalog of another account is unknown",
			facts: catalogJob(func(f *Facts) {
				f.Catalog.Tables[0].CatalogID = fact(acctB, "aws_glue_catalog_table.orders")
			}),
			id: GA001, verdict: UnknownVerd, reason: ReasonCrossAccountCatalog,
			needs: []string{"glue:GetPartitions arn:aws:glue:" + region + ":" + acctB + ":catalog", "glue:GetPartitions arn:aws:glue:" + region + ":" + acctB + ":database/sales",
				"glue:GetPartitions arn:aws:glue:" + region + ":" + acctB + ":table/sales/orders",
				"glue:GetTable arn:aws:glue:" + region + ":" + acctB + ":catalog", "glue:GetTable arn:aws:glue:" + region + ":" + acctB + ":database/sales",
				"glue:GetTable arn:aws:glue:" + region + ":" + acctB + ":table/sales/orders"},
		},
		{
			name: "a write to the table needs PutObject and DeleteObject on its location",
			facts: catalogJob(func(f *Facts) {
				f.CatalogTables[0].Mode = ModeWrite
			}),
			id: GA001, verdict: Deny, reason: ReasonNoAllow,
			needs: []string{"s3:DeleteObject arn:aws:s3:::lake/sales/orders/*", "s3:PutObject arn:aws:s3:::lake/sales/orders/*"},
		},
		{
			name: "an SCP denying glue:GetTable is GA007",
			facts: catalogJob(func(f *Facts) {
				f.Org = &Organization{ID: fact("o-aaaaaaaaaa", "org"), ManagementAccount: fact(acctB, "org"), Nodes: []OrgNode{
					{ID: "r-root", Kind: NodeRoot, SCPs: []PolicyDoc{doc("aws_organizations_policy.noglue", policy(stmt("Deny", acts("glue:GetTable"), "*")))}},
					{ID: acctA, Kind: NodeAccount, Parent: fact("r-root", "org")}}}
			}),
			id: GA007, verdict: Deny, reason: ReasonSCPDeny,
			needs: []string{"glue:GetTable " + catARN, "glue:GetTable " + dbARN, "glue:GetTable " + tableARN},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, Options{})
			got := findingsOf(rep, tc.reason)
			var match []Finding
			for _, f := range got {
				if f.ID == tc.id && f.Verdict == tc.verdict {
					match = append(match, f)
				}
			}
			if len(match) == 0 {
				t.Fatalf("no %s %s %s finding: %s", tc.id, tc.verdict, tc.reason, dump(rep.Findings))
			}
			if acts := needActions(match); !slices.Equal(acts, tc.needs) {
				t.Errorf("finding needs\n got %q\nwant %q", acts, tc.needs)
			}
			for _, f := range match {
				for _, n := range f.Needs {
					if n.Source != SourceCatalog {
						t.Errorf("need %s %s has source %q, want %q", n.Action, n.Resource, n.Source, SourceCatalog)
					}
				}
			}
		})
	}
}

// lakeS3Only is the lake read grant without the catalog statement.
func lakeS3Only() PolicyDoc {
	return doc("aws_iam_role_policy.lake", policy(
		allow(acts("s3:GetObject"), "arn:aws:s3:::lake/sales/orders/*"),
		allow(acts("s3:ListBucket"), "arn:aws:s3:::lake")))
}

// TestCatalogNeverAllowsWithoutGetTable: removing glue:GetTable from any
// one of the three ARNs never leaves the job allowed (ancestor rule).
func TestCatalogNeverAllowsWithoutGetTable(t *testing.T) {
	t.Parallel()
	all := []string{catARN, dbARN, tableARN}
	for i := range all {
		rest := slices.Delete(slices.Clone(all), i, i+1)
		f := catalogJob(func(f *Facts) {
			f.Role.Inline = append(f.Role.Inline[:1], lakeS3Only(), doc("aws_iam_role_policy.cat", policy(allow(acts("glue:GetTable", "glue:GetPartitions"), rest...))))
		})
		if rep := Check(f, Options{}); rep.Verdict != JobDenied {
			t.Errorf("GetTable without %s: verdict %s, want denied", all[i], rep.Verdict)
		}
	}
}
