package validator

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// connectionS3Properties are the connection_properties that name S3 objects
// Glue loads for the job (docs/model.md#s3-locations).
var connectionS3Properties = []string{"JDBC_DRIVER_JAR_URI", "CUSTOM_JDBC_CERT", "KAFKA_CUSTOM_CERT", "KAFKA_CLIENT_KEYSTORE", "CONNECTOR_URL"}

// builder state shared by all jobs of one plan.
type shared struct {
	// config is the configuration evaluator, nil when none: job scripts
	// uploaded from a source file are read through it (facts_script.go).
	config           *configEval
	roles            roleIndex
	roleLinks        map[string][]*planjson.Resource
	roleCache        reuseCache[access.Role]
	policies         map[string]*planjson.Resource
	declaredPolicies map[string]*access.PolicyDoc
	// bucketParts are the plan's buckets, built by bucket when a job reads
	// them; bucketPolicy holds the policy of each built, under policyMu
	// (the check workers build buckets).
	bucketParts  map[string]bucketParts
	bucketCache  reuseCache[access.Bucket]
	policyMu     sync.Mutex
	bucketPolicy map[string]*access.PolicyDoc
	// decl completes the buckets the plan shows and adds those it does not.
	decl    *declarations
	keys    []access.KMSKey
	objects []access.S3Object
	// keysByID and objectsByBucket index keys and objects for addStores
	// (a job reads a few of them, and a scan of all for every job made the
	// fact builder cost jobs times keys).
	keysByID        map[string][]int
	objectsByBucket map[string][]int
	network         *access.Network
	org             *access.Organization
	connections     map[string]*planjson.Resource
	secConfigs      map[string]*planjson.Resource
	// catalog is the plan's Data Catalog and Lake Formation facts.
	catalog *access.Catalog
}

// indexByName maps each instance of a type to its known name.
func (b *builder) indexByName(typ string) map[string]*planjson.Resource {
	out := map[string]*planjson.Resource{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, typ) {
		if n := b.str(r, "name"); n.Known && n.V != "" {
			out[n.V] = r
		}
	}
	return out
}

// buildJob returns the facts about one aws_glue_job.
func (b *builder) buildJob(r *planjson.Resource) access.Job {
	j := access.Job{
		Address:                 r.Address,
		Name:                    b.str(r, "name"),
		RoleRef:                 b.str(r, "role_arn"),
		Command:                 b.str(r, "command.0.name"),
		ScriptLocation:          b.str(r, "command.0.script_location"),
		DefaultArguments:        b.argMap(r, "default_arguments"),
		NonOverridableArguments: b.argMap(r, "non_overridable_arguments"),
		GlueVersion:             b.str(r, "glue_version"),
		Partition:               b.ix.partition(),
	}
	if !j.RoleRef.Known {
		// Name the role the value will come from.
		if t, ok := b.ix.Reference(r, "role_arn"); ok {
			j.RoleRef = access.Unknown[string](access.Provenance{Address: t.Resource.Address, Attribute: t.Attr, Note: "known after apply"})
			if v := b.symbol(t.Resource, "arn"); !isSymbol(v, t.Resource) && t.Resource.Type == "aws_iam_role" {
				j.RoleRef = access.Known(v, access.Provenance{Address: t.Resource.Address, Attribute: "arn", Note: "derived from account, path and name"})
			}
		}
	}
	j.PartialArguments = append(b.partialArgs(r, "default_arguments", false, j.DefaultArguments), b.partialArgs(r, "non_overridable_arguments", true, j.NonOverridableArguments)...)
	// An attribute Terraform always writes that the plan lacks cannot be
	// read: unknown, never "not set".
	missing := func(attr string) access.Provenance {
		return access.Provenance{Address: r.Address, Attribute: attr, Note: "absent from the planned values"}
	}
	if absent(r, "role_arn") {
		j.RoleRef = access.Unknown[string](missing("role_arn"))
	}
	if absent(r, "command") {
		j.Command, j.ScriptLocation = access.Unknown[string](missing("command")), access.Unknown[string](missing("command"))
	}
	j.Region = b.region(r)
	names, namesKnown := b.strList(r, "connections")
	refs := b.ix.References(r, "connections")
	if !namesKnown && len(names) == 0 {
		for _, t := range refs {
			if t.Resource.Type == "aws_glue_connection" {
				names = append(names, b.symbol(t.Resource, "name"))
			}
		}
	}
	for _, name := range names {
		j.Connections = append(j.Connections, b.connection(r, name, refs))
	}
	if absent(r, "connections") {
		j.Connections = append(j.Connections, access.Connection{Name: "connections of " + r.Address, From: missing("connections"), SubnetID: access.Unknown[string](missing("connections"))})
	}
	if absent(r, "security_configuration") {
		j.SecurityConfiguration = &access.SecurityConfiguration{From: missing("security_configuration"),
			S3EncryptionMode: access.Unknown[access.S3EncryptionMode](missing("security_configuration")), S3KMSKeyARN: access.Unknown[string](missing("security_configuration"))}
	} else if sc := b.str(r, "security_configuration"); !sc.Known || sc.V != "" {
		j.SecurityConfiguration = b.securityConfiguration(r, sc)
	}
	return j
}

