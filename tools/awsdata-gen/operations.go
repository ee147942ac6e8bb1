package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

// iam-floyd layout: lib/generated/policy-statements/<service>.js sets
// this.servicePrefix, and <service>.d.ts documents each action method
// to<Action>() with the link the Service Authorization Reference gives for
// the action: the API reference page of the operation it authorizes,
// .../API_<Operation>.html.
var (
	floydPrefix = regexp.MustCompile(`this\.servicePrefix = '([a-z0-9-]+)';`)
	floydAction = regexp.MustCompile(`\* https://docs\.aws\.amazon\.com/\S*/API_([A-Za-z0-9]+)\.html\n\s*\*/\n\s*to([A-Za-z0-9]+)\(\): this;`)
)

// indexPages are the API reference pages that list operations rather than
// document one; an action linked to them names no operation.
var indexPages = map[string]bool{"Operations": true, "Welcome": true}

// operations maps a service prefix to API operation → actions it documents.
type operations map[string]map[string][]string

func readFloydOperations(dir, version string) (operations, datafile.Source, error) {
	pkg, err := readPackage(dir, floydPackage, version)
	if err != nil {
		return nil, datafile.Source{}, err
	}
	stmts := filepath.Join(dir, "lib", "generated", "policy-statements")
	decls, err := filepath.Glob(filepath.Join(stmts, "*.d.ts"))
	if err != nil || len(decls) == 0 {
		return nil, datafile.Source{}, fmt.Errorf("reading source data: no %s/*.d.ts (%v)", stmts, err)
	}
	out := operations{}
	for _, decl := range decls {
		js := strings.TrimSuffix(decl, ".d.ts") + ".js"
		code, err := os.ReadFile(js)
		if err != nil {
			return nil, datafile.Source{}, fmt.Errorf("reading source data: %w", err)
		}
		m := floydPrefix.FindSubmatch(code)
		if m == nil {
			continue // collections and helpers without a service prefix
		}
		prefix := string(m[1])
		text, err := os.ReadFile(decl)
		if err != nil {
			return nil, datafile.Source{}, fmt.Errorf("reading source data: %w", err)
		}
		for _, l := range floydAction.FindAllSubmatch(text, -1) {
			op, action := string(l[1]), string(l[2])
			if indexPages[op] {
				continue
			}
			if out[prefix] == nil {
				out[prefix] = map[string][]string{}
			}
			out[prefix][op] = append(out[prefix][op], action)
		}
	}
	src := datafile.Source{Package: pkg.Name, Version: pkg.Version, License: pkg.License}
	return out, src, nil
}

// addOperations records, for each service of the catalog, the API operations
// whose name is not itself an action of the service, with the catalog's
// actions documented for them. Operations of unknown services and actions
// the catalog lacks are left out: the catalog decides what exists.
func addOperations(c *datafile.Catalog, ops operations) {
	for i := range c.Services {
		s := &c.Services[i]
		actions := make(map[string]string, len(s.Actions)) // lower-case → canonical
		for _, a := range s.Actions {
			actions[strings.ToLower(a.Name)] = a.Name
		}
		for op, documented := range ops[s.Prefix] {
			if _, isAction := actions[strings.ToLower(op)]; isAction {
				continue
			}
			var names []string
			for _, a := range documented {
				if canonical, ok := actions[strings.ToLower(a)]; ok && !slices.Contains(names, canonical) {
					names = append(names, canonical)
				}
			}
			if len(names) > 0 {
				s.Operations = append(s.Operations, datafile.Operation{Name: op, Actions: names})
			}
		}
	}
}
