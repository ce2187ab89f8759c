package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// Progress reads the progress of a campaign under unit u.
func (s *Store) Progress(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.Progress, error) {
	const q = `SELECT cu.path[$3], cu2.code, cu2.name,
			count(*) FILTER (WHERE x.status = 'draft' AND x.answered = 0),
			count(*) FILTER (WHERE x.status = 'draft' AND x.answered > 0),
			count(*) FILTER (WHERE x.status = 'submitted'),
			count(*) FILTER (WHERE x.status = 'returned'),
			count(*) FILTER (WHERE x.status = 'approved'),
			count(*)
		FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		JOIN units cu2 ON cu2.id = cu.path[$3]
		WHERE x.campaign_id = $1 AND cu.path @> ARRAY[$2::bigint]
		GROUP BY 1, 2, 3 ORDER BY 3, 2`
	rows, err := s.pool.Query(ctx, q, c.ID, u.ID, len(u.Path)+1)
	if err != nil {
		return nil, fmt.Errorf("dashboard: progress: %w", postgres.MapError(err))
	}
	p := &dashview.Progress{}
	p.Rows, err = postgres.Collect(rows, func(x *dashview.ProgressRow) []any {
		return []any{&x.UnitID, &x.Code, &x.Name, &x.NotStarted, &x.Draft, &x.Submitted, &x.Returned, &x.Approved, &x.Total}
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: progress: %w", postgres.MapError(err))
	}
	p.Total = dashview.ProgressRow{Code: u.Code, Name: u.Name}
	for _, x := range p.Rows {
		p.Total.NotStarted += x.NotStarted
		p.Total.Draft += x.Draft
		p.Total.Submitted += x.Submitted
		p.Total.Returned += x.Returned
		p.Total.Approved += x.Approved
		p.Total.Total += x.Total
	}
	today := s.Now().In(time.FixedZone("ICT", 7*3600))
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	const qo = `SELECT u.code, u.name, coalesce(pu.name, ''), x.status, x.answered, x.applicable,
			CASE WHEN x.status = 'submitted' THEN c.review_due ELSE c.self_due END
		FROM assessments x JOIN campaigns c ON c.id = x.campaign_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		JOIN units u ON u.id = x.unit_id LEFT JOIN units pu ON pu.id = cu.parent_id
		WHERE x.campaign_id = $1 AND cu.path @> ARRAY[$2::bigint]
			AND ((x.status IN ('draft', 'returned') AND $3::date > c.self_due) OR (x.status = 'submitted' AND $3::date > c.review_due))
		ORDER BY 3, 2 LIMIT 1000`
	rows, err = s.pool.Query(ctx, qo, c.ID, u.ID, day)
	if err != nil {
		return nil, fmt.Errorf("dashboard: overdue: %w", postgres.MapError(err))
	}
	p.Overdue, err = postgres.Collect(rows, func(o *dashview.Overdue) []any {
		return []any{&o.Code, &o.Name, &o.Parent, &o.Status, &o.Answered, &o.Applicable, &o.Due}
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: overdue: %w", postgres.MapError(err))
	}
	return p, nil
}

// Calibration reads the calibration gap under unit u, by the units
// directly under it and by indicator.
func (s *Store) Calibration(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.Calibration, error) {
	const q = `SELECT coalesce(pu.code, ''), coalesce(pu.name, ''), count(*), coalesce(avg(x.self_index - x.validated_index), 0),
			coalesce(avg(abs(x.self_index - x.validated_index)), 0)
		FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		LEFT JOIN units pu ON pu.id = cu.path[$3]
		WHERE x.campaign_id = $1 AND cu.path @> ARRAY[$2::bigint] AND x.status = 'approved'
			AND x.self_index IS NOT NULL AND x.validated_index IS NOT NULL
		GROUP BY ROLLUP ((pu.code, pu.name)) ORDER BY 2 NULLS FIRST, 1`
	rows, err := s.pool.Query(ctx, q, c.ID, u.ID, len(u.Path)+1)
	if err != nil {
		return nil, fmt.Errorf("dashboard: calibration: %w", postgres.MapError(err))
	}
	all, err := pgx.CollectRows(rows, pgx.RowToStructByPos[dashview.CalibrationRow])
	if err != nil {
		return nil, fmt.Errorf("dashboard: calibration: %w", postgres.MapError(err))
	}
	out := &dashview.Calibration{}
	for i, r := range all {
		if i == 0 && r.Code == "" && r.Name == "" {
			out.Total = r
			continue
		}
		out.Units = append(out.Units, r)
	}
	const qi = `SELECT k.key, count(*), avg(coalesce((x.self_result->'indicators'->>k.key)::float8, 0) - k.value::text::float8),
			avg(abs(coalesce((x.self_result->'indicators'->>k.key)::float8, 0) - k.value::text::float8))
		FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		CROSS JOIN LATERAL jsonb_each(x.validated_result->'indicators') k
		WHERE x.campaign_id = $1 AND cu.path @> ARRAY[$2::bigint] AND x.status = 'approved' AND x.self_result IS NOT NULL
		GROUP BY 1`
	rows, err = s.pool.Query(ctx, qi, c.ID, u.ID)
	if err != nil {
		return nil, fmt.Errorf("dashboard: calibration by indicator: %w", postgres.MapError(err))
	}
	byCode := map[string]dashview.CalibrationRow{}
	for rows.Next() {
		var r dashview.CalibrationRow
		if err := rows.Scan(&r.Code, &r.N, &r.MeanGap, &r.MeanAbsGap); err != nil {
			rows.Close()
			return nil, fmt.Errorf("dashboard: calibration by indicator: %w", postgres.MapError(err))
		}
		byCode[r.Code] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dashboard: calibration by indicator: %w", postgres.MapError(err))
	}
	for _, ind := range c.Set.Indicators() {
		if r, ok := byCode[ind.Code]; ok {
			r.Name = ind.Name.VI
			out.Indicators = append(out.Indicators, r)
		}
	}
	return out, nil
}
