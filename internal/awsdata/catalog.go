package awsdata

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsdata/datafile"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/iam"
)

// ActionInfo describes one real AWS action.
type ActionInfo struct {
	Service     string // service prefix, "s3"
	Name        string // action name in canonical case, "GetObject"
	AccessLevel string // "List", "Read", "Write", "Permissions management", "Tagging", or a combination such as "Tagging, Write"
	// Resources are the resource types the action takes; none means the action
	// takes only Resource "*".
	Resources []ResourceRef
	// ConditionKeys are the condition keys the action supports, as the
	// Service Authorization Reference lists them for the action itself.
	ConditionKeys []string
}

// ResourceRef is a resource type an action takes.
type ResourceRef struct {
	Type     string // "object", "bucket", "key", ...
	Required bool
	// ARN is the resource type's ARN format, e.g.
	// "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
	ARN string
	// ConditionKeys are the keys listed for this action on this resource type.
	ConditionKeys []string
}

// String returns the full action name, "s3:GetObject".
func (a ActionInfo) String() string { return a.Service + ":" + a.Name }

// catalog is the decoded action catalog with lower-case indexes; the data
// keeps the generator's order (services by prefix, actions by name), which
// makes every listing deterministic.
type catalog struct {
	services []service
	byPrefix map[string]int // lower-case prefix → index into services
	// verdicts memoises the lint's verdict per Action entry (see verdict);
	// verdictCount counts the entries stored, to bound them.
	verdicts     sync.Map // string -> patternVerdict
	verdictCount atomic.Int64
}

type service struct {
	prefix      string
	lowerPrefix string         // lower-cased, with the colon: "s3:"
	names       []string       // action names in canonical case
	lowerName   []string       // lower-case action names, parallel to names
	byName      map[string]int // lower-case action name → index into names
	// actions (parallel to names) and arnFormat are what only Action reads;
	// nil in the catalog the lint keeps (see loadCatalog).
	actions   []datafile.Action
	arnFormat map[string]string
	// operations maps a lower-case API operation name that is not an action
	// to the actions (canonical "service:Name") that authorize it.
	operations map[string][]string
}

// loadCatalog decodes the catalog the lint uses, with the names of the
// actions only: it stays live for the life of the process, and what else the
// data says of each action (access level, resource types, condition keys) is
// most of its size. Action decodes that separately, on first use
// (loadDetails).
var loadCatalog = sync.OnceValues(func() (*catalog, error) {
	c, err := datafile.DecodeCatalog(catalogData)
	if err != nil {
		return &catalog{}, err
	}
	cat := newCatalog(c)
	for i := range cat.services {
		cat.services[i].actions, cat.services[i].arnFormat = nil, nil
	}
	return cat, nil
})

// loadDetails decodes the whole catalog, for Action.
var loadDetails = sync.OnceValues(func() (*catalog, error) {
	c, err := datafile.DecodeCatalog(catalogData)
	if err != nil {
		return &catalog{}, err
	}
	return newCatalog(c), nil
})

func newCatalog(c datafile.Catalog) *catalog {
	cat := &catalog{byPrefix: make(map[string]int, len(c.Services))}
	for _, s := range c.Services {
		svc := service{
			prefix:      s.Prefix,
			lowerPrefix: strings.ToLower(s.Prefix) + ":",
			names:       make([]string, len(s.Actions)),
			actions:     s.Actions,
			lowerName:   make([]string, len(s.Actions)),
			byName:      make(map[string]int, len(s.Actions)),
			arnFormat:   make(map[string]string, len(s.ResourceTypes)),
		}
		for i, a := range s.Actions {
			svc.names[i] = a.Name
			svc.lowerName[i] = strings.ToLower(a.Name)
			svc.byName[svc.lowerName[i]] = i
		}
		for _, rt := range s.ResourceTypes {
			svc.arnFormat[rt.Name] = rt.ARN
		}
		if len(s.Operations) > 0 {
			svc.operations = make(map[string][]string, len(s.Operations))
			for _, op := range s.Operations {
				for _, a := range op.Actions {
					svc.operations[strings.ToLower(op.Name)] = append(svc.operations[strings.ToLower(op.Name)], s.Prefix+":"+a)
				}
			}
		}
		cat.byPrefix[strings.ToLower(s.Prefix)] = len(cat.services)
		cat.services = append(cat.services, svc)
	}
	return cat
}

func currentCatalog() *catalog {
	c, _ := loadCatalog() // a decode failure leaves an empty catalog; Load reports it
	return c
}

// Action looks up an action such as "s3:GetObject", case-insensitively.
func Action(name string) (ActionInfo, bool) {
	c, _ := loadDetails() // a decode failure leaves an empty catalog; Load reports it
	return c.action(name)
}

// OperationActions returns the actions that authorize the API operation
// named like an action ("s3:ListObjectsV2" → ["s3:ListBucket"]), as the
// Service Authorization Reference documents them, when the name is an API
// operation and not itself an action; nil otherwise.
func OperationActions(name string) []string {
	return currentCatalog().operationActions(name)
}

func (c *catalog) operationActions(name string) []string {
	prefix, op, ok := strings.Cut(name, ":")
	if !ok {
		return nil
	}
	svc, ok := c.service(prefix)
	if !ok {
		return nil
	}
	lower := strings.ToLower(op)
	if acts, ok := svc.operations[lower]; ok {
		return slices.Clone(acts)
	}
	// The Service Authorization Reference links an action to one API
	// operation, the current version (s3:ListBucket to ListObjectsV2). The
	// version it replaced, named without the suffix, is authorized by the same
	// action: S3's API reference for ListObjects and ListObjectsV2 both require
	// s3:ListBucket. A name that is itself an action is never an operation.
	if _, isAction := svc.byName[lower]; !isAction {
		return slices.Clone(svc.operations[lower+"v2"])
	}
	return nil
}

