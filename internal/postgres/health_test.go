package postgres

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestMapErrorUnreachable: an error that means the database is away
// becomes ErrUnreachable (errkind.Unavailable, a 503 the client may
// retry) with the driver's error kept; a query cut short by its own
// deadline does not.
func TestMapErrorUnreachable(t *testing.T) {
	away := []error{
		fmt.Errorf("dial: %w", syscall.ECONNREFUSED),
		&pgconn.PgError{Code: "57P01"},
	}
	for _, err := range away {
		got := MapError(err)
		if !errors.Is(got, errkind.DatabaseUnreachable) || !errors.Is(got, errkind.Unavailable) || !errors.Is(got, err) {
			t.Errorf("MapError(%v) = %v, want ErrUnreachable wrapping it", err, got)
		}
	}
	for _, err := range []error{
		fmt.Errorf("query: %w", context.DeadlineExceeded),
		&pgconn.PgError{Code: "23505"},
	} {
		if got := MapError(err); errors.Is(got, errkind.Unavailable) {
			t.Errorf("MapError(%v) = %v: not unavailable", err, got)
		}
	}
}
