// Package compositecmd is the `dxindex composite` command: COINr's
// composite index computed from iData and iMeta files (package
// indicators/composite), for a department's statisticians.
//
// It is a package of its own, rather than part of package main, so that the
// command can start before the web application's packages are initialised
// (early.go): it depends on none of them.
package compositecmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/indicators/composite"
	"github.com/dxindex/dxindex/indicators/robustness"
)

// Synopsis is the argument part of the command's usage line.
const Synopsis = "--data iData.csv --meta iMeta.csv [--group COL] [--out results.csv]"

// Cmd holds the command's flags once registered on a flag set.
type Cmd struct {
	fs                                                   *flag.FlagSet
	dataPath, metaPath, group, out, normalise, aggregate *string
	mmRange                                              *string
	draws                                                *int
	seed                                                 *uint64
	spread                                               *float64
}

// Flags registers the command's own flags on fs (which carries the global
// flags of dxindex).
func Flags(fs *flag.FlagSet) *Cmd {
	return &Cmd{
		fs:        fs,
		dataPath:  fs.String("data", "", "COINr iData CSV: uCode, uName, Group_* columns, one column per indicator (required)"),
		metaPath:  fs.String("meta", "", "COINr iMeta CSV: iCode, iName, Level, Parent, Direction, Weight, Type (required)"),
		group:     fs.String("group", "", "also rank units within the groups of this iData column, e.g. Group_district"),
		out:       fs.String("out", "", "results CSV (written whole or not at all); empty or - for standard output"),
		normalise: fs.String("normalise", composite.MinMax, "normalisation: minmax | zscore"),
		aggregate: fs.String("aggregate", composite.ArithmeticMean, "aggregation: amean | gmean (weighted arithmetic or geometric mean)"),
		mmRange:   fs.String("minmax-range", "0,100", "the min–max target interval `L,U` (gmean needs L > 0, e.g. 1,100)"),
		draws:     fs.Int("robustness", 0, "rank robustness: `N` draws of perturbed weights; adds rank_median, rank_p05, rank_p95"),
		seed:      fs.Uint64("seed", 0, "seed of the robustness draws (same seed, same intervals)"),
		spread:    fs.Float64("spread", 0.25, "robustness: each weight is multiplied by a factor drawn from U[1−`d`, 1+d]"),
	}
}

// UsageError is a wrong invocation (dxindex exits with status 2).
type UsageError struct{ error }

func usageErrorf(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// IsUsage reports whether err is a wrong invocation.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// options checks the parsed flags and returns the computation's options.
func (c *Cmd) options() (composite.Options, error) {
	fs := c.fs
	if fs.NArg() > 0 {
		return composite.Options{}, usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if *c.dataPath == "" || *c.metaPath == "" {
		return composite.Options{}, usageErrorf("--data and --meta are required")
	}
	opts := composite.Options{Normalise: *c.normalise, Aggregate: *c.aggregate, Group: *c.group}
	switch opts.Normalise {
	case composite.MinMax, composite.ZScore:
	default:
		return opts, usageErrorf("--normalise %q: want minmax or zscore", opts.Normalise)
	}
	switch opts.Aggregate {
	case composite.ArithmeticMean, composite.GeometricMean:
	default:
		return opts, usageErrorf("--aggregate %q: want amean or gmean", opts.Aggregate)
	}
	lo, hi, ok := compositeRange(*c.mmRange)
	if !ok {
		return opts, usageErrorf("--minmax-range %q: want two numbers L,U with L < U, e.g. 1,100", *c.mmRange)
	}
	opts.Lower, opts.Upper = lo, hi
	if *c.draws < 0 {
		return opts, usageErrorf("--robustness %d: want a number of draws ≥ 1", *c.draws)
	}
	if !(*c.spread > 0 && *c.spread < 1) {
		return opts, usageErrorf("--spread %v: want a number in (0, 1)", *c.spread)
	}
	return opts, nil
}

// Run reads iData and iMeta, computes the index as COINr does and writes
// one row per unit. Wrong flags are a *UsageError; unreadable or invalid
// input files are errors with the file, line and column at fault, and leave
// --out as it was. Warnings (an indicator with no spread, say) go to log.
func (c *Cmd) Run(ctx context.Context, log *slog.Logger, stdout io.Writer) error {
	opts, err := c.options()
	if err != nil {
		return err
	}
	defer compositeGC(*c.dataPath)()
	meta, err := composite.ReadMetaFile(*c.metaPath)
	if err != nil {
		return err
	}
	data, err := composite.ReadDataFile(*c.dataPath, meta)
	if err != nil {
		return err
	}
	res, err := composite.Compute(meta, data, opts)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		log.Warn(w)
	}

	var extra []composite.Column
	if *c.draws > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Every aggregate's children's weights are perturbed; the index is
		// recomputed from the same normalised data and ranked as COINr ranks.
		iv, err := robustness.Ranks(len(res.Units), res.Weights(),
			robustness.Options{Draws: *c.draws, Spread: *c.spread, Seed: *c.seed, Workers: runtime.GOMAXPROCS(0)},
			res.ScoreIndex, composite.Rank)
		if err != nil {
			return err
		}
		med, p05, p95 := make([]float64, len(iv)), make([]float64, len(iv)), make([]float64, len(iv))
		for i, v := range iv {
			med[i], p05[i], p95[i] = v.Median, v.P05, v.P95
		}
		extra = []composite.Column{{Name: "rank_median", Values: med}, {Name: "rank_p05", Values: p05}, {Name: "rank_p95", Values: p95}}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	write := func(w io.Writer) error { return res.WriteCSV(w, extra...) }
	if *c.out == "" || *c.out == "-" {
		bw := bufio.NewWriterSize(stdout, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return compositeWriteFile(*c.out, write)
}

// compositeGC turns the garbage collector off for this short-lived command:
// nearly everything it allocates (the parsed columns, the scores, the
// output) lives until it exits, so collecting finds little to free and
// costs three collections and their pauses (8 % of the CPU time of 50,000
// units × 40 indicators, gctrace). A memory limit keeps the guard: past
// it the collector runs again as usual. The limit is four times the data
// file (the parsed data takes about as much as the file, the rest is
// smaller) and at least 512 MiB. GOGC or GOMEMLIMIT set by the user win.
// The returned function restores the settings (for the tests, which run
// the command in process).
func compositeGC(dataPath string) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := int64(512 << 20)
	if fi, err := os.Stat(dataPath); err == nil && fi.Size() < 1<<40 {
		limit = max(limit, 4*fi.Size())
	}
	oldLimit := debug.SetMemoryLimit(limit)
	oldPercent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// compositeRange parses "L,U".
func compositeRange(s string) (lo, hi float64, ok bool) {
	a, b, found := strings.Cut(s, ",")
	if !found {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 0, false
	}
	return lo, hi, true
}

// compositeWriteFile writes path whole or not at all: to a temporary file
// beside it, renamed over it once complete, so that a failure never leaves
// half a results file where a good one was.
//
// A path that exists and is not a regular file (/dev/null, a named pipe) is
// written directly: renaming over it would replace the device itself.
func compositeWriteFile(path string, write func(io.Writer) error) (err error) {
	if fi, serr := os.Stat(path); serr == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<16)
		if err := write(bw); err != nil {
			f.Close()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := bw.Flush(); err != nil {
			f.Close()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return f.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// CreateTemp makes the file private; results are an ordinary file.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return replaceFile(f.Name(), path)
}
