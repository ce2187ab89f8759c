package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5"
)

var cmdBackup = &command{
	name:    "backup",
	summary: "write the whole database to a file (pg_dump custom format)",
	run:     runBackup,
}

var cmdRestore = &command{
	name:    "restore",
	summary: "load a backup into an empty database (a new --data-dir or an empty server)",
	run:     runRestore,
}

// pgTool finds a PostgreSQL client program (pg_dump, pg_restore) beside
// the server binaries, whose version matches the private cluster's.
func pgTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	bin, err := pgcluster.FindBinaries("")
	if err != nil {
		return "", err
	}
	p := filepath.Join(bin, name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s not found beside the PostgreSQL server binaries in %s", name, bin)
	}
	return p, nil
}

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("backup", "FILE")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("give the backup file to write")
	}
	out := fs.Arg(0)
	if fi, err := os.Stat(out); err == nil && !fi.Mode().IsRegular() {
		// Renaming over a device or a pipe would replace it.
		return usageErrorf("%s is not a regular file", out)
	}
	dump, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// Write beside the target and rename: a backup file is whole or absent.
	tmp := out + ".part"
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--no-privileges", "--file", tmp, "--dbname", db.URL())
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	if b, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pg_dump: %v\n%s", err, b)
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fi, _ := os.Stat(out)
	fmt.Fprintf(e.stdout, "backup written to %s (%d bytes, %v)\n", out, fi.Size(), time.Since(t0).Round(time.Millisecond))
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("restore", "FILE")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("give the backup file to restore")
	}
	in := fs.Arg(0)
	if _, err := os.Stat(in); err != nil {
		return usageErrorf("%v", err)
	}
	restore, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var tables int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		return err
	}
	if tables > 0 {
		return exitCode(1, fmt.Errorf("the database is not empty (%d tables): restore into a new --data-dir or an empty database, so nothing is overwritten", tables))
	}
	t0 := time.Now()
	// One transaction: a restore that fails leaves the database empty.
	cmd := exec.CommandContext(ctx, restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", db.URL(), in)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_restore: %v\n%s", err, b)
	}
	// A backup from an older release gets the newer migrations.
	applied, err := postgres.Migrate(ctx, db.Pool)
	if err != nil {
		return err
	}
	// The backup carries the sessions that were live when it was taken:
	// whoever held (or stole) one of those tokens must not be signed in to
	// the restored copy. Sign-in throttle state is as stale. Part of the
	// restore: if this fails the command fails, and running it again on
	// the (now non-empty) database is refused, so say how to finish.
	var ended int64
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		ended, err = survey.EndAllSessions(ctx, tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("restored %s, but ending the sessions it carried failed (%w): stop here, do not serve this database, and restore again into an empty one", in, err)
	}
	fmt.Fprintf(e.stdout, "restored %s (%v); %d newer migrations applied; %d sessions from the backup ended\n", in, time.Since(t0).Round(time.Millisecond), len(applied), ended)
	return nil
}
