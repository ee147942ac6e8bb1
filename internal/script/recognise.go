package script

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// Spark's DataFrameReader / DataFrameWriter methods that take paths
// (Spark SQL API reference), and the RDD methods of SparkContext / RDD.
var (
	readerMethods = map[string]bool{"parquet": true, "csv": true, "json": true, "orc": true, "text": true, "textFile": true,
		"load": true, "avro": true, "xml": true}
	writerMethods = map[string]bool{"parquet": true, "csv": true, "json": true, "orc": true, "text": true, "save": true,
		"start": true, "avro": true, "xml": true}
	rddReads  = map[string]bool{"textFile": true, "wholeTextFiles": true, "binaryFiles": true, "sequenceFile": true, "pickleFile": true, "hadoopFile": true, "newAPIHadoopFile": true, "objectFile": true}
	rddWrites = map[string]bool{"saveAsTextFile": true, "saveAsPickleFile": true, "saveAsSequenceFile": true, "saveAsHadoopFile": true, "saveAsNewAPIHadoopFile": true, "saveAsObjectFile": true}
)

// recognise records what the call c reads, writes or deletes, and reports
// whether it is a call the reader knows.
func (r *reader) recognise(c *node, links []link, args []value, kws map[string]value) bool {
	t := links[len(links)-1].name
	line := c.line
	pos := func(i int, names ...string) (value, bool) {
		a := argument(c, i, names...)
		if a == nil {
			return value{}, false
		}
		for _, kw := range c.kws {
			if kw.val == a {
				return kws[kw.name], true
			}
		}
		for k, x := range c.args {
			if x == a {
				return args[k], true
			}
		}
		return value{}, false
	}
	if v, ok := pos(-1, "redshift_tmp_dir", "redshiftTmpDir"); ok {
		r.paths(v, ModeWrite, line, t+" redshift_tmp_dir", false)
	}
	switch {
	case has(links, "read", "readStream") && t == "table":
		if v, ok := pos(0, "tableName"); ok {
			r.table(v, ModeRead, line, "spark.read.table")
		}
	case has(links, "read", "readStream") && readerMethods[t]:
		call := "spark.read." + t
		if p, ok := pos(-1, "path", "paths"); ok {
			r.paths(p, ModeRead, line, call, true)
		}
		for _, a := range args {
			r.paths(a, ModeRead, line, call, true)
		}
		r.optionPath(links, ModeRead, line, call)
	case has(links, "write", "writeStream") && writerMethods[t]:
		call := "write." + t
		if p, ok := pos(0, "path"); ok {
			r.paths(p, ModeWrite, line, call, true)
		}
		r.optionPath(links, ModeWrite, line, call)
	case has(links, "write", "writeStream") && (t == "saveAsTable" || t == "insertInto"):
		if v, ok := pos(0, "name", "tableName"); ok {
			r.table(v, ModeWrite, line, "write."+t)
		}
		if p, ok := pos(-1, "path"); ok {
			r.paths(p, ModeWrite, line, "write."+t, true)
		}
		r.optionPath(links, ModeWrite, line, "write."+t)
	case has(links, "writeTo"):
		for _, l := range links {
			if l.name == "writeTo" && l.call != nil && len(l.call.args) > 0 {
				r.table(r.eval(l.call.args[0]), ModeWrite, line, "writeTo")
			}
		}
	case rddReads[t] && !has(links, "read"):
		if v, ok := pos(0, "path", "name"); ok {
			if v.known() && t == "textFile" && strings.Contains(v.s, ",") {
				for _, p := range strings.Split(v.s, ",") {
					r.paths(value{s: p, lits: v.lits}, ModeRead, line, t, true)
				}
				break
			}
			r.paths(v, ModeRead, line, t, true)
		}
	case rddWrites[t]:
		if v, ok := pos(0, "path"); ok {
			r.paths(v, ModeWrite, line, t, true)
		}
	case has(links, "create_dynamic_frame", "create_data_frame") && t == "from_options" ||
		t == "create_dynamic_frame_from_options" || t == "create_data_frame_from_options":
		r.glueOptions(c, pos, 0, 1, "paths", ModeRead, "create_dynamic_frame.from_options")
	case t == "getSource" || t == "getSourceWithFormat":
		r.glueOptions(c, pos, 0, 1, "paths", ModeRead, t)
	case has(links, "create_dynamic_frame", "create_data_frame") && t == "from_catalog" ||
		t == "create_dynamic_frame_from_catalog" || t == "create_data_frame_from_catalog":
		r.catalog(pos, 0, 1, ModeRead, "create_dynamic_frame.from_catalog", line)
	case t == "getCatalogSource":
		r.catalog(pos, 0, 1, ModeRead, t, line)
	case has(links, "write_dynamic_frame", "write_data_frame") && t == "from_options" ||
		t == "write_dynamic_frame_from_options" || t == "write_data_frame_from_options" || t == "write_from_options":
		r.glueOptions(c, pos, 1, 2, "path", ModeWrite, "write_dynamic_frame.from_options")
	case t == "getSink" || t == "getSinkWithFormat":
		r.glueOptions(c, pos, 0, 1, "path", ModeWrite, t)
	case has(links, "write_dynamic_frame", "write_data_frame") && t == "from_catalog" ||
		t == "write_dynamic_frame_from_catalog" || t == "write_data_frame_from_catalog":
		r.catalog(pos, 1, 2, ModeWrite, "write_dynamic_frame.from_catalog", line)
	case t == "getCatalogSink":
		r.catalog(pos, 0, 1, ModeWrite, t, line)
	case t == "setCatalogInfo":
		r.catalog(func(i int, names ...string) (value, bool) {
			return pos(i, append(names, map[int]string{0: "catalogDatabase", 1: "catalogTableName"}[i])...)
		}, 0, 1, ModeWrite, t, line)
	case t == "purge_s3_path" || t == "purgeS3Path":
		if v, ok := pos(0, "s3_path", "s3Path"); ok {
			r.paths(v, ModeDelete, line, t, true)
		}
	case t == "purge_table" || t == "purgeTable":
		r.catalog(pos, 0, 1, ModeDelete, t, line)
	case t == "transition_s3_path" || t == "transitionS3Path":
		// The mechanism that changes the storage class is not documented
		// ("GlueContext class": accountId and roleArn are mandatory): the
		// requests it makes stay unknown.
		if v, ok := pos(0, "s3_path", "s3Path"); ok {
			r.use(v)
			for _, a := range alts(v) {
				r.refs = append(r.refs, Ref{Mode: ModeWrite, URL: a.s, Unknown: fmt.Sprintf("the S3 requests of %s (line %d), which AWS does not document", t, line), Line: line, Call: t})
			}
		}
	case t == "transition_table" || t == "transitionTable":
		r.catalog(pos, 0, 1, ModeWrite, t, line)
	case t == "sql" && len(args) > 0:
		r.sql(args[0], line)
	default:
		return false
	}
	return true
}