// argMap reads a job argument map. Elements the plan marks unknown are left
// out here and kept by partialArgs; a map the plan lacks altogether, or that
// is not a map of strings, is unknown (docs/validate.md: an unknown is never
// turned into a pass).
func (b *builder) argMap(r *planjson.Resource, attr string) access.Value[map[string]string] {
	if absent(r, attr) {
		return access.Unknown[map[string]string](access.Provenance{Address: r.Address, Attribute: attr, Note: "absent from the planned values"})
	}
	if m, ok := r.UnknownAt(attr).(map[string]any); ok && len(m) > 0 {
		// The configuration may supply every element the plan leaves
		// unknown ("s3://${aws_s3_bucket.lake.id}/tmp/", the bucket's id
		// being its name): then the whole map is known.
		if full, ok := b.configArgs(r, attr, m); ok {
			return full
		}
		// Read the known elements only: partialArgs keeps the others.
		v, src, ok := resolveFrom(planValues{b.ix}, r.Address, attr)
		if !ok {
			return b.strMap(r, attr)
		}
		known, isMap := v.(map[string]any)
		if !isMap {
			return access.Unknown[map[string]string](from(r, attr))
		}
		out := make(map[string]string, len(known))
		for k, x := range known {
			if m[k] == true {
				continue
			}
			s, isStr := x.(string)
			if !isStr {
				return access.Unknown[map[string]string](from(r, attr))
			}
			out[k] = s
		}
		return access.Known(out, src)
	}
	return b.strMap(r, attr)
}

// configArgs reads an argument map through the configuration evaluator
// when it gives a string for every element, including each one the plan
// marks unknown (unknown); ok is false otherwise.
func (b *builder) configArgs(r *planjson.Resource, attr string, unknown map[string]any) (access.Value[map[string]string], bool) {
	v, src, ok := b.resolve(r, attr)
	if !ok || src.File == "" {
		return access.Value[map[string]string]{}, false
	}
	full, isMap := v.(map[string]any)
	if !isMap {
		return access.Value[map[string]string]{}, false
	}
	out := make(map[string]string, len(full))
	for k, x := range full {
		s, isStr := x.(string)
		if !isStr {
			return access.Value[map[string]string]{}, false
		}
		out[k] = s
	}
	for k, u := range unknown {
		if _, has := out[k]; u == true && !has {
			return access.Value[map[string]string]{}, false
		}
	}
	return access.Known(out, src), true
}

