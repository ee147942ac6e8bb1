package access

import (
	"fmt"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// TableRef is a Data Catalog table a job names: through its arguments
// (--database / --table_name), its script (from_catalog), or a crawler's
// catalog_target.
//
// The shape is the one the script reader fills too: Database or Table is
// not known (Known false, From saying where) when the source does not
// reveal it.
type TableRef struct {
	Database Value[string] `json:"database"`
	Table    Value[string] `json:"table"`
	Mode     AccessMode    `json:"mode"` // ModeRead, ModeWrite or ModeReadWrite
	From     Provenance    `json:"from"`
	Source   SourceKind    `json:"source,omitempty"`
}

// Catalog is what the plan shows of the Data Catalog and Lake Formation.
type Catalog struct {
	Tables    []CatalogTable    `json:"tables,omitempty"`
	Databases []CatalogDatabase `json:"databases,omitempty"`
	// LakeFormation is nil when the plan holds no Lake Formation resource.
	LakeFormation *LakeFormation `json:"lake_formation,omitempty"`
}

// CatalogTable is an aws_glue_catalog_table (resource or data source).
type CatalogTable struct {
	Address  string `json:"address"`
	Database string `json:"database"`
	Name     string `json:"name"`
	// CatalogID is the account whose catalog holds the table.
	CatalogID Value[string] `json:"catalog_id"`
	Region    Value[string] `json:"region"`
	// Location is storage_descriptor[0].location (or the Iceberg table's
	// location); a known "" means the table names none.
	Location Value[string] `json:"location"`
	// Partitioned is set when the table has partition keys.
	Partitioned Value[bool] `json:"partitioned"`
}

// CatalogDatabase is an aws_glue_catalog_database.
type CatalogDatabase struct {
	Address   string        `json:"address"`
	Name      string        `json:"name"`
	CatalogID Value[string] `json:"catalog_id"`
	// LocationURI is location_uri; a known "" means none.
	LocationURI Value[string] `json:"location_uri"`
	// IAMAllowedDefault is true when create_table_default_permission grants
	// ALL to IAM_ALLOWED_PRINCIPALS ("Use only IAM access control" for the
	// database's new tables), false when it names something else or
	// nothing; unknown when the plan does not say.
	IAMAllowedDefault Value[bool] `json:"iam_allowed_default"`
}

// Glue Data Catalog and Lake Formation actions a table use needs.
const (
	actGlueGetTable             = "glue:GetTable"
	actGlueGetDatabase          = "glue:GetDatabase"
	actGlueGetPartitions        = "glue:GetPartitions"
	actGlueUpdateTable          = "glue:UpdateTable"
	actGlueBatchCreatePartition = "glue:BatchCreatePartition"
	actLFGetDataAccess          = "lakeformation:GetDataAccess"
)

// Need intents of Data Catalog and Lake Formation requests.
const (
	OriginCatalogRead  = "catalog-read"
	OriginCatalogWrite = "catalog-write"
	OriginLFAccess     = "lake-formation"
)

// Reason codes of Data Catalog and Lake Formation findings.
const (
	ReasonTableNotInPlan      = "table-not-in-plan"
	ReasonCrossAccountCatalog = "cross-account-catalog"
	ReasonLFNoPermission      = "lf-no-permission"
)

// table finds a table by database and name. Glue stores both in lower
// case ("Database API", "Table API": names are lowercased), so they match
// case-insensitively.
func (c *checker) table(db, name string) *CatalogTable {
	if c.f.Catalog == nil {
		return nil
	}
	for i := range c.f.Catalog.Tables {
		t := &c.f.Catalog.Tables[i]
		if strings.EqualFold(t.Database, db) && strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

func (c *checker) database(name string) *CatalogDatabase {
	if c.f.Catalog == nil {
		return nil
	}
	for i := range c.f.Catalog.Databases {
		if strings.EqualFold(c.f.Catalog.Databases[i].Name, name) {
			return &c.f.Catalog.Databases[i]
		}
	}
	return nil
}

// tableUse is one table the job uses, resolved.
type tableUse struct {
	ref   TableRef
	table *CatalogTable
	// loc is the table's S3 location; ok is false when it is not known.
	loc s3URL
	ok  bool
}

// catalogResult is what the job's tables add to its checks.
type catalogResult struct {
	locs []location // S3 locations the job role reaches directly
	glue []Need     // Glue and Lake Formation requests of the job role
	lf   []lfUse    // locations reached with Lake Formation credentials
}

// catalogNeeds resolves the job's tables (docs/validate.md, "Data Catalog
// tables, Lake Formation and crawlers"):
// each read or write becomes S3 needs on the table's location, which
// partitions lie under, and glue:GetTable (and more) on its catalog,
// database and table ARNs ("Specifying AWS Glue resource ARNs": actions on
// a table need permission on the table, database and catalog). A table the
// plan does not hold is an unknown finding naming it.
func (c *checker) catalogNeeds() catalogResult {
	var out catalogResult
	seen := map[string]bool{}
	for _, ref := range c.f.CatalogTables {
		source := SourceCatalog
		if c.f.Crawler != nil {
			source = SourceCrawler
		}
		if !ref.Database.Known || !ref.Table.Known {
			c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLocationUnknown,
				Need:    Need{Action: "s3:*", Intent: OriginCatalogRead, Why: "catalog table named by " + ref.From.String(), Source: source},
				Because: "the database or name of a catalog table the job uses is not known, so neither its S3 location nor its catalog permissions can be checked",
				Missing: []Missing{{Fact: "database and name of the catalog table named by " + ref.From.String(), How: "name the table with values known at plan time"}}})
			continue
		}
		db, tbl := ref.Database.V, ref.Table.V
		k := strings.ToLower(db + "." + tbl + "\x00" + string(ref.Mode))
		if seen[k] {
			continue
		}
		seen[k] = true
		name := db + "." + tbl
		why := fmt.Sprintf("catalog table %s (%s) named by %s", name, ref.Mode, ref.From)
		if ref.Mode != ModeRead && ref.Mode != ModeWrite && ref.Mode != ModeReadWrite {
			// purge_table and other deletes of a table's data are not
			// modelled for tables: never taken as allowed.
			c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLocationUnknown,
				Need:    Need{Action: "s3:*", Intent: OriginCatalogWrite, Why: why, Source: source},
				Because: fmt.Sprintf("the job uses catalog table %s in mode %q, whose requests are not modelled", name, ref.Mode),
				Missing: []Missing{{Fact: "the requests of mode " + string(ref.Mode) + " on catalog table " + name, How: "check this use of the table by hand"}}})
			continue
		}
		t := c.table(db, tbl)
		if t == nil {
			c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonTableNotInPlan,
				Need:    Need{Action: "s3:*", Intent: OriginCatalogRead, Why: why, Source: source},
				Because: fmt.Sprintf("catalog table %s is not in the plan, so neither its S3 location nor its catalog permissions can be checked", name),
				Missing: []Missing{{Fact: "aws_glue_catalog_table " + name,
					How: `add the table to the plan (resource "aws_glue_catalog_table", or data "aws_glue_catalog_table" for one managed elsewhere)`}}})
			continue
		}
		why = fmt.Sprintf("catalog table %s (%s) named by %s", name, t.Address, ref.From)
		out.glue = append(out.glue, c.glueNeeds(ref, t, why, source)...)
		u, ok := c.tableLocation(t, name, why, source)
		if !ok {
			continue
		}
		use := tableUse{ref: ref, table: t, loc: u, ok: true}
		locs := modeLocations(u, ref.Mode, why, source)
		if reg := c.registration(u); reg != nil && c.f.Crawler == nil {
			iamPath, lf := c.lakeFormation(use, reg, locs, why, source)
			out.locs = append(out.locs, iamPath...)
			if lf != nil {
				out.lf = append(out.lf, *lf)
				out.glue = append(out.glue, Need{Action: actLFGetDataAccess, Resource: "*", Intent: OriginLFAccess, Required: true, Source: source,
					Why: fmt.Sprintf("Lake Formation credentials for %s, registered by %s", name, reg.Address)})
			}
			continue
		}
		out.locs = append(out.locs, locs...)
	}
	return out
}

