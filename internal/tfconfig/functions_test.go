package tfconfig

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// evalExpr evaluates an expression in the root module of the functions fixture.
func evalExpr(t testing.TB, ev *Evaluator, src string) (Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags.Error())
	}
	v, diags := ev.root.eval(expr, repetition{}, nil)
	return finish(v, expr.Range()), diags
}

func functionsEvaluator(t testing.TB) *Evaluator {
	t.Helper()
	cfg := load(t, "functions")
	return bind(t, cfg, planFor(t, cfg, nil), Options{})
}

func TestFunctions(t *testing.T) {
	ev := functionsEvaluator(t)
	tests := []struct {
		expr string
		want string // the value as JSON
	}{
		{`jsonencode({b = "<x&y>", a = [1, true, null]})`, `"{\"a\":[1,true,null],\"b\":\"\\u003cx\\u0026y\\u003e\"}"`},
		{`jsondecode("{\"a\":[1,\"x\"]}")`, `{"a":[1,"x"]}`},
		{`format("%s-%03d", "a", 7)`, `"a-007"`},
		{`formatlist("arn:aws:s3:::%s/*", ["a", "b"])`, `["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]`},
		{`join(",", ["a", "b"])`, `"a,b"`},
		{`split("/", "a/b")`, `["a","b"]`},
		{`concat(["a"], ["b", "c"])`, `["a","b","c"]`},
		{`merge({a = 1}, {b = 2, a = 3})`, `{"a":3,"b":2}`},
		{`lookup({a = "x"}, "b", "dflt")`, `"dflt"`},
		{`element(["a", "b"], 3)`, `"b"`},
		{`flatten([["a"], ["b", ["c"]]])`, `["a","b","c"]`},
		{`distinct(["a", "b", "a"])`, `["a","b"]`},
		{`toset(["b", "a", "b"])`, `["a","b"]`},
		{`tolist(toset(["b", "a"]))`, `["a","b"]`},
		{`tomap({a = "x"})`, `{"a":"x"}`},
		{`keys({b = 1, a = 2})`, `["a","b"]`},
		{`values({b = 1, a = 2})`, `[2,1]`},
		{`zipmap(["a", "b"], [1, 2])`, `{"a":1,"b":2}`},
		{`contains(["a"], "a")`, `true`},
		{`length("héllo")`, `5`},
		{`length(["a", "b"])`, `2`},
		{`length({a = 1})`, `1`},
		{`replace("a-b-c", "-", "_")`, `"a_b_c"`},
		{`replace("a1b22", "/[0-9]+/", "#")`, `"a#b#"`},
		{`lower("ABC")`, `"abc"`},
		{`upper("abc")`, `"ABC"`},
		{`trim("?!hello?!", "!?")`, `"hello"`},
		{`trimspace("  x \n")`, `"x"`},
		{`trimprefix("arn:aws", "arn:")`, `"aws"`},
		{`trimsuffix("a.py", ".py")`, `"a"`},
		{`coalesce("", null, "x")`, `"x"`},
		{`coalescelist([], ["a"])`, `["a"]`},
		{`try({a = 1}.b, "fallback")`, `"fallback"`},
		{`can(tonumber("x"))`, `false`},
		{`one(["a"])`, `"a"`},
		{`one([])`, `null`},
		{`compact(["a", ""])`, `["a"]`},
		{`setunion(["a"], ["b", "a"])`, `["a","b"]`},
		{`templatefile("${path.module}/policy.json.tpl", {bucket = local.bucket, prefixes = ["in", "out"]})`,
			`"{\"Resource\": \"arn:aws:s3:::tpl-bucket/inout\"}\n"`},
		{`file("${path.module}/plain.txt")`, `"line one\n"`},
		{`tostring(5)`, `"5"`},
		{`tonumber("5")`, `5`},
		{`tobool("true")`, `true`},
		{`startswith("s3://x", "s3://")`, `true`},
		{`endswith("a.py", ".txt")`, `false`},
		{`substr("hello", 1, 3)`, `"ell"`},
		{`sort(["b", "a"])`, `["a","b"]`},
		{`range(3)`, `[0,1,2]`},
		{`slice(["a", "b", "c"], 1, 3)`, `["b","c"]`},
		{`index(["a", "b"], "b")`, `1`},
		{`regex("^s3://([^/]+)/", "s3://bkt/key")`, `["bkt"]`},
		{`regexall("[0-9]", "a1b2")`, `["1","2"]`},
		{`sha256("x")`, `"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"`},
		{`md5("x")`, `"9dd4e461268c8034f5c8564e155c67a6"`},
		{`base64encode("hi")`, `"aGk="`},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			v, diags := evalExpr(t, ev, tc.expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.expr, diags.Error())
			}
			if !v.Known {
				t.Fatalf("%s is unknown: %s", tc.expr, v.Unknown)
			}
			got, err := ctyjson.SimpleJSONValue{Value: v.Val}.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestWorkspace(t *testing.T) {
	cfg := load(t, "functions")
	for _, tc := range []struct {
		opts Options
		want string
		note bool
	}{
		{Options{}, "etl-default", true},
		{Options{Workspace: "prod"}, "etl-prod", false},
	} {
		ev := bind(t, cfg, planFor(t, cfg, nil), tc.opts)
		v, diags := evalExpr(t, ev, `"etl-${terraform.workspace}"`)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if got := mustString(t, v); got != tc.want || containsNote(v.Derived, "terraform.workspace taken as") != tc.note {
			t.Errorf("workspace %q: %q with notes %q; want %q, assumption noted %v", tc.opts.Workspace, got, v.Derived, tc.want, tc.note)
		}
	}
}

func TestSensitiveFunctions(t *testing.T) {
	ev := functionsEvaluator(t)
	for expr, want := range map[string]bool{
		`sensitive("x")`:                      true,
		`"arn:${sensitive("x")}"`:             true,
		`nonsensitive(sensitive("x"))`:        false,
		`jsonencode({a = sensitive("x")})`:    true,
		`upper(nonsensitive(sensitive("x")))`: false,
	} {
		v, diags := evalExpr(t, ev, expr)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", expr, diags.Error())
		}
		if v.Sensitive != want {
			t.Errorf("%s: sensitive = %v, want %v", expr, v.Sensitive, want)
		}
	}
}

