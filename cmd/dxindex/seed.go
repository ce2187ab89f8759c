package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dxindex/dxindex/seed"
	"github.com/jackc/pgx/v5/pgxpool"
)

var cmdSeed = &command{
	name:    "seed",
	summary: "load the demo data (or, with --schools N, a national-scale data set)",
	run:     runSeed,
}

func runSeed(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("seed", "[--seed N] [--schools N]")
	seedN := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	schools := fs.Int("schools", 0, "build a national-scale data set with this many schools instead of the demo (e.g. 45000)")
	quiet := fs.Bool("quiet", false, "print no progress")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if *schools < 0 {
		return usageErrorf("--schools must be positive")
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var progress seed.Progress
	if !*quiet {
		progress = newProgress(e.stderr)
	}
	start := time.Now()
	if *schools > 0 {
		res, err := seed.National(ctx, db.Pool, seed.NationalOptions{Schools: *schools, Seed: *seedN, Progress: progress})
		if err != nil {
			return err
		}
		if !res.Created {
			fmt.Fprintf(e.stdout, "national data set already loaded (%d schools, campaign %d): nothing changed\n", res.Schools, res.CampaignID)
			return nil
		}
		fmt.Fprintf(e.stdout, "national data set: %d schools, %d assessments scored, approved and published (campaign %d) in %.1fs\n",
			res.Schools, res.Assessments, res.CampaignID, time.Since(start).Seconds())
		return nil
	}
	res, err := seed.Demo(ctx, db.Pool, seed.DemoOptions{Seed: *seedN, Progress: progress})
	if err != nil {
		return err
	}
	if res.Created {
		fmt.Fprintf(e.stdout, "demo loaded in %.1fs: %d schools, %d assessments, campaigns %s\n",
			time.Since(start).Seconds(), res.Schools, res.Assessments, strings.Join(res.Campaigns, ", "))
	} else {
		fmt.Fprintf(e.stdout, "demo already loaded (seed %d): nothing changed\n", res.Seed)
	}
	printAccounts(e.stdout, res.Accounts)
	return nil
}

// printAccounts prints the demo accounts: the district evaluators on a
// few lines, everyone else one per line.
func printAccounts(w io.Writer, accounts []seed.Account) {
	fmt.Fprintln(w, "\nDemo accounts (password = demo-<username>; refused by `serve --production`):")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ROLE\tUSERNAME\tPASSWORD\tUNIT\tNOTE")
	var districts []string
	for _, a := range accounts {
		if a.Role == "district" && a.UnitCode != "338" && a.UnitCode != "178" {
			districts = append(districts, a.Username)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s %s\t%s\n", a.Role, a.Username, a.Password, a.UnitCode, a.UnitName, a.Note)
	}
	tw.Flush()
	if len(districts) > 0 {
		fmt.Fprintf(w, "  Other district evaluators (Phòng GDĐT, password demo-<username>): %s\n", strings.Join(districts, " "))
	}
}

// newProgress draws a progress bar on a terminal and plain lines (one per
// step, at its end) otherwise.
func newProgress(w io.Writer) func(step string, done, total int) {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return func(step string, done, total int) {
		if total <= 0 {
			return
		}
		if !tty {
			if done == total {
				fmt.Fprintf(w, "seed: %s: %d/%d\n", step, done, total)
			}
			return
		}
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\r%-20s [%s%s] %3d%% ", step, strings.Repeat("#", n), strings.Repeat(".", width-n), done*100/total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// refuseDemoAccounts is serve's --production check: it refuses to start
// while the demo's accounts, whose passwords are printed by every `make
// run` and in docs/seed.md, can sign in.
func refuseDemoAccounts(ctx context.Context, pool *pgxpool.Pool) error {
	present, err := seed.DemoAccountsPresent(ctx, pool)
	if err != nil {
		return err
	}
	if present {
		return exitCode(1, errors.New("refusing to serve with --production: this database holds the demo accounts (password demo-<username>); lock them on /admin/users or use a database without the demo"))
	}
	return nil
}
