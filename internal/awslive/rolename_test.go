package awslive

import "testing"

// TestRoleName: a role ref is a bare name or a role ARN with a name; an ARN
// that ends at "role/" names no role and is not looked up under "".
func TestRoleName(t *testing.T) {
	for _, c := range []struct {
		ref, name, account string
		bad                bool
	}{
		{"glue-etl", "glue-etl", "", false},
		{"arn:aws:iam::111122223333:role/etl/glue-etl", "glue-etl", "111122223333", false},
		{"arn:aws-cn:iam::111122223333:role/r", "r", "111122223333", false},
		{"arn:aws:iam::111122223333:role/", "", "", true},
		{"arn:aws:iam::111122223333:role/etl/", "", "", true},
		{"arn:aws:iam::111122223333:user/alice", "", "", true},
		{"arn:aws:sts::111122223333:assumed-role/r/s", "", "", true},
		{"etl/glue-etl", "", "", true},
		{"", "", "", true},
	} {
		name, account, bad := roleName(c.ref)
		if (bad != "") != c.bad || !c.bad && (name != c.name || account != c.account) {
			t.Errorf("roleName(%q) = %q, %q, %q; want %q, %q, bad %v", c.ref, name, account, bad, c.name, c.account, c.bad)
		}
	}
}
