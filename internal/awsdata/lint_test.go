package awsdata

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unsafe"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// lintCatalog is a small catalog so the linting logic is tested independently
// of the generated data.
func lintCatalog(t *testing.T) *catalog {
	t.Helper()
	data, err := datafile.EncodeCatalog(datafile.Catalog{Services: []datafile.Service{
		{Prefix: "s3", Actions: []datafile.Action{{Name: "GetObject"}, {Name: "PutObject"}, {Name: "ListBucket"}}},
		{Prefix: "kms", Actions: []datafile.Action{{Name: "Decrypt"}, {Name: "GenerateDataKey"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := datafile.DecodeCatalog(data)
	if err != nil {
		t.Fatal(err)
	}
	return newCatalog(c)
}

func TestLintPatterns(t *testing.T) {
	t.Parallel()
	cat := lintCatalog(t)
	tests := map[string]struct {
		pattern        string
		not            bool
		wantKind       ProblemKind // empty: no problem
		wantSuggestion string
	}{
		"real action":                        {pattern: "s3:GetObject"},
		"real action, other case":            {pattern: "S3:getobject"},
		"everything":                         {pattern: "*"},
		"whole service":                      {pattern: "kms:*"},
		"pattern that matches":               {pattern: "s3:*Object"},
		"wildcard service that matches":      {pattern: "*:Decrypt"},
		"typo gets a suggestion":             {pattern: "s3:GetObjects", wantKind: ProblemUnknownAction, wantSuggestion: "s3:GetObject"},
		"typo in NotAction":                  {pattern: "kms:Decrpyt", not: true, wantKind: ProblemUnknownAction, wantSuggestion: "kms:Decrypt"},
		"made-up action, nothing close":      {pattern: "s3:Frobnicate", wantKind: ProblemUnknownAction},
		"unknown service, close to a real":   {pattern: "s4:GetObject", wantKind: ProblemUnknownService, wantSuggestion: "s3"},
		"unknown service with a wildcard":    {pattern: "kmss:*", wantKind: ProblemUnknownService, wantSuggestion: "kms"},
		"unknown service, nothing close":     {pattern: "dynamodb:GetItem", wantKind: ProblemUnknownService},
		"pattern that matches nothing":       {pattern: "s3:Gte*", wantKind: ProblemNoMatch},
		"wildcard service that matches none": {pattern: "*:GetItem", wantKind: ProblemNoMatch},
		"no colon":                           {pattern: "s3GetObject", wantKind: ProblemMalformed},
		"empty action part":                  {pattern: "s3:", wantKind: ProblemMalformed},
		"empty service part":                 {pattern: ":GetObject", wantKind: ProblemMalformed},
		"empty entry":                        {pattern: "", wantKind: ProblemMalformed},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := []iam.ActionPattern{{Statement: 3, Sid: "S", Not: tc.not, Pattern: tc.pattern}}
			got := lintPatterns(cat, slices.Values(in))
			if tc.wantKind == "" {
				if len(got) != 0 {
					t.Errorf("%q: unexpected problems %v", tc.pattern, got)
				}
				return
			}
			want := []ActionProblem{{Kind: tc.wantKind, Statement: 3, Sid: "S", Not: tc.not, Pattern: tc.pattern, Suggestion: tc.wantSuggestion}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q:\n got %#v\nwant %#v", tc.pattern, got, want)
			}
		})
	}
}

func TestLintPatternsKeepsDocumentOrder(t *testing.T) {
	t.Parallel()
	in := []iam.ActionPattern{
		{Statement: 0, Pattern: "s3:GetObjects"},
		{Statement: 0, Pattern: "s3:GetObject"},
		{Statement: 1, Sid: "Keys", Pattern: "kms:Nope*"},
	}
	got := lintPatterns(lintCatalog(t), slices.Values(in))
	if len(got) != 2 || got[0].Pattern != "s3:GetObjects" || got[1].Pattern != "kms:Nope*" || got[1].Statement != 1 || got[1].Sid != "Keys" {
		t.Errorf("problems %#v, want the two bad entries in document order with their statement and Sid", got)
	}
}

func TestActionProblemString(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		problem ActionProblem
		want    string
	}{
		"unknown action with Sid and suggestion": {
			problem: ActionProblem{Kind: ProblemUnknownAction, Statement: 1, Sid: "ReadData", Pattern: "s3:GetObjects", Suggestion: "s3:GetObject"},
			want:    `statement 1 ("ReadData"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?`,
		},
		"unknown action in NotAction, no Sid, no suggestion": {
			problem: ActionProblem{Kind: ProblemUnknownAction, Statement: 0, Not: true, Pattern: "s3:Frobnicate"},
			want:    `statement 0: NotAction "s3:Frobnicate" does not exist`,
		},
		"unknown service": {
			problem: ActionProblem{Kind: ProblemUnknownService, Statement: 2, Pattern: "s4:Get*", Suggestion: "s3"},
			want:    `statement 2: action "s4:Get*" uses unknown service prefix "s4"; did you mean "s3"?`,
		},
		"pattern matching nothing": {
			problem: ActionProblem{Kind: ProblemNoMatch, Statement: 0, Sid: "x", Pattern: "s3:Gte*"},
			want:    `statement 0 ("x"): action pattern "s3:Gte*" matches no action`,
		},
		"malformed": {
			problem: ActionProblem{Kind: ProblemMalformed, Statement: 4, Pattern: "s3GetObject"},
			want:    `statement 4: action "s3GetObject" is not of the form "service:action"`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.problem.String(); got != tc.want {
				t.Errorf("String()\n got %s\nwant %s", got, tc.want)
			}
			// The parts: where + ": " + message, and the message as one
			// complete sentence that more text can follow.
			if got := tc.problem.Where() + ": " + tc.problem.Message(); got != tc.want {
				t.Errorf("Where: Message\n got %s\nwant %s", got, tc.want)
			}
			s := tc.problem.Sentence()
			if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") || !unicode.IsUpper(rune(s[0])) ||
				!strings.EqualFold(strings.TrimSuffix(s, "."), tc.problem.Message()) {
				t.Errorf("Sentence() = %q: want Message() capitalised and ended", s)
			}
		})
	}
}

func TestLintActionsOnAParsedPolicy(t *testing.T) {
	t.Parallel()
	doc := []byte(`{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "ReadData", "Effect": "Allow", "Action": ["s3:GetObjects", "s3:ListBucket"], "Resource": "*"},
	    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
	    {"Sid": "Keys", "Effect": "Allow", "Action": "kms:GenerateDataKey*", "Resource": "*"}
	  ]
	}`)
	p, err := iam.Parse(doc, iam.KindIdentity, "aws_iam_role_policy.glue")
	if err != nil {
		t.Fatalf("iam.Parse: %v", err)
	}
	got := LintActions(p)
	want := []ActionProblem{{
		Kind: ProblemUnknownAction, Policy: "aws_iam_role_policy.glue", Statement: 0, Sid: "ReadData",
		Pattern: "s3:GetObjects", Suggestion: "s3:GetObject",
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("LintActions\n got %#v\nwant %#v", got, want)
	}
	if msg := got[0].String(); msg != `statement 0 ("ReadData"): action "s3:GetObjects" does not exist; did you mean "s3:GetObject"?` {
		t.Errorf("message %s", msg)
	}
	if LintActions(nil) != nil {
		t.Error("LintActions(nil) reported problems")
	}
}

// TestLintNamesTheActionOfAnAPIOperation: an entry that names an API
// operation rather than an action is told the action that authorizes it, not
// the nearest spelling.
func TestLintNamesTheActionOfAnAPIOperation(t *testing.T) {
	t.Parallel()
	data, err := datafile.EncodeCatalog(datafile.Catalog{Services: []datafile.Service{{
		Prefix:  "s3",
		Actions: []datafile.Action{{Name: "GetObject"}, {Name: "ListBucket"}, {Name: "ReEncryptFrom"}, {Name: "ReEncryptTo"}},
		Operations: []datafile.Operation{
			{Name: "ListObjectsV2", Actions: []string{"ListBucket"}},
			{Name: "ReEncrypt", Actions: []string{"ReEncryptTo", "ReEncryptFrom"}},
			{Name: "GetObjects", Actions: []string{"ListBucket"}},
			{Name: "GetObjectsAll", Actions: []string{"ListBucket"}},
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := datafile.DecodeCatalog(data)
	if err != nil {
		t.Fatal(err)
	}
	cat := newCatalog(c)
	tests := map[string]struct {
		pattern, want string
		not           bool
	}{
		"operation, any case": {pattern: "s3:listobjectsv2",
			want: `statement 0: action "s3:listobjectsv2" does not exist: "s3:listobjectsv2" is an API operation; its IAM action is "s3:ListBucket"`},
		"operation of two actions": {pattern: "s3:ReEncrypt",
			want: `statement 0: action "s3:ReEncrypt" does not exist: "s3:ReEncrypt" is an API operation; its IAM actions are "s3:ReEncryptFrom", "s3:ReEncryptTo"`},
		"in NotAction": {pattern: "s3:ListObjectsV2", not: true,
			want: `statement 0: NotAction "s3:ListObjectsV2" does not exist: "s3:ListObjectsV2" is an API operation; its IAM action is "s3:ListBucket"`},
		"an operation far from any action": {pattern: "s3:GetObjectsAll",
			want: `statement 0: action "s3:GetObjectsAll" does not exist: "s3:GetObjectsAll" is an API operation; its IAM action is "s3:ListBucket"`},
		"a typo is still a typo": {pattern: "s3:GetObjcet", want: `statement 0: action "s3:GetObjcet" does not exist; did you mean "s3:GetObject"?`},
		"an operation that is also a typo": {pattern: "s3:GetObjects",
			want: `statement 0: action "s3:GetObjects" does not exist: "s3:GetObjects" is an API operation; its IAM action is "s3:ListBucket"; or did you mean "s3:GetObject"?`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := lintPatterns(cat, slices.Values([]iam.ActionPattern{{Pattern: tc.pattern, Not: tc.not}}))
			if len(got) != 1 || got[0].Kind != ProblemUnknownAction || got[0].String() != tc.want {
				t.Fatalf("got %#v\nwant %s", got, tc.want)
			}
			if s := got[0].Sentence(); !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
				t.Errorf("Sentence() = %q does not end", s)
			}
			if got[0].Suggestion == "" {
				t.Errorf("no Suggestion: the lint hints of validate need one")
			}
		})
	}
}

// TestEmbeddedCatalogKnowsAPIOperations checks the generated data: S3 API
// names that differ from their IAM action, as the Service Authorization
// Reference documents them.
func TestEmbeddedCatalogKnowsAPIOperations(t *testing.T) {
	t.Parallel()
	for op, want := range map[string]string{
		"s3:ListObjectsV2":        "s3:ListBucket",
		"s3:ListObjects":          "s3:ListBucket", // the version ListObjectsV2 replaced
		"s3:GetBucketEncryption":  "s3:GetEncryptionConfiguration",
		"s3:ListMultipartUploads": "s3:ListBucketMultipartUploads",
		"s3:ListParts":            "s3:ListMultipartUploadParts",
		"s3:ListBuckets":          "s3:ListAllMyBuckets",
	} {
		if got := OperationActions(op); len(got) != 1 || got[0] != want {
			t.Errorf("OperationActions(%q) = %v, want [%s]", op, got, want)
		}
		if _, isAction := Action(op); isAction {
			t.Errorf("%s is an action too", op)
		}
	}
	// ListBucket has no V2 successor: an action never borrows one's actions.
	if got := OperationActions("s3:ListBucket"); got != nil {
		t.Errorf("OperationActions(s3:ListBucket) = %v: an action is not an operation here", got)
	}
	if got := OperationActions("s3:GetObject"); got != nil {
		t.Errorf("OperationActions(s3:GetObject) = %v: an action is not an operation here", got)
	}
}

// TestLintVerdictMemo holds the memoised lint to the catalog's own verdict:
// entries drawn from the embedded catalog in random case, with typos,
// wildcards and unknown services, each judged twice (the second from the
// memo) and in random order across goroutines, get what judge says of them
// afresh. The memo stays within its bound and keeps copies of the entries,
// not the documents they are part of.
func TestLintVerdictMemo(t *testing.T) {
	t.Parallel()
	ref := currentCatalog()
	var names []string
	for _, svc := range ref.services[:min(len(ref.services), 40)] {
		for _, a := range svc.names[:min(len(svc.names), 15)] {
			names = append(names, svc.prefix+":"+a)
		}
	}
	r := rand.New(rand.NewPCG(5, 9))
	mutate := func(s string) string {
		b := []byte(s)
		switch r.IntN(7) {
		case 0: // as written
		case 1:
			b = []byte(strings.ToUpper(s))
		case 2:
			i := r.IntN(len(b))
			b = slices.Insert(b, i, 'x')
		case 3:
			i := r.IntN(len(b))
			b = append(b[:i:i], '*')
		case 4:
			b[r.IntN(len(b))] = '?'
		case 5:
			b = append([]byte("zz"), b...)
		case 6:
			b = []byte(strings.Replace(s, ":", "*:", 1))
		}
		return string(b)
	}
	var patterns []string
	for range 600 {
		patterns = append(patterns, mutate(names[r.IntN(len(names))]))
	}
	c := newCatalogFrom(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for round := range 2 {
				for i := range patterns {
					p := patterns[(i*(g+1)+round)%len(patterns)]
					if got, want := c.verdict(p), ref.judge(p); !reflect.DeepEqual(got, want) {
						t.Errorf("%q: memoised %+v, judged %+v", p, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	doc := `["s3:NotInTheCatalog"]`
	entry := doc[2 : len(doc)-2]
	c.verdict(entry)
	c.verdicts.Range(func(k, _ any) bool {
		if s := k.(string); s == entry && unsafe.StringData(s) == unsafe.StringData(entry) {
			t.Errorf("the memo keeps the document's own bytes")
		}
		return true
	})
	// Past the bound, verdicts are still right and nothing more is kept.
	for i := range verdictMemoSize + 50 {
		p := "s3:NoSuchAction" + strconv.Itoa(i)
		if v := c.verdict(p); v.ok || v.kind != ProblemUnknownAction {
			t.Fatalf("%q: %+v", p, v)
		}
	}
	kept := 0
	c.verdicts.Range(func(k, _ any) bool {
		kept++
		return true
	})
	if kept > verdictMemoSize {
		t.Errorf("memo holds %d entries, bound %d", kept, verdictMemoSize)
	}
}

// newCatalogFrom decodes the embedded catalog afresh, with an empty memo.
func newCatalogFrom(t *testing.T) *catalog {
	t.Helper()
	c, err := datafile.DecodeCatalog(catalogData)
	if err != nil {
		t.Fatal(err)
	}
	return newCatalog(c)
}