// optionPath records .option("path", p) and .options(path=p) in a chain.
func (r *reader) optionPath(links []link, mode Mode, line int, call string) {
	for _, l := range links {
		if l.call == nil {
			continue
		}
		switch l.name {
		case "option":
			if len(l.call.args) == 2 {
				if k := r.eval(l.call.args[0]); k.known() && k.s == "path" {
					r.paths(r.eval(l.call.args[1]), mode, line, call, true)
				}
			}
		case "options":
			for _, kw := range l.call.kws {
				if kw.name == "path" {
					r.paths(r.eval(kw.val), mode, line, call, true)
				}
			}
		}
	}
}

// glueOptions records an S3 source or sink of the GlueContext API: the
// connection type at position tpos, the connection options at opos (or as
// keyword arguments), holding key ("paths" for sources, "path" for sinks).
func (r *reader) glueOptions(c *node, pos func(int, ...string) (value, bool), tpos, opos int, key string, mode Mode, call string) {
	line := c.line
	if ct, ok := pos(tpos, "connection_type", "connectionType"); ok {
		r.use(ct)
		if ct.known() && !strings.EqualFold(ct.s, "s3") {
			return
		}
	}
	// Python's getSource / getSink take the options as keyword arguments.
	if v, ok := pos(-1, key); ok {
		r.paths(v, mode, line, call, true)
		return
	}
	opts, ok := pos(opos, "connection_options", "options", "connectionOptions")
	if !ok {
		return
	}
	for _, o := range alts(opts) {
		if o.kind != vDict {
			r.use(o)
			r.refs = append(r.refs, Ref{Mode: mode, Unknown: fmt.Sprintf("connection options the script does not reveal (line %d)", line), Line: line, Call: call})
			continue
		}
		r.use(value{lits: o.lits})
		for _, k := range []string{key, "paths", "path"} {
			if v, has, _ := o.get(k); has {
				r.paths(v, mode, line, call, true)
				break
			}
		}
		for _, k := range []string{"redshiftTmpDir", "redshift_tmp_dir"} {
			if v, has, _ := o.get(k); has {
				r.paths(v, ModeWrite, line, call+" "+k, false)
			}
		}
		for _, v := range o.vals {
			r.use(value{lits: v.lits})
		}
	}
}

