package validator

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// iamAllowedPrincipals is Lake Formation's name for "every principal IAM
// allows" ("Changing the default settings for your data lake").
const iamAllowedPrincipals = "IAM_ALLOWED_PRINCIPALS"

// buildCatalog reads the plan's Data Catalog tables and databases and its
// Lake Formation registrations, grants and settings; nil when there are
// none.
func (b *builder) buildCatalog() *access.Catalog {
	c := &access.Catalog{}
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_glue_catalog_table") {
			c.Tables = append(c.Tables, b.catalogTable(r))
		}
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_glue_catalog_database") {
		db := access.CatalogDatabase{Address: r.Address, Name: b.str(r, "name").V, CatalogID: b.catalogID(r), LocationURI: b.str(r, "location_uri"),
			IAMAllowedDefault: b.iamAllowedDefault(r, "create_table_default_permission", "principal.0.data_lake_principal_identifier")}
		c.Databases = append(c.Databases, db)
	}
	lf := &access.LakeFormation{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_lakeformation_resource") {
		lf.Resources = append(lf.Resources, b.lfResource(r))
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_lakeformation_permissions") {
		if g, ok := b.lfGrant(r); ok {
			lf.Grants = append(lf.Grants, g)
		}
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_lakeformation_data_lake_settings") {
		lf.Settings = &access.LFSettings{Address: r.Address, IAMAllowedDefault: b.iamAllowedDefault(r, "create_table_default_permissions", "principal")}
	}
	if len(lf.Resources) > 0 || len(lf.Grants) > 0 || lf.Settings != nil {
		c.LakeFormation = lf
	}
	if len(c.Tables) == 0 && len(c.Databases) == 0 && c.LakeFormation == nil {
		return nil
	}
	return c
}

// catalogTable reads an aws_glue_catalog_table, resource or data source.
// The location is storage_descriptor's, else the Iceberg table input's; a
// table with neither has a known empty location.
func (b *builder) catalogTable(r *planjson.Resource) access.CatalogTable {
	t := access.CatalogTable{Address: r.Address, Database: b.str(r, "database_name").V, Name: b.str(r, "name").V,
		CatalogID: b.catalogID(r), Region: b.str(r, "region")}
	if !t.Region.Known || t.Region.V == "" {
		if rg, ok := b.ix.regionOf(r.ProviderKey()); ok {
			t.Region = access.Known(rg, access.Provenance{Address: r.Address, Note: "region of its provider configuration"})
		}
	}
	t.Location = b.str(r, "storage_descriptor.0.location")
	if t.Location.Known && t.Location.V == "" {
		if ice := b.str(r, "open_table_format_input.0.iceberg_input.0.iceberg_table_input.0.location"); !ice.Known || ice.V != "" {
			t.Location = ice
		}
	}
	switch v, ok := b.raw(r, "partition_keys"); {
	case ok:
		l, isList := v.([]any)
		if isList {
			t.Partitioned = access.Known(len(l) > 0, from(r, "partition_keys"))
		} else {
			t.Partitioned = access.Unknown[bool](from(r, "partition_keys"))
		}
	case r.IsUnknown("partition_keys"):
		t.Partitioned = access.Unknown[bool](from(r, "partition_keys"))
	default:
		t.Partitioned = access.Known(false, from(r, "partition_keys"))
	}
	return t
}

// catalogID is a catalog resource's catalog_id: as set, else the account of
// its provider configuration (the provider's default, "By default, the
// account ID").
func (b *builder) catalogID(r *planjson.Resource) access.Value[string] {
	if id := b.str(r, "catalog_id"); id.Known && id.V != "" {
		return id
	}
	if a, ok := b.ix.accountOfProvider(r.ProviderKey()); ok {
		return access.Known(a, access.Provenance{Address: r.Address, Note: "account of its provider configuration"})
	}
	return access.Unknown[string](access.Provenance{Address: r.Address, Attribute: "catalog_id"})
}

