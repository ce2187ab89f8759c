package dashboard

import (
	"context"
	"fmt"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/postgres"
)

// LegacyAreas groups the published results under u (a province, in the
// campaign's tree) by each school's legacy district: the district it was
// moved out of in the reorganisation, else the district on its path (a
// campaign run before the change, or a school never moved). Schools with
// neither (created after 2025 under a commune) are left out. Cached by
// revision like the rankings.
func (s *Store) LegacyAreas(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) ([]dashview.LegacyArea, error) {
	key := fmt.Sprintf("legacy/%d/%d/%d", c.ID, c.Revision, u.ID)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) { return s.legacyAreas(ctx, c, u) })
	if err != nil {
		return nil, err
	}
	return v.([]dashview.LegacyArea), nil
}

func (s *Store) legacyAreas(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) ([]dashview.LegacyArea, error) {
	const q = `WITH r AS (
			SELECT r.index, coalesce(s.legacy_district_id,
				(SELECT p FROM unnest(r.path) AS p JOIN units d ON d.id = p WHERE d.kind = 'district' LIMIT 1)) AS district_id
			FROM dash_results r JOIN units s ON s.id = r.unit_id
			WHERE r.campaign_id = $1 AND r.path @> ARRAY[$2::bigint])
		SELECT d.code, d.name, count(*), avg(r.index), percentile_cont(0.5) WITHIN GROUP (ORDER BY r.index)
		FROM r JOIN units d ON d.id = r.district_id
		GROUP BY d.code, d.name
		ORDER BY d.code`
	rows, err := s.pool.Query(ctx, q, c.ID, u.ID)
	if err != nil {
		return nil, fmt.Errorf("dashboard: legacy areas: %w", postgres.MapError(err))
	}
	defer rows.Close()
	out := []dashview.LegacyArea{}
	for rows.Next() {
		var a dashview.LegacyArea
		if err := rows.Scan(&a.Code, &a.Name, &a.Schools, &a.Mean, &a.Median); err != nil {
			return nil, fmt.Errorf("dashboard: legacy areas: %w", postgres.MapError(err))
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dashboard: legacy areas: %w", postgres.MapError(err))
	}
	return out, nil
}
