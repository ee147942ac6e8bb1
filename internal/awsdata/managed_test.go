package awsdata

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// stringList decodes an IAM element that may be a string or an array.
type stringList []string

func (l *stringList) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*l = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

type testStatement struct {
	Effect    string
	Action    stringList
	NotAction stringList
	Resource  stringList
}

// statements decodes a managed policy document; Statement may be an object or
// an array.
func statements(t *testing.T, doc []byte) []testStatement {
	t.Helper()
	var raw struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	var list []testStatement
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		var one testStatement
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			t.Fatalf("Statement is neither an object nor an array: %v", err)
		}
		list = []testStatement{one}
	}
	return list
}

// grants reports whether some Allow statement lists the action entry exactly.
func grants(sts []testStatement, entry string) bool {
	return slices.ContainsFunc(sts, func(s testStatement) bool { return s.Effect == "Allow" && slices.Contains(s.Action, entry) })
}

func hasActionWithPrefix(sts []testStatement, prefix string) bool {
	return slices.ContainsFunc(sts, func(s testStatement) bool {
		return slices.ContainsFunc(s.Action, func(a string) bool { return strings.HasPrefix(strings.ToLower(a), prefix) })
	})
}

func hasResource(sts []testStatement, resource string) bool {
	return slices.ContainsFunc(sts, func(s testStatement) bool { return slices.Contains(s.Resource, resource) })
}

func TestManagedPoliciesGlueaccessReliesOn(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		arn   string
		name  string
		path  string
		check func(t *testing.T, sts []testStatement)
	}{
		"AWSGlueServiceRole: aws-glue-* objects, no KMS": {
			arn: "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole", name: "AWSGlueServiceRole", path: "/service-role/",
			check: func(t *testing.T, sts []testStatement) {
				if !hasResource(sts, "arn:aws:s3:::aws-glue-*/*") || !grants(sts, "s3:GetObject") {
					t.Error("lacks s3:GetObject on arn:aws:s3:::aws-glue-*/*")
				}
				if hasActionWithPrefix(sts, "kms:") {
					t.Error("has a kms action; the role must bring its own KMS permissions")
				}
			},
		},
		"AmazonS3FullAccess: s3:*": {
			arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess", name: "AmazonS3FullAccess", path: "/",
			check: func(t *testing.T, sts []testStatement) {
				if !grants(sts, "s3:*") {
					t.Error("does not allow s3:*")
				}
			},
		},
		"AmazonS3ReadOnlyAccess: s3:Get* and s3:List*": {
			arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", name: "AmazonS3ReadOnlyAccess", path: "/",
			check: func(t *testing.T, sts []testStatement) {
				if !grants(sts, "s3:Get*") || !grants(sts, "s3:List*") {
					t.Error("does not allow s3:Get* and s3:List*")
				}
				if grants(sts, "s3:*") || grants(sts, "s3:Put*") {
					t.Error("allows writes")
				}
			},
		},
		"AWSGlueConsoleFullAccess: only ListAliases/DescribeKey for KMS": {
			arn: "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess", name: "AWSGlueConsoleFullAccess", path: "/",
			check: func(t *testing.T, sts []testStatement) {
				if !grants(sts, "s3:GetObject") || !grants(sts, "s3:PutObject") {
					t.Error("lacks s3:GetObject/s3:PutObject")
				}
				if grants(sts, "kms:Decrypt") || grants(sts, "kms:GenerateDataKey") {
					t.Error("allows kms data-key actions")
				}
			},
		},
		"AWSGlueServiceNotebookRole: aws-glue* without hyphen": {
			arn: "arn:aws:iam::aws:policy/service-role/AWSGlueServiceNotebookRole", name: "AWSGlueServiceNotebookRole", path: "/service-role/",
			check: func(t *testing.T, sts []testStatement) {
				if !hasResource(sts, "arn:aws:s3:::aws-glue*") {
					t.Error("lacks the arn:aws:s3:::aws-glue* resource")
				}
			},
		},
		"AdministratorAccess: * on *": {
			arn: "arn:aws:iam::aws:policy/AdministratorAccess", name: "AdministratorAccess", path: "/",
			check: func(t *testing.T, sts []testStatement) {
				if !grants(sts, "*") || !hasResource(sts, "*") {
					t.Error(`does not allow "*" on "*"`)
				}
			},
		},
		"PowerUserAccess: NotAction iam:*": {
			arn: "arn:aws:iam::aws:policy/PowerUserAccess", name: "PowerUserAccess", path: "/",
			check: func(t *testing.T, sts []testStatement) {
				if !slices.ContainsFunc(sts, func(s testStatement) bool {
					return s.Effect == "Allow" && slices.Contains(s.NotAction, "iam:*") && slices.Contains(s.Resource, "*")
				}) {
					t.Error("has no Allow with NotAction iam:* on *")
				}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mp, ok := ManagedPolicy(tc.arn)
			if !ok {
				t.Fatalf("ManagedPolicy(%q) not found", tc.arn)
			}
			if mp.ARN != tc.arn || mp.Name != tc.name || mp.Path != tc.path || !strings.HasPrefix(mp.VersionID, "v") || mp.UpdateDate == "" {
				t.Errorf("metadata %+v, want name %s, path %s, a version id and an update date", mp, tc.name, tc.path)
			}
			tc.check(t, statements(t, mp.Document))
			// The policies a Glue role is typically given name only real actions.
			p, err := iam.Parse(mp.Document, iam.KindIdentity, mp.ARN)
			if err != nil {
				t.Fatalf("iam.Parse: %v", err)
			}
			if problems := LintActions(p); len(problems) != 0 {
				t.Errorf("LintActions found %v", problems)
			}
		})
	}
}

