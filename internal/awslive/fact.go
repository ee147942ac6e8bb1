package awslive

import "fmt"

// Status says what a live lookup established about one fact.
type Status int

const (
	// Unknown means the lookup could not establish the fact (live lookups are
	// off, access denied, throttled, timed out, malformed response); Reason
	// says which. An unknown fact is never permissive.
	Unknown Status = iota
	// Found means AWS returned the fact; Value holds it.
	Found
	// NotFound is itself a fact: AWS said the thing is not configured ("no
	// bucket policy", "no ownership controls"). Value is the zero value.
	NotFound
)

// String returns "unknown", "found" or "not-found".
func (s Status) String() string {
	switch s {
	case Found:
		return "found"
	case NotFound:
		return "not-found"
	default:
		return "unknown"
	}
}

// Fact is one looked-up value with its status and where it came from.
type Fact[T any] struct {
	Value  T
	Status Status
	// Reason explains an Unknown status ("the lookup lacked
	// s3:GetBucketPolicy on arn:aws:s3:::b"); empty otherwise, except for
	// NotFound facts whose cause is not the obvious one.
	Reason string
	// Source names the call and its argument, e.g.
	// "s3:GetBucketPolicy arn:aws:s3:::b (live)".
	Source string
}

// Get returns the value and whether it was found.
func (f Fact[T]) Get() (T, bool) { return f.Value, f.Status == Found }

// String renders the fact for messages: "found", "not-found" or
// "unknown: <reason>", followed by the source.
func (f Fact[T]) String() string {
	if f.Status == Unknown {
		return fmt.Sprintf("unknown: %s [%s]", f.Reason, f.Source)
	}
	return fmt.Sprintf("%s [%s]", f.Status, f.Source)
}

// source builds the label of a fact: the IAM action that performs the call
// and the resource it was asked about.
func source(action, resource string) string {
	if resource == "" {
		return action + " (live)"
	}
	return action + " " + resource + " (live)"
}

func found[T any](v T, src string) Fact[T] { return Fact[T]{Value: v, Status: Found, Source: src} }

func notFound[T any](src string) Fact[T] { return Fact[T]{Status: NotFound, Source: src} }

func unknown[T any](src, reason string) Fact[T] {
	return Fact[T]{Status: Unknown, Reason: reason, Source: src}
}
