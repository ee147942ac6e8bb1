package awslive

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// CallerAccount returns the account of the credentials the lookups run with
// (sts:GetCallerIdentity, which needs no permission). IAM and KMS key-policy
// lookups compare it with the account they ask about, because those APIs
// read only the caller's own account.
func (l *Lookup) CallerAccount(ctx context.Context) Fact[string] {
	src := source("sts:GetCallerIdentity", "")
	if !l.Enabled() {
		return unknown[string](src, OffReason)
	}
	out, err := call(ctx, l, "sts:GetCallerIdentity", func(ctx context.Context) (*sts.GetCallerIdentityOutput, error) {
		return l.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	})
	if err != nil {
		return failed[string](err, "sts:GetCallerIdentity", "", src)
	}
	if acct := deref(out.Account); awsid.IsAccountID(acct) {
		return found(acct, src)
	}
	return unknown[string](src, "sts:GetCallerIdentity returned no account id")
}
