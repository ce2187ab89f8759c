package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// School returns a school's published result in a published campaign.
// It is kept in memory for CacheTTL, keyed by the revision: callers must
// not modify it.
func (s *Store) School(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.School, error) {
	key := fmt.Sprintf("school/%d/%d/%d", c.ID, c.Revision, u.ID)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) { return s.school(ctx, c, u) })
	if err != nil {
		return nil, err
	}
	return v.(*dashview.School), nil
}

func (s *Store) school(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.School, error) {
	out := &dashview.School{Campaign: c, Unit: u}
	const q = `SELECT unit_id, unit_code, unit_name, school_level, index, level, groups, criteria, revision, published_at, result
		FROM dash_results WHERE campaign_id = $1 AND unit_id = $2`
	x := dashview.Row{School: true, Kind: u.Kind, Schools: 1}
	var crit []*float64
	var raw []byte
	err := s.pool.QueryRow(ctx, q, c.ID, u.ID).Scan(&x.UnitID, &x.Code, &x.Name, &x.SchoolLevel, &x.Index, &x.Level, &x.Groups, &crit,
		&x.Revision, &x.PublishedAt, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, dashview.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: school %s: %w", u.Code, postgres.MapError(err))
	}
	x.Criteria = nanIfNil(crit)
	out.Row = x
	var res indicators.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, fmt.Errorf("dashboard: school %s: %w", u.Code, postgres.MapError(err))
	}
	out.MandatoryFailed = res.MandatoryFailed
	for gi := range c.Set.Groups {
		g := &c.Set.Groups[gi]
		for ci := range g.Criteria {
			cr := &g.Criteria[ci]
			for ii := range cr.Indicators {
				ind := &cr.Indicators[ii]
				if ind.Mandatory {
					continue
				}
				p, ok := res.IndicatorPoints.Get(ind.Code)
				out.Indicators = append(out.Indicators, dashview.IndicatorPoints{Group: g.Code, Criterion: cr.Code, Indicator: ind, Points: p, Max: ind.MaxPoints(), Applies: ok})
			}
		}
	}
	out.Gap = nextLevelGap(c.Set, x.Level, x.Groups, res.MandatoryFailed)
	if out.Review, err = s.reviewOf(ctx, c, u.ID); err != nil {
		return nil, err
	}

	// The parent's and the province's means.
	if len(u.Path) >= 2 {
		const qa = `SELECT a.unit_id, u.code, u.name, u.kind, a.schools, a.mean_index, a.median_index, a.groups, a.criteria
			FROM dash_aggregates a JOIN units u ON u.id = a.unit_id WHERE a.campaign_id = $1 AND a.unit_id = ANY($2)`
		rows, err := s.pool.Query(ctx, qa, c.ID, u.Path[:len(u.Path)-1])
		if err != nil {
			return nil, fmt.Errorf("dashboard: school %s: %w", u.Code, postgres.MapError(err))
		}
		byID := map[int64]dashview.Row{}
		for rows.Next() {
			var a dashview.Row
			var crit []*float64
			if err := rows.Scan(&a.UnitID, &a.Code, &a.Name, &a.Kind, &a.Schools, &a.Index, &a.Median, &a.Groups, &crit); err != nil {
				rows.Close()
				return nil, fmt.Errorf("dashboard: school %s: %w", u.Code, postgres.MapError(err))
			}
			a.Criteria = nanIfNil(crit)
			byID[a.UnitID] = a
		}
		rows.Close()
		out.Parent = byID[u.Path[len(u.Path)-2]]
		out.Province = byID[c.RootID]
		for _, id := range u.Path[:len(u.Path)-1] {
			if a, ok := byID[id]; ok && a.Kind == "province" {
				out.Province = a
			}
		}
		// The rank among the parent's schools.
		if err := s.pool.QueryRow(ctx, `SELECT 1 + count(*) FILTER (WHERE round(index::numeric, 2) > round($3::numeric, 2)), count(*)
			FROM dash_results WHERE campaign_id = $1 AND parent_id = $2`, c.ID, u.Path[len(u.Path)-2], indicators.Round2(x.Index)).Scan(&out.Rank, &out.Of); err != nil {
			return nil, fmt.Errorf("dashboard: school %s: %w", u.Code, postgres.MapError(err))
		}
	}
	out.Trend, err = s.trend(ctx, u, true)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// nextLevelGap says what the groups lack for the level above level.
