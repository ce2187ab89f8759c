package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// dash holds the dashboard's handlers and its store (read model, caches).
type dash struct {
	s     *Server
	store Dashboard

	fragOnce sync.Once
	frag     map[string]*template.Template // lang → the page bodies rendered once per ranking
	fragErr  error
	mu       sync.Mutex
	bodies   map[string]bodyEntry // "fragment/campaign/revision/unit/filter/lang" → rendered body
}

// bodyEntry is a rendered body and the value (ranking, school) it was
// rendered from. The key names what the body depends on; src tells a
// refreshed value (new participation counts) from the one rendered. The
// entry holds src, so no other value can be allocated at its address while
// the entry lives: comparing pointers is sound here, where a key made of
// the address alone (%p) was not once the value was freed.
type bodyEntry struct {
	src  any
	html template.HTML
}

// unitBody is the body of a province or district page, cached per
// campaign, revision, unit, filter and language.
func (h *dash) unitBody(cp *dashview.Campaign, r *dashview.Ranking, lang string) (template.HTML, error) {
	key := fmt.Sprintf("%d/%d/%d/%s/%t", cp.ID, cp.Revision, r.Unit.ID, r.Filter.SchoolLevel, r.Filter.Live)
	return h.body("dash_unit_body", key, r, lang, func() any { return h.unitData(cp, r, lang) })
}

// schoolBody is the body of a school's page, cached per campaign,
// revision, school and language.
func (h *dash) schoolBody(cp *dashview.Campaign, sc *dashview.School, lang string) (template.HTML, error) {
	key := fmt.Sprintf("%d/%d/%d", cp.ID, cp.Revision, sc.Unit.ID)
	return h.body("dash_school_page", key, sc, lang, func() any { return h.schoolPage(cp, sc, lang) })
}

// body renders a fragment of a published page once per cached ranking and
// language: the province and district pages are the same for every
// visitor until the ranking is refreshed, and rendering their tables and
// chart options is most of a request's work. The fragment is html/template
// output (escaped), so it is safe to insert as template.HTML.
func (h *dash) body(name, key string, src any, lang string, data func() any) (template.HTML, error) {
	h.fragOnce.Do(func() {
		h.frag = map[string]*template.Template{}
		for _, l := range []string{langVI, langEN} {
			t, err := template.New("").Funcs(funcs(l)).ParseFS(templateFiles, "templates/_partials.html", "templates/dash_fragments.html")
			if err != nil {
				h.fragErr = fmt.Errorf("web: parse dashboard fragments: %w", err)
				return
			}
			h.frag[l] = t
		}
	})
	if h.fragErr != nil {
		return "", h.fragErr
	}
	key = name + "/" + key + "/" + lang
	h.mu.Lock()
	e, ok := h.bodies[key]
	h.mu.Unlock()
	if ok && e.src == src {
		return e.html, nil
	}
	var buf bytes.Buffer
	if err := h.frag[lang].ExecuteTemplate(&buf, name, data()); err != nil {
		return "", fmt.Errorf("web: render %s: %w", name, err)
	}
	b := template.HTML(buf.String())
	h.mu.Lock()
	if h.bodies == nil || len(h.bodies) > 4000 {
		h.bodies = map[string]bodyEntry{}
	}
	h.bodies[key] = bodyEntry{src: src, html: b}
	h.mu.Unlock()
	return b, nil
}