// partialArgs returns the arguments of a known argument map whose values the
// plan marks unknown until apply, each with the known text that starts it
// (from the configuration) and the values that complete it.
func (b *builder) partialArgs(r *planjson.Resource, attr string, nonOverridable bool, known access.Value[map[string]string]) []access.PartialArgument {
	if !known.Known {
		return nil
	}
	m, ok := r.UnknownAt(attr).(map[string]any)
	if !ok {
		return nil
	}
	leaves := b.unknownLeaves(r, attr)
	var out []access.PartialArgument
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] != true {
			continue
		}
		if _, isKnown := known.V[k]; isKnown {
			continue
		}
		p := access.PartialArgument{Key: k, NonOverridable: nonOverridable, Leaves: leaves,
			From: access.Provenance{Address: r.Address, Attribute: attr + "." + k}}
		p.Prefix, p.From.File, p.From.Line = b.knownPrefix(r, attr, k)
		out = append(out, p)
	}
	return out
}

// unknownLeaves names the values known only after apply that the
// configuration of attr refers to.
func (b *builder) unknownLeaves(r *planjson.Resource, attr string) []string {
	var leaves []string
	for _, t := range b.ix.References(r, attr) {
		a := t.Attr
		if a == "" {
			a = "id"
		}
		if t.Resource.IsUnknown(a) || t.Resource.Created {
			leaves = append(leaves, t.Resource.Address+"."+a)
		}
	}
	return leaves
}

// knownPrefix returns the text a string the configuration builds starts with
// when the rest is known only after apply ("s3://libs/" of
// "s3://libs/${aws_s3_object.wheel.id}"), and where it is configured.
func (b *builder) knownPrefix(r *planjson.Resource, path ...string) (string, string, int) {
	ce := configOf(b.res)
	if ce == nil {
		return "", "", 0
	}
	v, err := ce.ev.Attribute(r.Address, path...)
	// A sensitive prefix (read from a file the plan does not show) must not
	// reach a report: see configEval.ResolveFrom.
	if err != nil || v.Sensitive || !v.Val.Type().Equals(cty.String) || v.Val.IsKnown() {
		return "", "", 0
	}
	return v.Val.Range().StringPrefix(), v.Range.Filename, v.Range.Start.Line
}

// configOf finds the configuration evaluator among the resolvers.
func configOf(res resolver) *configEval {
	switch r := res.(type) {
	case *configEval:
		if r != nil && r.ev != nil {
			return r
		}
	case chain:
		for _, x := range r {
			if ce := configOf(x); ce != nil {
				return ce
			}
		}
	}
	return nil
}

// absent reports whether a top-level attribute is missing from the planned
// values, which Terraform writes in full (null for what is not set): a plan
// without it was not written by Terraform, and what it would say is unknown.
func absent(r *planjson.Resource, attr string) bool {
	if !r.HasValues() || r.IsUnknown(attr) {
		return false
	}
	return !r.Written(attr)
}

// unplaced says which part of an object's location the plan does not know
// (an aws_s3_object whose bucket or key is known only after apply): the
// object may be the script or a library a job reads, so it is kept.
func unplaced(r *planjson.Resource, bucketKnown bool, key access.Value[string]) *access.Missing {
	var parts []string
	if !bucketKnown {
		parts = append(parts, r.Address+".bucket")
	}
	if !key.Known || key.V == "" {
		// The key is required: an empty one is not readable.
		parts = append(parts, r.Address+".key")
	}
	if len(parts) == 0 {
		return nil
	}
	return &access.Missing{Fact: strings.Join(parts, " and ") + " (where the plan writes the object)",
		How: "give the object a bucket and key known at plan time"}
}

// knownStr returns s when it is known, "" otherwise.
func knownStr(s string, known bool) string {
	if !known {
		return ""
	}
	return s
}

// unreadableBlock reports whether a top-level nested block the plan should
// show cannot be read: absent, null, or not a list of blocks (Terraform
// writes an empty list for a block that is not set). What it holds is then
// unknown, never "not set".
func unreadableBlock(r *planjson.Resource, attr string) bool {
	if !r.HasValues() || r.IsUnknown(attr) {
		return false
	}
	if absent(r, attr) {
		return true
	}
	_, isList := r.Attribute(attr).([]any)
	return !isList
}

// topAttr is the top-level attribute of a dot path.
func topAttr(path string) string {
	top, _, _ := strings.Cut(path, ".")
	return top
}

