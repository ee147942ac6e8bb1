package access

import (
	"strings"
	"sync"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// orgIndex is an organization tree indexed for the questions every request
// asks of it: is an account a node, which nodes are on its path to the root,
// what is its aws:PrincipalOrgPaths value. Each account's answers are worked
// out once; the jobs of a run share one index (Run), so the cost of the
// tree is paid per account, not per job or per request. Safe for concurrent
// use once built; the tree must not change while it is in use.
type orgIndex struct {
	org  *Organization
	byID map[string]*OrgNode // the last node of an id, as the tree reads
	root *OrgNode            // the first root

	mu     sync.Mutex
	places map[string]*orgPlace
}

// orgPlace is an account's place in the tree.
type orgPlace struct {
	// chain is the account's node first, then each ancestor reached through
	// known parents, then the root if the walk did not reach it.
	chain  []*OrgNode
	onPath map[string]bool
	// known is set when the walk reached the root: the path is complete.
	known bool
	// offPath are, when the path is not complete, the OUs off it that carry
	// policies of each kind (SCP, RCP): any of them may sit between the root
	// and the known part of the chain. In tree order.
	offPathSCP, offPathRCP []*OrgNode
	// orgPath is the aws:PrincipalOrgPaths value, "" when not known.
	orgPath string
}

// orgIndexOnce builds a Run's index of one organization once.
type orgIndexOnce struct {
	once sync.Once
	ix   *orgIndex
}

// orgIndex returns the run's index of o, building it on first use.
func (r *Run) orgIndex(o *Organization) *orgIndex {
	v, _ := r.orgs.LoadOrStore(o, &orgIndexOnce{})
	e := v.(*orgIndexOnce)
	e.once.Do(func() { e.ix = newOrgIndex(o) })
	return e.ix
}

func newOrgIndex(o *Organization) *orgIndex {
	ix := &orgIndex{org: o, byID: make(map[string]*OrgNode, len(o.Nodes)), places: map[string]*orgPlace{}}
	for i := range o.Nodes {
		n := &o.Nodes[i]
		ix.byID[n.ID] = n
		if n.Kind == NodeRoot && ix.root == nil {
			ix.root = n
		}
	}
	return ix
}

// orgIdx is the index of the job's organization: the run's, or the
// checker's own when the check is not part of a run. The caller has checked
// that the job has an organization.
func (c *checker) orgIdx() *orgIndex {
	if c.org == nil {
		if c.opts.Run != nil {
			c.org = c.opts.Run.orgIndex(c.f.Org)
		} else {
			c.org = newOrgIndex(c.f.Org)
		}
	}
	return c.org
}

// place returns the place of account in the tree, working it out on first
// use.
func (ix *orgIndex) place(account string) *orgPlace {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if p, ok := ix.places[account]; ok {
		return p
	}
	p := ix.walk(account)
	ix.places[account] = p
	return p
}

// walk finds the account's chain to the root. The account's own node, every
// ancestor reached through known parents and the root are on the path for
// certain; when the chain does not reach the root, the OUs off the chain may
// or may not lie between them (docs/model.md#ga007-scps-and-rcps).
func (ix *orgIndex) walk(account string) *orgPlace {
	p := &orgPlace{onPath: map[string]bool{}}
	for cur := ix.byID[account]; cur != nil && !p.onPath[cur.ID]; {
		p.chain = append(p.chain, cur)
		p.onPath[cur.ID] = true
		if cur.Kind == NodeRoot {
			p.known = true
			break
		}
		if !cur.Parent.Known {
			break
		}
		cur = ix.byID[cur.Parent.V]
	}
	if !p.known && ix.root != nil && !p.onPath[ix.root.ID] {
		// The root is on every account's path.
		p.chain = append(p.chain, ix.root)
		p.onPath[ix.root.ID] = true
	}
	if !p.known {
		for i := range ix.org.Nodes {
			n := &ix.org.Nodes[i]
			// Only OUs can sit unseen between the root and the known part
			// of the chain; other accounts and roots are never on this
			// account's path.
			if p.onPath[n.ID] || n.Kind != NodeOU {
				continue
			}
			if nodeRestricts(n, iam.LayerSCP) {
				p.offPathSCP = append(p.offPathSCP, n)
			}
			if nodeRestricts(n, iam.LayerRCP) {
				p.offPathRCP = append(p.offPathRCP, n)
			}
		}
	}
	p.orgPath = ix.principalOrgPath(account)
	return p
}

// offPath lists the OUs off the account's known chain carrying policies of
// kind k.
func (p *orgPlace) offPath(k iam.LayerKind) []*OrgNode {
	if k == iam.LayerRCP {
		return p.offPathRCP
	}
	return p.offPathSCP
}

// principalOrgPath is the aws:PrincipalOrgPaths value of an account:
// o-id/r-root/ou-.../, "" when its chain of parents does not reach the root
// through known OUs.
func (ix *orgIndex) principalOrgPath(account string) string {
	n := ix.byID[account]
	if n == nil || n.Kind != NodeAccount {
		return ""
	}
	var above []string // parents, nearest first
	for seen := map[string]bool{account: true}; ; {
		if !n.Parent.Known || n.Parent.V == "" || seen[n.Parent.V] {
			return ""
		}
		p := ix.byID[n.Parent.V]
		if p == nil {
			return ""
		}
		seen[p.ID] = true
		above = append(above, p.ID)
		if p.Kind == NodeRoot {
			break
		}
		if p.Kind != NodeOU {
			return ""
		}
		n = p
	}
	var b strings.Builder
	b.WriteString(ix.org.ID.V + "/")
	for i := len(above) - 1; i >= 0; i-- {
		b.WriteString(above[i] + "/")
	}
	return b.String()
}