// iamAllowedDefault reads default table permissions: true when an entry
// grants ALL to IAM_ALLOWED_PRINCIPALS, false when entries grant anything
// else; unknown when there are none in the plan (what AWS keeps then is not
// said by the plan) or they are not known.
func (b *builder) iamAllowedDefault(r *planjson.Resource, block, principal string) access.Value[bool] {
	p := from(r, block)
	v, ok := b.raw(r, block)
	l, isList := v.([]any)
	if !ok || !isList || len(l) == 0 {
		return access.Unknown[bool](p)
	}
	for i := range l {
		at := block + "." + strconv.Itoa(i) + "."
		who := b.str(r, at+principal)
		perms, known := b.strList(r, at+"permissions")
		if !who.Known || !known {
			return access.Unknown[bool](p)
		}
		if who.V == iamAllowedPrincipals && slices.Contains(perms, "ALL") {
			return access.Known(true, p)
		}
	}
	return access.Known(false, p)
}

// lfResource reads an aws_lakeformation_resource with its registration role.
func (b *builder) lfResource(r *planjson.Resource) access.LFResource {
	l := access.LFResource{Address: r.Address, ARN: b.str(r, "arn"), HybridAccess: b.boolean(r, "hybrid_access_enabled", false)}
	if !l.ARN.Known {
		// arn = aws_s3_bucket.x.arn: the bucket's ARN follows from its name.
		if v, t, ok := b.linked(r, "arn"); ok && t != nil && !isSymbol(v, t) {
			l.ARN = access.Known(v, access.Provenance{Address: t.Address, Attribute: "arn"})
		}
	}
	if slr := b.boolean(r, "use_service_linked_role", false); slr.Known && slr.V {
		l.ServiceLinkedRole = true
	} else if ref := b.str(r, "role_arn"); ref.Known && ref.V != "" || configured(r, "role_arn") {
		l.Role = b.jobRole(r, ref)
	}
	if a, ok := b.ix.accountOfProvider(r.ProviderKey()); ok {
		l.Account = access.Known(a, access.Provenance{Address: r.Address, Note: "account of its provider configuration"})
	}
	return l
}

// lfGrant reads an aws_lakeformation_permissions on a table; grants on
// other resources (databases, locations, LF-Tags) do not let a job read or
// write a table's data and are left out.
func (b *builder) lfGrant(r *planjson.Resource) (access.LFGrant, bool) {
	g := access.LFGrant{Address: r.Address, Principal: b.str(r, "principal")}
	if !g.Principal.Known {
		if t, ok := b.ix.Reference(r, "principal"); ok && t.Resource.Type == "aws_iam_role" {
			if v := b.symbol(t.Resource, "arn"); !isSymbol(v, t.Resource) {
				g.Principal = access.Known(v, access.Provenance{Address: t.Resource.Address, Attribute: "arn"})
			}
		}
	}
	g.Permissions, _ = b.strList(r, "permissions")
	for _, block := range []string{"table", "table_with_columns"} {
		db := b.str(r, block+".0.database_name")
		if !db.Known || db.V == "" {
			continue
		}
		g.Database = db.V
		g.Table = b.str(r, block+".0.name").V
		g.Wildcard = b.boolean(r, block+".0.wildcard", false).V
		g.AllColumns = block == "table"
		if block == "table_with_columns" && g.Wildcard {
			excluded, known := b.strList(r, block+".0.excluded_column_names")
			g.AllColumns = known && len(excluded) == 0
		}
		return g, true
	}
	return g, false
}

// Arguments that name a Data Catalog table for the script, a rule of this
// tool (docs/validate.md, "Data Catalog tables"): an argument whose name
// ends in "table" or "table_name" names a table when an argument with the
// same beginning and "database", "database_name", "db" or "db_name" names
// its database (--source_table with --source_database, --table_name with
// --database); a table value "db.table" needs no database argument. The
// beginning gives the mode: source, input, src or read → read; target,
// output, dest, sink or write → write; anything else → read and write.
var (
	tableSuffixes    = []string{"table_name", "table"}
	databaseSuffixes = []string{"database", "database_name", "db", "db_name"}
	readWords        = []string{"source", "input", "src", "read"}
	writeWords       = []string{"target", "output", "dest", "sink", "write"}
)

