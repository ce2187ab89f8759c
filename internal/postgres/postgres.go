// Package postgres is dxindex's access to PostgreSQL: it opens the pool
// (on the server named by a URL, or on a private cluster under the data
// directory), applies the embedded schema migrations, and maps PostgreSQL
// errors to the kinds of package errkind. Feature packages keep their own
// SQL beside the code that scans it and accept a DBTX.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DBTX is what stores need: satisfied by *pgxpool.Pool, *pgx.Conn and
// pgx.Tx, so a store method runs alone or inside a caller's transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Config says which database to use.
type Config struct {
	// URL of an existing server. Empty: a private cluster under DataDir.
	URL string
	// DataDir holds the private cluster (DataDir/pgdata).
	DataDir string
	// Logger receives progress messages.
	Logger *slog.Logger
}

// DB is an open database: the pool, and the private cluster behind it when
// there is one.
type DB struct {
	Pool    *pgxpool.Pool
	cluster *pgcluster.Cluster
}

// Open connects to the database, first creating and starting the private
// cluster when no URL is given.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{}
	url := cfg.URL
	if url == "" {
		c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: cfg.DataDir, Database: "dxindex", Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
		db.cluster = c
		url = c.DSN("dxindex")
	}
	pool, err := NewPool(ctx, url)
	if err != nil {
		db.stopCluster()
		return nil, err
	}
	db.Pool = pool
	return db, nil
}

// ParseURL checks a database URL (or keyword/value DSN) without connecting.
func ParseURL(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("invalid database URL: %w", err)
	}
	return cfg, nil
}

// NewPool opens a pool on url and checks that the server answers.
func NewPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pcfg, err := ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pcfg.ConnConfig.RuntimeParams["application_name"] = "dxindex"
	// pgx's default (max(4, cores)) leaves PostgreSQL idle while requests
	// wait: a save spends most of its time in round trips and in the
	// commit's WAL flush, so more transactions in flight (group commit)
	// raise throughput. pool_max_conns in the URL still wins.
	if !strings.Contains(url, "pool_max_conns") {
		pcfg.MaxConns = int32(max(16, 4*runtime.NumCPU()))
	}
	pcfg.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach the database at %s: %w", redact(pcfg), err)
	}
	return pool, nil
}

// URL is the connection URL of the database (the private cluster's when
// there is one, else the pool's configuration).
func (db *DB) URL() string {
	if db.cluster != nil {
		return db.cluster.DSN("dxindex")
	}
	return db.Pool.Config().ConnString()
}

// Close closes the pool and stops the private cluster if this process
// started it.
func (db *DB) Close() {
	if db.Pool != nil {
		db.Pool.Close()
	}
	db.stopCluster()
}

func (db *DB) stopCluster() {
	if db.cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		_ = db.cluster.Stop(ctx)
	}
}

func redact(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("host=%s port=%d database=%s user=%s", c.Host, c.Port, c.Database, c.User)
}

// PostgreSQL error codes the stores care about.
const (
	codeUniqueViolation       = "23505"
	codeForeignKeyViolation   = "23503"
	codeCheckViolation        = "23514"
	codeSerialization         = "40001"
	codeInsufficientResources = "53000"
	codeDiskFull              = "53100"
	codeOutOfMemory           = "53200"
)

// MapError turns a PostgreSQL error into one of errkind's kinds, keeping
// the original in the chain: a unique violation is a Conflict, a missing
// row NotFound, a broken foreign key or check Invalid. Other errors pass
// through unchanged.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", errkind.NotFound, err)
	}
	// A query cut short by its context is the caller's deadline, not the
	// database going away.
	if Unreachable(err) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return unavailable(err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return fmt.Errorf("%w: %w", errkind.Conflict, err)
		case codeForeignKeyViolation, codeCheckViolation:
			return fmt.Errorf("%w: %w", errkind.Invalid, err)
		case codeDiskFull, codeOutOfMemory, codeInsufficientResources:
			return fmt.Errorf("%w: %w", errkind.StorageFull, err)
		}
	}
	return err
}

// IsUniqueViolation reports whether err is a unique-constraint violation,
// optionally of the named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation &&
		(constraint == "" || pgErr.ConstraintName == constraint)
}

// Collect reads every row into a T: fields gives the destinations of the
// row's columns, in order, within the T being read.
func Collect[T any](rows pgx.Rows, fields func(*T) []any) ([]T, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) {
		var v T
		err := r.Scan(fields(&v)...)
		return v, err
	})
}
