package validator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// ConfigFileName is the configuration file looked up in the working directory.
const ConfigFileName = ".glueaccess.hcl"

// errConfig classes errors in the configuration file; the CLI exits 2.
var errConfig = errors.New("invalid glueaccess configuration")

// configFile is the schema of .glueaccess.hcl (docs/configuration.md).
type configFile struct {
	Jobs             []jobBlock        `hcl:"job,block"`
	Buckets          []bucketBlock     `hcl:"bucket,block"`
	Keys             []keyBlock        `hcl:"kms_key,block"`
	Policies         []policyBlock     `hcl:"managed_policy,block"`
	Organization     *orgBlock         `hcl:"organization,block"`
	ProviderAccounts map[string]string `hcl:"provider_accounts,optional"`
	Suppressions     []suppressBlock   `hcl:"suppress,block"`
	Baseline         *string           `hcl:"baseline,optional"`
}

type jobBlock struct {
	Address string        `hcl:"address,label"`
	Access  []accessBlock `hcl:"access,block"`
	Range   hcl.Range     `hcl:",def_range"`
}

type accessBlock struct {
	Path  string    `hcl:"path"`
	Mode  string    `hcl:"mode"`
	Range hcl.Range `hcl:",def_range"`
}

type bucketBlock struct {
	Name             string    `hcl:"name,label"`
	OwnerAccount     *string   `hcl:"owner_account,optional"`
	Region           *string   `hcl:"region,optional"`
	Policy           *string   `hcl:"policy,optional"`
	ObjectOwnership  *string   `hcl:"object_ownership,optional"`
	RequestPayer     *string   `hcl:"request_payer,optional"`
	DefaultKMSKeyARN *string   `hcl:"default_kms_key_arn,optional"`
	Range            hcl.Range `hcl:",def_range"`
}

type keyBlock struct {
	ARN    string    `hcl:"arn,label"`
	Policy *string   `hcl:"policy,optional"`
	Range  hcl.Range `hcl:",def_range"`
}

type policyBlock struct {
	ARN    string    `hcl:"arn,label"`
	Policy string    `hcl:"policy"`
	Range  hcl.Range `hcl:",def_range"`
}

type orgBlock struct {
	ID                *string     `hcl:"id,optional"`
	ManagementAccount *string     `hcl:"management_account,optional"`
	Nodes             []nodeBlock `hcl:"node,block"`
	Range             hcl.Range   `hcl:",def_range"`
}

type nodeBlock struct {
	ID                    string           `hcl:"id,label"`
	Parent                *string          `hcl:"parent,optional"`
	FullAWSAccessDetached *bool            `hcl:"full_aws_access_detached,optional"`
	SCPs                  []orgPolicyBlock `hcl:"scp,block"`
	RCPs                  []orgPolicyBlock `hcl:"rcp,block"`
	Range                 hcl.Range        `hcl:",def_range"`
}

type orgPolicyBlock struct {
	Name   string    `hcl:"name,label"`
	Policy string    `hcl:"policy"`
	Range  hcl.Range `hcl:",def_range"`
}

type suppressBlock struct {
	Job     string    `hcl:"job"`
	ID      string    `hcl:"id"`
	Reason  string    `hcl:"reason"`
	Expires *string   `hcl:"expires,optional"`
	Range   hcl.Range `hcl:",def_range"`
}

// declarations are the facts and suppressions read from the configuration file.
type declarations struct {
	File             string
	Jobs             map[string][]access.AccessPath
	Buckets          []access.Bucket
	Keys             map[string]*access.PolicyDoc
	Policies         map[string]*access.PolicyDoc
	Org              *access.Organization
	ProviderAccounts map[string]string
	Suppressions     []suppression
	// Baseline is the baseline file the configuration names, resolved
	// against the configuration file's directory; "" when none.
	Baseline string
}

// suppression silences one check on one job until Expires (zero: forever).
type suppression struct {
	Job     string
	ID      access.CheckID
	Reason  string
	Expires time.Time
	From    access.Provenance
}