// argTables returns the tables the job's effective arguments name.
// A table argument without a database is not a Data Catalog table for
// certain (JDBC and DynamoDB sources take table names too): it is left out.
func argTables(j access.Job) []access.TableRef {
	args := map[string]string{}
	froms := map[string]access.Provenance{}
	for _, m := range []access.Value[map[string]string]{j.DefaultArguments, j.NonOverridableArguments} {
		if !m.Known {
			continue
		}
		for k, v := range m.V {
			norm := strings.ReplaceAll(strings.ToLower(strings.TrimLeft(k, "-")), "-", "_")
			args[norm], froms[norm] = v, m.From
		}
	}
	var refs []access.TableRef
	for _, k := range slices.Sorted(maps.Keys(args)) {
		var stem string
		found := false
		for _, suf := range tableSuffixes {
			if s, ok := strings.CutSuffix(k, suf); ok {
				stem, found = s, true
				break
			}
		}
		if !found || strings.TrimSpace(args[k]) == "" {
			continue
		}
		table := strings.TrimSpace(args[k])
		db := ""
		for _, suf := range databaseSuffixes {
			if v, ok := args[stem+suf]; ok && strings.TrimSpace(v) != "" {
				db = strings.TrimSpace(v)
				break
			}
		}
		if d, t, ok := strings.Cut(table, "."); ok && db == "" {
			db, table = d, t
		}
		if db == "" || table == "" {
			// "sales." names no table: not a table argument this rule reads.
			continue
		}
		from := access.Provenance{Address: froms[k].Address, Attribute: froms[k].Attribute, Note: "argument --" + k}
		refs = append(refs, access.TableRef{Database: access.Known(db, from), Table: access.Known(table, from), Mode: stemMode(stem),
			From: from, Source: access.SourceCatalog})
	}
	return refs
}

// stemMode is the access mode an argument name's beginning implies.
func stemMode(stem string) access.AccessMode {
	words := strings.FieldsFunc(stem, func(r rune) bool { return r == '_' })
	has := func(set []string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(set, w) })
	}
	switch r, w := has(readWords), has(writeWords); {
	case r && !w:
		return access.ModeRead
	case w && !r:
		return access.ModeWrite
	}
	return access.ModeReadWrite
}

// catalogFacts adds the tables the job's arguments name and the plan's
// catalog to its facts.
func (b *builder) catalogFacts(f *access.Facts) {
	f.CatalogTables = append(f.CatalogTables, argTables(f.Job)...)
	if len(f.CatalogTables) > 0 {
		f.Catalog = b.catalog
	}
}

// catalogURLs are the S3 locations of the tables the facts name, so their
// buckets (and those of Lake Formation registrations) join the facts.
func catalogURLs(f *access.Facts) []string {
	if f.Catalog == nil {
		return nil
	}
	var out []string
	for _, ref := range f.CatalogTables {
		if !ref.Database.Known || !ref.Table.Known {
			continue
		}
		for _, t := range f.Catalog.Tables {
			if strings.EqualFold(t.Database, ref.Database.V) && strings.EqualFold(t.Name, ref.Table.V) && t.Location.Known && t.Location.V != "" {
				out = append(out, t.Location.V)
			}
		}
		for _, db := range f.Catalog.Databases {
			if strings.EqualFold(db.Name, ref.Database.V) && db.LocationURI.Known && strings.HasPrefix(db.LocationURI.V, "s3") {
				out = append(out, db.LocationURI.V)
			}
		}
	}
	return slices.DeleteFunc(out, func(u string) bool { return !strings.Contains(u, "://") })
}
