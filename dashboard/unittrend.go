package dashboard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// TrendAcross returns a unit's trend across the 2025 change: a school's
// own results in every campaign it took part in; an area's over the
// schools it holds — the schools under it now, and for a retired area the
// schools whose legacy district lies in it — with the mean index and the
// median level per campaign. Only published results are read.
func (s *Store) TrendAcross(ctx context.Context, code string) (*dashview.UnitTrend, error) {
	var t dashview.UnitTrend
	var id int64
	var validTo *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, code, name, kind, valid_to FROM units WHERE code = $1`, code).Scan(&id, &t.Code, &t.Name, &t.Kind, &validTo)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errkind.New(errkind.NotFound, "Không có đơn vị mã "+code+".", "no unit with code "+code)
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: trend %s: %w", code, postgres.MapError(err))
	}
	t.Retired = validTo != nil
	const q = `WITH held AS (
			SELECT s.id FROM units s WHERE s.kind = 'school' AND ($1 = ANY(s.path)
				OR s.legacy_district_id IN (SELECT d.id FROM units d WHERE $1 = ANY(d.path)))
		), res AS (
			SELECT r.* FROM public_results r WHERE r.unit_id IN (SELECT id FROM held)
		)
		SELECT c.id, c.name, c.opens_on, count(*), count(*) FILTER (WHERE $1 = ANY(res.path)), avg(res.index),
			percentile_disc(0.5) WITHIN GROUP (ORDER BY res.level),
			CASE WHEN count(*) = 1 THEN min(coalesce(p.code, '')) ELSE '' END, CASE WHEN count(*) = 1 THEN min(coalesce(p.name, '')) ELSE '' END
		FROM res JOIN campaigns c ON c.id = res.campaign_id
		LEFT JOIN units p ON p.id = res.path[array_length(res.path, 1) - 1]
		GROUP BY c.id ORDER BY c.opens_on, c.id`
	rows, err := s.pool.Query(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("dashboard: trend %s: %w", code, postgres.MapError(err))
	}
	t.Points, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (dashview.UnitTrendPoint, error) {
		var p dashview.UnitTrendPoint
		var opens time.Time
		err := r.Scan(&p.CampaignID, &p.CampaignName, &opens, &p.Schools, &p.InTree, &p.Index, &p.Level, &p.ParentCode, &p.ParentName)
		p.SchoolYear = schoolYear(opens)
		p.BoundaryChanged = p.InTree != p.Schools
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: trend %s: %w", code, postgres.MapError(err))
	}
	if t.Kind == "school" {
		for i := range t.Points {
			t.Points[i].Schools, t.Points[i].InTree, t.Points[i].BoundaryChanged = 0, 0, false
		}
	} else {
		for i := range t.Points {
			t.Points[i].ParentCode, t.Points[i].ParentName = "", ""
		}
	}
	if t.Points == nil {
		t.Points = []dashview.UnitTrendPoint{}
	}
	return &t, nil
}

// schoolYear names the school year a campaign opening on day belongs to:
// Vietnamese school years start in September (August for the earliest).
func schoolYear(day time.Time) string {
	y := day.Year()
	if day.Month() < time.August {
		y--
	}
	return fmt.Sprintf("%d-%d", y, y+1)
}
