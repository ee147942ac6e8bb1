package validator

import (
	"fmt"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awsid"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/script"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// The data a job exists to read and write is usually named in its script
// (docs/validate.md, "Scripts"). When the plan uploads the job's script (an
// aws_s3_object at command[0].script_location), the script is read — from
// the object's content, or from its source file inside the repository under
// the configuration evaluator's rules — and every location it reads, writes
// or deletes becomes an access path of the job, cited as file:line.

// scriptPaths returns the access paths and catalog tables the job's script
// names; nothing when the plan does not upload the script.
func (b *builder) scriptPaths(r *planjson.Resource, j access.Job) ([]access.AccessPath, []access.TableRef) {
	loc, ok := j.ScriptLocation.Get()
	if a, over := j.DefaultArguments.V["--scriptLocation"]; over {
		loc, ok = a, true
	}
	if !ok {
		return nil, nil
	}
	u, err := awsid.ParseS3URL(loc)
	if err != nil || u.Key == "" {
		return nil, nil
	}
	bucket, key := u.Bucket, u.Key
	obj := b.scriptObject(bucket, key)
	if obj == nil {
		return nil, nil
	}
	lang, ok := script.LangOf(key)
	if !ok {
		if l := strings.ToLower(j.DefaultArguments.V["--job-language"]); l == "scala" {
			lang = script.Scala
		} else {
			lang = script.Python
		}
	}
	src, file, why := b.scriptSource(obj)
	if why != "" {
		return []access.AccessPath{{Mode: access.ModeRead, Source: access.SourceScript, Unknown: why,
			From: access.Provenance{File: file}}}, nil
	}
	refs, err := script.Read(src, lang, scriptOptions(j))
	if err != nil {
		return []access.AccessPath{{Mode: access.ModeRead, Source: access.SourceScript,
			Unknown: "a script glueaccess could not read (" + err.Error() + ")", From: access.Provenance{File: file}}}, nil
	}
	var paths []access.AccessPath
	var tables []access.TableRef
	for _, ref := range refs {
		from := access.Provenance{File: file, Line: ref.Line, Note: ref.Call}
		mode := map[script.Mode]access.AccessMode{script.ModeRead: access.ModeRead, script.ModeWrite: access.ModeWrite,
			script.ModeDelete: access.ModeDelete}[ref.Mode]
		if ref.Catalog {
			t := access.TableRef{Mode: mode, From: from, Source: access.SourceScript}
			t.Database = tableValue(ref.Database, from, ref.Unknown)
			t.Table = tableValue(ref.Table, from, ref.Unknown)
			tables = append(tables, t)
			continue
		}
		paths = append(paths, access.AccessPath{URL: ref.URL, Mode: mode, From: from, Unknown: ref.Unknown, Source: access.SourceScript})
	}
	return paths, tables
}

// tableValue is a database or table name the script gives ("" when it does
// not reveal it).
func tableValue(v string, from access.Provenance, unknown string) access.Value[string] {
	if v == "" {
		from.Note = unknown
		return access.Unknown[string](from)
	}
	return access.Known(v, from)
}

// scriptObject returns the aws_s3_object the plan writes at bucket/key.
func (b *builder) scriptObject(bucket, key string) *planjson.Resource {
	for _, typ := range []string{"aws_s3_object", "aws_s3_bucket_object"} {
		for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, typ) {
			name, _, ok := b.bucketName(r)
			k := b.str(r, "key")
			if ok && name == bucket && k.Known && strings.TrimPrefix(k.V, "/") == key {
				return r
			}
		}
	}
	return nil
}

