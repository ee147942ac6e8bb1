// Package awsid is the one place that parses and writes AWS identifiers:
// ARNs, S3 URLs, account ids, Region names, bucket names, KMS key ids and
// aliases, and AWS Organizations ids. It knows no Terraform and no policy
// language, so internal/iam and internal/access may import it.
//
// Each function checks the shape AWS documents for the identifier, nothing
// more: whether the thing it names exists is for the callers to decide.
package awsid
