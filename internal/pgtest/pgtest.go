// Package pgtest gives each test its own real PostgreSQL database.
//
// One private cluster serves a whole `go test` process (it starts on first
// use, in memory under /dev/shm with durability off, and stops when the
// tests end), or the server named by TEST_DATABASE_URL when it is set. A
// template database is migrated once; every call to New clones it with
// CREATE DATABASE … TEMPLATE, which takes milliseconds, so tests may run in
// parallel without seeing each other's rows. Nothing is mocked.
//
// A package that uses it declares
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// templateName is the migrated database every test database is cloned from.
var templateName = "dxindex_tmpl"

var (
	once     sync.Once
	setupErr error
	cluster  *pgcluster.Cluster
	tmpDir   string
	adminURL string // a URL to the maintenance database, for CREATE/DROP DATABASE
	strategy string // " STRATEGY FILE_COPY" on PostgreSQL 15+, where it is faster
	counter  atomic.Int64
	prefix   = fmt.Sprintf("t%d_", os.Getpid())
)

// Main runs the tests of a package and stops the private cluster after
// them. Use it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	teardown()
	return code
}

// New returns a pool on a fresh database migrated to the current schema.
// The database is dropped when the test ends.
func New(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	u := URL(tb)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(pool.Close) // runs before the DROP registered by URL (LIFO)
	return pool
}

// URL creates a fresh migrated database and returns its connection URL,
// for tests that start a dxindex process of their own. The database is
// dropped when the test ends.
func URL(tb testing.TB) string {
	tb.Helper()
	return createDB(tb, true)
}

// EmptyURL creates a fresh database with no schema at all, for tests of
// the migrations themselves, and returns its URL. It is dropped when the
// test ends.
func EmptyURL(tb testing.TB) string {
	tb.Helper()
	return createDB(tb, false)
}

func createDB(tb testing.TB, migrated bool) string {
	tb.Helper()
	once.Do(setup)
	if setupErr != nil {
		tb.Fatalf("pgtest: no PostgreSQL for tests: %v", setupErr)
	}
	ctx := context.Background()
	name := fmt.Sprintf("%s%d", prefix, counter.Add(1))
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	defer admin.Close(ctx)
	t0 := time.Now()
	tmpl := templateName
	if !migrated {
		tmpl = "template0"
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s%s", name, tmpl, strategy)); err != nil {
		tb.Fatalf("pgtest: clone template: %v", err)
	}
	if migrated {
		cloneTime.Add(int64(time.Since(t0)))
		clones.Add(1)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), adminURL)
		if err != nil {
			tb.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(adminURL, name)
}

var cloneTime, clones atomic.Int64

func setup() {
	ctx := context.Background()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		adminURL = u
		// Template names are per process so that parallel test binaries
		// sharing one server do not drop each other's template.
	} else {
		base := "/dev/shm"
		if fi, err := os.Stat(base); err != nil || !fi.IsDir() {
			base = os.TempDir()
		}
		dir, err := os.MkdirTemp(base, "dxpg")
		if err != nil {
			setupErr = err
			return
		}
		tmpDir = dir
		// MkdirTemp makes 0700 dirs; the server may run as another user.
		if err := os.Chmod(dir, 0o755); err != nil {
			setupErr = err
			return
		}
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		if os.Getenv("PGTEST_VERBOSE") != "" {
			logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Database: "postgres", Ephemeral: true, Logger: logger})
		if err != nil {
			setupErr = err
			return
		}
		cluster = c
		adminURL = c.DSN("postgres")
	}
	setupErr = createTemplate(ctx)
}

func createTemplate(ctx context.Context) error {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	var version int
	if err := admin.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		return err
	}
	if version >= 150000 {
		strategy = " STRATEGY FILE_COPY"
	}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		// A shared server: name the template after this process.
		tmpl := prefix + "tmpl"
		templateName = tmpl
	}
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+templateName+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+templateName); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, withDatabase(adminURL, templateName))
	if err != nil {
		return err
	}
	_, err = postgres.Migrate(ctx, pool)
	// Every connection to the template must be closed before it is cloned.
	pool.Close()
	return err
}

func teardown() {
	if adminURL != "" && os.Getenv("TEST_DATABASE_URL") != "" && setupErr == nil {
		if c, err := pgx.Connect(context.Background(), adminURL); err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+templateName+" WITH (FORCE)")
			c.Close(context.Background())
		}
	}
	if cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = cluster.Stop(ctx)
		cancel()
	}
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
}

// withDatabase returns u with its database replaced by name.
func withDatabase(u, name string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme == "" {
		// A keyword/value DSN.
		return u + " dbname=" + name
	}
	parsed.Path = "/" + name
	return parsed.String()
}
