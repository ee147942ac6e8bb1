package iam_test

import (
	"encoding/json"
	"fmt"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// ExampleUnknownLeaf decides a Glue job's read of its script while parts of
// the configuration are not known: the script's key (the request's resource
// holds a leaf), and the bucket a Deny names. The policy is built with
// encoding/json, which writes the leaf's NUL characters as \u0000.
func ExampleUnknownLeaf() {
	identity, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::etl-scripts/*"},
			{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::" + iam.UnknownLeaf("var.quarantine_bucket") + "/*"},
		},
	})
	p, err := iam.Parse(identity, iam.KindIdentity, "aws_iam_role_policy.glue")
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &iam.Request{
		Principal: iam.Principal{
			ARN:     "arn:aws:sts::111122223333:assumed-role/GlueJobRole/GlueJobRunnerSession",
			RoleARN: "arn:aws:iam::111122223333:role/GlueJobRole",
		},
		Action:          "s3:GetObject",
		Resource:        "arn:aws:s3:::etl-scripts/jobs/" + iam.UnknownLeaf("aws_glue_job.nightly.command.script_location"),
		ResourceAccount: "111122223333",
	}
	// Every key under etl-scripts/ is allowed, but the Deny may name that
	// bucket, or a path under it that holds some keys and not others: the
	// decision depends on both leaves.
	res := iam.Evaluate(&iam.Input{Identity: []*iam.Policy{p}}, req)
	fmt.Println(res.Decision, res.UnknownLeaves)

	// Once the Deny is known to name another bucket, the read is decided
	// for every key.
	identity, _ = json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::etl-scripts/*"},
			{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::quarantine/*"},
		},
	})
	p, _ = iam.Parse(identity, iam.KindIdentity, "aws_iam_role_policy.glue")
	res = iam.Evaluate(&iam.Input{Identity: []*iam.Policy{p}}, req)
	fmt.Println(res.Decision, res.UnknownLeaves)
	// Output:
	// Unknown [aws_glue_job.nightly.command.script_location var.quarantine_bucket]
	// Allowed []
}
