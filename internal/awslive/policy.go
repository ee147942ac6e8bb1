package awslive

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
)

// statement is one statement of the lookup policy. Resource uses the
// placeholder ${Partition}.
type statement struct {
	Sid      string
	Actions  []string
	Resource string
}

// lookupPolicy lists every action the lookups perform, grouped by the
// resource the action is authorized on. EC2 Describe* and the Organizations
// calls support no resource-level restriction, hence "*".
// sts:GetCallerIdentity is absent: it needs no permission.
var lookupPolicy = []statement{
	{"GlueAccessBucketSettings", []string{
		"s3:GetBucketLocation",
		"s3:GetBucketOwnershipControls",
		"s3:GetBucketPolicy",
		"s3:GetBucketPublicAccessBlock",
		"s3:GetBucketRequestPayment",
		"s3:GetEncryptionConfiguration",
	}, "arn:${Partition}:s3:::*"},
	{"GlueAccessKMSKeys", []string{
		"kms:DescribeKey",
		"kms:GetKeyPolicy",
		"kms:ListGrants",
	}, "arn:${Partition}:kms:*:*:key/*"},
	{"GlueAccessRoles", []string{
		"iam:GetRole",
		"iam:GetRolePolicy",
		"iam:ListAttachedRolePolicies",
		"iam:ListRolePolicies",
	}, "arn:${Partition}:iam::*:role/*"},
	{"GlueAccessManagedPolicies", []string{
		"iam:GetPolicy",
		"iam:GetPolicyVersion",
	}, "arn:${Partition}:iam::*:policy/*"},
	{"GlueAccessNetwork", []string{
		"ec2:DescribeRouteTables",
		"ec2:DescribeSubnets",
		"ec2:DescribeVpcEndpoints",
	}, "*"},
	{"GlueAccessOrganization", []string{
		"organizations:DescribeOrganization",
		"organizations:DescribePolicy",
		"organizations:ListParents",
		"organizations:ListPoliciesForTarget",
	}, "*"},
}

var partitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true}

// Policy returns the least-privilege IAM policy document the live lookups
// need, for partition (aws, aws-cn, aws-us-gov).
func Policy(partition string) ([]byte, error) {
	if !partitions[partition] {
		return nil, fmt.Errorf("awslive: unknown partition %q (want aws, aws-cn or aws-us-gov)", partition)
	}
	type stmt struct {
		Sid      string   `json:"Sid"`
		Effect   string   `json:"Effect"`
		Action   []string `json:"Action"`
		Resource string   `json:"Resource"`
	}
	doc := struct {
		Version   string `json:"Version"`
		Statement []stmt `json:"Statement"`
	}{Version: "2012-10-17"}
	for _, s := range lookupPolicy {
		doc.Statement = append(doc.Statement, stmt{
			Sid:      s.Sid,
			Effect:   "Allow",
			Action:   s.Actions,
			Resource: strings.ReplaceAll(s.Resource, "${Partition}", partition),
		})
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("awslive: encode lookup policy: %w", err)
	}
	return append(out, '\n'), nil
}

// RunPolicy is `glueaccess aws-policy [-partition aws]`: it prints the
// least-privilege IAM policy for --aws lookups. Exit codes: 0 printed, 2 bad
// arguments.
func RunPolicy(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("aws-policy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	partition := fs.String("partition", "aws", "AWS partition of the ARNs: aws, aws-cn or aws-us-gov")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: glueaccess aws-policy [-partition aws]")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Prints the least-privilege IAM policy that live lookups (--aws) need.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "glueaccess aws-policy: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	doc, err := Policy(*partition)
	if err != nil {
		fmt.Fprintf(stderr, "glueaccess aws-policy: %v\n", err)
		return 2
	}
	if _, err := stdout.Write(doc); err != nil {
		fmt.Fprintf(stderr, "glueaccess aws-policy: write policy: %v\n", err)
		return 2
	}
	return 0
}
