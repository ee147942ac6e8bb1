package awslive

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The SDK's deserializers accept some bodies no AWS service would send: an
// empty or foreign XML document parses into a zero output (no subnets, a
// us-east-1 bucket), which would turn garbage into a fact. This guard checks
// the root of every successful response before the SDK reads it.

// s3Roots are the root elements of the S3 responses the lookups read.
// GetBucketPolicy returns the policy itself and is checked as JSON later.
var s3Roots = map[string]string{
	"GetBucketLocation":          "LocationConstraint",
	"GetBucketOwnershipControls": "OwnershipControls",
	"GetBucketRequestPayment":    "RequestPaymentConfiguration",
	"GetBucketEncryption":        "ServerSideEncryptionConfiguration",
	"GetPublicAccessBlock":       "PublicAccessBlockConfiguration",
}

// s3Root returns the expected root element of an S3 operation's response.
func s3Root(op string) string { return s3Roots[op] }

// queryRoot returns the root element of a query-protocol response (IAM,
// STS, EC2): "<Operation>Response".
func queryRoot(op string) string { return op + "Response" }

// checkXMLRoot adds the guard for an XML protocol; root returns "" for
// operations it does not check.
func checkXMLRoot(root func(op string) string) func(*middleware.Stack) error {
	return addGuard(func(op string, body []byte) bool {
		want := root(op)
		return want == "" || rootElement(body) == want
	})
}

// checkJSONObject adds the guard for a JSON protocol (KMS, Organizations):
// every successful response is one JSON object.
func checkJSONObject() func(*middleware.Stack) error {
	return addGuard(func(_ string, body []byte) bool { return isJSONObject(string(body)) })
}

func addGuard(ok func(op string, body []byte) bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		// After places the guard next to the transport, so it sees the raw
		// response before the operation deserializer does.
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("GlueAccessWellFormedResponse",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if err != nil {
					return out, md, err
				}
				resp, isHTTP := out.RawResponse.(*smithyhttp.Response)
				if !isHTTP || resp.StatusCode < 200 || resp.StatusCode > 299 {
					return out, md, nil
				}
				body, err := io.ReadAll(resp.Body)
				_ = resp.Body.Close() // the body is read in full: ReadAll's error is the one that counts
				if err != nil {
					return out, md, err
				}
				resp.Body = io.NopCloser(bytes.NewReader(body))
				op := middleware.GetOperationName(ctx)
				if !ok(op, body) {
					return out, md, &malformedError{}
				}
				return out, md, nil
			}), middleware.After)
	}
}

// rootElement returns the local name of the first element of an XML
// document, or "" if there is none.
func rootElement(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, isStart := tok.(xml.StartElement); isStart {
			return se.Name.Local
		}
	}
}
