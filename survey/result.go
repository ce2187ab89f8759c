package survey

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
)

// ResultChange is one value an evaluator changed (external evaluation),
// as the school's result view shows it: the old and new value, the reason,
// who and when, and the published revision that first carried it.
type ResultChange struct {
	Indicator string          `json:"indicator"`
	Old       json.RawMessage `json:"old_value"`
	New       json.RawMessage `json:"new_value"`
	Reason    string          `json:"reason"`
	By        string          `json:"by"`
	ByName    string          `json:"by_name"`
	At        time.Time       `json:"at"`
	// Revision is the first published revision holding this assessment
	// made after the change (0: not published since).
	Revision int `json:"revision"`
}

// ResultPublication is a published revision that holds the assessment,
// with the index and level it froze.
type ResultPublication struct {
	Revision    int       `json:"revision"`
	PublishedAt time.Time `json:"published_at"`
	Index       float64   `json:"index"`
	Level       int       `json:"level"`
}

// validatedVisible: who may read the validated result, the evaluator's
// changes and their reasons. Evaluators (and admins) of the scope always
// (they make them). The school from approval on: approval is the office's
// decision on that school, and the school must be able to read it (and
// query it) before it becomes public; while the review is under way the
// evaluator's values are work in progress, not a result to act on.
func (x *Assessment) validatedVisible(a *Actor) bool {
	if a.Role != RoleSchool && a.Role != RoleOffice {
		return true
	}
	return x.Status == StatusApproved
}

// loadResultView fills the result view's parts of x for a, or hides them:
// the validated score, the evaluator's values, the trail of changes and
// the publications.
func (s *Service) loadResultView(ctx context.Context, a *Actor, x *Assessment) error {
	x.Changes, x.Publications = []ResultChange{}, []ResultPublication{}
	if !x.validatedVisible(a) {
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
	x.Publications, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ResultPublication, error) {
		var p ResultPublication
		err := r.Scan(&p.Revision, &p.PublishedAt, &p.Index, &p.Level)
		return p, err
	})
	if err != nil {
		return wrap("result publications", err)
	}
	if x.Publications == nil {
		x.Publications = []ResultPublication{}
	}
	rows, err = s.pool.Query(ctx, `SELECT r.indicator, coalesce(r.old_value, 'null'), coalesce(r.new_value, 'null'), r.reason,
			coalesce(u.username, ''), coalesce(u.display_name, ''), r.changed_at
		FROM review_changes r LEFT JOIN users u ON u.id = r.changed_by WHERE r.assessment_id = $1 ORDER BY r.id`, x.ID)
	if err != nil {
		return wrap("result changes", err)
	}
	x.Changes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ResultChange, error) {
		var c ResultChange
		err := r.Scan(&c.Indicator, &c.Old, &c.New, &c.Reason, &c.By, &c.ByName, &c.At)
		return c, err
	})
	if err != nil {
		return wrap("result changes", err)
	}
	if x.Changes == nil {
		x.Changes = []ResultChange{}
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
func (s *Service) AssessmentTarget(ctx context.Context, a *Actor, id int64) (*Assessment, error) {
	x, err := s.target(ctx, id)
	if err != nil {
		return nil, err
	}
	if a == nil || !x.visibleTo(a) {
		return nil, errAssessmentNotFound(id)
	}
	return x, nil
}
