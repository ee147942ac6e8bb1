package tfconfig

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// A configuration may come from an untrusted pull request, so the evaluator reads files
// only inside the configuration's repository: the nearest directory above the root module
// holding .git, or the root module directory when there is none. Only regular files are
// read, up to Limits.MaxFileBytes. A file that cannot be read under these rules makes
// the value that reads it unknown, with the reason; its contents never reach a value.
// (docs/evaluation.md)

// repoRoot finds the repository holding dir: the nearest ancestor with a .git directory
// or file (a worktree or submodule has a .git file), else dir itself.
func repoRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs, nil
		}
		d = parent
	}
}

// fileAccess reads files for the file functions, inside root only.
type fileAccess struct {
	root     string // the repository, absolute, symbolic links resolved
	base     string // where relative paths start: the root module directory, absolute
	maxBytes int64
}

func newFileAccess(repo, base string, maxBytes int64) (*fileAccess, error) {
	root, err := filepath.EvalSymlinks(repo)
	if err != nil {
		return nil, fmt.Errorf("resolve repository directory: %w", err)
	}
	absBase, err := filepath.Abs(base)
	if err != nil {
		return nil, err
	}
	return &fileAccess{root: root, base: absBase, maxBytes: maxBytes}, nil
}

// within reports whether the real path p is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// errOutside and the like are the reasons a path is not read; they become the unknown
// value's note.
var errOutside = errors.New("is outside the repository")

// resolve turns a path as written into the real path inside the repository.
func (fa *fileAccess) resolve(p string) (string, error) {
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(fa.base, p)
	}
	abs = filepath.Clean(abs)
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		// A path that does not resolve is judged by where it would be (base is inside the
		// repository, but may be spelled through a symbolic link that root is not).
		if !within(fa.root, abs) && !within(fa.base, abs) {
			return "", errOutside
		}
		return "", err
	}
	if !within(fa.root, real) {
		return "", errOutside
	}
	return real, nil
}

// readFile reads a regular file of at most maxBytes without opening anything else: a
// FIFO would block, a device would never end.
func readFile(path string, maxBytes int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file (%s)", fi.Mode().Type())
	}
	if fi.Size() > maxBytes {
		return nil, fmt.Errorf("is %d bytes, more than the limit of %d", fi.Size(), maxBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > maxBytes {
		return nil, fmt.Errorf("grew past the limit of %d bytes while being read", maxBytes)
	}
	return src, nil
}

// read returns the contents of the file at p, or the reason it is not read.
func (fa *fileAccess) read(fn, p string) ([]byte, string) {
	real, err := fa.resolve(p)
	if err == nil {
		var src []byte
		if src, err = readFile(real, fa.maxBytes); err == nil {
			return src, ""
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Sprintf("%s(%q): the file does not exist here", fn, p)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return nil, fmt.Sprintf("%s(%q): not read: the path %v", fn, p, err)
}

// fileMark marks a value made from a file's contents; Value.Sensitive is set for such a
// value, because the plan showed it only as "known after apply" and a report must not
// print the file.
type fileMark string

// contentFunc builds file, filebase64 and the file hash functions: enc turns the
// contents into the result, or fails.
func (fa *fileAccess) contentFunc(name string, enc func([]byte) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			src, why := fa.read(name, p)
			if why != "" {
				return refused(cty.String, why), nil
			}
			s, err := enc(src)
			if err != nil {
				return cty.UnknownVal(cty.String), fmt.Errorf("%s(%q): %w", name, p, err)
			}
			return cty.StringVal(s).Mark(fileMark(p)), nil
		},
	})
}

func utf8Text(src []byte) (string, error) {
	if !utf8.Valid(src) {
		return "", fmt.Errorf("contents are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead")
	}
	return string(src), nil
}

func hexOf(sum func([]byte) []byte) func([]byte) (string, error) {
	return func(b []byte) (string, error) { return hex.EncodeToString(sum(b)), nil }
}

func b64Of(sum func([]byte) []byte) func([]byte) (string, error) {
	return func(b []byte) (string, error) { return b64(sum(b)), nil }
}

// fileexistsFunc is Terraform's fileexists, inside the repository.
func (fa *fileAccess) fileexistsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			real, err := fa.resolve(p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return refused(cty.Bool, fmt.Sprintf("fileexists(%q): not checked: the path %v", p, err)), nil
			}
			fi, err := os.Stat(real)
			if err != nil {
				return cty.False, nil
			}
			if !fi.Mode().IsRegular() {
				return cty.UnknownVal(cty.Bool), fmt.Errorf("%s is not a regular file, but %q", p, fi.Mode().String())
			}
			return cty.True, nil
		},
	})
}