// modeLocations turns a table location into read and write locations.
func modeLocations(u s3URL, mode AccessMode, why string, source SourceKind) []location {
	var out []location
	if mode == ModeRead || mode == ModeReadWrite || mode == "" {
		out = append(out, location{URL: u, Intent: OriginDataRead, Why: why, Source: source})
	}
	if mode == ModeWrite || mode == ModeReadWrite || mode == "" {
		out = append(out, location{URL: u, Intent: OriginWrite, Why: why, Source: source})
	}
	return out
}

// tableLocation returns the S3 prefix holding the table's data: its
// storage_descriptor location, else its database's location_uri (a table
// without a location is taken to live under its database's, recorded as an
// assumption). Anything not known is an unknown finding.
func (c *checker) tableLocation(t *CatalogTable, name, why string, source SourceKind) (s3URL, bool) {
	unknown := func(fact, how string) (s3URL, bool) {
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLocationUnknown,
			Need:    Need{Action: "s3:*", Intent: OriginDataRead, Why: why, Source: source},
			Because: fmt.Sprintf("the S3 location of catalog table %s is not known, so its access cannot be checked", name),
			Missing: []Missing{{Fact: fact, How: how}}})
		return s3URL{}, false
	}
	raw := t.Location
	if !raw.Known {
		return unknown("storage_descriptor.location of "+t.Address+" ("+raw.From.String()+")", "give the table a location known at plan time")
	}
	if raw.V == "" {
		db := c.database(t.Database)
		if db == nil || !db.LocationURI.Known || db.LocationURI.V == "" {
			return unknown("storage_descriptor.location of "+t.Address, "set storage_descriptor.location of the table (or location_uri of its database) to an s3:// prefix")
		}
		c.assume("table-under-database-location", "catalog tables without a storage_descriptor location are assumed to keep their data under their database's location_uri")
		raw = db.LocationURI
	}
	u, err := parseS3URL(raw.V, true)
	if err != nil {
		return unknown("S3 location of "+t.Address+" ("+raw.V+")", "use an s3://bucket/prefix location: "+err.Error())
	}
	c.assume("partitions-under-table-location", "partitions of catalog tables are assumed to lie under the table's location (partitions created at run time are not in the plan)")
	return u, true
}

