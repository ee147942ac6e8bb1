// Package schema holds the hashicorp/aws provider schema the offline
// stand-in serves: a subset of hashicorp/aws 6.47.0 in exactly the form
// `terraform providers schema -json` prints. Its "functions" entry records
// the signatures of the provider functions served (without the real
// provider's summaries and descriptions); the stand-in refuses to start if
// they differ from what it serves.
package schema

import _ "embed"

// ProviderAddress is the registry address the stand-in answers for.
const ProviderAddress = "registry.terraform.io/hashicorp/aws"

// JSON is the schema document: format_version 1.0 with one entry,
// ProviderAddress, in provider_schemas.
//
//go:embed aws-provider-schema.json
var JSON []byte
