package awsdata

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
)

// ManagedPolicyInfo is the current (default) version of an AWS managed policy.
type ManagedPolicyInfo struct {
	ARN        string // as looked up, e.g. arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole
	Name       string // "AWSGlueServiceRole"
	Path       string // "/service-role/"
	VersionID  string // "v5"
	UpdateDate string // RFC 3339 time of the version's publication
	Document   []byte // the policy document, compact JSON; a copy the caller may keep
}

type managedPolicySet struct {
	byARN map[string]int // ARN in the aws partition → index into policies
	arns  []string       // sorted
	list  []datafile.ManagedPolicy
}

var loadManagedPolicies = sync.OnceValues(func() (*managedPolicySet, error) {
	ps, err := datafile.DecodeManagedPolicies(managedPolicyData)
	if err != nil {
		return &managedPolicySet{}, err
	}
	set := &managedPolicySet{byARN: make(map[string]int, len(ps)), list: ps}
	for i, p := range ps {
		set.byARN[p.ARN] = i
		set.arns = append(set.arns, p.ARN)
	}
	slices.Sort(set.arns)
	return set, nil
})

// partitions AWS managed policy ARNs can carry. The data comes from the aws
// partition; the same policy in another partition is approximated by the aws
// document with its "arn:aws:" ARNs rewritten to that partition. Policies that
// exist only in one partition, or whose content differs between partitions, are
// not modelled.
var partitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true,
	"aws-iso": true, "aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// ManagedPolicy looks up an AWS managed policy by ARN
// (arn:<partition>:iam::aws:policy<path><name>, exact case and path). For a
// partition other than aws it returns the aws document with every ARN value
// starting "arn:aws:" rewritten to that partition: an approximation, since
// AWS publishes the same managed policies per partition with
// partition-specific ARNs but not always with identical statements.
func ManagedPolicy(arn string) (ManagedPolicyInfo, bool) {
	partition, rest, ok := splitManagedPolicyARN(arn)
	if !ok {
		return ManagedPolicyInfo{}, false
	}
	set, _ := loadManagedPolicies() // a decode failure leaves an empty set; Load reports it
	i, ok := set.byARN["arn:aws:"+rest]
	if !ok {
		return ManagedPolicyInfo{}, false
	}
	p := set.list[i]
	doc := bytes.Clone(p.Document)
	if partition != "aws" {
		doc = bytes.ReplaceAll(doc, []byte(`"arn:aws:`), []byte(`"arn:`+partition+`:`))
	}
	return ManagedPolicyInfo{
		ARN:        arn,
		Name:       p.Name,
		Path:       p.Path,
		VersionID:  p.VersionID,
		UpdateDate: p.UpdateDate,
		Document:   doc,
	}, true
}

// ManagedPolicyARNs lists the ARNs (aws partition) of every embedded managed
// policy, sorted.
func ManagedPolicyARNs() []string {
	set, _ := loadManagedPolicies()
	return slices.Clone(set.arns)
}

// splitManagedPolicyARN returns the partition and the part after
// "arn:<partition>:" of an AWS managed policy ARN.
func splitManagedPolicyARN(arn string) (partition, rest string, ok bool) {
	after, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return "", "", false
	}
	partition, rest, ok = strings.Cut(after, ":")
	if !ok || !partitions[partition] || !strings.HasPrefix(rest, "iam::aws:policy/") {
		return "", "", false
	}
	return partition, rest, true
}
