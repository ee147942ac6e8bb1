// Package livefacts fills the access facts of one Glue job that the plan (or
// data-source arguments) and the configuration file do not hold, from live
// AWS lookups (internal/awslive). It is shared by glueaccess validate --aws and
// the glueaccess_check data source's lookup_aws.
//
// A fact is missing, and only then looked up, when it is absent (a bucket or
// key the job uses that is not among the facts, a role whose policies are not
// listed, a subnet outside the network facts, no organization at all) or when
// its value is not known and its provenance names no attribute (an
// organization described without its id or management account): values that
// are unknown until apply always name the attribute they will come from, and
// those must not be replaced by what AWS holds today. A live value never
// overrides a supplied one.
//
// Found and not-found lookups become known facts whose provenance is the
// lookup's source ("s3:GetBucketPolicy arn:aws:s3:::b (live)"); a lookup that
// could not establish its fact leaves it unknown, with the lookup's reason
// as the provenance, so the finding's missing fact says why.
package livefacts

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// Filler fills missing facts from one Lookup. It is safe for concurrent use;
// the Lookup runs each distinct call once and bounds the calls in flight.
type Filler struct {
	l *awslive.Lookup
}

// New returns a Filler asking l.
func New(l *awslive.Lookup) *Filler { return &Filler{l: l} }

// Fill returns a copy of f with the missing facts of the job filled in, and
// notes giving the reason of every lookup that could not establish a fact
// the job needed ("live lookup: the lookup lacked s3:GetBucketPolicy on
// arn:aws:s3:::b (AccessDenied)"), sorted. The buckets looked at are those
// the job's S3 URLs name (script, arguments, connection properties, declared
// paths). f and everything it shares with other jobs (network, organization,
// role) are left untouched.
func (fl *Filler) Fill(ctx context.Context, f *access.Facts) (*access.Facts, []string) {
	n := &notes{}
	out := *f
	out.Buckets = slices.Clone(f.Buckets)
	out.Keys = slices.Clone(f.Keys)

	// Buckets first: their default encryption names the keys to look up.
	names := bucketsOf(f)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, name := range names {
		if !bucketName.MatchString(name) {
			continue
		}
		i := slices.IndexFunc(out.Buckets, func(b access.Bucket) bool { return b.Name == name })
		if i >= 0 && (out.Buckets[i].CreatedInPlan || !bucketGaps(&out.Buckets[i])) {
			continue // a bucket still to be created has nothing to look up
		}
		wg.Go(func() {
			lf := fl.l.Bucket(ctx, name)
			caller := fl.l.CallerAccount(ctx)
			mu.Lock()
			defer mu.Unlock()
			if i < 0 {
				b := access.Bucket{Name: name, From: access.Provenance{Note: "bucket " + name + " is not among the supplied facts; looked up live"}}
				fillBucket(n, &b, lf, caller, true)
				out.Buckets = append(out.Buckets, b)
				return
			}
			fillBucket(n, &out.Buckets[i], lf, caller, false)
		})
	}
	wg.Wait()
	slices.SortStableFunc(out.Buckets, func(a, b access.Bucket) int { return strings.Compare(a.Name, b.Name) })

	// Then keys, the role, the network and the organization.
	var keys []access.KMSKey
	for _, ref := range keyRefs(&out, names) {
		if findKey(out.Keys, ref) >= 0 {
			continue
		}
		wg.Go(func() {
			k := liveKey(n, fl.l.Key(ctx, ref))
			mu.Lock()
			keys = append(keys, k)
			mu.Unlock()
		})
	}
	for i := range out.Keys {
		if k := &out.Keys[i]; keyGaps(k) {
			ref := k.ARN.V
			wg.Go(func() {
				lf := fl.l.Key(ctx, ref)
				mu.Lock()
				fillKeyPolicy(n, k, lf)
				mu.Unlock()
			})
		}
	}
	if r := out.Role; roleGaps(r) {
		role := *r
		out.Role = &role
		wg.Go(func() { fillRole(n, &role, fl.l.Role(ctx, role.ARN.V)) })
	}
	subnets := missingSubnets(&out)
	nets := make([]awslive.NetworkFacts, len(subnets))
	for i, s := range subnets {
		wg.Go(func() { nets[i] = fl.l.Network(ctx, s) })
	}
	var accounts []string
	if out.Org == nil {
		accounts = orgAccounts(&out, names)
	}
	var orgIDs awslive.OrgFacts
	idAccount, fillIDs := orgIDGaps(&out)
	if fillIDs {
		wg.Go(func() { orgIDs = fl.l.Organization(ctx, idAccount) })
	}
	orgs := make([]awslive.OrgFacts, len(accounts))
	for i, a := range accounts {
		wg.Go(func() { orgs[i] = fl.l.Organization(ctx, a) })
	}
	wg.Wait()
	if len(nets) > 0 {
		out.Network = withNetwork(n, f.Network, nets)
	}
	if len(orgs) > 0 {
		out.Org = liveOrg(n, orgs)
	}
	if fillIDs {
		out.Org = withOrgIDs(n, f.Org, orgIDs)
	}
	slices.SortFunc(keys, func(a, b access.KMSKey) int { return strings.Compare(keyLabel(a), keyLabel(b)) })
	out.Keys = append(out.Keys, keys...)
	return &out, n.list()
}

// s3URL matches an S3 URL in a string and captures its bucket.
var s3URL = regexp.MustCompile(`s3[an]?://([^/\s,"']+)`)

// bucketsOf returns the buckets the job's S3 URLs name, sorted, each once.
func bucketsOf(f *access.Facts) []string {
	var out []string
	scan := func(s string) {
		for _, m := range s3URL.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
	}
	j := f.Job
	scan(j.ScriptLocation.V)
	for _, m := range []map[string]string{j.DefaultArguments.V, j.NonOverridableArguments.V} {
		for _, v := range m {
			scan(v)
		}
	}
	for _, c := range j.Connections {
		for _, v := range c.S3Properties {
			scan(v)
		}
	}
	for _, a := range f.Access {
		scan(a.URL)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// bucketName is the shape of a general purpose bucket name; anything else
// (a stand-in for a name known after apply) is not asked about.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// gap reports whether v is missing rather than pending: not known, and not
// tied to an attribute that will supply it at apply.
func gap[T any](v access.Value[T]) bool { return !v.Known && v.From.Attribute == "" }

// known is a found live value.
func known[T, U any](v T, f awslive.Fact[U]) access.Value[T] {
	return access.Known(v, access.Provenance{Note: f.Source})
}

// unknownFrom is a fact the lookup could not establish; the reason becomes
// the provenance, so the finding's missing fact says why.
func unknownFrom[T any, U any](n *notes, f awslive.Fact[U]) access.Value[T] {
	return access.Unknown[T](reason(n, f))
}

// reason is the provenance of a fact f could not establish; n records it for
// the job's notes, since not every missing fact shows its provenance.
func reason[T any](n *notes, f awslive.Fact[T]) access.Provenance {
	r := f.Reason
	if r == "" {
		r = f.Status.String() + " from " + f.Source
	}
	n.add(r)
	return access.Provenance{Note: r}
}

// notes collects the reasons of the lookups that could not establish a fact
// the job needed.
type notes struct {
	mu  sync.Mutex
	set map[string]bool
}

func (n *notes) add(r string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.set == nil {
		n.set = map[string]bool{}
	}
	n.set[r] = true
}

// list returns the notes sorted, each once.
func (n *notes) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, 0, len(n.set))
	for r := range n.set {
		out = append(out, "live lookup: "+r)
	}
	slices.Sort(out)
	return out
}
