package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

var cmdReorganize = &command{
	name:    "reorganize",
	summary: "bring the July 2025 two-level administrative tree into force (communes instead of districts)",
	run:     runReorganize,
}

func runReorganize(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("reorganize", "[--crosswalk FILE] [--effective 2025-07-01] [--dry-run] [--json]")
	file := fs.String("crosswalk", "", "CSV of old commune → new commune (default: the crosswalk dxindex ships)")
	effective := fs.String("effective", "2025-07-01", "the day the new tree takes effect (yyyy-mm-dd)")
	dry := fs.Bool("dry-run", false, "report what would change and change nothing")
	asJSON := fs.Bool("json", false, "print the whole report as JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	day, err := time.Parse("2006-01-02", *effective)
	if err != nil {
		return usageErrorf("--effective %q is not a date (yyyy-mm-dd)", *effective)
	}
	var r io.Reader
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return fmt.Errorf("crosswalk: %w", err)
		}
		defer f.Close()
		r = f
	}
	cw, err := crosswalk.July2025(r)
	if err != nil {
		return err
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// The command line is the machine's operator: a system-wide admin.
	admin := &model.Actor{Role: model.RoleAdmin, Username: "cli"}
	rep, err := survey.NewService(db.Pool).Reorganize(ctx, admin, cw, day, *dry)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReorg(e.stdout, rep)
	return nil
}

// printReorg prints the report: counts first, then every unit a person
// must look at (unmatched, to decide), then what moves, capped per list.
func printReorg(w io.Writer, r *model.ReorgReport) {
	verb := "done"
	if r.DryRun {
		verb = "dry run, nothing changed"
	}
	fmt.Fprintf(w, "reorganisation effective %s (%s)\n", r.Effective.Format("2006-01-02"), verb)
	renamed := 0
	for _, k := range r.Kept {
		if k.OldName != "" {
			renamed++
		}
	}
	fmt.Fprintf(w, "  new units:   %d\n  kept units:  %d (%d renamed)\n  moves:       %d\n  retired:     %d\n  in place:    %d\n  unmatched:   %d\n  to decide:   %d\n",
		len(r.New), len(r.Kept), renamed, len(r.Moves), len(r.Retired), r.InPlace, len(r.Unmatched), len(r.ToDecide))
	fmt.Fprintf(w, "  crosswalk rows without an old code: %d (%d matched by district and name)\n", r.NameOnlyRows, r.NameOnlyUsed)
	if !r.Changes() && len(r.Unmatched)+len(r.ToDecide) == 0 {
		fmt.Fprintln(w, "nothing to change: the tree is already the new one")
	}
	for _, u := range r.Unmatched {
		fmt.Fprintf(w, "UNMATCHED %s %s %q: %s\n", u.Kind, u.Code, u.Name, u.Reason)
	}
	for _, u := range r.ToDecide {
		fmt.Fprintf(w, "TO DECIDE %s %s %q: %s: one of %s\n", u.Kind, u.Code, u.Name, u.Reason, strings.Join(u.Candidates, ", "))
	}
	for _, k := range r.Kept {
		if k.OldName != "" {
			fmt.Fprintf(w, "RENAME %s %s %q → %q\n", k.Kind, k.Code, k.OldName, k.Name)
		}
	}
	const most = 50
	for i, m := range r.Moves {
		if i == most {
			fmt.Fprintf(w, "… and %d more moves (--json lists all)\n", len(r.Moves)-most)
			break
		}
		fmt.Fprintf(w, "MOVE %s %s %q: %s → %s %q\n", m.Kind, m.Code, m.Name, m.From, m.To, m.ToName)
	}
	for i, u := range r.Retired {
		if i == most {
			fmt.Fprintf(w, "… and %d more retired (--json lists all)\n", len(r.Retired)-most)
			break
		}
		fmt.Fprintf(w, "RETIRE %s %s %q\n", u.Kind, u.Code, u.Name)
	}
}
