package indicators

// Storing sets in PostgreSQL (table indicator_sets, migration
// 0002_create_indicator_sets.sql). The rest of the package is pure; this
// file is its only I/O.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// ErrImmutable is returned when saving different content under a (code,
// version) that a campaign uses; it matches errkind.Conflict.
var ErrImmutable error = &kindError{"indicators: set version is used by a campaign and cannot change", errkind.Conflict}

// Stored is a set version as kept in the database.
type Stored struct {
	ID          int64
	Code        string
	Version     string
	Name        Text
	Source      string
	Assessed    string
	Provisional bool
	// SHA256 is the hex digest of the set's canonical JSON when saved.
	SHA256   string
	LoadedAt time.Time
	// LockedAt is when a campaign first used this version; nil while it
	// may still change.
	LockedAt *time.Time
	// Set is the parsed set (nil in List).
	Set *Set
}

// SaveOutcome says what Save did.
type SaveOutcome string

// The outcomes of Save.
const (
	SaveCreated   SaveOutcome = "created"   // a new (code, version)
	SaveUpdated   SaveOutcome = "updated"   // new content for a version no campaign uses yet
	SaveUnchanged SaveOutcome = "unchanged" // the same content was already stored
)

// Canonical returns a set's canonical JSON (the struct's field order, map
// keys sorted, zero values left out) and the hex SHA-256 of those bytes.
func Canonical(set *Set) ([]byte, string, error) {
	b, err := json.Marshal(set)
	if err != nil {
		return nil, "", fmt.Errorf("indicators: encode %s %s: %w", set.Code, set.Version, err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// Save stores a valid set under its (code, version). Saving the same
// content again changes nothing; different content replaces a version no
// campaign uses yet and is refused with ErrImmutable for one in use.
// Content is compared as jsonb, so formatting never counts as a change.
func Save(ctx context.Context, db postgres.DBTX, set *Set) (int64, SaveOutcome, error) {
	if _, err := set.compiled(); err != nil {
		return 0, "", err
	}
	content, sum, err := Canonical(set)
	if err != nil {
		return 0, "", err
	}
	const q = `
INSERT INTO indicator_sets (code, version, name_vi, name_en, source, assessed, provisional, content, sha256)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
ON CONFLICT (code, version) DO UPDATE
SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en, source = EXCLUDED.source,
    assessed = EXCLUDED.assessed, provisional = EXCLUDED.provisional,
    content = EXCLUDED.content, sha256 = EXCLUDED.sha256, loaded_at = now()
WHERE indicator_sets.locked_at IS NULL AND indicator_sets.content <> EXCLUDED.content
RETURNING id, xmax = 0 AS inserted`
	var id int64
	var inserted bool
	err = db.QueryRow(ctx, q, set.Code, set.Version, set.Name.VI, set.Name.EN, set.Source,
		set.EffectiveAssessed(), set.Provisional, string(content), sum).Scan(&id, &inserted)
	switch {
	case err == nil && inserted:
		return id, SaveCreated, nil
	case err == nil:
		return id, SaveUpdated, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return 0, "", fmt.Errorf("indicators: save %s %s: %w", set.Code, set.Version, postgres.MapError(err))
	}
	// The row exists and was left alone: the same content, or locked.
	const q2 = `SELECT id, content = $3::jsonb, locked_at IS NOT NULL FROM indicator_sets WHERE code = $1 AND version = $2`
	var same, locked bool
	if err := db.QueryRow(ctx, q2, set.Code, set.Version, string(content)).Scan(&id, &same, &locked); err != nil {
		return 0, "", fmt.Errorf("indicators: save %s %s: %w", set.Code, set.Version, postgres.MapError(err))
	}
	if same {
		return id, SaveUnchanged, nil
	}
	return 0, "", fmt.Errorf("%w: %s %s (save the revision as a new version)", ErrImmutable, set.Code, set.Version)
}

// Lock marks a version as used by a campaign: from then on its content
// cannot change. Locking a locked version does nothing.
func Lock(ctx context.Context, db postgres.DBTX, code, version string) error {
	const q = `UPDATE indicator_sets SET locked_at = COALESCE(locked_at, now()) WHERE code = $1 AND version = $2`
	tag, err := db.Exec(ctx, q, code, version)
	if err != nil {
		return fmt.Errorf("indicators: lock %s %s: %w", code, version, postgres.MapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: no stored version %s of %s", ErrNotFound, version, code)
	}
	return nil
}

// setRow is a row of indicator_sets.
type setRow struct {
	ID          int64      `db:"id"`
	Code        string     `db:"code"`
	Version     string     `db:"version"`
	NameVI      string     `db:"name_vi"`
	NameEN      string     `db:"name_en"`
	Source      string     `db:"source"`
	Assessed    string     `db:"assessed"`
	Provisional bool       `db:"provisional"`
	SHA256      string     `db:"sha256"`
	LoadedAt    time.Time  `db:"loaded_at"`
	LockedAt    *time.Time `db:"locked_at"`
	Content     []byte     `db:"content"`
}

// toStored converts a row, parsing its content when the row has it.
func (r *setRow) toStored() (*Stored, error) {
	s := &Stored{
		ID: r.ID, Code: r.Code, Version: r.Version, Name: Text{VI: r.NameVI, EN: r.NameEN},
		Source: r.Source, Assessed: r.Assessed, Provisional: r.Provisional,
		SHA256: r.SHA256, LoadedAt: r.LoadedAt, LockedAt: r.LockedAt,
	}
	if r.Content != nil {
		set, err := Parse(fmt.Sprintf("%s@%s.json", r.Code, r.Version), r.Content)
		if err != nil {
			return nil, fmt.Errorf("indicators: stored set %s %s no longer loads: %w", r.Code, r.Version, err)
		}
		s.Set = set
	}
	return s, nil
}

const selectSet = `SELECT id, code, version, name_vi, name_en, source, assessed, provisional, sha256, loaded_at, locked_at, content FROM indicator_sets `

// Get returns one stored version, or an error matching ErrNotFound.
func Get(ctx context.Context, db postgres.DBTX, code, version string) (*Stored, error) {
	const q = selectSet + `WHERE code = $1 AND version = $2`
	return getOne(ctx, db, q, code+" "+version, code, version)
}

// Latest returns the most recently loaded version of a set, or an error
// matching ErrNotFound. (Version strings are free text, so "latest" is by
// loading time, not by comparing versions.)
func Latest(ctx context.Context, db postgres.DBTX, code string) (*Stored, error) {
	const q = selectSet + `WHERE code = $1 ORDER BY loaded_at DESC, id DESC LIMIT 1`
	return getOne(ctx, db, q, code, code)
}

// getOne runs a query for one set; what names it in messages.
func getOne(ctx context.Context, db postgres.DBTX, q, what string, args ...any) (*Stored, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("indicators: get %s: %w", what, postgres.MapError(err))
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[setRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: no stored set %s", ErrNotFound, what)
	}
	if err != nil {
		return nil, fmt.Errorf("indicators: get %s: %w", what, postgres.MapError(err))
	}
	return row.toStored()
}

// List returns every stored version without its content (Set is nil),
// by code, then the most recently loaded first.
func List(ctx context.Context, db postgres.DBTX) ([]*Stored, error) {
	const q = `SELECT id, code, version, name_vi, name_en, source, assessed, provisional, sha256, loaded_at, locked_at
FROM indicator_sets ORDER BY code, loaded_at DESC, id DESC`
	rows, err := db.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("indicators: list: %w", postgres.MapError(err))
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[setRow])
	if err != nil {
		return nil, fmt.Errorf("indicators: list: %w", postgres.MapError(err))
	}
	out := make([]*Stored, len(list))
	for i := range list {
		if out[i], err = list[i].toStored(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
