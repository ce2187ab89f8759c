package compositecmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/dxindex/dxindex/internal/clilog"
)

// `dxindex composite` starts before main. Package main imports this package,
// whose imports are few and light (indicators/composite,
// indicators/robustness, internal/clilog and the standard library);
// Go initialises the packages of a program in import-path order as soon as
// their imports are, so this init runs before those of the web
// application's dependencies (excelize, validator, river, pgx, echo, the
// templates and catalogs of internal/web). When the command line is
// `dxindex composite …`, the command runs here and the process exits: a run
// of 45 ms no longer waits for the initialisation of 50 packages it never
// uses, and the page faults of what they allocate (48.1 → 44.9 ms;
// docs/performance.md, "Fifth pass").
//
// Only that exact form is taken here. Global flags before the command name,
// --help, a flag or an environment setting this parse does not accept and
// any usage error fall through to main, which parses them again with the
// rest of the program and says what is wrong, as for every command.
func init() {
	if len(os.Args) < 2 || os.Args[1] != "composite" {
		return
	}
	// The runtime keeps the initialising goroutine on the main thread
	// (LockOSThread) until main starts; the command's workers, waited for
	// from a locked goroutine, then take a thread hand-off at every wait
	// (44.5 → 52.2 ms in a test). It runs on a goroutine of its own instead.
	type result struct {
		code int
		done bool
	}
	res := make(chan result, 1)
	go func() {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code, done := Early(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr)
		stop()
		res <- result{code, done}
	}()
	if r := <-res; r.done {
		os.Exit(r.code)
	}
}

// Early runs `dxindex composite ARGS` as main would, and reports whether it
// did (done) and the exit status. It declines (done false, nothing written,
// nothing read but the flags) what main must answer: --help, a bad flag, a
// bad log setting, a usage error.
func Early(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (code int, done bool) {
	fs := flag.NewFlagSet("dxindex composite", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	// The global flags of dxindex, accepted after the command name too;
	// the composite uses only the log settings.
	fs.String("data-dir", "", "")
	fs.String("database-url", "", "")
	level := fs.String("log-level", clilog.EnvOr(getenv, "DXINDEX_LOG_LEVEL", "info"), "")
	format := fs.String("log-format", clilog.EnvOr(getenv, "DXINDEX_LOG_FORMAT", "text"), "")
	c := Flags(fs)
	if err := fs.Parse(args); err != nil {
		return 0, false
	}
	log, err := clilog.New(stderr, *level, *format)
	if err != nil {
		return 0, false
	}
	// Run checks the flags before it reads or writes anything: a usage
	// error leaves nothing behind for main to undo.
	switch err := c.Run(ctx, log, stdout); {
	case IsUsage(err):
		return 0, false
	case err != nil:
		fmt.Fprintf(stderr, "dxindex composite: %v\n", err)
		return 1, true
	}
	return 0, true
}
