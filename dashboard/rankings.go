package dashboard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// Ranking ranks the units directly under unit. Public callers pass a
// campaign from Published; with f.Live the campaign need not be published.
//
// A published ranking is kept in memory for CacheTTL, keyed by the
// revision: callers must not modify it.
func (s *Store) Ranking(ctx context.Context, c *dashview.Campaign, u *dashview.Unit, f dashview.Filter) (*dashview.Ranking, error) {
	if f.Live {
		return s.ranking(ctx, c, u, f)
	}
	key := fmt.Sprintf("ranking/%d/%d/%d/%s", c.ID, c.Revision, u.ID, f.SchoolLevel)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) { return s.ranking(ctx, c, u, f) })
	if err != nil {
		return nil, err
	}
	return v.(*dashview.Ranking), nil
}

func (s *Store) ranking(ctx context.Context, c *dashview.Campaign, u *dashview.Unit, f dashview.Filter) (*dashview.Ranking, error) {
	r := &dashview.Ranking{Campaign: c, Unit: u, Filter: f, Levels: levelNumbers(c.Set)}
	var err error
	if !f.Live && f.SchoolLevel == "" {
		err = s.precomputedRows(ctx, r)
	} else {
		err = s.liveRows(ctx, r)
	}
	if err != nil {
		return nil, err
	}
	if err := s.participation(ctx, r); err != nil {
		return nil, err
	}
	s.rank(ctx, r)
	return r, nil
}