// dashboardRoutes registers the dashboard: public pages over the
// published results, evaluator views over the live data in scope, exports
// and the rankings API.
func (s *Server) dashboardRoutes() {
	const GET = http.MethodGet
	h := &dash{s: s, store: s.dash}
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune).InScope("campaign", campaignParamScope)

	s.route(GET, "/dashboard", Public(), h.index)
	s.route(GET, "/dashboard/:id", Public(), h.overview)
	s.route(GET, "/dashboard/:id/methodology", Public(), h.methodology)
	s.route(GET, "/dashboard/:id/units/:code", Public(), h.unit)
	s.route(GET, "/dashboard/:id/units/:code/export.csv", Public(), h.exportCSV)
	s.route(GET, "/dashboard/:id/units/:code/export.xlsx", Public(), h.exportXLSX)
	s.route(GET, "/dashboard/:id/units/:code/report", Public(), h.report)
	s.route(GET, "/dashboard/:id/units/:code/summary.xlsx", Public(), h.summaryXLSX)
	s.route(GET, "/trend/:code", Public(), h.trend)
	s.route(GET, "/trend/:code/export.csv", Public(), h.trendCSV)
	s.route(GET, "/trend/:code/export.xlsx", Public(), h.trendXLSX)
	s.route(GET, "/review/:id/progress", evaluators, h.progress)
	s.route(GET, "/review/:id/progress/export.csv", evaluators, h.progressCSV)
	s.route(GET, "/review/:id/progress/export.xlsx", evaluators, h.progressXLSX)

	s.route(GET, "/api/v1/campaigns/:id/rankings", Public(), h.apiRankings,
		routeDoc{Summary: "Rankings of the units directly under ?unit= (published results; evaluators may add validated=live for their scope)", Response: rankingsResponse{}})
	s.route(GET, "/api/v1/campaigns/:id/rankings.csv", Public(), h.apiRankingsCSV,
		routeDoc{Summary: "The rankings as CSV (UTF-8, header row)"})
}

// published returns the published campaign :id.
func (h *dash) published(c echo.Context) (*dashview.Campaign, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return h.store.Published(c.Request().Context(), id)
}

// unitOf returns the unit named by code (the campaign's root when empty).
func (h *dash) unitOf(ctx context.Context, cp *dashview.Campaign, code string) (*dashview.Unit, error) {
	if code == "" {
		code = cp.RootCode
	}
	u, err := h.store.Unit(ctx, cp, code)
	return h.orNational(ctx, cp, code, u, err)
}

// publishedUnit returns the published campaign :id and its unit :code.
func (h *dash) publishedUnit(c echo.Context) (*dashview.Campaign, *dashview.Unit, error) {
	cp, err := h.published(c)
	if err != nil {
		return nil, nil, err
	}
	u, err := h.unitOf(c.Request().Context(), cp, c.Param("code"))
	return cp, u, err
}

// schoolLevelParam reads ?school_level=, which must be a known level.
func schoolLevelParam(c echo.Context) (string, error) {
	v := c.QueryParam("school_level")
	if v != "" && !slices.Contains(indicators.SchoolLevels, v) {
		return "", errkind.New(errkind.Invalid, "Cấp học không hợp lệ.", "unknown school_level "+strconv.Quote(v))
	}
	return v, nil
}

// ranking reads the ranking a public page or export shows.
func (h *dash) ranking(c echo.Context, cp *dashview.Campaign, u *dashview.Unit) (*dashview.Ranking, error) {
	ctx := c.Request().Context()
	lvl, err := schoolLevelParam(c)
	if err != nil {
		return nil, err
	}
	return h.store.Ranking(ctx, cp, u, dashview.Filter{SchoolLevel: lvl})
}

// ---- pages ----------------------------------------------------------------

type dashIndexPage struct {
	page
	Campaigns []*dashview.Campaign
}

func (h *dash) index(c echo.Context) error {
	list, err := h.store.PublishedCampaigns(c.Request().Context())
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "dash_index.html", dashIndexPage{page: h.s.page(c), Campaigns: list})
}

// dashHead is a column head: a group, criterion or level.
type dashHead struct {
	Code, Name string
	Max        float64
}

type dashUnitPage struct {
	page
	C           *dashview.Campaign
	R           *dashview.Ranking
	Groups      []dashHead
	Levels      []dashHead
	LevelNames  map[int]string
	Charts      []dashChart
	SchoolLevel string
	Choices     []string // school levels to filter by
	HasSchools  bool
	HasUnits    bool
	Query       string // ?school_level=… to carry to exports
	Body        template.HTML
	// Legacy: a province's results by pre-2025 district (legacy areas).
	Legacy []dashview.LegacyArea
}

// dashChart is a chart as the templates place it.
type dashChart struct {
	dashview.Chart
	Class string // height class
}

