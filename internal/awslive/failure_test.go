package awslive

import (
	"context"
	"strings"
	"testing"
	"time"
)

// probe runs a lookup and returns the status and reason of the one fact a
// case is about.
type probe func(ctx context.Context, l *Lookup) (Status, string)

func bucketProbe(pick func(BucketFacts) (Status, string)) probe {
	return func(ctx context.Context, l *Lookup) (Status, string) { return pick(l.Bucket(ctx, bucketName)) }
}

func statusOf[T any](f Fact[T]) (Status, string) { return f.Status, f.Reason }

var (
	probeRegion     = bucketProbe(func(b BucketFacts) (Status, string) { return statusOf(b.Region) })
	probePolicy     = bucketProbe(func(b BucketFacts) (Status, string) { return statusOf(b.Policy) })
	probeOwnership  = bucketProbe(func(b BucketFacts) (Status, string) { return statusOf(b.ObjectOwnership) })
	probePayer      = bucketProbe(func(b BucketFacts) (Status, string) { return statusOf(b.RequestPayer) })
	probeEncryption = bucketProbe(func(b BucketFacts) (Status, string) { return statusOf(b.Encryption) })
	probePAB        = bucketProbe(func(b BucketFacts) (Status, string) { return statusOf(b.PublicAccessBlock) })
	probeKeyMeta    = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Key(ctx, keyARN).Metadata) }
	probeKeyPolicy  = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Key(ctx, keyARN).Policy) }
	probeGrants     = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Key(ctx, keyARN).Grants) }
	probeRole       = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Role(ctx, roleARN).Role) }
	probeInline     = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Role(ctx, roleARN).Inline) }
	probeInlineDoc  = func(ctx context.Context, l *Lookup) (Status, string) {
		r := l.Role(ctx, roleARN)
		if r.Inline.Status != Found || len(r.Inline.Value) == 0 {
			return statusOf(r.Inline)
		}
		return statusOf(r.Inline.Value[0].Document)
	}
	probeManagedDoc = func(ctx context.Context, l *Lookup) (Status, string) {
		return statusOf(l.Role(ctx, roleARN).Boundary.Value.Document)
	}
	probeSubnet = func(ctx context.Context, l *Lookup) (Status, string) {
		return statusOf(l.Network(ctx, subnetID).Subnet)
	}
	probeRoutes = func(ctx context.Context, l *Lookup) (Status, string) {
		return statusOf(l.Network(ctx, subnetID).RouteTable)
	}
	probeEndpoints = func(ctx context.Context, l *Lookup) (Status, string) {
		return statusOf(l.Network(ctx, subnetID).Endpoints)
	}
	probeOrg = func(ctx context.Context, l *Lookup) (Status, string) {
		return statusOf(l.Organization(ctx, acct).Organization)
	}
	probePath = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Organization(ctx, acct).Path) }
	probeSCPs = func(ctx context.Context, l *Lookup) (Status, string) {
		o := l.Organization(ctx, acct)
		if o.Path.Status != Found {
			return statusOf(o.Path)
		}
		return statusOf(o.Path.Value[0].SCPs)
	}
	probeCaller = func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.CallerAccount(ctx)) }
)

