package datasources

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
)

// crawlerModel is the crawler form of glueaccess_check: an aws_glue_crawler
// checked like a job, its role against what its targets make it read.
type crawlerModel struct {
	Name          types.String
	RoleARN       types.String
	Region        types.String
	S3Targets     types.List
	DeltaTargets  types.List
	IcebergTarget types.List
	HudiTargets   types.List
}

type s3TargetModel struct {
	Path       types.String
	Exclusions types.List
}

func (m *s3TargetModel) setFrom(a map[string]attr.Value) {
	m.Path, m.Exclusions = stringAttr(a, "path"), listAttr(a, "exclusions")
}

type deltaTargetModel struct {
	DeltaTables   types.List
	WriteManifest types.Bool
}

func (m *deltaTargetModel) setFrom(a map[string]attr.Value) {
	m.DeltaTables, m.WriteManifest = listAttr(a, "delta_tables"), boolAttr(a, "write_manifest")
}

type pathsTargetModel struct {
	Paths      types.List
	Exclusions types.List
}

func (m *pathsTargetModel) setFrom(a map[string]attr.Value) {
	m.Paths, m.Exclusions = listAttr(a, "paths"), listAttr(a, "exclusions")
}

// crawlerBlock is the schema of the crawler block, in the shape of
// aws_glue_crawler.
func crawlerBlock() schema.Block {
	paths := func(what string) schema.ListNestedBlock {
		return schema.ListNestedBlock{
			MarkdownDescription: what + " target of the crawler, as `aws_glue_crawler." + what + "_target`; each path is listed and read.",
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"paths":      strList(true, "S3 paths of the tables (`s3://bucket/prefix/`)."),
				"exclusions": strList(false, "Exclude patterns; only `**` (everything) changes what is read."),
			}},
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "An `aws_glue_crawler`, checked like a job, instead of the `job` block: its role must list and " +
			"read every target path (`s3:ListBucket` and `s3:GetObject`), and write to Delta tables whose manifests it " +
			"writes. The role's policies are given in the `role` block.",
		Attributes: map[string]schema.Attribute{
			"name":     strAttr(false, "Crawler name. Must be set when the block is given."),
			"role_arn": strAttr(false, "ARN of the crawler's IAM role, with its path. Must be set when the block is given."),
			"region":   strAttr(false, "Region the crawler runs in; defaults to the provider's `region`."),
		},
		Blocks: map[string]schema.Block{
			"s3_target": schema.ListNestedBlock{
				MarkdownDescription: "S3 target, as `aws_glue_crawler.s3_target`.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"path":       strAttr(true, "Include path: `s3://bucket/prefix/` or `bucket/prefix`."),
					"exclusions": strList(false, "Exclude patterns; they skip objects, not the listing, so only `**` (everything) changes what is read."),
				}},
			},
			"delta_target": schema.ListNestedBlock{
				MarkdownDescription: "Delta Lake target, as `aws_glue_crawler.delta_target`.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"delta_tables":   strList(true, "S3 paths of the Delta tables."),
					"write_manifest": optBool("Whether the crawler writes manifest files to the table paths (then it needs write access there); default `false`."),
				}},
			},
			"iceberg_target": paths("iceberg"),
			"hudi_target":    paths("hudi"),
		},
	}
}

// decodeCrawler reads the crawler block, nil when absent.
func decodeCrawler(a map[string]attr.Value) *crawlerModel {
	c := single(a, "crawler")
	if c == nil {
		return nil
	}
	return &crawlerModel{Name: stringAttr(c, "name"), RoleARN: stringAttr(c, "role_arn"), Region: stringAttr(c, "region"),
		S3Targets: listAttr(c, "s3_target"), DeltaTargets: listAttr(c, "delta_target"),
		IcebergTarget: listAttr(c, "iceberg_target"), HudiTargets: listAttr(c, "hudi_target")}
}

// asJob is the job model the common checks read a crawler through: its
// name, role and Region.
func (c *crawlerModel) asJob() *jobModel {
	return &jobModel{Name: c.Name, RoleARN: c.RoleARN, Region: c.Region, Command: types.StringNull()}
}

// crawler adds the crawler's targets to facts built from asJob.
func (b *factBuilder) crawler(f *access.Facts, c *crawlerModel) {
	at := path.Root("crawler")
	b.required(c.Name, at.AtName("name"))
	b.required(c.RoleARN, at.AtName("role_arn"))
	f.Job.Address = "crawler " + c.Name.ValueString()
	f.Job.ScriptLocation = access.Known("", access.Provenance{Attribute: "crawler"})
	// Not a Spark job: nothing --conf sets applies (Requester Pays header,
	// canned ACLs).
	f.Job.Command = access.Known("crawler", access.Provenance{Attribute: "crawler"})
	cr := &access.Crawler{LakeFormationCredentials: access.Known(false, access.Provenance{Note: "the crawler form has no lake_formation_configuration"})}
	add := func(kind string, v types.String, mode access.AccessMode, exclusions []string, where path.Path) {
		from := access.Provenance{Attribute: pathLabel(where)}
		if !known(v) {
			cr.Targets = append(cr.Targets, access.CrawlerTarget{Kind: kind, Mode: mode, From: from, Unknown: pathLabel(where)})
			return
		}
		cr.Targets = append(cr.Targets, access.CrawlerTarget{Kind: kind, Path: v.ValueString(), Mode: mode, Exclusions: exclusions, From: from})
	}
	strs := func(l types.List, where path.Path) []indexedString {
		items, diags := listStrings(l, where)
		b.diags.Append(diags...)
		return items
	}
	excluded := func(l types.List, where path.Path) []string {
		vals, diags := stringValues(l, where)
		b.diags.Append(diags...)
		return vals
	}
	unknownList := func(kind string, l types.List, mode access.AccessMode, where path.Path) bool {
		if l.IsUnknown() {
			cr.Targets = append(cr.Targets, access.CrawlerTarget{Kind: kind, Mode: mode, From: access.Provenance{Attribute: pathLabel(where)}, Unknown: pathLabel(where)})
			return true
		}
		return false
	}
	for i, t := range elements[s3TargetModel](c.S3Targets) {
		where := at.AtName("s3_target").AtListIndex(i)
		add("s3_target", t.Path, access.ModeRead, excluded(t.Exclusions, where.AtName("exclusions")), where.AtName("path"))
	}
	for i, t := range elements[deltaTargetModel](c.DeltaTargets) {
		where := at.AtName("delta_target").AtListIndex(i)
		mode := access.ModeRead
		if t.WriteManifest.IsUnknown() || t.WriteManifest.ValueBool() {
			mode = access.ModeReadWrite
		}
		if unknownList("delta_target", t.DeltaTables, mode, where.AtName("delta_tables")) {
			continue
		}
		for _, v := range strs(t.DeltaTables, where.AtName("delta_tables")) {
			add("delta_target", v.Value, mode, nil, v.Path)
		}
	}
	for _, kind := range []string{"iceberg_target", "hudi_target"} {
		l := c.IcebergTarget
		if kind == "hudi_target" {
			l = c.HudiTargets
		}
		for i, t := range elements[pathsTargetModel](l) {
			where := at.AtName(kind).AtListIndex(i)
			if unknownList(kind, t.Paths, access.ModeRead, where.AtName("paths")) {
				continue
			}
			excl := excluded(t.Exclusions, where.AtName("exclusions"))
			for _, v := range strs(t.Paths, where.AtName("paths")) {
				add(kind, v.Value, access.ModeRead, excl, v.Path)
			}
		}
	}
	f.Crawler = cr
}
