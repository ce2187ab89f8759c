package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"github.com/dxindex/dxindex/internal/clilog"
)

// command is one subcommand of dxindex. Each lives in its own file and is
// listed in commands below, which is also the order of the help text.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands is the table of every subcommand, in the order --help lists them.
func commands() []*command {
	return []*command{
		cmdServe,
		cmdMigrate,
		cmdUser,
		cmdSeed,
		cmdReorganize,
		cmdImport,
		cmdExport,
		cmdIndicators,
		cmdScore,
		cmdComposite,
		cmdBackup,
		cmdRestore,
		cmdVersion,
	}
}

// globals are the flags every subcommand accepts, before or after its name.
type globals struct {
	dataDir     string
	databaseURL string
	logLevel    string
	logFormat   string
}

// env is what a subcommand may use of the outside world. Tests build one
// with their own streams and environment, so no subcommand touches os.*.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	g      globals
	log    *slog.Logger

	synopsis map[*flag.FlagSet]string // usage lines, by subcommand flag set
}

// flagError rewords the flag package's errors for people.
func flagError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("unknown flag --%s", strings.TrimPrefix(name, "-"))
	}
	return err
}

// exitError carries the exit status a subcommand wants. A nil error exits 0,
// a plain error 1, a flag or usage error 2.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// exitCode wraps err so that dxindex exits with code. A nil err with a
// non-zero code exits silently (the subcommand already printed what failed).
func exitCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageErrorf reports a wrong invocation: exit status 2.
func usageErrorf(format string, args ...any) error {
	return exitCode(2, fmt.Errorf(format, args...))
}

// errHelp is returned after --help printed the usage: exit status 0.
var errHelp = flag.ErrHelp

// run is the whole program, testable without a process: it parses the
// global flags, picks the subcommand and returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	e.g = globals{
		dataDir:     envOr(getenv, "DXINDEX_DATA_DIR", "./.dxindex"),
		databaseURL: getenv("DATABASE_URL"),
		logLevel:    envOr(getenv, "DXINDEX_LOG_LEVEL", "info"),
		logFormat:   envOr(getenv, "DXINDEX_LOG_FORMAT", "text"),
	}

	fs := flag.NewFlagSet("dxindex", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.addGlobalFlags(fs)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		e.printHelp(stdout)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "dxindex: %v\nRun 'dxindex --help' for usage.\n", flagError(err))
		return 2
	}
	rest := fs.Args()
	if len(rest) == 0 {
		e.printHelp(stderr)
		return 2
	}
	if rest[0] == "help" {
		if len(rest) > 1 {
			return e.dispatch(ctx, rest[1], []string{"--help"})
		}
		e.printHelp(stdout)
		return 0
	}
	return e.dispatch(ctx, rest[0], rest[1:])
}

func (e *env) dispatch(ctx context.Context, name string, args []string) int {
	var cmd *command
	for _, c := range commands() {
		if c.name == name {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.stderr, "dxindex: unknown command %q\nRun 'dxindex --help' for the list of commands.\n", name)
		return 2
	}
	err := cmd.run(ctx, e, args)
	var xe *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &xe):
		if xe.err != nil && !errors.Is(xe.err, errHelp) {
			fmt.Fprintf(e.stderr, "dxindex %s: %v\n", name, xe.err)
		}
		if xe.code == 2 && xe.err != nil {
			fmt.Fprintf(e.stderr, "Run 'dxindex %s --help' for usage.\n", name)
		}
		return xe.code
	default:
		fmt.Fprintf(e.stderr, "dxindex %s: %v\n", name, err)
		return 1
	}
}

func (e *env) addGlobalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.g.dataDir, "data-dir", e.g.dataDir, "directory for the private PostgreSQL cluster and uploaded files (env DXINDEX_DATA_DIR)")
	fs.StringVar(&e.g.databaseURL, "database-url", e.g.databaseURL, "PostgreSQL URL; empty: a private cluster under the data dir (env DATABASE_URL)")
	fs.StringVar(&e.g.logLevel, "log-level", e.g.logLevel, "debug | info | warn | error (env DXINDEX_LOG_LEVEL)")
	fs.StringVar(&e.g.logFormat, "log-format", e.g.logFormat, "text | json (env DXINDEX_LOG_FORMAT)")
}

// flagSet returns the flag set of a subcommand, with the global flags on it
// too, so that `dxindex serve --data-dir D` works as well as
// `dxindex --data-dir D serve`. synopsis is the argument part of the usage
// line, e.g. "[flags] FILE...".
func (e *env) flagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("dxindex "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.addGlobalFlags(fs)
	// The flag package calls Usage on every parse error too; usage is
	// printed by parse, on --help only, so errors stay one clear line.
	fs.Usage = func() {}
	if e.synopsis == nil {
		e.synopsis = map[*flag.FlagSet]string{}
	}
	e.synopsis[fs] = synopsis
	return fs
}

// printUsage prints the usage of a subcommand's flag set to stdout.
func (e *env) printUsage(fs *flag.FlagSet) {
	fmt.Fprintf(e.stdout, "Usage: %s %s\n\n", fs.Name(), e.synopsis[fs])
	printFlags(e.stdout, fs)
}

// parse parses a subcommand's arguments. --help prints the usage and
// returns errHelp (exit 0); a bad flag returns a usage error (exit 2).
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		e.printUsage(fs)
		return errHelp
	}
	if err != nil {
		return exitCode(2, flagError(err))
	}
	logger, err := newLogger(e.stderr, e.g.logLevel, e.g.logFormat)
	if err != nil {
		return exitCode(2, err)
	}
	e.log = logger
	return nil
}

func printFlags(w io.Writer, fs *flag.FlagSet) {
	var own, global []*flag.Flag
	isGlobal := map[string]bool{"data-dir": true, "database-url": true, "log-level": true, "log-format": true}
	fs.VisitAll(func(f *flag.Flag) {
		if isGlobal[f.Name] {
			global = append(global, f)
		} else {
			own = append(own, f)
		}
	})
	show := func(title string, flags []*flag.Flag) {
		if len(flags) == 0 {
			return
		}
		sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
		fmt.Fprintf(w, "%s:\n", title)
		for _, f := range flags {
			name, usage := flag.UnquoteUsage(f)
			line := "  --" + f.Name
			if name != "" {
				line += " " + name
			}
			fmt.Fprintf(w, "%-28s %s", line, usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(w, " (default %q)", f.DefValue)
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	show("Flags", own)
	show("Global flags", global)
}

func (e *env) printHelp(w io.Writer) {
	fmt.Fprint(w, "dxindex measures the digital transformation of schools: self-assessment,\nscoring, review and published rankings.\n\nUsage: dxindex [global flags] <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "  help         show the usage of a command\n\n")
	fs := flag.NewFlagSet("dxindex", flag.ContinueOnError)
	g := *e
	g.addGlobalFlags(fs)
	printFlags(w, fs)
	fmt.Fprintln(w, "Run 'dxindex <command> --help' for the flags of a command.")
}

// envOr and newLogger are the command line's rules for flag defaults from
// the environment and for the logger, shared with the composite command
// (package clilog).
var (
	envOr     = clilog.EnvOr
	newLogger = clilog.New
)
