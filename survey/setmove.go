package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// What-if (issue 13): before a campaign still open moves to another
// version of its set, its owner previews every assessment's score and
// level under that version — answers carried over by indicator code, the
// new version's new indicators unanswered — and sees who would change
// level; then applies the move (recorded in campaign_set_moves, the
// audit entry) or does nothing. Published revisions are snapshots of
// results and never change.

// PreviewSetMove computes, without changing anything, every assessment's
// result under version of the campaign's set (its owners: admin, Sở).
func (s *Service) PreviewSetMove(ctx context.Context, a *model.Actor, campaignID int64, version string) (*model.SetMove, error) {
	var out *model.SetMove
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.setMove(ctx, tx, a, campaignID, version, false)
		if err != nil {
			return err
		}
		return errPreviewDone // read only: roll back
	})
	if errors.Is(err, errPreviewDone) {
		err = nil
	}
	if err != nil {
		return nil, wrapKeep("preview set version", err)
	}
	return out, nil
}

var errPreviewDone = errors.New("preview done")

// ApplySetMove moves the campaign to version of its set: every
// assessment is rescored with its answers carried over by code (answers
// the version cannot take are set aside in the audit entry), with a
// reason, recorded in campaign_set_moves.
func (s *Service) ApplySetMove(ctx context.Context, a *model.Actor, campaignID int64, version, reason string) (*model.SetMove, error) {
	if err := reasonRequired(reason); err != nil {
		return nil, err
	}
	var out *model.SetMove
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.setMove(ctx, tx, a, campaignID, version, true)
		if err != nil {
			return err
		}
		dropped := map[string]map[string]json.RawMessage{}
		for _, r := range out.Rows {
			if len(r.Dropped) == 0 {
				continue
			}
			rows, err := tx.Query(ctx, `SELECT 'answer:' || indicator, value FROM answers WHERE assessment_id = $1 AND indicator = ANY($2)
				UNION ALL SELECT 'review:' || indicator, coalesce(value, 'null'::jsonb) FROM reviews WHERE assessment_id = $1 AND indicator = ANY($2)`, r.AssessmentID, r.Dropped)
			if err != nil {
				return err
			}
			m := map[string]json.RawMessage{}
			for rows.Next() {
				var k string
				var v json.RawMessage
				if err := rows.Scan(&k, &v); err != nil {
					rows.Close()
					return err
				}
				m[k] = v
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			dropped[fmt.Sprint(r.AssessmentID)] = m
			for _, q := range []string{`DELETE FROM answers WHERE assessment_id = $1 AND indicator = ANY($2)`,
				`DELETE FROM reviews WHERE assessment_id = $1 AND indicator = ANY($2)`} {
				if _, err := tx.Exec(ctx, q, r.AssessmentID, r.Dropped); err != nil {
					return err
				}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET set_version = $2 WHERE id = $1`, campaignID, version); err != nil {
			return err
		}
		// The version a campaign uses never changes from now on.
		if err := setstore.Lock(ctx, tx, out.SetCode, version); err != nil {
			return err
		}
		for _, r := range out.Rows {
			x, err := s.officeHeader(ctx, tx, r.AssessmentID) // locks it; reads the new version
			if err != nil {
				return err
			}
			if _, _, err := s.rescore(ctx, tx, x); err != nil {
				return err
			}
		}
		// An office campaign: roll-ups new in the version are computed
		// (frozen ones stay as submitted).
		if err := s.refreshCampaignRollups(ctx, tx, -1, campaignID); err != nil {
			return err
		}
		raw, err := json.Marshal(dropped)
		if err != nil {
			return err
		}
		var actor *int64
		if a.UserID != 0 {
			actor = &a.UserID
		}
		_, err = tx.Exec(ctx, `INSERT INTO campaign_set_moves (campaign_id, set_code, from_version, to_version, reason, assessments, level_changes, dropped, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			campaignID, out.SetCode, out.FromVersion, version, model.CleanText(reason), len(out.Rows), out.Changes, raw, actor, s.Now())
		return err
	})
	if err != nil {
		return nil, wrapKeep("apply set version", err)
	}
	out.Applied = true
	return out, nil
}

// wrapKeep wraps err unless it is already classified for people.
func wrapKeep(what string, err error) error {
	var ke *errkind.Error
	var fe errkind.FieldErrors
	if errors.As(err, &ke) || errors.As(err, &fe) || errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrNotFound) {
		return err
	}
	return wrap(what, err)
}