func TestNotConfiguredIsAFact(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		op     string
		reply  reply
		probe  probe
		status Status
		reason string
	}{
		"no bucket policy": {
			op: "s3:GetBucketPolicy", reply: apiError("s3", 404, "NoSuchBucketPolicy", "The bucket policy does not exist"),
			probe: probePolicy, status: NotFound,
		},
		"no ownership controls": {
			op: "s3:GetBucketOwnershipControls", reply: apiError("s3", 404, "OwnershipControlsNotFoundError", "The bucket ownership controls were not found"),
			probe: probeOwnership, status: NotFound,
		},
		"no default encryption": {
			op: "s3:GetBucketEncryption", reply: apiError("s3", 404, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"),
			probe: probeEncryption, status: NotFound,
		},
		"no public access block": {
			op: "s3:GetPublicAccessBlock", reply: apiError("s3", 404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"),
			probe: probePAB, status: NotFound,
		},
		"no such bucket: the bucket is not found": {
			op: "s3:GetBucketLocation", reply: apiError("s3", 404, "NoSuchBucket", "The specified bucket does not exist"),
			probe: probeRegion, status: NotFound,
		},
		"no such bucket: its settings are unknown, not absent": {
			op: "s3:GetBucketLocation", reply: apiError("s3", 404, "NoSuchBucket", "The specified bucket does not exist"),
			probe: probePolicy, status: Unknown, reason: "bucket sales-data does not exist (s3:GetBucketLocation: NoSuchBucket)",
		},
		"no such bucket policy code elsewhere is not a fact": {
			op: "s3:GetBucketRequestPayment", reply: apiError("s3", 404, "NoSuchBucketPolicy", "confused"),
			probe: probePayer, status: Unknown, reason: "s3:GetBucketRequestPayment on arn:aws:s3:::sales-data failed: NoSuchBucketPolicy: confused",
		},
		"no such key": {
			op: "kms:DescribeKey", reply: apiError("kms", 400, "NotFoundException", "Key 'arn' does not exist"),
			probe: probeKeyMeta, status: NotFound,
		},
		"no such key: its policy is unknown": {
			op: "kms:DescribeKey", reply: apiError("kms", 400, "NotFoundException", "Key 'arn' does not exist"),
			probe: probeKeyPolicy, status: Unknown, reason: "key " + keyARN + " does not exist (kms:DescribeKey: NotFoundException)",
		},
		"no such role": {
			op: "iam:GetRole", reply: apiError("iam", 404, "NoSuchEntity", "The role with name glue-etl cannot be found."),
			probe: probeRole, status: NotFound,
		},
		"no such role: its policies are unknown": {
			op: "iam:GetRole", reply: apiError("iam", 404, "NoSuchEntity", "The role with name glue-etl cannot be found."),
			probe: probeInline, status: Unknown, reason: "role glue-etl does not exist (iam:GetRole: NoSuchEntity)",
		},
		"no such subnet": {
			op: "ec2:DescribeSubnets", reply: apiError("ec2", 400, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-0abc1234' does not exist"),
			probe: probeSubnet, status: NotFound,
		},
		"not in an organization": {
			op: "organizations:DescribeOrganization", reply: apiError("organizations", 400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization."),
			probe: probeOrg, status: NotFound,
		},
		"not in an organization: no path": {
			op: "organizations:DescribeOrganization", reply: apiError("organizations", 400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization."),
			probe: probePath, status: NotFound,
		},
		"account outside the organization": {
			op: "organizations:ListParents", reply: apiError("organizations", 400, "ChildNotFoundException", "We can't find a root, OU, account, or policy with the ChildId that you specified."),
			probe: probePath, status: NotFound,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			f.on(tc.op, func(int, request) reply { return tc.reply })
			status, reason := tc.probe(context.Background(), newTestLookup(t, f))
			if status != tc.status || reason != tc.reason {
				t.Errorf("got %s %q, want %s %q", status, reason, tc.status, tc.reason)
			}
		})
	}
}

func TestAccessDeniedNamesTheMissingPermission(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		op     string
		reply  reply
		probe  probe
		reason string
		calls  int // distinct calls of op; 0 means 1
	}{
		"s3 bucket policy": {
			op: "s3:GetBucketPolicy", reply: apiError("s3", 403, "AccessDenied", "Access Denied"), probe: probePolicy,
			reason: "the lookup lacked s3:GetBucketPolicy on arn:aws:s3:::sales-data (AccessDenied)",
		},
		"s3 bucket policy from another account": {
			op: "s3:GetBucketPolicy", reply: apiError("s3", 405, "MethodNotAllowed", "The specified method is not allowed against this resource."), probe: probePolicy,
			reason: "s3:GetBucketPolicy on arn:aws:s3:::sales-data needs credentials of the owning account (MethodNotAllowed)",
		},
		"s3 encryption uses the IAM action name": {
			op: "s3:GetBucketEncryption", reply: apiError("s3", 403, "AccessDenied", "Access Denied"), probe: probeEncryption,
			reason: "the lookup lacked s3:GetEncryptionConfiguration on arn:aws:s3:::sales-data (AccessDenied)",
		},
		"s3 location": {
			op: "s3:GetBucketLocation", reply: apiError("s3", 403, "AccessDenied", "Access Denied"), probe: probeRegion,
			reason: "the lookup lacked s3:GetBucketLocation on arn:aws:s3:::sales-data (AccessDenied)",
		},
		"kms key policy": {
			op: "kms:GetKeyPolicy", reply: apiError("kms", 400, "AccessDeniedException", "User is not authorized to perform: kms:GetKeyPolicy"), probe: probeKeyPolicy,
			reason: "the lookup lacked kms:GetKeyPolicy on " + keyARN + " (AccessDeniedException)",
		},
		"kms describe blocks the rest": {
			op: "kms:DescribeKey", reply: apiError("kms", 400, "AccessDeniedException", "not authorized"), probe: probeGrants,
			reason: "needs kms:DescribeKey first: the lookup lacked kms:DescribeKey on " + keyARN + " (AccessDeniedException)",
		},
		"iam role": {
			op: "iam:GetRole", reply: apiError("iam", 403, "AccessDenied", "User is not authorized to perform: iam:GetRole"), probe: probeRole,
			reason: "the lookup lacked iam:GetRole on " + roleARN + " (AccessDenied)",
		},
		"iam inline policy": {
			op: "iam:GetRolePolicy", reply: apiError("iam", 403, "AccessDenied", "not authorized"), probe: probeInlineDoc,
			reason: "the lookup lacked iam:GetRolePolicy on " + roleARN + " (AccessDenied)",
			calls:  2, // two inline policies
		},
		"iam managed policy version": {
			op: "iam:GetPolicyVersion", reply: apiError("iam", 403, "AccessDenied", "not authorized"), probe: probeManagedDoc,
			reason: "the lookup lacked iam:GetPolicyVersion on " + boundARN + " (AccessDenied)",
			calls:  2, // the attached policy and the boundary
		},
		"ec2 route tables": {
			op: "ec2:DescribeRouteTables", reply: apiError("ec2", 403, "UnauthorizedOperation", "You are not authorized to perform this operation."), probe: probeRoutes,
			reason: "the lookup lacked ec2:DescribeRouteTables on " + subnetID + " (UnauthorizedOperation)",
		},
		"organizations from a member account": {
			op: "organizations:ListParents", reply: apiError("organizations", 400, "AccessDeniedException", "You don't have permissions to access this resource."), probe: probePath,
			reason: "the lookup lacked organizations:ListParents on " + acct + " (AccessDeniedException)",
		},
		"organizations policies": {
			op: "organizations:ListPoliciesForTarget", reply: apiError("organizations", 400, "AccessDeniedException", "denied"), probe: probeSCPs,
			reason: "the lookup lacked organizations:ListPoliciesForTarget on " + rootID + " (AccessDeniedException)",
			calls:  6, // SCPs and RCPs at root, OU and account
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			f.on(tc.op, func(int, request) reply { return tc.reply })
			status, reason := tc.probe(context.Background(), newTestLookup(t, f))
			if status != Unknown || reason != tc.reason {
				t.Errorf("got %s %q, want unknown %q", status, reason, tc.reason)
			}
			if want := max(tc.calls, 1); f.count(tc.op) != want {
				t.Errorf("%s requests = %d, want %d (access denied is not retried)", tc.op, f.count(tc.op), want)
			}
		})
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		op        string
		reply     reply
		throttles int // failed attempts before the success
		probe     probe
	}{
		"s3 SlowDown 503":                   {"s3:GetBucketPolicy", apiError("s3", 503, "SlowDown", "Please reduce your request rate."), 1, probePolicy},
		"iam Throttling 400":                {"iam:GetRole", apiError("iam", 400, "Throttling", "Rate exceeded"), 1, probeRole},
		"sts Throttling 400":                {"sts:GetCallerIdentity", apiError("sts", 400, "Throttling", "Rate exceeded"), 1, probeCaller},
		"kms ThrottlingException 400":       {"kms:DescribeKey", apiError("kms", 400, "ThrottlingException", "Rate exceeded"), 1, probeKeyMeta},
		"ec2 RequestLimitExceeded 503":      {"ec2:DescribeSubnets", apiError("ec2", 503, "RequestLimitExceeded", "Request limit exceeded."), 1, probeSubnet},
		"organizations TooManyRequests":     {"organizations:DescribeOrganization", apiError("organizations", 400, "TooManyRequestsException", "AWS Organizations can't complete your request because another request is already in progress."), 1, probeOrg},
		"a 500 InternalError is retried":    {"s3:GetBucketOwnershipControls", apiError("s3", 500, "InternalError", "We encountered an internal error."), 1, probeOwnership},
		"a second throttle is also retried": {"kms:GetKeyPolicy", apiError("kms", 400, "ThrottlingException", "Rate exceeded"), 2, probeKeyPolicy},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			success := f.handlers[tc.op]
			f.on(tc.op, func(n int, r request) reply {
				if n <= tc.throttles {
					return tc.reply
				}
				return success(n, r)
			})
			status, reason := tc.probe(context.Background(), newTestLookup(t, f))
			if status != Found {
				t.Errorf("got %s %q, want found after a retry", status, reason)
			}
			if n := f.count(tc.op); n != tc.throttles+1 {
				t.Errorf("%s requests = %d, want %d", tc.op, n, tc.throttles+1)
			}
		})
	}
}

