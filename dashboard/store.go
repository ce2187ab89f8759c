package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/indicators/robustness"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"
)

// Store reads the dashboard's data. It is safe for concurrent use; it
// keeps the indicator sets, which read models are current and the rank
// robustness intervals in memory (all frozen per published revision).
type Store struct {
	pool *pgxpool.Pool

	mu     sync.Mutex
	sets   map[string]*indicators.Set // "code@version"
	built  map[int64]int              // campaign → revision of its read model
	warned map[int64]int              // campaign → published revision whose stale read model was logged
	robust map[string][]robustness.Interval
	cache  ttlCache // published rankings and unit lookups
	flight singleflight.Group
	// Now is the clock (overdue lists); tests replace it.
	Now func() time.Time
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, sets: map[string]*indicators.Set{}, built: map[int64]int{}, warned: map[int64]int{},
		robust: map[string][]robustness.Interval{}, Now: time.Now}
}

// Campaign returns a campaign with its indicator set, published or not;
// callers decide who may see what.
func (s *Store) Campaign(ctx context.Context, id int64) (*dashview.Campaign, error) {
	const q = `SELECT c.id, c.name, c.set_code, c.set_version, r.id, r.code, r.name, c.status, c.opens_on, c.self_due, c.review_due,
		c.published_revision, (SELECT p.published_at FROM publications p WHERE p.campaign_id = c.id AND p.revision = c.published_revision)
		FROM campaigns c JOIN units r ON r.id = c.root_unit_id WHERE c.id = $1`
	var c dashview.Campaign
	var at *time.Time
	err := s.pool.QueryRow(ctx, q, id).Scan(&c.ID, &c.Name, &c.SetCode, &c.SetVersion, &c.RootID, &c.RootCode, &c.RootName, &c.Status,
		&c.OpensOn, &c.SelfDue, &c.ReviewDue, &c.Revision, &at)
	if at != nil {
		c.PublishedAt = *at
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, dashview.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: campaign %d: %w", id, postgres.MapError(err))
	}
	if c.Set, err = s.set(ctx, c.SetCode, c.SetVersion); err != nil {
		return nil, err
	}
	return &c, nil
}

