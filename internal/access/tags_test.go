package access

import "testing"

// TestTagsNotInThePlanAreUnknown checks that a condition on a tag the plan
// does not show (the role's tags when they are not known, the tags of an
// object the job reads) is unknown, never "absent": negated operators match
// a missing key, so reading an unknown tag as absent could grant.
func TestTagsNotInThePlanAreUnknown(t *testing.T) {
	t.Parallel()
	// The script may be read unless the role is tagged suspended=true.
	notSuspended := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/jobs/*",` +
		`"Condition":{"StringNotEquals":{"aws:PrincipalTag/suspended":"true"}}}`
	tmp := []string{
		allow(acts("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), "arn:aws:s3:::etl-tmp/glue/*"),
		allow(acts("s3:ListBucket"), "arn:aws:s3:::etl-tmp"),
	}
	tags := func(known bool, kv map[string]string) mod {
		return func(f *Facts) { f.Role.Tags = Value[map[string]string]{V: kv, Known: known} }
	}
	restricted := `{"Sid":"NoRestricted","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::etl-scripts/*",` +
		`"Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"restricted"}}}`
	cases := []struct {
		name    string
		facts   *Facts
		verdict JobVerdict
		id      CheckID
		reason  string
	}{
		{"role tags unknown: the negated tag condition may or may not grant",
			with(rolePolicy(append([]string{notSuspended}, tmp...)...), tags(false, nil)), JobUnknown, "GA001", ""},
		{"role known untagged: the key is absent and StringNotEquals grants",
			with(rolePolicy(append([]string{notSuspended}, tmp...)...), tags(true, map[string]string{})), JobAllowed, "", ""},
		{"role known tagged suspended=true: no allow",
			with(rolePolicy(append([]string{notSuspended}, tmp...)...), tags(true, map[string]string{"suspended": "true"})), JobDenied, "GA001", ReasonNoAllow},
		{"a Deny on the read object's tags cannot be ruled out",
			with(bucketPolicy("etl-scripts", restricted), tags(true, map[string]string{})), JobUnknown, "GA002", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tc.facts, Options{})
			if rep.Verdict != tc.verdict {
				t.Fatalf("job %s, want %s: %s", rep.Verdict, tc.verdict, dump(rep.Findings))
			}
			if tc.id == "" {
				return
			}
			f := findingOf(rep, tc.id)
			if f == nil {
				t.Fatalf("no %s finding: %s", tc.id, dump(rep.Findings))
			}
			if tc.reason != "" && f.Reason != tc.reason {
				t.Errorf("%s reason %s, want %s", tc.id, f.Reason, tc.reason)
			}
		})
	}
}
