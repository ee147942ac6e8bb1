package script

import (
	"errors"
	"strings"
	"testing"
)

// one is a compact form of a Ref for table tests: "mode url" or
// "mode url ?" when the URL's end is unknown, "mode table db.t", each with
// "@line".
func one(r Ref) string {
	s := string(r.Mode) + " "
	if r.Catalog {
		s += "table " + r.Database + "." + r.Table
	} else {
		s += r.URL
	}
	if r.Unknown != "" {
		s += " ?"
	}
	return s + " @" + itoa(r.Line)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func read(t *testing.T, lang Lang, src string, args map[string]string) []string {
	t.Helper()
	refs, err := Read([]byte(src), lang, Options{Args: args})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var out []string
	for _, r := range refs {
		out = append(out, one(r))
	}
	return out
}

func TestPythonReads(t *testing.T) {
	args := map[string]string{"--input_path": "s3://in-bkt/raw/", "--out": "s3://out-bkt/cur/"}
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"spark reader literal", `df = spark.read.parquet("s3://raw/orders/")`, []string{"read s3://raw/orders/ @1"}},
		{"reader with options then load", "df = (spark.read.format('csv')\n   .option('header', 'true')\n   .load('s3a://raw/x.csv'))", []string{"read s3a://raw/x.csv @3"}},
		{"option path", `spark.read.format("json").option("path", "s3://raw/j/").load()`, []string{"read s3://raw/j/ @1"}},
		{"several reader paths", `spark.read.csv("s3://a/1/", "s3://b/2/")`, []string{"read s3://a/1/ @1", "read s3://b/2/ @1"}},
		{"writer", `df.write.mode("overwrite").partitionBy("dt").parquet("s3://cur/o/")`, []string{"write s3://cur/o/ @1"}},
		{"writer save with path kw", `df.write.format("orc").save(path="s3://cur/orc/")`, []string{"write s3://cur/orc/ @1"}},
		{"saveAsTable with path option", `df.write.option("path", "s3://cur/t/").saveAsTable("sales.t")`, []string{"write table sales.t @1", "write s3://cur/t/ @1"}},
		{"insertInto unqualified", `df.write.insertInto("t")`, []string{"write table .t ? @1"}},
		{"read table", `spark.read.table("sales.orders")`, []string{"read table sales.orders @1"}},
		{"rdd", "sc.textFile('s3://a/x,s3://b/y')\nrdd.saveAsTextFile('s3://c/z/')", []string{"read s3://a/x @1", "read s3://b/y @1", "write s3://c/z/ @2"}},
		{"glue from_options", `glueContext.create_dynamic_frame.from_options(connection_type="s3", connection_options={"paths": ["s3://a/", "s3://b/"], "recurse": True}, format="json")`,
			[]string{"read s3://a/ @1", "read s3://b/ @1"}},
		{"glue from_options positional", `glueContext.create_dynamic_frame_from_options("s3", {"paths": ["s3://a/"]}, "json")`, []string{"read s3://a/ @1"}},
		{"glue other connection type", `glueContext.create_dynamic_frame.from_options(connection_type="dynamodb", connection_options={"dynamodb.input.tableName": "t"})`, nil},
		{"glue options from a variable", "opts = {'paths': ['s3://v/']}\nglue.create_dynamic_frame.from_options('s3', opts)", []string{"read s3://v/ @2"}},
		{"glue options unknown", "glue.create_dynamic_frame.from_options('s3', make_opts())", []string{"read  ? @1"}},
		{"glue from_catalog", `glueContext.create_dynamic_frame.from_catalog(database="sales", table_name="orders")`, []string{"read table sales.orders @1"}},
		{"glue from_catalog name_space", `glueContext.create_dynamic_frame.from_catalog(name_space="sales", table_name="orders")`, []string{"read table sales.orders @1"}},
		{"glue write from_options", `glueContext.write_dynamic_frame.from_options(frame=f, connection_type="s3", connection_options={"path": "s3://o/p/"}, format="parquet")`, []string{"write s3://o/p/ @1"}},
		{"glue write positional", `glueContext.write_dynamic_frame_from_options(f, "s3", {"path": "s3://o/p/"})`, []string{"write s3://o/p/ @1"}},
		{"glue write from_catalog", `glueContext.write_dynamic_frame.from_catalog(frame=f, database="d", table_name="t")`, []string{"write table d.t @1"}},
		{"glue write from_catalog positional", `glueContext.write_dynamic_frame.from_catalog(f, "d", "t")`, []string{"write table d.t @1"}},
		{"getSink", `sink = glueContext.getSink(connection_type="s3", path="s3://o/sink/", enableUpdateCatalog=True)`, []string{"write s3://o/sink/ @1"}},
		{"getSource", `glueContext.getSource("s3", paths=["s3://i/src/"])`, []string{"read s3://i/src/ @1"}},
		{"setCatalogInfo", `sink.setCatalogInfo(catalogDatabase="d", catalogTableName="t")`, []string{"write table d.t @1"}},
		{"purge", `glueContext.purge_s3_path("s3://tmp/old/", {"retentionPeriod": 1})`, []string{"delete s3://tmp/old/ @1"}},
		{"purge table", `glueContext.purge_table("d", "t", {})`, []string{"delete table d.t @1"}},
		{"transition stays unknown", `glueContext.transition_s3_path("s3://arch/", "GLACIER", {"accountId": "1", "roleArn": "r"})`, []string{"write s3://arch/ ? @1"}},
		{"redshift tmp dir", `glue.create_dynamic_frame.from_catalog(database="d", table_name="t", redshift_tmp_dir="s3://tmp/rs/")`, []string{"write s3://tmp/rs/ @1", "read table d.t @1"}},
		{"sql location", "spark.sql(\"\"\"\nCREATE TABLE x\nLOCATION 's3://lake/x/'\n\"\"\")", []string{"read s3://lake/x/ @1"}},
		{"sql ctas writes", `spark.sql("CREATE TABLE y LOCATION 's3://lake/y/' AS SELECT * FROM x")`, []string{"write s3://lake/y/ @1"}},
		{"resolved args", "args = getResolvedOptions(sys.argv, ['input_path'])\nspark.read.json(args['input_path'])", []string{"read s3://in-bkt/raw/ @2"}},
		{"resolved args get", "args = getResolvedOptions(sys.argv, ['out'])\ndf.write.json(args.get('out'))", []string{"write s3://out-bkt/cur/ @2"}},
		{"missing arg is unknown", "args = getResolvedOptions(sys.argv, ['nope'])\nspark.read.json(args['nope'])", []string{"read  ? @2"}},
		{"f-string", "args = getResolvedOptions(sys.argv, ['out'])\nd = '2024'\ndf.write.parquet(f\"{args['out']}dt={d}/\")", []string{"write s3://out-bkt/cur/dt=2024/ @3"}},
		{"f-string with unknown part", "df.write.parquet(f's3://cur/{run_id}/x/')", []string{"write s3://cur/ ? @1"}},
		{"concatenation", "base = 's3://lake/'\nspark.read.parquet(base + 'raw/' + 'o/')", []string{"read s3://lake/raw/o/ @2"}},
		{"augmented assignment", "p = 's3://lake/'\np += 'raw/'\nspark.read.parquet(p)", []string{"read s3://lake/raw/ @3"}},
		{"percent format", "spark.read.parquet('s3://%s/%s/' % ('b', 'k'))", []string{"read s3://b/k/ @1"}},
		{"str.format", "spark.read.parquet('s3://{}/{k}/'.format('b', k='x'))", []string{"read s3://b/x/ @1"}},
		{"os.path.join", "spark.read.parquet(os.path.join('s3://b/raw', 'o'))", []string{"read s3://b/raw/o @1"}},
		{"join", "spark.read.parquet('/'.join(['s3://b', 'k', '']))", []string{"read s3://b/k/ @1"}},
		{"rstrip", "spark.read.parquet('s3://b/k//'.rstrip('/') + '/x')", []string{"read s3://b/k/x @1"}},
		{"conditional assignment gives both", "if prod:\n    p = 's3://prod/'\nelse:\n    p = 's3://dev/'\nspark.read.parquet(p)", []string{"read s3://prod/ @5", "read s3://dev/ @5"}},
		{"conditional expression", "spark.read.parquet('s3://a/' if x else 's3://b/')", []string{"read s3://a/ @1", "read s3://b/ @1"}},
		{"loop over a list", "for r in ['eu', 'us']:\n    spark.read.parquet('s3://lake/' + r + '/')", []string{"read s3://lake/eu/ @2", "read s3://lake/us/ @2"}},
		{"loop over unknown", "for r in regions():\n    spark.read.parquet('s3://lake/' + r)", []string{"read s3://lake/ ? @2"}},
		{"one-line def", "def f(p): return spark.read.parquet(p)", []string{"read  ? @1"}},
		{"parameter is unknown", "p = 's3://global/'\ndef f(p):\n    return spark.read.parquet(p)", []string{"named s3://global/ @1", "read  ? @3"}},
		{"reassigned by with", "p = 's3://a/'\nwith open('x') as p:\n    pass\nspark.read.parquet(p)", []string{"named s3://a/ @1", "read  ? @4"}},
		{"unpacking", "a, b = 's3://a/', 's3://b/'\nspark.read.parquet(b)", []string{"named s3://a/ @1", "read s3://b/ @2"}},
		{"list changed by append", "paths = []\npaths.append(args_in())\nglue.create_dynamic_frame.from_options('s3', {'paths': paths})", []string{"read  ? @3"}},
		{"dict changed by subscript", "opts = {'paths': ['s3://a/']}\nopts['paths'] = other\nglue.create_dynamic_frame.from_options('s3', opts)", []string{"named s3://a/ @1", "read  ? @3"}},
		{"dict read by get stays", "opts = {'paths': ['s3://a/']}\nx = opts.get('paths')\nglue.create_dynamic_frame.from_options('s3', opts)", []string{"read s3://a/ @3"}},
		{"function locals do not change the module's", "p = 's3://a/'\ndef f():\n    p = 's3://b/'\n    spark.read.json(p)\nspark.read.parquet(p)",
			[]string{"read s3://b/ @4", "read s3://a/ @5"}},
		{"function sees module variables", "p = 's3://a/'\ndef f():\n    spark.read.json(p)", []string{"read s3://a/ @3"}},
		{"parameter shadows after the def", "p = 's3://a/'\ndef f(p):\n    x = 1\n    spark.read.json(p)\nspark.read.parquet(p)", []string{"read  ? @4", "read s3://a/ @5"}},
		{"unpacking unknown", "a, b = f()\nspark.read.parquet(b)", []string{"read  ? @2"}},
		{"global makes unknown", "p = 's3://a/'\nglobal p\nspark.read.parquet(p)", []string{"named s3://a/ @1", "read  ? @3"}},
		{"hdfs path is not S3", "spark.read.parquet('hdfs:///tmp/x')", nil},
		{"path without scheme is unknown", "spark.read.parquet('/tmp/x')", []string{"read  ? @1"}},
		{"named literal", "LEGACY = 's3://old/dump/'\n", []string{"named s3://old/dump/ @1"}},
		{"url inside text", "x = 'copy from s3://old/a/ please'", []string{"named s3://old/a/ @1"}},
		{"comment and docstring are not locations", "\"\"\"reads s3://doc/\"\"\"\n# s3://comment/\nx = 1", nil},
		{"print is inert", "print('wrote s3://o/')\nlogger.info(f'read s3://i/{x}')", nil},
		{"startswith is inert", "if p.startswith('s3://x/'):\n    pass", nil},
		{"bytes are not paths", "spark.read.parquet(b's3://b/')", []string{"read  ? @1"}},
		{"file read is not spark", "data = f.read()\nx = obj['Body'].read().decode()", nil},
		{"implicit concatenation", "spark.read.parquet('s3://b/' 'k/')", []string{"read s3://b/k/ @1"}},
		{"line continuation", "spark.read.parquet(\\\n  's3://b/k/')", []string{"read s3://b/k/ @1"}},
		{"raw string", `spark.read.parquet(r's3://b/k\d/')`, []string{`read s3://b/k\d/ @1`}},
		{"escapes", `spark.read.parquet('s3://b/\x6b\u0031/')`, []string{"read s3://b/k1/ @1"}},
		{"nested quotes in f-string (3.12)", "args = getResolvedOptions(sys.argv, ['out'])\ndf.write.parquet(f\"{args[\"out\"]}x/\")", []string{"write s3://out-bkt/cur/x/ @2"}},
		{"f-string format spec and conversion", "n = 's3://b/k'\nspark.read.parquet(f'{n!s:>{w}}/')", []string{"read s3://b/k/ @2"}},
		{"f-string doubled braces", "spark.read.parquet(f's3://b/{{x}}/')", []string{"read s3://b/{x}/ @1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, Python, tc.src, args)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestScalaReads(t *testing.T) {
	args := map[string]string{"--input_path": "s3://in-bkt/raw/"}
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"spark reader", `val df = spark.read.parquet("s3://raw/o/")`, []string{"read s3://raw/o/ @1"}},
		{"chain over lines", "val df = spark.read\n  .format(\"csv\")\n  .load(\"s3://raw/c/\")\nval x = 1", []string{"read s3://raw/c/ @3"}},
		{"getSourceWithFormat", `glueContext.getSourceWithFormat(connectionType = "s3", options = JsonOptions(Map("paths" -> Set("s3://a/", "s3://b/"))), format = "json").getDynamicFrame()`,
			[]string{"read s3://a/ @1", "read s3://b/ @1"}},
		{"JsonOptions string", "glueContext.getSinkWithFormat(connectionType = \"s3\", options = JsonOptions(\"\"\"{\"path\": \"s3://o/p/\"}\"\"\"), format = \"parquet\")", []string{"write s3://o/p/ @1"}},
		{"getCatalogSource", `glueContext.getCatalogSource(database = "d", tableName = "t").getDynamicFrame()`, []string{"read table d.t @1"}},
		{"getCatalogSink", `glueContext.getCatalogSink(database = "d", tableName = "t").writeDynamicFrame(f)`, []string{"write table d.t @1"}},
		{"args", "val args = GlueArgParser.getResolvedOptions(sysArgs, Seq(\"input_path\").toArray)\nspark.read.json(args(\"input_path\"))", []string{"read s3://in-bkt/raw/ @2"}},
		{"interpolation", "val b = \"bkt\"\ndf.write.parquet(s\"s3://$b/x/${b}/\")", []string{"write s3://bkt/x/bkt/ @2"}},
		{"interpolation unknown", "df.write.parquet(s\"s3://bkt/${runId}/\")", []string{"write s3://bkt/ ? @1"}},
		{"raw interpolator keeps escapes", `spark.read.parquet(raw"s3://b/k\d/")`, []string{`read s3://b/k\d/ @1`}},
		{"dollar escape", `spark.read.parquet(s"s3://b/$$x/")`, []string{"read s3://b/$x/ @1"}},
		{"nested comments", "/* a /* s3://c/ */ s3://d/ */\nval x = 2", nil},
		{"line comment", "// s3://c/\nval x = 2", nil},
		{"char and symbol literals", "val c = '\"'\nval s = 'sym\nspark.read.parquet(\"s3://b/\")", []string{"read s3://b/ @3"}},
		{"var in if block gives both", "var p = \"s3://a/\"\nif (x) {\n  p = \"s3://b/\"\n}\nspark.read.parquet(p)", []string{"read s3://a/ @5", "read s3://b/ @5"}},
		{"def parameter unknown", "def load(p: String) = spark.read.parquet(p)", []string{"read  ? @1"}},
		{"def block parameter shadows", "val p = \"s3://a/\"\ndef load(p: String) = {\n  spark.read.parquet(p)\n}\nspark.read.json(p)", []string{"read  ? @3", "read s3://a/ @5"}},
		{"method locals stay local", "object J {\n  val p = \"s3://a/\"\n  def f(): Unit = {\n    val p = \"s3://b/\"\n  }\n  def g(): Unit = {\n    spark.read.json(p)\n  }\n}", []string{"named s3://b/ @4", "read s3://a/ @7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, Scala, tc.src, args)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestUnknownArgs: with the job's arguments unknown, every argument the
// script reads is unknown, never a guess.
func TestUnknownArgs(t *testing.T) {
	src := "args = getResolvedOptions(sys.argv, ['p'])\nspark.read.json(args['p'])"
	refs, err := Read([]byte(src), Python, Options{Args: map[string]string{"--p": "s3://x/"}, ArgsUnknown: "the job's default_arguments are not known at plan time"})
	if err != nil || len(refs) != 1 || refs[0].Unknown == "" || refs[0].URL != "" || !strings.Contains(refs[0].Unknown, "--p") {
		t.Fatalf("got %+v, %v", refs, err)
	}
	refs, _ = Read([]byte(src), Python, Options{Args: map[string]string{}})
	if len(refs) != 1 || refs[0].URL != "" || !strings.Contains(refs[0].Unknown, "--p read at line 2, which is not among the job's arguments") {
		t.Fatalf("missing argument: got %+v", refs)
	}
	refs, _ = Read([]byte(src), Python, Options{Args: map[string]string{"--p": "s3://x/"}, Unknown: map[string]string{"--p": "known only after apply"}})
	if len(refs) != 1 || refs[0].Unknown == "" || !strings.Contains(refs[0].Unknown, "after apply") {
		t.Fatalf("partial argument: got %+v", refs)
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		src  string
		line int
	}{
		{Python, "x = 1\ny = 'abc", 2},
		{Python, "x = '''abc\n\n", 1},
		{Python, "x = f'{a'", 1},
		{Python, "x = f'a}'", 1},
		{Scala, "val x = \"abc\nval y = 1", 1},
		{Scala, "/* never closed", 1},
		{Scala, "val x = s\"${a\"", 1},
		{Scala, "val x = s\"$ \"", 1},
	} {
		_, err := Read([]byte(tc.src), tc.lang, Options{})
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != tc.line {
			t.Errorf("%s %q: got %v, want a syntax error at line %d", tc.lang, tc.src, err, tc.line)
		}
	}
}

// TestMessagesCarryNoScriptText: what is unknown is named by identifiers
// and lines, never by the script's string contents (which may hold
// secrets).
func TestMessagesCarryNoScriptText(t *testing.T) {
	src := "pw = 'hunter2-secret'\nspark.read.parquet(make(pw) + 'hunter2-secret')\nx = 'hunter2-secret' % y\nspark.read.parquet(x)"
	refs, err := Read([]byte(src), Python, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		if strings.Contains(r.Unknown+r.URL+r.Call+r.Table+r.Database, "hunter2") {
			t.Errorf("a message quotes script text: %+v", r)
		}
	}
	if len(refs) != 2 {
		t.Errorf("want two unknown reads, got %+v", refs)
	}
}

// TestScalaStrings: the lexer decodes Scala string forms exactly.
func TestScalaStrings(t *testing.T) {
	for src, want := range map[string]string{
		`"a\"b"`:                 `a"b`,
		`"""a\nb"""`:             `a\nb`,
		`"""a""""`:               `a"`,
		`"""say "hi" """`:        `say "hi" `,
		`"\u0041\t"`:             "A\t",
		`raw"a\tb"`:              `a\tb`,
		`s"a$$b"`:                `a$b`,
		"\"\"\"two\nlines\"\"\"": "two\nlines",
	} {
		toks, err := lexScala(src, 1, 0)
		if err != nil || toks[0].kind != tString || toks[0].text != want {
			t.Errorf("%s: got %+v, %v; want %q", src, toks, err, want)
		}
	}
}

// A variable that doubles on every line stops growing at maxParts: the read
// finishes (the code before the cap took 2^60 steps) and the path it builds
// is unknown, never dropped.
func TestDoublingValuesAreBounded(t *testing.T) {
	for _, step := range []string{"x = [x, x]", "x = {'a': x, 'b': x}", "x = x + x", "x = '{}{}'.format(x, x)", "x = '%s%s' % (x, x)"} {
		src := "x = 's3://raw-bkt/in/'\n" + strings.Repeat(step+"\n", 60) + "spark.read.parquet(x)\n"
		refs, err := Read([]byte(src), Python, Options{})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		var read *Ref
		for i := range refs {
			if refs[i].Mode == ModeRead {
				read = &refs[i]
			}
		}
		if read == nil || read.Unknown == "" || read.Line != 62 {
			t.Errorf("%s: got %+v, want an unknown read at line 62", step, refs)
		}
	}
}

// A location passed to a call the reader does not know is named there,
// even when a known call also uses it: otherwise the job would be checked
// for the read alone and a denied write would pass.
func TestUnknownCallsNameTheirLocations(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"unknown writer after a read", "p = 's3://denied/x/'\nspark.read.parquet(p)\nwr.s3.to_parquet(df, p)",
			[]string{"read s3://denied/x/ @2", "named s3://denied/x/ @3"}},
		{"unknown method of a DataFrameWriter", "p = 's3://denied/x/'\nspark.read.parquet(p)\ndf.write.mode('append').mystery(path=p)",
			[]string{"read s3://denied/x/ @2", "named s3://denied/x/ @3"}},
		{"built path into a team helper", "base = 's3://out-bkt/' + args['run']\nspark.read.parquet(base)\nsave_table(df, base + '/t')",
			[]string{"read s3://out-bkt/ ? @2", "named s3://out-bkt/ ? @3"}},
		{"boto3 on a split URL", "p = 's3://denied/marker'\nspark.read.text(p)\nb, k = p.replace('s3://', '').split('/', 1)\nboto3.client('s3').put_object(Bucket=b, Key=k)",
			[]string{"read s3://denied/marker @2", "named s3://denied/marker @3"}},
		{"known calls and messages name nothing", "p = 's3://in/x/'\nprint(p)\nif p.startswith('s3://'):\n  df = spark.read.option('path', p).load()\nlogger.info(f'read {p}')",
			[]string{"read s3://in/x/ @4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, Python, tc.src, nil)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
