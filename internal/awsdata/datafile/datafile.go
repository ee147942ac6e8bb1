// Package datafile defines the on-disk formats of the generated AWS data in
// internal/awsdata/data and the functions that write and read them. It is a
// package of its own so that the generator (tools/awsdata-gen) can write the
// files without importing internal/awsdata, which embeds them and so cannot be
// compiled before they exist.
//
// Every encoder normalises its input (sorting, de-duplicating, compacting JSON)
// and writes gzip streams with an empty header, so the same data always yields
// the same bytes.
package datafile

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Names of the generated files inside internal/awsdata/data.
const (
	CatalogFile         = "actions.json.gz"
	ManagedPoliciesFile = "managed-policies.json.gz"
	MetadataFile        = "metadata.json"
)

// ErrInvalidData classes every validation error of the encoders and decoders.
var ErrInvalidData = errors.New("invalid aws data")

// Catalog is the action catalog: every service with its actions.
type Catalog struct {
	Services []Service `json:"services"`
}

// Service is one service prefix of the Service Authorization Reference.
type Service struct {
	Prefix        string         `json:"prefix"` // "s3", lower case as AWS writes it
	Name          string         `json:"name,omitempty"`
	ResourceTypes []ResourceType `json:"resource_types,omitempty"`
	Actions       []Action       `json:"actions"`
	// Operations are API operations whose name is not an action of the
	// service, with the actions that authorize them.
	Operations []Operation `json:"operations,omitempty"`
}

