package awsid

import (
	"regexp"
	"strings"
	"testing"
)

func TestIAMARNs(t *testing.T) {
	for in, want := range map[string]bool{
		"arn:aws:iam::111122223333:role/glue-etl":                    true,
		"arn:aws-cn:iam::111122223333:role/team/etl/glue_etl+x=,.@-": true,
		"arn:aws:iam::111122223333:role/service-role/AWSGlueRole":    true,
		"arn:aws:iam::111122223333:role/":                            false,
		"arn:aws:iam::111122223333:role//x":                          false,
		"arn:aws:iam::111122223333:role/a b":                         false,
		"arn:aws:iam::aws:role/x":                                    false,
		"arn:aws:iam:eu-west-1:111122223333:role/x":                  false,
		"arn:aws:sts::111122223333:assumed-role/x/s":                 false,
		"arn:aws:iam::111122223333:policy/x":                         false,
	} {
		if got := IsRoleARN(in); got != want {
			t.Errorf("IsRoleARN(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		"arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole": true,
		"arn:aws:iam::111122223333:policy/glue-data":              true,
		"arn:aws:iam::11112222333:policy/glue-data":               false,
		"arn:aws:iam::111122223333:role/glue-data":                false,
	} {
		if got := IsPolicyARN(in); got != want {
			t.Errorf("IsPolicyARN(%q) = %v, want %v", in, got, want)
		}
	}
	if a, name, ok := ParseRoleARN("arn:aws:iam::111122223333:role/team/etl"); !ok || name != "etl" || a.Account != "111122223333" {
		t.Errorf("ParseRoleARN = %+v, %q, %v", a, name, ok)
	}
}

// FuzzIAMARNs: the checks agree with the patterns the data source used
// before they moved here (role and policy resource patterns, with the
// account and partition checks around them).
func FuzzIAMARNs(f *testing.F) {
	role := regexp.MustCompile(`^role/([\x21-\x7e]+/)?[\w+=,.@-]{1,64}$`)
	policy := regexp.MustCompile(`^policy/([\x21-\x7e]+/)?[\w+=,.@-]{1,128}$`)
	for _, s := range []string{"arn:aws:iam::111122223333:role/a/b/c", "arn:aws:iam::aws:policy/x", "arn:aws:iam::111122223333:role//x", "arn:aws:iam::111122223333:policy/a//b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := ParseARN(s)
		base := ok && IsPartition(a.Partition) && a.Service == "iam" && a.Region == ""
		wantRole := base && IsAccountID(a.Account) && role.MatchString(a.Resource) && len(a.Resource) <= len("role")+512+64
		wantPolicy := base && (a.Account == "aws" || IsAccountID(a.Account)) && policy.MatchString(a.Resource) && len(a.Resource) <= len("policy")+512+128
		if got := IsRoleARN(s); got != wantRole {
			t.Errorf("IsRoleARN(%q) = %v, want %v", s, got, wantRole)
		}
		if got := IsPolicyARN(s); got != wantPolicy {
			t.Errorf("IsPolicyARN(%q) = %v, want %v", s, got, wantPolicy)
		}
	})
}

func TestAssumedRoleARNs(t *testing.T) {
	for _, c := range []struct {
		in            string
		role, session string
		ok            bool
	}{
		{"arn:aws:sts::111122223333:assumed-role/glue-etl/GlueJobRunnerSession", "glue-etl", "GlueJobRunnerSession", true},
		{"arn:aws-cn:sts::111122223333:assumed-role/r/s@x.example", "r", "s@x.example", true},
		{"arn:aws:sts::111122223333:assumed-role/r", "", "", false},
		{"arn:aws:sts::111122223333:assumed-role//s", "", "", false},
		{"arn:aws:sts::111122223333:assumed-role/r/", "", "", false},
		{"arn:aws:sts::111122223333:assumed-role/r/s/t", "", "", false},
		{"arn:aws:iam::111122223333:assumed-role/r/s", "", "", false},
		{"arn:aws:sts::111122223333:federated-user/r", "", "", false},
	} {
		_, role, session, ok := ParseAssumedRoleARN(c.in)
		if ok != c.ok || role != c.role || session != c.session {
			t.Errorf("ParseAssumedRoleARN(%q) = %q, %q, %v; want %q, %q, %v", c.in, role, session, ok, c.role, c.session, c.ok)
		}
	}
}

// FuzzAssumedRoleARN: what AssumedRoleARN writes, ParseAssumedRoleARN reads
// back, for every role and session name without a slash.
func FuzzAssumedRoleARN(f *testing.F) {
	f.Add("aws", "111122223333", "glue-etl", "GlueJobRunnerSession")
	f.Fuzz(func(t *testing.T, partition, account, role, session string) {
		if role == "" || session == "" || strings.ContainsAny(role+session, "/") || strings.ContainsAny(partition+account, ":") {
			return
		}
		a, r, s, ok := ParseAssumedRoleARN(AssumedRoleARN(partition, account, role, session))
		if !ok || r != role || s != session || a.Partition != partition || a.Account != account {
			t.Errorf("round trip of %q %q %q %q: %+v %q %q %v", partition, account, role, session, a, r, s, ok)
		}
		if r := RoleARN(partition, account, role); !strings.HasSuffix(r, ":role/"+role) {
			t.Errorf("RoleARN = %q", r)
		}
	})
}
