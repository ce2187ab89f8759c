package survey

import (
	"context"
	"errors"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// LoadSet stores a validated set as a new version (admins). A stored
// version never changes: the same content again is a no-op, other content
// under a stored version is refused (a Conflict carrying the difference),
// so a revision needs a new version.
func (s *Service) LoadSet(ctx context.Context, a *model.Actor, set *indicators.Set) (*model.SetLoad, error) {
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	out := &model.SetLoad{Code: set.Code, Version: set.Version}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		outcome, prev, taken, err := setstore.Load(ctx, tx, set)
		if err != nil {
			return err
		}
		if taken != nil {
			out.Diff = indicators.Diff(taken.Set, set)
			return &model.SetVersionTaken{Load: out}
		}
		out.Outcome = string(outcome)
		if prev != nil {
			out.Previous, out.Diff = prev.Version, indicators.Diff(prev.Set, set)
		}
		return nil
	})
	var taken *model.SetVersionTaken
	if errors.As(err, &taken) {
		return out, taken
	}
	if err != nil {
		return nil, wrap("load set", err)
	}
	return out, nil
}

// SetVersions lists the stored versions of every set (admins), newest
// first within a code.
func (s *Service) SetVersions(ctx context.Context, a *model.Actor) ([]*setview.Stored, error) {
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	list, err := setstore.List(ctx, s.pool)
	return list, wrap("set versions", err)
}