// scriptSource returns the script an object uploads and the file to cite:
// its content (cited as the object's content), or its source file read
// inside the repository. why says why it could not be read.
func (b *builder) scriptSource(r *planjson.Resource) (src []byte, file, why string) {
	if c := b.str(r, "content"); c.Known && c.V != "" {
		if rel, ok := b.contentFile(r, c.V); ok {
			return []byte(c.V), rel, ""
		}
		return []byte(c.V), r.Address + " content", ""
	} else if !c.Known {
		return nil, r.Address + " content", "the content of " + r.Address + ", which is not known at plan time"
	}
	s := b.str(r, "source")
	if !s.Known || s.V == "" {
		return nil, r.Address, "the script " + r.Address + " uploads, whose source is not known at plan time"
	}
	if b.config == nil {
		return nil, s.V, fmt.Sprintf("the script %s uploads from %q, which is read only with the Terraform configuration (--config-dir)", r.Address, s.V)
	}
	data, rel, reason := b.config.cfg.ReadFile(s.V)
	if reason != "" {
		return nil, s.V, "the script " + r.Address + " uploads: " + reason
	}
	return data, rel, ""
}

// contentFile is the repository-relative file an object's content comes
// from, when the configuration sets content to file(...) or
// templatefile(...) of one file the evaluator reads (inside the repository,
// as `source` is read) and the content has that file's lines: its text, or a
// template rendered line for line. Otherwise the content is cited as the
// object's, since a line of it need not be that line of any file.
func (b *builder) contentFile(r *planjson.Resource, content string) (string, bool) {
	if b.config == nil {
		return "", false
	}
	v, err := b.config.ev.ConfigAttribute(r.Address, "content")
	if err != nil || len(v.Files) != 1 {
		return "", false
	}
	src, rel, reason := b.config.cfg.ReadFile(v.Files[0])
	if reason != "" || !sameLines(string(src), content) {
		return "", false
	}
	return rel, true
}

// sameLines reports whether a template renders line for line into
// content: as many lines, and each template line without an interpolation
// or directive ("${", "%{") is the same line of content. A line count alone
// passes a template whose directive drops a line that a multi-line
// interpolation above it adds back, every line between then shifted.
func sameLines(tpl, content string) bool {
	a, b := strings.Split(tpl, "\n"), strings.Split(content, "\n")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !strings.Contains(a[i], "${") && !strings.Contains(a[i], "%{") {
			return false
		}
	}
	return true
}

// scriptOptions are the job's arguments as the script receives them:
// default_arguments overlaid by non_overridable_arguments (AWS Glue
// Developer Guide, "Job parameters used by AWS Glue"); arguments known only
// in part are unknown to the script.
func scriptOptions(j access.Job) script.Options {
	o := script.Options{Args: map[string]string{}}
	switch {
	case !j.DefaultArguments.Known:
		o.ArgsUnknown = "the job's default_arguments are not known at plan time"
	case !j.NonOverridableArguments.Known:
		o.ArgsUnknown = "the job's non_overridable_arguments are not known at plan time"
	}
	for _, m := range []map[string]string{j.DefaultArguments.V, j.NonOverridableArguments.V} {
		for k, v := range m {
			o.Args[k] = v
		}
	}
	for _, p := range j.PartialArguments {
		delete(o.Args, p.Key)
		if o.Unknown == nil {
			o.Unknown = map[string]string{}
		}
		o.Unknown[p.Key] = "known only after apply"
	}
	return o
}

// scriptLine is the script line a need comes from (a path of the script the
// repository holds), nil for any other need.
func scriptLine(f *access.Facts, n access.Need) *report.Location {
	if n.Source != access.SourceScript {
		return nil
	}
	// The need's why names its call and line; a need derived from it (a
	// KMS need) carries only its URL.
	for pass := 0; pass < 2; pass++ {
		for _, p := range f.Access {
			if p.Source != access.SourceScript || p.From.File == "" || strings.Contains(p.From.File, " ") {
				continue
			}
			at := p.From.File + ":" + strconv.Itoa(p.From.Line)
			byWhy := n.Why == "script "+at || strings.HasSuffix(n.Why, " at "+at) || strings.Contains(n.Why, " at "+at+")")
			if pass == 0 && byWhy || pass == 1 && p.URL != "" && p.URL == n.URL && p.Unknown == "" {
				return &report.Location{File: p.From.File, Line: p.From.Line, Path: p.From.File}
			}
		}
	}
	return nil
}
