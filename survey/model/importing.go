package model

import (
	"fmt"
	"slices"

	"github.com/dxindex/dxindex/internal/errkind"
)

// RowError is what is wrong with one cell of an import file.
type RowError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	VI     string `json:"vi"`
	EN     string `json:"en"`
}

// Error words the problem in English.
func (e RowError) Error() string {
	if e.Row == 0 {
		return fmt.Sprintf("column %s: %s", e.Column, e.EN)
	}
	return fmt.Sprintf("row %d, column %s: %s", e.Row, e.Column, e.EN)
}

// Message returns the reason in lang ("vi" or "en").
func (e RowError) Message(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.VI
}

// InvalidFile is returned when rows are bad: nothing was imported. It
// matches errkind.Invalid.
type InvalidFile struct{ Errors []RowError }

func (e *InvalidFile) Error() string {
	return fmt.Sprintf("imports: %d bad row(s), nothing imported", len(e.BadRows()))
}

// Unwrap makes an invalid file an errkind.Invalid.
func (e *InvalidFile) Unwrap() error { return errkind.Invalid }

// BadRows returns the numbers of the bad rows, in order.
func (e *InvalidFile) BadRows() []int {
	var out []int
	seen := map[int]bool{}
	for _, r := range e.Errors {
		if !seen[r.Row] {
			seen[r.Row] = true
			out = append(out, r.Row)
		}
	}
	return out
}

// SortRowErrors orders errors by row, keeping the order within a row.
func SortRowErrors(errs []RowError) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return a.Row - b.Row })
}

// ImportReport says what an import did.
type ImportReport struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// MayImport says whether a may import units, users or indicator sets:
// imports touch every unit and account, so only an admin without a unit
// (scope: everything) runs them.
func MayImport(a *Actor) error {
	if !a.Is(RoleAdmin) || a.UnitID != 0 {
		return ErrForbidden
	}
	return nil
}

// UnitRow is one row of a units file as read, with the kind already
// turned from the words people write into a kind code.
type UnitRow struct {
	Row                       int
	Code, Name, Kind, Parent  string
	Levels                    []string
	Students, Teachers, Staff *int
}

// UserRow is one row of a users file as read, the role already turned
// from the words people write into a role ("" when it was not one).
type UserRow struct {
	Row            int
	Username, Name string
	Role           Role
	UnitCode       string
	// Email and Phone are optional; empty leaves an existing user's as
	// they are.
	Email, Phone string
}

// Credential is a generated password of a new user.
type Credential struct {
	Username string `json:"username"`
	Password string `json:"password"`
}
