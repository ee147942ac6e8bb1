package tfconfig

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// The differential test: a corpus generated from the signature of every function
// terraform itself lists (terraform metadata functions), with nulls, unknowns, sensitive
// values, sets, maps and values of the wrong type in every argument position, plus edge
// cases written by hand, is evaluated by this package and by terraform console -plan,
// and the two renderings must be the same, value by value. The functions of the AWS
// provider cannot be run offline; functions_aws_test.go tests them against the
// provider's documentation instead.

// consoleOnlyIn lists the functions terraform console does not offer (plantimestamp
// exists only while planning); functions_test.go covers them.
var consoleOnlyIn = map[string]bool{"plantimestamp": true}

// consoleError is what an expression that fails evaluates to in the corpus.
const consoleError = "(error)"

func TestFunctionsMatchTerraformConsole(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH: the differential test against terraform console needs it")
	}
	dir := t.TempDir()
	rsaCase := consoleFixture(t, dir)
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, ".terraformrc"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")

	cmd := exec.Command(tf, "metadata", "functions", "-json")
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform metadata functions: %v", err)
	}
	var meta struct {
		Signatures map[string]consoleSignature `json:"function_signatures"`
	}
	if err := json.Unmarshal(out, &meta); err != nil {
		t.Fatal(err)
	}

	cfg, diags := Load(dir)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ev := bind(t, cfg, planFor(t, cfg, nil), Options{})

	// Every function terraform has must be in the table, and in the corpus.
	var names []string
	for name := range meta.Signatures {
		if _, ok := ev.funcs[name]; !ok {
			t.Errorf("terraform has function %s; the evaluator does not", name)
		}
		if !strings.HasPrefix(name, "core::") && !consoleOnlyIn[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	// And the evaluator has no function terraform lacks, but the AWS provider's
	// (functions_aws_test.go) and its own metering function.
	for name := range ev.funcs {
		if _, ok := meta.Signatures[name]; !ok && !strings.HasPrefix(name, "provider::aws::") && name != budgetFunc {
			t.Errorf("the evaluator has function %s, which terraform does not", name)
		}
	}
	corpus := append(generateCorpus(names, meta.Signatures), handwrittenCorpus...)
	corpus = append(corpus, rsaCase...)
	covered := map[string]bool{}
	for _, e := range corpus {
		// The corpus may refer only to the fixture's locals and to path.
		x, diags := hclsyntax.ParseExpression([]byte(e), "corpus", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("corpus entry %s: %s", e, diags.Error())
		}
		for _, v := range x.Variables() {
			if r := v.RootName(); r != "local" && r != "path" {
				t.Fatalf("corpus entry %s refers to %s", e, r)
			}
		}
		for _, name := range names {
			if strings.Contains(e, name+"(") {
				covered[name] = true
			}
		}
	}
	for _, name := range names {
		if !covered[name] {
			t.Errorf("the corpus never calls %s", name)
		}
	}

	mismatches := 0
	for _, batch := range batches(corpus, 48<<10) {
		src := consoleInput(batch)
		cmd := exec.Command(tf, "console", "-plan", "-no-color")
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdin = strings.NewReader(src + "\n")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("terraform console: %v\n%s", err, stderr.String())
		}
		theirs := splitConsole(stdout.String())
		ours := evalConsole(t, ev, src, len(batch))
		if len(theirs) != len(batch) {
			t.Fatalf("terraform console printed %d values for %d expressions", len(theirs), len(batch))
		}
		for i, e := range batch {
			if ours[i] != theirs[i] {
				mismatches++
				if mismatches <= 200 {
					t.Errorf("%s\n  evaluator: %s\n  terraform: %s", e, ours[i], theirs[i])
				}
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d expressions differ from terraform console", mismatches, len(corpus))
	}
	t.Logf("%d expressions over %d functions agree with terraform console", len(corpus)-mismatches, len(names))
}

type consoleSignature struct {
	Params   []consoleParam `json:"parameters"`
	Variadic *consoleParam  `json:"variadic_parameter"`
}

type consoleParam struct {
	Name string          `json:"name"`
	Type json.RawMessage `json:"type"`
}

// consoleFixture writes the files the corpus reads and the configuration whose locals it
// uses, and returns the rsadecrypt cases (a fresh key each run).
func consoleFixture(t *testing.T, dir string) []string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := rsa.EncryptPKCS1v15( //nolint:staticcheck // the input of Terraform's rsadecrypt is PKCS #1 v1.5
		rand.Reader, &key.PublicKey, []byte("glue secret"))
	if err != nil {
		t.Fatal(err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	files := map[string]string{
		".terraformrc": "",
		"main.tf": `locals {
  tpl      = "Hello, $${name}!"
  tpl_for  = "%%{ for x in items }$${x};%%{ endfor }"
  tpl_bad  = "$${"
  tpl_num  = 5
  key      = <<-EOT
` + pemKey + `EOT
}
`,
		"hello.txt":        "hello, world\n",
		"a/b/c.txt":        "nested ☃",
		"a/b/d.json":       `{"k": [1, 2]}`,
		"a/e.txt":          "",
		"tpl.txt":          "name=${name}%{ for i in items } ${i}%{ endfor }",
		"single.tpl":       "${items}",
		"data/jobs.yaml":   "jobs:\n  - name: a\n    workers: 2\n  - name: b\n",
		"bin.dat":          "\xff\xfe\x00",
		"data/cfg.csv":     "name,size\na,1\nb,2\n",
		"data/sub/.hidden": "x",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := strconv.Quote(base64.StdEncoding.EncodeToString(ct))
	return []string{
		`rsadecrypt(` + c + `, local.key)`,
		`rsadecrypt("bm90IGNpcGhlcnRleHQ=", local.key)`,
		`rsadecrypt(` + c + `, "not a key")`,
		`rsadecrypt("%%%", local.key)`,
	}
}

// Argument pools: by function and parameter, by parameter name, and by type.
var (
	strPool = []string{`"abc"`, `""`, `"Hello, World"`, `"a/b/c.txt"`, `"héllo ☃"`, `"  pad \n"`, `"a,b,,c"`,
		`"arn:aws:iam::111122223333:role/path/to/r"`, `"10.0.0.0/16"`, `5`, `true`, `null`, `timestamp()`, `sensitive("s3cr3t")`, `"pre-${timestamp()}"`}
	numPool  = []string{`3`, `0`, `-2.5`, `"7"`, `1e3`, `2`, `null`, `tonumber(timestamp())`, `sensitive(2)`, `"x"`}
	boolPool = []string{`true`, `false`, `"true"`, `null`, `tobool(timestamp())`, `sensitive(true)`, `"yes"`}
	dynPool  = []string{`"abc"`, `3`, `true`, `null`, `["a", "b"]`, `{a = "x", b = "y"}`, `tolist(["a", "b"])`, `toset(["b", "a"])`,
		`tomap({k = 1})`, `[1, "a"]`, `timestamp()`, `sensitive("s")`, `[]`, `{}`, `[["a"], ["b", "c"]]`, `[1, 2, 3]`, `[true, false]`,
		`[timestamp(), "x"]`, `{a = timestamp()}`, `[null, "a"]`, `tolist([])`, `toset([])`, `tomap({})`}
	paramPools = map[string][]string{
		"path":              {`"hello.txt"`, `"a/b/c.txt"`, `"${path.module}/a/b/d.json"`, `"bin.dat"`, `"a/e.txt"`, `null`, `timestamp()`, `sensitive("hello.txt")`, `"./a/../hello.txt"`},
		"abspath.path":      {`"a/b"`, `"."`, `"a/../b"`, `"/x/y/../z"`, `null`, `timestamp()`},
		"basename.path":     {`"a/b/c.txt"`, `"/"`, `""`, `"a/"`, `"."`, `null`},
		"dirname.path":      {`"a/b/c.txt"`, `"/"`, `""`, `"a/"`, `"c.txt"`, `null`},
		"pathexpand.path":   {`"a/b"`, `"/abs/x"`, `""`, `null`, `timestamp()`},
		"fileexists.path":   {`"hello.txt"`, `"nope.txt"`, `"a/b/c.txt"`, `"a"`, `null`, `timestamp()`},
		"fileset.path":      {`"a"`, `"."`, `"nope"`, `"${path.module}/data"`, `null`},
		"fileset.pattern":   {`"*.txt"`, `"**/*.txt"`, `"b/**"`, `"**/*.txt"`, `"a/*"`, `"["`, `"{a,data}/*"`, `"*/*.json"`, `"a/b/?.txt"`, `timestamp()`},
		"templatefile.path": {`"tpl.txt"`, `"single.tpl"`, `"hello.txt"`, `null`},
		"templatefile.vars": {`{name = "x", items = ["a", "b"]}`, `{name = "x", items = []}`, `{name = "x"}`, `{}`, `null`,
			`{name = timestamp(), items = ["a"]}`, `{name = sensitive("s"), items = ["a"]}`, `tomap({name = "x", items = "y"})`, `{"not valid" = 1, name = "x", items = []}`},
		"templatestring.template": {`local.tpl`, `local.tpl_for`, `local.tpl_bad`, `local.tpl_num`, `"literal $${name}"`},
		"templatestring.vars":     {`{name = "x", items = ["a", "b"]}`, `{items = []}`, `{name = timestamp(), items = []}`, `null`},
		"prefix":                  {`"10.0.0.0/16"`, `"10.1.2.0/24"`, `"192.168.0.0/30"`, `"fd00::/56"`, `"2001:db8::/32"`, `"10.0.0.5/16"`, `"0.0.0.0/0"`, `"10.0.0.0/33"`, `"x"`, `null`, `timestamp()`},
		"hostnum":                 {`5`, `0`, `-1`, `255`, `256`, `65536`, `3.5`, `null`, `tonumber(timestamp())`},
		"newbits":                 {`8`, `4`, `0`, `1`, `16`, `17`, `-1`, `2.5`, `null`},
		"netnum":                  {`2`, `0`, `255`, `256`, `-1`, `null`},
		"formatdate.format":       {`"YYYY-MM-DD hh:mm:ss"`, `"DD MMM YYYY, EEEE"`, `"h:mmaa ZZZZ"`, `"'quoted' YY"`, `"EEE, DD MMM YYYY hh:mm:ss ZZZ"`, `""`, `null`},
		"time":                    {`"2024-02-29T12:30:00Z"`, `"2024-02-29T12:30:00+05:30"`, `"2018-01-02T23:12:01.123Z"`, `"bad"`, `null`, `timestamp()`},
		"timestamp":               {`"2024-02-29T12:30:00Z"`, `"2024-02-29T23:30:00-05:00"`, `"bad"`, `null`, `timestamp()`},
		"timestamp_a":             {`"2024-02-29T12:30:00Z"`, `"2024-02-29T12:30:00+01:00"`, `"bad"`, `null`},
		"timestamp_b":             {`"2024-02-29T11:30:00Z"`, `"2024-02-29T12:30:00Z"`, `"2024-03-01T00:00:00Z"`, `null`},
		"duration":                {`"1h"`, `"-30m"`, `"1h30m10s"`, `"10ms"`, `"1d"`, `""`, `null`},
		"pattern":                 {`"[a-z]+"`, `"(\\w)(\\d)?"`, `"^$"`, `"(?P<first>[a-z])(?P<rest>.*)"`, `"["`, `"b+"`, `null`},
		"namespace":               {`"dns"`, `"url"`, `"oid"`, `"x500"`, `"6ba7b810-9dad-11d1-80b4-00c04fd430c8"`, `"bad"`, `null`},
		"encoding":                {`"UTF-16LE"`, `"UTF-8"`, `"ISO-8859-1"`, `"windows-1252"`, `"SHIFT_JIS"`, `"nope"`, `null`},
		"textdecodebase64.source": {`"aABlAGwAbABvAA=="`, `"aGVsbG8="`, `"bad!"`, `"/w=="`, `null`},
		"src":                     {`"a: 1\nb: [x, y]\n"`, `"- 1\n- two\n- 3.5\n- true\n- null\n"`, `""`, `"{a: !!str 1}"`, `": bad: :"`, `"a: |\n  text\n"`, `null`, `timestamp()`},
		"jsondecode.str":          {`"{\"a\":[1,\"x\",null]}"`, `"[1,2]"`, `"\"s\""`, `"bad"`, `"1.5e3"`, `"{}"`, `"true"`, `null`, `timestamp()`},
		"csvdecode.str":           {`"a,b\n1,2\n3,4\n"`, `"a\n"`, `"a,b\n1\n"`, `""`, `"a,a\n1,2\n"`, `null`},
		"base64decode.str":        {`"aGVsbG8="`, `"bad!"`, `"/w=="`, `""`, `null`, `timestamp()`},
		"parseint.number":         {`"ff"`, `"-101"`, `"zz"`, `"FF"`, `"12"`, `15`, `null`, `""`},
		"base":                    {`16`, `2`, `10`, `36`, `1`, `62`, `null`},
		"format":                  {`"%s-%d"`, `"%v"`, `"%#v"`, `"%.2f"`, `"%5s|%-5s|"`, `"%q"`, `"%%"`, `"%t"`, `"%x"`, `"%[2]s%[1]s"`, `"%d"`, `null`},
		"args":                    {`"a"`, `3`, `true`, `["a", "b"]`, `null`, `timestamp()`, `{a = 1}`, `1.5`},
		"lookup.inputMap":         {`{a = "x", b = "y"}`, `tomap({a = 1})`, `{}`, `{a = {n = 1}}`, `null`, `{a = timestamp()}`, `"str"`, `["a"]`, `sensitive({a = "x"})`},
		"lookup.key":              {`"a"`, `"z"`, `null`, `timestamp()`, `sensitive("a")`},
		"lookup.default":          {`null`, `"d"`, `1`, `{n = 2}`, `timestamp()`, `["l"]`},
		"spaces":                  {`2`, `0`, `-1`, `null`},
		"indent.str":              {`"a\nb\n"`, `"single"`, `""`, `null`},
		"split.separator":         {`","`, `""`, `"/"`, `null`},
		"join.separator":          {`","`, `""`, `"-"`, `null`},
		"join.lists":              {`["a", "b"]`, `[]`, `["x", null]`, `toset(["b", "a"])`, `[1, true]`, `null`, `[timestamp()]`},
		"offset":                  {`1`, `0`, `-3`, `10`, `null`},
		"length":                  {`3`, `-1`, `0`, `100`, `null`},
		"size":                    {`2`, `1`, `0`, `-1`, `null`},
		"index":                   {`1`, `0`, `5`, `-1`, `null`, `1.5`},
		"start_index":             {`1`, `0`, `3`, `-1`, `null`},
		"end_index":               {`2`, `1`, `3`, `4`, `null`},
		"params":                  {`3`, `0`, `-2`, `1`, `0.5`, `5`, `null`},
		"num":                     {`3.7`, `-3.7`, `0`, `"2"`, `null`, `tonumber(timestamp())`, `1e100`},
		"power":                   {`2`, `0.5`, `-1`, `null`},
		"log.base":                {`10`, `2`, `1`, `null`},
		"numbers":                 {`3`, `-1`, `"2"`, `null`, `tonumber(timestamp())`, `1.5`},
		"cutset":                  {`"ab"`, `" "`, `""`, `null`},
		"substr":                  {`"b"`, `"/b/"`, `"/(a)(b)?/"`, `""`, `null`},
		"replace":                 {`"X"`, `"$1"`, `""`, `null`},
		"uuidv5.name":             {`"example.com"`, `""`, `null`},
		"ciphertext":              {`"aGVsbG8="`, `null`},
		"privatekey":              {`"x"`, `null`},
		"cost":                    {`10`, `4`},
	}
)

func poolFor(fn string, p consoleParam) []string {
	if pool, ok := paramPools[fn+"."+p.Name]; ok {
		return pool
	}
	if pool, ok := paramPools[p.Name]; ok {
		return pool
	}
	ty, err := ctyjson.UnmarshalType(p.Type)
	if err != nil {
		return dynPool
	}
	return typePool(ty)
}

func typePool(ty cty.Type) []string {
	switch {
	case ty == cty.String:
		return strPool
	case ty == cty.Number:
		return numPool
	case ty == cty.Bool:
		return boolPool
	case ty.IsListType() || ty.IsSetType():
		el := typePool(ty.ElementType())
		if ty.ElementType() == cty.DynamicPseudoType {
			el = []string{`"a"`, `"b"`, `1`, `["x"]`, `null`, `timestamp()`}
		}
		return []string{
			"[" + el[0] + ", " + el[1] + "]", "[]", "tolist([" + el[1] + ", " + el[0] + ", " + el[1] + "])",
			"toset([" + el[1] + ", " + el[0] + "])", "[" + el[0] + ", null]", "null", "[" + el[0] + ", " + el[2] + "]",
			"[" + el[len(el)-1] + "]", `split(",", timestamp())`, "sensitive([" + el[0] + "])", "[[" + el[0] + "]]", el[0],
		}
	case ty.IsMapType():
		el := typePool(ty.ElementType())
		return []string{
			"{a = " + el[0] + ", b = " + el[1] + "}", "{}", "tomap({a = " + el[0] + "})", "{a = null}", "null",
			"{a = timestamp()}", "{a = " + el[0] + ", b = 1}", "[" + el[0] + "]",
		}
	}
	return dynPool
}

// generateCorpus calls each function with every pool value in each argument position
// (the others at their first pool value), with zero to three variadic arguments, and with
// random combinations from a fixed seed.
func generateCorpus(names []string, sigs map[string]consoleSignature) []string {
	rnd := mrand.New(mrand.NewPCG(11, 13))
	seen := map[string]bool{}
	var out []string
	add := func(fn string, args []string) {
		e := fn + "(" + strings.Join(args, ", ") + ")"
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	for _, fn := range names {
		sig := sigs[fn]
		pools := make([][]string, len(sig.Params))
		base := make([]string, len(sig.Params))
		for i, p := range sig.Params {
			pools[i] = poolFor(fn, p)
			base[i] = pools[i][0]
		}
		var vpool []string
		if sig.Variadic != nil {
			vpool = poolFor(fn, *sig.Variadic)
		}
		withVar := func(args []string, n int) []string {
			out := append([]string(nil), args...)
			for i := range n {
				out = append(out, vpool[i%len(vpool)])
			}
			return out
		}
		nvar := 0
		if vpool != nil {
			nvar = 1
			add(fn, base)
			add(fn, withVar(base, 2))
			add(fn, withVar(base, 3))
			for _, v := range vpool {
				add(fn, append(append([]string(nil), base...), v))
				add(fn, append(append([]string(nil), base...), vpool[0], v))
			}
		} else {
			add(fn, base)
		}
		for i, pool := range pools {
			for _, v := range pool {
				args := append([]string(nil), base...)
				args[i] = v
				add(fn, withVar(args, nvar))
			}
		}
		for range 12 {
			args := make([]string, len(pools))
			for i, pool := range pools {
				args[i] = pool[rnd.IntN(len(pool))]
			}
			if vpool != nil {
				for range rnd.IntN(3) {
					args = append(args, vpool[rnd.IntN(len(vpool))])
				}
			}
			add(fn, args)
		}
	}
	return out
}

// handwrittenCorpus holds the edge cases that real configurations meet (the null-label
// style lookup with a null default, coalesce of empty strings) and the language itself:
// operators, conversions, for expressions over sets and maps, splats.
var handwrittenCorpus = []string{
	`lookup({label_key_case = "title"}, "label_value_case", null)`,
	`lookup({}, "label_order", null)`,
	`lookup(tomap({a = "x"}), "b", null)`,
	`lookup({a = 1}, "b")`,
	`lookup({a = 1}, "a")`,
	`lookup({a = "x"}, "a", "d", "e")`,
	`coalesce(null, "", "x")`, `coalesce("", "")`, `coalesce(null, 1, "2")`, `coalesce([], ["a"])`, `coalesce(null, null)`,
	`coalesce(timestamp(), "x")`, `coalesce("x", timestamp())`, `coalesce(1, true)`, `coalesce({}, {a = 1})`,
	`coalescelist([], ["a"])`, `coalescelist(null, ["b"])`, `coalescelist([], [])`,
	`strcontains("glue-etl", "etl")`, `strcontains("", "")`, `startswith("arn:aws:s3:::b", "arn:aws:")`, `startswith("arn:${timestamp()}", "arn:")`,
	`startswith("arn:${timestamp()}", "arn:aws")`, `startswith("arn:${timestamp()}", "x")`, `endswith("a.py", "")`,
	`one([])`, `one(toset([]))`, `one(["a"])`, `one(toset(["a", "a"]))`, `one([1, 2])`, `one(null)`, `one([timestamp()])`, `one(split(",", timestamp()))`,
	`sum([1, 2.5])`, `sum([])`, `sum(["1", 2])`, `sum([null])`, `sum(toset([1, 2, 2]))`, `sum([timestamp()])`, `sum({a = 1})`,
	`alltrue([])`, `alltrue([true, "true"])`, `alltrue([true, null])`, `alltrue([tobool(timestamp()), false])`, `alltrue([false, tobool(timestamp())])`,
	`anytrue([])`, `anytrue([false, null])`, `anytrue([tobool(timestamp()), true])`, `anytrue([false, tobool(timestamp())])`,
	`cidrsubnet("10.0.0.0/16", 8, 2)`, `cidrsubnet("10.0.0.0/8", 16, 65535)`, `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`,
	`cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, `cidrsubnets("10.0.0.0/8")`,
	`cidrsubnets("10.0.0.0/30", 1, 1, 1)`, `cidrsubnets("0.0.0.0/0", 1, 1)`, `cidrsubnets("10.0.0.0/16", 8, 4)`,
	`cidrhost("10.12.112.0/20", 16)`, `cidrhost("10.12.112.0/20", 268)`, `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, `cidrhost("10.0.0.0/30", -2)`,
	`cidrnetmask("172.16.0.0/12")`, `cidrnetmask("fd00::/8")`,
	`format("%s/%s", "arn:aws:s3:::b", "*")`, `format("%v", {a = 1})`, `format("%d", 1.5)`, `format("%s", null)`, `format("%s")`,
	`formatlist("arn:aws:s3:::%s/*", ["a", "b"])`, `formatlist("%s-%s", ["a", "b"], "x")`, `formatlist("%s-%s", ["a"], ["x", "y"])`,
	`try(tonumber("x"), "fallback")`, `try({a = 1}.b, null)`, `can(regex("^a", "abc"))`, `can(tonumber(timestamp()))`, `try(timestamp(), "x")`,
	`templatestring(local.tpl, {name = "glue"})`, `templatestring(local.tpl_for, {items = toset(["b", "a"])})`,
	`1 + "2"`, `"a" == "a"`, `[1] == [1]`, `tolist([1]) == [1]`, `{a = 1} == {a = 1}`, `tomap({a = 1}) == {a = 1}`, `null == null`,
	`timestamp() == null`, `true ? timestamp() : "x"`, `tobool(timestamp()) ? "a" : "b"`, `"${timestamp()}" != ""`,
	`{a = 1}["a"]`, `[{a = 1}, {a = 2}][*].a`, `toset(["b", "a"])[*]`, `[for k, v in {b = 2, a = 1} : "${k}=${v}"]`,
	`{for s in toset(["b", "a"]) : s => upper(s)}`, `[for x in [1, 2, 3] : x * 2 if x != 2]`, `{for x in ["a", "b", "a"] : x => x...}`,
	`toset([1, "1"])`, `tomap({a = 1, b = "x"})`, `tolist([1, "a", true])`, `toset([{a = 1}, {a = 1}])`, `tomap({a = [1], b = ["x"]})`,
	`tostring(1.50)`, `tonumber("0x10")`, `tonumber("1e2")`, `tobool("TRUE")`, `tostring([])`, `tolist({a = 1})`, `tomap(["a"])`,
	`tolist(toset(["b", "a", "c"]))`, `toset(null)`, `tolist(null)`, `tostring(null)`, `tostring(sensitive("x"))`,
	`jsonencode({b = "<x&y>", a = [1, true, null], c = toset(["z"])})`, `jsonencode(timestamp())`, `jsonencode(sensitive("x"))`,
	`jsonencode(1e30)`, `jsonencode(0.1)`, `jsonencode("\u2028")`, `yamlencode({a = [1, "two", null], b = {c = true}})`,
	`yamldecode(file("data/jobs.yaml"))`, `csvdecode(file("data/cfg.csv"))`, `jsondecode(file("a/b/d.json")).k`,
	`split(",", "")`, `join(",", [])`, `compact(["a", "", null])`, `distinct([1, "1", 1])`, `flatten([[], [[]], [["a"]]])`,
	`element([], 0)`, `element(["a", "b"], -1)`, `element(["a", "b"], 5)`, `slice([], 0, 0)`, `slice(["a"], 1, 1)`,
	`range(0)`, `range(1, 0)`, `range(0, 1, 0.25)`, `range(5, 1, -2)`, `range(1, 5, -1)`, `range(0, 3, 0)`,
	`setproduct(["a", "b"], [1, 2])`, `setproduct(toset(["a"]), toset([]))`, `setproduct()`, `setproduct(["a"])`,
	`setproduct([{a = 1}], ["x"])`, `setunion(["a"], [1])`, `setintersection(toset(["a", "b"]), ["b", "c"])`, `setsubtract([1, 2], [2])`,
	`merge({a = 1}, {a = "x"})`, `merge({a = 1}, null, {b = 2})`, `merge(tomap({a = 1}), {b = "x"})`, `merge()`, `merge({a = timestamp()})`,
	`keys({b = 1, a = timestamp()})`, `values({b = 1, a = "x"})`, `zipmap(["a", "a"], [1, 2])`, `zipmap([], [])`, `zipmap(["a"], [1, 2])`,
	`matchkeys(["i-1", "i-2", "i-3"], ["us-west", "us-east", "us-east"], ["us-east"])`, `matchkeys([1], [timestamp()], ["a"])`,
	`transpose({a = ["1", "2"], b = ["2", "3"]})`, `transpose({})`, `transpose({a = []})`,
	`index(["a", "b"], "b")`, `index([], "a")`, `index(toset(["a"]), "a")`, `index([1, "1"], "1")`,
	`contains(["a"], timestamp())`, `contains(toset(["a"]), "a")`, `contains([1], "1")`,
	`length(null)`, `length(timestamp())`, `length(split(",", timestamp()))`, `length({a = 1, b = null})`, `length("👍🏽")`,
	`reverse(toset(["a", "b"]))`, `sort([3, 1, 2])`, `sort(["b", null])`,
	`urlencode("a b&c=d/é?")`, `base64gzip("hello")`, `sha512("x")`, `base64sha256("x")`, `md5("")`,
	`uuidv5("dns", "glue.example.com")`, `uuidv5("{6ba7b810-9dad-11d1-80b4-00c04fd430c8}", "x")`, `uuidv5("urn:uuid:6ba7b811-9dad-11d1-80b4-00c04fd430c8", "x")`,
	`title("hello wORLD-glue")`, `substr("héllo", 1, -1)`, `substr("abc", -1, 1)`, `strrev("héllo")`, `chomp("a\r\n\n")`,
	`trim("?!hello?!", "!?")`, `trimspace("\t x \n")`, `indent(2, "a\n\nb")`, `regex("(\\d+)-(\\d+)", "10-20")`, `regexall("a", "bbb")`,
	`regex("(?P<x>a)", "a")`, `regex("b", "aaa")`, `replace("a-b-c", "-", "")`, `replace("hello", "/l+/", "L")`, `replace("ab", "", "-")`,
	`formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")`, `timeadd("2017-11-22T00:00:00Z", "10m")`, `timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00+00:00")`,
	`parseint("100", 10)`, `parseint("-0b1", 2)`, `log(16, 2)`, `pow(2, 0.5)`, `signum(-0)`, `max()`, `min(1)`, `abs(-0.5)`, `ceil(-1.5)`, `floor(-1.5)`,
	`chunklist([], 2)`, `chunklist(["a", "b", "c"], 2)`, `chunklist(["a"], 0)`,
	`sensitive(null)`, `nonsensitive("x")`, `nonsensitive(sensitive(["a"]))[0]`, `issensitive("x")`, `issensitive(sensitive(timestamp()))`,
	`issensitive({a = sensitive(1)})`, `ephemeralasnull("x")`, `ephemeralasnull(sensitive(1))`,
	`fileset(path.module, "**/*.txt")`, `fileset(".", "data/**")`, `fileexists("${path.module}/hello.txt")`,
	`templatefile("tpl.txt", {name = "a", items = toset(["z", "y"])})`, `templatefile("single.tpl", {items = ["a"]})`,
	`abspath(path.module) == path.cwd`, `basename(path.module)`, `dirname("a\\b")`,
	`core::upper("x")`, `core::lookup({a = 1}, "b", null)`,
	`textencodebase64("Hello", "UTF-16LE")`, `textdecodebase64("SABlAGwAbABvAA==", "UTF-16LE")`, `textencodebase64("☃", "ISO-8859-1")`,
	`uuid() == ""`, `bcrypt("x") == ""`, `timestamp()`,
}

// batches splits the corpus into groups whose console input stays under size bytes
// (terraform console reads one line per expression).
func batches(corpus []string, size int) [][]string {
	var out [][]string
	var cur []string
	n := 0
	for _, e := range corpus {
		if n+len(e) > size && len(cur) > 0 {
			out = append(out, cur)
			cur, n = nil, 0
		}
		cur = append(cur, e)
		n += len(e) + 40
	}
	return append(out, cur)
}

// consoleInput makes one line: a tuple of markers and expressions, each expression
// wrapped in try so that one failure does not end the console session.
func consoleInput(batch []string) string {
	parts := make([]string, 0, 2*len(batch))
	for i, e := range batch {
		parts = append(parts, fmt.Sprintf(`"@@%d"`, i), fmt.Sprintf(`try(%s, %q)`, e, consoleError))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// splitConsole cuts terraform console's rendering of the tuple at the markers.
func splitConsole(out string) []string {
	var vals []string
	var cur []string
	started := false
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.HasPrefix(line, `  "@@`) && strings.HasSuffix(line, `",`) {
			if started {
				vals = append(vals, strings.Join(cur, "\n"))
			}
			started, cur = true, nil
			continue
		}
		if started {
			cur = append(cur, line)
		}
	}
	if started && len(cur) > 0 {
		cur = cur[:len(cur)-1] // the closing bracket
		vals = append(vals, strings.Join(cur, "\n"))
	}
	return vals
}

// evalConsole evaluates the same tuple with this package and renders it as terraform
// console does.
func evalConsole(t *testing.T, ev *Evaluator, src string, n int) []string {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "corpus", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse corpus: %s", diags.Error())
	}
	meter(expr)
	v, diags := ev.root.eval(expr, repetition{}, nil)
	if diags.HasErrors() {
		t.Fatalf("evaluate corpus: %s", diags.Error())
	}
	plain, _ := v.Unmark()
	if !plain.IsKnown() || plain.LengthInt() != 2*n {
		t.Fatalf("corpus evaluated to %#v", v)
	}
	out := make([]string, 0, n)
	for i, e := range plain.AsValueSlice() {
		if i%2 == 1 {
			out = append(out, "  "+formatConsole(e, 2)+",")
		}
	}
	return out
}

// formatConsole renders a value the way terraform console prints it.
func formatConsole(v cty.Value, indent int) string {
	if !v.IsKnown() {
		return "(known after apply)"
	}
	if v.HasMark(sensitiveMark{}) {
		return "(sensitive value)"
	}
	v, _ = v.Unmark()
	ty := v.Type()
	if v.IsNull() {
		switch {
		case ty == cty.DynamicPseudoType:
			return "null"
		case ty == cty.String:
			return "tostring(null)"
		case ty == cty.Number:
			return "tonumber(null)"
		case ty == cty.Bool:
			return "tobool(null)"
		case ty.IsListType():
			return fmt.Sprintf("tolist(null) /* of %s */", ty.ElementType().FriendlyName())
		case ty.IsSetType():
			return fmt.Sprintf("toset(null) /* of %s */", ty.ElementType().FriendlyName())
		case ty.IsMapType():
			return fmt.Sprintf("tomap(null) /* of %s */", ty.ElementType().FriendlyName())
		}
		return fmt.Sprintf("null /* %s */", ty.FriendlyName())
	}
	pad := strings.Repeat(" ", indent)
	switch {
	case ty == cty.String:
		s := v.AsString()
		if !strings.Contains(s, "\n") {
			return strconv.Quote(s)
		}
		lines := strings.Split(s, "\n")
		delim := "EOT"
		for {
			clash := false
			for _, l := range lines {
				if strings.TrimSpace(l) == delim {
					clash = true
				}
			}
			if !clash {
				break
			}
			delim += "_"
		}
		var b strings.Builder
		b.WriteString("<<-" + delim + "\n")
		for _, l := range lines {
			b.WriteString(pad + l + "\n")
		}
		b.WriteString(pad + delim)
		return b.String()
	case ty == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		return strconv.FormatBool(v.True())
	case ty.IsTupleType():
		return formatSeq(v, indent)
	case ty.IsListType():
		return "tolist(" + formatSeq(v, indent) + ")"
	case ty.IsSetType():
		return "toset(" + formatSeq(v, indent) + ")"
	case ty.IsObjectType():
		return formatMapping(v, indent)
	case ty.IsMapType():
		return "tomap(" + formatMapping(v, indent) + ")"
	}
	return fmt.Sprintf("%#v", v)
}

func formatSeq(v cty.Value, indent int) string {
	if v.LengthInt() == 0 {
		return "[]"
	}
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	b.WriteString("[\n")
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		b.WriteString(pad + "  " + formatConsole(e, indent+2) + ",\n")
	}
	b.WriteString(pad + "]")
	return b.String()
}

func formatMapping(v cty.Value, indent int) string {
	if v.LengthInt() == 0 {
		return "{}"
	}
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	b.WriteString("{\n")
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		b.WriteString(pad + "  " + strconv.Quote(k.AsString()) + " = " + formatConsole(e, indent+2) + "\n")
	}
	b.WriteString(pad + "}")
	return b.String()
}
