package tfconfig

import (
	"crypto/md5"
	"fmt"
	"testing"
)

// A stack built on a label module in the style many teams use (a context object passed
// down, each setting read with lookup(var.context, "key", null) and coalesce) must
// evaluate: lookup with a null default was once refused, and the whole stack fell back
// to the plan alone.
func TestLabelModuleStyle(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"modules/label/main.tf": `
variable "context" {
  type    = any
  default = {}
}
variable "name" {
  type    = string
  default = null
}
variable "stage" {
  type    = string
  default = null
}
variable "attributes" {
  type    = list(string)
  default = []
}
variable "id_length_limit" {
  type    = number
  default = null
}
locals {
  defaults = {
    delimiter   = "-"
    label_order = ["namespace", "stage", "name", "attributes"]
  }
  namespace   = lookup(var.context, "namespace", null)
  stage       = var.stage == null ? lookup(var.context, "stage", null) : var.stage
  name        = coalesce(var.name, lookup(var.context, "name", null), "unnamed")
  delimiter   = coalesce(lookup(var.context, "delimiter", null), local.defaults.delimiter)
  label_order = coalescelist(lookup(var.context, "label_order", []), local.defaults.label_order)
  case        = lookup(var.context, "label_value_case", null)
  attributes  = compact(distinct(concat(lookup(var.context, "attributes", []), var.attributes)))
  labels = {
    namespace  = local.namespace == null ? "" : lower(replace(local.namespace, "/[^a-zA-Z0-9-]/", ""))
    stage      = local.stage == null ? "" : lower(local.stage)
    name       = lower(replace(local.name, "/[^a-zA-Z0-9-]/", ""))
    attributes = join(local.delimiter, local.attributes)
  }
  full  = join(local.delimiter, compact([for l in local.label_order : local.labels[l]]))
  limit = var.id_length_limit == null ? 0 : var.id_length_limit
  hash  = substr(md5(local.full), 0, 5)
  id    = local.limit != 0 && length(local.full) > local.limit ? format("%s%s%s", substr(local.full, 0, local.limit - 6), local.delimiter, local.hash) : local.full
  tags  = merge({ for k in ["namespace", "stage", "name"] : title(k) => local.labels[k] if local.labels[k] != "" }, lookup(var.context, "tags", {}))
}
output "id" { value = local.id }
output "tags" { value = local.tags }
output "context" {
  value = merge(var.context, { name = local.name, stage = local.stage, attributes = local.attributes })
}
`,
		"main.tf": `
module "this" {
  source  = "./modules/label"
  context = { namespace = "Acme Corp", stage = "PROD", tags = { Team = "data" } }
  name    = "etl"
}
module "job_label" {
  source          = "./modules/label"
  context         = module.this.context
  attributes      = ["nightly", "orders"]
  id_length_limit = 20
}
resource "aws_iam_role" "glue" {
  name               = "${module.this.id}-glue"
  assume_role_policy = "{}"
  tags               = module.this.tags
}
resource "aws_glue_job" "nightly" {
  name     = module.job_label.id
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://${module.this.id}-scripts/nightly.py"
  }
}
`,
	})
	cfg, diags := Load(dir)
	if diags.HasErrors() {
		t.Fatal(diagError(diags))
	}
	plan := planFor(t, cfg, nil,
		create("aws_iam_role.glue", map[string]any{"path": "/"}, "arn", "name", "tags"),
		create("aws_glue_job.nightly", map[string]any{}, "name", "role_arn", "command"),
	)
	ev := bind(t, cfg, plan, Options{AccountID: "111122223333"})
	for _, tc := range []struct {
		path []string
		want string
	}{
		{[]string{"aws_iam_role.glue", "name"}, "acmecorp-prod-etl-glue"},
		{[]string{"aws_iam_role.glue", "tags", "Team"}, "data"},
		{[]string{"aws_iam_role.glue", "tags", "Stage"}, "prod"},
		{[]string{"aws_glue_job.nightly", "role_arn"}, "arn:aws:iam::111122223333:role/acmecorp-prod-etl-glue"},
		// Cut to the limit, ending in a hash of the full label.
		{[]string{"aws_glue_job.nightly", "name"}, "acmecorp-prod--" + fmt.Sprintf("%x", md5.Sum([]byte("acmecorp-prod-etl-nightly-orders")))[:5]},
		{[]string{"aws_glue_job.nightly", "command", "0", "script_location"}, "s3://acmecorp-prod-etl-scripts/nightly.py"},
	} {
		if got := mustString(t, attribute(t, ev, tc.path[0], tc.path[1:]...)); got != tc.want {
			t.Errorf("%v = %q, want %q", tc.path, got, tc.want)
		}
	}
}
