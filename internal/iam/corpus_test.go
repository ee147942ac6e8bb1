package iam_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/simulate"
)

// corpusDir holds one request file per scenario, authored from AWS's
// documentation of the policy language and of its evaluation logic; see
// docs/simulate.md for the format.
const corpusDir = "testdata/cases"

// minCorpusCases guards against the walk silently finding fewer files than the
// corpus holds (a moved directory, a renamed extension).
const minCorpusCases = 200

// engineDisagreements lists corpus cases whose expectation follows AWS's
// documentation while the engine decides otherwise; each entry says which
// documented rule the case relies on. Such a case is reported as skipped with
// its differences, and fails once the engine agrees so that the entry is
// removed.
var engineDisagreements = map[string]string{}

// TestCorpus decides every request file of the corpus and checks the decision,
// the deciding layer and the decisive statements the file expects.
func TestCorpus(t *testing.T) {
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", corpusDir, err)
	}
	if len(files) < minCorpusCases {
		t.Fatalf("found %d corpus files under %s, want at least %d", len(files), corpusDir, minCorpusCases)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.ToSlash(strings.TrimPrefix(path, corpusDir+string(filepath.Separator))), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := simulate.Load(path)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if c.Why == "" || c.Expect == nil || c.Expect.DecidedBy == nil || c.Expect.Statements == nil {
				t.Fatalf("%s: a corpus case needs why, expect.decision, expect.decided_by and expect.statements", path)
			}
			res := iam.Evaluate(c.Input, c.Request)
			diffs := c.Expect.Check(res)
			rule, disagreed := engineDisagreements[name]
			switch {
			case disagreed && len(diffs) == 0:
				t.Errorf("%s now meets its expectation: remove it from engineDisagreements", path)
			case disagreed:
				t.Skipf("known engine disagreement (%s)\n%s\nwhy: %s\n%s", rule, path, c.Why, strings.Join(diffs, "\n"))
			case len(diffs) > 0:
				t.Errorf("%s\nwhy: %s\n%s\nmessage: %s", path, c.Why, strings.Join(diffs, "\n"), res.Explain(c.Request))
			}
		})
	}
}