func TestEveryEmbeddedManagedPolicyParses(t *testing.T) {
	t.Parallel()
	arns := ManagedPolicyARNs()
	if len(arns) == 0 || len(arns) != CatalogInfo().ManagedPolicies {
		t.Fatalf("%d managed policies, metadata says %d", len(arns), CatalogInfo().ManagedPolicies)
	}
	if !slices.IsSorted(arns) || len(slices.Compact(slices.Clone(arns))) != len(arns) {
		t.Error("ManagedPolicyARNs is not sorted and unique")
	}
	s3Actions, kmsActions := ExpandPattern("s3:*"), ExpandPattern("kms:*")
	var grantS3, grantKMS int
	for _, arn := range arns {
		mp, ok := ManagedPolicy(arn)
		if !ok {
			t.Errorf("listed ARN %s not found", arn)
			continue
		}
		if !json.Valid(mp.Document) {
			t.Errorf("%s: document is not JSON", arn)
			continue
		}
		if _, err := iam.Parse(mp.Document, iam.KindIdentity, arn); err != nil {
			t.Errorf("%s: %v", arn, err)
		}
		sts := statements(t, mp.Document)
		if allowsAnyOf(sts, "s3", s3Actions) {
			grantS3++
		}
		if allowsAnyOf(sts, "kms", kmsActions) {
			grantKMS++
		}
	}
	t.Logf("%d managed policies embedded; %d allow some s3 action, %d some kms action (via Action or NotAction)", len(arns), grantS3, grantKMS)
}

// allowsAnyOf reports whether an Allow statement covers one of the actions
// of service, through Action patterns or through a NotAction that leaves one
// out.
func allowsAnyOf(sts []testStatement, service string, actions []string) bool {
	// Only patterns whose service part can match the service matter; dropping
	// the rest first keeps the scan over every policy fast.
	relevant := func(patterns []string) []string {
		var out []string
		for _, p := range patterns {
			prefix, _, hasColon := strings.Cut(strings.ToLower(p), ":")
			if !hasColon || iam.MatchWildcard(prefix, service) {
				out = append(out, strings.ToLower(p))
			}
		}
		return out
	}
	matchesAny := func(patterns []string, action string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool { return iam.MatchWildcard(p, strings.ToLower(action)) })
	}
	for _, s := range sts {
		if s.Effect != "Allow" {
			continue
		}
		action, notAction := relevant(s.Action), relevant(s.NotAction)
		if len(s.NotAction) > 0 && len(notAction) == 0 {
			return true
		}
		for _, a := range actions {
			if (len(action) > 0 && matchesAny(action, a)) || (len(notAction) > 0 && !matchesAny(notAction, a)) {
				return true
			}
		}
	}
	return false
}

func TestManagedPolicyLookup(t *testing.T) {
	t.Parallel()
	const glue = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
	tests := map[string]struct {
		arn          string
		found        bool
		wantInDoc    string
		wantNotInDoc string
	}{
		"aws partition":                 {arn: glue, found: true, wantInDoc: `"arn:aws:s3:::aws-glue-*/*"`},
		"china partition rewrites ARNs": {arn: "arn:aws-cn:iam::aws:policy/service-role/AWSGlueServiceRole", found: true, wantInDoc: `"arn:aws-cn:s3:::aws-glue-*/*"`, wantNotInDoc: `"arn:aws:`},
		"GovCloud partition":            {arn: "arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess", found: true, wantInDoc: `"s3:Get*"`},
		"path missing":                  {arn: "arn:aws:iam::aws:policy/AWSGlueServiceRole"},
		"name in other case":            {arn: "arn:aws:iam::aws:policy/service-role/awsglueservicerole"},
		"customer managed policy":       {arn: "arn:aws:iam::123456789012:policy/service-role/AWSGlueServiceRole"},
		"unknown partition":             {arn: "arn:aws-xx:iam::aws:policy/service-role/AWSGlueServiceRole"},
		"not an ARN":                    {arn: "AWSGlueServiceRole"},
		"empty":                         {arn: ""},
		"policy that does not exist":    {arn: "arn:aws:iam::aws:policy/NoSuchPolicy"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mp, ok := ManagedPolicy(tc.arn)
			if ok != tc.found {
				t.Fatalf("ManagedPolicy(%q) found = %v, want %v", tc.arn, ok, tc.found)
			}
			if !ok {
				return
			}
			if mp.ARN != tc.arn {
				t.Errorf("ARN %q, want the ARN looked up (%q)", mp.ARN, tc.arn)
			}
			if !bytes.Contains(mp.Document, []byte(tc.wantInDoc)) {
				t.Errorf("document lacks %s", tc.wantInDoc)
			}
			if tc.wantNotInDoc != "" && bytes.Contains(mp.Document, []byte(tc.wantNotInDoc)) {
				t.Errorf("document still contains %s", tc.wantNotInDoc)
			}
		})
	}
}

func TestManagedPolicyResultsAreCopies(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:iam::aws:policy/AdministratorAccess"
	first, _ := ManagedPolicy(arn)
	original := bytes.Clone(first.Document)
	clear(first.Document)
	second, _ := ManagedPolicy(arn)
	if !bytes.Equal(second.Document, original) {
		t.Error("changing a returned document changed the embedded one")
	}
	arns := ManagedPolicyARNs()
	arns[0] = "mutated"
	if ManagedPolicyARNs()[0] == "mutated" {
		t.Error("changing the returned ARN list changed the package's list")
	}
}
