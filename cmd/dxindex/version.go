package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time by the Makefile (-ldflags "-X main.version=…").
var version = ""

var cmdVersion = &command{
	name:    "version",
	summary: "print the version of dxindex",
	run:     runVersion,
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("version", "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprintf(e.stdout, "dxindex %s (%s, %s/%s)\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

// buildVersion is the version stamped by the Makefile, else the module
// version Go recorded (a `go install …@vX` build), else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
