package iam

import (
	"slices"
	"testing"
)

// TestPolicyCandidatesByService checks the per-service statement index: a
// request visits, in document order, the statements naming its service and
// those that may match any service, and only those.
func TestPolicyCandidatesByService(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["glue:*","s3:ListBucket"],"Resource":"*"},
		{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"},
		{"Effect":"Deny","NotAction":"s3:*","Resource":"*"},
		{"Effect":"Allow","Action":["S3:Get*","*:Describe*"],"Resource":"*"},
		{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`), KindIdentity, "index")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, service string
		want          []candidate
	}{
		// Statement 0's s3 group is its second; 3 has a wildcard service
		// and 2 is NotAction: both are matched in full (group -1).
		{"named service", "s3", []candidate{{0, 1}, {2, -1}, {3, -1}, {4, 0}}},
		{"service named once", "logs", []candidate{{1, 0}, {2, -1}, {3, -1}}},
		{"service named by nothing", "kms", []candidate{{2, -1}, {3, -1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.candidates(tc.service); !slices.Equal(got, tc.want) {
				t.Errorf("candidates(%q) = %v, want %v", tc.service, got, tc.want)
			}
		})
	}
}