// readBlock reads the string attr of the first block named block (attr ""
// reads block itself as a string attribute). A governing value the plan
// lacks, or shows null where Terraform requires one, is unknown: docs/validate.md
// promises an unknown is never turned into a pass.
func (b *builder) readBlock(r *planjson.Resource, block, attr string) access.Value[string] {
	if attr == "" {
		v := b.str(r, block)
		if absent(r, block) || v.Known && v.V == "" {
			return access.Unknown[string](access.Provenance{Address: r.Address, Attribute: block, Note: "not readable in the plan"})
		}
		return v
	}
	if unreadableBlock(r, block) {
		return access.Unknown[string](access.Provenance{Address: r.Address, Attribute: block, Note: "not readable in the plan"})
	}
	return b.str(r, block+".0."+attr)
}

// connection resolves one connection name of a job.
func (b *builder) connection(job *planjson.Resource, name string, refs []planjson.Target) access.Connection {
	c := access.Connection{Name: name, From: from(job, "connections")}
	r := b.connections[name]
	if r == nil {
		for _, t := range refs {
			if t.Resource.Type == "aws_glue_connection" && b.symbol(t.Resource, "name") == name {
				r = t.Resource
			}
		}
	}
	if r == nil {
		return c
	}
	c.Found = true
	c.Address = r.Address
	c.From = access.Provenance{Address: r.Address}
	if v, ok := b.raw(r, "physical_connection_requirements"); ok {
		if l, ok := v.([]any); !ok {
			// Not a list of blocks: unreadable, so unknown.
			c.SubnetID = access.Unknown[string](from(r, "physical_connection_requirements"))
		} else if len(l) > 0 {
			sub, _, ok := b.linked(r, "physical_connection_requirements", "subnet_id")
			if ok {
				c.SubnetID = access.Known(sub, from(r, "physical_connection_requirements"))
			} else {
				c.SubnetID = access.Unknown[string](from(r, "physical_connection_requirements"))
			}
		} else {
			c.SubnetID = access.Known("", from(r, "physical_connection_requirements"))
		}
	} else if r.IsUnknown("physical_connection_requirements") || absent(r, "physical_connection_requirements") {
		c.SubnetID = access.Unknown[string](from(r, "physical_connection_requirements"))
	} else {
		c.SubnetID = access.Known("", from(r, "physical_connection_requirements"))
	}
	props := b.argMap(r, "connection_properties")
	if !props.Known {
		// Any of the properties naming S3 objects may be set.
		c.PartialS3Properties = append(c.PartialS3Properties, access.PartialArgument{Key: "connection_properties",
			From: props.From, Leaves: b.unknownLeaves(r, "connection_properties")})
	}
	for _, p := range b.partialArgs(r, "connection_properties", false, props) {
		if slices.Contains(connectionS3Properties, p.Key) {
			c.PartialS3Properties = append(c.PartialS3Properties, p)
		}
	}
	if props.Known {
		for _, k := range connectionS3Properties {
			if v := props.V[k]; awsid.HasS3Scheme(v) {
				if c.S3Properties == nil {
					c.S3Properties = map[string]string{}
				}
				c.S3Properties[k] = v
			}
		}
	}
	return c
}

// securityConfiguration resolves the job's security configuration by name or
// reference.
func (b *builder) securityConfiguration(job *planjson.Resource, name access.Value[string]) *access.SecurityConfiguration {
	var r *planjson.Resource
	if name.Known {
		r = b.secConfigs[name.V]
	}
	if r == nil {
		if t, ok := b.ix.Reference(job, "security_configuration"); ok && t.Resource.Type == "aws_glue_security_configuration" {
			r = t.Resource
		}
	}
	sc := &access.SecurityConfiguration{Name: name.V, From: from(job, "security_configuration")}
	if r == nil {
		sc.S3EncryptionMode = access.Unknown[access.S3EncryptionMode](access.Provenance{Note: "security configuration " + name.V + " not in the plan"})
		sc.S3KMSKeyARN = access.Unknown[string](sc.S3EncryptionMode.From)
		return sc
	}
	sc.Address = r.Address
	sc.From = access.Provenance{Address: r.Address}
	if !name.Known {
		sc.Name = b.symbol(r, "name")
	}
	const enc = "encryption_configuration.0.s3_encryption.0."
	sc.S3EncryptionMode = access.S3EncryptionModes.Fact(b.str(r, enc+"s3_encryption_mode"))
	if sc.S3EncryptionMode.Known && sc.S3EncryptionMode.V == "" {
		sc.S3EncryptionMode.V = access.S3EncryptionDisabled
	}
	sc.S3KMSKeyARN = b.keyRef(r, enc+"kms_key_arn", "encryption_configuration", "s3_encryption", "kms_key_arn")
	return sc
}