func chartsOf(cs ...dashview.Chart) []dashChart {
	out := make([]dashChart, len(cs))
	for i, c := range cs {
		cls := "h-m"
		switch {
		case c.Height > 700:
			cls = "h-xl"
		case c.Height > 450:
			cls = "h-l"
		case c.Height < 350:
			cls = "h-s"
		}
		out[i] = dashChart{Chart: c, Class: cls}
	}
	return out
}

func heads(cp *dashview.Campaign, lang string) (groups, levels []dashHead, names map[int]string) {
	for _, g := range cp.Set.Groups {
		groups = append(groups, dashHead{Code: g.Code, Name: g.Name.In(lang), Max: g.Max})
	}
	// Levels by their names in the set; 0 (no level reached) too, so no
	// page shows a bare number.
	names = map[int]string{0: dashview.NoLevelName(lang)}
	for _, l := range cp.Set.Levels {
		names[l.Level] = l.Name.In(lang)
	}
	for _, n := range dashboardLevels(cp) {
		levels = append(levels, dashHead{Code: strconv.Itoa(n), Name: names[n]})
	}
	return groups, levels, names
}

func dashboardLevels(cp *dashview.Campaign) []int {
	var out []int
	for _, l := range cp.Set.Levels {
		out = append(out, l.Level)
	}
	slices.Sort(out)
	return out
}

func (h *dash) overview(c echo.Context) error {
	c.SetParamNames(append(c.ParamNames(), "code")...)
	c.SetParamValues(append(c.ParamValues(), "")...)
	return h.unit(c)
}

