package access

import (
	"slices"
	"strings"
	"testing"
)

// scriptPath is a path found on a line of the job's script.
func scriptPath(url string, mode AccessMode, unknown string) mod {
	return func(f *Facts) {
		f.Access = append(f.Access, AccessPath{URL: url, Mode: mode, Unknown: unknown, Source: SourceScript,
			From: Provenance{File: "jobs/etl.py", Line: 12, Note: "spark.read.parquet"}})
	}
}

// TestScriptPaths: a path of the script is checked like a declared one, with
// its own source, and a delete needs s3:ListBucket and s3:DeleteObject only.
func TestScriptPaths(t *testing.T) {
	raw := bucket("raw-zone", acctA)
	runCases(t, GA001, []caseT{
		{name: "script read denied", facts: with(raw, scriptPath("s3://raw-zone/orders/", ModeRead, "")),
			want: want{verdict: Deny, reason: ReasonNoAllow, layer: "identity", target: TargetIdentity, needs: []string{"s3:GetObject", "s3:ListBucket"}}},
		{name: "script read allowed", facts: with(raw, scriptPath("s3://raw-zone/orders/", ModeRead, ""), addRolePolicy("p2",
			allow(acts("s3:GetObject"), "arn:aws:s3:::raw-zone/orders/*"), allow(acts("s3:ListBucket"), "arn:aws:s3:::raw-zone"))), want: want{}},
		{name: "script delete needs delete", facts: with(raw, scriptPath("s3://raw-zone/old/", ModeDelete, ""), addRolePolicy("p2",
			allow(acts("s3:ListBucket"), "arn:aws:s3:::raw-zone"))),
			want: want{verdict: Deny, reason: ReasonNoAllow, layer: "identity", target: TargetIdentity, needs: []string{"s3:DeleteObject"}}},
		{name: "script delete allowed without put", facts: with(raw, scriptPath("s3://raw-zone/old/", ModeDelete, ""), addRolePolicy("p2",
			allow(acts("s3:ListBucket"), "arn:aws:s3:::raw-zone"), allow(acts("s3:DeleteObject"), "arn:aws:s3:::raw-zone/old/*"))), want: want{}},
		{name: "unknown end stays unknown", facts: with(raw, scriptPath("s3://raw-zone/", ModeRead, "job argument --day read at line 12")),
			want: want{verdict: UnknownVerd, reason: ReasonLocationUnknown}},
		{name: "unknown mode stays unknown", facts: with(raw, scriptPath("s3://raw-zone/x/", "", "")),
			want: want{verdict: UnknownVerd, reason: ReasonLocationUnknown}},
	})
}

// TestEveryNeedHasASource: whatever the job's facts, every need of every
// finding says where it came from, and script needs say script.
func TestEveryNeedHasASource(t *testing.T) {
	f := with(bucket("raw-zone", acctA), scriptPath("s3://raw-zone/a/", ModeRead, ""), scriptPath("s3://raw-zone/", ModeWrite, "x"),
		access("s3://raw-zone/decl/", ModeWrite), setArg("--extra-py-files", "s3://libs-bkt/x.zip"))
	rep := Check(f, Options{})
	var sources []SourceKind
	for _, fd := range rep.Findings {
		for _, n := range fd.Needs {
			if n.Source == "" {
				t.Errorf("need without a source: %+v", n)
			}
			if n.URL == "s3://raw-zone/a/" && n.Source != SourceScript {
				t.Errorf("script need with source %q", n.Source)
			}
			if n.URL == "s3://raw-zone/decl/" && n.Source != SourceDeclared {
				t.Errorf("declared need with source %q", n.Source)
			}
			sources = append(sources, n.Source)
		}
	}
	for _, s := range []SourceKind{SourceScript, SourceDeclared, SourceDefinition} {
		if !slices.Contains(sources, s) {
			t.Errorf("no need from %s among %v", s, sources)
		}
	}
}

// TestArgumentReadByTheScriptNeedsNoDeclaration: the note asking to declare
// an argument's S3 location is left out when the script's paths show the
// argument was read, and kept otherwise.
func TestArgumentReadByTheScriptNeedsNoDeclaration(t *testing.T) {
	note := func(f *Facts) bool {
		for _, n := range Check(f, Options{}).Notes {
			if strings.Contains(n, "argument --input_path names S3 location") {
				return true
			}
		}
		return false
	}
	if !note(with(setArg("--input_path", "s3://etl-tmp/in/"))) {
		t.Error("an argument no script path uses lost its note")
	}
	if note(with(setArg("--input_path", "s3://etl-tmp/in/"), scriptPath("s3://etl-tmp/in/day=1/", ModeRead, ""))) {
		t.Error("an argument the script reads kept its note")
	}
}

// TestScriptFileOrDirectory: a script read of a file name needs that object,
// of anything else every object under the prefix; writes are directories.
func TestScriptFileOrDirectory(t *testing.T) {
	resources := func(f *Facts) []string {
		var out []string
		for _, fd := range Check(f, Options{}).Findings {
			for _, n := range fd.Needs {
				if n.Action == "s3:GetObject" || n.Action == "s3:PutObject" {
					out = append(out, n.Action+" "+n.Resource)
				}
			}
		}
		return out
	}
	raw := bucket("raw-zone", acctA)
	for _, tc := range []struct {
		url  string
		mode AccessMode
		want string
	}{
		{"s3://raw-zone/in/orders.csv", ModeRead, "s3:GetObject arn:aws:s3:::raw-zone/in/orders.csv"},
		{"s3://raw-zone/in/orders", ModeRead, "s3:GetObject arn:aws:s3:::raw-zone/in/orders/*"},
		{"s3://raw-zone/in/", ModeRead, "s3:GetObject arn:aws:s3:::raw-zone/in/*"},
		{"s3://raw-zone/out/result.csv", ModeWrite, "s3:PutObject arn:aws:s3:::raw-zone/out/result.csv/*"},
	} {
		got := resources(with(raw, scriptPath(tc.url, tc.mode, "")))
		if !slices.Contains(got, tc.want) {
			t.Errorf("%s %s: needs %v, want %s", tc.mode, tc.url, got, tc.want)
		}
	}
}
