package awslive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// accessDeniedCodes are the error codes AWS services use when the caller's
// policies do not allow the call.
var accessDeniedCodes = map[string]bool{
	"AccessDenied":                       true, // S3, IAM, STS
	"AccessDeniedException":              true, // KMS, Organizations
	"UnauthorizedOperation":              true, // EC2
	"AccessDeniedForDependencyException": true, // Organizations
}

// classify turns a failed call into the Unknown reason of its fact. notFound
// lists the error codes that mean "not configured" for this call; for those
// classify returns isNotFound so the caller records a NotFound fact instead.
func classify(err error, action, resource string, notFound ...string) (reason string, isNotFound bool) {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		for _, code := range notFound {
			if apiErr.ErrorCode() == code {
				return "", true
			}
		}
	}
	return reasonFor(err, action, resource), false
}

// reasonFor explains why a call did not produce a fact, in words a user can
// act on. It never includes credentials: AWS messages are passed through
// redact and truncated.
func reasonFor(err error, action, resource string) string {
	on := ""
	if resource != "" {
		on = " on " + resource
	}
	var te *timeoutError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s%s timed out after %s", action, on, te.after)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("%s%s was cancelled", action, on)
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		switch {
		case accessDeniedCodes[code]:
			return fmt.Sprintf("the lookup lacked %s%s (%s)", action, on, code)
		case code == "MethodNotAllowed":
			// S3 answers 405 to bucket-policy calls from an identity
			// outside the bucket owner's account.
			return fmt.Sprintf("%s%s needs credentials of the owning account (MethodNotAllowed)", action, on)
		case isThrottle(code):
			var maxErr *retry.MaxAttemptsError
			if errors.As(err, &maxErr) {
				return fmt.Sprintf("%s%s was throttled (%s); retries exhausted after %d attempts", action, on, code, maxErr.Attempt)
			}
			return fmt.Sprintf("%s%s was throttled (%s)", action, on, code)
		}
		msg := redact(apiErr.ErrorMessage())
		if msg == "" {
			return fmt.Sprintf("%s%s failed: %s", action, on, code)
		}
		return fmt.Sprintf("%s%s failed: %s: %s", action, on, code, msg)
	}
	var me *malformedError
	if errors.As(err, &me) {
		if me.what == "" {
			return fmt.Sprintf("%s%s returned a malformed response", action, on)
		}
		return fmt.Sprintf("%s%s returned a malformed response (%s)", action, on, me.what)
	}
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		return fmt.Sprintf("%s%s returned a malformed response", action, on)
	}
	// Some deserializers report a body they cannot parse as a plain error
	// on a successful HTTP response.
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() >= 200 && re.HTTPStatusCode() <= 299 {
		return fmt.Sprintf("%s%s returned a malformed response", action, on)
	}
	return fmt.Sprintf("%s%s failed: %s", action, on, redact(err.Error()))
}

func isThrottle(code string) bool {
	_, ok := retry.DefaultThrottleErrorCodes[code]
	return ok
}

// secretLike matches access key ids and long base64 runs (secret keys,
// session tokens, signatures) that must never reach a message.
var secretLike = regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b|[A-Za-z0-9/+=]{40,}|(?i)(?:credential|signature|x-amz-security-token)=[^\s,&"']+`)

// maxMessage bounds the AWS-provided text carried into a reason.
const maxMessage = 200

// redact removes the configured credentials and anything credential-like
// from s, turns its control characters into spaces (a service message is
// shown in reports and on terminals), and shortens it.
func redact(s string) string {
	s = configured.redact(s)
	s = secretLike.ReplaceAllString(s, "[redacted]")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage]) + "..."
	}
	return s
}

// malformedError is a response that cannot be a real answer: a body of the
// wrong shape, or one the SDK parsed but whose policy is not JSON. what
// details it, or is empty.
type malformedError struct{ what string }

func (e *malformedError) Error() string {
	if e.what == "" {
		return "malformed response"
	}
	return "malformed response: " + e.what
}

// errNotJSON reports a policy document that is not a JSON object.
var errNotJSON = errors.New("policy document is not a JSON object")

// isJSONObject reports whether doc is one valid JSON object, as every policy
// document is. A policy that fails this is reported as a malformed response
// rather than handed on.
func isJSONObject(doc string) bool {
	t := strings.TrimSpace(doc)
	return strings.HasPrefix(t, "{") && json.Valid([]byte(t))
}

// configured holds the credential values glueaccess was given (environment)
// or retrieved (the SDK's credential chain): redact removes them by value,
// whatever their shape, since a session token need not look like base64.
// Credentials belong to the process, so the set is the process's.
var configured secretSet

// minSecret is the shortest value redacted by value: shorter ones would
// blank out ordinary words of a message, and no AWS credential is as short.
const minSecret = 8

type secretSet struct {
	mu     sync.RWMutex
	values []string // longest first, so that no value is cut by a shorter one
}

// add records credential values; empty and short ones are ignored.
func (s *secretSet) add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= minSecret && !slices.Contains(s.values, v) {
			s.values = append(s.values, v)
		}
	}
	slices.SortStableFunc(s.values, func(a, b string) int { return len(b) - len(a) })
}

func (s *secretSet) redact(str string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, v := range s.values {
		str = strings.ReplaceAll(str, v, "[redacted]")
	}
	return str
}

// recordCredentials records the credentials each retrieval returns, so that
// they are redacted from every message.
type recordCredentials struct{ aws.CredentialsProvider }

func (r recordCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := r.CredentialsProvider.Retrieve(ctx)
	if err == nil {
		configured.add(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	}
	return c, err
}

// credentialEnv are the environment variables the SDK reads credentials
// from ("Environment variables", AWS SDKs and Tools Reference Guide).
var credentialEnv = []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN"}