// precomputedRows reads the rows from the read model.
func (s *Store) precomputedRows(ctx context.Context, r *dashview.Ranking) error {
	c, u := r.Campaign, r.Unit
	const qAgg = `SELECT a.unit_id, u.code, u.name, u.kind, a.schools, a.mean_index, a.median_index, a.levels, a.groups, a.criteria
		FROM dash_aggregates a JOIN units u ON u.id = a.unit_id WHERE a.campaign_id = $1 AND (a.parent_id = $2 OR a.unit_id = $2)`
	rows, err := s.pool.Query(ctx, qAgg, c.ID, u.ID)
	if err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	for rows.Next() {
		var x dashview.Row
		var crit []*float64
		if err := rows.Scan(&x.UnitID, &x.Code, &x.Name, &x.Kind, &x.Schools, &x.Index, &x.Median, &x.Levels, &x.Groups, &crit); err != nil {
			rows.Close()
			return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
		}
		x.Criteria = nanIfNil(crit)
		x.Revision, x.PublishedAt = c.Revision, c.PublishedAt
		if x.UnitID == u.ID {
			r.Self = x
		} else {
			r.Rows = append(r.Rows, x)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	// An assessed unit's own result: a school, or in an office campaign a
	// Sở or Phòng (its kind says which).
	const qSchools = `SELECT r.unit_id, r.unit_code, r.unit_name, r.school_level, r.index, r.level, r.groups, r.criteria, r.revision, r.published_at, u.kind
		FROM dash_results r JOIN units u ON u.id = r.unit_id WHERE r.campaign_id = $1 AND r.parent_id = $2`
	rows, err = s.pool.Query(ctx, qSchools, c.ID, u.ID)
	if err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	for rows.Next() {
		x := dashview.Row{School: true, Kind: "school", Schools: 1}
		var crit []*float64
		if err := rows.Scan(&x.UnitID, &x.Code, &x.Name, &x.SchoolLevel, &x.Index, &x.Level, &x.Groups, &crit, &x.Revision, &x.PublishedAt, &x.Kind); err != nil {
			rows.Close()
			return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
		}
		x.Median = x.Index
		x.Criteria = nanIfNil(crit)
		r.Rows = append(r.Rows, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	if r.Self.UnitID == 0 {
		r.Self = dashview.Row{UnitID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind}
		if u.IsSchool() { // a school's own result
			var crit []*float64
			err := s.pool.QueryRow(ctx, `SELECT school_level, index, level, groups, criteria, revision, published_at
				FROM dash_results WHERE campaign_id = $1 AND unit_id = $2`, c.ID, u.ID).Scan(
				&r.Self.SchoolLevel, &r.Self.Index, &r.Self.Level, &r.Self.Groups, &crit, &r.Self.Revision, &r.Self.PublishedAt)
			if err == nil {
				r.Self.School, r.Self.Schools, r.Self.Median, r.Self.Criteria = true, 1, r.Self.Index, nanIfNil(crit)
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
			}
		}
	}
	return nil
}

// source is the SQL of the results a ranking reads: $1 campaign, $2 the
// unit whose subtree is read, $4 the school level ("" all).
func source(live bool) string {
	if live {
		return `SELECT cu.path, u.name AS unit_name, x.school_level, x.validated_index AS index, x.validated_level AS level,
			ARRAY(SELECT (g.v->>'score')::float8 FROM jsonb_array_elements(x.validated_result->'groups') WITH ORDINALITY AS g(v, i) ORDER BY g.i) AS groups,
			'{}'::float8[] AS criteria, 0 AS revision, x.approved_at AS published_at
			FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
			JOIN units u ON u.id = x.unit_id
			WHERE x.campaign_id = $1 AND cu.path @> ARRAY[$2::bigint] AND x.status = 'approved' AND x.validated_index IS NOT NULL
			AND ($4 = '' OR x.school_level = $4)`
	}
	return `SELECT path, unit_name, school_level, index, level, groups, criteria, revision, published_at
		FROM dash_results WHERE campaign_id = $1 AND path @> ARRAY[$2::bigint] AND ($4 = '' OR school_level = $4)`
}

// liveRows aggregates, in SQL, the rows of a filtered or live ranking.
func (s *Store) liveRows(ctx context.Context, r *dashview.Ranking) error {
	var lv []string
	for _, l := range r.Levels {
		lv = append(lv, "count(*) FILTER (WHERE level = "+strconv.Itoa(l)+")")
	}
	// $3 is the position of the child in the paths (1-based).
	q := func(child string) string {
		return `WITH src AS (` + source(r.Filter.Live) + `),
		a AS (SELECT ` + child + ` AS child, cardinality(path) = $3 AS direct, unit_name, school_level, index, level, groups, criteria, revision, published_at FROM src),
		base AS (
			SELECT child, bool_and(direct) AS direct, count(*) AS n, avg(index) AS mean,
				percentile_cont(0.5) WITHIN GROUP (ORDER BY index) AS median, max(level) AS level,
				ARRAY[` + strings.Join(lv, ", ") + `]::int[] AS levels, min(unit_name) AS name, min(school_level) AS school_level,
				max(revision) AS revision, max(published_at) AS published_at
			FROM a GROUP BY child),
		g AS (SELECT child, array_agg(m ORDER BY i) AS groups FROM (
			SELECT child, i, avg(v) AS m FROM a CROSS JOIN LATERAL unnest(a.groups) WITH ORDINALITY AS u(v, i) GROUP BY child, i) t GROUP BY child),
		c AS (SELECT child, array_agg(m ORDER BY i) AS criteria FROM (
			SELECT child, i, avg(v) AS m FROM a CROSS JOIN LATERAL unnest(a.criteria) WITH ORDINALITY AS u(v, i) GROUP BY child, i) t GROUP BY child)
		SELECT base.child, u.code, CASE WHEN base.direct THEN base.name ELSE u.name END, u.kind, base.direct, base.n, base.mean, base.median,
			base.level, base.levels, coalesce(g.groups, '{}'), coalesce(c.criteria, '{}'), base.school_level, base.revision,
			base.published_at
		FROM base JOIN units u ON u.id = base.child LEFT JOIN g USING (child) LEFT JOIN c USING (child)`
	}
	c, u := r.Campaign, r.Unit
	depth := len(u.Path) + 1
	scan := func(rows pgx.Rows, each func(dashview.Row)) error {
		defer rows.Close()
		for rows.Next() {
			var x dashview.Row
			var crit []*float64
			var at *time.Time
			if err := rows.Scan(&x.UnitID, &x.Code, &x.Name, &x.Kind, &x.School, &x.Schools, &x.Index, &x.Median, &x.Level, &x.Levels,
				&x.Groups, &crit, &x.SchoolLevel, &x.Revision, &at); err != nil {
				return err
			}
			if at != nil {
				x.PublishedAt = *at
			}
			x.Criteria = nanIfNil(crit)
			if !x.School {
				x.Level, x.SchoolLevel = 0, ""
			}
			each(x)
		}
		return rows.Err()
	}
	rows, err := s.pool.Query(ctx, q("path[$3]"), c.ID, u.ID, depth, r.Filter.SchoolLevel)
	if err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	if err := scan(rows, func(x dashview.Row) { r.Rows = append(r.Rows, x) }); err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	rows, err = s.pool.Query(ctx, q("$2::bigint"), c.ID, u.ID, depth, r.Filter.SchoolLevel)
	if err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	if err := scan(rows, func(x dashview.Row) { x.School = false; r.Self = x }); err != nil {
		return fmt.Errorf("dashboard: ranking: %w", postgres.MapError(err))
	}
	if r.Self.UnitID == 0 {
		r.Self = dashview.Row{UnitID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind, Groups: []float64{}, Criteria: []float64{}}
	}
	return nil
}

// participation adds, per row, how many assessments there are and how
// many were submitted (live counts: participation goes on after a
// publication).
func (s *Store) participation(ctx context.Context, r *dashview.Ranking) error {
	const q = `SELECT coalesce(cu.path[$3], 0), count(*), count(*) FILTER (WHERE x.submitted_at IS NOT NULL OR x.status <> 'draft')
		FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		WHERE x.campaign_id = $1 AND cu.path @> ARRAY[$2::bigint] AND ($4 = '' OR x.school_level = $4)
		GROUP BY 1`
	rows, err := s.pool.Query(ctx, q, r.Campaign.ID, r.Unit.ID, len(r.Unit.Path)+1, r.Filter.SchoolLevel)
	if err != nil {
		return fmt.Errorf("dashboard: participation: %w", postgres.MapError(err))
	}
	defer rows.Close()
	idx := map[int64]int{}
	for i, x := range r.Rows {
		idx[x.UnitID] = i
	}
	for rows.Next() {
		var child int64
		var total, sub int
		if err := rows.Scan(&child, &total, &sub); err != nil {
			return fmt.Errorf("dashboard: participation: %w", postgres.MapError(err))
		}
		if i, ok := idx[child]; ok {
			r.Rows[i].Total, r.Rows[i].Submitted = total, sub
		}
		r.Self.Total += total
		r.Self.Submitted += sub
	}
	return rows.Err()
}

// rank ranks the rows (schools among schools, subtrees among subtrees),
// sorts them by rank and adds the robustness intervals.
func (s *Store) rank(ctx context.Context, r *dashview.Ranking) {
	xs := make([]float64, len(r.Rows))
	kinds := make([]string, len(r.Rows))
	for i, x := range r.Rows {
		xs[i], kinds[i] = x.Index, sortOf(x)
	}
	ranks := indicators.RankWithin(xs, kinds)
	for i := range r.Rows {
		r.Rows[i].Rank = ranks[i]
	}
	sortRows(r.Rows)
	ints := s.robustness(ctx, r)
	for i := range r.Rows {
		if i < len(ints) {
			r.Rows[i].Robust = ints[i]
		}
	}
}

func sortOf(x dashview.Row) string {
	if x.School {
		return "school"
	}
	return "unit"
}

// sortRows puts subtrees first, then schools, each by rank then name.
func sortRows(rows []dashview.Row) {
	less := func(a, b dashview.Row) int {
		if a.School != b.School {
			if !a.School {
				return -1
			}
			return 1
		}
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		return strings.Compare(a.Name, b.Name)
	}
	// insertion-stable sort via slices
	slices.SortStableFunc(rows, less)
}