func TestThrottlingRetriesExhausted(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	f.on("s3:GetBucketPolicy", fails("s3", 503, "SlowDown", "Please reduce your request rate."))
	b := newTestLookup(t, f).Bucket(context.Background(), bucketName)

	const want = "s3:GetBucketPolicy on arn:aws:s3:::sales-data was throttled (SlowDown); retries exhausted after 3 attempts"
	if b.Policy.Status != Unknown || b.Policy.Reason != want {
		t.Errorf("policy = %s %q, want unknown %q", b.Policy.Status, b.Policy.Reason, want)
	}
	if n := f.count("s3:GetBucketPolicy"); n != 3 {
		t.Errorf("requests = %d, want the SDK's standard 3 attempts", n)
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	slow := reply{status: 200, body: `{}`, delay: 5 * time.Second}
	f.on("kms:DescribeKey", func(int, request) reply { return slow })
	l := newTestLookup(t, f, func(o *Options) { o.Timeout = 150 * time.Millisecond })

	start := time.Now()
	k := l.Key(context.Background(), keyARN)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("lookup took %s; the per-call timeout should have stopped it", elapsed)
	}
	const want = "kms:DescribeKey on " + keyARN + " timed out after 150ms"
	if k.Metadata.Status != Unknown || k.Metadata.Reason != want {
		t.Errorf("metadata = %s %q, want unknown %q", k.Metadata.Status, k.Metadata.Reason, want)
	}
	if k.Policy.Status != Unknown || k.Grants.Status != Unknown {
		t.Errorf("policy %s, grants %s: want unknown after DescribeKey timed out", k.Policy.Status, k.Grants.Status)
	}
}