// Published returns a campaign that has published results, with its read
// model current; ErrNotFound otherwise.
func (s *Store) Published(ctx context.Context, id int64) (*dashview.Campaign, error) {
	c, err := s.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Revision == 0 {
		return nil, dashview.ErrNotFound
	}
	if err := s.ensure(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// PublishedCampaigns lists the campaigns with published results, newest
// first.
func (s *Store) PublishedCampaigns(ctx context.Context) ([]*dashview.Campaign, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM campaigns WHERE published_revision > 0 ORDER BY opens_on DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("dashboard: campaigns: %w", postgres.MapError(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("dashboard: campaigns: %w", postgres.MapError(err))
	}
	out := make([]*dashview.Campaign, 0, len(ids))
	for _, id := range ids {
		c, err := s.Campaign(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// set returns an indicator set version, parsed once.
func (s *Store) set(ctx context.Context, code, version string) (*indicators.Set, error) {
	key := code + "@" + version
	s.mu.Lock()
	set, ok := s.sets[key]
	s.mu.Unlock()
	if ok {
		return set, nil
	}
	st, err := setstore.Get(ctx, s.pool, code, version)
	if err != nil {
		return nil, fmt.Errorf("dashboard: set %s: %w", key, postgres.MapError(err))
	}
	s.mu.Lock()
	s.sets[key] = st.Set
	s.mu.Unlock()
	return st.Set, nil
}

// Unit returns a unit of the campaign's tree by code.
func (s *Store) Unit(ctx context.Context, c *dashview.Campaign, code string) (*dashview.Unit, error) {
	key := fmt.Sprintf("unit/%d/%s", c.ID, code)
	now := time.Now()
	if v, ok := s.cache.get(key, now); ok {
		return v.(*dashview.Unit), nil
	}
	u, err := s.unit(ctx, c, code)
	if err != nil {
		return nil, err
	}
	s.cache.put(key, u, now)
	return u, nil
}

func (s *Store) unit(ctx context.Context, c *dashview.Campaign, code string) (*dashview.Unit, error) {
	const q = `SELECT u.id, u.code, u.name, u.kind, cu.path, u.school_levels,
		coalesce((SELECT array_agg(a.code ORDER BY o.n) FROM unnest(cu.path) WITH ORDINALITY o(id, n) JOIN units a ON a.id = o.id
			WHERE o.n >= array_position(cu.path, $3::bigint) AND o.id <> u.id), '{}'),
		coalesce((SELECT array_agg(a.name ORDER BY o.n) FROM unnest(cu.path) WITH ORDINALITY o(id, n) JOIN units a ON a.id = o.id
			WHERE o.n >= array_position(cu.path, $3::bigint) AND o.id <> u.id), '{}')
		FROM units u JOIN campaign_units cu ON cu.unit_id = u.id AND cu.campaign_id = $1
		WHERE u.code = $2`
	var u dashview.Unit
	var codes, names []string
	err := s.pool.QueryRow(ctx, q, c.ID, code, c.RootID).Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.Path, &u.SchoolLevels, &codes, &names)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, dashview.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: unit %s: %w", code, postgres.MapError(err))
	}
	for i := range codes {
		u.Crumbs = append(u.Crumbs, dashview.Crumb{Code: codes[i], Name: names[i]})
	}
	return &u, nil
}

// ensure checks that the campaign's read model holds its published
// revision. It never writes: the read model is built by the publication
// itself, in the publishing transaction (BuildReadModel, wired as
// survey.Service.OnPublish), and at start-up for anything published
// otherwise (BuildStale). A model found stale here (a publication made by
// a process without the hook, e.g. an older binary during a rolling
// deploy) is served as it is: it is still one whole published revision,
// built in one transaction, so every page stays consistent with the
// others, only behind; reading the source tables instead would mean a
// second implementation of every dashboard query, and building it here
// would make a GET write (DELETE, COPY, ANALYZE) and wait on it. The next
// start or publication brings it up to date, and the stale state is
// logged.
func (s *Store) ensure(ctx context.Context, c *dashview.Campaign) error {
	s.mu.Lock()
	done := s.built[c.ID] == c.Revision
	s.mu.Unlock()
	if done {
		return nil
	}
	var have int
	err := s.pool.QueryRow(ctx, `SELECT revision FROM dash_state WHERE campaign_id = $1`, c.ID).Scan(&have)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("dashboard: read model state: %w", postgres.MapError(err))
	}
	if have != c.Revision {
		s.mu.Lock()
		first := s.warned[c.ID] != c.Revision
		s.warned[c.ID] = c.Revision
		s.mu.Unlock()
		if !first {
			return nil
		}
		slog.WarnContext(ctx, "dashboard: read model is stale; serving it as it is until rebuilt",
			"campaign", c.ID, "published_revision", c.Revision, "read_model_revision", have)
		return nil
	}
	s.mu.Lock()
	s.built[c.ID] = c.Revision
	s.mu.Unlock()
	return nil
}

// BuildStale builds, each in its own transaction, the read model of every
// campaign whose read model does not hold its published revision: a
// database published by an older version, or by a process without the
// publication hook. The server runs it at start, never in a request.
func BuildStale(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	rows, err := pool.Query(ctx, `SELECT c.id FROM campaigns c LEFT JOIN dash_state st ON st.campaign_id = c.id
		WHERE c.published_revision > 0 AND coalesce(st.revision, 0) <> c.published_revision ORDER BY c.id`)
	if err != nil {
		return 0, fmt.Errorf("dashboard: stale read models: %w", postgres.MapError(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("dashboard: stale read models: %w", postgres.MapError(err))
	}
	for _, id := range ids {
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return BuildReadModel(ctx, tx, id) }); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// BuildReadModel rebuilds the read model of a campaign from public_results
// in tx, under a per-campaign advisory lock (a publication and a start-up
// catch-up may meet; the second finds it built). survey.Service runs it as
// its OnPublish hook, inside the publishing transaction, so a publication
// and its read model commit together and no GET ever builds.
func BuildReadModel(ctx context.Context, tx pgx.Tx, campaignID int64) error {
	start := time.Now()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7006, $1::int)`, int32(campaignID)); err != nil {
		return fmt.Errorf("dashboard: build lock: %w", postgres.MapError(err))
	}
	var rev int
	var setCode, setVersion string
	if err := tx.QueryRow(ctx, `SELECT published_revision, set_code, set_version FROM campaigns WHERE id = $1`, campaignID).Scan(&rev, &setCode, &setVersion); err != nil {
		return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT revision FROM dash_state WHERE campaign_id = $1), 0)`, campaignID).Scan(&have); err != nil {
		return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
	}
	if have == rev {
		return nil
	}
	st, err := setstore.Get(ctx, tx, setCode, setVersion)
	if err != nil {
		return fmt.Errorf("dashboard: build: set %s@%s: %w", setCode, setVersion, postgres.MapError(err))
	}
	set := st.Set
	for _, q := range []string{`DELETE FROM dash_results WHERE campaign_id = $1`, `DELETE FROM dash_aggregates WHERE campaign_id = $1`} {
		if _, err := tx.Exec(ctx, q, campaignID); err != nil {
			return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
		}
	}
	const q = `SELECT assessment_id, revision, published_at, unit_id, unit_code, unit_name, path, school_level, index, level, result
		FROM public_results WHERE campaign_id = $1`
	rows, err := tx.Query(ctx, q, campaignID)
	if err != nil {
		return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
	}
	crit := criteriaOf(set)
	var out [][]any
	for rows.Next() {
		var (
			aid, uid      int64
			revision, lvl int
			at            time.Time
			code, name    string
			path          []int64
			schoolLevel   string
			index         float64
			raw           []byte
		)
		if err := rows.Scan(&aid, &revision, &at, &uid, &code, &name, &path, &schoolLevel, &index, &lvl, &raw); err != nil {
			rows.Close()
			return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
		}
		var r indicators.Result
		if err := json.Unmarshal(raw, &r); err != nil {
			rows.Close()
			return fmt.Errorf("dashboard: build: result of assessment %d: %w", aid, postgres.MapError(err))
		}
		groups := groupScores(set, &r)
		criteria := crit.achievements(r.IndicatorPoints)
		parent := int64(0)
		if len(path) > 1 {
			parent = path[len(path)-2]
		}
		out = append(out, []any{campaignID, aid, revision, at, uid, code, name, path, parent, schoolLevel, index, lvl, groups, criteria, raw})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
	}
	cols := []string{"campaign_id", "assessment_id", "revision", "published_at", "unit_id", "unit_code", "unit_name", "path", "parent_id",
		"school_level", "index", "level", "groups", "criteria", "result"}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"dash_results"}, cols, pgx.CopyFromRows(out)); err != nil {
		return fmt.Errorf("dashboard: build: copy: %w", postgres.MapError(err))
	}
	levels := levelNumbers(set)
	if _, err := tx.Exec(ctx, aggregateSQL(levels), campaignID); err != nil {
		return fmt.Errorf("dashboard: build: aggregates: %w", postgres.MapError(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO dash_state (campaign_id, revision, levels, built_at, build_ms) VALUES ($1, $2, $3, now(), $4)
		ON CONFLICT (campaign_id) DO UPDATE SET revision = excluded.revision, levels = excluded.levels, built_at = now(), build_ms = excluded.build_ms`,
		campaignID, rev, levels, time.Since(start).Milliseconds()); err != nil {
		return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
	}
	// Fresh statistics for the planner; ANALYZE may run in a transaction
	// (it holds dash_results' SHARE UPDATE EXCLUSIVE lock until commit, so
	// publications of two campaigns queue here: they are rare).
	if _, err := tx.Exec(ctx, `ANALYZE dash_results`); err != nil {
		return fmt.Errorf("dashboard: build: %w", postgres.MapError(err))
	}
	return nil
}

// aggregateSQL computes, in SQL, every ancestor's aggregate of the
// campaign's published results: count, mean and median index, schools per
// level, mean group scores and mean criterion achievement.
func aggregateSQL(levels []int) string {
	var lv []string
	for _, l := range levels {
		lv = append(lv, "count(*) FILTER (WHERE level = "+strconv.Itoa(l)+")")
	}
	return `INSERT INTO dash_aggregates (campaign_id, unit_id, parent_id, schools, mean_index, median_index, levels, groups, criteria)
	WITH a AS (
		SELECT anc, r.index, r.level, r.groups, r.criteria
		FROM dash_results r CROSS JOIN LATERAL unnest(r.path[1:cardinality(r.path) - 1]) AS anc
		WHERE r.campaign_id = $1
	), base AS (
		SELECT anc, count(*) AS n, avg(index) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY index) AS median,
			ARRAY[` + strings.Join(lv, ", ") + `]::int[] AS levels
		FROM a GROUP BY anc
	), g AS (
		SELECT anc, array_agg(m ORDER BY i) AS groups FROM (
			SELECT anc, i, avg(v) AS m FROM a CROSS JOIN LATERAL unnest(a.groups) WITH ORDINALITY AS u(v, i) GROUP BY anc, i) t
		GROUP BY anc
	), c AS (
		SELECT anc, array_agg(m ORDER BY i) AS criteria FROM (
			SELECT anc, i, avg(v) AS m FROM a CROSS JOIN LATERAL unnest(a.criteria) WITH ORDINALITY AS u(v, i) GROUP BY anc, i) t
		GROUP BY anc
	)
	SELECT $1, base.anc, cu.parent_id, base.n, base.mean, base.median, base.levels, coalesce(g.groups, '{}'), coalesce(c.criteria, '{}')
	FROM base LEFT JOIN g USING (anc) LEFT JOIN c USING (anc)
	LEFT JOIN campaign_units cu ON cu.campaign_id = $1 AND cu.unit_id = base.anc`
}

// levelNumbers are the set's level numbers, lowest first.
func levelNumbers(set *indicators.Set) []int {
	var out []int
	for _, l := range set.Levels {
		out = append(out, l.Level)
	}
	slices.Sort(out)
	return out
}

// groupScores are a result's group scores in the set's order.
func groupScores(set *indicators.Set, r *indicators.Result) []float64 {
	out := make([]float64, len(set.Groups))
	for i, g := range set.Groups {
		for _, rg := range r.Groups {
			if rg.Code == g.Code {
				out[i] = rg.Score
			}
		}
	}
	return out
}

// criteria is the set's criteria, each with its scoring indicators.
type criteria []struct {
	code string
	inds []*indicators.Indicator
}

func criteriaOf(set *indicators.Set) criteria {
	var out criteria
	for gi := range set.Groups {
		for ci := range set.Groups[gi].Criteria {
			c := &set.Groups[gi].Criteria[ci]
			e := struct {
				code string
				inds []*indicators.Indicator
			}{code: c.Code}
			for ii := range c.Indicators {
				if !c.Indicators[ii].Mandatory {
					e.inds = append(e.inds, &c.Indicators[ii])
				}
			}
			out = append(out, e)
		}
	}
	return out
}

// achievements are each criterion's points as % of the maximum of its
// indicators that applied (those with points in the result); nil (SQL
// NULL) where none applied.
func (cs criteria) achievements(points indicators.IndicatorPoints) []*float64 {
	out := make([]*float64, len(cs))
	for i, c := range cs {
		var pts, max float64
		for _, ind := range c.inds {
			if p, ok := points.Get(ind.Code); ok {
				pts += p
				max += ind.MaxPoints()
			}
		}
		if max > 0 {
			v := pts / max * 100
			out[i] = &v
		}
	}
	return out
}

// nanIfNil turns SQL NULLs of an array into NaN.
func nanIfNil(xs []*float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		if x == nil {
			out[i] = math.NaN()
		} else {
			out[i] = *x
		}
	}
	return out
}