func (h *dash) unit(c echo.Context) error {
	cp, u, err := h.publishedUnit(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if own, err := h.ownResult(ctx, cp, u); err != nil || own {
		if err != nil {
			return err
		}
		return h.school(c, cp, u)
	}
	r, err := h.ranking(c, cp, u)
	if err != nil {
		return err
	}
	lang := langOf(c)
	p := dashUnitPage{page: h.s.page(c), R: r, C: cp}
	p.Body, err = h.unitBody(cp, r, lang)
	if err != nil {
		return err
	}
	// A province offers its schools' results by the pre-2025 districts
	// too, in every school campaign, so an area is followed across the
	// reorganisation (an office campaign's results are offices', not
	// schools grouped by district).
	if u.Kind == "province" && r.Filter.SchoolLevel == "" && !cp.Offices() {
		if p.Legacy, err = h.store.LegacyAreas(ctx, cp, u); err != nil {
			return err
		}
		p.Legacy = slices.Clone(p.Legacy) // the cached slice is shared
		model.SortByName(p.Legacy, func(a dashview.LegacyArea) string { return a.Name })
	}
	return c.Render(http.StatusOK, "dash_unit.html", p)
}

// unitData is the data of a province or district page's body.
func (h *dash) unitData(cp *dashview.Campaign, r *dashview.Ranking, lang string) dashUnitPage {
	p := dashUnitPage{C: cp, R: r, SchoolLevel: r.Filter.SchoolLevel, Choices: cp.Set.EffectiveSchoolLevels()}
	p.Groups, p.Levels, p.LevelNames = heads(cp, lang)
	if p.SchoolLevel != "" {
		p.Query = "?school_level=" + p.SchoolLevel
	}
	var units, schools []dashview.Row
	for _, x := range r.Rows {
		if x.School {
			schools = append(schools, x)
		} else {
			units = append(units, x)
		}
	}
	p.HasUnits, p.HasSchools = len(units) > 0, len(schools) > 0
	var cs []dashview.Chart
	if len(units) > 0 {
		names := make([]string, len(units))
		means := make([]float64, len(units))
		for i, x := range units {
			names[i], means[i] = x.Name, x.Index
		}
		cs = append(cs, dashview.Bar("chart-means", tr(lang, "dash.chart.means"), tr(lang, "dash.mean_index"), names, means, 100))
		var lvNames []string
		shares := make([][]float64, len(p.Levels))
		for li, l := range p.Levels {
			lvNames = append(lvNames, l.Name)
			shares[li] = make([]float64, len(units))
		}
		for i, x := range units {
			sh := dashview.LevelShares(x.Levels)
			for li := range shares {
				if li < len(sh) {
					shares[li][i] = sh[li]
				}
			}
		}
		cs = append(cs, dashview.Stacked("chart-levels", tr(lang, unitKey("dash.chart.levels", cp.Offices())), names, lvNames, shares, 100))
		var crit []string
		for _, g := range cp.Set.Groups {
			for _, cr := range g.Criteria {
				crit = append(crit, cr.Code)
			}
		}
		vals := make([][]float64, len(crit))
		for ci := range crit {
			vals[ci] = make([]float64, len(units))
			for i, x := range units {
				if ci < len(x.Criteria) {
					vals[ci][i] = x.Criteria[ci]
				}
			}
		}
		// Criteria without points (mandatory conditions only) have no
		// achievement to show: leave their empty rows out.
		keptCrit, keptVals := crit[:0:0], vals[:0:0]
		for ci, row := range vals {
			for _, v := range row {
				if !math.IsNaN(v) {
					keptCrit, keptVals = append(keptCrit, crit[ci]), append(keptVals, row)
					break
				}
			}
		}
		cs = append(cs, dashview.Heatmap("chart-heatmap", tr(lang, "dash.chart.heatmap"), names, keptCrit, keptVals))
	}
	if len(schools) > 0 {
		xs := make([]float64, len(schools))
		for i, x := range schools {
			xs[i] = x.Index
		}
		hist := dashview.Histogram(xs)
		cats := make([]string, len(hist))
		vals := make([]float64, len(hist))
		for i, n := range hist {
			cats[i] = fmt.Sprintf("%d–%d", i*10, i*10+10)
			vals[i] = float64(n)
		}
		counted := tr(lang, "dash.schools")
		if cp.Offices() {
			counted = tr(lang, "dash.offices_word")
		}
		cs = append(cs, dashview.Counts(dashview.Bar("chart-hist", tr(lang, "dash.chart.hist"), counted, cats, vals, 0)))
	}
	p.Charts = chartsOf(cs...)
	return p
}

type dashSchoolPage struct {
	page
	C          *dashview.Campaign
	S          *dashview.School
	Groups     []dashHead
	LevelNames map[int]string
	Criteria   []dashCriterion
	Indicators []dashIndicator
	Charts     []dashChart
	Body       template.HTML
}

type dashCriterion struct {
	Code, Name               string
	School, Parent, Province float64
	Group                    string
}

type dashIndicator struct {
	Code, Name, Criterion string
	Points, Max           float64
	Applies               bool
}

func (h *dash) schoolData(c echo.Context, cp *dashview.Campaign, u *dashview.Unit) (*dashSchoolPage, error) {
	s, err := h.store.School(c.Request().Context(), cp, u)
	if err != nil {
		return nil, err
	}
	return schoolView(cp, s, langOf(c)), nil
}

// schoolView is what a school's profile shows.
func schoolView(cp *dashview.Campaign, s *dashview.School, lang string) *dashSchoolPage {
	p := &dashSchoolPage{C: cp, S: s}
	p.Groups, _, p.LevelNames = heads(cp, lang)
	i := 0
	for _, g := range cp.Set.Groups {
		for _, cr := range g.Criteria {
			dc := dashCriterion{Code: cr.Code, Name: cr.Name.In(lang), Group: g.Code}
			dc.School, dc.Parent, dc.Province = at(s.Row.Criteria, i), at(s.Parent.Criteria, i), at(s.Province.Criteria, i)
			p.Criteria = append(p.Criteria, dc)
			i++
		}
	}
	for _, ip := range s.Indicators {
		p.Indicators = append(p.Indicators, dashIndicator{Code: ip.Indicator.Code, Name: ip.Indicator.Name.In(lang), Criterion: ip.Criterion,
			Points: ip.Points, Max: ip.Max, Applies: ip.Applies})
	}
	return p
}

func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return nan
}

