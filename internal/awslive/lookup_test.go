package awslive

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata"
)

// failingTransport fails the test on any request.
type failingTransport struct{ t *testing.T }

func (f failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("request left the process with live lookups off: %s %s", r.Method, r.URL)
	return nil, http.ErrNotSupported
}

func TestDisabledSendsNothing(t *testing.T) {
	// Not parallel: sets environment variables. A profile that does not
	// exist would make configuration loading fail, so succeeding proves it
	// was never attempted.
	t.Setenv("AWS_PROFILE", "glueaccess-test-no-such-profile")
	client := &http.Client{Transport: failingTransport{t}}
	fromNew, err := New(context.Background(), Options{
		Profile:     "glueaccess-test-no-such-profile",
		EndpointURL: "http://127.0.0.1:1",
		HTTPClient:  client,
	})
	if err != nil {
		t.Fatalf("New with lookups off: %v", err)
	}
	var nilLookup *Lookup
	lookups := map[string]*Lookup{"New without Enabled": fromNew, "Disabled()": Disabled(), "nil": nilLookup, "zero value": {}}
	ctx := context.Background()
	for name, l := range lookups {
		t.Run(name, func(t *testing.T) {
			if l.Enabled() {
				t.Fatal("Enabled() = true")
			}
			b := l.Bucket(ctx, bucketName)
			k := l.Key(ctx, keyARN)
			r := l.Role(ctx, roleARN)
			n := l.Network(ctx, subnetID)
			o := l.Organization(ctx, acct)
			facts := map[string]Fact[struct{}]{
				"bucket region": erase(b.Region), "bucket policy": erase(b.Policy), "ownership": erase(b.ObjectOwnership),
				"payer": erase(b.RequestPayer), "encryption": erase(b.Encryption), "public access": erase(b.PublicAccessBlock),
				"key metadata": erase(k.Metadata), "key policy": erase(k.Policy), "grants": erase(k.Grants),
				"role": erase(r.Role), "inline": erase(r.Inline), "attached": erase(r.Attached), "boundary": erase(r.Boundary),
				"subnet": erase(n.Subnet), "route table": erase(n.RouteTable), "endpoints": erase(n.Endpoints),
				"organization": erase(o.Organization), "path": erase(o.Path),
				"caller": erase(l.CallerAccount(ctx)),
			}
			for what, f := range facts {
				if f.Status != Unknown || f.Reason != OffReason || !strings.HasSuffix(f.Source, "(live)") {
					t.Errorf("%s = %s %q from %q, want unknown %q with its source", what, f.Status, f.Reason, f.Source, OffReason)
				}
			}
		})
	}
}

// erase keeps a fact's status, reason and source.
func erase[T any](f Fact[T]) Fact[struct{}] {
	return Fact[struct{}]{Status: f.Status, Reason: f.Reason, Source: f.Source}
}

func TestEachFactIsLookedUpOnce(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	l := newTestLookup(t, f)
	ctx := context.Background()

	first := l.Bucket(ctx, bucketName)
	before := f.total()
	second := l.Bucket(ctx, bucketName)
	if f.total() != before {
		t.Errorf("second Bucket sent %d more requests, want 0", f.total()-before)
	}
	if first.Policy != second.Policy {
		t.Errorf("cached policy differs: %v vs %v", first.Policy, second.Policy)
	}

	// Concurrent askers share the in-flight call.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if k := l.Key(ctx, keyARN); k.Policy.Status != Found {
				t.Errorf("key policy = %s", k.Policy)
			}
		})
	}
	wg.Wait()
	for _, op := range []string{"s3:GetBucketPolicy", "s3:GetBucketLocation", "kms:DescribeKey", "kms:GetKeyPolicy"} {
		if n := f.count(op); n != 1 {
			t.Errorf("%s requests = %d, want 1", op, n)
		}
	}
	// Key and Role both need the caller's account: one STS call.
	l.Role(ctx, roleARN)
	if n := f.count("sts:GetCallerIdentity"); n != 1 {
		t.Errorf("sts:GetCallerIdentity requests = %d, want 1", n)
	}
}

