// Package planjson reads the JSON of a terraform plan (terraform show -json,
// "JSON Output Format" in the Terraform docs) into typed values: Load and
// Decode refuse, with what is wrong, every file that is not a plan terraform
// writes; Index collects the resource instances with their planned values,
// what after_unknown leaves unknown until apply, and their configuration
// expressions, whose references it follows across modules. It knows the plan
// format and nothing of what the values mean.
package planjson
