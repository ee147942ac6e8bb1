package awslive

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// RoleFacts are the live definition of one IAM role.
type RoleFacts struct {
	// Ref is the role as asked: an ARN or a role name.
	Ref string
	// Role comes from iam:GetRole; NotFound means no such role.
	Role Fact[RoleInfo]
	// Inline are the role's inline policies, sorted by name.
	Inline Fact[[]InlinePolicy]
	// Attached are the managed policies attached to the role, sorted by ARN.
	Attached Fact[[]ManagedPolicy]
	// Boundary is the permissions boundary; NotFound means the role has
	// none.
	Boundary Fact[ManagedPolicy]
}

// RoleInfo is what GetRole says about a role.
type RoleInfo struct {
	ARN     string // with path: arn:aws:iam::<account>:role<path><name>
	Name    string
	Path    string
	Account string
	RoleID  string // the AROA... unique id (aws:userid)
	// TrustPolicy is the decoded assume-role policy document.
	TrustPolicy string
	// BoundaryARN is the permissions boundary policy ARN, or "".
	BoundaryARN string
	Tags        map[string]string
}

// InlinePolicy is one inline role policy.
type InlinePolicy struct {
	Name     string
	Document Fact[string] // decoded JSON
}

// ManagedPolicy is a managed policy attached to a role (or used as its
// boundary).
type ManagedPolicy struct {
	ARN  string
	Name string
	// AWSManaged marks arn:<partition>:iam::aws:policy/... policies. Their
	// documents are not looked up: glueaccess embeds them.
	AWSManaged bool
	// Document is the default version's JSON (customer managed policies).
	Document Fact[string]
}

// Role looks up the role ref (an ARN or a name): GetRole, then the inline
// policies, the attached policies and the boundary concurrently. IAM reads
// only the caller's own account, so a role of another account is Unknown.
func (l *Lookup) Role(ctx context.Context, ref string) RoleFacts {
	name, account, bad := roleName(ref)
	r := RoleFacts{Ref: ref}
	roleARN := ref
	if account == "" {
		roleARN = "role/" + name
	}
	srcs := [...]string{
		source("iam:GetRole", roleARN),
		source("iam:ListRolePolicies", roleARN),
		source("iam:ListAttachedRolePolicies", roleARN),
	}
	off := bad
	if !l.Enabled() {
		off = OffReason
	} else if caller, ok := l.CallerAccount(ctx).Get(); off == "" && ok && account != "" && caller != account {
		off = "iam:GetRole reads only the credentials' own account " + caller + "; the role is in account " + account
	}
	if off != "" {
		r.Role = unknown[RoleInfo](srcs[0], off)
		r.Inline = unknown[[]InlinePolicy](srcs[1], off)
		r.Attached = unknown[[]ManagedPolicy](srcs[2], off)
		r.Boundary = unknown[ManagedPolicy](srcs[0], off)
		return r
	}

	r.Role = l.getRole(ctx, name, roleARN, srcs[0])
	info, ok := r.Role.Get()
	if ok && account != "" && info.Account != account {
		r.Role = unknown[RoleInfo](srcs[0], "iam:GetRole answered for account "+info.Account+", not "+account)
		ok = false
	}
	if !ok {
		reason := "needs iam:GetRole first: " + r.Role.Reason
		if r.Role.Status == NotFound {
			reason = "role " + name + " does not exist (iam:GetRole: NoSuchEntity)"
		}
		r.Inline = unknown[[]InlinePolicy](srcs[1], reason)
		r.Attached = unknown[[]ManagedPolicy](srcs[2], reason)
		r.Boundary = unknown[ManagedPolicy](srcs[0], reason)
		return r
	}
	parallel(
		func() { r.Inline = l.inlinePolicies(ctx, info, srcs[1]) },
		func() { r.Attached = l.attachedPolicies(ctx, info, srcs[2]) },
		func() {
			if info.BoundaryARN == "" {
				r.Boundary = notFound[ManagedPolicy](srcs[0])
				return
			}
			r.Boundary = found(l.managedPolicy(ctx, info.BoundaryARN, ""), srcs[0])
		},
	)
	return r
}

