package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrationFiles are the schema migrations: forward-only, applied in name
// order, each in its own transaction, recorded in schema_migrations.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory-lock key that serialises migrations
// between dxindex processes sharing a database ("dxindex" in ASCII).
const migrationLockKey = 0x6478696e646578

var migrationName = regexp.MustCompile(`^[0-9]{4}_[a-z0-9_]+\.sql$`)

// Migration is one embedded schema file.
type Migration struct {
	Name string
	SQL  string
	Sum  string // sha256 of SQL, to notice a file edited after it was applied
}

// Migrations returns the embedded migrations in the order they apply.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		if !migrationName.MatchString(e.Name()) {
			return nil, fmt.Errorf("postgres: migration file %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		ms = append(ms, Migration{Name: e.Name(), SQL: string(b), Sum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	return ms, nil
}

const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
	name       text PRIMARY KEY,
	sha256     text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate applies the pending migrations and returns their names. It holds
// a session advisory lock for the whole run, so several processes starting
// at once against one database apply each migration exactly once: the
// others wait, then find nothing left to do.
func Migrate(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLockKey)); err != nil {
		return nil, fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, and a lock left
		// on a pooled connection would block every later migration.
		_, _ = conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLockKey))
	}()
	if _, err := conn.Exec(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	done, err := appliedMigrations(ctx, conn)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		if _, ok := done[m.Name]; ok {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)`, m.Name, m.Sum)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
		applied = append(applied, m.Name)
	}
	// River's own tables (the job queue that delivers notifications) are
	// migrated by river's migrator, under the same lock, after ours, one
	// version per transaction (a version may use an enum value the one
	// before added): the template database of the tests gets them like
	// any other schema.
	for {
		var n int
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) (err error) {
			n, err = migrateRiver(ctx, tx)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("postgres: river migrations: %w", err)
		}
		if n == 0 {
			return applied, nil
		}
	}
}

// migrateRiver applies river's next pending version in tx and says how
// many it applied (0 or 1).
func migrateRiver(ctx context.Context, tx pgx.Tx) (int, error) {
	m, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, err
	}
	// MigrateTx is deprecated because several of river's versions cannot
	// share a transaction; MaxSteps: 1 applies one version per transaction
	// (under our migration lock), which is what Migrate itself does.
	//lint:ignore SA1019 one version per transaction, see above
	res, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{MaxSteps: 1})
	if err != nil {
		return 0, err
	}
	return len(res.Versions), nil
}

// Pending returns the embedded migrations not yet applied to the database.
func Pending(ctx context.Context, db DBTX) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := db.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	done := map[string]string{}
	if exists {
		if done, err = appliedMigrations(ctx, db); err != nil {
			return nil, err
		}
	}
	var pending []string
	for _, m := range ms {
		if _, ok := done[m.Name]; !ok {
			pending = append(pending, m.Name)
		}
	}
	return pending, nil
}

// Changed lists the applied migrations whose file has changed since: a
// forward-only history must not be edited, so callers warn about these.
func Changed(ctx context.Context, db DBTX) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	done, err := appliedMigrations(ctx, db)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, m := range ms {
		if sum, ok := done[m.Name]; ok && sum != m.Sum {
			changed = append(changed, m.Name)
		}
	}
	return changed, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func appliedMigrations(ctx context.Context, db querier) (map[string]string, error) {
	rows, err := db.Query(ctx, `SELECT name, sha256 FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("postgres: read schema_migrations: %w", err)
	}
	done := map[string]string{}
	var name, sum string
	_, err = pgx.ForEachRow(rows, []any{&name, &sum}, func() error {
		done[name] = sum
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read schema_migrations: %w", err)
	}
	return done, nil
}
