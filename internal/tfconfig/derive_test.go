package tfconfig

import (
	"regexp"
	"testing"
)

func TestDerivedValues(t *testing.T) {
	cfg := load(t, "derived")
	plan := planFor(t, cfg, nil,
		create("aws_iam_policy.s3", map[string]any{"name": "s3-read", "path": "/etl/"}, "arn", "id"),
		create("aws_kms_key.eu", map[string]any{"region": "eu-central-1"}, "arn", "key_id", "id"),
		create("aws_kms_alias.eu", map[string]any{"name": "alias/etl"}, "arn", "target_key_id", "target_key_arn"),
		create("aws_vpc.main", map[string]any{}, "id", "main_route_table_id", "default_route_table_id"),
		create("aws_vpc_endpoint.s3", map[string]any{}, "id", "vpc_id", "route_table_ids"),
		create("aws_s3_bucket_policy.vpce_only", map[string]any{"bucket": "data"}, "policy", "id"),
		create("aws_glue_connection.net", map[string]any{"name": "net"}, "arn", "id", "catalog_id"),
		create("aws_glue_job.j", map[string]any{"name": "j"}, "arn", "id", "role_arn"),
		create("aws_organizations_organization.org", map[string]any{}, "roots", "id"),
		create("aws_organizations_organizational_unit.ou", map[string]any{"name": "etl"}, "id", "parent_id"),
		create("aws_organizations_policy.deny", map[string]any{"name": "deny"}, "id"),
		create("aws_organizations_policy_attachment.ou", map[string]any{}, "policy_id", "target_id"),
	)
	ev := bind(t, cfg, plan, Options{})
	keyARN := mustString(t, attribute(t, ev, "aws_kms_key.eu", "arn"))
	vpce := mustString(t, attribute(t, ev, "aws_vpc_endpoint.s3", "id"))
	tests := []struct {
		name, address, attr string
		want                string // a regular expression matched against the whole value
	}{
		{"policy ARN with path", "aws_iam_policy.s3", "arn", `arn:aws:iam::123456789012:policy/etl/s3-read`},
		{"policy id is its ARN", "aws_iam_policy.s3", "id", `arn:aws:iam::123456789012:policy/etl/s3-read`},
		{"key ARN in the resource's own region", "aws_kms_key.eu", "arn", `arn:aws:kms:eu-central-1:123456789012:key/symbolic-[0-9a-f]{16}`},
		{"alias ARN", "aws_kms_alias.eu", "arn", `arn:aws:kms:eu-central-1:123456789012:alias/etl`},
		{"alias target is the key's ARN", "aws_kms_alias.eu", "target_key_arn", regexp.QuoteMeta(keyARN)},
		{"endpoint id is symbolic", "aws_vpc_endpoint.s3", "id", `vpce-symbolic-[0-9a-f]{16}`},
		{"VPC id is symbolic", "aws_vpc_endpoint.s3", "vpc_id", `vpc-symbolic-[0-9a-f]{16}`},
		{"endpoint id inside a policy", "aws_s3_bucket_policy.vpce_only", "policy", regexp.QuoteMeta(`{"Condition":{"StringEquals":{"aws:SourceVpce":"` + vpce + `"}}}`)},
		{"bucket policy id is the bucket", "aws_s3_bucket_policy.vpce_only", "id", `data`},
		{"connection id", "aws_glue_connection.net", "id", `123456789012:net`},
		{"connection ARN in the provider's region", "aws_glue_connection.net", "arn", `arn:aws:glue:us-west-2:123456789012:connection/net`},
		{"job ARN", "aws_glue_job.j", "arn", `arn:aws:glue:us-west-2:123456789012:job/j`},
		{"partition data source", "aws_glue_job.j", "role_arn", `arn:aws:iam::123456789012:role/glue`},
		{"region data source", "data.aws_region.r", "name", `us-west-2`},
		{"organization root", "aws_organizations_organizational_unit.ou", "parent_id", `r-symbolic-[0-9a-f]{16}`},
		{"attachment target", "aws_organizations_policy_attachment.ou", "target_id", `ou-symbolic-[0-9a-f]{16}`},
		{"attachment policy", "aws_organizations_policy_attachment.ou", "policy_id", `p-symbolic-[0-9a-f]{16}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := attribute(t, ev, tc.address, tc.attr)
			got := mustString(t, v)
			if !regexp.MustCompile(`^` + tc.want + `$`).MatchString(got) {
				t.Errorf("%s.%s = %q, want %s", tc.address, tc.attr, got, tc.want)
			}
			if len(v.Derived) == 0 {
				t.Errorf("%s.%s carries no derivation note", tc.address, tc.attr)
			}
		})
	}
}

func TestSymbolicIDsMatchWhereReferenced(t *testing.T) {
	cfg := load(t, "derived")
	plan := planFor(t, cfg, nil,
		create("aws_vpc.main", map[string]any{}, "id", "main_route_table_id", "default_route_table_id"),
		create("aws_vpc_endpoint.s3", map[string]any{}, "id", "vpc_id", "route_table_ids"))
	ev := bind(t, cfg, plan, Options{})
	main := mustString(t, attribute(t, ev, "aws_vpc.main", "main_route_table_id"))
	tests := []struct {
		name, address string
		path          []string
		want          string
	}{
		{"a new VPC's default route table is its main one", "aws_vpc.main", []string{"default_route_table_id"}, main},
		{"the endpoint's route table is the VPC's main one", "aws_vpc_endpoint.s3", []string{"route_table_ids", "0"}, main},
		{"the endpoint's VPC", "aws_vpc_endpoint.s3", []string{"vpc_id"}, mustString(t, attribute(t, ev, "aws_vpc.main", "id"))},
	}
	for _, tc := range tests {
		if got := mustString(t, attribute(t, ev, tc.address, tc.path...)); got != tc.want {
			t.Errorf("%s: %s %v = %q, want %q", tc.name, tc.address, tc.path, got, tc.want)
		}
	}
	if vpc := mustString(t, attribute(t, ev, "aws_vpc.main", "id")); vpc == main || !IsSymbolic(vpc) {
		t.Errorf("VPC id %q must be symbolic and differ from its route table id %q", vpc, main)
	}
}