func (h *dash) school(c echo.Context, cp *dashview.Campaign, u *dashview.Unit) error {
	sc, err := h.store.School(c.Request().Context(), cp, u)
	if err != nil {
		return err
	}
	lang := langOf(c)
	p := dashSchoolPage{page: h.s.page(c), C: cp, S: sc}
	p.Body, err = h.schoolBody(cp, sc, lang)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "dash_school.html", p)
}

// schoolPage is the data of a school page's body, with its charts.
func (h *dash) schoolPage(cp *dashview.Campaign, s *dashview.School, lang string) *dashSchoolPage {
	p := schoolView(cp, s, lang)
	names := []string{s.Row.Name, tr(lang, "dash.mean_of") + " " + s.Parent.Name, tr(lang, "dash.mean_of") + " " + s.Province.Name}
	var axes []string
	var maxes []float64
	vals := make([][]float64, 3)
	for i, g := range p.Groups {
		axes = append(axes, g.Code+" "+g.Name)
		maxes = append(maxes, g.Max)
		vals[0] = append(vals[0], at(s.Row.Groups, i))
		vals[1] = append(vals[1], at(s.Parent.Groups, i))
		vals[2] = append(vals[2], at(s.Province.Groups, i))
	}
	if len(axes) < 3 { // a radar needs three axes: use the criteria
		axes, maxes, vals = nil, nil, make([][]float64, 3)
		for _, cr := range p.Criteria {
			axes = append(axes, cr.Code)
			maxes = append(maxes, 100)
			vals[0] = append(vals[0], cr.School)
			vals[1] = append(vals[1], cr.Parent)
			vals[2] = append(vals[2], cr.Province)
		}
	}
	cs := []dashview.Chart{dashview.Radar("chart-radar", tr(lang, "dash.chart.profile"), axes, maxes, names, vals)}
	var cats []string
	trend := [][]float64{{}}
	for _, t := range s.Trend {
		cats = append(cats, t.Name)
		trend[0] = append(trend[0], t.Index)
	}
	cs = append(cs, dashview.Lines("chart-trend", tr(lang, "dash.chart.trend"), cats, []string{tr(lang, "dash.index")}, trend, 100))
	p.Charts = chartsOf(cs...)
	return p
}

// report is the printable report: one page per school (a school, or every
// school directly under a unit).
type dashReportPage struct {
	page
	C       *dashview.Campaign
	Schools []*dashSchoolPage
	// The office's báo cáo kết quả đánh giá (a district, commune or
	// province): heading, summary, the list of schools, coverage.
	Paper   *paperHead
	Summary *officeSummary
}

