package validator

import (
	"strconv"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// crawlerType is the resource type of a Glue crawler, checked like a job.
const crawlerType = "aws_glue_crawler"

// crawlerFacts assembles the facts of one aws_glue_crawler: its role, its
// S3, Delta, Iceberg and Hudi targets, its catalog targets' tables, the
// connections its targets name (a NETWORK connection puts its traffic in
// the VPC) and its security configuration.
func (b *builder) crawlerFacts(r *planjson.Resource) *access.Facts {
	j := access.Job{Address: r.Address, Name: b.str(r, "name"), RoleRef: b.str(r, "role"),
		Command: access.Known("crawler", from(r, "")), Partition: b.ix.partition(), Region: b.region(r)}
	if sc := b.str(r, "security_configuration"); !sc.Known || sc.V != "" {
		j.SecurityConfiguration = b.securityConfiguration(r, sc)
	}
	cr := &access.Crawler{LakeFormationCredentials: b.boolean(r, "lake_formation_configuration.0.use_lake_formation_credentials", false)}
	f := &access.Facts{Job: j, Network: b.network, Org: b.org, Crawler: cr}
	var urls []string
	seenConn := map[string]bool{}
	for _, block := range []string{"s3_target", "delta_target", "iceberg_target", "hudi_target", "catalog_target"} {
		if r.IsUnknown(block) || absent(r, block) {
			// Blocks not known (or not written) may hold any target.
			if block == "catalog_target" {
				f.CatalogTables = append(f.CatalogTables, access.TableRef{Database: access.Unknown[string](from(r, block)), Table: access.Unknown[string](from(r, block)),
					Mode: access.ModeRead, From: access.Provenance{Address: r.Address, Attribute: block}, Source: access.SourceCrawler})
			} else {
				cr.Targets = append(cr.Targets, access.CrawlerTarget{Kind: block, Mode: access.ModeReadWrite,
					From: access.Provenance{Address: r.Address, Attribute: block}, Unknown: r.Address + " " + block})
			}
			continue
		}
		n := b.blockCount(r, block)
		for i := range n {
			at := block + "." + strconv.Itoa(i) + "."
			src := access.Provenance{Address: r.Address, Attribute: block}
			if c := b.str(r, at+"connection_name"); c.Known && c.V != "" && !seenConn[c.V] {
				seenConn[c.V] = true
				f.Job.Connections = append(f.Job.Connections, b.connection(r, c.V, b.ix.References(r, block)))
			}
			if block == "catalog_target" {
				db := b.str(r, at+"database_name")
				tables, known := b.strList(r, at+"tables")
				if !known {
					f.CatalogTables = append(f.CatalogTables, access.TableRef{Database: db, Table: access.Unknown[string](from(r, at+"tables")),
						Mode: access.ModeRead, From: src, Source: access.SourceCrawler})
				}
				for _, t := range tables {
					f.CatalogTables = append(f.CatalogTables, access.TableRef{Database: db, Table: access.Known(t, src), Mode: access.ModeRead,
						From: src, Source: access.SourceCrawler})
				}
				continue
			}
			mode := access.ModeRead
			var paths []string
			var pathsKnown bool
			switch block {
			case "s3_target":
				p := b.str(r, at+"path")
				paths, pathsKnown = []string{p.V}, p.Known
			case "delta_target":
				paths, pathsKnown = b.strList(r, at+"delta_tables")
				// Writing manifests writes under the table path ("How to
				// specify configuration options for a Delta Lake data store").
				if w := b.boolean(r, at+"write_manifest", false); !w.Known || w.V {
					mode = access.ModeReadWrite
				}
			default:
				paths, pathsKnown = b.strList(r, at+"paths")
			}
			excl, _ := b.strList(r, at+"exclusions")
			if !pathsKnown {
				cr.Targets = append(cr.Targets, access.CrawlerTarget{Kind: block, Mode: mode, From: src, Unknown: r.Address + " " + block + " path"})
				continue
			}
			for _, p := range paths {
				cr.Targets = append(cr.Targets, access.CrawlerTarget{Kind: block, Path: p, Mode: mode, Exclusions: excl, From: src})
				rest, _, _ := awsid.CutS3Scheme(p)
				urls = append(urls, "s3://"+rest)
			}
		}
	}
	// Lake Formation registrations matter to every target, not only to
	// catalog ones.
	f.Catalog = b.catalog
	f.Role = b.crawlerRole(r, j.RoleRef)
	b.addStores(f, append(urls, catalogURLs(f)...))
	return f
}

// blockCount is the number of blocks of a type the plan shows.
func (b *builder) blockCount(r *planjson.Resource, block string) int {
	v, ok := b.raw(r, block)
	l, isList := v.([]any)
	if !ok || !isList {
		return 0
	}
	return len(l)
}

// crawlerRole resolves the crawler's role, which may be given by name or
// ARN ("role": "The IAM role friendly name (including path without leading
// slash), or ARN of an IAM role").
func (b *builder) crawlerRole(r *planjson.Resource, ref access.Value[string]) *access.Role {
	if t, ok := b.ix.Reference(r, "role"); ok && t.Resource.Type == "aws_iam_role" {
		return b.roleCache.get(t.Resource.Address, func() *access.Role { return b.buildRole(t.Resource) })
	}
	if !ref.Known {
		return nil
	}
	return b.jobRole(r, ref)
}
