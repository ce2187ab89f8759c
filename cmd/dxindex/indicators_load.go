package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/dxindex/dxindex/survey/model"
)

// readSetFile reads and validates one set file: YAML or JSON by the
// indicators loader (problems with file, path and line), XLSX through the
// import layout (problems with sheet, row and column).
func readSetFile(e *env, path string) (*indicators.Set, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(e.stdout, "%s: %v\n", path, err)
		return nil, false
	}
	xlsx := strings.EqualFold(filepath.Ext(path), ".xlsx")
	var set *indicators.Set
	if xlsx {
		_, set, err = imports.SetFromXLSX(data)
		var inv *model.InvalidFile
		if errors.As(err, &inv) {
			for _, re := range inv.Errors {
				if re.Row == 0 {
					fmt.Fprintf(e.stdout, "%s: %s: %s\n", path, re.Column, re.Message("en"))
				} else {
					fmt.Fprintf(e.stdout, "%s: row %d, %s: %s\n", path, re.Row, re.Column, re.Message("en"))
				}
			}
			return nil, false
		}
	} else {
		set, err = indicators.Parse(path, data)
	}
	var ps indicators.Problems
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			if xlsx {
				p.File = path
			}
			fmt.Fprintln(e.stdout, p)
		}
		return nil, false
	case err != nil:
		fmt.Fprintf(e.stdout, "%s: %v\n", path, err)
		return nil, false
	}
	return set, true
}

// runIndicatorsLoad stores set files as new versions and shows what changed
// against the previous version of each code.
func runIndicatorsLoad(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("indicators load", "FILE...")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("no file to load")
	}
	var sets []*indicators.Set
	seen := map[string]string{}
	ok := true
	for _, path := range fs.Args() {
		set, valid := readSetFile(e, path)
		if !valid {
			ok = false
			continue
		}
		key := set.Code + " " + set.Version
		if first, dup := seen[key]; dup {
			fmt.Fprintf(e.stdout, "%s: %s version %s is also in %s: one file per version\n", path, set.Code, set.Version, first)
			ok = false
			continue
		}
		seen[key] = path
		sets = append(sets, set)
	}
	if !ok {
		fmt.Fprintln(e.stdout, "nothing loaded: fix the files above")
		return exitCode(1, nil)
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it does nothing
	type loaded struct {
		set     *indicators.Set
		prev    *setview.Stored
		outcome setview.SaveOutcome
	}
	var done []loaded
	for _, set := range sets {
		// A stored version never changes: the same content again is a
		// no-op, other content under that version is refused.
		outcome, prev, taken, err := setstore.Load(ctx, tx, set)
		if err != nil {
			return err
		}
		if taken != nil {
			if d := indicators.Diff(taken.Set, set); !d.Empty() || taken.Set == nil {
				fmt.Fprintf(e.stdout, "%s %s is already stored with other content; a stored version never changes: give the revision a new version\n", set.Code, set.Version)
				for _, l := range d.Lines() {
					fmt.Fprintln(e.stdout, "  "+l)
				}
			} else {
				fmt.Fprintf(e.stdout, "%s %s is already stored with other wording; a stored version never changes: give the revision a new version\n", set.Code, set.Version)
			}
			fmt.Fprintln(e.stdout, "nothing loaded")
			return exitCode(1, nil)
		}
		done = append(done, loaded{set: set, prev: prev, outcome: outcome})
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	for _, l := range done {
		s := l.set
		if l.outcome == setview.SaveUnchanged {
			fmt.Fprintf(e.stdout, "%s %s: already stored, unchanged\n", s.Code, s.Version)
			continue
		}
		fmt.Fprintf(e.stdout, "%s %s: stored as a new version (%d groups, %d indicators)\n", s.Code, s.Version, len(s.Groups), len(s.Indicators()))
		if l.prev == nil {
			fmt.Fprintln(e.stdout, "  the first version of this set")
			continue
		}
		d := indicators.Diff(l.prev.Set, s)
		if d.Empty() {
			fmt.Fprintf(e.stdout, "  against %s: no change to indicators, scoring or levels\n", l.prev.Version)
			continue
		}
		fmt.Fprintf(e.stdout, "  against %s: %d added, %d removed, %d changed\n", l.prev.Version, len(d.Added), len(d.Removed), len(d.Changes))
		for _, line := range d.Lines() {
			fmt.Fprintln(e.stdout, "  "+line)
		}
	}
	return nil
}
