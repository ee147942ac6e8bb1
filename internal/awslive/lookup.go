// Package awslive looks up, read-only and only when asked, the AWS facts a
// Terraform plan does not hold: the policy, ownership, Requester Pays,
// encryption, Region and Block Public Access settings of a bucket managed
// elsewhere, a shared KMS key's policy and grants, a role created by another
// stack, the route from a subnet to its S3 endpoints, and the organization's
// SCPs and RCPs on an account's path.
//
// Every fact comes back with a Status (Found, NotFound, Unknown) and the call
// that produced it, so a denied or failed lookup never reads as permissive.
// Nothing here runs unless Options.Enabled is set: the zero Lookup, a nil
// *Lookup and New with Enabled false answer every question with Unknown
// ("live lookups are off (use --aws)") without loading configuration or
// building a client.
//
// Each distinct call runs at most once per Lookup (results, including
// failures, are cached and concurrent askers share one in-flight call), at
// most Options.Concurrency calls run at a time, each call has its own timeout,
// and the SDK's standard retryer retries throttling.
package awslive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// OffReason is the Reason of every fact asked of a disabled Lookup.
const OffReason = "live lookups are off (use --aws)"

// Defaults applied by New to zero Options fields.
const (
	DefaultConcurrency = 8
	DefaultTimeout     = 20 * time.Second
)

// progressDelay is how long lookups must have been running before the
// progress line appears.
const progressDelay = time.Second

// Options configure a Lookup. The zero Options disable live lookups.
type Options struct {
	// Enabled turns live lookups on (--aws, lookup_aws = true). When false,
	// New loads no configuration, builds no client and sends nothing.
	Enabled bool
	// Profile selects a shared config profile; empty uses the standard
	// credential chain (environment, AWS_PROFILE, SSO, IMDS, ...).
	Profile string
	// Region is the default Region of the calls: the Region of the plan's
	// provider configuration, or the user's override. Empty falls back to the
	// SDK's chain (AWS_REGION, profile). Buckets are queried in their own
	// Region and keys in the Region of their ARN.
	Region string
	// EndpointURL sends every call to this endpoint (tests, local stand-ins);
	// S3 then uses path-style addressing.
	EndpointURL string
	// Concurrency bounds the calls in flight; 0 means DefaultConcurrency.
	Concurrency int
	// Timeout bounds each call, retries included; 0 means DefaultTimeout.
	Timeout time.Duration
	// Progress receives a one-line progress indicator when lookups take
	// longer than a second and IsTerminal is true; otherwise nothing is
	// written. Typically os.Stderr.
	Progress   io.Writer
	IsTerminal bool
	// Credentials replaces the standard credential chain when non-nil.
	Credentials aws.CredentialsProvider
	// HTTPClient replaces the SDK's HTTP client when non-nil.
	HTTPClient *http.Client

	// retryMaxBackoff shortens the retry back-off (tests); 0 keeps the
	// SDK's default.
	retryMaxBackoff time.Duration
	// progressAfter replaces progressDelay (tests); 0 keeps it.
	progressAfter time.Duration
}

// Lookup performs live lookups. Create one per run with New; it is safe for
// concurrent use. The zero value and a nil *Lookup are disabled.
type Lookup struct {
	enabled bool
	region  string
	timeout time.Duration
	sem     chan struct{}

	s3  *s3.Client
	kms *kms.Client
	iam *iam.Client
	ec2 *ec2.Client
	org *organizations.Client
	sts *sts.Client

	mu    sync.Mutex
	cache map[string]*entry

	progress *progress
}

// Disabled returns a Lookup that answers every question with Unknown
// (OffReason) and never touches the network.
func Disabled() *Lookup { return &Lookup{} }

// Enabled reports whether l performs live lookups.
func (l *Lookup) Enabled() bool { return l != nil && l.enabled }