// catalog records a Data Catalog table given as database and table
// arguments.
func (r *reader) catalog(pos func(int, ...string) (value, bool), dpos, tpos int, mode Mode, call string, line int) {
	db, okd := pos(dpos, "database", "name_space")
	tb, okt := pos(tpos, "table_name", "tableName")
	if !okd && !okt {
		return
	}
	r.use(db)
	r.use(tb)
	ref := Ref{Mode: mode, Catalog: true, Call: call, Line: line}
	switch {
	case okd && db.known() && db.s == "" || okt && tb.known() && tb.s == "":
		ref.Unknown = "an empty database or table name"
	case !okd || !db.known():
		ref.Unknown = "the table's database, which the script does not reveal"
		if okd && db.unk != "" {
			ref.Unknown = "the table's database: " + db.unk
		}
	case !okt || !tb.known():
		ref.Unknown = "the table's name, which the script does not reveal"
		if okt && tb.unk != "" {
			ref.Unknown = "the table's name: " + tb.unk
		}
	}
	if db.known() {
		ref.Database = db.s
	}
	if tb.known() {
		ref.Table = tb.s
	}
	r.refs = append(r.refs, ref)
}

// table records a table named "db.table" (or "table" in the current
// database).
func (r *reader) table(v value, mode Mode, line int, call string) {
	r.use(v)
	for _, a := range alts(v) {
		ref := Ref{Mode: mode, Catalog: true, Line: line, Call: call}
		switch {
		case a.known() && strings.Trim(a.s, "`.") == "":
			ref.Unknown = "an empty table name"
		case !a.known():
			ref.Unknown = "the table's name, which the script does not reveal"
			if a.unk != "" {
				ref.Unknown = "the table's name: " + a.unk
			}
		default:
			name := strings.Trim(a.s, "`")
			if i := strings.LastIndexByte(name, '.'); i >= 0 {
				ref.Database, ref.Table = strings.Trim(name[:i], "`"), strings.Trim(name[i+1:], "`")
			} else {
				ref.Table = name
				ref.Unknown = "the table's database: the current database of the Spark session"
			}
		}
		r.refs = append(r.refs, ref)
	}
}

