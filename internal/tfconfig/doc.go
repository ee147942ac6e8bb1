// Package tfconfig evaluates a Terraform configuration with hcl/v2 and go-cty to decide the
// values a plan leaves unknown: policies built with jsonencode or aws_iam_policy_document
// that mention ARNs of resources created in the same plan, role ARNs on Glue jobs, bucket
// names, key ids.
//
// Usage:
//
//	cfg, diags := tfconfig.Load(dir)          // .tf/.tf.json files and the modules they call
//	ev, err := cfg.Bind(plan, tfconfig.Options{}) // errors.Is(err, tfconfig.ErrMismatch): use the plan alone
//	v, err := ev.Attribute(`aws_glue_job.j["orders"]`, "role_arn")
//	doc, err := ev.PolicyDocumentJSON("data.aws_iam_policy_document.glue")
//
// An attribute's value is, in order of preference: the plan's value when it is wholly known;
// the configured expression, evaluated with every reference resolved the same way (the
// plan's known parts win where both exist); a value derived from the form AWS gives it (a
// bucket ARN from the bucket name, a role ARN from account, path and name, a symbolic key
// ARN unique to the key's address); or unknown, with the reason.
//
// Evaluation is lazy: an expression's evaluation context holds only what its references
// name, and each local, variable, output and attribute is evaluated once. Provenance travels
// with values as cty marks, so a policy built from a derived bucket ARN reports that
// derivation, with file:line, and an unknown value reports why it is unknown; sensitive
// plan values and variables stay marked sensitive through every expression.
package tfconfig
