package indicators

import (
	"context"

	"github.com/dxindex/dxindex/internal/postgres"
)

// Store is the stored sets over one database, for callers (the web layer)
// that are handed a store rather than a database: it carries the same
// functions as Get, Latest, List and Save.
type Store struct {
	db postgres.DBTX
}

// NewStore returns the sets stored in db.
func NewStore(db postgres.DBTX) *Store { return &Store{db: db} }

// Get returns one stored version, or an error matching ErrNotFound.
func (s *Store) Get(ctx context.Context, code, version string) (*Stored, error) {
	return Get(ctx, s.db, code, version)
}

// Latest returns the most recently loaded version of a set.
func (s *Store) Latest(ctx context.Context, code string) (*Stored, error) {
	return Latest(ctx, s.db, code)
}

// List returns every stored version without its content.
func (s *Store) List(ctx context.Context) ([]*Stored, error) { return List(ctx, s.db) }

// Save stores a set version (see Save).
func (s *Store) Save(ctx context.Context, set *Set) (int64, SaveOutcome, error) {
	return Save(ctx, s.db, set)
}
