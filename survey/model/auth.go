package model

import (
	"errors"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// Session kinds: a browser's cookie, or an API client's bearer token.
const (
	SessionWeb = "web"
	SessionAPI = "api"
)

// Session is a signed-in session as the web layer needs it.
type Session struct {
	Token     string // only on Login; the database keeps its hash
	TokenHash []byte
	Kind      string
	CSRFToken string
	ExpiresAt time.Time
}

// RetryError is an error after which the client may try again: the web
// layer sends After as Retry-After.
type RetryError struct {
	Err   *errkind.Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }

func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter returns how long the client should wait before trying again
// after err, if err says.
func RetryAfter(err error) (time.Duration, bool) {
	var re *RetryError
	if errors.As(err, &re) {
		return re.After, true
	}
	if errors.Is(err, ErrBusy) {
		return busyRetryAfter, true
	}
	return 0, false
}