func (h *dash) report(c echo.Context) error {
	cp, u, err := h.publishedUnit(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p := dashReportPage{page: h.s.page(c), C: cp}
	// An office with its own published result in an office campaign
	// prints that result, as a school does; otherwise an office prints
	// the report on the schools under it.
	own, err := h.ownResult(ctx, cp, u)
	if err != nil {
		return err
	}
	if !own {
		lang := langOf(c)
		p.Summary, err = h.summary(ctx, cp, u, lang)
		if err != nil {
			return err
		}
		issuer := ""
		if n := len(u.Crumbs); n > 0 {
			issuer = u.Crumbs[n-1].Name
		}
		p.Paper = newPaperHead(lang, issuer, u.Name, u.Name, tr(lang, "paper.head_signer"), time.Now())
		return c.Render(http.StatusOK, "dash_report.html", p)
	}
	sp, err := h.schoolData(c, cp, u)
	if err != nil {
		return err
	}
	p.Schools = append(p.Schools, sp)
	return c.Render(http.StatusOK, "dash_report.html", p)
}

type dashMethodPage struct {
	page
	C      *dashview.Campaign
	Set    *indicators.Set
	Method string
	Levels []dashLevel
	// AdminNotes: show the set's provenance notes (administrators only).
	AdminNotes bool
}

type dashLevel struct {
	Level     int
	Name      string
	Mandatory bool
	Conds     []string
}

// methodLevels words a set's level rule for the methodology page: the
// mandatory conditions, every group's, each group's and (format v1.1) the
// index's threshold.
func methodLevels(set *indicators.Set, lang string) []dashLevel {
	var out []dashLevel
	for _, l := range set.Levels {
		dl := dashLevel{Level: l.Level, Name: l.Name.In(lang), Mandatory: l.Mandatory == "all"}
		if l.EveryGroup != nil {
			op, v := l.EveryGroup.Op()
			dl.Conds = append(dl.Conds, fmt.Sprintf("%s %s %s", tr(lang, "dash.every_group"), tr(lang, "dash.op."+op), formatNumber(lang, v, 2)))
		}
		for _, g := range set.Groups {
			if th, ok := l.Groups[g.Code]; ok {
				op, v := th.Op()
				dl.Conds = append(dl.Conds, fmt.Sprintf("%s %s %s", g.Code, tr(lang, "dash.op."+op), formatNumber(lang, v, 2)))
			}
		}
		if l.Index != nil {
			op, v := l.Index.Op()
			dl.Conds = append(dl.Conds, fmt.Sprintf("%s %s %s", tr(lang, "dash.index_cond"), tr(lang, "dash.op."+op), formatNumber(lang, v, 2)))
		}
		out = append(out, dl)
	}
	return out
}

func (h *dash) methodology(c echo.Context) error {
	cp, err := h.published(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	p := dashMethodPage{page: h.s.page(c), C: cp, Set: cp.Set, Method: cp.Set.Index.EffectiveMethod(), Levels: methodLevels(cp.Set, lang)}
	// The set's provenance notes (how sure its authors are of each row)
	// are for administrators, who answer for the set; not for the schools
	// and offices working in it, nor the public.
	if a := actorOf(c); a != nil && a.Is(model.RoleAdmin) {
		p.AdminNotes = true
		c.Response().Header().Set("Cache-Control", "private, no-store")
	}
	return c.Render(http.StatusOK, "dash_method.html", p)
}

type dashTrendPage struct {
	page
	Unit *dashview.Unit
	// Office: the office's own results across the office campaigns
	// (?office=1), not its schools'.
	Office     bool
	Points     []dashview.TrendPoint
	Charts     []dashChart
	AnyPartial bool // a point under the coverage threshold
	// Across is the unit's trend across the 2025 change, the data of
	// GET /api/v1/units/{code}/trend.
	Across *dashview.UnitTrend
	// AcrossLevels names each Across point's level from its campaign's set.
	AcrossLevels []string
}

func (h *dash) trend(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := h.store.UnitByCode(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	office := officeTrendParam(c, u)
	pts, err := h.trendPoints(ctx, u, office)
	if err != nil {
		return err
	}
	across := &dashview.UnitTrend{}
	if !office { // the trend across the 2025 change is the schools'
		if across, err = h.store.TrendAcross(ctx, u.Code); err != nil {
			return err
		}
	}
	var acrossLevels []string
	if across != nil {
		lang := langOf(c)
		for _, p := range across.Points {
			name := dashview.NoLevelName(lang)
			if cp, err := h.store.Published(ctx, p.CampaignID); err == nil {
				for _, l := range cp.Set.Levels {
					if l.Level == p.Level {
						name = l.Name.In(lang)
					}
				}
			} else {
				return err
			}
			acrossLevels = append(acrossLevels, name)
		}
	}
	if len(pts) == 0 && len(across.Points) == 0 {
		return dashview.ErrNotFound
	}
	lang := langOf(c)
	var cats []string
	means := [][]float64{{}, {}}
	levelNums := map[int]bool{}
	levelNames := map[int]string{}
	var partial []bool
	anyPartial := false
	for _, p := range pts {
		cats = append(cats, p.Name)
		partial = append(partial, p.Partial())
		anyPartial = anyPartial || p.Partial()
		means[0] = append(means[0], p.Index)
		means[1] = append(means[1], p.Median)
		for _, n := range p.LevelNums {
			levelNums[n] = true
			levelNames[n] = p.LevelName(n, lang)
		}
	}
	cs := []dashview.Chart{dashview.Trend("chart-trend", tr(lang, "dash.chart.trend"), cats, []string{tr(lang, "dash.mean_index"), tr(lang, "dash.median")},
		means, partial, tr(lang, "dash.partial_short"))}
	if !u.IsSchool() && !office {
		var nums []int
		for n := range levelNums {
			nums = append(nums, n)
		}
		slices.Sort(nums)
		var names []string
		shares := make([][]float64, len(nums))
		for li, n := range nums {
			names = append(names, levelNames[n])
			for _, p := range pts {
				sh := dashview.LevelShares(p.Levels)
				v := 0.0
				if k := slices.Index(p.LevelNums, n); k >= 0 && k < len(sh) {
					v = sh[k]
				}
				shares[li] = append(shares[li], v)
			}
		}
		cs = append(cs, dashview.Stacked("chart-shares", tr(lang, "dash.chart.levels"), cats, names, shares, 100))
	}
	return c.Render(http.StatusOK, "dash_trend.html", dashTrendPage{page: h.s.page(c), Unit: u, Office: office, Points: pts, Charts: chartsOf(cs...), AnyPartial: anyPartial, Across: across, AcrossLevels: acrossLevels})
}

// ---- evaluator views ------------------------------------------------------

type dashReviewPage struct {
	page
	C        *dashview.Campaign
	Unit     *dashview.Unit
	P        *dashview.Progress
	Cal      *dashview.Calibration
	Charts   []dashChart
	Statuses []string
}

// reviewScope returns the campaign and the unit an evaluator looks at:
// ?unit=, else their own unit when inside the campaign, else its root;
// always inside their scope.
func (h *dash) reviewScope(c echo.Context) (*dashview.Campaign, *dashview.Unit, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	cp, err := h.store.Campaign(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a := actorOf(c)
	code := c.QueryParam("unit")
	if code == "" {
		code = cp.RootCode
		if a.UnitCode != "" {
			if u, err := h.store.Unit(ctx, cp, a.UnitCode); err == nil && a.Covers(u.Path) {
				code = a.UnitCode
			}
		}
	}
	u, err := h.store.Unit(ctx, cp, code)
	if err != nil {
		return nil, nil, err
	}
	if !a.Covers(u.Path) {
		return nil, nil, model.ErrNotFound
	}
	return cp, u, nil
}

// calibrationIn names the indicators of a calibration in lang: the store
// gives them the set's Vietnamese names.
func calibrationIn(cal *dashview.Calibration, cp *dashview.Campaign, lang string) {
	if cp.Set == nil {
		return
	}
	for i, r := range cal.Indicators {
		if ind, ok := cp.Set.Indicator(r.Code); ok {
			cal.Indicators[i].Name = ind.Name.In(lang)
		}
	}
}

func (h *dash) progress(c echo.Context) error {
	cp, u, err := h.reviewScope(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pr, err := h.store.Progress(ctx, cp, u)
	if err != nil {
		return err
	}
	cal, err := h.store.Calibration(ctx, cp, u)
	if err != nil {
		return err
	}
	lang := langOf(c)
	calibrationIn(cal, cp, lang)
	statuses := []string{"not_started", "draft", "submitted", "returned", "approved"}
	var cats []string
	vals := make([][]float64, len(statuses))
	for _, x := range pr.Rows {
		cats = append(cats, x.Name)
		for i, n := range []int{x.NotStarted, x.Draft, x.Submitted, x.Returned, x.Approved} {
			vals[i] = append(vals[i], float64(n))
		}
	}
	var names []string
	for _, st := range statuses {
		names = append(names, tr(lang, "dash.status."+st))
	}
	cs := []dashview.Chart{dashview.Counts(dashview.Stacked("chart-progress", tr(lang, "dash.chart.progress"), cats, names, vals, 0))}
	var ccats []string
	var cvals []float64
	for _, x := range cal.Units {
		ccats = append(ccats, x.Name)
		cvals = append(cvals, x.MeanGap)
	}
	cs = append(cs, dashview.Bar("chart-calibration", tr(lang, "dash.chart.calibration"), tr(lang, "dash.gap_mean"), ccats, cvals, 0))
	return c.Render(http.StatusOK, "dash_review.html", dashReviewPage{page: h.s.page(c), C: cp, Unit: u, P: pr, Cal: cal, Charts: chartsOf(cs...), Statuses: statuses})
}
