package planjson

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSplitRefKeepsBracketedKeys(t *testing.T) {
	cases := map[string][]string{
		"aws_iam_role.glue.arn":               {"aws_iam_role", "glue", "arn"},
		`aws_iam_role.r["a.b"].arn`:           {"aws_iam_role", `r["a.b"]`, "arn"},
		"data.aws_iam_policy_document.p.json": {"data", "aws_iam_policy_document", "p", "json"},
		"module.net[0].subnet_id":             {"module", "net[0]", "subnet_id"},
		"var.name":                            {"var", "name"},
	}
	for ref, want := range cases {
		if got := SplitRef(ref); !slices.Equal(got, want) {
			t.Errorf("SplitRef(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestStripKeysAndInstanceKey(t *testing.T) {
	cases := []struct{ in, stripped string }{
		{"", ""},
		{"module.a", "module.a"},
		{`module.a["x.y]"].module.b[0]`, "module.a.module.b"},
	}
	for _, c := range cases {
		if got := stripKeys(c.in); got != c.stripped {
			t.Errorf("stripKeys(%q) = %q, want %q", c.in, got, c.stripped)
		}
	}
	if got := instanceKey(`module.m.aws_glue_job.j["orders"]`); got != `["orders"]` {
		t.Errorf("instanceKey = %q", got)
	}
	if got := instanceKey("aws_glue_job.j"); got != "" {
		t.Errorf("instanceKey of an unkeyed address = %q", got)
	}
}

func TestCompareJoinedMatchesStringsCompare(t *testing.T) {
	cases := [][2][]string{
		{{"", "aws_s3_bucket", ".", "b"}, {"aws_s3_bucket.b"}},
		{{"data.", "aws_region", ".", "r"}, {"aws_s3_bucket.b"}},
		{{"", "aws_s3_bucket", ".", "b"}, {"aws_s3_bucket.bb"}},
		{{"", "aws_s3_bucket", ".", "bb"}, {"aws_s3_bucket.b"}},
		{{"", "aws_s3", ".", "x"}, {"", "aws_s3_bucket", ".", "x"}},
		{{"", "", "", ""}, {""}},
		{{"", "", "", ""}, {"a"}},
		{{"a", "", "b"}, {"ab"}},
		{{"data.", "a", ".", "b"}, {"data.a.b"}},
		{{"data.", "a", ".", "b"}, {"data.a.c"}},
	}
	for _, c := range cases {
		want := strings.Compare(strings.Join(c[0], ""), strings.Join(c[1], ""))
		if got := compareJoined(c[0], c[1]); got != want {
			t.Errorf("compareJoined(%q, %q) = %d, want %d", c[0], c[1], got, want)
		}
		if got := compareJoined(c[1], c[0]); got != -want {
			t.Errorf("compareJoined(%q, %q) = %d, want %d", c[1], c[0], got, -want)
		}
	}
}

// TestInstancesOfGroupsByConfiguration holds the sorted index to the map of
// instance lists it replaces, over every plan in the repository.
func TestInstancesOfGroupsByConfiguration(t *testing.T) {
	paths, err := filepath.Glob("../../examples/validate/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../validator/testdata/plans/*/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		ix := Index(doc)
		want := map[configKey][]*Resource{}
		for _, r := range ix.Resources { // in address order
			k := configKey{stripKeys(r.Module), localName(r.Mode, r.Type, r.Name)}
			want[k] = append(want[k], r)
		}
		for k, rs := range want {
			if got := ix.instancesOf(k.module, k.local); !slices.Equal(got, rs) {
				t.Errorf("%s: instances of %s in %q are %v, want %v", p, k.local, k.module, addresses(got), addresses(rs))
			}
			for _, absent := range []configKey{{k.module, k.local + "x"}, {k.module + "x", k.local}, {k.module, k.local[:len(k.local)-1]}} {
				if _, ok := want[absent]; !ok && ix.instancesOf(absent.module, absent.local) != nil {
					t.Errorf("%s: instances of %s in %q found, want none", p, absent.local, absent.module)
				}
			}
		}
		if len(want) == 0 {
			t.Errorf("%s: no resources", p)
		}
	}
}

func addresses(rs []*Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Address
	}
	return out
}
