package validator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// TestArgTables: the documented rule for Data Catalog tables named by job
// arguments, including what it must not take for a catalog table.
func TestArgTables(t *testing.T) {
	t.Parallel()
	type ref struct {
		db, table string
		mode      access.AccessMode
	}
	cases := []struct {
		name string
		args map[string]string
		want []ref
	}{
		{"database and table_name", map[string]string{"--database": "sales", "--table_name": "orders"}, []ref{{"sales", "orders", access.ModeReadWrite}}},
		{"source pair reads", map[string]string{"--source_database": "raw", "--source_table": "events"}, []ref{{"raw", "events", access.ModeRead}}},
		{"target pair with db suffix writes", map[string]string{"--target-db": "curated", "--target-table": "events"}, []ref{{"curated", "events", access.ModeWrite}}},
		{"output pair with database_name writes", map[string]string{"--output_database_name": "mart", "--output_table_name": "daily"}, []ref{{"mart", "daily", access.ModeWrite}}},
		{"db.table value needs no database argument", map[string]string{"--input_table": "raw.events"}, []ref{{"raw", "events", access.ModeRead}}},
		{"a table without a database is not a catalog table (JDBC, DynamoDB)", map[string]string{"--table": "customers", "--dynamodb_table": "sessions"}, nil},
		{"a database of another stem does not pair", map[string]string{"--source_database": "raw", "--target_table": "events"}, nil},
		{"one --database_name for a source and a target table", map[string]string{"--database_name": "sales", "--source-table": "orders", "--target_table": "daily"},
			[]ref{{"sales", "orders", access.ModeRead}, {"sales", "daily", access.ModeWrite}}},
		{"a database of the same stem wins over --database", map[string]string{"--database": "sales", "--source_db": "raw", "--source_table": "events"}, []ref{{"raw", "events", access.ModeRead}}},
		{"glue_database with glue_table", map[string]string{"--glue_database": "lake", "--glue_table": "events"}, []ref{{"lake", "events", access.ModeReadWrite}}},
		{"an empty table value is ignored", map[string]string{"--database": "sales", "--table_name": " "}, nil},
		{"read and write words together are read and write", map[string]string{"--source_to_target_database": "a", "--source_to_target_table": "b"}, []ref{{"a", "b", access.ModeReadWrite}}},
		{"unrelated arguments", map[string]string{"--TempDir": "s3://tmp/", "--enable-metrics": "true", "--tablespace": "x"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := access.Job{DefaultArguments: access.Known(tc.args, access.Provenance{Address: "aws_glue_job.j", Attribute: "default_arguments"})}
			var got []ref
			for _, r := range argTables(j) {
				got = append(got, ref{r.Database.V, r.Table.V, r.Mode})
				if r.From.Address != "aws_glue_job.j" || r.From.Note == "" {
					t.Errorf("table %s.%s cites %q, want the job's argument", r.Database, r.Table, r.From)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestArgTablesNonOverridableWins: a non-overridable argument replaces the
// default one of the same name, as Glue applies them.
func TestArgTablesNonOverridableWins(t *testing.T) {
	t.Parallel()
	j := access.Job{
		DefaultArguments:        access.Known(map[string]string{"--database": "dev", "--table_name": "orders"}, access.Provenance{Address: "j"}),
		NonOverridableArguments: access.Known(map[string]string{"--database": "prod"}, access.Provenance{Address: "j"}),
	}
	got := argTables(j)
	if len(got) != 1 || got[0].Database.V != "prod" {
		t.Errorf("got %+v, want prod.orders", got)
	}
}

// TestArgTablesNotKnown: a table or database argument whose value is known
// only after apply (a computed name, a module output) gives a table whose
// name is not known, and the check reports it unknown instead of leaving
// the table out; a table argument with no database stays out whatever its
// value (it may be a JDBC or DynamoDB table).
func TestArgTablesNotKnown(t *testing.T) {
	t.Parallel()
	p := access.Provenance{Address: "aws_glue_job.j", Attribute: "default_arguments"}
	cases := []struct {
		name              string
		args              map[string]string
		partial           []string
		dbKnown, tblKnown bool
		want              int
	}{
		{"table name known after apply", map[string]string{"--source_database": "raw"}, []string{"--source_table"}, true, false, 1},
		{"database known after apply", map[string]string{"--table_name": "orders"}, []string{"--database"}, false, true, 1},
		{"both known after apply", map[string]string{}, []string{"--target_database", "--target_table"}, false, false, 1},
		{"table known after apply without a database", map[string]string{}, []string{"--table"}, false, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := access.Job{DefaultArguments: access.Known(tc.args, p)}
			for _, k := range tc.partial {
				j.PartialArguments = append(j.PartialArguments, access.PartialArgument{Key: k, From: access.Provenance{Address: "aws_glue_job.j", Attribute: "default_arguments." + k}})
			}
			got := argTables(j)
			if len(got) != tc.want {
				t.Fatalf("got %+v, want %d tables", got, tc.want)
			}
			if tc.want == 0 {
				return
			}
			r := got[0]
			if r.Database.Known != tc.dbKnown || r.Table.Known != tc.tblKnown {
				t.Errorf("database known %v, table known %v; want %v, %v", r.Database.Known, r.Table.Known, tc.dbKnown, tc.tblKnown)
			}
			// The check never allows a table it cannot name.
			f := &access.Facts{Job: access.Job{Address: "aws_glue_job.j"}, CatalogTables: got, Catalog: &access.Catalog{}}
			rep := access.Check(f, access.Options{})
			unknown := false
			for _, fd := range rep.Findings {
				unknown = unknown || fd.Verdict == access.UnknownVerd && strings.Contains(fd.Because, "database or name of a catalog table")
			}
			if !unknown {
				t.Errorf("no unknown finding for the table not named: %+v", rep.Findings)
			}
		})
	}
}

// FuzzArgTables: any argument map gives tables whose database and table
// come from argument values, with a valid mode, and never panics.
func FuzzArgTables(f *testing.F) {
	f.Add("--source_database", "raw", "--source_table", "events")
	f.Add("--table_name", "a.b.c", "--x", "")
	f.Add("--TABLE", ".", "--db", " ")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		args := map[string]string{k1: v1, k2: v2}
		for _, r := range argTables(access.Job{DefaultArguments: access.Known(args, access.Provenance{Address: "j"})}) {
			if r.Database.V == "" || r.Table.V == "" || !r.Database.Known || !r.Table.Known {
				t.Fatalf("empty name in %+v from %q", r, args)
			}
			if r.Mode != access.ModeRead && r.Mode != access.ModeWrite && r.Mode != access.ModeReadWrite {
				t.Fatalf("mode %q", r.Mode)
			}
			found := false
			for _, v := range args {
				v = strings.TrimSpace(v)
				found = found || v == r.Table.V || v == r.Database.V || strings.HasPrefix(v, r.Database.V+".")
			}
			if !found {
				t.Fatalf("%+v is not from the arguments %q", r, args)
			}
		}
	})
}

// TestCatalogTablesFromPlan: a table read through data
// "aws_glue_catalog_table" (answered by the stand-in) and a table of the
// plan without a location of its own, under its database's location_uri,
// both become needs of the job, cited as catalog tables; the stand-in's
// catalog bucket is not in the plan, so its bucket-side checks stay unknown.
func TestCatalogTablesFromPlan(t *testing.T) {
	t.Parallel()
	doc, err := planjson.Load(filepath.Join("testdata", "plans", "catalog-data-source", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFactBuilder(newPlanIndex(doc), nil, nil).Facts(0)
	if len(f.CatalogTables) != 2 || f.Catalog == nil || len(f.Catalog.Tables) != 2 {
		t.Fatalf("tables %+v, catalog %+v: want shared.events and mart.daily", f.CatalogTables, f.Catalog)
	}
	rep := access.Check(f, access.Options{})
	want := map[string]bool{
		"s3:GetObject arn:aws:s3:::stub-glue-catalog-111122223333/shared/events/*": false,
		"s3:PutObject arn:aws:s3:::example-mart/warehouse/*":                       false,
		"glue:GetTable arn:aws:glue:eu-west-1:111122223333:table/shared/events":    false,
		"glue:GetTable arn:aws:glue:eu-west-1:111122223333:table/mart/daily":       false,
	}
	for _, n := range rep.Needs {
		k := n.Action + " " + n.Resource
		if _, ok := want[k]; ok {
			want[k] = true
			if n.Source != access.SourceCatalog {
				t.Errorf("%s has source %q", k, n.Source)
			}
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("need %s missing", k)
		}
	}
	if rep.Verdict != access.JobUnknown {
		t.Errorf("verdict %s, want unknown (the catalog bucket is not in the plan)", rep.Verdict)
	}
	for _, fd := range rep.Findings {
		if fd.ID == access.GA001 {
			t.Errorf("GA001 %s %s: the role allows every need", fd.Verdict, fd.Reason)
		}
		if fd.Reason != access.ReasonBucketNotInPlan && fd.Reason != access.ReasonKeyUnknown {
			t.Errorf("unexpected finding %s %s: %s", fd.ID, fd.Reason, fd.Because)
		}
	}
}

// TestCatalogWithoutAccountNumbers: a stack that names no account number
// (provider with a Region only, tables from a for_each over a map, the
// table named by --database_name and --source-table) has its tables in the
// same account as the job's role, symbolic like the role's, so the catalog
// permissions are decided instead of reported unknown for want of a
// catalog_id.
func TestCatalogWithoutAccountNumbers(t *testing.T) {
	t.Parallel()
	doc, err := planjson.Load(filepath.Join("testdata", "plans", "catalog-no-account", "plan.json"), planjson.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFactBuilder(newPlanIndex(doc), nil, nil).Facts(0)
	rep := access.Check(f, access.Options{})
	if rep.Verdict != access.JobAllowed {
		t.Fatalf("verdict %s: want allowed (the role may read the table and its catalog entries): %+v", rep.Verdict, rep.Findings)
	}
	tables := 0
	for _, n := range rep.Needs {
		if n.Action == "glue:GetTable" && strings.HasSuffix(n.Resource, ":table/sales/orders") && awsid.AccountOfARN(n.Resource) == f.Role.Account.V {
			tables++
		}
	}
	if tables != 1 {
		t.Errorf("%d glue:GetTable needs on sales.orders in the role's account %s, want 1: %+v", tables, f.Role.Account.V, rep.Needs)
	}
}

// TestLFGrantPrincipalOnlyByARN: the grant of lakeformation-fixed names its
// principal as aws_iam_role.glue.arn, not known until apply, and the job is
// allowed; the same grant naming another attribute of the role
// (unique_id) is not a grant to the role, and the job is no longer allowed.
func TestLFGrantPrincipalOnlyByARN(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(examplesDir, "lakeformation-fixed", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		attr    string
		allowed bool
	}{{"arn", true}, {"unique_id", false}} {
		var plan map[string]any
		if err := json.Unmarshal(raw, &plan); err != nil {
			t.Fatal(err)
		}
		changed := 0
		for _, r := range plan["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any) {
			res := r.(map[string]any)
			if res["type"] != "aws_lakeformation_permissions" {
				continue
			}
			p := res["expressions"].(map[string]any)["principal"].(map[string]any)
			p["references"] = []any{"aws_iam_role.glue." + tc.attr, "aws_iam_role.glue"}
			changed++
		}
		if changed != 1 {
			t.Fatalf("%d grants in the plan, want 1", changed)
		}
		data, err := json.Marshal(plan)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := planjson.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		rep := access.Check(newFactBuilder(newPlanIndex(doc), nil, nil).Facts(0), access.Options{})
		if got := rep.Verdict == access.JobAllowed; got != tc.allowed {
			t.Errorf("principal = aws_iam_role.glue.%s: verdict %s, want allowed %v: %+v", tc.attr, rep.Verdict, tc.allowed, rep.Findings)
		}
	}
}