func TestDescend(t *testing.T) {
	ev := functionsEvaluator(t)
	v, diags := evalExpr(t, ev, `{list = ["a", "b"], set = toset(["d", "c"]), map = {k = "v"}, obj = {x = {y = "z"}}}`)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	tests := []struct {
		path []string
		want string // empty: an error is expected
	}{
		{[]string{"list", "1"}, "b"},
		{[]string{"set", "0"}, "c"},
		{[]string{"map", "k"}, "v"},
		{[]string{"obj", "x", "y"}, "z"},
		{[]string{"list", "2"}, ""},
		{[]string{"map", "nope"}, ""},
		{[]string{"obj", "x", "y", "deeper"}, ""},
	}
	for _, tc := range tests {
		got := v.Val
		var err error
		for _, p := range tc.path {
			if got, err = descend(got, p); err != nil {
				break
			}
		}
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("descend %v = %#v, want an error", tc.path, got)
		case tc.want != "" && (err != nil || got.AsString() != tc.want):
			t.Errorf("descend %v = %#v, %v; want %q", tc.path, got, err, tc.want)
		}
	}
}

func TestUnsupportedFunctionsAreUnknownAndNamed(t *testing.T) {
	ev := functionsEvaluator(t)
	tests := []struct {
		expr, function string
	}{
		{`"id-${provider::random::uuid()}"`, "provider::random::uuid"},
		{`provider::time::rfc3339_parse("2024-01-01T00:00:00Z").year`, "provider::time::rfc3339_parse"},
		{`jsonencode({t = provider::time::duration_parse("1h"), b = local.bucket})`, "provider::time::duration_parse"},
		// try and can must not take the missing function for a failure of their argument
		// (hcl's try and can drop the reason of an unknown result).
		{`try(provider::random::uuid(), "fallback")`, ""},
		{`can(provider::random::uuid())`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.function, func(t *testing.T) {
			v, diags := evalExpr(t, ev, tc.expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tc.expr, diags.Error())
			}
			if v.Known {
				t.Fatalf("%s is known (%#v), want unknown", tc.expr, v.Val)
			}
			if want := "function " + tc.function + " is not supported"; tc.function != "" && !strings.Contains(v.Unknown, want) {
				t.Errorf("reason %q, want it to contain %q", v.Unknown, want)
			}
		})
	}
}

func TestPlanTimestampAndLanguageValues(t *testing.T) {
	cfg := load(t, "functions")
	plan := planFor(t, cfg, nil)
	plan.Timestamp = "2026-12-07T10:00:00Z"
	ev := bind(t, cfg, plan, Options{})
	for expr, want := range map[string]string{
		`plantimestamp()`:                          "2026-12-07T10:00:00Z",
		`formatdate("YYYY", plantimestamp())`:      "2026",
		`terraform.applying ? "apply" : "plan"`:    "plan",
		`core::plantimestamp()`:                    "2026-12-07T10:00:00Z",
		`"${terraform.workspace}-${local.bucket}"`: "default-tpl-bucket",
	} {
		v, diags := evalExpr(t, ev, expr)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", expr, diags.Error())
		}
		if got := mustString(t, v); got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
	ev = bind(t, cfg, planFor(t, cfg, nil), Options{})
	for expr, reason := range map[string]string{
		`plantimestamp()`: "the plan does not record its timestamp",
		`ephemeral.aws_secretsmanager_secret_version.s.secret_string`: "ephemeral resources have no value in the plan",
	} {
		v, diags := evalExpr(t, ev, expr)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", expr, diags.Error())
		}
		if v.Known || !strings.Contains(v.Unknown, reason) {
			t.Errorf("%s: known %v, reason %q; want unknown because %s", expr, v.Known, v.Unknown, reason)
		}
	}
}

func TestYAMLAliasesAreNotExpanded(t *testing.T) {
	ev := functionsEvaluator(t)
	laughs := `"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"`
	v, diags := evalExpr(t, ev, `yamldecode(`+laughs+`)`)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if v.Known || !strings.Contains(v.Unknown, "uses YAML aliases") {
		t.Errorf("a document with aliases: known %v, reason %q; want unknown", v.Known, v.Unknown)
	}
	// A "*" or "&" inside a scalar is no alias.
	v, diags = evalExpr(t, ev, `yamldecode("paths: [\"s3://b/*\", \"x&y\"]\nglob: s3://c/*\n")`)
	if diags.HasErrors() || !v.Known {
		t.Errorf("a document without aliases: known %v, %v", v.Known, diags)
	}
}
