package datasources

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// errBadValue classes every input-validation error of this package.
var errBadValue = errors.New("invalid value")

// parseARN splits s into its fields and checks the prefix and partition.
func parseARN(s string) (awsid.ARN, error) {
	a, ok := awsid.ParseARN(s)
	if !ok {
		return awsid.ARN{}, fmt.Errorf("%w: %q is not an ARN (arn:partition:service:region:account:resource)", errBadValue, s)
	}
	if !awsid.IsPartition(a.Partition) {
		return awsid.ARN{}, fmt.Errorf("%w: %q has an unknown partition %q", errBadValue, s, a.Partition)
	}
	if a.Service == "" || a.Resource == "" {
		return awsid.ARN{}, fmt.Errorf("%w: %q has an empty service or resource", errBadValue, s)
	}
	return a, nil
}

// checkRoleARN accepts arn:<partition>:iam::<account>:role/<path/>name.
func checkRoleARN(s string) (awsid.ARN, error) {
	a, err := parseARN(s)
	if err != nil {
		return awsid.ARN{}, err
	}
	if !awsid.IsRoleARN(s) {
		return awsid.ARN{}, fmt.Errorf("%w: %q is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<path/>name)", errBadValue, s)
	}
	return a, nil
}

// checkPolicyARN accepts a customer managed (12-digit account) or AWS managed
// ("aws" account) IAM policy ARN.
func checkPolicyARN(s string) (awsid.ARN, error) {
	a, err := parseARN(s)
	if err != nil {
		return awsid.ARN{}, err
	}
	if !awsid.IsPolicyARN(s) {
		return awsid.ARN{}, fmt.Errorf("%w: %q is not an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<path/>name)", errBadValue, s)
	}
	return a, nil
}

// checkKMSKeyARN accepts a KMS key ARN or, when aliasOK, a KMS alias ARN.
func checkKMSKeyARN(s string, aliasOK bool) (awsid.ARN, error) {
	a, err := parseARN(s)
	if err != nil {
		return awsid.ARN{}, err
	}
	if !awsid.IsKMSKeyARN(s, true) {
		return awsid.ARN{}, fmt.Errorf("%w: %q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)", errBadValue, s)
	}
	if !aliasOK && strings.HasPrefix(a.Resource, "alias/") {
		return awsid.ARN{}, fmt.Errorf("%w: %q is an alias ARN; a key ARN (…:key/<id>) is needed here", errBadValue, s)
	}
	return a, nil
}

// CheckAccountID accepts a 12-digit AWS account id.
func CheckAccountID(s string) error {
	if !awsid.IsAccountID(s) {
		return fmt.Errorf("%w: %q is not a 12-digit AWS account id", errBadValue, s)
	}
	return nil
}

// CheckPartition accepts aws, aws-cn, aws-us-gov and the other aws-* partitions.
func CheckPartition(s string) error {
	if !awsid.IsPartition(s) {
		return fmt.Errorf("%w: %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", errBadValue, s)
	}
	return nil
}

// CheckRegion accepts a region name such as eu-west-1 or us-gov-west-1.
func CheckRegion(s string) error {
	if !awsid.IsRegionName(s) {
		return fmt.Errorf("%w: %q is not an AWS region name (e.g. eu-west-1)", errBadValue, s)
	}
	return nil
}

// checkBucketName applies S3's general-purpose bucket naming rule.
func checkBucketName(s string) error {
	if !awsid.IsBucketName(s) {
		return fmt.Errorf("%w: %q is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)", errBadValue, s)
	}
	return nil
}

// parseS3URL accepts s3://, s3a:// and s3n:// URLs (the scheme in any case,
// as internal/awsid reads it) whose bucket is a valid bucket name.
func parseS3URL(s string) (awsid.S3URL, error) {
	rest, _, ok := awsid.CutS3Scheme(s)
	if !ok {
		return awsid.S3URL{}, fmt.Errorf("%w: %q is not an S3 URL (s3://bucket/key)", errBadValue, s)
	}
	bucket, _, _ := strings.Cut(rest, "/")
	if err := checkBucketName(bucket); err != nil {
		return awsid.S3URL{}, fmt.Errorf("bucket of S3 URL %q: %w", s, err)
	}
	return awsid.ParseS3URL(s)
}

// parsePolicy parses one policy document; iam's error already names the
// document (label) and the JSON path of the problem.
func parsePolicy(doc string, kind iam.Kind, label string) (*iam.Policy, error) {
	return iam.Parse([]byte(doc), kind, label)
}

// addActionErrors reports on at every Action and NotAction entry of p that
// names no real AWS action (checked against the embedded catalog of AWS
// actions). AWS ignores such an entry without complaint, so a misspelt action
// in an Allow grants nothing: the classic cause of a 403 that the policy
// seems to rule out. It also warns about each part of p that AWS refuses to
// save (iam.Policy.Warnings). p may be nil (a document that did not parse).
func addActionErrors(diags *diag.Diagnostics, at path.Path, p *iam.Policy) {
	for _, prob := range awsdata.LintActions(p) {
		// The summary names the statement: Terraform can point at the list
		// element (role.policies[1]) but not inside a jsonencode or heredoc.
		diags.AddAttributeError(at, "Action does not exist in "+prob.Where(),
			prob.Sentence()+" AWS ignores an action that does not exist, so this entry of "+pathLabel(at)+" neither allows nor denies anything.")
	}
	if p == nil {
		return
	}
	// Parts AWS refuses when the policy is saved: the check decides the
	// document as written, and the warning says why apply would fail.
	for _, w := range p.Warnings() {
		diags.AddAttributeWarning(at, "Policy breaks an IAM rule", w.String())
	}
}