// roleName splits a role ARN into name and account; a bare name has no
// account. bad explains a ref that is neither.
func roleName(ref string) (name, account, bad string) {
	if !strings.HasPrefix(ref, "arn:") {
		if ref == "" || strings.ContainsAny(ref, "/:") {
			return ref, "", "not a role name or ARN: " + quote(ref)
		}
		return ref, "", ""
	}
	a, name, ok := awsid.ParseRoleARN(ref)
	if !ok {
		return ref, "", "not a role ARN: " + quote(ref)
	}
	return name, a.Account, ""
}

func (l *Lookup) getRole(ctx context.Context, name, roleARN, src string) Fact[RoleInfo] {
	out, err := call(ctx, l, "iam:GetRole\x00"+name, func(ctx context.Context) (*iam.GetRoleOutput, error) {
		return l.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
	})
	if err != nil {
		return failed[RoleInfo](err, "iam:GetRole", roleARN, src, "NoSuchEntity")
	}
	role := out.Role
	if role == nil || deref(role.Arn) == "" {
		return unknown[RoleInfo](src, "iam:GetRole on "+roleARN+" returned no role ARN")
	}
	a, ok := awsid.ParseARN(*role.Arn)
	if !ok {
		return unknown[RoleInfo](src, "iam:GetRole on "+roleARN+" returned a malformed ARN "+quote(*role.Arn))
	}
	info := RoleInfo{
		ARN:     *role.Arn,
		Name:    deref(role.RoleName),
		Path:    deref(role.Path),
		Account: a.Account,
		RoleID:  deref(role.RoleId),
	}
	if doc := deref(role.AssumeRolePolicyDocument); doc != "" {
		decoded, err := decodeDocument(doc)
		if err != nil {
			return unknown[RoleInfo](src, "iam:GetRole on "+roleARN+" returned a malformed trust policy")
		}
		info.TrustPolicy = decoded
	}
	if role.PermissionsBoundary != nil {
		info.BoundaryARN = deref(role.PermissionsBoundary.PermissionsBoundaryArn)
	}
	if len(role.Tags) > 0 {
		info.Tags = make(map[string]string, len(role.Tags))
		for _, t := range role.Tags {
			info.Tags[deref(t.Key)] = deref(t.Value)
		}
	}
	return found(info, src)
}

func (l *Lookup) inlinePolicies(ctx context.Context, role RoleInfo, src string) Fact[[]InlinePolicy] {
	names, err := call(ctx, l, "iam:ListRolePolicies\x00"+role.Name, func(ctx context.Context) ([]string, error) {
		var names []string
		p := iam.NewListRolePoliciesPaginator(l.iam, &iam.ListRolePoliciesInput{RoleName: &role.Name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			names = append(names, page.PolicyNames...)
		}
		return names, nil
	})
	if err != nil {
		return failed[[]InlinePolicy](err, "iam:ListRolePolicies", role.ARN, src)
	}
	sort.Strings(names)
	policies := make([]InlinePolicy, len(names))
	fns := make([]func(), len(names))
	for i, name := range names {
		fns[i] = func() { policies[i] = InlinePolicy{Name: name, Document: l.inlinePolicy(ctx, role, name)} }
	}
	parallel(fns...)
	return found(policies, src)
}

func (l *Lookup) inlinePolicy(ctx context.Context, role RoleInfo, name string) Fact[string] {
	src := source("iam:GetRolePolicy", role.ARN+" "+name)
	out, err := call(ctx, l, "iam:GetRolePolicy\x00"+role.Name+"\x00"+name, func(ctx context.Context) (*iam.GetRolePolicyOutput, error) {
		return l.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &role.Name, PolicyName: &name})
	})
	if err != nil {
		// A policy deleted between the list and the get is gone: NotFound.
		return failed[string](err, "iam:GetRolePolicy", role.ARN, src, "NoSuchEntity")
	}
	doc, err := decodeDocument(deref(out.PolicyDocument))
	if err != nil {
		return unknown[string](src, "iam:GetRolePolicy on "+role.ARN+" returned a malformed policy document")
	}
	return found(doc, src)
}

