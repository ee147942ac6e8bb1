package access

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
)

// S3 actions the checks use.
const (
	actGetObject       = "s3:GetObject"
	actPutObject       = "s3:PutObject"
	actDeleteObject    = "s3:DeleteObject"
	actListBucket      = "s3:ListBucket"
	actGetBucketLoc    = "s3:GetBucketLocation"
	actPutObjectACL    = "s3:PutObjectAcl"
	actAbortMPU        = "s3:AbortMultipartUpload"
	actListMPUParts    = "s3:ListMultipartUploadParts"
	actListBucketMPU   = "s3:ListBucketMultipartUploads"
	actKMSDecrypt      = "kms:Decrypt"
	actKMSGenerate     = "kms:GenerateDataKey"
	actKMSEncrypt      = "kms:Encrypt"
	cannedOwnerFull    = "bucket-owner-full-control"
	confRequesterPays  = "spark.hadoop.fs.s3.useRequesterPaysHeader"
	confS3AReqPays     = "spark.hadoop.fs.s3a.requester.pays.enabled"
	confCannedACL      = "spark.hadoop.fs.s3.canned.acl"
	confS3AACL         = "spark.hadoop.fs.s3a.acl.default"
	confShuffleBucket  = "spark.shuffle.glue.s3ShuffleBucket"
	confShuffleStorage = "spark.shuffle.storage.path"
)

// s3URL is a parsed S3 location.
type s3URL struct {
	Raw    string
	Bucket string
	Key    string // key or prefix, without leading "/"
	Prefix bool   // the location names a prefix (directory), not one object
	// Unknown, when set, names the values known only after apply that end
	// the key: the location is one object whose key starts with Key.
	Unknown string
}

// parseS3URL parses s3://, s3a:// and s3n:// URLs (docs/model.md#s3-locations). dir forces a
// prefix (directory parameters), appending "/" to a non-empty key.
func parseS3URL(raw string, dir bool) (s3URL, error) {
	v := strings.TrimSpace(raw)
	p, err := awsid.ParseS3URL(v)
	if err != nil {
		return s3URL{}, fmt.Errorf("parse S3 location %q: %w", raw, err)
	}
	u := s3URL{Raw: v, Bucket: p.Bucket, Key: p.Key, Prefix: p.IsPrefix()}
	switch {
	case u.Prefix:
	case dir:
		u.Prefix = true
		u.Key = p.Key + "/"
	}
	return u, nil
}

// mayHold reports whether the object with key may be at the location: the
// object itself, one under the prefix, or one whose key starts with the
// known part of a key that ends in a value known after apply.
func (u s3URL) mayHold(key string) bool {
	if u.Prefix || u.Unknown != "" {
		return strings.HasPrefix(key, u.Key)
	}
	return key == u.Key
}

// isS3URL reports whether s starts with an S3 scheme.
func isS3URL(s string) bool { return awsid.HasS3Scheme(strings.TrimSpace(s)) }

