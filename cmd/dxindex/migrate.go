package main

import (
	"context"
	"fmt"

	"github.com/dxindex/dxindex/internal/postgres"
)

var cmdMigrate = &command{
	name:    "migrate",
	summary: "apply pending database schema migrations",
	run:     runMigrate,
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("migrate", "[--status]")
	status := fs.Bool("status", false, "list pending migrations without applying them")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if *status {
		db, err := e.openDB(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		pending, err := postgres.Pending(ctx, db.Pool)
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			fmt.Fprintln(e.stdout, "schema is current")
			return nil
		}
		for _, p := range pending {
			fmt.Fprintln(e.stdout, "pending", p)
		}
		return nil
	}
	db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := postgres.Migrate(ctx, db.Pool)
	for _, name := range applied {
		fmt.Fprintln(e.stdout, "applied", name)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "schema is current")
	}
	return nil
}