// ExpandPattern returns every real action (canonical "service:Name") that an
// IAM action pattern matches: case-insensitive, "*" any run of characters,
// "?" exactly one. The result is sorted by service, then action name; it is
// empty for an unknown service or a pattern that matches nothing.
func ExpandPattern(pattern string) []string {
	return currentCatalog().expand(pattern)
}

// Closest returns the real action nearest to name by edit distance
// (case-insensitive; a transposition counts as one edit). When name's service
// prefix is known it searches that service only, otherwise every action. It
// returns "" only for an empty name (or an empty catalog, see Load). For a
// real action it returns the action in canonical case.
func Closest(name string) string {
	full, _ := currentCatalog().closest(name)
	return full
}

func (c *catalog) service(prefix string) (*service, bool) {
	i, ok := c.byPrefix[strings.ToLower(prefix)]
	if !ok {
		return nil, false
	}
	return &c.services[i], true
}

// find returns the service and index of the action name ("s3:GetObject",
// any case) names.
func (c *catalog) find(name string) (*service, int, bool) {
	prefix, act, ok := strings.Cut(name, ":")
	if !ok {
		return nil, 0, false
	}
	svc, ok := c.service(prefix)
	if !ok {
		return nil, 0, false
	}
	i, ok := svc.byName[strings.ToLower(act)]
	return svc, i, ok
}

// has reports whether name ("s3:GetObject", any case) is an action.
func (c *catalog) has(name string) bool {
	_, _, ok := c.find(name)
	return ok
}

func (c *catalog) action(name string) (ActionInfo, bool) {
	svc, i, ok := c.find(name)
	if !ok {
		return ActionInfo{}, false
	}
	return svc.info(i), true
}

// info copies the catalog entry so callers cannot alter the shared data.
func (s *service) info(i int) ActionInfo {
	a := s.actions[i]
	info := ActionInfo{
		Service:       s.prefix,
		Name:          a.Name,
		AccessLevel:   a.AccessLevel,
		ConditionKeys: slices.Clone(a.ConditionKeys),
	}
	for _, r := range a.Resources {
		info.Resources = append(info.Resources, ResourceRef{
			Type:          r.Type,
			Required:      r.Required,
			ARN:           s.arnFormat[r.Type],
			ConditionKeys: slices.Clone(r.ConditionKeys),
		})
	}
	return info
}

func (c *catalog) expand(pattern string) []string {
	var out []string
	c.matching(pattern, func(svc *service, i int) bool {
		out = append(out, svc.prefix+":"+svc.names[i])
		return true
	})
	return out
}

// matchesAny reports whether pattern matches at least one action: expand,
// without the list.
func (c *catalog) matchesAny(pattern string) bool {
	found := false
	c.matching(pattern, func(*service, int) bool {
		found = true
		return false
	})
	return found
}

// matching calls yield with each action pattern matches, in catalog order,
// until yield returns false.
func (c *catalog) matching(pattern string, yield func(svc *service, i int) bool) {
	lower := strings.ToLower(pattern)
	prefix, act, ok := strings.Cut(lower, ":")
	if ok && !hasWildcard(prefix) {
		// The common case: a literal service prefix, so only its actions can match.
		svc, found := c.service(prefix)
		if !found {
			return
		}
		m := iam.CompileWildcard(act)
		for i, name := range svc.lowerName {
			if m.Match(name) && !yield(svc, i) {
				return
			}
		}
		return
	}
	// A wildcard in the service part (or a bare "*"): IAM matches the pattern
	// against the whole "service:action" string.
	m := iam.CompileWildcard(lower)
	for s := range c.services {
		svc := &c.services[s]
		for i, name := range svc.lowerName {
			if m.Match(svc.lowerPrefix+name) && !yield(svc, i) {
				return
			}
		}
	}
}

// closest returns the nearest action and its distance to the compared part of
// name: the action part when the service is known, the whole name otherwise.
func (c *catalog) closest(name string) (string, int) {
	if name == "" {
		return "", 0
	}
	lower := strings.ToLower(name)
	if prefix, act, ok := strings.Cut(lower, ":"); ok {
		if svc, found := c.service(prefix); found {
			i, d := nearest(act, svc.lowerName)
			if i < 0 {
				return "", 0
			}
			return svc.prefix + ":" + svc.names[i], d
		}
	}
	best, bestDist := "", -1
	for _, svc := range c.services {
		for i, n := range svc.lowerName {
			full := svc.lowerPrefix + n
			if bestDist >= 0 && absDiff(len(full), len(lower)) >= bestDist {
				continue // the length difference alone already rules it out
			}
			if d := editDistance(lower, full); bestDist < 0 || d < bestDist {
				best, bestDist = svc.prefix+":"+svc.names[i], d
			}
		}
	}
	return best, bestDist
}

// closestService returns the known service prefix nearest to prefix.
func (c *catalog) closestService(prefix string) (string, int) {
	names := make([]string, len(c.services))
	for i, s := range c.services {
		names[i] = strings.ToLower(s.prefix)
	}
	i, d := nearest(strings.ToLower(prefix), names)
	if i < 0 {
		return "", 0
	}
	return c.services[i].prefix, d
}

// nearest returns the index of the candidate nearest to s (the first one on a
// tie, so the answer is deterministic) and its distance, or -1.
func nearest(s string, candidates []string) (int, int) {
	best, bestDist := -1, 0
	for i, cand := range candidates {
		if best >= 0 && absDiff(len(cand), len(s)) >= bestDist {
			continue
		}
		if d := editDistance(s, cand); best < 0 || d < bestDist {
			best, bestDist = i, d
		}
	}
	return best, bestDist
}
