package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

const nationalMarker = "seed.national"

// NationalOptions configure National.
type NationalOptions struct {
	// Schools is how many schools to spread over the country (by the
	// pre-2025 districts' number of communes); they stand on the 34
	// provinces and 3,321 communes of the July 2025 tree.
	Schools  int
	Seed     uint64
	Progress Progress
}

// NationalResult says what National did.
type NationalResult struct {
	Created     bool
	Schools     int
	Assessments int
	CampaignID  int64
}

// National builds a national-scale data set for performance work: the
// Ministry, the 34 provinces and 3,321 communes in force since 1 July 2025,
// opts.Schools schools on real communes, and one campaign (Năm học 2025-2026 on
// moet-4725, rooted at the Ministry) with every assessment answered,
// scored by indicators.Score, approved and published. Everything is
// bulk-loaded with COPY. Deterministic for a seed; on a database that has
// it, it changes nothing.
func National(ctx context.Context, pool *pgxpool.Pool, opts NationalOptions) (*NationalResult, error) {
	if opts.Schools <= 0 {
		return nil, errors.New("seed: national: the number of schools must be positive")
	}
	var raw []byte
	err := pool.QueryRow(ctx, `SELECT value FROM app_settings WHERE key = $1`, nationalMarker).Scan(&raw)
	if err == nil {
		var m struct {
			Schools    int   `json:"schools"`
			CampaignID int64 `json:"campaign_id"`
		}
		_ = json.Unmarshal(raw, &m)
		return &NationalResult{Created: false, Schools: m.Schools, CampaignID: m.CampaignID}, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := checkEmpty(ctx, pool); err != nil {
		return nil, err
	}
	provs, err := Provinces()
	if err != nil {
		return nil, err
	}
	svc, set, err := seedService(ctx, pool)
	if err != nil {
		return nil, err
	}

	// Spread the schools over districts by their number of communes
	// (largest remainder, so the total is exact).
	type share struct {
		d    *District
		n    int
		frac float64
	}
	var shares []*share
	total := 0
	for _, p := range provs {
		for _, d := range p.Districts {
			total += len(d.Communes)
		}
	}
	assigned := 0
	for _, p := range provs {
		for _, d := range p.Districts {
			if len(d.Communes) == 0 {
				continue
			}
			exact := float64(opts.Schools) * float64(len(d.Communes)) / float64(total)
			s := &share{d: d, n: int(exact), frac: exact - float64(int(exact))}
			assigned += s.n
			shares = append(shares, s)
		}
	}
	order := make([]*share, len(shares))
	copy(order, shares)
	sort.SliceStable(order, func(i, j int) bool { return order[i].frac > order[j].frac })
	for i := 0; assigned < opts.Schools; i++ {
		order[i%len(order)].n++
		assigned++
	}

	// The schools are drawn on the pre-2025 communes (where the school
	// lists of the real data are), and stand on the tree in force since 1
	// July 2025: the 34 provinces and their 3,321 communes, each school
	// under the commune that took over its old commune (by code).
	cw, err := crosswalk.July2025(nil)
	if err != nil {
		return nil, err
	}
	inTree := map[string]bool{}
	for _, c := range cw.Communes {
		inTree[c.Code] = true
	}
	byOld := map[string]string{}
	for _, r := range cw.Rows {
		if r.OldCode != "" && inTree[r.NewCode] && (byOld[r.OldCode] == "" || r.NewCode < byOld[r.OldCode]) {
			byOld[r.OldCode] = r.NewCode // split communes: the lowest code, for synthetic schools only
		}
	}
	units := []unitRow{{code: MinistryCode, name: "Bộ Giáo dục và Đào tạo", kind: "ministry"}}
	quality := map[string]float64{} // by school code
	for _, p := range cw.Provinces {
		units = append(units, unitRow{code: p.Code, name: p.Name, kind: "province", parent: MinistryCode, depth: 1})
	}
	for _, c := range cw.Communes {
		units = append(units, unitRow{code: c.Code, name: c.Name, kind: "commune", parent: c.ProvinceCode, depth: 2})
	}
	schools := 0
	for _, s := range shares {
		r := rngFor(opts.Seed, "national "+s.d.Code)
		base := 0.3 + 0.4*r.Float64()
		fallback := "" // a commune of the district the crosswalk lacks: the district's first mapped one
		for _, c := range s.d.Communes {
			if fallback = byOld[c.Code]; fallback != "" {
				break
			}
		}
		for _, sc := range districtSchools(r, s.d, s.n, 0, 0, true) {
			parent := byOld[sc.CommuneCode]
			if parent == "" {
				parent = fallback
			}
			if parent == "" {
				return nil, fmt.Errorf("seed: national: no commune of the 2025 tree took over district %s", s.d.Code)
			}
			units = append(units, unitRow{code: sc.Code, name: sc.Name, kind: "school", parent: parent, depth: 3,
				levels: sc.Levels, students: intp(sc.Students), teachers: intp(sc.Teachers), staff: intp(sc.Staff), commune: sc.CommuneCode})
			quality[sc.Code] = base + (r.Float64()-0.5)*0.4
			schools++
		}
	}
	opts.Progress.report("units", 0, len(units))
	if err := loadUnits(ctx, pool, units); err != nil {
		return nil, fmt.Errorf("seed: units: %w", err)
	}
	opts.Progress.report("units", len(units), len(units))

	opens := day(2025, time.October, 3, 9)
	svc.Now = func() time.Time { return opens }
	admin := &model.Actor{Role: model.RoleAdmin, Username: "dxindex"}
	opts.Progress.report("campaign", 0, 1)
	c, err := svc.CreateCampaign(ctx, admin, model.CampaignInput{Name: "Năm học 2025-2026", SetCode: set.Code, SetVersion: set.Version,
		RootUnitCode: MinistryCode, OpensOn: time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC), SelfDue: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, fmt.Errorf("seed: campaign: %w", err)
	}
	opts.Progress.report("campaign", 1, 1)
	refs, err := listAssessments(ctx, pool, c.ID)
	if err != nil {
		return nil, err
	}
	// Plan, score and COPY in chunks, two at a time (this machine class
	// has two cores: one scores while PostgreSQL loads the other).
	const chunk = 2500
	done := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	progress := make(chan int, len(refs)/chunk+1)
	for lo := 0; lo < len(refs); lo += chunk {
		part := refs[lo:min(lo+chunk, len(refs))]
		g.Go(func() error {
			plans := make([]*plannedAssessment, len(part))
			for i, ref := range part {
				r := rngFor(opts.Seed, "national assessment "+ref.unitCode)
				q := quality[ref.unitCode]
				pa := &plannedAssessment{id: ref.id, level: ref.level, status: "approved",
					answers: drawAnswers(r, set, ref.level, q)}
				pa.answeredAt = day(2026, time.April, 1+r.IntN(28), 8+r.IntN(9))
				sub := day(2026, time.May, 5+r.IntN(25), 8+r.IntN(9))
				dec := day(2026, time.June, 2+r.IntN(17), 8+r.IntN(9))
				pa.submittedAt, pa.decidedAt = &sub, &dec
				plans[i] = pa
			}
			if err := writeAssessments(gctx, pool, set, plans); err != nil {
				return err
			}
			progress <- len(part)
			return nil
		})
	}
	go func() {
		for n := range progress {
			done += n
			opts.Progress.report("assessments", done, len(refs))
		}
	}()
	err = g.Wait()
	close(progress)
	if err != nil {
		return nil, fmt.Errorf("seed: assessments: %w", err)
	}
	publishAt := day(2026, time.July, 10, 10)
	svc.Now = func() time.Time { return publishAt }
	opts.Progress.report("publish", 0, 1)
	if _, err := svc.Publish(ctx, admin, c.ID, "Công bố kết quả Năm học 2025-2026 (dữ liệu quy mô toàn quốc)"); err != nil {
		return nil, fmt.Errorf("seed: publish: %w", err)
	}
	opts.Progress.report("publish", 1, 1)
	b, _ := json.Marshal(map[string]any{"schools": schools, "seed": opts.Seed, "campaign_id": c.ID})
	if _, err := pool.Exec(ctx, `INSERT INTO app_settings (key, value) VALUES ($1, $2)`, nationalMarker, b); err != nil {
		return nil, fmt.Errorf("seed: marker: %w", err)
	}
	return &NationalResult{Created: true, Schools: schools, Assessments: len(refs), CampaignID: c.ID}, nil
}