// setMove checks the move and computes every assessment's result under
// the other version, inside tx (lock: the campaign row is locked).
func (s *Service) setMove(ctx context.Context, tx pgx.Tx, a *model.Actor, campaignID int64, version string, lock bool) (*model.SetMove, error) {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	if !c.OwnedBy(a) {
		return nil, model.ErrForbidden
	}
	if lock {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID); err != nil {
			return nil, err
		}
	}
	if c.Status != "open" {
		return nil, errkind.New(errkind.Conflict, "Đợt đánh giá đã đóng: không đổi được phiên bản bộ chỉ số.", "the campaign is closed: its set version cannot change")
	}
	if version == c.SetVersion {
		return nil, errkind.New(errkind.Invalid, fmt.Sprintf("Đợt đánh giá đang dùng phiên bản %s.", version), fmt.Sprintf("the campaign already uses version %s", version))
	}
	from, err := s.set(ctx, tx, c.SetCode, c.SetVersion)
	if err != nil {
		return nil, err
	}
	to, err := s.set(ctx, tx, c.SetCode, version)
	if err != nil {
		return nil, errkind.Field("version", fmt.Sprintf("Bộ chỉ số %s không có phiên bản %s.", c.SetCode, version), fmt.Sprintf("set %s has no version %s", c.SetCode, version))
	}
	if from.Assessed != to.Assessed {
		return nil, errkind.New(errkind.Invalid, "Phiên bản kia đánh giá loại đơn vị khác.", "the other version assesses another kind of unit")
	}
	out := &model.SetMove{CampaignID: c.ID, SetCode: c.SetCode, FromVersion: c.SetVersion, ToVersion: version, Rows: []model.SetMoveRow{}, Diff: indicators.Diff(from, to)}
	out.Added, out.Removed = nonNil(out.Diff.Added), nonNil(out.Diff.Removed)
	rows, err := tx.Query(ctx, `SELECT x.id, u.code, u.name, coalesce(x.school_level, ''), x.status, coalesce(x.validated_index, 0), coalesce(x.validated_level, 0)
		FROM assessments x JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = $1 ORDER BY u.code, x.id`, campaignID)
	if err != nil {
		return nil, err
	}
	list, err := postgres.Collect(rows, func(m *model.SetMoveRow) []any {
		return []any{&m.AssessmentID, &m.UnitCode, &m.UnitName, &m.SchoolLevel, &m.Status, &m.Index, &m.Level}
	})
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		x, err := scanHeader(tx.QueryRow(ctx, headerSQL(false), m.AssessmentID), m.AssessmentID)
		if err != nil {
			return nil, err
		}
		x.Set = to
		answers, reviews, err := loadState(ctx, tx, m.AssessmentID)
		if err != nil {
			return nil, err
		}
		typed := typedAnswers(answers)
		dropped := map[string]bool{}
		for code := range typed {
			if _, ok := to.Indicator(code); !ok {
				dropped[code] = true
			}
		}
		for code := range reviews {
			if _, ok := to.Indicator(code); !ok {
				dropped[code] = true
			}
		}
		var validated *indicators.Result
		for try := 0; try < 2; try++ {
			for code := range dropped {
				delete(typed, code)
				delete(reviews, code)
			}
			_, validated, err = scoreBoth(x, typed, reviews)
			var aes indicators.AnswerErrors
			if err == nil || !errors.As(err, &aes) || try == 1 {
				break
			}
			// An answer of another type under the same code: set aside.
			for _, ae := range aes {
				dropped[ae.Indicator] = true
			}
		}
		if err != nil {
			return nil, err
		}
		m.NewIndex, m.NewLevel = validated.Index, validated.Level
		for code := range dropped {
			m.Dropped = append(m.Dropped, code)
		}
		slices.Sort(m.Dropped)
		if m.LevelChanged() {
			out.Changes++
		}
		out.Rows = append(out.Rows, m)
	}
	return out, nil
}

// SetMoveVersions lists the other stored versions of the campaign's set,
// newest first, for its owners to choose from.
func (s *Service) SetMoveVersions(ctx context.Context, a *model.Actor, campaignID int64) (*model.Campaign, []string, error) {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, nil, err
	}
	if !c.OwnedBy(a) {
		return nil, nil, model.ErrForbidden
	}
	rows, err := s.pool.Query(ctx, `SELECT version FROM indicator_sets WHERE code = $1 AND version <> $2 ORDER BY loaded_at DESC, id DESC`, c.SetCode, c.SetVersion)
	if err != nil {
		return nil, nil, wrap("set versions", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return c, nonNil(vs), wrap("set versions", err)
}
