// Package errkind names the few kinds of failure that cross package
// boundaries. Domain packages wrap these in their own sentinels
// (model.ErrNotFound wraps errkind.NotFound); the web layer maps the kinds
// to HTTP statuses in one table. It imports only the standard library so
// that every package, however low, may use it.
package errkind

//lint:file-ignore ST1012 the kinds read as errkind.NotFound at every use; an Err prefix would stutter

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
	// RateLimited: too many attempts; try again later.
	RateLimited = errors.New("too many requests")
	// StorageFull: the database has no room to store what was sent.
	StorageFull = errors.New("storage full")
	// Unavailable: a dependency (the database) cannot be reached right now.
	Unavailable = errors.New("service unavailable")
)

// DatabaseUnreachable is the Unavailable error of a database that cannot
// be reached (stopped, restarting, the network gone), as internal/postgres
// maps it. It says, in both languages, that saved data is safe; the web
// layer answers it as database_unavailable without knowing the driver.
var DatabaseUnreachable = New(Unavailable,
	"Cơ sở dữ liệu tạm thời không truy cập được; dữ liệu đã lưu không bị mất. Xin thử lại sau ít phút.",
	"The database is unreachable for the moment; saved data is safe. Please try again in a few minutes.")

// Msg is a message for people, in Vietnamese and English.
type Msg struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the message in lang ("vi" or "en").
func (m Msg) In(lang string) string {
	if lang == "en" && m.EN != "" {
		return m.EN
	}
	if m.VI == "" {
		return m.EN
	}
	return m.VI
}

// Error is an error of one kind with a message for people in both
// languages, so the web layer can answer in the caller's language.
type Error struct {
	Kind error
	Msg  Msg
}

// New returns an *Error of kind with its Vietnamese and English messages.
func New(kind error, vi, en string) *Error { return &Error{Kind: kind, Msg: Msg{VI: vi, EN: en}} }

func (e *Error) Error() string { return e.Msg.EN }
func (e *Error) Unwrap() error { return e.Kind }

// FieldErrors lists rule failures by field, so that a form can show each
// message beside its input and the API can return them all at once.
// It matches Invalid under errors.Is.
type FieldErrors map[string]Msg

// Field is the FieldErrors of one field's message.
func Field(field, vi, en string) FieldErrors { return FieldErrors{field: Msg{VI: vi, EN: en}} }

// Add records a message for field, keeping the first message for a field.
func (fe FieldErrors) Add(field, vi, en string) {
	if _, ok := fe[field]; !ok {
		fe[field] = Msg{VI: vi, EN: en}
	}
}

// In returns the messages in lang.
func (fe FieldErrors) In(lang string) map[string]string {
	out := make(map[string]string, len(fe))
	for k, m := range fe {
		out[k] = m.In(lang)
	}
	return out
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
		fmt.Fprintf(&b, "%s: %s", k, fe[k].EN)
	}
	return b.String()
}

// Is makes FieldErrors match Invalid.
func (fe FieldErrors) Is(target error) bool { return target == Invalid }
