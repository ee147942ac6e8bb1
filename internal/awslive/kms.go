package awslive

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// KeyFacts are the live settings of one KMS key.
type KeyFacts struct {
	// Ref is the key as asked: a key ARN, an alias ARN, a key id or an
	// alias name.
	Ref string
	// Metadata comes from kms:DescribeKey; NotFound means no such key.
	Metadata Fact[KeyMetadata]
	// Policy is the "default" key policy JSON (kms:GetKeyPolicy). KMS
	// serves it only to the key's own account, so for a key in another
	// account it is Unknown.
	Policy Fact[string]
	// Grants are every grant on the key (kms:ListGrants, all pages), sorted
	// by grant id.
	Grants Fact[[]Grant]
}

// KeyMetadata is what DescribeKey says about a key.
type KeyMetadata struct {
	ARN     string
	KeyID   string
	Account string
	// KeyManager is AWS (an AWS managed key such as aws/s3) or CUSTOMER.
	KeyManager string
	// KeyState is Enabled, Disabled, PendingDeletion, ...
	KeyState string
	Enabled  bool
	KeyUsage string
}

// Grant is one KMS grant.
type Grant struct {
	GrantID                 string
	Name                    string
	GranteePrincipal        string
	GranteeServicePrincipal string
	RetiringPrincipal       string
	IssuingAccount          string
	// Operations are KMS operation names: Decrypt, GenerateDataKey, ...
	Operations              []string
	EncryptionContextEquals map[string]string
	EncryptionContextSubset map[string]string
}

// Key looks up the key ref: DescribeKey first (it resolves aliases), then the
// key policy and the grants concurrently. Calls go to the Region of the ARN.
func (l *Lookup) Key(ctx context.Context, ref string) KeyFacts {
	k := KeyFacts{Ref: ref}
	descSrc := source("kms:DescribeKey", ref)
	if !l.Enabled() {
		k.Metadata = unknown[KeyMetadata](descSrc, OffReason)
		k.Policy = unknown[string](source("kms:GetKeyPolicy", ref), OffReason)
		k.Grants = unknown[[]Grant](source("kms:ListGrants", ref), OffReason)
		return k
	}
	in := func(*kms.Options) {}
	if region, ok := awsid.KMSKeyRegion(ref); ok {
		in = func(o *kms.Options) { o.Region = region }
	}

	k.Metadata = l.describeKey(ctx, ref, descSrc, in)
	md, ok := k.Metadata.Get()
	if !ok {
		// GetKeyPolicy and ListGrants take only a key id or key ARN, and
		// asking about a key DescribeKey could not see would say nothing new.
		reason := "needs kms:DescribeKey first: " + k.Metadata.Reason
		if k.Metadata.Status == NotFound {
			reason = "key " + ref + " does not exist (kms:DescribeKey: NotFoundException)"
		}
		k.Policy = unknown[string](source("kms:GetKeyPolicy", ref), reason)
		k.Grants = unknown[[]Grant](source("kms:ListGrants", ref), reason)
		return k
	}
	parallel(
		func() { k.Policy = l.keyPolicy(ctx, md, in) },
		func() { k.Grants = l.keyGrants(ctx, md.ARN, in) },
	)
	return k
}

func (l *Lookup) describeKey(ctx context.Context, ref, src string, in func(*kms.Options)) Fact[KeyMetadata] {
	out, err := call(ctx, l, "kms:DescribeKey\x00"+ref, func(ctx context.Context) (*kms.DescribeKeyOutput, error) {
		return l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &ref}, in)
	})
	if err != nil {
		return failed[KeyMetadata](err, "kms:DescribeKey", ref, src, "NotFoundException")
	}
	m := out.KeyMetadata
	if m == nil || deref(m.Arn) == "" {
		return unknown[KeyMetadata](src, "kms:DescribeKey on "+ref+" returned no key ARN")
	}
	return found(KeyMetadata{
		ARN:        *m.Arn,
		KeyID:      deref(m.KeyId),
		Account:    deref(m.AWSAccountId),
		KeyManager: string(m.KeyManager),
		KeyState:   string(m.KeyState),
		Enabled:    m.Enabled,
		KeyUsage:   string(m.KeyUsage),
	}, src)
}

func (l *Lookup) keyPolicy(ctx context.Context, md KeyMetadata, in func(*kms.Options)) Fact[string] {
	src := source("kms:GetKeyPolicy", md.ARN)
	// GetKeyPolicy is not a cross-account operation: from another account
	// it can only fail, so say why instead of calling.
	if caller, ok := l.CallerAccount(ctx).Get(); ok && md.Account != "" && caller != md.Account {
		return unknown[string](src, "kms:GetKeyPolicy works only with credentials of the key's account "+md.Account+"; the lookup ran in account "+caller)
	}
	out, err := call(ctx, l, "kms:GetKeyPolicy\x00"+md.ARN, func(ctx context.Context) (*kms.GetKeyPolicyOutput, error) {
		name := "default"
		return l.kms.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &md.ARN, PolicyName: &name}, in)
	})
	if err != nil {
		return failed[string](err, "kms:GetKeyPolicy", md.ARN, src)
	}
	if !isJSONObject(deref(out.Policy)) {
		return unknown[string](src, "kms:GetKeyPolicy on "+md.ARN+" returned a malformed policy")
	}
	return found(*out.Policy, src)
}

func (l *Lookup) keyGrants(ctx context.Context, keyARN string, in func(*kms.Options)) Fact[[]Grant] {
	src := source("kms:ListGrants", keyARN)
	grants, err := call(ctx, l, "kms:ListGrants\x00"+keyARN, func(ctx context.Context) ([]Grant, error) {
		var all []Grant
		p := kms.NewListGrantsPaginator(l.kms, &kms.ListGrantsInput{KeyId: &keyARN})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, in)
			if err != nil {
				return nil, err
			}
			for _, g := range page.Grants {
				grant := Grant{
					GrantID:                 deref(g.GrantId),
					Name:                    deref(g.Name),
					GranteePrincipal:        deref(g.GranteePrincipal),
					GranteeServicePrincipal: deref(g.GranteeServicePrincipal),
					RetiringPrincipal:       deref(g.RetiringPrincipal),
					IssuingAccount:          deref(g.IssuingAccount),
				}
				for _, op := range g.Operations {
					grant.Operations = append(grant.Operations, string(op))
				}
				if g.Constraints != nil {
					grant.EncryptionContextEquals = g.Constraints.EncryptionContextEquals
					grant.EncryptionContextSubset = g.Constraints.EncryptionContextSubset
				}
				all = append(all, grant)
			}
		}
		sort.Slice(all, func(i, j int) bool { return all[i].GrantID < all[j].GrantID })
		return all, nil
	})
	if err != nil {
		return failed[[]Grant](err, "kms:ListGrants", keyARN, src)
	}
	return found(grants, src)
}