func TestFailuresAreCachedToo(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	f.on("iam:GetRole", fails("iam", 403, "AccessDenied", "denied"))
	l := newTestLookup(t, f)
	for range 3 {
		if r := l.Role(context.Background(), roleARN); r.Role.Status != Unknown {
			t.Fatalf("role = %s, want unknown", r.Role)
		}
	}
	if n := f.count("iam:GetRole"); n != 1 {
		t.Errorf("iam:GetRole requests = %d, want 1", n)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	var inFlight, peak atomic.Int32
	slow := func(h handler) handler {
		return func(n int, r request) reply {
			now := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if now <= p || peak.CompareAndSwap(p, now) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			return h(n, r)
		}
	}
	for _, op := range []string{"organizations:ListPoliciesForTarget", "organizations:DescribePolicy", "organizations:ListParents", "organizations:DescribeOrganization"} {
		f.on(op, slow(f.handlers[op]))
	}
	l := newTestLookup(t, f, func(o *Options) { o.Concurrency = 2 })
	o := l.Organization(context.Background(), acct)
	if o.Path.Status != Found {
		t.Fatalf("path = %s", o.Path)
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent requests = %d, want 2 (the bound, reached)", p)
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressLine(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		terminal bool
		want     *regexp.Regexp
	}{
		"drawn on a terminal, then erased": {
			terminal: true,
			want:     regexp.MustCompile(`^(\r\x1b\[Kglueaccess: AWS lookups: \d+ done, [1-9]\d* running)+\r\x1b\[K$`),
		},
		"silent elsewhere": {terminal: false, want: regexp.MustCompile(`^$`)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			f.on("sts:GetCallerIdentity", func(n int, r request) reply {
				rep := world()["sts:GetCallerIdentity"](n, r)
				rep.delay = 300 * time.Millisecond
				return rep
			})
			var out syncBuffer
			l := newTestLookup(t, f, func(o *Options) {
				o.Progress, o.IsTerminal, o.progressAfter = &out, tc.terminal, 50*time.Millisecond
			})
			if c := l.CallerAccount(context.Background()); c.Status != Found {
				t.Fatalf("caller = %s", c)
			}
			// The line is erased on the drawer's next tick.
			deadline := time.Now().Add(2 * time.Second)
			for tc.terminal && !strings.HasSuffix(out.String(), "\r\x1b[K") && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if got := out.String(); !tc.want.MatchString(got) {
				t.Errorf("progress output %q does not match %s", got, tc.want)
			}
		})
	}
}

func TestOptionsRejected(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		opts Options
		want string
	}{
		"negative concurrency": {Options{Enabled: true, Concurrency: -1}, "awslive: concurrency -1 must not be negative"},
		"negative timeout":     {Options{Enabled: true, Timeout: -time.Second}, "awslive: timeout -1s must not be negative"},
		"no region anywhere":   {Options{Enabled: true}, "awslive: no AWS Region: set the provider's region, AWS_REGION or a profile region"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := New(context.Background(), tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("New error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestUnknownProfileIsAnError(t *testing.T) {
	t.Parallel()
	_, err := New(context.Background(), Options{Enabled: true, Profile: "glueaccess-test-no-such-profile"})
	if err == nil || !strings.Contains(err.Error(), "glueaccess-test-no-such-profile") {
		t.Errorf("New error = %v, want one naming the profile", err)
	}
}

// TestPolicyCoversExactlyTheLookups runs every lookup and compares the
// actions named in the facts' sources with the printed policy, both ways,
// and checks every action exists in the embedded AWS action catalog.
func TestPolicyCoversExactlyTheLookups(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	l := newTestLookup(t, f)
	ctx := context.Background()
	b, k, r, n, o := l.Bucket(ctx, bucketName), l.Key(ctx, keyARN), l.Role(ctx, roleARN), l.Network(ctx, subnetID), l.Organization(ctx, acct)

	used := map[string]bool{}
	add := func(src string) { used[strings.Fields(src)[0]] = true }
	for _, s := range []string{b.Region.Source, b.Policy.Source, b.ObjectOwnership.Source, b.RequestPayer.Source, b.Encryption.Source,
		b.PublicAccessBlock.Source, k.Metadata.Source, k.Policy.Source, k.Grants.Source, r.Role.Source, r.Inline.Source,
		r.Attached.Source, n.Subnet.Source, n.RouteTable.Source, n.Endpoints.Source, o.Organization.Source, o.Path.Source} {
		add(s)
	}
	for _, p := range r.Inline.Value {
		add(p.Document.Source)
	}
	for _, p := range r.Attached.Value {
		if !p.AWSManaged {
			add(p.Document.Source) // iam:GetPolicyVersion
		}
	}
	add(source("iam:GetPolicy", "")) // precedes every GetPolicyVersion
	for _, node := range o.Path.Value {
		add(node.SCPs.Source)
		for _, p := range node.SCPs.Value {
			add(p.Content.Source)
		}
	}
	// GetCallerIdentity needs no permission.
	delete(used, "sts:GetCallerIdentity")

	doc, err := Policy("aws")
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Statement []struct {
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatalf("policy is not JSON: %v", err)
	}
	granted := map[string]bool{}
	for _, s := range parsed.Statement {
		for _, a := range s.Action {
			granted[a] = true
		}
	}
	if diff := symmetricDiff(used, granted); len(diff) > 0 {
		t.Errorf("policy and lookups differ: %v", diff)
	}
	for a := range granted {
		if _, known := awsdata.Action(a); !known {
			t.Errorf("%s is not in the AWS action catalog", a)
		}
	}
}

func symmetricDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, "used but not granted: "+k)
		}
	}
	for k := range b {
		if !a[k] {
			out = append(out, "granted but not used: "+k)
		}
	}
	sort.Strings(out)
	return out
}

