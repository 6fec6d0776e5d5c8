// Package buildinfo says which fpvmdiff build is running, for `fpvmdiff version` and for the
// identity every report and bundle carries.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Version is set at link time by the Makefile:
//
//	go build -ldflags "-X github.com/fpvmdiff/fpvmdiff/internal/buildinfo.Version=$(git describe --always --dirty)"
//
// A plain `go build` or `go test` leaves it empty, and ToolVersion falls back to what the Go
// toolchain recorded in the binary.
var Version string

// ToolVersion is this build's version: the link-time Version when set, else the module
// version (for `go install …@v1.2.3`), else the VCS revision the toolchain stamped (with
// "-dirty" for a modified tree), else "devel".
func ToolVersion() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return fromBuildInfo(info)
}

func fromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return "devel-" + rev + dirty
}

// GoVersion is the Go toolchain that built this binary.
func GoVersion() string { return runtime.Version() }
