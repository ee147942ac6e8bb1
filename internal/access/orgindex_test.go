package access

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// TestRunParsesEachDocumentOnce checks that a Run hands out one parse per
// distinct SCP or RCP, kind and label, however many documents the run holds
// (three times what a generation of the bounded cache keeps) and however
// many goroutines ask at once.
func TestRunParsesEachDocumentOnce(t *testing.T) {
	t.Parallel()
	run := NewRun()
	const docs = 3 * policyCacheGeneration
	key := func(i int) policyKey {
		return policyKey{iam.KindSCP, "p" + strconv.Itoa(i%7), policy(stmt("Deny", []string{"s3:DeleteObject"}, "arn:aws:s3:::b"+strconv.Itoa(i)+"/*"))}
	}
	first := make([]*iam.Policy, docs)
	for i := range docs {
		p, err := run.parseKey(key(i), false)
		if err != nil {
			t.Fatal(err)
		}
		first[i] = p
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range docs {
				i := (i + g*docs/4) % docs
				if p, err := run.parseKey(key(i), false); err != nil || p != first[i] {
					t.Errorf("document %d parsed again (err %v)", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	// The same text under another kind or label is another policy.
	k := key(0)
	for _, other := range []policyKey{{iam.KindRCP, k.label, k.doc}, {k.kind, "other", k.doc}} {
		if p, err := run.parseKey(other, false); err != nil || p == first[0] || p.Label != other.label || p.Kind != other.kind {
			t.Errorf("%v parsed as %v (%v)", other, p, err)
		}
	}
	// Other kinds are shared from their first parse while its reader
	// holds it (see TestRunHoldsOnlySharedDocuments).
	id := policyKey{iam.KindIdentity, "role", k.doc}
	p1, _ := run.parseKey(id, false)
	for i := range 3 {
		if p, _ := run.parseKey(id, false); p != p1 {
			t.Fatalf("identity policy, sighting %d: parsed again", i+2)
		}
	}
	// Parse errors are kept too.
	bad := policyKey{iam.KindSCP, "bad", `{"Statement":[{"Effect":"Maybe"}]}`}
	_, e1 := run.parseKey(bad, false)
	_, e2 := run.parseKey(bad, false)
	if e1 == nil || e1 != e2 {
		t.Errorf("errors %v and %v, want one parse error twice", e1, e2)
	}
}

// referenceOrgLevels is orgLevels as it was written before the index: the
// tree indexed and the path walked on every call. The index must answer
// exactly as it does.
func referenceOrgLevels(c *checker, ls *layerSet, account string, k iam.LayerKind) ([][]*iam.Policy, []string) {
	o := c.f.Org
	byID := map[string]*OrgNode{}
	var root *OrgNode
	for i := range o.Nodes {
		n := &o.Nodes[i]
		byID[n.ID] = n
		if n.Kind == NodeRoot && root == nil {
			root = n
		}
	}
	var chain []*OrgNode
	onPath := map[string]bool{}
	known := false
	for cur := byID[account]; cur != nil && !onPath[cur.ID]; {
		chain = append(chain, cur)
		onPath[cur.ID] = true
		if cur.Kind == NodeRoot {
			known = true
			break
		}
		if !cur.Parent.Known {
			break
		}
		cur = byID[cur.Parent.V]
	}
	if !known && root != nil && !onPath[root.ID] {
		chain = append(chain, root)
		onPath[root.ID] = true
	}
	var levels [][]*iam.Policy
	var nodes []string
	for i := len(chain) - 1; i >= 0; i-- {
		n := chain[i]
		levels = append(levels, c.nodePolicies(ls, n, k, len(levels)))
		nodes = append(nodes, n.ID)
	}
	for i := range o.Unplaced {
		u := &o.Unplaced[i]
		if u.RCP != (k == iam.LayerRCP) {
			continue
		}
		var policies []*iam.Policy
		if k == iam.LayerSCP {
			if p, err := c.parsePolicy(fullAWSAccess, iam.KindSCP, "FullAWSAccess@"+u.Attachment, true); err == nil {
				policies = append(policies, p)
			}
		}
		pp := c.parse(&u.Policy, kindOf(k), GA007)
		if pp.err != nil {
			ls.invalid = true
			continue
		}
		if pp.p != nil {
			policies = append(policies, pp.p)
		}
		ls.uncertain = append(ls.uncertain, uncertainLevel{kind: k, node: "the target of " + u.Attachment, account: account,
			policies: policies, opaque: pp.unknown, missing: u.Missing, policy: u.Policy.label(),
			what: fmt.Sprintf("%s %s, attached by %s to a target not known at plan time,", k, u.Policy.label(), u.Attachment),
			cond: fmt.Sprintf("if that target is account %s or an OU or root above it", account)})
	}
	if known {
		return levels, nodes
	}
	for i := range o.Nodes {
		n := &o.Nodes[i]
		if onPath[n.ID] || n.Kind != NodeOU || !nodeRestricts(n, k) {
			continue
		}
		labels := nodeLabels(n, k)
		ls.uncertain = append(ls.uncertain, uncertainLevel{kind: k, node: n.ID, account: account, policies: c.nodePolicies(ls, n, k, -1), opaque: hasUnknownDoc(n, k),
			policy: labels, what: fmt.Sprintf("%s %s attached to %s", k, labels, describeNode(n)),
			cond: fmt.Sprintf("if account %s is under it", account),
			missing: Missing{Fact: fmt.Sprintf("place of account %s in the organization (is it under %s?)", account, describeNode(n)),
				How: fmt.Sprintf("add aws_organizations_account %s (with parent_id) to the inputs or declare the organization tree", account)}})
	}
	return levels, nodes
}

// referenceOrgPath is orgPath as it was written before the index.
func referenceOrgPath(o *Organization, account string) (string, bool) {
	byID := map[string]*OrgNode{}
	for i := range o.Nodes {
		byID[o.Nodes[i].ID] = &o.Nodes[i]
	}
	n := byID[account]
	if n == nil || n.Kind != NodeAccount {
		return "", false
	}
	var above []string
	for seen := map[string]bool{account: true}; ; {
		if !n.Parent.Known || n.Parent.V == "" || seen[n.Parent.V] {
			return "", false
		}
		p := byID[n.Parent.V]
		if p == nil {
			return "", false
		}
		seen[p.ID] = true
		above = append(above, p.ID)
		if p.Kind == NodeRoot {
			break
		}
		if p.Kind != NodeOU {
			return "", false
		}
		n = p
	}
	var b strings.Builder
	b.WriteString(o.ID.V + "/")
	for i := len(above) - 1; i >= 0; i-- {
		b.WriteString(above[i] + "/")
	}
	return b.String(), true
}

// randomOrg is an organization of a few roots, OUs and accounts whose
// parents may be known, unknown, missing from the tree, cyclic or accounts, with
// SCPs and RCPs that may be valid, unknown or invalid, FullAWSAccess
// detached here and there, repeated ids and unplaced attachments.
func randomOrg(r *rand.Rand) *Organization {
	var ids []string
	for i := range 1 + r.IntN(2) {
		ids = append(ids, fmt.Sprintf("r-%d", i))
	}
	roots := len(ids)
	for i := range r.IntN(9) {
		ids = append(ids, fmt.Sprintf("ou-1-%08d", i))
	}
	ous := len(ids)
	for i := range 1 + r.IntN(5) {
		ids = append(ids, fmt.Sprintf("1111%08d", i))
	}
	docs := func(kind string, at string) []PolicyDoc {
		var out []PolicyDoc
		for j := range r.IntN(3) {
			label := fmt.Sprintf("aws_organizations_policy.%s_%s_%d", kind, strings.ReplaceAll(at, "-", "_"), j)
			switch r.IntN(6) {
			case 0:
				out = append(out, PolicyDoc{Label: label, From: Provenance{Address: label}})
			case 1:
				out = append(out, doc(label, `{"Statement":[{"Effect":"Perhaps"}]}`))
			default:
				out = append(out, doc(label, policy(stmt([]string{"Allow", "Deny"}[r.IntN(2)], []string{"s3:DeleteObject"}, "*"))))
			}
		}
		return out
	}
	o := &Organization{ID: fact("o-abc123", "org"), ManagementAccount: fact(mgmtAccount, "org")}
	if r.IntN(4) == 0 {
		o.ID = Unknown[string](Provenance{Address: "org"})
	}
	for i, id := range ids {
		n := OrgNode{ID: id, Kind: NodeAccount}
		switch {
		case i < roots:
			n.Kind = NodeRoot
		case i < ous:
			n.Kind = NodeOU
		}
		if n.Kind != NodeRoot {
			switch x := r.IntN(10); {
			case x == 0:
				n.Parent = Unknown[string](Provenance{Address: "x"})
			case x == 1:
				n.Parent = fact("ou-1-gone", "x")
			case x == 2:
				n.Parent = fact(id, "x") // a cycle of one
			case x == 3:
				n.Parent = fact(ids[r.IntN(len(ids))], "x") // an account, even
			default:
				n.Parent = fact(ids[r.IntN(ous)], "x")
			}
		}
		n.SCPs, n.RCPs = docs("scp", id), docs("rcp", id)
		n.FullAWSAccessDetached = r.IntN(8) == 0
		o.Nodes = append(o.Nodes, n)
		if r.IntN(12) == 0 {
			// The same id again: the last node of an id answers.
			n.Parent = fact(ids[r.IntN(ous)], "y")
			o.Nodes = append(o.Nodes, n)
		}
	}
	for j := range r.IntN(3) {
		att := fmt.Sprintf("aws_organizations_policy_attachment.a%d", j)
		ds := docs("unplaced", att)
		if len(ds) == 0 {
			continue
		}
		o.Unplaced = append(o.Unplaced, UnplacedPolicy{Attachment: att, RCP: r.IntN(2) == 0, Policy: ds[0], Missing: Missing{Fact: "target of " + att}})
	}
	return o
}

// TestOrgLevelsMatchReference holds the indexed organization levels and
// organization paths to the per-call walk they replace, over random trees,
// for every account of the tree and ids outside it, asked in random order
// and repeatedly (so the memos answer too), with and without a Run.
func TestOrgLevelsMatchReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(16, 2026))
	for trial := range 400 {
		o := randomOrg(r)
		run := NewRun()
		var asks []string
		for _, n := range o.Nodes {
			asks = append(asks, n.ID)
		}
		asks = append(asks, "999900000000", "")
		r.Shuffle(len(asks), func(i, j int) { asks[i], asks[j] = asks[j], asks[i] })
		asks = append(asks, asks...)
		for _, useRun := range []bool{false, true} {
			opts := Options{}
			if useRun {
				opts.Run = run
			}
			f := &Facts{Org: o}
			got, want := newChecker(f, opts), newChecker(f, Options{Run: run})
			for _, account := range asks {
				for _, k := range []iam.LayerKind{iam.LayerSCP, iam.LayerRCP} {
					var gls, wls layerSet
					gl, gn := got.orgLevels(&gls, account, k)
					wl, wn := referenceOrgLevels(want, &wls, account, k)
					if !samePolicies(gl, wl) || !reflect.DeepEqual(gn, wn) || !reflect.DeepEqual(gls, wls) {
						t.Fatalf("trial %d, %s of %q (run %v): got levels %v at %v, layers %+v;\nwant %v at %v, layers %+v\norg %s",
							trial, k, account, useRun, labelsOf(gl), gn, gls, labelsOf(wl), wn, wls, dump(o))
					}
				}
				gp, gok := got.orgPath(account)
				wp, wok := referenceOrgPath(o, account)
				if gp != wp || gok != wok {
					t.Fatalf("trial %d: path of %q = %q (%v), want %q (%v)\norg %s", trial, account, gp, gok, wp, wok, dump(o))
				}
			}
			if !reflect.DeepEqual(got.raw, want.raw) {
				t.Fatalf("trial %d: findings %s, want %s", trial, dump(got.raw), dump(want.raw))
			}
		}
	}
}

// samePolicies compares levels by policy identity (one parse per run) or,
// across parses, by label.
func samePolicies(a, b [][]*iam.Policy) bool {
	return reflect.DeepEqual(labelsOf(a), labelsOf(b))
}

func labelsOf(levels [][]*iam.Policy) [][]string {
	out := [][]string{}
	for _, l := range levels {
		ls := []string{}
		for _, p := range l {
			ls = append(ls, p.Label)
		}
		out = append(out, ls)
	}
	return out
}

// TestRunChangesNoDecision checks whole jobs: the jobs of random
// organizations, in the role's account and reading a bucket of another,
// decide the same when each is checked on its own and when all share one
// Run from several goroutines at once.
func TestRunChangesNoDecision(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 16))
	for trial := range 60 {
		o := randomOrg(r)
		var accounts []string
		for _, n := range o.Nodes {
			if n.Kind == NodeAccount {
				accounts = append(accounts, n.ID)
			}
		}
		var jobs []*Facts
		for j := range 6 {
			f := with(append(crossAccountRead(), bucketPolicy("shared-data", grantRoleOnShared))...)
			own := accounts[r.IntN(len(accounts))]
			other := accounts[r.IntN(len(accounts))]
			f.Role.Account = fact(own, "aws_iam_role.glue")
			f.Role.ARN = fact("arn:aws:iam::"+own+":role/etl/glue-etl", "aws_iam_role.glue")
			for i := range f.Buckets {
				f.Buckets[i].Owner = fact(own, f.Buckets[i].Address)
				if f.Buckets[i].Name == "shared-data" {
					f.Buckets[i].Owner = fact(other, f.Buckets[i].Address)
				}
			}
			f.Job.Address = fmt.Sprintf("aws_glue_job.j%d", j)
			f.Org = o // shared by pointer, as the validator shares it
			jobs = append(jobs, f)
		}
		want := make([]string, len(jobs))
		for i, f := range jobs {
			want[i] = dump(Check(f, Options{}))
		}
		run := NewRun()
		got := make([]string, len(jobs))
		var wg sync.WaitGroup
		for g := range 3 {
			wg.Go(func() {
				for i := g; i < len(jobs); i += 3 {
					got[i] = dump(Check(jobs[i], Options{Run: run}))
				}
			})
		}
		wg.Wait()
		for i := range jobs {
			if got[i] != want[i] {
				t.Fatalf("trial %d, job %d: with a shared run\n%s\nwant\n%s\norg %s", trial, i, got[i], want[i], dump(o))
			}
		}
	}
}

