// Command dxindex is the digital-transformation index application for schools:
// one binary that serves the web application and runs the administrative
// subcommands (migrations, indicator sets, scoring, seeding, imports).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/dxindex/dxindex/internal/initgc"
)

func main() {
	// The collector was off while the packages were initialised (initgc).
	initgc.Restore()
	// SIGINT and SIGTERM cancel the context: every subcommand then finishes
	// its work in progress and stops the private PostgreSQL cluster it owns.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
