package access

import (
	"slices"
	"strings"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

const (
	keyARN      = "arn:aws:kms:" + region + ":" + acctA + ":key/1111aaaa-11aa-11aa-11aa-111111aaaaaa"
	crossKeyARN = "arn:aws:kms:" + region + ":" + acctB + ":key/2222bbbb-22bb-22bb-22bb-222222bbbbbb"
	// rootDelegation is the standard key-policy statement enabling IAM policies.
	rootDelegation = `{"Sid":"EnableIAM","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"kms:*","Resource":"*"}`
	adminOnly      = `{"Sid":"Admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:role/admin"},"Action":"kms:*","Resource":"*"}`
)

// kmsTemp encrypts etl-tmp by default with the key keyARN, whose policy is
// given (nil = default key policy), and grants the role kms on it.
func kmsTemp(keyPolicy *string, mods ...func(*KMSKey)) []mod {
	return []mod{
		editBucket("etl-tmp", func(b *Bucket) {
			b.SSEAlgorithm = fact(SSEKMS, "aws_s3_bucket_server_side_encryption_configuration.tmp")
			b.SSEKMSKeyID = fact(keyARN, "aws_s3_bucket_server_side_encryption_configuration.tmp")
		}),
		addRolePolicy("aws_iam_role_policy.kms", allow(acts("kms:Decrypt", "kms:GenerateDataKey"), keyARN)),
		func(f *Facts) {
			k := KMSKey{ARN: fact(keyARN, "aws_kms_key.data"), Address: "aws_kms_key.data", KeyID: "1111aaaa-11aa-11aa-11aa-111111aaaaaa",
				Account: fact(acctA, "aws_kms_key.data"), Enabled: fact(true, "aws_kms_key.data")}
			if keyPolicy != nil {
				d := doc("aws_kms_key.data", *keyPolicy)
				k.Policy = &d
			}
			for _, m := range mods {
				m(&k)
			}
			f.Keys = append(f.Keys, k)
		},
	}
}

func ptr(s string) *string { return &s }

func TestGA005(t *testing.T) {
	t.Parallel()
	runCases(t, GA005, []caseT{
		{
			name:  "a key policy without root delegation or a statement for the role denies",
			facts: with(kmsTemp(ptr(policy(adminOnly)))...),
			want: want{verdict: Deny, reason: ReasonKeyPolicyNoAllow, layer: "kms-key-policy", policy: "aws_kms_key.data", index: -1,
				target: TargetKeyPolicy, needs: []string{"kms:Decrypt", "kms:GenerateDataKey"}},
		},
		{
			name: "a key-policy statement whose kms:ViaService names another service does not allow S3's calls",
			facts: with(kmsTemp(ptr(policy(adminOnly,
				`{"Sid":"GlueOnly","Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"glue.`+region+`.amazonaws.com"}}}`)))...),
			want: want{verdict: Deny, reason: ReasonKeyPolicyNoAllow, layer: "kms-key-policy", target: TargetKeyPolicy, needs: []string{"kms:GenerateDataKey"}},
		},
		{
			name:  "the default key policy delegates to IAM, and the role's policy has no kms statement",
			facts: with(append(kmsTemp(nil), func(f *Facts) { f.Role.Inline = f.Role.Inline[:1] })...),
			want: want{verdict: Deny, reason: ReasonIAMNoKMS, layer: "identity", policy: "aws_iam_role.glue", index: -1,
				target: TargetIdentity, needs: []string{"kms:Decrypt", "kms:GenerateDataKey"}},
		},
		{
			name: "objects under another account's aws/s3 key cannot be read",
			facts: with(append(crossAccountRead(func(b *Bucket) {
				b.SSEAlgorithm = fact(SSEKMS, "aws_s3_bucket_server_side_encryption_configuration.shared")
				b.SSEKMSKeyID = fact("", "aws_s3_bucket_server_side_encryption_configuration.shared")
			}), bucketPolicy("shared-data", grantRoleOnShared))...),
			want: want{verdict: Deny, reason: ReasonAWSManagedKeyCross, layer: "kms-key-policy", target: TargetBucketSetting, needs: []string{"kms:Decrypt"}},
		},
		{
			name: "a security configuration key in another account whose policy does not name the job's account",
			facts: with(func(f *Facts) {
				f.Job.SecurityConfiguration = &SecurityConfiguration{Name: "sc-kms", Address: "aws_glue_security_configuration.kms",
					S3EncryptionMode: fact(S3EncryptionSSEKMS, "aws_glue_security_configuration.kms"), S3KMSKeyARN: fact(crossKeyARN, "aws_glue_security_configuration.kms")}
				d := doc("aws_kms_key.central", policy(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctB+`:root"},"Action":"kms:*","Resource":"*"}`))
				f.Keys = append(f.Keys, KMSKey{ARN: fact(crossKeyARN, "aws_kms_key.central"), Address: "aws_kms_key.central", Account: fact(acctB, "aws_kms_key.central"), Policy: &d})
			}, addRolePolicy("aws_iam_role_policy.kms", allow(acts("kms:Decrypt", "kms:GenerateDataKey"), crossKeyARN))),
			want: want{verdict: Deny, reason: ReasonCrossAccountKey, layer: "kms-key-policy", policy: "aws_kms_key.central", index: -1,
				target: TargetKeyPolicy, needs: []string{"kms:GenerateDataKey"}},
		},
		{
			name: "a grant to the role stands in for a key-policy statement",
			facts: with(kmsTemp(ptr(policy(adminOnly)), func(k *KMSKey) {
				k.Grants = []KMSGrant{{Label: "aws_kms_grant.glue", GranteePrincipal: fact(roleARN, "aws_kms_grant.glue"), Operations: []string{"Decrypt", "GenerateDataKey"}}}
			})...),
		},
		{
			name: "the same account's aws/s3 key needs no kms statement",
			facts: with(editBucket("etl-tmp", func(b *Bucket) {
				b.SSEAlgorithm = fact(SSEKMS, "aws_s3_bucket_server_side_encryption_configuration.tmp")
				b.SSEKMSKeyID = fact("", "aws_s3_bucket_server_side_encryption_configuration.tmp")
			})),
		},
		{
			name:  "root delegation plus an IAM allow on the key is allowed",
			facts: with(kmsTemp(ptr(policy(rootDelegation)))...),
		},
		{
			name: "a bucket key that is not in the plan is unknown",
			facts: with(editBucket("etl-tmp", func(b *Bucket) {
				b.SSEAlgorithm = fact(SSEKMS, "aws_s3_bucket_server_side_encryption_configuration.tmp")
				b.SSEKMSKeyID = fact(keyARN, "aws_s3_bucket_server_side_encryption_configuration.tmp")
			})),
			want: want{verdict: UnknownVerd, reason: ReasonKeyUnknown},
		},
	})
}

// kmsNeeds lists "action key url" of a report's KMS needs.
func kmsNeeds(rep *JobReport) []string {
	var out []string
	for _, n := range rep.Needs {
		// Required ones only: the advisory kms:Encrypt has its own test.
		if n.Key != "" && n.Required {
			out = append(out, n.Action+" "+n.Key+" "+n.URL)
		}
	}
	return out
}

func TestKeySelection(t *testing.T) {
	t.Parallel()
	kmsBucket := editBucket("etl-tmp", func(b *Bucket) {
		b.SSEAlgorithm = fact(SSEKMS, "aws_s3_bucket_server_side_encryption_configuration.tmp")
		b.SSEKMSKeyID = fact(keyARN, "aws_s3_bucket_server_side_encryption_configuration.tmp")
	})
	key := func(f *Facts) {
		f.Keys = append(f.Keys, KMSKey{ARN: fact(keyARN, "aws_kms_key.data"), Address: "aws_kms_key.data", KeyID: "1111aaaa-11aa-11aa-11aa-111111aaaaaa",
			Account: fact(acctA, "aws_kms_key.data"), Aliases: []string{"alias/etl"}})
	}
	script := func(sse SSEAlgorithm, keyID string) mod {
		return func(f *Facts) {
			f.Objects = append(f.Objects, S3Object{Address: "aws_s3_object.script", Bucket: "etl-scripts", Key: "jobs/etl.py",
				SSEAlgorithm: fact(sse, "aws_s3_object.script"), KMSKeyID: fact(keyID, "aws_s3_object.script"), WriterAccount: fact(acctA, "provider.aws")})
		}
	}
	sc := func(mode Value[S3EncryptionMode], k string) mod {
		return func(f *Facts) {
			f.Job.SecurityConfiguration = &SecurityConfiguration{Name: "sc", S3EncryptionMode: mode, S3KMSKeyARN: fact(k, "aws_glue_security_configuration.sc")}
		}
	}
	tests := []struct {
		name string
		f    *Facts
		want []string
	}{
		{name: "the bucket default key protects TempDir reads and writes", f: with(kmsBucket, key),
			want: []string{"kms:Decrypt " + keyARN + " s3://etl-tmp/glue/", "kms:GenerateDataKey " + keyARN + " s3://etl-tmp/glue/"}},
		{name: "a script object written with a key by alias needs Decrypt on that key", f: with(key, script(SSEKMS, "alias/etl")),
			want: []string{"kms:Decrypt " + keyARN + " s3://etl-scripts/jobs/etl.py"}},
		{name: "a script object with AES256 needs no key even in a KMS bucket", f: with(key, script(SSEAES256, ""), editBucket("etl-scripts", func(b *Bucket) {
			b.SSEAlgorithm = fact(SSEKMS, "x")
			b.SSEKMSKeyID = fact(keyARN, "x")
		}))},
		{name: "an SSE-S3 security configuration overrides a KMS bucket default", f: with(kmsBucket, key, sc(fact(S3EncryptionSSES3, "aws_glue_security_configuration.sc"), ""))},
		{name: "an SSE-KMS security configuration by alias ARN", f: with(key, sc(fact(S3EncryptionSSEKMS, "aws_glue_security_configuration.sc"), "arn:aws:kms:"+region+":"+acctA+":alias/etl")),
			want: []string{"kms:Decrypt " + keyARN + " s3://etl-tmp/glue/", "kms:GenerateDataKey " + keyARN + " s3://etl-tmp/glue/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := kmsNeeds(Check(tt.f, Options{})); !sameSet(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("an unknown security configuration mode is unknown", func(t *testing.T) {
		t.Parallel()
		rep := Check(with(sc(Unknown[S3EncryptionMode](Provenance{Address: "aws_glue_security_configuration.sc"}), "")), Options{})
		if got := findingOf(rep, GA005); got == nil || got.Reason != ReasonKeyUnknown {
			t.Fatalf("want GA005 key-unknown, got %s", dump(rep.Findings))
		}
	})
}

func TestBucketKeysChangeTheEncryptionContext(t *testing.T) {
	t.Parallel()
	ctxPolicy := policy(adminOnly, `{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::etl-tmp/*"}}}`)
	rep := Check(with(kmsTemp(ptr(ctxPolicy))...), Options{})
	if rep.Verdict != JobAllowed {
		t.Fatalf("object-ARN context should match without bucket keys: %s", dump(rep.Findings))
	}
	f := with(append(kmsTemp(ptr(ctxPolicy)), editBucket("etl-tmp", func(b *Bucket) { b.BucketKeyEnabled = fact(true, "x") }))...)
	rep = Check(f, Options{})
	got := findingOf(rep, GA005)
	if got == nil || got.Verdict != Deny || got.Reason != ReasonEncryptionContext || got.Fix.Target != TargetKeyPolicy {
		t.Fatalf("with bucket keys the context is the bucket ARN: want encryption-context-mismatch, got %s", dump(rep.Findings))
	}
	if after := Check(applyAll(t, f, rep), Options{}); after.Verdict != JobAllowed {
		t.Fatalf("fix did not allow: %s", dump(after.Findings))
	}
}

// TestKMSEncryptIsAdvisory: S3 never calls kms:Encrypt for SSE-KMS uploads
// (docs/model.md#kms-needs), so a role without it is allowed; the gap is a note and the
// need is listed as not required.
func TestKMSEncryptIsAdvisory(t *testing.T) {
	t.Parallel()
	rep := Check(with(kmsTemp(nil)...), Options{})
	if rep.Verdict != JobAllowed {
		t.Fatalf("want allowed, got %s: %s", rep.Verdict, dump(rep.Findings))
	}
	var need *Need
	for i := range rep.Needs {
		if rep.Needs[i].Action == "kms:Encrypt" {
			need = &rep.Needs[i]
		}
	}
	if need == nil || need.Required || need.Key != keyARN || need.Intent != OriginTemp {
		t.Fatalf("want an advisory kms:Encrypt need on %s for the temp writes, got %s", keyARN, dump(rep.Needs))
	}
	want := ActionGap{Kind: "advisory", Action: "kms:Encrypt", Resource: keyARN, Decision: "ImplicitlyDenied", Layer: "identity"}
	if !slices.Contains(rep.ActionGaps, want) {
		t.Fatalf("want action gap %+v, got %s", want, dump(rep.ActionGaps))
	}
}

// TestViaServiceRegionNotKnown: with neither the job's nor the bucket's
// Region known, kms:ViaService is not known either; a key policy that
// conditions on it cannot be decided.
func TestViaServiceRegionNotKnown(t *testing.T) {
	t.Parallel()
	viaS3 := policy(adminOnly, `{"Sid":"ViaS3","Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.`+region+`.amazonaws.com"}}}`)
	f := with(append(kmsTemp(ptr(viaS3)), func(f *Facts) {
		f.Job.Region = Value[string]{}
		for i := range f.Buckets {
			f.Buckets[i].Region = Value[string]{}
		}
	})...)
	rep := Check(f, Options{})
	got := findingOf(rep, GA005)
	if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonConditionUnknown {
		t.Fatalf("want GA005 unknown on kms:ViaService, got %s", dump(rep.Findings))
	}
}

// TestBucketKeysNotKnown: on a bucket this plan does not create, whether S3
// Bucket Keys are on is not known unless supplied, and with it the
// encryption context a key policy may test.
func TestBucketKeysNotKnown(t *testing.T) {
	t.Parallel()
	ctxPolicy := policy(adminOnly, `{"Effect":"Allow","Principal":{"AWS":"`+roleARN+`"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::etl-tmp/*"}}}`)
	f := with(append(kmsTemp(ptr(ctxPolicy)), editBucket("etl-tmp", func(b *Bucket) {
		b.CreatedInPlan = false
		b.ObjectOwnership = fact(OwnershipBucketOwnerEnforced, "aws_s3_bucket_ownership_controls.tmp")
	}))...)
	rep := Check(f, Options{})
	got := findingOf(rep, GA005)
	if got == nil || got.Verdict != UnknownVerd || got.Reason != ReasonConditionUnknown {
		t.Fatalf("want GA005 unknown on the encryption context, got %s", dump(rep.Findings))
	}
}

// TestKeyARNPlaceholderFix: a key the plan creates has no ARN until apply;
// the identity fix cannot name the stand-in ARN, so it allows the key use
// through S3 in the Region instead.
func TestKeyARNPlaceholderFix(t *testing.T) {
	t.Parallel()
	f := with(append(kmsTemp(nil, func(k *KMSKey) { k.ARNPlaceholder = true }), func(f *Facts) { f.Role.Inline = f.Role.Inline[:1] })...)
	runCases(t, GA005, []caseT{{name: "default key policy, no kms statement on the role", facts: f,
		want: want{verdict: Deny, reason: ReasonIAMNoKMS, layer: "identity", target: TargetIdentity, needs: []string{"kms:Decrypt", "kms:GenerateDataKey"}}}})
	rep := Check(f, Options{})
	fx := findingOf(rep, GA005).Fix
	if len(fx.Statements) != 1 || strings.Contains(string(fx.Statements[0]), keyARN) ||
		!strings.Contains(string(fx.Statements[0]), `"kms:ViaService":"s3.`+region+`.amazonaws.com"`) {
		t.Fatalf("want one statement on Resource * conditioned on kms:ViaService, got %s", dump(fx))
	}
}

// TestGrantWithUnknownGrantee: a grant whose grantee is not known until
// apply may be the role's; it can only allow, so it turns a KMS deny it could
// lift into unknown and changes nothing else.
func TestGrantWithUnknownGrantee(t *testing.T) {
	t.Parallel()
	grant := func(ops ...string) func(*KMSKey) {
		return func(k *KMSKey) {
			k.Grants = append(k.Grants, KMSGrant{Label: "aws_kms_grant.glue", Operations: ops,
				GranteePrincipal: Unknown[string](Provenance{Address: "aws_kms_grant.glue", Attribute: "grantee_principal"})})
		}
	}
	denyRole := `{"Sid":"NoEtl","Effect":"Deny","Principal":{"AWS":"` + roleARN + `"},"Action":"kms:*","Resource":"*"}`
	tests := []struct {
		name    string
		facts   *Facts
		verdict Verdict // of the GA005 finding; "" = none
		reason  string
	}{
		{name: "a grant covering the operations makes a missing key-policy allow unknown",
			facts: with(kmsTemp(ptr(policy(adminOnly)), grant("Decrypt", "GenerateDataKey"))...), verdict: UnknownVerd, reason: ReasonPolicyUnknown},
		{name: "a grant covering the operations makes a missing IAM allow unknown",
			facts: with(append(kmsTemp(nil, grant("Decrypt", "GenerateDataKey")), func(f *Facts) { f.Role.Inline = f.Role.Inline[:1] })...), verdict: UnknownVerd, reason: ReasonPolicyUnknown},
		{name: "a grant for other operations leaves the deny",
			facts: with(kmsTemp(ptr(policy(adminOnly)), grant("Encrypt"))...), verdict: Deny, reason: ReasonKeyPolicyNoAllow},
		{name: "a grant cannot lift an explicit deny",
			facts: with(kmsTemp(ptr(policy(rootDelegation, denyRole)), grant("Decrypt", "GenerateDataKey"))...), verdict: Deny, reason: ReasonExplicitDeny},
		{name: "a grant cannot deny what the key policy allows",
			facts: with(kmsTemp(ptr(policy(rootDelegation)), grant("Decrypt", "GenerateDataKey"))...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := Check(tt.facts, Options{})
			got := findingOf(rep, GA005)
			if tt.verdict == "" {
				if got != nil || rep.Verdict != JobAllowed {
					t.Fatalf("want the job allowed, got %s: %s", rep.Verdict, dump(rep.Findings))
				}
				return
			}
			if got == nil || got.Verdict != tt.verdict || got.Reason != tt.reason {
				t.Fatalf("want GA005 %s/%s, got %s", tt.verdict, tt.reason, dump(rep.Findings))
			}
			if tt.verdict == UnknownVerd {
				if len(got.Missing) != 1 || !strings.Contains(got.Missing[0].Fact, "aws_kms_grant.glue") || !strings.Contains(got.Because, "aws_kms_grant.glue") {
					t.Fatalf("the unknown must name the grant: %s", dump(got))
				}
				if rep.Verdict != JobUnknown {
					t.Fatalf("job %s, want unknown", rep.Verdict)
				}
			}
		})
	}
}

// TestKMSKeyInAnotherRegionIsNoted: S3 uses only keys in the bucket's Region
// (docs/model.md#kms-needs). The failure is a KMS error rather than a 403, so a key of
// another Region is a note, and the permission decision is unchanged; a
// bucket whose Region is not known, or a key ARN whose Region field is not a
// Region name, gives no note.
func TestKMSKeyInAnotherRegionIsNoted(t *testing.T) {
	t.Parallel()
	const other = "us-east-1"
	wantNote := "KMS key " + keyARN + " is in Region " + region + " but bucket etl-tmp is in " + other + ": S3 uses only keys in the bucket's Region, so requests under it fail"
	tests := map[string]struct {
		bucketRegion Value[string]
		note         bool
	}{
		"bucket in another Region":    {fact(other, "aws_s3_bucket.tmp"), true},
		"bucket in the key's Region":  {fact(region, "aws_s3_bucket.tmp"), false},
		"bucket Region not known yet": {Value[string]{}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := with(append(kmsTemp(ptr(policy(rootDelegation))), editBucket("etl-tmp", func(b *Bucket) { b.Region = tc.bucketRegion }))...)
			rep := Check(f, Options{})
			if rep.Verdict != JobAllowed {
				t.Fatalf("the Region note must not change the decision: %s: %s", rep.Verdict, dump(rep.Findings))
			}
			got := false
			for _, n := range rep.Notes {
				got = got || n == wantNote
			}
			if got != tc.note {
				t.Fatalf("note %q present = %v, want %v; notes: %s", wantNote, got, tc.note, dump(rep.Notes))
			}
		})
	}
}

func TestKeyARNRegion(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		arn, region string
		ok          bool
	}{
		"key":                 {keyARN, region, true},
		"alias":               {"arn:aws:kms:us-gov-east-1:" + acctA + ":alias/data", "us-gov-east-1", true},
		"china partition":     {"arn:aws-cn:kms:cn-north-1:" + acctA + ":key/k", "cn-north-1", true},
		"placeholder Region":  {"arn:aws:kms:${region}:" + acctA + ":key/k", "", false},
		"empty Region":        {"arn:aws:kms::" + acctA + ":key/k", "", false},
		"upper-case Region":   {"arn:aws:kms:EU-WEST-1:" + acctA + ":key/k", "", false},
		"no number":           {"arn:aws:kms:eu-west:" + acctA + ":key/k", "", false},
		"not a KMS ARN":       {"arn:aws:s3:::etl-tmp", "", false},
		"bare key id":         {"1111aaaa-11aa-11aa-11aa-111111aaaaaa", "", false},
		"double hyphen":       {"arn:aws:kms:eu--1:" + acctA + ":key/k", "", false},
		"number in the words": {"arn:aws:kms:eu-west2-1:" + acctA + ":key/k", "", false},
	}
	for name, tc := range tests {
		if got, ok := awsid.KMSKeyRegion(tc.arn); got != tc.region || ok != tc.ok {
			t.Errorf("%s: KMSKeyRegion(%q) = %q, %v; want %q, %v", name, tc.arn, got, ok, tc.region, tc.ok)
		}
	}
}

// TestCompiledHandsOverEveryParse: Options.Compiled receives each document
// the checks compile, once, as the very PolicyDoc of the facts (so a caller
// can find it by pointer) and with the kind it was parsed as.
func TestCompiledHandsOverEveryParse(t *testing.T) {
	t.Parallel()
	f := with(kmsTemp(ptr(policy(rootDelegation)))...)
	type got struct {
		doc  *PolicyDoc
		kind iam.Kind
	}
	var calls []got
	Check(f, Options{Compiled: func(d *PolicyDoc, k iam.Kind, p *iam.Policy) {
		if p == nil || p.Label != d.label() {
			t.Errorf("%s handed over as %+v", d.label(), p)
		}
		calls = append(calls, got{d, k})
	}})
	want := []got{{f.Keys[0].Policy, iam.KindKeyPolicy}}
	for i := range f.Role.Inline {
		want = append(want, got{&f.Role.Inline[i], iam.KindIdentity})
	}
	for _, w := range want {
		n := 0
		for _, c := range calls {
			if c == w {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s (kind %d) handed over %d times, want once; calls: %d", w.doc.label(), w.kind, n, len(calls))
		}
	}
}