func TestRunPolicy(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args     []string
		code     int
		contains string
		stderr   string
	}{
		"default partition":   {args: nil, code: 0, contains: `"Resource": "arn:aws:s3:::*"`},
		"china":               {args: []string{"-partition", "aws-cn"}, code: 0, contains: `"Resource": "arn:aws-cn:kms:*:*:key/*"`},
		"unknown partition":   {args: []string{"-partition", "azure"}, code: 2, stderr: `unknown partition "azure"`},
		"stray argument":      {args: []string{"extra"}, code: 2, stderr: `unexpected argument "extra"`},
		"help is not failure": {args: []string{"-h"}, code: 0, stderr: "usage: glueaccess aws-policy"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := RunPolicy(tc.args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.contains) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tc.contains)
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.stderr)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"access key id":         {"key AKIAIOSFODNN7EXAMPLE used", "key [redacted] used"},
		"session key id":        {"ASIAIOSFODNN7EXAMPLE", "[redacted]"},
		"secret key":            {"secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY!", "secret [redacted]!"},
		"signature header":      {"Signature=abc123def, next", "[redacted], next"},
		"arns survive":          {"arn:aws:s3:::sales-data/in/*", "arn:aws:s3:::sales-data/in/*"},
		"whitespace folds":      {"a\n\tb", "a b"},
		"long messages are cut": {strings.Repeat("ab ", 100), strings.TrimSpace(strings.Repeat("ab ", 100))[:maxMessage] + "..."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := redact(tc.in); got != tc.want {
				t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCancelledCallsAreNotCached(t *testing.T) {
	t.Parallel()
	f := newFakeAWS(t)
	l := newTestLookup(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if c := l.CallerAccount(ctx); c.Status != Unknown || c.Reason != "sts:GetCallerIdentity was cancelled" {
		t.Errorf("with a cancelled context: %s %q, want unknown %q", c.Status, c.Reason, "sts:GetCallerIdentity was cancelled")
	}
	if c := l.CallerAccount(context.Background()); c.Status != Found {
		t.Errorf("after a cancelled call: %s, want found (the cancellation must not be cached)", c)
	}
}

// TestDocumentedPolicy keeps docs/aws-lookups.md in step with the policy
// the command prints.
func TestDocumentedPolicy(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "aws-lookups.md"))
	if err != nil {
		t.Fatal(err)
	}
	policy, err := Policy("aws")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("```json\n"+string(policy)+"```")) {
		t.Errorf("docs/aws-lookups.md does not show the current policy; paste the output of `glueaccess aws-policy`")
	}
}

func TestFactString(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fact Fact[string]
		want string
	}{
		"found":     {found("x", "s3:GetBucketPolicy arn:aws:s3:::b (live)"), "found [s3:GetBucketPolicy arn:aws:s3:::b (live)]"},
		"not found": {notFound[string]("s3:GetBucketPolicy arn:aws:s3:::b (live)"), "not-found [s3:GetBucketPolicy arn:aws:s3:::b (live)]"},
		"unknown": {unknown[string]("s3:GetBucketPolicy arn:aws:s3:::b (live)", OffReason),
			"unknown: live lookups are off (use --aws) [s3:GetBucketPolicy arn:aws:s3:::b (live)]"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.fact.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBucketARNFollowsThePartition(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ region, want string }{
		"commercial": {"eu-west-1", "s3:GetBucketPolicy arn:aws:s3:::sales-data (live)"},
		"china":      {"cn-north-1", "s3:GetBucketPolicy arn:aws-cn:s3:::sales-data (live)"},
		"govcloud":   {"us-gov-west-1", "s3:GetBucketPolicy arn:aws-us-gov:s3:::sales-data (live)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			l := newTestLookup(t, f, func(o *Options) { o.Region = tc.region })
			if got := l.Bucket(context.Background(), bucketName).Policy.Source; got != tc.want {
				t.Errorf("source = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMalformedRefsSendNothing(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		probe  probe
		reason string
	}{
		"bucket with a slash": {func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Bucket(ctx, "a/b").Policy) },
			`not a bucket name: "a/b"`},
		"empty bucket": {func(ctx context.Context, l *Lookup) (Status, string) { return statusOf(l.Bucket(ctx, "").Region) },
			`not a bucket name: ""`},
		"vpc id as subnet": {func(ctx context.Context, l *Lookup) (Status, string) {
			return statusOf(l.Network(ctx, vpcID).Endpoints)
		},
			`not a subnet id: "vpc-0123abcd"`},
		"short account id": {func(ctx context.Context, l *Lookup) (Status, string) {
			return statusOf(l.Organization(ctx, "1234").Path)
		},
			`not an account id: "1234"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAWS(t)
			status, reason := tc.probe(context.Background(), newTestLookup(t, f))
			if status != Unknown || reason != tc.reason {
				t.Errorf("got %s %q, want unknown %q", status, reason, tc.reason)
			}
			if n := f.total(); n != 0 {
				t.Errorf("%d requests sent for a malformed reference, want 0", n)
			}
		})
	}
}
