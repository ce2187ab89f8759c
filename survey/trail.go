package survey

// The trail of an assessment on one screen (issue 17): its history,
// the evaluator's changes with their reasons, the school's replies, the
// rulings on contests, approvals and the publications that carried it,
// in time order. Every source is append-only (migration 0013), so the
// trail only grows.

import (
	"context"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Trail returns the whole trail of an assessment, oldest first. The
// school's replies and the rulings appear once, from their own tables (the
// history's short notes of them are left out).
func (s *Service) Trail(ctx context.Context, a *model.Actor, id int64) ([]model.TrailEntry, error) {
	x, err := s.header(ctx, nil, a, id, false)
	if err != nil {
		return nil, err
	}
	const q = `SELECT at, kind, action, by, indicator, old_value, new_value, text, link, revision FROM (
		SELECT e.at, 'event' AS kind, e.action, coalesce(u.username, '') AS by, '' AS indicator, NULL::jsonb AS old_value, NULL::jsonb AS new_value,
			e.comment AS text, '' AS link, 0 AS revision, 1 AS ord, e.id
		FROM assessment_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.assessment_id = $1 AND e.action NOT IN ('reply', 'ruling')
		UNION ALL
		SELECT c.changed_at, CASE WHEN c.ruling THEN 'reversal' ELSE 'change' END, '', coalesce(u.username, ''), c.indicator, c.old_value, c.new_value,
			c.reason, '', 0, 2, c.id
		FROM review_changes c LEFT JOIN users u ON u.id = c.changed_by WHERE c.assessment_id = $1
		UNION ALL
		SELECT p.replied_at, 'reply', p.verdict, coalesce(u.username, ''), p.indicator, NULL, NULL, p.comment, coalesce(p.evidence_url, ''), 0, 3, p.id
		FROM review_replies p LEFT JOIN users u ON u.id = p.replied_by WHERE p.assessment_id = $1
		UNION ALL
		SELECT r.ruled_at, 'ruling', r.ruling, coalesce(u.username, ''), r.indicator, NULL, NULL, r.reason, '', 0, 4, r.id
		FROM review_rulings r LEFT JOIN users u ON u.id = r.ruled_by WHERE r.assessment_id = $1
		UNION ALL
		SELECT p.published_at, 'publication', '', coalesce(u.username, ''), '', NULL, NULL, p.note, '', p.revision, 5, p.id
		FROM publications p JOIN published_results pr ON pr.publication_id = p.id LEFT JOIN users u ON u.id = p.published_by
		WHERE pr.assessment_id = $1
	) t ORDER BY at, ord, id`
	rows, err := s.pool.Query(ctx, q, id)
	if err != nil {
		return nil, wrap("trail", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.TrailEntry, error) {
		var e model.TrailEntry
		var old, nv []byte
		err := r.Scan(&e.At, &e.Kind, &e.Action, &e.By, &e.Indicator, &old, &nv, &e.Text, &e.Link, &e.Revision)
		if old != nil {
			e.Old = old
		}
		if nv != nil {
			e.New = nv
		}
		if e.Kind == model.TrailEvent {
			e.Text = reword(x, e.Action, e.Text)
		}
		return e, err
	})
	if out == nil {
		out = []model.TrailEntry{}
	}
	return out, wrap("trail", err)
}