// s3URLs returns every s3:// (s3a://, s3n://) URL in the job's known strings:
// script, arguments, connection properties and declared paths.
func s3URLs(j access.Job, decl []access.AccessPath) []string {
	var out []string
	scan := func(s string) {
		for {
			i := awsid.IndexS3URL(s)
			if i < 0 {
				return
			}
			s = s[i:]
			end := strings.IndexAny(s, " ,\t\n\"'")
			if end < 0 {
				end = len(s)
			}
			out = append(out, s[:end])
			s = s[2:]
		}
	}
	scan(j.ScriptLocation.V)
	for _, m := range []map[string]string{j.DefaultArguments.V, j.NonOverridableArguments.V} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			scan(m[k])
		}
	}
	for _, c := range j.Connections {
		for _, k := range slices.Sorted(maps.Keys(c.S3Properties)) {
			scan(c.S3Properties[k])
		}
	}
	for _, d := range decl {
		scan(d.URL)
	}
	return out
}

// bucketOf returns the bucket name of an S3 URL.
func bucketOf(url string) string {
	rest, _, _ := awsid.CutS3Scheme(url)
	b, _, _ := strings.Cut(rest, "/")
	return b
}

// Job tags that declare data paths (docs/model.md#s3-locations): comma-separated S3 URLs.
var accessTags = map[string]access.AccessMode{"glueaccess:read": access.ModeRead, "glueaccess:write": access.ModeWrite}

// tagAccess returns the data paths declared in the job's tags.
func (b *builder) tagAccess(r *planjson.Resource) []access.AccessPath {
	tags := b.argMap(r, "tags")
	if !tags.Known {
		// The tags may declare paths: they stay needs, unknown.
		var out []access.AccessPath
		for _, tag := range slices.Sorted(maps.Keys(accessTags)) {
			out = append(out, access.AccessPath{Mode: accessTags[tag], Unknown: "tags of " + r.Address,
				From: access.Provenance{Address: r.Address, Attribute: "tags", Note: tag + " known only after apply"}})
		}
		return out
	}
	var out []access.AccessPath
	for _, p := range b.partialArgs(r, "tags", false, tags) {
		if mode, ok := accessTags[p.Key]; ok {
			out = append(out, access.AccessPath{URL: p.Prefix, Mode: mode, Unknown: strings.Join(p.Leaves, ", "), From: p.From})
			if len(p.Leaves) == 0 {
				out[len(out)-1].Unknown = "a value known after apply"
			}
		}
	}
	for _, tag := range slices.Sorted(maps.Keys(accessTags)) {
		for _, u := range strings.Split(tags.V[tag], ",") {
			if u = strings.TrimSpace(u); u == "" {
				continue
			}
			url, ok := declaredPrefix(u)
			if !ok {
				// Not an S3 URL: kept as written, so the checks report the
				// declared path unknown, naming it, rather than drop it.
				url = u
			}
			out = append(out, access.AccessPath{URL: url, Mode: accessTags[tag], From: access.Provenance{Address: r.Address, Attribute: "tags", Note: tag}})
		}
	}
	return out
}