// findConfig returns the configuration file path: explicit if given (it must
// exist), else the first .glueaccess.hcl in start (the Terraform
// configuration directory) or its parents up to root (the repository root;
// "" looks in start only), else "". A file found is named relative to the
// working directory when it lies under it, so messages stay short.
func findConfig(explicit, start, root string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("%w: %w", errConfig, err)
		}
		return explicit, nil
	}
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errConfig, err)
	}
	if root != "" {
		if _, ok := within(root, dir); !ok {
			root = ""
		}
	}
	for {
		p := filepath.Join(dir, ConfigFileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			if wd, err := os.Getwd(); err == nil {
				if rel, ok := within(wd, p); ok {
					return filepath.FromSlash(rel), nil
				}
			}
			return p, nil
		}
		if root == "" || sameDir(dir, root) || filepath.Dir(dir) == dir {
			return "", nil
		}
		dir = filepath.Dir(dir)
	}
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	rel, ok := within(a, b)
	return ok && rel == "."
}

// loadConfig parses a configuration file. Unknown blocks and attributes,
// wrong types and bad values are errors naming file:line as path is given.
// The facts and suppressions it declares cite the file relative to dir, the
// Terraform configuration directory, when it lies inside dir: reports name
// the configuration's files that way, and the citation then does not depend
// on the working directory. Otherwise, or with dir "", they cite path as given.
func loadConfig(path, dir string) (*declarations, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errConfig, err)
	}
	return parseConfig(src, path, citedName(path, dir))
}

