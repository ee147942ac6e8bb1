package access

import (
	"fmt"
	"strings"
)

// Enum is the set of values one enumerated setting allows, in the order the
// documentation lists them, each with a line saying what it means. The
// configuration file, the data source's schema (descriptions and
// validation) and the fact builders all take their values from it, so that
// they accept, describe and reject the same values.
type Enum[T ~string] struct {
	// Name is the setting as messages name it ("S3 Object Ownership").
	Name   string
	values []EnumValue[T]
}

// EnumValue is one allowed value of an Enum and what it means.
type EnumValue[T ~string] struct {
	Value T
	Doc   string
}

// Values returns the allowed values with their meaning, in order.
func (e *Enum[T]) Values() []EnumValue[T] {
	return append([]EnumValue[T](nil), e.values...)
}

// Strings returns the allowed values as strings, in order.
func (e *Enum[T]) Strings() []string {
	out := make([]string, len(e.values))
	for i, v := range e.values {
		out[i] = string(v.Value)
	}
	return out
}

// Parse returns s as a value of the enumeration. Values are case-sensitive,
// as in the AWS APIs; anything else is an *EnumError.
func (e *Enum[T]) Parse(s string) (T, error) {
	for _, v := range e.values {
		if string(v.Value) == s {
			return v.Value, nil
		}
	}
	return "", &EnumError{Name: e.Name, Value: s, Allowed: e.Strings()}
}

// Doc returns what v means, "" for a value outside the enumeration.
func (e *Enum[T]) Doc(v T) string {
	for _, ev := range e.values {
		if ev.Value == v {
			return ev.Doc
		}
	}
	return ""
}

// Markdown lists the values for a schema description: "`read` (the job
// reads the data), `write` (...) or `temp` (...)".
func (e *Enum[T]) Markdown() string {
	items := make([]string, len(e.values))
	for i, v := range e.values {
		items[i] = "`" + string(v.Value) + "` (" + v.Doc + ")"
	}
	return joinList(items, "or")
}

// Fact turns a string fact into a fact of the enumeration. An unknown value
// stays unknown, a known "" stays "" (the setting is not set; what that means
// is the caller's rule), and a known value outside the enumeration becomes
// unknown, its provenance saying what was found: a value the checks cannot
// read must never pass as one they can.
func (e *Enum[T]) Fact(v Value[string]) Value[T] {
	if !v.Known {
		return Value[T]{From: v.From}
	}
	if v.V == "" {
		return Known[T]("", v.From)
	}
	t, err := e.Parse(v.V)
	if err != nil {
		from := v.From
		if from.Note != "" {
			from.Note += "; "
		}
		from.Note += err.Error()
		return Unknown[T](from)
	}
	return Known(t, v.From)
}

// EnumError is a value outside an enumeration.
type EnumError struct {
	Name    string   // the setting ("access mode")
	Value   string   // the value found
	Allowed []string // the values allowed, in order
}

func (e *EnumError) Error() string {
	return fmt.Sprintf("%q is not one of %s (%s)", e.Value, strings.Join(e.Allowed, ", "), e.Name)
}

// Ownership is a bucket's S3 Object Ownership setting: who owns the objects
// uploaded to it, and whether ACLs apply.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
type Ownership string

// Object Ownership settings.
const (
	OwnershipBucketOwnerEnforced  Ownership = "BucketOwnerEnforced"
	OwnershipBucketOwnerPreferred Ownership = "BucketOwnerPreferred"
	OwnershipObjectWriter         Ownership = "ObjectWriter"
)

// Ownerships are the Object Ownership settings S3 accepts
// (PutBucketOwnershipControls, ObjectOwnership).
var Ownerships = &Enum[Ownership]{Name: "S3 Object Ownership", values: []EnumValue[Ownership]{
	{OwnershipBucketOwnerEnforced, "ACLs disabled, the bucket owner owns every object"},
	{OwnershipBucketOwnerPreferred, "ACLs enabled, the bucket owner owns objects uploaded with bucket-owner-full-control"},
	{OwnershipObjectWriter, "ACLs enabled, the uploading account owns the object"},
}}

