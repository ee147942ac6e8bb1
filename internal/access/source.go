package access

// SourceKind says where a job's need was found; reports group needs by it.
type SourceKind string

// Where needs come from.
const (
	SourceDefinition SourceKind = "definition"     // the job's own attributes: script_location, arguments, connections
	SourceDeclared   SourceKind = "declared"       // .glueaccess.hcl or tags
	SourceScript     SourceKind = "script"         // a line of the job's script
	SourceCatalog    SourceKind = "catalog-table"  // a Data Catalog table the job names
	SourceCrawler    SourceKind = "crawler-target" // a target of an aws_glue_crawler
)
