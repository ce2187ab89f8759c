package survey

import (
	"context"
	"errors"
	"fmt"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/jackc/pgx/v5"
)

// SetLoad is what storing a set file did (the admin's set page, issue 13).
type SetLoad struct {
	Code, Version string
	Outcome       setstore.SaveOutcome
	// Previous is the latest version of the same code before this one
	// ("" for the first); Diff what changed against it.
	Previous string
	Diff     *indicators.SetDiff
}

// LoadSet stores a validated set as a new version (admins). A stored
// version never changes: the same content again is a no-op, other content
// under a stored version is refused (a Conflict carrying the difference),
// so a revision needs a new version.
func (s *Service) LoadSet(ctx context.Context, a *Actor, set *indicators.Set) (*SetLoad, error) {
	if !a.Is(RoleAdmin) {
		return nil, ErrForbidden
	}
	out := &SetLoad{Code: set.Code, Version: set.Version}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if cur, err := setstore.Get(ctx, tx, set.Code, set.Version); err == nil {
			_, sum, err := indicators.Canonical(set)
			if err != nil {
				return err
			}
			if cur.SHA256 != sum {
				out.Diff = indicators.Diff(cur.Set, set)
				return &SetVersionTaken{Load: out}
			}
			out.Outcome = setstore.SaveUnchanged
			return nil
		} else if !errors.Is(err, indicators.ErrNotFound) {
			return err
		}
		prev, err := setstore.Latest(ctx, tx, set.Code)
		if err != nil && !errors.Is(err, indicators.ErrNotFound) {
			return err
		}
		if _, out.Outcome, err = setstore.Save(ctx, tx, set); err != nil {
			return err
		}
		if prev != nil {
			out.Previous, out.Diff = prev.Version, indicators.Diff(prev.Set, set)
		}
		return nil
	})
	var taken *SetVersionTaken
	if errors.As(err, &taken) {
		return out, taken
	}
	if err != nil {
		return nil, wrap("load set", err)
	}
	return out, nil
}

// SetVersionTaken: a set file gives a version already stored with other
// content. It is a Conflict; Load.Diff says what differs.
type SetVersionTaken struct{ Load *SetLoad }

func (e *SetVersionTaken) Error() string {
	return e.kind().Error()
}

func (e *SetVersionTaken) kind() *errkind.Error {
	return errkind.New(errkind.Conflict,
		fmt.Sprintf("Bộ chỉ số %s phiên bản %s đã được lưu với nội dung khác; một phiên bản đã lưu không bao giờ thay đổi: hãy đặt phiên bản mới cho bản sửa đổi.", e.Load.Code, e.Load.Version),
		fmt.Sprintf("%s %s is already stored with other content; a stored version never changes: give the revision a new version", e.Load.Code, e.Load.Version))
}

// Unwrap makes errors.Is(err, errkind.Conflict) hold.
func (e *SetVersionTaken) Unwrap() error { return e.kind() }

// SetVersions lists the stored versions of every set (admins), newest
// first within a code.
func (s *Service) SetVersions(ctx context.Context, a *Actor) ([]*setstore.Stored, error) {
	if !a.Is(RoleAdmin) {
		return nil, ErrForbidden
	}
	list, err := setstore.List(ctx, s.pool)
	return list, wrap("set versions", err)
}