// Payer is who pays for requests to a bucket: the Requester Pays setting.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
type Payer string

// Request payer settings.
const (
	PayerBucketOwner Payer = "BucketOwner"
	PayerRequester   Payer = "Requester"
)

// Payers are the payer settings S3 accepts (PutBucketRequestPayment, Payer).
var Payers = &Enum[Payer]{Name: "S3 request payer", values: []EnumValue[Payer]{
	{PayerBucketOwner, "the bucket owner pays; no request header is needed"},
	{PayerRequester, "Requester Pays: requests from other accounts must send x-amz-request-payer"},
}}

// SSEAlgorithm is an S3 server-side encryption algorithm, of a bucket's
// default encryption or of one object. "" on a fact means none is configured:
// for a bucket, S3 applies SSE-S3 (NewBucketEncryption); for an object, its
// bucket's default.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
type SSEAlgorithm string

// Server-side encryption algorithms.
const (
	SSEAES256  SSEAlgorithm = "AES256"
	SSEKMS     SSEAlgorithm = "aws:kms"
	SSEKMSDSSE SSEAlgorithm = "aws:kms:dsse"
)

// SSEAlgorithms are the algorithms S3 accepts (ServerSideEncryption).
var SSEAlgorithms = &Enum[SSEAlgorithm]{Name: "S3 server-side encryption algorithm", values: []EnumValue[SSEAlgorithm]{
	{SSEAES256, "SSE-S3, keys S3 manages; no KMS permission is needed"},
	{SSEKMS, "SSE-KMS, a KMS key the reader and writer must be allowed to use"},
	{SSEKMSDSSE, "DSSE-KMS, two layers of encryption with a KMS key, same permissions as SSE-KMS"},
}}

// UsesKMS reports whether objects encrypted with a are encrypted with a KMS
// key, so that reading and writing them needs the key.
func (a SSEAlgorithm) UsesKMS() bool { return a == SSEKMS || a == SSEKMSDSSE }

// AccessMode is how a job uses a declared data path.
type AccessMode string

// Access modes of a declared path.
const (
	ModeRead      AccessMode = "read"
	ModeWrite     AccessMode = "write"
	ModeReadWrite AccessMode = "readwrite"
	ModeTemp      AccessMode = "temp"
	// ModeDelete is a location a job's script deletes objects under
	// (purge_s3_path): s3:ListBucket and s3:DeleteObject. It is found in
	// scripts, never declared, so it is not one of AccessModes.
	ModeDelete AccessMode = "delete"
)

// AccessModes are the modes a declared path may have (docs/configuration.md).
var AccessModes = &Enum[AccessMode]{Name: "access mode", values: []EnumValue[AccessMode]{
	{ModeRead, "the job reads the data"},
	{ModeWrite, "the job writes the data"},
	{ModeReadWrite, "the job reads and writes the data"},
	{ModeTemp, "scratch data the job writes, reads back and deletes"},
}}

// S3EncryptionMode is how a Glue security configuration encrypts the S3 data
// a job writes.
// https://docs.aws.amazon.com/glue/latest/webapi/API_S3Encryption.html
type S3EncryptionMode string

// Glue security configuration S3 encryption modes.
const (
	S3EncryptionDisabled S3EncryptionMode = "DISABLED"
	S3EncryptionSSES3    S3EncryptionMode = "SSE-S3"
	S3EncryptionSSEKMS   S3EncryptionMode = "SSE-KMS"
)

// S3EncryptionModes are the modes Glue accepts (S3Encryption,
// S3EncryptionMode).
var S3EncryptionModes = &Enum[S3EncryptionMode]{Name: "Glue S3 encryption mode", values: []EnumValue[S3EncryptionMode]{
	{S3EncryptionDisabled, "the job sends no encryption header; the bucket's default encryption applies"},
	{S3EncryptionSSES3, "the job asks for SSE-S3 on every object it writes"},
	{S3EncryptionSSEKMS, "the job encrypts every object it writes with the configuration's KMS key"},
}}