// paths records the locations a path value names: each alternative, each
// list element. dataPath is false for options that are never a table name.
func (r *reader) paths(v value, mode Mode, line int, call string, dataPath bool) {
	r.use(v)
	for _, a := range alts(v) {
		if a.kind == vList {
			for _, e := range a.items {
				r.paths(e, mode, line, call, dataPath)
			}
			continue
		}
		if a.kind != vStr {
			r.refs = append(r.refs, Ref{Mode: mode, Unknown: fmt.Sprintf("a path the script does not reveal (line %d)", line), Line: line, Call: call})
			continue
		}
		text := strings.TrimSpace(a.s)
		switch {
		case a.unk == "" && isS3(text):
			r.refs = append(r.refs, Ref{Mode: mode, URL: text, Line: line, Call: call})
		case a.unk == "" && hasScheme(text):
			// Another file system (hdfs://, file:/): no S3 request.
		case a.unk == "" && text == "":
			r.refs = append(r.refs, Ref{Mode: mode, Unknown: fmt.Sprintf("an empty path (line %d)", line), Line: line, Call: call})
		case a.unk == "":
			r.refs = append(r.refs, Ref{Mode: mode, Unknown: fmt.Sprintf("a path without an s3:// scheme (line %d): which file system it names depends on the job's Spark configuration", line), Line: line, Call: call})
		case mayBeS3(text):
			r.refs = append(r.refs, Ref{Mode: mode, URL: text, Unknown: a.unk, Line: line, Call: call})
		}
	}
}

// named records the S3 locations in a value passed to a call the reader
// does not know (wr.s3.to_parquet(df, p), a helper of the team's own): what
// the call does with them is unknown. Without it, a location that a known
// call also uses (spark.read.parquet(p)) would be checked for that use only.
func (r *reader) named(v value, line int, call string) {
	for _, a := range alts(v) {
		switch a.kind {
		case vList:
			for _, e := range a.items {
				r.named(e, line, call)
			}
		case vDict:
			for _, e := range a.vals {
				r.named(e, line, call)
			}
		case vStr:
			if text := strings.TrimSpace(a.s); isS3(text) {
				r.refs = append(r.refs, Ref{Mode: ModeNamed, URL: text, Unknown: a.unk, Line: line, Call: safeName(call)})
			}
		}
	}
}

// isS3 reports whether s is an s3://, s3a:// or s3n:// URL.
func isS3(s string) bool { return awsid.HasS3Scheme(s) }

// mayBeS3 reports whether text known only at its start may still name an
// S3 location: it starts an S3 URL, or has no scheme and is not an absolute
// path (a path without a scheme is unknown too, see paths).
func mayBeS3(prefix string) bool {
	return awsid.MayStartS3URL(prefix) || !strings.Contains(prefix, ":") && !strings.HasPrefix(prefix, "/")
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

func hasScheme(s string) bool { return schemeRE.MatchString(s) }

// sqlLocation finds LOCATION 'path' clauses in Spark SQL (CREATE TABLE,
// ALTER TABLE ... SET LOCATION / ADD PARTITION ... LOCATION).
var sqlLocation = regexp.MustCompile(`(?is)\bLOCATION\s+(?:'([^']*)'|"([^"]*)")`)

// sqlWrites matches statements that write data at the location they name:
// CREATE TABLE ... AS SELECT, INSERT.
var sqlWrites = regexp.MustCompile(`(?is)\bAS\s+SELECT\b|\bINSERT\s+(INTO|OVERWRITE)\b`)

// sql records the LOCATION clauses of a Spark SQL statement.
func (r *reader) sql(v value, line int) {
	for _, a := range alts(v) {
		if a.kind != vStr {
			continue
		}
		mode := ModeRead
		if sqlWrites.MatchString(a.s) {
			mode = ModeWrite
		}
		ms := sqlLocation.FindAllStringSubmatch(a.s, -1)
		if len(ms) > 0 {
			r.use(a)
		}
		for _, m := range ms {
			p := m[1] + m[2]
			r.paths(value{s: p}, mode, line, "LOCATION in spark.sql", true)
		}
		if a.unk != "" && strings.Contains(strings.ToUpper(a.s), "LOCATION") && len(ms) == 0 {
			r.use(a)
			r.refs = append(r.refs, Ref{Mode: mode, Unknown: a.unk, Line: line, Call: "LOCATION in spark.sql"})
		}
	}
}
