package survey

import (
	"context"

	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
)

// loadResultView fills the result view's parts of x for a, or hides them:
// the validated score, the evaluator's values, the trail of changes and
// the publications.
func (s *Service) loadResultView(ctx context.Context, a *model.Actor, x *model.Assessment) error {
	x.Changes, x.Publications = []model.ResultChange{}, []model.ResultPublication{}
	if !x.ValidatedVisible(a) {
		x.Validated = nil
		for _, v := range x.Answers {
			v.Review = nil
		}
		return nil
	}
	rows, err := s.pool.Query(ctx, `SELECT p.revision, p.published_at, r.index, r.level
		FROM published_results r JOIN publications p ON p.id = r.publication_id
		WHERE r.assessment_id = $1 ORDER BY p.revision`, x.ID)
	if err != nil {
		return wrap("result publications", err)
	}
	x.Publications, err = postgres.Collect(rows, func(p *model.ResultPublication) []any { return []any{&p.Revision, &p.PublishedAt, &p.Index, &p.Level} })
	if err != nil {
		return wrap("result publications", err)
	}
	if x.Publications == nil {
		x.Publications = []model.ResultPublication{}
	}
	rows, err = s.pool.Query(ctx, `SELECT r.indicator, coalesce(r.old_value, 'null'), coalesce(r.new_value, 'null'), r.reason,
			coalesce(u.username, ''), coalesce(u.display_name, ''), r.changed_at
		FROM review_changes r LEFT JOIN users u ON u.id = r.changed_by WHERE r.assessment_id = $1 ORDER BY r.id`, x.ID)
	if err != nil {
		return wrap("result changes", err)
	}
	x.Changes, err = postgres.Collect(rows, func(c *model.ResultChange) []any {
		return []any{&c.Indicator, &c.Old, &c.New, &c.Reason, &c.By, &c.ByName, &c.At}
	})
	if err != nil {
		return wrap("result changes", err)
	}
	if x.Changes == nil {
		x.Changes = []model.ResultChange{}
	}
	for i := range x.Changes {
		for _, p := range x.Publications {
			if !p.PublishedAt.Before(x.Changes[i].At) {
				x.Changes[i].Revision = p.Revision
				break
			}
		}
	}
	return nil
}

// AssessmentTarget returns the unchanging header of assessment id (set,
// school level, campaign) when a may read it, from the cache the saves
// use: for rendering what a save changed without reading it again.
func (s *Service) AssessmentTarget(ctx context.Context, a *model.Actor, id int64) (*model.Assessment, error) {
	x, err := s.target(ctx, id)
	if err != nil {
		return nil, err
	}
	if a == nil || !x.VisibleTo(a) {
		return nil, errAssessmentNotFound(id)
	}
	return x, nil
}
