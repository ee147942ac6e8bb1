// Package buildinfo says which glueaccess this binary is: the version a
// release stamped into it, else the module version `go install` recorded,
// else the commit of the checkout it was built from.
package buildinfo

import (
	"runtime/debug"
)

// version is set by release builds:
// -ldflags "-X github.com/glueaccess/terraform-provider-glueaccess/internal/buildinfo.version=1.2.3".
var version string

// Version returns the version of this binary. Its sources, first match wins:
// the release's ldflags; the module version of `go install module@version`
// (debug.BuildInfo.Main.Version, "(devel)" in a checkout); the VCS revision the
// go command stamps into builds from a checkout (vcs.revision, with "-dirty"
// when vcs.modified); else "dev".
func Version() string {
	info, _ := debug.ReadBuildInfo()
	return versionFrom(version, info)
}

// versionFrom is Version with its inputs given, for tests.
func versionFrom(stamped string, info *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev-" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}
