package awslive

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// TestConfiguredCredentialsAreRedactedByValue checks that the credentials a
// lookup uses are removed from reasons whatever their shape (a session token
// that is not base64 escapes the shape-based patterns), and that a service
// message cannot carry control characters into a report.
func TestConfiguredCredentialsAreRedactedByValue(t *testing.T) {
	const (
		keyID   = fakeKeyID // the fake server checks it
		secret  = "s3cr3t-with.dots_and-dashes"
		token   = "session:token-not.base64_at-all"
		envOnly = "env-token.value_from-the-environment"
	)
	t.Setenv("AWS_SESSION_TOKEN", envOnly)
	f := newFakeAWS(t)
	// KMS answers in JSON, which can carry any control character.
	f.on("kms:DescribeKey", func(int, request) reply {
		return apiError("kms", 400, "InvalidToken",
			"token "+token+" secret "+secret+" env "+envOnly+"\x1b[2J\n::error::forged\u202e")
	})
	l := newTestLookup(t, f, func(o *Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(keyID, secret, token)
	})
	md := l.Key(context.Background(), keyARN).Metadata
	if md.Status != Unknown {
		t.Fatalf("key metadata = %s, want unknown", md.Status)
	}
	reason := md.Reason
	for _, v := range []string{keyID, secret, token, envOnly} {
		if strings.Contains(reason, v) {
			t.Errorf("reason %q carries the credential %q", reason, v)
		}
	}
	if strings.ContainsAny(reason, "\x1b\n\u202e") {
		t.Errorf("reason %q carries control characters", reason)
	}
	if !strings.Contains(reason, "InvalidToken") || !strings.Contains(reason, "[redacted]") {
		t.Errorf("reason %q should name the error code and show what was redacted", reason)
	}
}

func TestRedactStripsControlCharacters(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"escape sequence": {"a\x1b[2Jb", "a [2Jb"},
		"line break":      {"a\r\n::error::x", "a ::error::x"},
		"bidi override":   {"a\u202eb", "a b"},
		"plain":           {"Access Denied", "Access Denied"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := redact(tc.in); got != tc.want {
				t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
