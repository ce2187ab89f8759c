// Package setstore keeps indicator sets in PostgreSQL (table
// indicator_sets, migration 0002_create_indicator_sets.sql): each (code,
// version) once, immutable from the moment a campaign uses it. Package
// indicators stays pure; this is the only place its sets meet SQL.
package setstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/jackc/pgx/v5"
)

// Save stores a valid set under its (code, version). Saving the same
// content again changes nothing; different content replaces a version no
// campaign uses yet and is refused with indicators.ErrImmutable for one in use.
// Content is compared as jsonb, so formatting never counts as a change.
func Save(ctx context.Context, db postgres.DBTX, set *indicators.Set) (int64, setview.SaveOutcome, error) {
	if err := set.Check(); err != nil {
		return 0, "", err
	}
	content, sum, err := indicators.Canonical(set)
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
		return id, setview.SaveCreated, nil
	case err == nil:
		return id, setview.SaveUpdated, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return 0, "", fmt.Errorf("setstore: save %s %s: %w", set.Code, set.Version, postgres.MapError(err))
	}
	// The row exists and was left alone: the same content, or locked.
	const q2 = `SELECT id, content = $3::jsonb, locked_at IS NOT NULL FROM indicator_sets WHERE code = $1 AND version = $2`
	var same, locked bool
	if err := db.QueryRow(ctx, q2, set.Code, set.Version, string(content)).Scan(&id, &same, &locked); err != nil {
		return 0, "", fmt.Errorf("setstore: save %s %s: %w", set.Code, set.Version, postgres.MapError(err))
	}
	if same {
		return id, setview.SaveUnchanged, nil
	}
	return 0, "", fmt.Errorf("%w: %s %s (save the revision as a new version)", indicators.ErrImmutable, set.Code, set.Version)
}

// Load stores set as a new version unless (code, version) is stored: the
// same content again is SaveUnchanged; other content under a stored version
// stores nothing and returns the stored one as taken (a version never
// changes, a revision needs a new one). prev is the latest version of the
// code before a new one was stored. Run it in the caller's transaction.
func Load(ctx context.Context, db postgres.DBTX, set *indicators.Set) (outcome setview.SaveOutcome, prev, taken *setview.Stored, err error) {
	if cur, err := Get(ctx, db, set.Code, set.Version); err == nil {
		_, sum, err := indicators.Canonical(set)
		if err != nil {
			return "", nil, nil, err
		}
		if cur.SHA256 != sum {
			return "", nil, cur, nil
		}
		return setview.SaveUnchanged, nil, nil, nil
	} else if !errors.Is(err, indicators.ErrNotFound) {
		return "", nil, nil, err
	}
	prev, err = Latest(ctx, db, set.Code)
	if err != nil && !errors.Is(err, indicators.ErrNotFound) {
		return "", nil, nil, err
	}
	_, outcome, err = Save(ctx, db, set)
	if err != nil {
		return "", nil, nil, err
	}
	return outcome, prev, nil, nil
}

// Lock marks a version as used by a campaign: from then on its content
// cannot change. Locking a locked version does nothing.
func Lock(ctx context.Context, db postgres.DBTX, code, version string) error {
	const q = `UPDATE indicator_sets SET locked_at = COALESCE(locked_at, now()) WHERE code = $1 AND version = $2`
	tag, err := db.Exec(ctx, q, code, version)
	if err != nil {
		return fmt.Errorf("setstore: lock %s %s: %w", code, version, postgres.MapError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: no stored version %s of %s", indicators.ErrNotFound, version, code)
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
func (r *setRow) toStored() (*setview.Stored, error) {
	s := &setview.Stored{
		ID: r.ID, Code: r.Code, Version: r.Version, Name: indicators.Text{VI: r.NameVI, EN: r.NameEN},
		Source: r.Source, Assessed: r.Assessed, Provisional: r.Provisional,
		SHA256: r.SHA256, LoadedAt: r.LoadedAt, LockedAt: r.LockedAt,
	}
	if r.Content != nil {
		set, err := indicators.Parse(fmt.Sprintf("%s@%s.json", r.Code, r.Version), r.Content)
		if err != nil {
			return nil, fmt.Errorf("setstore: stored set %s %s no longer loads: %w", r.Code, r.Version, err)
		}
		s.Set = set
	}
	return s, nil
}

const selectSet = `SELECT id, code, version, name_vi, name_en, source, assessed, provisional, sha256, loaded_at, locked_at, content FROM indicator_sets `

// Get returns one stored version, or an error matching indicators.ErrNotFound.
func Get(ctx context.Context, db postgres.DBTX, code, version string) (*setview.Stored, error) {
	const q = selectSet + `WHERE code = $1 AND version = $2`
	return getOne(ctx, db, q, code+" "+version, code, version)
}

// Latest returns the most recently loaded version of a set, or an error
// matching indicators.ErrNotFound. (Version strings are free text, so "latest" is by
// loading time, not by comparing versions.)
func Latest(ctx context.Context, db postgres.DBTX, code string) (*setview.Stored, error) {
	const q = selectSet + `WHERE code = $1 ORDER BY loaded_at DESC, id DESC LIMIT 1`
	return getOne(ctx, db, q, code, code)
}

// getOne runs a query for one set; what names it in messages.
func getOne(ctx context.Context, db postgres.DBTX, q, what string, args ...any) (*setview.Stored, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("setstore: get %s: %w", what, postgres.MapError(err))
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[setRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: no stored set %s", indicators.ErrNotFound, what)
	}
	if err != nil {
		return nil, fmt.Errorf("setstore: get %s: %w", what, postgres.MapError(err))
	}
	return row.toStored()
}

// List returns every stored version without its content (Set is nil),
// by code, then the most recently loaded first.
func List(ctx context.Context, db postgres.DBTX) ([]*setview.Stored, error) {
	const q = `SELECT id, code, version, name_vi, name_en, source, assessed, provisional, sha256, loaded_at, locked_at
FROM indicator_sets ORDER BY code, loaded_at DESC, id DESC`
	rows, err := db.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("setstore: list: %w", postgres.MapError(err))
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[setRow])
	if err != nil {
		return nil, fmt.Errorf("setstore: list: %w", postgres.MapError(err))
	}
	out := make([]*setview.Stored, len(list))
	for i := range list {
		if out[i], err = list[i].toStored(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Store is the stored sets over one database, for callers (the web layer)
// that are handed a store rather than a database: it carries the same
// functions as Get, Latest, List and Save.
type Store struct {
	db postgres.DBTX
}

// NewStore returns the sets stored in db.
func NewStore(db postgres.DBTX) *Store { return &Store{db: db} }

// Get returns one stored version, or an error matching ErrNotFound.
func (s *Store) Get(ctx context.Context, code, version string) (*setview.Stored, error) {
	return Get(ctx, s.db, code, version)
}

// Latest returns the most recently loaded version of a set.
func (s *Store) Latest(ctx context.Context, code string) (*setview.Stored, error) {
	return Latest(ctx, s.db, code)
}

// List returns every stored version without its content.
func (s *Store) List(ctx context.Context) ([]*setview.Stored, error) { return List(ctx, s.db) }

// Save stores a set version (see Save).
func (s *Store) Save(ctx context.Context, set *indicators.Set) (int64, setview.SaveOutcome, error) {
	return Save(ctx, s.db, set)
}
