// Package errkind names the few kinds of failure that cross package
// boundaries. Domain packages wrap these in their own sentinels
// (survey.ErrNotFound wraps errkind.NotFound); the web layer maps the kinds
// to HTTP statuses in one table. It imports only the standard library so
// that every package, however low, may use it.
package errkind

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The kinds. Compare with errors.Is.
var (
	// NotFound: the thing asked for does not exist (or is not visible to the caller).
	NotFound = errors.New("not found")
	// Conflict: the request contradicts the stored state (a duplicate code,
	// an immutable version, a transition not allowed from the current state).
	Conflict = errors.New("conflict")
	// Invalid: the input breaks a rule; usually a *FieldErrors says which.
	Invalid = errors.New("invalid input")
	// Unauthenticated: the caller must sign in.
	Unauthenticated = errors.New("sign-in required")
	// Forbidden: the caller is signed in but may not do this.
	Forbidden = errors.New("forbidden")
	// Unavailable: a dependency (the database) cannot be reached right now.
	Unavailable = errors.New("service unavailable")
)

// FieldErrors lists rule failures by field, so that a form can show each
// message beside its input and the API can return them all at once.
// It matches Invalid under errors.Is.
type FieldErrors map[string]string

// Add records msg for field, keeping the first message for a field.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Err returns fe as an error, or nil when it is empty.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", k, fe[k])
	}
	return b.String()
}

// Is makes FieldErrors match Invalid.
func (fe FieldErrors) Is(target error) bool { return target == Invalid }
