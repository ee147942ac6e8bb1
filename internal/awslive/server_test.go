package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Fake credentials. The secret is 40 characters like a real one so the
// redaction test means something; neither may ever appear in a fact.
const (
	fakeKeyID  = "AKIAFAKEFAKEFAKEFAKE"
	fakeSecret = "fAkEsEcReT0123456789fAkEsEcReT0123456789"
)

func TestMain(m *testing.M) {
	// Keep the developer's AWS configuration out of the tests.
	dir, err := os.MkdirTemp("", "awslive")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             dir + "/config",
		"AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		os.Setenv(k, v)
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		os.Unsetenv(k)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// request is one call as the fake service decoded it.
type request struct {
	Op     string     // "s3:GetBucketPolicy", "iam:GetRole", "kms:DescribeKey"
	Params url.Values // query/form parameters, or top-level JSON strings
	Path   string     // S3 only: "/bucket"
}

// reply is one HTTP response.
type reply struct {
	status int
	body   string
	header map[string]string
	delay  time.Duration
}

type handler func(n int, r request) reply

// fakeAWS speaks S3 REST-XML, IAM/STS/EC2 query and KMS/Organizations
// JSON 1.1 on a loopback server. Handlers are keyed by op; n counts the
// calls to that op so far (1-based).
type fakeAWS struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	handlers map[string]handler
	calls    map[string]int
	log      []request
}

func newFakeAWS(t *testing.T) *fakeAWS {
	t.Helper()
	f := &fakeAWS{t: t, handlers: world(), calls: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// on replaces the handler of op.
func (f *fakeAWS) on(op string, h handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[op] = h
}

// count returns how many requests op received.
func (f *fakeAWS) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// total returns how many requests the server received.
func (f *fakeAWS) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.log)
}

var scopeService = regexp.MustCompile(`Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request`)

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	m := scopeService.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(w, "unsigned request", http.StatusBadRequest)
		return
	}
	service := m[1]
	if !strings.Contains(r.Header.Get("Authorization"), "Credential="+fakeKeyID+"/") {
		http.Error(w, "unexpected credentials", http.StatusForbidden)
		return
	}
	req := request{Params: url.Values{}}
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		target := r.Header.Get("X-Amz-Target")
		req.Op = service + ":" + target[strings.LastIndex(target, ".")+1:]
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		for k, v := range body {
			if s, ok := v.(string); ok {
				req.Params.Set(k, s)
			}
		}
	case r.Method == http.MethodPost:
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		req.Op = service + ":" + r.PostForm.Get("Action")
		req.Params = r.PostForm
	default:
		req.Path = r.URL.Path
		req.Params = r.URL.Query()
		req.Op = "s3:" + s3Op(req.Params)
	}

	f.mu.Lock()
	f.calls[req.Op]++
	n := f.calls[req.Op]
	f.log = append(f.log, req)
	h := f.handlers[req.Op]
	f.mu.Unlock()
	if h == nil {
		f.t.Errorf("fake AWS: no handler for %s %v", req.Op, req.Params)
		http.Error(w, "no handler", http.StatusNotImplemented)
		return
	}
	rep := h(n, req)
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		if r.Header.Get("X-Amz-Target") != "" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		} else {
			w.Header().Set("Content-Type", "text/xml")
		}
	}
	w.Header().Set("X-Amzn-Requestid", "req-1")
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body) // the client sees a short body if this fails
}

// s3Op names the S3 operation of a bucket sub-resource GET.
func s3Op(q url.Values) string {
	for sub, op := range map[string]string{
		"policy":            "GetBucketPolicy",
		"ownershipControls": "GetBucketOwnershipControls",
		"requestPayment":    "GetBucketRequestPayment",
		"encryption":        "GetBucketEncryption",
		"location":          "GetBucketLocation",
		"publicAccessBlock": "GetPublicAccessBlock",
	} {
		if q.Has(sub) {
			return op
		}
	}
	return "unsupported"
}

func ok(body string) handler {
	return func(int, request) reply { return reply{status: 200, body: body} }
}

// apiError is an error response in the wire format of service.
func apiError(service string, status int, code, message string) reply {
	switch service {
	case "s3":
		return reply{status: status, body: `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>` + code + `</Code><Message>` + html.EscapeString(message) + `</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>aG9zdA==</HostId></Error>`}
	case "ec2":
		return reply{status: status, body: `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>` + code + `</Code><Message>` + html.EscapeString(message) + `</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>`}
	case "iam", "sts":
		ns := map[string]string{"iam": "https://iam.amazonaws.com/doc/2010-05-08/", "sts": "https://sts.amazonaws.com/doc/2011-06-15/"}[service]
		return reply{status: status, body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>` + code + `</Code><Message>` + html.EscapeString(message) + `</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>`}
	default: // kms, organizations: JSON 1.1
		b, _ := json.Marshal(map[string]string{"__type": code, "message": message})
		return reply{status: status, body: string(b)}
	}
}

func fails(service string, status int, code, message string) handler {
	rep := apiError(service, status, code, message)
	return func(int, request) reply { return rep }
}

// testOptions are Options for a lookup against f with fake credentials,
// short retries and a generous per-call timeout.
func testOptions(f *fakeAWS) Options {
	return Options{
		Enabled:         true,
		Region:          "eu-west-1",
		EndpointURL:     f.srv.URL,
		Credentials:     credentials.NewStaticCredentialsProvider(fakeKeyID, fakeSecret, ""),
		Timeout:         5 * time.Second,
		retryMaxBackoff: 5 * time.Millisecond,
	}
}

func newTestLookup(t *testing.T, f *fakeAWS, edit ...func(*Options)) *Lookup {
	t.Helper()
	opts := testOptions(f)
	for _, e := range edit {
		e(&opts)
	}
	l, err := New(context.Background(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

// xmlText escapes s for an XML text node.
func xmlText(s string) string { return html.EscapeString(s) }

// jsonString encodes s as a JSON string literal.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