// jobFacts assembles the facts for one job: the buckets, objects and keys its
// URLs touch rather than the whole plan, so each check reads only what matters.
func (b *builder) jobFacts(r *planjson.Resource, decl []access.AccessPath) *access.Facts {
	j := b.buildJob(r)
	decl = append(b.tagAccess(r), decl...)
	scripts, tables := b.scriptPaths(r, j)
	decl = append(decl, scripts...)
	f := &access.Facts{Job: j, Network: b.network, Org: b.org, Access: decl, CatalogTables: tables}
	f.Role = b.jobRole(r, j.RoleRef)
	b.catalogFacts(f)
	b.addStores(f, append(s3URLs(j, decl), catalogURLs(f)...))
	return f
}

// addStores adds the buckets, objects and keys the URLs touch to the facts.
func (b *builder) addStores(f *access.Facts, urls []string) {
	j := f.Job
	names := map[string]bool{}
	for _, u := range urls {
		names[bucketOf(u)] = true
	}
	keyIDs := map[string]bool{}
	if j.SecurityConfiguration != nil && j.SecurityConfiguration.S3KMSKeyARN.Known {
		keyIDs[j.SecurityConfiguration.S3KMSKeyARN.V] = true
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		if bk := b.bucket(n); bk != nil {
			f.Buckets = append(f.Buckets, *bk)
			if bk.SSEKMSKeyID.Known && bk.SSEKMSKeyID.V != "" {
				keyIDs[bk.SSEKMSKeyID.V] = true
			}
		}
	}
	// The objects in the buckets named, and those placed in no known
	// bucket, in plan order.
	var objs []int
	for n := range names {
		objs = append(objs, b.objectsByBucket[n]...)
	}
	objs = append(objs, b.objectsByBucket[unplacedObjects]...)
	for _, i := range sortedUnique(objs) {
		o := b.objects[i]
		f.Objects = append(f.Objects, o)
		if o.KMSKeyID.Known && o.KMSKeyID.V != "" {
			keyIDs[o.KMSKeyID.V] = true
		}
	}
	// The keys any of the IDs names by ARN, key ID or alias, in the order
	// of b.keys before they are sorted.
	var keys []int
	for id := range keyIDs {
		keys = append(keys, b.keysByID[id]...)
	}
	for _, i := range sortedUnique(keys) {
		f.Keys = append(f.Keys, b.keys[i])
	}
	sort.Slice(f.Keys, func(i, j int) bool { return f.Keys[i].Address < f.Keys[j].Address })
}

// unplacedObjects is the objectsByBucket entry of the objects whose bucket
// is not known (Unplaced set, Bucket empty); no bucket name is "\x00".
const unplacedObjects = "\x00"

// indexStores indexes the plan's keys by every ID that names them (ARN,
// key ID, aliases; an empty one too, as addStores may look one up) and its
// objects by bucket name, the unplaced ones also under unplacedObjects.
func (b *builder) indexStores() {
	b.keysByID = map[string][]int{}
	for i, k := range b.keys {
		for _, id := range append([]string{k.ARN.V, k.KeyID}, k.Aliases...) {
			if l := b.keysByID[id]; len(l) == 0 || l[len(l)-1] != i {
				b.keysByID[id] = append(l, i)
			}
		}
	}
	b.objectsByBucket = map[string][]int{}
	for i, o := range b.objects {
		b.objectsByBucket[o.Bucket] = append(b.objectsByBucket[o.Bucket], i)
		if o.Unplaced != nil && o.Bucket == "" {
			b.objectsByBucket[unplacedObjects] = append(b.objectsByBucket[unplacedObjects], i)
		}
	}
}

// sortedUnique sorts l and drops repeats, in place.
func sortedUnique(l []int) []int {
	slices.Sort(l)
	return slices.Compact(l)
}

// region is the Region a resource is in: its region argument, else its
// provider configuration's; unknown when neither is known.
func (b *builder) region(r *planjson.Resource) access.Value[string] {
	if rg := b.str(r, "region"); rg.Known && rg.V != "" {
		return rg
	}
	p := access.Provenance{Address: r.Address, Note: "region of its provider configuration"}
	if rg, ok := b.ix.regionOf(r.ProviderKey()); ok {
		return access.Known(rg, p)
	}
	return access.Unknown[string](p)
}