// citedName is the name facts from the configuration file at path cite:
// relative to dir when the file lies inside dir, else path.
func citedName(path, dir string) string {
	if dir == "" {
		return path
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(absDir, absPath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return filepath.ToSlash(rel)
}

// parseConfig parses configuration source, with errors naming name and facts
// citing cited.
func parseConfig(src []byte, name, cited string) (*declarations, error) {
	f, diags := hclparse.NewParser().ParseHCL(src, name)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%w: %s", errConfig, diags.Error())
	}
	var cf configFile
	if diags := gohcl.DecodeBody(f.Body, nil, &cf); diags.HasErrors() {
		return nil, fmt.Errorf("%w: %s", errConfig, diags.Error())
	}
	d := &declarations{File: cited, Jobs: map[string][]access.AccessPath{}, Keys: map[string]*access.PolicyDoc{},
		Policies: map[string]*access.PolicyDoc{}, ProviderAccounts: cf.ProviderAccounts}
	var errs []error
	bad := func(rg hcl.Range, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", rg.Filename, rg.Start.Line, fmt.Sprintf(format, args...)))
	}
	prov := func(rg hcl.Range) access.Provenance {
		return access.Provenance{File: cited, Line: rg.Start.Line}
	}
	doc := func(label, text string, rg hcl.Range) *access.PolicyDoc {
		return &access.PolicyDoc{Label: label, JSON: text, Known: true, From: prov(rg)}
	}
	for _, j := range cf.Jobs {
		for _, a := range j.Access {
			mode, err := access.AccessModes.Parse(a.Mode)
			if err != nil {
				bad(a.Range, "access mode %v", err)
				continue
			}
			url, ok := declaredPrefix(a.Path)
			if !ok {
				bad(a.Range, "access path %q: want an s3://, s3a:// or s3n:// URL with a bucket", a.Path)
				continue
			}
			d.Jobs[j.Address] = append(d.Jobs[j.Address], access.AccessPath{URL: url, Mode: mode, From: prov(a.Range)})
		}
	}
	for _, bb := range cf.Buckets {
		bk := access.Bucket{Name: bb.Name, From: prov(bb.Range)}
		p := prov(bb.Range)
		set := func(v *string, dst *access.Value[string]) {
			if v != nil {
				*dst = access.Known(*v, p)
			}
		}
		set(bb.OwnerAccount, &bk.Owner)
		set(bb.Region, &bk.Region)
		if bb.OwnerAccount != nil && !awsid.IsAccountID(*bb.OwnerAccount) {
			bad(bb.Range, "owner_account %q: want a 12-digit account id", *bb.OwnerAccount)
		}
		if v := bb.ObjectOwnership; v != nil {
			if own, err := access.Ownerships.Parse(*v); err != nil {
				bad(bb.Range, "object_ownership %v", err)
			} else {
				bk.ObjectOwnership = access.Known(own, p)
			}
		}
		if v := bb.RequestPayer; v != nil {
			if payer, err := access.Payers.Parse(*v); err != nil {
				bad(bb.Range, "request_payer %v", err)
			} else {
				bk.RequestPayer = access.Known(payer, p)
			}
		}
		if bb.DefaultKMSKeyARN != nil {
			bk.SSEAlgorithm = access.Known(access.SSEKMS, p)
			bk.SSEKMSKeyID = access.Known(*bb.DefaultKMSKeyARN, p)
		}
		if bb.Policy != nil {
			bk.Policy = doc("bucket "+bb.Name+" policy ("+name+")", *bb.Policy, bb.Range)
		}
		d.Buckets = append(d.Buckets, bk)
	}
	for _, k := range cf.Keys {
		if k.Policy != nil {
			d.Keys[k.ARN] = doc("key policy of "+k.ARN+" ("+name+")", *k.Policy, k.Range)
		}
	}
	for _, p := range cf.Policies {
		d.Policies[p.ARN] = doc(p.ARN, p.Policy, p.Range)
	}
	if o := cf.Organization; o != nil {
		org := &access.Organization{From: prov(o.Range), ID: access.Unknown[string](prov(o.Range))}
		if o.ID != nil {
			org.ID = access.Known(*o.ID, prov(o.Range))
		}
		if o.ManagementAccount != nil {
			org.ManagementAccount = access.Known(*o.ManagementAccount, prov(o.Range))
		} else {
			org.ManagementAccount = access.Unknown[string](prov(o.Range))
		}
		for _, n := range o.Nodes {
			node := access.OrgNode{ID: n.ID}
			switch {
			case awsid.IsRootID(n.ID):
				node.Kind = access.NodeRoot
			case awsid.IsOUID(n.ID):
				node.Kind = access.NodeOU
			case awsid.IsAccountID(n.ID):
				node.Kind = access.NodeAccount
			default:
				bad(n.Range, "organization node %q: want a root (r-...), OU (ou-...-...) or 12-digit account id", n.ID)
				continue
			}
			if n.Parent != nil {
				node.Parent = access.Known(*n.Parent, prov(n.Range))
			} else if node.Kind == access.NodeRoot {
				node.Parent = access.Known("", prov(n.Range))
			} else {
				bad(n.Range, "organization node %q needs parent", n.ID)
			}
			node.FullAWSAccessDetached = n.FullAWSAccessDetached != nil && *n.FullAWSAccessDetached
			for _, s := range n.SCPs {
				node.SCPs = append(node.SCPs, *doc("scp "+s.Name, s.Policy, s.Range))
			}
			for _, s := range n.RCPs {
				node.RCPs = append(node.RCPs, *doc("rcp "+s.Name, s.Policy, s.Range))
			}
			org.Nodes = append(org.Nodes, node)
		}
		d.Org = org
	}
	for _, s := range cf.Suppressions {
		id := access.CheckID(s.ID)
		if _, ok := access.Titles[id]; !ok {
			bad(s.Range, "suppress id %q: want GA001..GA007", s.ID)
			continue
		}
		if strings.TrimSpace(s.Reason) == "" {
			bad(s.Range, "suppress of %s on %s: reason must not be empty", s.ID, s.Job)
			continue
		}
		sup := suppression{Job: s.Job, ID: id, Reason: s.Reason, From: prov(s.Range)}
		if s.Expires != nil {
			t, err := time.Parse(time.DateOnly, *s.Expires)
			if err != nil {
				bad(s.Range, "expires %q: want a date YYYY-MM-DD", *s.Expires)
				continue
			}
			sup.Expires = t
		}
		d.Suppressions = append(d.Suppressions, sup)
	}
	if b := cf.Baseline; b != nil {
		switch {
		case strings.TrimSpace(*b) == "":
			errs = append(errs, fmt.Errorf("%s: baseline must not be empty", name))
		case filepath.IsAbs(*b):
			d.Baseline = *b
		default:
			// Paths in the file are relative to the file, wherever it was
			// found (docs/configuration.md).
			d.Baseline = filepath.Join(filepath.Dir(name), filepath.FromSlash(*b))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", errConfig, errors.Join(errs...))
	}
	return d, nil
}

// declaredPrefix turns a declared S3 URL or glob into the prefix the checks
// use: a glob stands for everything under its literal part, which must hold
// more than the scheme. The scheme is any S3 scheme, in any case
// (awsid.CutS3Scheme; docs/model.md#s3-locations).
func declaredPrefix(path string) (string, bool) {
	rest, _, ok := awsid.CutS3Scheme(path)
	if !ok {
		return "", false
	}
	literal := path
	if i := strings.IndexAny(path, "*?["); i >= 0 {
		literal = path[:i]
	}
	return literal, len(literal) > len(path)-len(rest)
}

func (d *declarations) accessFor(job string) []access.AccessPath { return d.Jobs[job] }

func (d *declarations) policyDocs() map[string]*access.PolicyDoc { return d.Policies }

// mergeBucket fills what the plan does not know about the bucket named name
// (bk, built from the plan) from its declarations, in order; a bucket the
// plan does not have (bk nil) is the first declaration's. It returns the
// bucket, nil when neither has it.
func (d *declarations) mergeBucket(name string, bk *access.Bucket) *access.Bucket {
	for _, db := range d.Buckets {
		if db.Name != name {
			continue
		}
		if bk == nil {
			c := db
			if !c.Owner.Known {
				c.Owner = access.Unknown[string](c.From)
			}
			bk = &c
			continue
		}
		fill(&bk.Owner, db.Owner)
		fill(&bk.Region, db.Region)
		fill(&bk.ObjectOwnership, db.ObjectOwnership)
		fill(&bk.RequestPayer, db.RequestPayer)
		fill(&bk.SSEAlgorithm, db.SSEAlgorithm)
		fill(&bk.SSEKMSKeyID, db.SSEKMSKeyID)
		if db.Policy != nil && (bk.Policy == nil && !bk.CreatedInPlan || bk.Policy != nil && !bk.Policy.Known) {
			bk.Policy = db.Policy
		}
	}
	return bk
}

// fill sets dst to src when only src is known: a declaration completes the
// plan, it never overrides it.
func fill[T any](dst *access.Value[T], src access.Value[T]) {
	if !dst.Known && src.Known {
		*dst = src
	}
}

// mergeKeys gives declared key policies to keys whose policy the plan does
// not know, and adds declared keys the plan does not have.
func (d *declarations) mergeKeys(keys []access.KMSKey) []access.KMSKey {
	seen := map[string]bool{}
	for i := range keys {
		k := &keys[i]
		seen[k.ARN.V] = true
		if p := d.Keys[k.ARN.V]; p != nil && (k.Policy == nil || !k.Policy.Known) {
			k.Policy = p
		}
	}
	arns := make([]string, 0, len(d.Keys))
	for arn := range d.Keys {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	for _, arn := range arns {
		if seen[arn] {
			continue
		}
		p := d.Keys[arn]
		k := access.KMSKey{ARN: access.Known(arn, p.From), KeyID: arn[strings.LastIndexByte(arn, '/')+1:], Policy: p, Enabled: access.Known(true, p.From)}
		if a, ok := accountFromARN(arn); ok {
			k.Account = access.Known(a, p.From)
		}
		keys = append(keys, k)
	}
	return keys
}

// mergeOrg uses the declared organization when the plan shows none, adds
// declared nodes the plan's organization lacks, and gives plan nodes whose
// parent is unknown (an attachment target outside the plan) the declared one.
func (d *declarations) mergeOrg(org *access.Organization) *access.Organization {
	if d.Org == nil {
		return org
	}
	if org == nil {
		return d.Org
	}
	have := map[string]int{}
	for i, n := range org.Nodes {
		have[n.ID] = i
	}
	for _, n := range d.Org.Nodes {
		i, ok := have[n.ID]
		if !ok {
			org.Nodes = append(org.Nodes, n)
			continue
		}
		pn := &org.Nodes[i]
		if !pn.Parent.Known {
			pn.Parent = n.Parent
		}
		pn.SCPs = append(pn.SCPs, n.SCPs...)
		pn.RCPs = append(pn.RCPs, n.RCPs...)
		pn.FullAWSAccessDetached = pn.FullAWSAccessDetached || n.FullAWSAccessDetached
	}
	if !org.ManagementAccount.Known {
		org.ManagementAccount = d.Org.ManagementAccount
	}
	if !org.ID.Known {
		org.ID = d.Org.ID
	}
	return org
}
