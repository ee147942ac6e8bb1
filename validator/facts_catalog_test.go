package validator

import (
	"reflect"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

// TestArgTables: the documented rule for Data Catalog tables named by job
// arguments, including what it must not take for a catalog table.
func TestArgTables(t *testing.T) {
	t.Parallel()
	type ref struct{ db, table, mode string }
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
				got = append(got, ref{r.Database, r.Table, r.Mode})
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
	if len(got) != 1 || got[0].Database != "prod" {
		t.Errorf("got %+v, want prod.orders", got)
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
			if r.Database == "" || r.Table == "" {
				t.Fatalf("empty name in %+v from %q", r, args)
			}
			if r.Mode != access.ModeRead && r.Mode != access.ModeWrite && r.Mode != access.ModeReadWrite {
				t.Fatalf("mode %q", r.Mode)
			}
			found := false
			for _, v := range args {
				v = strings.TrimSpace(v)
				found = found || v == r.Table || v == r.Database || strings.HasPrefix(v, r.Database+".")
			}
			if !found {
				t.Fatalf("%+v is not from the arguments %q", r, args)
			}
		}
	})
}
