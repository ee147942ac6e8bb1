package tfconfig

import "testing"

// BenchmarkLoadBindEvaluate times what a validation pays for the configuration: loading
// (with metering rewrites), binding (the function table with its budget wrappers) and
// evaluating the policy of the greenfield fixture.
func BenchmarkLoadBindEvaluate(b *testing.B) {
	for b.Loop() {
		cfg, diags := Load("testdata/greenfield")
		if diags.HasErrors() {
			b.Fatal(diags.Error())
		}
		ev, err := cfg.Bind(planFor(b, cfg, map[string]any{"env": "prod"}), Options{AccountID: "111122223333", Region: "eu-west-1"})
		if err != nil {
			b.Fatal(err)
		}
		for _, addr := range ev.Instances("data.aws_iam_policy_document") {
			if _, err := ev.PolicyDocumentJSON(addr); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFunctionCorpus evaluates calls of common policy-building functions, each
// through its budget wrapper.
func BenchmarkFunctionCorpus(b *testing.B) {
	ev := functionsEvaluator(b)
	exprs := []string{
		`jsonencode({Statement = [for b in ["a", "b", "c"] : {Effect = "Allow", Resource = ["arn:aws:s3:::${b}", "arn:aws:s3:::${b}/*"]}]})`,
		`lookup({a = "x"}, "b", null)`,
		`coalesce(null, "", format("%s-%s", "etl", lower("PROD")))`,
		`cidrsubnet("10.0.0.0/16", 8, 2)`,
	}
	for b.Loop() {
		for _, e := range exprs {
			if _, diags := evalExpr(b, ev, e); diags.HasErrors() {
				b.Fatal(diags.Error())
			}
		}
	}
}
