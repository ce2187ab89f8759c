package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey"
)

// openDB opens the database the global flags name: the server at
// --database-url, else the private cluster under --data-dir (created and
// started on first use, stopped by db.Close if this process started it).
func (e *env) openDB(ctx context.Context) (*postgres.DB, error) {
	if err := e.checkDBConfig(); err != nil {
		return nil, err
	}
	return postgres.Open(ctx, postgres.Config{
		URL:     e.g.databaseURL,
		DataDir: e.g.dataDir, // the cluster lives in <data-dir>/pgdata
		Logger:  e.log,
	})
}

// checkDBConfig validates the database flags before anything starts.
func (e *env) checkDBConfig() error {
	if e.g.databaseURL == "" {
		if strings.TrimSpace(e.g.dataDir) == "" {
			return usageErrorf("--data-dir is empty: give a directory for the private database, or --database-url")
		}
		return nil
	}
	if _, err := postgres.ParseURL(e.g.databaseURL); err != nil {
		return usageErrorf("%v", err)
	}
	return nil
}

// openMigrated opens the database and applies pending migrations, as
// every subcommand that works on data needs the current schema.
func (e *env) openMigrated(ctx context.Context) (*postgres.DB, error) {
	db, err := e.openDB(ctx)
	if err != nil {
		return nil, err
	}
	applied, err := postgres.Migrate(ctx, db.Pool)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, name := range applied {
		e.log.Info("migration applied", "name", name)
	}
	// The shipped indicator sets are data in the database like any other
	// set; a new release may bring new versions of them.
	notes, err := survey.NewService(db.Pool).InstallShippedSets(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, n := range notes {
		e.log.Info("shipped indicator set", "set", n)
	}
	if changed, err := postgres.Changed(ctx, db.Pool); err == nil && len(changed) > 0 {
		e.log.Warn("applied migrations were edited since; migrations are forward-only, add a new one instead", "files", fmt.Sprint(changed))
	}
	return db, nil
}