func TestMalformedResponses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		op     string
		reply  reply
		probe  probe
		reason string
	}{
		"s3 garbage xml": {
			op: "s3:GetBucketOwnershipControls", reply: reply{status: 200, body: `<OwnershipControls><Rule><ObjectOwnership>Bucket`}, probe: probeOwnership,
			reason: "s3:GetBucketOwnershipControls on arn:aws:s3:::sales-data returned a malformed response",
		},
		"s3 html instead of xml": {
			op: "s3:GetBucketRequestPayment", reply: reply{status: 200, body: `<html><body>captive portal</body></html>`}, probe: probePayer,
			reason: "s3:GetBucketRequestPayment on arn:aws:s3:::sales-data returned a malformed response",
		},
		"s3 payer outside the enum": {
			op: "s3:GetBucketRequestPayment", reply: reply{status: 200, body: `<RequestPaymentConfiguration ` + s3NS + `><Payer>Someone</Payer></RequestPaymentConfiguration>`}, probe: probePayer,
			reason: `s3:GetBucketRequestPayment on arn:aws:s3:::sales-data returned an unexpected payer "Someone"`,
		},
		"s3 empty body is not us-east-1": {
			op: "s3:GetBucketLocation", reply: reply{status: 200, body: ``}, probe: probeRegion,
			reason: "s3:GetBucketLocation on arn:aws:s3:::sales-data returned a malformed response",
		},
		"s3 foreign document is not us-east-1": {
			op: "s3:GetBucketLocation", reply: reply{status: 200, body: `<Error><Code>Nope</Code></Error>`}, probe: probeRegion,
			reason: "s3:GetBucketLocation on arn:aws:s3:::sales-data returned a malformed response",
		},
		"s3 public access block with a switch missing": {
			op: "s3:GetPublicAccessBlock", reply: reply{status: 200, body: `<PublicAccessBlockConfiguration ` + s3NS + `><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>`}, probe: probePAB,
			reason: "s3:GetBucketPublicAccessBlock on arn:aws:s3:::sales-data returned an incomplete configuration",
		},
		"s3 policy that is not json": {
			op: "s3:GetBucketPolicy", reply: reply{status: 200, body: `Version: 2012-10-17`}, probe: probePolicy,
			reason: "s3:GetBucketPolicy on arn:aws:s3:::sales-data returned a malformed policy",
		},
		"s3 encryption rule without algorithm": {
			op: "s3:GetBucketEncryption", reply: reply{status: 200, body: `<ServerSideEncryptionConfiguration ` + s3NS + `><Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`}, probe: probeEncryption,
			reason: "s3:GetEncryptionConfiguration on arn:aws:s3:::sales-data returned a rule without an algorithm",
		},
		"kms garbage json": {
			op: "kms:DescribeKey", reply: reply{status: 200, body: `{"KeyMetadata": {"Arn": `}, probe: probeKeyMeta,
			reason: "kms:DescribeKey on " + keyARN + " returned a malformed response",
		},
		"kms wrong json type": {
			op: "kms:DescribeKey", reply: reply{status: 200, body: `{"KeyMetadata": {"Enabled": "yes"}}`}, probe: probeKeyMeta,
			reason: "kms:DescribeKey on " + keyARN + " returned a malformed response",
		},
		"kms key policy that is not json": {
			op: "kms:GetKeyPolicy", reply: reply{status: 200, body: `{"Policy":"not a policy","PolicyName":"default"}`}, probe: probeKeyPolicy,
			reason: "kms:GetKeyPolicy on " + keyARN + " returned a malformed policy",
		},
		"iam truncated xml": {
			op: "iam:GetRole", reply: reply{status: 200, body: `<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Arn>arn:aws`}, probe: probeRole,
			reason: "iam:GetRole on " + roleARN + " returned a malformed response",
		},
		"iam policy document with a broken escape": {
			op: "iam:GetRolePolicy", reply: reply{status: 200, body: iamResponse("GetRolePolicy", `<RoleName>glue-etl</RoleName><PolicyName>read-data</PolicyName><PolicyDocument>%7B%zz</PolicyDocument>`)}, probe: probeInlineDoc,
			reason: "iam:GetRolePolicy on " + roleARN + " returned a malformed policy document",
		},
		"ec2 empty answer is not a missing subnet": {
			op: "ec2:DescribeSubnets", reply: reply{status: 200, body: ec2Response("DescribeSubnets", `<subnetSet/>`)}, probe: probeSubnet,
			reason: "ec2:DescribeSubnets on " + subnetID + " returned no matching subnet",
		},
		"ec2 garbage": {
			op: "ec2:DescribeSubnets", reply: reply{status: 200, body: `not xml at all`}, probe: probeSubnet,
			reason: "ec2:DescribeSubnets on " + subnetID + " returned a malformed response",
		},
		"ec2 endpoint without a policy": {
			op: "ec2:DescribeVpcEndpoints", reply: reply{status: 200, body: ec2Response("DescribeVpcEndpoints", `<vpcEndpointSet><item><vpcEndpointId>vpce-1</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>`+vpcID+`</vpcId><serviceName>com.amazonaws.eu-west-1.s3</serviceName></item></vpcEndpointSet>`)}, probe: probeEndpoints,
			reason: "ec2:DescribeVpcEndpoints on " + vpcID + " returned a malformed response (no JSON policy for vpce-1)",
		},
		"organizations garbage": {
			op: "organizations:DescribeOrganization", reply: reply{status: 200, body: `[1,2,3]`}, probe: probeOrg,
			reason: "organizations:DescribeOrganization returned a malformed response",
		},
		"organizations parent loop": {
			op: "organizations:ListParents", reply: reply{status: 200, body: `{"Parents":[{"Id":"ou-ab12-cdef3456","Type":"ORGANIZATIONAL_UNIT"}]}`}, probe: probePath,
			reason: "organizations:ListParents from " + acct + " did not reach a root",
		},
		"sts without an account": {
			op: "sts:GetCallerIdentity", reply: reply{status: 200, body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult></GetCallerIdentityResult></GetCallerIdentityResponse>`}, probe: probeCaller,
			reason: "sts:GetCallerIdentity returned no account id",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			f.on(tc.op, func(int, request) reply { return tc.reply })
			status, reason := tc.probe(context.Background(), newTestLookup(t, f))
			if status != Unknown || reason != tc.reason {
				t.Errorf("got %s %q, want unknown %q", status, reason, tc.reason)
			}
		})
	}
}

func TestReasonsNeverCarryCredentials(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	// A hostile or confused server echoes the signature material back.
	f.on("s3:GetBucketPolicy", func(_ int, r request) reply {
		return apiError("s3", 400, "SignatureDoesNotMatch",
			"The request signature we calculated does not match. Credential="+fakeKeyID+"/20260101/eu-west-1/s3/aws4_request secret "+fakeSecret+" key "+fakeKeyID)
	})
	b := newTestLookup(t, f).Bucket(context.Background(), bucketName)

	if b.Policy.Status != Unknown {
		t.Fatalf("policy = %s, want unknown", b.Policy.Status)
	}
	for _, secret := range []string{fakeKeyID, fakeSecret} {
		if strings.Contains(b.Policy.Reason, secret) || strings.Contains(b.Policy.Source, secret) {
			t.Errorf("reason %q leaks a credential", b.Policy.Reason)
		}
	}
	if !strings.Contains(b.Policy.Reason, "SignatureDoesNotMatch") {
		t.Errorf("reason %q should still name the error code", b.Policy.Reason)
	}
}
