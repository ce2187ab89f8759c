package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Health answers a readiness probe about one database: whether it can be
// reached and which migrations it still lacks. The web layer is handed
// one (it holds no pool of its own).
type Health struct {
	pool *pgxpool.Pool
}

// NewHealth returns the health of the database behind pool.
func NewHealth(pool *pgxpool.Pool) *Health { return &Health{pool: pool} }

// Ping checks that the database answers.
func (h *Health) Ping(ctx context.Context) error {
	if err := h.pool.Ping(ctx); err != nil {
		return MapError(err)
	}
	return nil
}

// Pending returns the embedded migrations not yet applied.
func (h *Health) Pending(ctx context.Context) ([]string, error) { return Pending(ctx, h.pool) }

// Unreachable reports whether err means PostgreSQL cannot be reached
// (stopped, restarting, network gone), as opposed to a query error: the
// client gets a 503 it may retry, not a 500. MapError classifies these
// as errkind.Unavailable.
func Unreachable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// admin_shutdown, crash_shutdown, cannot_connect_now
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	return pgconn.SafeToRetry(err) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// unavailable wraps an unreachable-database error in
// errkind.DatabaseUnreachable (which matches errkind.Unavailable and says,
// in both languages, that saved data is safe).
func unavailable(err error) error {
	if errors.Is(err, errkind.DatabaseUnreachable) {
		return err
	}
	return &unavailableError{err}
}

// unavailableError matches ErrUnreachable (so errkind.Unavailable) and
// the driver error it wraps.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string   { return e.err.Error() }
func (e *unavailableError) Unwrap() []error { return []error{errkind.DatabaseUnreachable, e.err} }
