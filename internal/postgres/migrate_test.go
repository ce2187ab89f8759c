package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func emptyPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.NewPool(context.Background(), pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TestMigrateConcurrently: several processes migrating one database at
// once apply each migration exactly once.
func TestMigrateConcurrently(t *testing.T) {
	url := pgtest.EmptyURL(t)
	all, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	applied := make([][]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A pool each, as separate dxindex processes would have.
			pool, err := postgres.NewPool(context.Background(), url)
			if err != nil {
				errs[i] = err
				return
			}
			defer pool.Close()
			applied[i], errs[i] = postgres.Migrate(context.Background(), pool)
		}()
	}
	wg.Wait()
	total := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("migrator %d: %v", i, errs[i])
		}
		total += len(applied[i])
	}
	if total != len(all) {
		t.Fatalf("migrations applied %d times in all, want %d (once each)", total, len(all))
	}
	pool := emptyPoolFor(t, url)
	var rows, distinct int
	if err := pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT name) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != len(all) || distinct != len(all) {
		t.Fatalf("schema_migrations: %d rows, %d names; want %d", rows, distinct, len(all))
	}
}

func emptyPoolFor(t *testing.T, url string) *pgxpool.Pool {
	pool, err := postgres.NewPool(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestPendingThenCurrent(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	all, _ := postgres.Migrations()
	pending, err := postgres.Pending(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != len(all) {
		t.Fatalf("empty database: %d pending, want %d", len(pending), len(all))
	}
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if pending, _ = postgres.Pending(ctx, pool); len(pending) != 0 {
		t.Fatalf("after Migrate: pending %v", pending)
	}
	again, err := postgres.Migrate(ctx, pool)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Migrate applied %v, %v", again, err)
	}
	// An edited migration file is reported.
	if _, err := pool.Exec(ctx, `UPDATE schema_migrations SET sha256 = 'edited' WHERE name = $1`, all[0].Name); err != nil {
		t.Fatal(err)
	}
	changed, err := postgres.Changed(ctx, pool)
	if err != nil || len(changed) != 1 || changed[0] != all[0].Name {
		t.Fatalf("Changed = %v, %v; want [%s]", changed, err, all[0].Name)
	}
}

// TestFailedMigrationRollsBack: a migration that fails leaves nothing
// behind, neither its changes nor its record.
func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	pool := emptyPool(t)
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	// Each file runs in a transaction: emulate one failing half way.
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TABLE half_done (n int)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT 1/0`)
		return err
	})
	if err == nil {
		t.Fatal("division by zero succeeded")
	}
	var exists bool
	_ = pool.QueryRow(ctx, `SELECT to_regclass('half_done') IS NOT NULL`).Scan(&exists)
	if exists {
		t.Fatal("a failed transaction left its table")
	}
}

func TestMapError(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	_, err := pool.Exec(ctx, `INSERT INTO app_settings (key, value) VALUES ('instance.created_at', '1')`)
	if !errors.Is(postgres.MapError(err), errkind.Conflict) || !postgres.IsUniqueViolation(err, "app_settings_pkey") {
		t.Fatalf("duplicate key: %v does not map to Conflict", err)
	}
	_, err = pool.Exec(ctx, `INSERT INTO app_settings (key, value) VALUES ('Bad Key', '1')`)
	if !errors.Is(postgres.MapError(err), errkind.Invalid) {
		t.Fatalf("check violation: %v does not map to Invalid", err)
	}
	var v string
	err = pool.QueryRow(ctx, `SELECT key FROM app_settings WHERE key = 'absent'`).Scan(&v)
	if !errors.Is(postgres.MapError(err), errkind.NotFound) {
		t.Fatalf("no rows: %v does not map to NotFound", err)
	}
	other := fmt.Errorf("other")
	if postgres.MapError(other) != other || postgres.MapError(nil) != nil {
		t.Fatal("MapError changed an unrelated error")
	}
}

// TestScoresCompressedWithLZ4: on a server built with lz4, the results
// written at every save are compressed with it.
func TestScoresCompressedWithLZ4(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	var lz4 bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`).Scan(&lz4); err != nil {
		t.Fatal(err)
	}
	if !lz4 {
		t.Skip("this PostgreSQL is built without lz4: the columns keep pglz")
	}
	rows, err := pool.Query(ctx, `SELECT attname, attcompression::text FROM pg_attribute
		WHERE attrelid = 'assessments'::regclass AND attname IN ('self_result', 'validated_result') ORDER BY attname`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var name, method string
		err := r.Scan(&name, &method)
		return name + "=" + method, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[self_result=l validated_result=l]" {
		t.Errorf("compression of the results: %v, want lz4 (l) for both", got)
	}
}