// New returns a Lookup configured by opts. With opts.Enabled false it returns
// Disabled() without reading any configuration. The error reports
// configuration that cannot be loaded (an unknown profile, a malformed
// config file); it never contains credentials.
func New(ctx context.Context, opts Options) (*Lookup, error) {
	if !opts.Enabled {
		return Disabled(), nil
	}
	if opts.Concurrency < 0 {
		return nil, fmt.Errorf("awslive: concurrency %d must not be negative", opts.Concurrency)
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("awslive: timeout %s must not be negative", opts.Timeout)
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}

	for _, name := range credentialEnv {
		configured.add(os.Getenv(name))
	}
	var load []func(*config.LoadOptions) error
	if opts.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	if opts.Credentials != nil {
		load = append(load, config.WithCredentialsProvider(opts.Credentials))
	}
	if opts.HTTPClient != nil {
		load = append(load, config.WithHTTPClient(opts.HTTPClient))
	}
	if opts.EndpointURL != "" {
		load = append(load, config.WithBaseEndpoint(opts.EndpointURL))
	}
	if opts.retryMaxBackoff > 0 {
		maxBackoff := opts.retryMaxBackoff
		load = append(load, config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxBackoff = maxBackoff
				o.Backoff = retry.NewExponentialJitterBackoff(maxBackoff)
			})
		}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		// Not wrapped: the SDK's text is redacted before it can be printed.
		return nil, fmt.Errorf("awslive: load AWS configuration: %s", redact(err.Error()))
	}
	if cfg.Region == "" {
		return nil, errors.New("awslive: no AWS Region: set the provider's region, AWS_REGION or a profile region")
	}
	if cfg.Credentials != nil {
		cfg.Credentials = recordCredentials{cfg.Credentials}
	}

	l := &Lookup{
		enabled: true,
		region:  cfg.Region,
		timeout: opts.Timeout,
		sem:     make(chan struct{}, opts.Concurrency),
		cache:   map[string]*entry{},
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			// A custom endpoint has no bucket subdomains.
			o.UsePathStyle = opts.EndpointURL != ""
			o.APIOptions = append(o.APIOptions, checkXMLRoot(s3Root))
		}),
		kms: kms.NewFromConfig(cfg, func(o *kms.Options) { o.APIOptions = append(o.APIOptions, checkJSONObject()) }),
		iam: iam.NewFromConfig(cfg, func(o *iam.Options) { o.APIOptions = append(o.APIOptions, checkXMLRoot(queryRoot)) }),
		ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.APIOptions = append(o.APIOptions, checkXMLRoot(queryRoot)) }),
		org: organizations.NewFromConfig(cfg, func(o *organizations.Options) { o.APIOptions = append(o.APIOptions, checkJSONObject()) }),
		sts: sts.NewFromConfig(cfg, func(o *sts.Options) { o.APIOptions = append(o.APIOptions, checkXMLRoot(queryRoot)) }),
	}
	if opts.Progress != nil && opts.IsTerminal {
		after := opts.progressAfter
		if after == 0 {
			after = progressDelay
		}
		l.progress = &progress{w: opts.Progress, after: after}
	}
	return l, nil
}

// entry is one cached call: done is closed once val and err are set.
type entry struct {
	done chan struct{}
	val  any
	err  error
}

// timeoutError marks a call stopped by the per-call timeout, as opposed to
// the caller's context ending.
type timeoutError struct {
	after time.Duration
	err   error
}

func (e *timeoutError) Error() string { return "timed out after " + e.after.String() }
func (e *timeoutError) Unwrap() error { return e.err }

// call runs fn once per key for the life of l: later and concurrent callers
// with the same key get the first result (value or error). Only the call
// itself holds a concurrency slot, so waiting for a shared result never
// blocks other calls.
func call[T any](ctx context.Context, l *Lookup, key string, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	l.mu.Lock()
	e, shared := l.cache[key]
	if !shared {
		e = &entry{done: make(chan struct{})}
		l.cache[key] = e
	}
	l.mu.Unlock()
	if shared {
		select {
		case <-e.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		v, _ := e.val.(T)
		return v, e.err
	}

	v, err := run(ctx, l, fn)
	e.val, e.err = v, err
	if err != nil && ctx.Err() != nil {
		// The caller gave up, which says nothing about AWS: let the next
		// caller ask again.
		l.mu.Lock()
		delete(l.cache, key)
		l.mu.Unlock()
	}
	close(e.done)
	return v, err
}

func run[T any](ctx context.Context, l *Lookup, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	defer func() { <-l.sem }()
	l.progress.begin()
	defer l.progress.end()

	cctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	v, err := fn(cctx)
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		err = &timeoutError{after: l.timeout, err: err}
	}
	return v, err
}

// parallel runs fns concurrently and waits for all of them. The functions
// fill disjoint result fields; the bound on concurrency is applied per call
// in run, not here, so nested groups cannot deadlock.
func parallel(fns ...func()) {
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Go(fn)
	}
	wg.Wait()
}

// partition returns the partition of the default Region, for ARNs built
// from names; "aws" for a disabled Lookup.
func (l *Lookup) partition() string {
	if l == nil {
		return "aws"
	}
	switch {
	case strings.HasPrefix(l.region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(l.region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

func quote(s string) string { return strconv.Quote(s) }