func nextLevelGap(set *indicators.Set, level int, groups []float64, mandatoryFailed []string) *dashview.LevelGap {
	var next *indicators.Level
	for i := range set.Levels {
		l := &set.Levels[i]
		if l.Level > level && (next == nil || l.Level < next.Level) {
			next = l
		}
	}
	if next == nil {
		return nil
	}
	g := &dashview.LevelGap{Level: next.Level, Name: next.Name, Mandatory: next.Mandatory == "all" && len(mandatoryFailed) > 0}
	if g.Mandatory {
		for _, code := range mandatoryFailed {
			m := dashview.MandatoryGap{Code: code}
			if ind, ok := set.Indicator(code); ok {
				m.Name = ind.Name
			}
			g.MandatoryFailed = append(g.MandatoryFailed, m)
		}
	}
	for i := range set.Groups {
		grp := &set.Groups[i]
		th, ok := next.Groups[grp.Code]
		if !ok && next.EveryGroup != nil {
			th, ok = *next.EveryGroup, true
		}
		if !ok || i >= len(groups) {
			continue
		}
		op, v := th.Op()
		gg := dashview.GroupGap{Code: grp.Code, Name: grp.Name, Score: groups[i], Op: op, Threshold: v}
		gg.Met = th.Met(groups[i])
		if !gg.Met {
			gg.Missing = max(0, v-groups[i])
		}
		g.Groups = append(g.Groups, gg)
	}
	return g
}

// Trend returns a unit's published results over the campaigns that hold
// it, oldest first: a school's own index and level, or a subtree's mean,
// median and schools per level.
func (s *Store) Trend(ctx context.Context, u *dashview.Unit) ([]dashview.TrendPoint, error) {
	return s.trend(ctx, u, u.IsSchool())
}

// OfficeTrend returns an education office's own published results over
// the office campaigns that assessed it (issue 13), oldest first.
func (s *Store) OfficeTrend(ctx context.Context, u *dashview.Unit) ([]dashview.TrendPoint, error) {
	return s.trend(ctx, u, true)
}

// trend reads the unit's own results (own) or its subtree's.
func (s *Store) trend(ctx context.Context, u *dashview.Unit, own bool) ([]dashview.TrendPoint, error) {
	ids, err := s.campaignsOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	sets := map[int64]*indicators.Set{}
	var keep []int64 // a subtree's trend is over the school campaigns only
	for _, id := range ids {
		c, err := s.Published(ctx, id)
		if err != nil {
			return nil, err
		}
		sets[id] = c.Set
		if own || !c.Offices() {
			keep = append(keep, id)
		}
	}
	var q string
	if own {
		q = `SELECT c.id, c.name, c.opens_on, 1, r.index, r.index, r.level, ARRAY[]::int[], st.levels, 1
			FROM dash_results r JOIN campaigns c ON c.id = r.campaign_id JOIN dash_state st ON st.campaign_id = c.id
			WHERE r.unit_id = $1 AND c.id = ANY($2) ORDER BY c.opens_on, c.id`
	} else {
		q = `SELECT c.id, c.name, c.opens_on, a.schools, a.mean_index, a.median_index, 0, a.levels, st.levels,
				(SELECT count(*) FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
					WHERE x.campaign_id = c.id AND cu.path @> ARRAY[$1::bigint])::int
			FROM dash_aggregates a JOIN campaigns c ON c.id = a.campaign_id JOIN dash_state st ON st.campaign_id = c.id
			WHERE a.unit_id = $1 AND c.id = ANY($2) ORDER BY c.opens_on, c.id`
	}
	rows, err := s.pool.Query(ctx, q, u.ID, keep)
	if err != nil {
		return nil, fmt.Errorf("dashboard: trend %s: %w", u.Code, postgres.MapError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (dashview.TrendPoint, error) {
		var p dashview.TrendPoint
		err := r.Scan(&p.CampaignID, &p.Name, &p.OpensOn, &p.Schools, &p.Index, &p.Median, &p.Level, &p.Levels, &p.LevelNums, &p.Total)
		if set := sets[p.CampaignID]; set != nil {
			p.NameLevels(set)
		}
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: trend %s: %w", u.Code, postgres.MapError(err))
	}
	return out, nil
}

// campaignsOf lists the published campaigns whose tree holds a unit.
func (s *Store) campaignsOf(ctx context.Context, unitID int64) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id FROM campaigns c WHERE c.published_revision > 0
		AND EXISTS (SELECT 1 FROM campaign_units cu WHERE cu.campaign_id = c.id AND cu.unit_id = $1) ORDER BY c.id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("dashboard: campaigns of unit: %w", postgres.MapError(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("dashboard: campaigns of unit: %w", postgres.MapError(err))
	}
	return ids, nil
}

// UnitByCode returns a unit outside any campaign (the trend page), with
// its current path.
func (s *Store) UnitByCode(ctx context.Context, code string) (*dashview.Unit, error) {
	var u dashview.Unit
	err := s.pool.QueryRow(ctx, `SELECT id, code, name, kind, path, school_levels FROM units WHERE code = $1`, code).Scan(
		&u.ID, &u.Code, &u.Name, &u.Kind, &u.Path, &u.SchoolLevels)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, dashview.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: unit %s: %w", code, postgres.MapError(err))
	}
	return &u, nil
}
