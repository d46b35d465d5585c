package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildVersion is set at link time by release builds:
// go build -ldflags "-X main.buildVersion=v1.2.3" ./cmd/heed
var buildVersion string

// version is heed's version: the one given at link time, else the module
// version Go recorded (a tag with `go install`, "devel" in a work tree).
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

type versionCmd struct{}

func (versionCmd) Run(a *app) error {
	_, err := fmt.Fprintf(a.stdout, "heed %s (%s, %s/%s)\n", a.version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
