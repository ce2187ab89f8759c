package dashboard

// How the published results were reviewed (issue 17): the evaluators'
// changes, the school's contests and the contests upheld, and whether the
// result was approved unsampled (sampled verification), as each
// publication froze them (published_reviews), for the public pages and
// the exports.

import (
	"context"
	"fmt"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/postgres"
)

type reviewRow struct {
	unitID int64
	path   []int64
	dashview.ReviewCounts
}

// reviewRows reads the review counts of every published result of the
// campaign once per revision.
func (s *Store) reviewRows(ctx context.Context, c *dashview.Campaign) ([]reviewRow, error) {
	key := fmt.Sprintf("reviews/%d/%d", c.ID, c.Revision)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) {
		rows, err := s.pool.Query(ctx, `SELECT pr.unit_id, pr.path, r.changes, r.contested, r.upheld, r.not_sampled::int
			FROM public_results pr JOIN published_reviews r ON r.publication_id = pr.publication_id AND r.assessment_id = pr.assessment_id
			WHERE pr.campaign_id = $1`, c.ID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []reviewRow
		for rows.Next() {
			r := reviewRow{ReviewCounts: dashview.ReviewCounts{Results: 1}}
			if err := rows.Scan(&r.unitID, &r.path, &r.Changes, &r.Contested, &r.Upheld, &r.NotSampled); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: review counts: %w", postgres.MapError(err))
	}
	return v.([]reviewRow), nil
}

// ReviewCountsOf sums, for each unit asked, the review counts of the
// published results in its subtree (a school: its own result).
func (s *Store) ReviewCountsOf(ctx context.Context, c *dashview.Campaign, unitIDs []int64) (map[int64]dashview.ReviewCounts, error) {
	rows, err := s.reviewRows(ctx, c)
	if err != nil {
		return nil, err
	}
	out := map[int64]dashview.ReviewCounts{}
	add := func(id int64, r *reviewRow) {
		t := out[id]
		t.Results += r.Results
		t.Changes += r.Changes
		t.Contested += r.Contested
		t.Upheld += r.Upheld
		t.NotSampled += r.NotSampled
		out[id] = t
	}
	want := map[int64]bool{}
	for _, id := range unitIDs {
		want[id] = true
	}
	for i := range rows {
		r := &rows[i]
		if want[r.unitID] {
			add(r.unitID, r)
		}
		for _, id := range r.path {
			if id != r.unitID && want[id] {
				add(id, r)
			}
		}
	}
	return out, nil
}

// reviewOf is a school's own counts, nil when its publication recorded none.
func (s *Store) reviewOf(ctx context.Context, c *dashview.Campaign, unitID int64) (*dashview.ReviewCounts, error) {
	m, err := s.ReviewCountsOf(ctx, c, []int64{unitID})
	if err != nil {
		return nil, err
	}
	if r, ok := m[unitID]; ok && r.Results > 0 {
		return &r, nil
	}
	return nil, nil
}