// TestLayerSetClonesAreIndependent checks that requests cloned from one
// layer set (the role's, shared by every request of a job) each see only
// the layers they add, whatever room the shared lists have spare.
func TestLayerSetClonesAreIndependent(t *testing.T) {
	var shared layerSet
	for i := range 3 { // three entries each: room for a fourth
		shared.in.Identity = append(shared.in.Identity, &iam.Policy{Label: "p" + strconv.Itoa(i)})
		shared.unknown = append(shared.unknown, unknownLayer{Missing: Missing{Fact: "u" + strconv.Itoa(i)}})
		shared.unresolved = append(shared.unresolved, "r"+strconv.Itoa(i))
		shared.uncertain = append(shared.uncertain, uncertainLevel{policy: "c" + strconv.Itoa(i)})
		shared.maybeGrants = append(shared.maybeGrants, maybeGrant{missing: Missing{Fact: "g" + strconv.Itoa(i)}})
	}
	add := func(name string) layerSet {
		ls := shared.clone()
		ls.in.Identity = append(ls.in.Identity, &iam.Policy{Label: name})
		ls.unknown = append(ls.unknown, unknownLayer{Missing: Missing{Fact: name}})
		ls.unresolved = append(ls.unresolved, name)
		ls.uncertain = append(ls.uncertain, uncertainLevel{policy: name})
		ls.maybeGrants = append(ls.maybeGrants, maybeGrant{missing: Missing{Fact: name}})
		return ls
	}
	a, b := add("a"), add("b")
	for name, ls := range map[string]layerSet{"a": a, "b": b} {
		got := []string{ls.in.Identity[3].Label, ls.unknown[3].Missing.Fact, ls.unresolved[3], ls.uncertain[3].policy, ls.maybeGrants[3].missing.Fact}
		for _, g := range got {
			if g != name {
				t.Errorf("request %s sees %v, want only its own layers", name, got)
				break
			}
		}
	}
	if len(shared.in.Identity) != 3 || len(shared.unknown) != 3 {
		t.Error("a request's layers reached the shared set")
	}
}
