package main

import (
	"context"

	"github.com/dxindex/dxindex/internal/compositecmd"
)

var cmdComposite = &command{
	name:    "composite",
	summary: "compute a composite index from COINr-style iData/iMeta CSV files",
	run:     runComposite,
}

// runComposite is `dxindex composite` (package compositecmd). When it is the
// first argument, the command has already run, before the packages of the
// web application were initialised (compositecmd's early.go); this is the
// path for global flags before it and for the tests.
func runComposite(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("composite", compositecmd.Synopsis)
	c := compositecmd.Flags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	err := c.Run(ctx, e.log, e.stdout)
	if compositecmd.IsUsage(err) {
		return exitCode(2, err)
	}
	return err
}