func (l *Lookup) attachedPolicies(ctx context.Context, role RoleInfo, src string) Fact[[]ManagedPolicy] {
	type attachment struct{ arn, name string }
	list, err := call(ctx, l, "iam:ListAttachedRolePolicies\x00"+role.Name, func(ctx context.Context) ([]attachment, error) {
		var all []attachment
		p := iam.NewListAttachedRolePoliciesPaginator(l.iam, &iam.ListAttachedRolePoliciesInput{RoleName: &role.Name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, ap := range page.AttachedPolicies {
				all = append(all, attachment{deref(ap.PolicyArn), deref(ap.PolicyName)})
			}
		}
		return all, nil
	})
	if err != nil {
		return failed[[]ManagedPolicy](err, "iam:ListAttachedRolePolicies", role.ARN, src)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].arn < list[j].arn })
	policies := make([]ManagedPolicy, len(list))
	fns := make([]func(), len(list))
	for i, a := range list {
		fns[i] = func() { policies[i] = l.managedPolicy(ctx, a.arn, a.name) }
	}
	parallel(fns...)
	return found(policies, src)
}

// managedPolicy resolves a managed policy ARN to its default version's
// document: GetPolicy for the default version id, then GetPolicyVersion.
func (l *Lookup) managedPolicy(ctx context.Context, policyARN, name string) ManagedPolicy {
	mp := ManagedPolicy{ARN: policyARN, Name: name}
	if name == "" {
		mp.Name = policyARN[strings.LastIndex(policyARN, "/")+1:]
	}
	getSrc := source("iam:GetPolicy", policyARN)
	if awsid.AccountOfARN(policyARN) == "aws" {
		mp.AWSManaged = true
		mp.Document = unknown[string](getSrc, "AWS managed policy: not looked up (glueaccess embeds the AWS managed policies)")
		return mp
	}
	version, err := call(ctx, l, "iam:GetPolicy\x00"+policyARN, func(ctx context.Context) (string, error) {
		out, err := l.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &policyARN})
		if err != nil || out.Policy == nil {
			return "", err
		}
		return deref(out.Policy.DefaultVersionId), nil
	})
	if err != nil {
		mp.Document = failed[string](err, "iam:GetPolicy", policyARN, getSrc, "NoSuchEntity")
		return mp
	}
	if version == "" {
		mp.Document = unknown[string](getSrc, "iam:GetPolicy on "+policyARN+" returned no default version")
		return mp
	}
	verSrc := source("iam:GetPolicyVersion", policyARN+" "+version)
	out, err := call(ctx, l, "iam:GetPolicyVersion\x00"+policyARN+"\x00"+version, func(ctx context.Context) (*iam.GetPolicyVersionOutput, error) {
		return l.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &policyARN, VersionId: &version})
	})
	if err != nil {
		mp.Document = failed[string](err, "iam:GetPolicyVersion", policyARN, verSrc)
		return mp
	}
	if out.PolicyVersion == nil {
		mp.Document = unknown[string](verSrc, "iam:GetPolicyVersion on "+policyARN+" returned no version")
		return mp
	}
	doc, err := decodeDocument(deref(out.PolicyVersion.Document))
	if err != nil {
		mp.Document = unknown[string](verSrc, "iam:GetPolicyVersion on "+policyARN+" returned a malformed policy document")
		return mp
	}
	mp.Document = found(doc, verSrc)
	return mp
}

// decodeDocument undoes the URL encoding (RFC 3986) IAM applies to every
// policy document it returns, and checks the result is a JSON object.
func decodeDocument(s string) (string, error) {
	doc, err := url.PathUnescape(s)
	if err != nil {
		return "", err
	}
	if !isJSONObject(doc) {
		return "", errNotJSON
	}
	return doc, nil
}
