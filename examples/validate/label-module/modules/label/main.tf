# A small naming module in the null-label style: every setting may come from
# its own variable or from a context object handed down by a parent label, and
# the id is the non-empty labels joined by the delimiter.
variable "context" {
  description = "Settings inherited from another label (its context output)."
  type        = any
  default     = {}
}

variable "namespace" {
  type    = string
  default = null
}

variable "stage" {
  type    = string
  default = null
}

variable "name" {
  type    = string
  default = null
}

variable "attributes" {
  description = "Appended to the id after the context's own attributes."
  type        = list(string)
  default     = []
}

variable "delimiter" {
  type    = string
  default = null
}

locals {
  namespace  = var.namespace != null ? var.namespace : lookup(var.context, "namespace", null)
  stage      = var.stage != null ? var.stage : lookup(var.context, "stage", null)
  name       = var.name != null ? var.name : lookup(var.context, "name", null)
  delimiter  = coalesce(var.delimiter, lookup(var.context, "delimiter", null), "-")
  attributes = concat(lookup(var.context, "attributes", []), var.attributes)

  labels = compact([local.namespace, local.stage, local.name, join(local.delimiter, local.attributes)])
  id     = lower(join(local.delimiter, local.labels))
}

output "id" {
  value = local.id
}

output "tags" {
  value = { for k, v in { Namespace = local.namespace, Stage = local.stage, Name = local.id } : k => v if v != null }
}

output "context" {
  value = {
    namespace  = local.namespace
    stage      = local.stage
    name       = local.name
    delimiter  = local.delimiter
    attributes = local.attributes
  }
}