// filesetFunc is Terraform's fileset: the regular files under path matching pattern, as
// slash-separated paths relative to path; only inside the repository.
func (fa *fileAccess) filesetFunc(maxElements int64) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
			p, pattern := args[0].AsString(), args[1].AsString()
			call := fmt.Sprintf("fileset(%q, %q)", p, pattern)
			dir, err := fa.resolve(p)
			if errors.Is(err, fs.ErrNotExist) {
				return cty.SetValEmpty(cty.String), nil
			}
			if err != nil {
				return refused(ty, fmt.Sprintf("%s: not listed: the path %v", call, err)), nil
			}
			full := filepath.ToSlash(filepath.Clean(pattern))
			if full == ".." || strings.HasPrefix(full, "../") || strings.Contains(full, "/../") || strings.HasPrefix(full, "/") {
				return refused(ty, fmt.Sprintf("%s: not listed: the pattern leaves the directory", call)), nil
			}
			if !doublestar.ValidatePattern(full) {
				return cty.UnknownVal(ty), fmt.Errorf("failed to glob pattern %q: %w", pattern, doublestar.ErrBadPattern)
			}
			var out []cty.Value
			var stop string
			err = doublestar.GlobWalk(os.DirFS(dir), full, func(match string, d fs.DirEntry) error {
				real, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(match)))
				if err != nil || !within(fa.root, real) {
					return nil
				}
				fi, err := os.Stat(real)
				if err != nil || !fi.Mode().IsRegular() {
					return nil
				}
				out = append(out, cty.StringVal(match))
				if int64(len(out)) > maxElements {
					stop = fmt.Sprintf("%s matches more than %d files, the limit", call, maxElements)
					return fs.SkipAll
				}
				return nil
			}, doublestar.WithNoFollow())
			if stop != "" {
				return refused(ty, stop), nil
			}
			if err != nil {
				return cty.UnknownVal(ty), fmt.Errorf("%s: %w", call, err)
			}
			if len(out) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			return cty.SetVal(out), nil
		},
	})
}

// templatefileFunc is Terraform's templatefile; fns are the functions a template may
// call (all but the template functions themselves, as in Terraform).
func (fa *fileAccess) templatefileFunc(fns func() map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			src, why := fa.read("templatefile", p)
			if why != "" {
				return refused(cty.DynamicPseudoType, why), nil
			}
			v, err := renderTemplate(src, p, args[1], fns())
			if err != nil {
				return cty.DynamicVal, err
			}
			return v.Mark(fileMark(p)), nil
		},
	})
}

// renderTemplate evaluates template source with vars as its only variables.
func renderTemplate(src []byte, name string, vars cty.Value, fns map[string]function.Function) (cty.Value, error) {
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Errorf("template %q: %s", name, diags.Error())
	}
	meter(expr)
	if !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		return cty.DynamicVal, function.NewArgErrorf(1, "invalid vars value: must be a map")
	}
	// Unknown variables are left to the template: a template that does not use them
	// still has a known result, as in Terraform.
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: fns}
	if !vars.IsKnown() {
		return cty.DynamicVal, nil
	}
	if !vars.IsNull() {
		for k, v := range vars.AsValueMap() {
			if !hclsyntax.ValidIdentifier(k) {
				return cty.DynamicVal, function.NewArgErrorf(1, "invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", k)
			}
			ctx.Variables[k] = v
		}
	}
	for _, t := range expr.Variables() {
		if _, ok := ctx.Variables[t.RootName()]; !ok {
			return cty.DynamicVal, function.NewArgErrorf(1, "vars map does not contain key %q, referenced at %s", t.RootName(), t[0].SourceRange())
		}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Errorf("template %q: %s", name, diags.Error())
	}
	return v, nil
}

// abspathFunc is Terraform's abspath: relative paths start at the directory terraform ran
// in, the root module.
func (fa *fileAccess) abspathFunc() function.Function {
	return makeStringFunc(func(p string) (string, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(fa.base, p)
		}
		return filepath.ToSlash(filepath.Clean(p)), nil
	})
}

// ReadFile reads the file at p (relative to the root module directory, as a path in a
// plan is) under the same rules as the file functions: inside the repository, a regular
// file, at most Limits.MaxFileBytes. It returns the contents and the file's path relative
// to the repository in slash form, or the reason it was not read, which names p and never
// quotes the file.
func (c *Config) ReadFile(p string) (src []byte, rel string, reason string) {
	repo := c.Repo
	if repo == "" {
		repo = c.Dir
	}
	fa, err := newFileAccess(repo, c.Dir, c.limits.withDefaults().MaxFileBytes)
	if err != nil {
		return nil, "", err.Error()
	}
	src, reason = fa.read("file", p)
	if reason != "" {
		return nil, "", reason
	}
	real, _ := fa.resolve(p)
	r, err := filepath.Rel(fa.root, real)
	if err != nil {
		return nil, "", err.Error()
	}
	return src, filepath.ToSlash(r), ""
}
