// Package awsfake is a loopback stand-in for the AWS APIs that live lookups
// call, for tests in other packages: it speaks each service's wire protocol
// (S3 REST-XML, IAM/STS/EC2 query, KMS and Organizations JSON 1.1), so the
// real SDK clients run end to end, and it accepts only requests signed with
// the fake credentials (KeyID).
package awsfake

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Fake credentials. The secret is 40 characters like a real one, so a test
// that checks it is never printed means something.
const (
	KeyID  = "AKIAFAKEFAKEFAKEFAKE"
	Secret = "fAkEsEcReT0123456789fAkEsEcReT0123456789"
)

// Credentials returns a provider of the fake credentials.
func Credentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(KeyID, Secret, "")
}

// Call is one request as the fake decoded it.
type Call struct {
	// Op is "service:Operation": "s3:GetBucketPolicy", "iam:GetRole",
	// "kms:DescribeKey".
	Op string
	// Params are the query or form parameters, or the top-level JSON
	// strings of the body.
	Params url.Values
}

// Reply is one response: a status, a body in the service's format, and an
// optional delay before it is sent.
type Reply struct {
	Status int
	Body   string
	Delay  time.Duration
}

// Handler answers the n-th call (1-based) of its operation.
type Handler func(n int, c Call) Reply

// Server is a running fake.
type Server struct {
	URL string

	t        testing.TB
	mu       sync.Mutex
	handlers map[string]Handler
	calls    map[string]int
}

// New starts a fake answering with handlers, keyed by Call.Op, and stops it
// when the test ends. A call without a handler fails the test.
func New(t testing.TB, handlers map[string]Handler) *Server {
	t.Helper()
	s := &Server{t: t, handlers: handlers, calls: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Count returns how many calls op received.
func (s *Server) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

var scope = regexp.MustCompile(`Credential=` + KeyID + `/\d{8}/[^/]+/([^/]+)/aws4_request`)

// s3Ops name the S3 operation of a bucket sub-resource GET.
var s3Ops = map[string]string{
	"policy":            "GetBucketPolicy",
	"ownershipControls": "GetBucketOwnershipControls",
	"requestPayment":    "GetBucketRequestPayment",
	"encryption":        "GetBucketEncryption",
	"location":          "GetBucketLocation",
	"publicAccessBlock": "GetPublicAccessBlock",
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	m := scope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(w, "unsigned request or unexpected credentials", http.StatusForbidden)
		return
	}
	c := Call{Params: url.Values{}}
	target := r.Header.Get("X-Amz-Target")
	switch {
	case target != "":
		c.Op = m[1] + ":" + target[strings.LastIndex(target, ".")+1:]
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		for k, v := range body {
			if str, ok := v.(string); ok {
				c.Params.Set(k, str)
			}
		}
	case r.Method == http.MethodPost:
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		c.Op, c.Params = m[1]+":"+r.PostForm.Get("Action"), r.PostForm
	default:
		c.Params = r.URL.Query()
		c.Op = "s3:unsupported"
		for sub, op := range s3Ops {
			if c.Params.Has(sub) {
				c.Op = "s3:" + op
			}
		}
	}
	s.mu.Lock()
	s.calls[c.Op]++
	n := s.calls[c.Op]
	h := s.handlers[c.Op]
	s.mu.Unlock()
	if h == nil {
		s.t.Errorf("fake AWS: unexpected call %s %v", c.Op, c.Params)
		http.Error(w, "no handler", http.StatusNotImplemented)
		return
	}
	rep := h(n, c)
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if target != "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		w.Header().Set("Content-Type", "text/xml")
	}
	w.WriteHeader(rep.Status)
	_, _ = io.WriteString(w, rep.Body) // the client sees a short body if this fails
}

// Answer replies 200 with body.
func Answer(body string) Handler {
	return func(int, Call) Reply { return Reply{Status: 200, Body: body} }
}

// Error replies with an error code in the wire format of service (s3, iam,
// sts, ec2, kms, organizations).
func Error(service string, status int, code string) Handler {
	msg := html.EscapeString(code)
	var body string
	switch service {
	case "s3":
		body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>` + msg + `</Message><RequestId>R</RequestId></Error>`
	case "ec2":
		body = `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>` + code + `</Code><Message>` + msg + `</Message></Error></Errors><RequestID>R</RequestID></Response>`
	case "iam", "sts":
		body = `<ErrorResponse><Error><Type>Sender</Type><Code>` + code + `</Code><Message>` + msg + `</Message></Error><RequestId>R</RequestId></ErrorResponse>`
	default:
		b, _ := json.Marshal(map[string]string{"__type": code, "message": code})
		body = string(b)
	}
	return func(int, Call) Reply { return Reply{Status: status, Body: body} }
}

// IAMAnswer replies 200 with an IAM query-protocol result of op.
func IAMAnswer(op, result string) Handler {
	return Answer(`<` + op + `Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><` + op + `Result>` + result +
		`</` + op + `Result><ResponseMetadata><RequestId>R</RequestId></ResponseMetadata></` + op + `Response>`)
}

// IAMEncode encodes a policy document the way IAM returns it (RFC 3986).
func IAMEncode(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// JSONString encodes s as a JSON string literal.
func JSONString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Isolate keeps the developer's AWS configuration out of a test: the shared
// config and credentials files point into an empty directory, the instance
// metadata service is off, and the environment variables the SDK reads
// (profile, region, endpoint, credentials) are empty. A test that wants
// credentials in the environment sets them after.
func Isolate(t testing.TB) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(k, "")
	}
}