// splitList splits a comma-separated argument value, trimming and dropping
// empty entries.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseConf parses a --conf value: "k1=v1 --conf k2=v2" (docs/model.md#job-arguments). Later
// duplicates win, as Spark applies them in order.
func parseConf(v string) map[string]string {
	out := map[string]string{}
	fields := strings.Fields(v)
	var pieces []string
	var cur []string
	for _, f := range fields {
		if f == "--conf" {
			pieces = append(pieces, strings.Join(cur, " "))
			cur = nil
			continue
		}
		cur = append(cur, f)
	}
	pieces = append(pieces, strings.Join(cur, " "))
	for _, p := range pieces {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.TrimSpace(k) == "" {
			continue
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return out
}

// arg is one effective job argument with its provenance.
type arg struct {
	Value string
	From  Provenance
}

// jobArgs are the effective arguments of a job.
type jobArgs struct {
	Known bool
	From  Provenance // the unknown map, when !Known
	Args  map[string]arg
	Conf  map[string]arg // parsed --conf properties
	// Partial are the arguments whose values are known only in part.
	Partial map[string]PartialArgument
}

// effectiveArgs overlays default_arguments with non_overridable_arguments
// (docs/model.md#job-arguments).
func effectiveArgs(j *Job) jobArgs {
	a := jobArgs{Known: true, Args: map[string]arg{}, Conf: map[string]arg{}, Partial: map[string]PartialArgument{}}
	for i, m := range []Value[map[string]string]{j.DefaultArguments, j.NonOverridableArguments} {
		if !m.Known {
			if !m.From.IsZero() {
				a.Known = false
				a.From = m.From
			}
			continue
		}
		for _, p := range j.PartialArguments {
			if p.NonOverridable == (i == 1) {
				a.Partial[p.Key] = p
				delete(a.Args, p.Key)
			}
		}
		for k, v := range m.V {
			a.Args[k] = arg{Value: v, From: m.From}
			delete(a.Partial, k)
		}
	}
	// --conf may also come as a map key "--conf <property>" (docs/model.md#job-arguments).
	keys := slices.Sorted(maps.Keys(a.Args))
	for _, k := range keys {
		v := a.Args[k]
		switch {
		case k == "--conf":
			for ck, cv := range parseConf(v.Value) {
				a.Conf[ck] = arg{Value: cv, From: v.From}
			}
		case strings.HasPrefix(k, "--conf "):
			a.Conf[strings.TrimSpace(strings.TrimPrefix(k, "--conf "))] = arg{Value: strings.TrimSpace(v.Value), From: v.From}
		}
	}
	return a
}

// truthy reports whether an argument is set to true (case-insensitive).
func (a jobArgs) truthy(key string) bool {
	v, ok := a.Args[key]
	return ok && strings.EqualFold(strings.TrimSpace(v.Value), "true")
}

// location is one S3 location the job uses, with its intent.
type location struct {
	URL    s3URL
	Intent string
	Why    string
	Source SourceKind
}

// unresolved is a location the job uses whose URL is not known.
type unresolved struct {
	What   string // "--spark-event-logs-path"
	Why    string
	How    string
	Source SourceKind
}

// locations derives every S3 location of the job (docs/model.md#s3-locations). Bad URLs
// and unknown values are returned as unresolved; candidate s3:// values in
// custom arguments become notes.
func locations(f *Facts, a jobArgs) (locs []location, unres []unresolved, notes []string) {
	j := &f.Job
	add := func(raw, intent string, dir bool, why string) {
		u, err := parseS3URL(raw, dir)
		if err != nil {
			unres = append(unres, unresolved{What: raw, Why: why, How: "use a complete s3://bucket/key URL: " + err.Error()})
			return
		}
		locs = append(locs, location{URL: u, Intent: intent, Why: why})
	}
	from := func(key string) string {
		return fmt.Sprintf("%s %s from %s", key, a.Args[key].Value, a.Args[key].From)
	}
	// Script: --scriptLocation overrides command[0].script_location.
	if _, ok := a.Partial["--scriptLocation"]; ok {
		// Reported with the other partial arguments below.
	} else if v, ok := a.Args["--scriptLocation"]; ok {
		add(v.Value, OriginLibrary, false, from("--scriptLocation"))
	} else if j.ScriptLocation.Known {
		add(j.ScriptLocation.V, OriginLibrary, false, fmt.Sprintf("script %s from %s", j.ScriptLocation.V, j.ScriptLocation.From))
	} else {
		unres = append(unres, unresolved{What: "script location", Why: "command[0].script_location of " + j.Address,
			How: "set command.script_location to a known s3:// URL (it is unknown until apply: " + j.ScriptLocation.From.String() + ")"})
	}
	if !a.Known {
		unres = append(unres, unresolved{What: "job arguments", Why: "default_arguments of " + j.Address,
			How: "make the job's arguments known at plan time (" + a.From.String() + " is unknown until apply)"})
	}
	for _, k := range []string{"--extra-py-files", "--extra-jars", "--extra-files", "--s3-py-modules"} {
		if v, ok := a.Args[k]; ok {
			for _, e := range splitList(v.Value) {
				add(e, OriginLibrary, false, fmt.Sprintf("%s %s from %s", k, e, v.From))
			}
		}
	}
	if v, ok := a.Args["--additional-python-modules"]; ok {
		for _, e := range splitList(v.Value) {
			if isS3URL(e) {
				add(e, OriginLibrary, false, fmt.Sprintf("--additional-python-modules %s from %s", e, v.From))
			}
		}
	}
	if v, ok := a.Args["--TempDir"]; ok {
		add(v.Value, OriginTemp, true, from("--TempDir"))
	}
	if a.truthy("--enable-spark-ui") {
		if v, ok := a.Args["--spark-event-logs-path"]; ok {
			add(v.Value, OriginLog, true, from("--spark-event-logs-path")+" (with --enable-spark-ui)")
		} else {
			unres = append(unres, unresolved{What: "Spark UI event log location", Why: "--enable-spark-ui true without --spark-event-logs-path",
				How: "set --spark-event-logs-path to an s3:// prefix in the job's default_arguments"})
		}
	}
	shuffle := a.truthy("--write-shuffle-files-to-s3") || a.truthy("--write-shuffle-spills-to-s3")
	if c, ok := a.Conf[confShuffleBucket]; ok {
		add(c.Value, OriginTemp, true, fmt.Sprintf("--conf %s=%s from %s", confShuffleBucket, c.Value, c.From))
	} else if shuffle {
		if t, ok := a.Args["--TempDir"]; ok {
			if u, err := parseS3URL(t.Value, true); err == nil {
				add("s3://"+u.Bucket+"/"+u.Key+"shuffle-data/", OriginTemp, true, "shuffle files under --TempDir "+t.Value+" from "+t.From.String())
			}
		} else {
			unres = append(unres, unresolved{What: "S3 shuffle location", Why: "--write-shuffle-files-to-s3 without a shuffle bucket or --TempDir",
				How: "set --TempDir or --conf " + confShuffleBucket + "=s3://..."})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.Conf)) {
		c := a.Conf[k]
		why := fmt.Sprintf("--conf %s=%s from %s", k, c.Value, c.From)
		switch {
		case k == confShuffleStorage:
			add(c.Value, OriginTemp, true, why)
		case strings.HasPrefix(k, "spark.sql.catalog.") && strings.HasSuffix(k, ".warehouse") && isS3URL(c.Value):
			add(c.Value, OriginDataRead, true, why)
			add(c.Value, OriginWrite, true, why)
		case k == "spark.jars" || k == "spark.driver.extraClassPath" || k == "spark.executor.extraClassPath":
			for _, e := range splitList(c.Value) {
				if isS3URL(e) {
					add(e, OriginLibrary, false, why)
				}
			}
		}
	}
	for _, c := range j.Connections {
		for _, k := range slices.Sorted(maps.Keys(c.S3Properties)) {
			v := c.S3Properties[k]
			if isS3URL(v) {
				add(v, OriginLibrary, false, fmt.Sprintf("connection %s %s", c.Name, k))
			}
		}
	}
	for _, c := range j.Connections {
		for _, p := range c.PartialS3Properties {
			if l, ok := partialObject(p, strings.TrimSpace(p.Prefix)); ok {
				l.why = fmt.Sprintf("connection %s %s %s", c.Name, p.Key, l.why)
				locs = append(locs, l.location())
				continue
			}
			unres = append(unres, unresolved{What: fmt.Sprintf("connection %s %s %s${%s}", c.Name, p.Key, p.Prefix, leafNames(p)),
				Why: fmt.Sprintf("connection %s %s from %s", c.Name, p.Key, p.From),
				How: "the value is known only after apply (" + leafNames(p) + "); give it a value known at plan time"})
		}
	}
	for _, p := range f.Access {
		src := p.Source
		if src == "" {
			src = SourceDeclared
		}
		nl, nu := len(locs), len(unres)
		accessLocations(p, add, &unres)
		for i := nl; i < len(locs); i++ {
			locs[i].Source = src
		}
		for i := nu; i < len(unres); i++ {
			unres[i].Source = src
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.Partial)) {
		l, u, note := partialLocations(a.Partial[k])
		for _, e := range l {
			if e.unknown == "" {
				add(e.raw, e.intent, e.dir, e.why)
				continue
			}
			locs = append(locs, e.location())
		}
		unres = append(unres, u...)
		if note != "" {
			notes = append(notes, note)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.Args)) {
		if strings.HasPrefix(k, "--conf ") {
			notes = append(notes, fmt.Sprintf("argument key %q passes a Spark property in the key itself; Glue's handling of such keys is undocumented", k))
		}
		if known[k] || strings.HasPrefix(k, "--conf") {
			continue
		}
		if canon := caseMismatch(k); canon != "" {
			notes = append(notes, fmt.Sprintf("argument %s differs from the special parameter %s only in case; Glue matches keys exactly, so it is not interpreted", k, canon))
		}
		if strings.Contains(strings.ToLower(a.Args[k].Value), "s3://") && !scriptUses(f.Access, a.Args[k].Value) {
			notes = append(notes, fmt.Sprintf("argument %s names S3 location(s) %q whose access mode is unknown; declare it as an access path to check it", k, a.Args[k].Value))
		}
	}
	for i := range locs {
		if locs[i].Source == "" {
			locs[i].Source = SourceDefinition
		}
	}
	for i := range unres {
		if unres[i].Source == "" {
			unres[i].Source = SourceDefinition
		}
	}
	return locs, unres, notes
}

// scriptUses reports whether a path found in the job's script starts with
// an argument's value: the script read the argument, so its access is
// checked and the argument needs no declaration.
func scriptUses(paths []AccessPath, value string) bool {
	v := strings.TrimSpace(value)
	for _, p := range paths {
		if p.Source == SourceScript && v != "" && p.URL != "" && strings.HasPrefix(p.URL, v) {
			return true
		}
	}
	return false
}

// namesFile reports whether an S3 URL's last segment looks like a file name:
// it has an extension and does not end with "/".
func namesFile(u string) bool {
	if strings.HasSuffix(u, "/") {
		return false
	}
	last := u[strings.LastIndexByte(u, '/')+1:]
	i := strings.LastIndexByte(last, '.')
	return i > 0 && i < len(last)-1
}

// accessLocations adds the locations of a declared or script-found path
// (docs/validate.md): a path whose end is not known, or whose mode is not,
// is unresolved, naming what is missing.
func accessLocations(p AccessPath, add func(raw, intent string, dir bool, why string), unres *[]unresolved) {
	if p.Source == SourceScript {
		at := p.From.File
		if p.From.Line > 0 {
			at += ":" + strconv.Itoa(p.From.Line)
		}
		call := p.From.Note
		switch {
		case call == "":
			// The script itself could not be read.
			*unres = append(*unres, unresolved{What: "the data paths of the script at " + at, Why: "script " + at,
				How: "glueaccess could not read " + p.Unknown + "; make the script readable, or declare the job's paths in .glueaccess.hcl"})
			return
		case p.Unknown != "" && p.URL == "":
			*unres = append(*unres, unresolved{What: fmt.Sprintf("the %spath of %s at %s", modeWord(p.Mode), call, at), Why: "script " + at,
				How: "the script builds the path from " + p.Unknown + "; make it a value the script or the job's default_arguments reveal, or declare the path in .glueaccess.hcl"})
			return
		case p.Unknown != "":
			*unres = append(*unres, unresolved{What: fmt.Sprintf("the %spath %s${%s} of %s at %s", modeWord(p.Mode), p.URL, p.Unknown, call, at), Why: "script " + at,
				How: "the path's end is " + p.Unknown + "; make it a value the script or the job's default_arguments reveal, or declare the path in .glueaccess.hcl"})
			return
		case p.Mode == "":
			*unres = append(*unres, unresolved{What: fmt.Sprintf("%s, named at %s", p.URL, at), Why: "script " + at,
				How: "the script names the location in a way glueaccess does not follow, so what the job does with it is not known; declare its access mode in .glueaccess.hcl"})
			return
		}
		why := fmt.Sprintf("%s %s at %s", call, p.URL, at)
		switch p.Mode {
		case ModeRead:
			// Spark reads a directory, or one file when the path names
			// one; a last segment with an extension ("orders.csv") is taken
			// as a file, anything else as a directory, as declared paths are.
			add(p.URL, OriginDataRead, !namesFile(p.URL), why)
		case ModeWrite:
			// Spark and Glue always write a directory of part files.
			add(p.URL, OriginWrite, true, why)
		case ModeDelete:
			add(p.URL, OriginDelete, true, why)
		default:
			*unres = append(*unres, unresolved{What: fmt.Sprintf("%s, %s at %s", p.URL, p.Mode, at), Why: "script " + at,
				How: "the script's use of the location is not one glueaccess checks; declare its access in .glueaccess.hcl"})
		}
		return
	}
	if p.Unknown != "" {
		*unres = append(*unres, unresolved{What: fmt.Sprintf("declared %s path %s${%s}", p.Mode, p.URL, p.Unknown), Why: p.From.String(),
			How: "the declared path is known only after apply (" + p.Unknown + "); declare it with a value known at plan time"})
		return
	}
	why := fmt.Sprintf("declared %s access to %s (%s)", p.Mode, p.URL, p.From)
	switch p.Mode {
	case ModeRead:
		add(p.URL, OriginDataRead, true, why)
	case ModeWrite:
		add(p.URL, OriginWrite, true, why)
	case ModeReadWrite:
		add(p.URL, OriginDataRead, true, why)
		add(p.URL, OriginWrite, true, why)
	case ModeTemp:
		add(p.URL, OriginTemp, true, why)
	case ModeDelete:
		add(p.URL, OriginDelete, true, why)
	default:
		*unres = append(*unres, unresolved{What: p.URL, Why: why, How: `declare mode as one of "read", "write", "readwrite", "temp"`})
	}
}

// listArgs are the arguments holding comma-separated S3 URLs, with whether
// entries that are not s3:// URLs are names of something else (pip modules).
var listArgs = map[string]bool{"--extra-py-files": false, "--extra-jars": false, "--extra-files": false,
	"--s3-py-modules": false, "--additional-python-modules": true}

// controlArgs are the arguments whose values change what the job requests
// or how: unknown, they leave its needs unknown.
var controlArgs = map[string]bool{"--scriptLocation": true, "--TempDir": true, "--spark-event-logs-path": true,
	"--enable-spark-ui": true, "--conf": true, "--write-shuffle-files-to-s3": true, "--write-shuffle-spills-to-s3": true,
	"--disable-proxy-v2": true, "--disable-proxy": true}

// partialLoc is a complete location found in the known part of an argument.
type partialLoc struct {
	raw, intent, why string
	dir              bool
	// unknown names the values that end the key, which starts with prefix.
	unknown, prefix string
}

// partialLocations keeps every need of an argument known only in part: the
// complete entries of its known text are locations; the entry the unknown
// part completes, and any after it, are unresolved, naming the values that
// complete them (docs/validate.md: nothing the job touches is dropped
// because part of its name is unknown).
func partialLocations(p PartialArgument) (locs []partialLoc, unres []unresolved, note string) {
	shown := p.Prefix + "${" + leafNames(p) + "}"
	why := fmt.Sprintf("%s %s from %s", p.Key, shown, p.From)
	how := "the value is known only after apply (" + leafNames(p) + "); give the argument a value known at plan time (a literal key, or one built from known values)"
	other, isList := listArgs[p.Key]
	switch {
	case isList:
		entries := strings.Split(p.Prefix, ",")
		for _, e := range entries[:len(entries)-1] {
			if e = strings.TrimSpace(e); e == "" || other && !isS3URL(e) {
				continue
			}
			locs = append(locs, partialLoc{raw: e, intent: OriginLibrary, why: fmt.Sprintf("%s %s from %s", p.Key, e, p.From)})
		}
		last := strings.TrimSpace(entries[len(entries)-1])
		if other && last != "" && !maybeS3URL(last) {
			return locs, nil, ""
		}
		if l, ok := partialObject(p, last); ok {
			return append(locs, l), nil, ""
		}
		unres = append(unres, unresolved{What: p.Key + " entry " + last + "${" + leafNames(p) + "}", Why: why, How: how})
	case p.Key == "--scriptLocation":
		if l, ok := partialObject(p, strings.TrimSpace(p.Prefix)); ok {
			return append(locs, l), nil, ""
		}
		unres = append(unres, unresolved{What: "argument " + p.Key + " " + shown, Why: why, How: how})
	case controlArgs[p.Key] || strings.HasPrefix(p.Key, "--conf "):
		unres = append(unres, unresolved{What: "argument " + p.Key + " " + shown, Why: why, How: how})
	default:
		if maybeS3URL(p.Prefix) {
			note = fmt.Sprintf("argument %s (%s) may name an S3 location whose access mode is unknown; declare it as an access path to check it", p.Key, shown)
		}
	}
	return locs, unres, note
}

// partialObject is the object a library entry known in part names when its
// bucket is known: its key starts with the known text and ends with the
// value known after apply.
func partialObject(p PartialArgument, known string) (partialLoc, bool) {
	u, err := parseS3URL(known, false)
	if err != nil || !strings.Contains(known[strings.Index(known, "://")+3:], "/") {
		return partialLoc{}, false // the bucket itself is not known
	}
	shown := known + "${" + leafNames(p) + "}"
	return partialLoc{raw: known, intent: OriginLibrary, unknown: leafNames(p), prefix: u.Key,
		why: fmt.Sprintf("%s %s from %s", p.Key, shown, p.From)}, true
}

// location is the object a partialObject names: its key starts with the
// known prefix and ends in the unknown value.
func (l partialLoc) location() location {
	u, _ := parseS3URL(l.raw, false)
	u.Key, u.Prefix, u.Unknown = l.prefix, false, l.unknown
	u.Raw = l.raw + "${" + l.unknown + "}"
	return location{URL: u, Intent: l.intent, Why: l.why}
}

// maybeS3URL reports whether text known to start a value may start an S3 URL.
func maybeS3URL(prefix string) bool {
	l := strings.TrimSpace(prefix)
	return awsid.MayStartS3URL(l) || awsid.IndexS3URL(l) >= 0
}

// leafNames names the values that complete a partial argument.
func leafNames(p PartialArgument) string {
	if len(p.Leaves) == 0 {
		return "a value known after apply"
	}
	return strings.Join(p.Leaves, ", ")
}

// known are the arguments locations() interprets.
var known = map[string]bool{
	"--scriptLocation": true, "--extra-py-files": true, "--extra-jars": true, "--extra-files": true,
	"--s3-py-modules": true, "--additional-python-modules": true, "--TempDir": true,
	"--spark-event-logs-path": true,
}

// special are Glue's special parameters whose spelling matters.
var special = []string{"--scriptLocation", "--extra-py-files", "--extra-jars", "--extra-files", "--s3-py-modules",
	"--additional-python-modules", "--TempDir", "--spark-event-logs-path", "--enable-spark-ui", "--disable-proxy-v2", "--disable-proxy",
	"--write-shuffle-files-to-s3", "--write-shuffle-spills-to-s3", "--encryption-type", "--conf"}

// caseMismatch returns the special parameter k matches case-insensitively but
// not exactly, or "".
func caseMismatch(k string) string {
	for _, s := range special {
		if k != s && strings.EqualFold(k, s) {
			return s
		}
	}
	return ""
}

// action is one action of an intent.
type action struct {
	Name     string
	Bucket   bool // resource is the bucket ARN (else objects under the location)
	Required bool
}

// actionsFor lists the actions of an intent on a location (docs/model.md#actions-per-intent).
func actionsFor(intent string, prefix, sendsACL bool) []action {
	var acts []action
	switch intent {
	case OriginLibrary:
		acts = []action{{Name: actGetObject, Required: true}}
		if prefix {
			acts = append(acts, action{Name: actListBucket, Bucket: true, Required: true}, action{Name: actGetBucketLoc, Bucket: true})
		}
	case OriginDataRead:
		acts = []action{{Name: actGetObject, Required: true}, {Name: actListBucket, Bucket: true, Required: true}, {Name: actGetBucketLoc, Bucket: true}}
	case OriginWrite:
		acts = []action{{Name: actPutObject, Required: true}, {Name: actDeleteObject, Required: true}, {Name: actListBucket, Bucket: true, Required: true},
			{Name: actGetObject}, {Name: actAbortMPU}, {Name: actListMPUParts}, {Name: actListBucketMPU, Bucket: true}, {Name: actGetBucketLoc, Bucket: true}}
	case OriginTemp:
		acts = []action{{Name: actGetObject, Required: true}, {Name: actPutObject, Required: true}, {Name: actDeleteObject, Required: true},
			{Name: actListBucket, Bucket: true, Required: true}, {Name: actAbortMPU}, {Name: actListMPUParts}, {Name: actListBucketMPU, Bucket: true}, {Name: actGetBucketLoc, Bucket: true}}
	case OriginLog:
		acts = []action{{Name: actPutObject, Required: true}, {Name: actGetObject}, {Name: actListBucket, Bucket: true}, {Name: actDeleteObject}}
	case OriginDelete:
		acts = []action{{Name: actDeleteObject, Required: true}, {Name: actListBucket, Bucket: true, Required: true}, {Name: actGetBucketLoc, Bucket: true}}
	}
	if sendsACL && isWrite(intent) {
		acts = append(acts, action{Name: actPutObjectACL, Required: true})
	}
	return acts
}

// isWrite reports whether an intent writes objects.
func isWrite(intent string) bool {
	return intent == OriginWrite || intent == OriginTemp || intent == OriginLog
}

// isRead reports whether an intent reads objects.
func isRead(intent string) bool {
	return intent == OriginLibrary || intent == OriginDataRead || intent == OriginTemp
}

// objectResource is the ARN a need on the location's objects uses: the
// object ARN, or "<bucket>/<prefix>*" for a prefix, so that a policy allows it
// only if it covers every key under the prefix.
func objectResource(partition string, u s3URL) string {
	if u.Unknown != "" {
		return awsid.ObjectARN(partition, u.Bucket, u.Key+"${"+u.Unknown+"}")
	}
	if u.Prefix {
		return awsid.ObjectARN(partition, u.Bucket, u.Key+"*")
	}
	return awsid.ObjectARN(partition, u.Bucket, u.Key)
}

// s3Needs turns locations into needs, deduplicated and sorted.
func s3Needs(partition string, locs []location, sendsACL bool) []Need {
	type key struct{ action, resource, intent, prefix string }
	seen := map[key]bool{}
	var out []Need
	for _, l := range locs {
		for _, a := range actionsFor(l.Intent, l.URL.Prefix, sendsACL) {
			n := Need{Action: a.Name, URL: l.URL.Raw, Bucket: l.URL.Bucket, Prefix: l.URL.Key, IsPrefix: l.URL.Prefix,
				Intent: l.Intent, Required: a.Required, Why: l.Why, Unknown: l.URL.Unknown, Source: l.Source}
			if a.Bucket {
				n.Resource = awsid.BucketARN(partition, l.URL.Bucket)
			} else {
				n.Resource = objectResource(partition, l.URL)
			}
			k := key{n.Action, n.Resource, n.Intent, n.Prefix}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, n)
		}
	}
	sortNeeds(out)
	return out
}

// sortNeeds orders needs by bucket, resource, action, intent.
func sortNeeds(ns []Need) {
	slices.SortStableFunc(ns, func(a, b Need) int {
		return cmp.Or(strings.Compare(a.Resource, b.Resource), strings.Compare(a.Action, b.Action),
			strings.Compare(a.Intent, b.Intent), strings.Compare(a.Key, b.Key))
	})
}

// modeWord is an access mode as the word before "path" ("read "), empty for
// a location a script only names, whose mode is not known.
func modeWord(m AccessMode) string {
	if m == "" {
		return ""
	}
	return string(m) + " "
}
