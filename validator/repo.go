package validator

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// repositoryRoot returns the nearest directory at or above dir that holds
// .git (a directory, or a file in a worktree or submodule): the git top level,
// found without running git. It returns "" when dir is in no repository.
func repositoryRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// within returns path relative to base, in slash form, and whether path lies
// at or under base.
func within(base, path string) (string, bool) {
	absBase, err := filepath.Abs(base)
	if err != nil {
		return "", false
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(absBase, absPath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// rebase gives the report's configuration locations, which name files
// relative to the configuration directory, their Path relative to base (the
// repository root), so SARIF, GitHub annotations and Code Quality reports land
// on the file whatever directory the configuration is in. It changes nothing
// when the configuration was not used, or when it or a located file (a module
// called from outside) does not lie under base: either every location has its
// Path, and the plan its ConfigPath, or none has.
func rebase(rep *report.Report, configDir, base string) {
	if rep.Plan.ConfigDir == "" || base == "" {
		return
	}
	dirRel, ok := within(base, configDir)
	if !ok {
		return
	}
	var locs []*report.Location
	for i := range rep.Jobs {
		j := &rep.Jobs[i]
		if j.Location != nil {
			locs = append(locs, j.Location)
		}
		for k := range j.Findings {
			if d := j.Findings[k].DecidedBy; d != nil && d.Location != nil {
				locs = append(locs, d.Location)
			}
		}
	}
	moved := make([]string, len(locs))
	for i, l := range locs {
		rel, ok := within(base, filepath.Join(configDir, filepath.FromSlash(l.File)))
		if !ok {
			return
		}
		moved[i] = rel
	}
	for i, l := range locs {
		l.Path = moved[i]
	}
	rep.Plan.ConfigPath = dirRel
}
