package pgtest_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestIsolation: a row written in one test's database is invisible in
// another's, even while both tests run at the same time.
func TestIsolation(t *testing.T) {
	written := make(chan struct{})
	checked := make(chan struct{})
	t.Run("group", func(t *testing.T) {
		t.Run("writer", func(t *testing.T) {
			t.Parallel()
			pool := pgtest.New(t)
			ctx := context.Background()
			if _, err := pool.Exec(ctx, `INSERT INTO app_settings (key, value) VALUES ('test.marker', '"writer"')`); err != nil {
				t.Fatal(err)
			}
			close(written)
			<-checked
			var v string
			if err := pool.QueryRow(ctx, `SELECT value->>0 FROM app_settings WHERE key = 'test.marker'`).Scan(&v); err != nil {
				t.Fatalf("the writer lost its own row: %v", err)
			}
		})
		t.Run("reader", func(t *testing.T) {
			t.Parallel()
			pool := pgtest.New(t)
			<-written
			defer close(checked)
			var v string
			err := pool.QueryRow(context.Background(), `SELECT value::text FROM app_settings WHERE key = 'test.marker'`).Scan(&v)
			if !errors.Is(err, pgx.ErrNoRows) {
				t.Fatalf("the reader's database sees the writer's row (value %q, err %v)", v, err)
			}
		})
	})
}

// TestMigrated: every test database starts at the current schema.
func TestMigrated(t *testing.T) {
	pool := pgtest.New(t)
	pending, err := postgres.Pending(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 0 {
		t.Fatalf("pending migrations in a fresh test database: %v", pending)
	}
	all, _ := postgres.Migrations()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(all) {
		t.Fatalf("schema_migrations has %d rows, want %d", n, len(all))
	}
}

// BenchmarkClone measures the per-test cost: cloning the template.
func BenchmarkClone(b *testing.B) {
	for b.Loop() {
		_ = pgtest.URL(b)
	}
}
