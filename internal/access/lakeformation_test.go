package access

import (
	"strings"
	"testing"
)

const lfRoleARN = "arn:aws:iam::" + acctA + ":role/lf-register"

// lfJob is catalogJob whose table location is registered with Lake
// Formation (LF mode) by role lf-register, which may read the lake; the job
// role holds SELECT on the table and lakeformation:GetDataAccess, and no S3
// permission on the lake at all.
func lfJob(mods ...mod) *Facts {
	f := catalogJob(func(f *Facts) {
		f.Role.Inline = append(f.Role.Inline[:1], doc("aws_iam_role_policy.cat", policy(
			allow(acts("glue:GetTable", "glue:GetPartitions"), catARN, dbARN, tableARN),
			allow(acts("lakeformation:GetDataAccess"), "*"))))
		f.Catalog.LakeFormation = &LakeFormation{
			Resources: []LFResource{{Address: "aws_lakeformation_resource.lake", ARN: fact("arn:aws:s3:::lake/sales", "aws_lakeformation_resource.lake"),
				HybridAccess: fact(false, "aws_lakeformation_resource.lake"), Account: fact(acctA, "aws_lakeformation_resource.lake"),
				Role: &Role{Address: "aws_iam_role.lf", ARN: fact(lfRoleARN, "aws_iam_role.lf"), Name: fact("lf-register", "aws_iam_role.lf"),
					Account: fact(acctA, "aws_iam_role.lf"), Tags: fact(map[string]string{}, "aws_iam_role.lf"), PoliciesComplete: true,
					Inline: []PolicyDoc{doc("aws_iam_role_policy.lf", policy(
						allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::lake/sales/*"),
						allow(acts("s3:ListBucket"), "arn:aws:s3:::lake")))}}}},
			Grants: []LFGrant{{Address: "aws_lakeformation_permissions.orders", Principal: fact(roleARN, "aws_lakeformation_permissions.orders"),
				Permissions: []string{"SELECT"}, Database: "sales", Table: "orders", AllColumns: true}},
		}
	})
	for _, m := range mods {
		m(f)
	}
	return f
}

func TestLakeFormation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		facts   *Facts
		verdict JobVerdict
		reason  string // of a finding that must be there; "" for none
		text    string // in that finding's Because or Missing
	}{
		{name: "granted SELECT, registration role reads, job role without S3 permission: allowed", facts: lfJob(), verdict: JobAllowed},
		{
			name: "no grant in the plan: unknown naming the missing grant, never decided by the job role's S3 policy",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Grants = nil
				f.Role.Inline = append(f.Role.Inline, lakeS3Only())
			}),
			verdict: JobUnknown, reason: ReasonLFNoPermission, text: "Lake Formation grant of SELECT on table sales.orders",
		},
		{
			name: "a grant to another principal does not count",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Grants[0].Principal = fact("arn:aws:iam::"+acctA+":role/other", "x")
			}),
			verdict: JobUnknown, reason: ReasonLFNoPermission, text: "SELECT",
		},
		{
			name:    "a column-limited grant does not cover reading the whole table",
			facts:   lfJob(func(f *Facts) { f.Catalog.LakeFormation.Grants[0].AllColumns = false }),
			verdict: JobUnknown, reason: ReasonLFNoPermission, text: "SELECT",
		},
		{
			name:    "SELECT does not cover a write: INSERT is missing",
			facts:   lfJob(func(f *Facts) { f.CatalogTables[0].Mode = ModeWrite }),
			verdict: JobUnknown, reason: ReasonLFNoPermission, text: "INSERT",
		},
		{
			name: "the job role without lakeformation:GetDataAccess is denied",
			facts: lfJob(func(f *Facts) {
				f.Role.Inline[1] = doc("aws_iam_role_policy.cat", policy(allow(acts("glue:GetTable", "glue:GetPartitions"), catARN, dbARN, tableARN)))
			}),
			verdict: JobDenied, reason: ReasonNoAllow, text: "lakeformation:GetDataAccess",
		},
		{
			name: "the registration role without S3 read is denied, naming that role",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Resources[0].Role.Inline = []PolicyDoc{doc("aws_iam_role_policy.lf", policy(allow(acts("s3:ListBucket"), "arn:aws:s3:::lake")))}
			}),
			verdict: JobDenied, reason: ReasonNoAllow, text: "role lf-register would not be authorized to perform s3:GetObject",
		},
		{
			name:    "registration role not known: unknown",
			facts:   lfJob(func(f *Facts) { f.Catalog.LakeFormation.Resources[0].Role = nil }),
			verdict: JobUnknown, reason: ReasonRoleNotInPlan, text: "registration role of aws_lakeformation_resource.lake",
		},
		{
			name: "service-linked role: Lake Formation's own policy covers the registered path",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Resources[0].Role = nil
				f.Catalog.LakeFormation.Resources[0].ServiceLinkedRole = true
			}),
			verdict: JobAllowed,
		},
		{
			name:    "hybrid access mode: the job role's own S3 permissions decide (here none: denied)",
			facts:   lfJob(func(f *Facts) { f.Catalog.LakeFormation.Resources[0].HybridAccess = fact(true, "x") }),
			verdict: JobDenied, reason: ReasonNoAllow, text: "s3:GetObject",
		},
		{
			name: "hybrid mode not known: what the job role lacks is unknown, naming the mode",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Resources[0].HybridAccess = Unknown[bool](Provenance{Address: "x"})
			}),
			verdict: JobUnknown, reason: ReasonNoAllow, text: "hybrid_access_enabled of aws_lakeformation_resource.lake",
		},
		{
			name: "IAM_ALLOWED_PRINCIPALS default on the database: the job role's S3 permissions decide",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Grants = nil
				f.Catalog.Databases = []CatalogDatabase{{Address: "aws_glue_catalog_database.sales", Name: "sales", IAMAllowedDefault: fact(true, "x")}}
				f.Role.Inline = append(f.Role.Inline, lakeS3Only())
			}),
			verdict: JobAllowed,
		},
		{
			name: "a registration of another prefix does not govern the table",
			facts: lfJob(func(f *Facts) {
				f.Catalog.LakeFormation.Resources[0].ARN = fact("arn:aws:s3:::lake/sales_archive", "x")
			}),
			verdict: JobDenied, reason: ReasonNoAllow, text: "role glue-etl would not be authorized to perform s3:GetObject",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, Options{})
			if rep.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s: %s", rep.Verdict, tc.verdict, dump(rep.Findings))
			}
			if tc.reason == "" {
				return
			}
			for _, f := range findingsOf(rep, tc.reason) {
				text := f.Because
				for _, m := range f.Missing {
					text += " " + m.Fact
				}
				if strings.Contains(text, tc.text) {
					return
				}
			}
			t.Errorf("no %s finding mentioning %q: %s", tc.reason, tc.text, dump(rep.Findings))
		})
	}
}

// TestLakeFormationNeverAllowsOnS3PolicyAlone: on a location registered in
// Lake Formation mode, granting the job role every S3 permission never makes
// the job allowed without the table grant.
func TestLakeFormationNeverAllowsOnS3PolicyAlone(t *testing.T) {
	t.Parallel()
	for _, mode := range []AccessMode{ModeRead, ModeWrite, ModeReadWrite} {
		f := lfJob(func(f *Facts) {
			f.Catalog.LakeFormation.Grants = nil
			f.CatalogTables[0].Mode = mode
			f.Role.Inline = append(f.Role.Inline, doc("aws_iam_role_policy.all", policy(allow(acts("s3:*"), "*"))))
		})
		if rep := Check(f, Options{}); rep.Verdict == JobAllowed {
			t.Errorf("mode %s: allowed without a Lake Formation grant", mode)
		}
	}
}

// TestLakeFormationUnknownsNeverAllow: from each Lake Formation setting the
// check does not allow, making any one Lake Formation fact not known (a
// grant's principal, the hybrid mode, the registered location, the
// registration role, the default permissions) or adding a grant or
// registration not known at plan time never makes the job allowed.
func TestLakeFormationUnknownsNeverAllow(t *testing.T) {
	t.Parallel()
	unknownAt := func(addr string) Provenance { return Provenance{Address: addr} }
	notAllowed := map[string]mod{
		"no grant, job role with S3 on the lake": func(f *Facts) {
			f.Catalog.LakeFormation.Grants = nil
			f.Role.Inline = append(f.Role.Inline, lakeS3Only())
		},
		"grant to another principal": func(f *Facts) {
			f.Catalog.LakeFormation.Grants[0].Principal = fact("arn:aws:iam::"+acctA+":role/other", "x")
		},
		"column-limited grant":        func(f *Facts) { f.Catalog.LakeFormation.Grants[0].AllColumns = false },
		"SELECT grant, table written": func(f *Facts) { f.CatalogTables[0].Mode = ModeWrite },
		"job role without lakeformation:GetDataAccess": func(f *Facts) {
			f.Role.Inline[1] = doc("aws_iam_role_policy.cat", policy(allow(acts("glue:GetTable", "glue:GetPartitions"), catARN, dbARN, tableARN)))
		},
		"registration role without S3 read": func(f *Facts) {
			f.Catalog.LakeFormation.Resources[0].Role.Inline = []PolicyDoc{doc("aws_iam_role_policy.lf", policy(allow(acts("s3:ListBucket"), "arn:aws:s3:::lake")))}
		},
		"hybrid mode, job role without S3": func(f *Facts) { f.Catalog.LakeFormation.Resources[0].HybridAccess = fact(true, "x") },
		"IAM_ALLOWED_PRINCIPALS default, job role without S3": func(f *Facts) {
			f.Catalog.LakeFormation.Grants = nil
			f.Catalog.Databases = []CatalogDatabase{{Address: "aws_glue_catalog_database.sales", Name: "sales", IAMAllowedDefault: fact(true, "x")}}
		},
	}
	unknowns := map[string]mod{
		"grant principal not known": func(f *Facts) {
			for i := range f.Catalog.LakeFormation.Grants {
				f.Catalog.LakeFormation.Grants[i].Principal = Unknown[string](unknownAt("aws_lakeformation_permissions.orders"))
			}
		},
		"an extra ALL grant to a principal not known": func(f *Facts) {
			f.Catalog.LakeFormation.Grants = append(f.Catalog.LakeFormation.Grants, LFGrant{Address: "aws_lakeformation_permissions.more",
				Principal: Unknown[string](unknownAt("aws_lakeformation_permissions.more")), Permissions: []string{"ALL"}, Database: "sales", Wildcard: true, AllColumns: true})
		},
		"hybrid mode not known": func(f *Facts) {
			f.Catalog.LakeFormation.Resources[0].HybridAccess = Unknown[bool](unknownAt("aws_lakeformation_resource.lake"))
		},
		"registered location not known": func(f *Facts) {
			f.Catalog.LakeFormation.Resources[0].ARN = Unknown[string](unknownAt("aws_lakeformation_resource.lake"))
		},
		"an extra registration not known, in hybrid mode": func(f *Facts) {
			f.Catalog.LakeFormation.Resources = append(f.Catalog.LakeFormation.Resources, LFResource{Address: "aws_lakeformation_resource.more",
				ARN: Unknown[string](unknownAt("aws_lakeformation_resource.more")), HybridAccess: fact(true, "aws_lakeformation_resource.more")})
		},
		"registration role not known": func(f *Facts) { f.Catalog.LakeFormation.Resources[0].Role = nil },
		"service-linked role of an account not known": func(f *Facts) {
			f.Catalog.LakeFormation.Resources[0].Role = nil
			f.Catalog.LakeFormation.Resources[0].ServiceLinkedRole = true
			f.Catalog.LakeFormation.Resources[0].Account = Unknown[string](unknownAt("aws_lakeformation_resource.lake"))
		},
		"default permissions not known": func(f *Facts) {
			if len(f.Catalog.Databases) == 0 {
				f.Catalog.Databases = []CatalogDatabase{{Address: "aws_glue_catalog_database.sales", Name: "sales"}}
			}
			for i := range f.Catalog.Databases {
				f.Catalog.Databases[i].IAMAllowedDefault = Unknown[bool](unknownAt(f.Catalog.Databases[i].Address))
			}
			f.Catalog.LakeFormation.Settings = &LFSettings{Address: "aws_lakeformation_data_lake_settings.s", IAMAllowedDefault: Unknown[bool](unknownAt("aws_lakeformation_data_lake_settings.s"))}
		},
		"table location not known": func(f *Facts) {
			f.Catalog.Tables[0].Location = Unknown[string](unknownAt("aws_glue_catalog_table.orders"))
		},
	}
	for dn, deny := range notAllowed {
		if rep := Check(lfJob(deny), Options{}); rep.Verdict == JobAllowed {
			t.Fatalf("%s: the base case is allowed: %s", dn, dump(rep.Findings))
		}
		for un, unknown := range unknowns {
			t.Run(dn+"/"+un, func(t *testing.T) {
				t.Parallel()
				if rep := Check(lfJob(deny, unknown), Options{}); rep.Verdict == JobAllowed {
					t.Errorf("allowed once %s: %s", un, dump(rep.Findings))
				}
			})
		}
	}
}