// catalogARNs are the catalog, database and table ARNs of a table.
func (c *checker) catalogARNs(t *CatalogTable) (catalog, db, table, account string, ok bool) {
	account = knownStr(t.CatalogID)
	region := knownStr(t.Region)
	if region == "" {
		region = c.region
	}
	if account == "" || region == "" {
		return "", "", "", account, false
	}
	base := "arn:" + c.part + ":glue:" + region + ":" + account + ":"
	return base + "catalog", base + "database/" + strings.ToLower(t.Database), base + "table/" + strings.ToLower(t.Database) + "/" + strings.ToLower(t.Name), account, true
}

// glueNeeds are the Data Catalog requests of a table use (Glue Developer
// Guide, "GlueContext class" and "Updating the schema, and adding new
// partitions in the Data Catalog using AWS Glue ETL jobs"): glue:GetTable on the table and its ancestors; reading a
// partitioned table lists its partitions; a write may update the table and
// add partitions (recommended: only jobs that update the catalog do).
func (c *checker) glueNeeds(ref TableRef, t *CatalogTable, why string, source SourceKind) []Need {
	catalog, db, table, _, ok := c.catalogARNs(t)
	if !ok {
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLocationUnknown,
			Need:    Need{Action: actGlueGetTable, Intent: OriginCatalogRead, Why: why, Source: source},
			Because: fmt.Sprintf("the account or Region of the catalog holding %s.%s is not known, so its catalog permissions cannot be checked", t.Database, t.Name),
			Missing: []Missing{{Fact: "catalog_id and region of " + t.Address, How: "set catalog_id on the table, or account and region on its provider configuration"}}})
		return nil
	}
	read := ref.Mode != ModeWrite
	write := ref.Mode != ModeRead
	var out []Need
	add := func(action, intent string, required bool, arns ...string) {
		for _, arn := range arns {
			out = append(out, Need{Action: action, Resource: arn, Intent: intent, Required: required, Why: why, Source: source})
		}
	}
	intent := OriginCatalogRead
	if !read {
		intent = OriginCatalogWrite
	}
	add(actGlueGetTable, intent, true, catalog, db, table)
	add(actGlueGetDatabase, intent, false, catalog, db)
	if read && t.Partitioned.Known && t.Partitioned.V || read && !t.Partitioned.Known {
		add(actGlueGetPartitions, OriginCatalogRead, t.Partitioned.Known, catalog, db, table)
	}
	if write {
		add(actGlueUpdateTable, OriginCatalogWrite, false, catalog, db, table)
		add(actGlueBatchCreatePartition, OriginCatalogWrite, false, catalog, db, table)
	}
	return out
}

// checkGlue evaluates one Data Catalog or Lake Formation request of the job
// role: its identity policies and boundary, and the SCPs of its account
// (resource control policies do not cover Glue). A catalog of another
// account also needs its Data Catalog resource policy, which no plan
// resource carries here: unknown.
func (c *checker) checkGlue(n Need) {
	ls := c.identity.clone()
	if ls.invalid {
		return
	}
	account := awsid.AccountOfARN(n.Resource)
	if account == "" {
		account = c.role.Account
	}
	if account != c.role.Account && n.Required {
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonCrossAccountCatalog, Need: n,
			Because: fmt.Sprintf("the catalog of account %s is another account's: %s on %s also needs that catalog's resource policy or a Lake Formation cross-account grant", account, n.Action, n.Resource),
			Missing: []Missing{{Fact: "Data Catalog resource policy of account " + account, How: "check the catalog owner's aws_glue_resource_policy by hand"}}})
		return
	}
	req := &iam.Request{Principal: c.principal(), Action: n.Action, Resource: n.Resource, ResourceAccount: account, Context: c.requestContext(account)}
	if o := c.f.Org; o != nil && !(o.ManagementAccount.Known && o.ManagementAccount.V == c.role.Account) {
		ls.in.SCPs, ls.scpNodes = c.orgLevels(&ls, c.role.Account, iam.LayerSCP)
	}
	c.decide(n, req, ls, false, account)
}