// Operation is an API operation ("ListObjectsV2") and the actions of the same
// service the Service Authorization Reference documents for it ("ListBucket").
type Operation struct {
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// ResourceType is a resource type a service defines, with its ARN format
// ("arn:${Partition}:s3:::${BucketName}").
type ResourceType struct {
	Name string `json:"name"`
	ARN  string `json:"arn"`
}

// Action is one action of a service.
type Action struct {
	Name        string `json:"name"`         // canonical case, "GetObject"
	AccessLevel string `json:"access_level"` // "Read", "Write", "List", "Tagging, Write", ...
	// Resources are the resource types the action takes; an action without any
	// takes only "*".
	Resources []ActionResource `json:"resources,omitempty"`
	// ConditionKeys are the keys listed for the action itself (not per resource).
	ConditionKeys []string `json:"condition_keys,omitempty"`
}

// ActionResource names a resource type (ResourceType.Name of the same service)
// an action takes, with the condition keys listed for that pairing.
type ActionResource struct {
	Type          string   `json:"type"`
	Required      bool     `json:"required,omitempty"`
	ConditionKeys []string `json:"condition_keys,omitempty"`
}

// ManagedPolicy is the current (default) version of one AWS managed policy.
type ManagedPolicy struct {
	ARN        string          `json:"arn"` // arn:aws:iam::aws:policy<path><name>
	Name       string          `json:"name"`
	Path       string          `json:"path"` // "/" or "/service-role/"
	VersionID  string          `json:"version_id"`
	UpdateDate string          `json:"update_date"`
	Document   json.RawMessage `json:"document"`
}

// Metadata records where the generated files came from and what they hold.
type Metadata struct {
	Generated       string   `json:"generated"` // UTC date of generation, YYYY-MM-DD
	Command         string   `json:"command"`   // how to regenerate
	Sources         []Source `json:"sources"`
	Services        int      `json:"services"`
	Actions         int      `json:"actions"`
	Operations      int      `json:"operations,omitempty"`
	ManagedPolicies int      `json:"managed_policies"`
	Files           []File   `json:"files"`
}

// Source is one npm package the data was generated from.
type Source struct {
	Package string `json:"package"`
	Version string `json:"version"`
	License string `json:"license"`
	// DataAsOf is the newest date the package states for its data (the
	// package's updatedAt, or the latest policy update date).
	DataAsOf string `json:"data_as_of,omitempty"`
}

// File is the digest of one generated file.
type File struct {
	Name   string `json:"name"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Describe returns the File entry for data written under name.
func Describe(name string, data []byte) File {
	sum := sha256.Sum256(data)
	return File{Name: name, Size: len(data), SHA256: hex.EncodeToString(sum[:])}
}

// EncodeCatalog validates and normalises c and returns it as gzip'd JSON.
func EncodeCatalog(c Catalog) ([]byte, error) {
	n, err := normaliseCatalog(c)
	if err != nil {
		return nil, err
	}
	return gzipJSON(n)
}

// DecodeCatalog reads what EncodeCatalog wrote.
func DecodeCatalog(data []byte) (Catalog, error) {
	var c Catalog
	if err := gunzipJSON(data, &c); err != nil {
		return Catalog{}, fmt.Errorf("decoding %s: %w", CatalogFile, err)
	}
	return c, nil
}

// EncodeManagedPolicies validates and normalises ps (sorted by ARN, documents
// compacted) and returns them as a gzip'd JSON array.
func EncodeManagedPolicies(ps []ManagedPolicy) ([]byte, error) {
	n, err := normalisePolicies(ps)
	if err != nil {
		return nil, err
	}
	return gzipJSON(n)
}

// DecodeManagedPolicies reads what EncodeManagedPolicies wrote.
func DecodeManagedPolicies(data []byte) ([]ManagedPolicy, error) {
	var ps []ManagedPolicy
	if err := gunzipJSON(data, &ps); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", ManagedPoliciesFile, err)
	}
	return ps, nil
}

// EncodeMetadata returns m as indented JSON (it is small and meant to be read
// in reviews), files sorted by name.
func EncodeMetadata(m Metadata) ([]byte, error) {
	if m.Generated == "" {
		return nil, fmt.Errorf("%w: metadata without generation date", ErrInvalidData)
	}
	m.Files = slices.Clone(m.Files)
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encoding %s: %w", MetadataFile, err)
	}
	return buf.Bytes(), nil
}

// DecodeMetadata reads what EncodeMetadata wrote.
func DecodeMetadata(data []byte) (Metadata, error) {
	var m Metadata
	if err := json.Unmarshal(data, &m); err != nil {
		return Metadata{}, fmt.Errorf("decoding %s: %w", MetadataFile, err)
	}
	return m, nil
}

func normaliseCatalog(c Catalog) (Catalog, error) {
	out := Catalog{Services: make([]Service, 0, len(c.Services))}
	seen := make(map[string]bool, len(c.Services))
	for _, s := range c.Services {
		if s.Prefix == "" || strings.ContainsAny(s.Prefix, ":*?") {
			return Catalog{}, fmt.Errorf("%w: service prefix %q", ErrInvalidData, s.Prefix)
		}
		key := strings.ToLower(s.Prefix)
		if seen[key] {
			return Catalog{}, fmt.Errorf("%w: service %q listed twice", ErrInvalidData, s.Prefix)
		}
		seen[key] = true
		ns, err := normaliseService(s)
		if err != nil {
			return Catalog{}, err
		}
		out.Services = append(out.Services, ns)
	}
	slices.SortFunc(out.Services, func(a, b Service) int { return compareFold(a.Prefix, b.Prefix) })
	return out, nil
}

func normaliseService(s Service) (Service, error) {
	types := make(map[string]bool, len(s.ResourceTypes))
	for _, rt := range s.ResourceTypes {
		if rt.Name == "" || types[rt.Name] {
			return Service{}, fmt.Errorf("%w: service %q: resource type %q empty or listed twice", ErrInvalidData, s.Prefix, rt.Name)
		}
		types[rt.Name] = true
	}
	s.ResourceTypes = slices.Clone(s.ResourceTypes)
	slices.SortFunc(s.ResourceTypes, func(a, b ResourceType) int { return strings.Compare(a.Name, b.Name) })

	actions := make([]Action, 0, len(s.Actions))
	seen := make(map[string]bool, len(s.Actions))
	for _, a := range s.Actions {
		if a.Name == "" || strings.ContainsAny(a.Name, ":*?") {
			return Service{}, fmt.Errorf("%w: service %q: action name %q", ErrInvalidData, s.Prefix, a.Name)
		}
		key := strings.ToLower(a.Name)
		if seen[key] {
			return Service{}, fmt.Errorf("%w: action %q listed twice", ErrInvalidData, s.Prefix+":"+a.Name)
		}
		seen[key] = true
		a.ConditionKeys = sortedUnique(a.ConditionKeys)
		res := make([]ActionResource, 0, len(a.Resources))
		for _, r := range a.Resources {
			if !types[r.Type] {
				return Service{}, fmt.Errorf("%w: action %q takes undefined resource type %q", ErrInvalidData, s.Prefix+":"+a.Name, r.Type)
			}
			r.ConditionKeys = sortedUnique(r.ConditionKeys)
			res = append(res, r)
		}
		slices.SortFunc(res, func(x, y ActionResource) int { return strings.Compare(x.Type, y.Type) })
		if len(res) == 0 {
			res = nil
		}
		a.Resources = res
		actions = append(actions, a)
	}
	slices.SortFunc(actions, func(a, b Action) int { return compareFold(a.Name, b.Name) })
	s.Actions = actions

	ops := make([]Operation, 0, len(s.Operations))
	seenOps := make(map[string]bool, len(s.Operations))
	for _, op := range s.Operations {
		key := strings.ToLower(op.Name)
		if op.Name == "" || strings.ContainsAny(op.Name, ":*?") || seen[key] || seenOps[key] {
			return Service{}, fmt.Errorf("%w: service %q: operation %q empty, listed twice or an action", ErrInvalidData, s.Prefix, op.Name)
		}
		seenOps[key] = true
		if len(op.Actions) == 0 {
			return Service{}, fmt.Errorf("%w: operation %q has no action", ErrInvalidData, s.Prefix+":"+op.Name)
		}
		for _, a := range op.Actions {
			if !seen[strings.ToLower(a)] {
				return Service{}, fmt.Errorf("%w: operation %q names undefined action %q", ErrInvalidData, s.Prefix+":"+op.Name, a)
			}
		}
		op.Actions = sortedUnique(op.Actions)
		ops = append(ops, op)
	}
	slices.SortFunc(ops, func(a, b Operation) int { return compareFold(a.Name, b.Name) })
	s.Operations = nil
	if len(ops) > 0 {
		s.Operations = ops
	}
	return s, nil
}

func normalisePolicies(ps []ManagedPolicy) ([]ManagedPolicy, error) {
	out := make([]ManagedPolicy, 0, len(ps))
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		if !strings.HasPrefix(p.ARN, "arn:aws:iam::aws:policy/") || p.Name == "" {
			return nil, fmt.Errorf("%w: managed policy %q (name %q) is not an AWS managed policy ARN", ErrInvalidData, p.ARN, p.Name)
		}
		if seen[p.ARN] {
			return nil, fmt.Errorf("%w: managed policy %q listed twice", ErrInvalidData, p.ARN)
		}
		seen[p.ARN] = true
		var doc bytes.Buffer
		if err := json.Compact(&doc, p.Document); err != nil {
			return nil, fmt.Errorf("%w: managed policy %q: document: %w", ErrInvalidData, p.ARN, err)
		}
		p.Document = doc.Bytes()
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b ManagedPolicy) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}

// compareFold orders case-insensitively, then by exact bytes, so names that
// differ only in case still get a fixed order.
func compareFold(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func sortedUnique(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

// gzipJSON encodes v without HTML escaping (documents keep "<" and "&" as
// written) into a gzip stream whose header carries no name and no time.
func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("creating gzip writer: %w", err)
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding json: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("closing gzip stream: %w", err)
	}
	return buf.Bytes(), nil
}

func gunzipJSON(data []byte, v any) error {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidData, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidData, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidData, err)
	}
	return nil
}
