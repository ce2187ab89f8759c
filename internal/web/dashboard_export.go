package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/sheet"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

var nan = math.NaN()

// The exports' tables are internal/sheet's: one writer for every CSV and
// XLSX the product produces, formula neutralisation and rounding included.

// csvDialect is how a CSV for people is spelled: with a BOM, and with
// semicolons and decimal commas when asked (?sep=semicolon or
// ?format=csv-vi, for Excel set to Vietnamese).
func csvDialect(c echo.Context) sheet.Dialect {
	if c.QueryParam("sep") == "semicolon" || c.QueryParam("format") == "csv-vi" {
		return sheet.VietnameseExcel
	}
	return sheet.People
}

func sendTable(c echo.Context, t *sheet.Table, kind string) error {
	var buf bytes.Buffer
	h := c.Response().Header()
	switch kind {
	case "xlsx":
		if err := sheet.WriteXLSX(&buf, t); err != nil {
			return err
		}
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, t.Name))
		return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	}
	if err := sheet.WriteCSVDialect(&buf, t, csvDialect(c)); err != nil {
		return err
	}
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, t.Name))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// rankingTable is a ranking as a table; head names in lang, or the API's
// snake_case keys when lang is "".
func rankingTable(r *dashview.Ranking, lang string) *sheet.Table {
	label := func(key, api string) string {
		if lang == "" {
			return api
		}
		return tr(lang, key)
	}
	t := &sheet.Table{Name: fmt.Sprintf("xep-hang-%d-%s", r.Campaign.ID, r.Unit.Code)}
	t.Head = []string{label("dash.rank", "rank"), label("common.code", "unit_code"), label("common.name", "unit_name"), label("common.kind", "kind"),
		label("units.levels", "school_level"), label("dash.schools", "schools"), label("dash.index", "index"), label("dash.median", "median"),
		label("dash.level", "level")}
	// The API's CSV has the JSON's fields (rankingRow): "schools" counts
	// schools only, "units" every assessed unit (Decision 3806 offices).
	agency := r.Campaign.Set.EffectiveAssessed() == indicators.AssessedAgency
	if lang == "" {
		t.Head = slices.Insert(t.Head, 6, "units")
	}
	for _, g := range r.Campaign.Set.Groups {
		if lang == "" {
			t.Head = append(t.Head, "group_"+g.Code)
		} else {
			t.Head = append(t.Head, g.Code+" "+g.Name.In(lang))
		}
	}
	t.Head = append(t.Head, label("dash.rank_p05", "rank_p05"), label("dash.rank_median", "rank_median"), label("dash.rank_p95", "rank_p95"),
		label("dash.submitted", "submitted"), label("dash.total", "total"))
	// A file for people names levels, kinds and school levels in its
	// language, with the codes kept as extra columns for machines; the
	// API's CSV (lang "") keeps its codes in the named columns.
	if lang != "" {
		t.Head = append(t.Head, tr(lang, "dash.level_code"), tr(lang, "dash.kind_code"), tr(lang, "dash.school_level_code"))
	}
	names := levelNames(r.Campaign.Set, lang)
	for _, x := range r.Rows {
		kind, sl := x.Kind, x.SchoolLevel
		lvl, lvlCode := sheet.Cell{N: nan, Num: true}, sheet.Cell{N: nan, Num: true}
		if x.School {
			lvl, lvlCode = sheet.Int(x.Level), sheet.Int(x.Level)
			if lang != "" {
				lvl = sheet.Text(names[x.Level])
			}
		}
		if lang != "" {
			kind = tr(lang, "kind."+x.Kind)
			if sl != "" {
				sl = tr(lang, "level."+sl)
			}
		}
		row := []sheet.Cell{sheet.Int(x.Rank), sheet.Text(x.Code), sheet.Text(x.Name), sheet.Text(kind), sheet.Text(sl), sheet.Int(x.Schools),
			sheet.Number(x.Index, 2), sheet.Number(x.Median, 2), lvl}
		if lang == "" {
			if agency {
				row[5] = sheet.Int(0)
			}
			row = slices.Insert(row, 6, sheet.Int(x.Schools)) // units
		}
		for i := range r.Campaign.Set.Groups {
			row = append(row, sheet.Number(at(x.Groups, i), 2))
		}
		// Ranks are integers: the interval's ends are shown as whole ranks.
		row = append(row, sheet.Number(x.Robust.P05, 0), sheet.Number(x.Robust.Median, 0), sheet.Number(x.Robust.P95, 0), sheet.Int(x.Submitted), sheet.Int(x.Total))
		if lang != "" {
			row = append(row, lvlCode, sheet.Text(x.Kind), sheet.Text(x.SchoolLevel))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (h *dash) export(c echo.Context, kind string) error {
	cp, u, err := h.publishedUnit(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	own, err := h.ownResult(c.Request().Context(), cp, u)
	if err != nil {
		return err
	}
	if own {
		p, err := h.schoolData(c, cp, u)
		if err != nil {
			return err
		}
		t := &sheet.Table{Name: fmt.Sprintf("truong-%d-%s", cp.ID, u.Code),
			Head: []string{tr(lang, "dash.criterion"), tr(lang, "common.code"), tr(lang, "dash.indicator"), tr(lang, "dash.points"), tr(lang, "dash.max")}}
		for _, ind := range p.Indicators {
			pts := sheet.Cell{N: nan, Num: true}
			if ind.Applies {
				pts = sheet.Number(ind.Points, 2)
			}
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(ind.Criterion), sheet.Text(ind.Code), sheet.Text(ind.Name), pts, sheet.Number(ind.Max, 2)})
		}
		t.Rows = append(t.Rows, reviewRows(p.S.Review, lang, !u.IsSchool())...)
		return sendTable(c, t, kind)
	}
	r, err := h.ranking(c, cp, u)
	if err != nil {
		return err
	}
	t := rankingTable(r, lang)
	if err := h.addReviewColumns(c.Request().Context(), r, t, lang); err != nil {
		return err
	}
	return sendTable(c, t, kind)
}

func (h *dash) exportCSV(c echo.Context) error  { return h.export(c, "csv") }
func (h *dash) exportXLSX(c echo.Context) error { return h.export(c, "xlsx") }

// progressTable is one table of the evaluator views (?table=progress,
// overdue, calibration, indicators).
func (h *dash) progressTable(c echo.Context) (*sheet.Table, error) {
	cp, u, err := h.reviewScope(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	name := fmt.Sprintf("%d-%s", cp.ID, u.Code)
	switch c.QueryParam("table") {
	case "", "progress":
		pr, err := h.store.Progress(ctx, cp, u)
		if err != nil {
			return nil, err
		}
		t := &sheet.Table{Name: "tien-do-" + name, Head: []string{tr(lang, "common.code"), tr(lang, "common.name"),
			tr(lang, "dash.status.not_started"), tr(lang, "dash.status.draft"), tr(lang, "dash.status.submitted"), tr(lang, "dash.status.returned"),
			tr(lang, "dash.status.approved"), tr(lang, "dash.total")}}
		for _, x := range append(pr.Rows, pr.Total) {
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(x.Code), sheet.Text(x.Name), sheet.Int(x.NotStarted), sheet.Int(x.Draft), sheet.Int(x.Submitted), sheet.Int(x.Returned),
				sheet.Int(x.Approved), sheet.Int(x.Total)})
		}
		return t, nil
	case "overdue":
		pr, err := h.store.Progress(ctx, cp, u)
		if err != nil {
			return nil, err
		}
		t := &sheet.Table{Name: "qua-han-" + name, Head: []string{tr(lang, "common.code"), tr(lang, "common.name"), tr(lang, "common.parent"),
			tr(lang, "common.status"), tr(lang, "dash.answered"), tr(lang, "paper.applicable"), tr(lang, "dash.due")}}
		// Answered and applicable are two numbers: "18/28" in one cell is
		// text a spreadsheet may turn into a date.
		for _, o := range pr.Overdue {
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(o.Code), sheet.Text(o.Name), sheet.Text(o.Parent), sheet.Text(tr(lang, "status."+o.Status)),
				sheet.Int(o.Answered), sheet.Int(o.Applicable), sheet.Text(formatDate(o.Due))})
		}
		return t, nil
	case "calibration", "indicators":
		cal, err := h.store.Calibration(ctx, cp, u)
		if err != nil {
			return nil, err
		}
		calibrationIn(cal, cp, lang)
		t := &sheet.Table{Name: "hieu-chinh-" + name, Head: []string{tr(lang, "common.code"), tr(lang, "common.name"), tr(lang, "dash.n"),
			tr(lang, "dash.gap_mean"), tr(lang, "dash.gap_abs")}}
		rows := append(cal.Units, cal.Total)
		if c.QueryParam("table") == "indicators" {
			t.Name = "hieu-chinh-chi-tieu-" + name
			rows = cal.Indicators
		}
		for _, x := range rows {
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(x.Code), sheet.Text(x.Name), sheet.Int(x.N), sheet.Number(x.MeanGap, 2), sheet.Number(x.MeanAbsGap, 2)})
		}
		return t, nil
	}
	return nil, errkind.New(errkind.NotFound, "Không có bảng này.", "no such table")
}

func (h *dash) progressCSV(c echo.Context) error {
	t, err := h.progressTable(c)
	if err != nil {
		return err
	}
	return sendTable(c, t, "csv")
}

func (h *dash) progressXLSX(c echo.Context) error {
	t, err := h.progressTable(c)
	if err != nil {
		return err
	}
	return sendTable(c, t, "xlsx")
}

// ---- API ------------------------------------------------------------------

type rankingsResponse struct {
	CampaignID int64        `json:"campaign_id"`
	Revision   int          `json:"revision"`
	Source     string       `json:"source"` // published, live
	Unit       rankingRow   `json:"unit"`
	Rows       []rankingRow `json:"rows"`
}

type rankingRow struct {
	Rank        int    `json:"rank,omitempty"`
	Code        string `json:"unit_code"`
	Name        string `json:"unit_name"`
	Kind        string `json:"kind"`
	SchoolLevel string `json:"school_level,omitempty"`
	// Schools counts the schools whose published results the row holds (1
	// for a school; 0 in an office campaign, where no school is assessed);
	// Units counts every assessed unit whose result it holds, schools or
	// offices (Decision 3806): the n of "n / N" beside Total.
	Schools     int                `json:"schools"`
	Units       int                `json:"units"`
	Index       *float64           `json:"index"`
	Median      *float64           `json:"median,omitempty"`
	Level       int                `json:"level,omitempty"`
	Levels      map[string]int     `json:"levels,omitempty"`
	Groups      map[string]float64 `json:"groups"`
	Robustness  *robustJSON        `json:"robustness,omitempty"`
	Submitted   int                `json:"submitted"`
	Total       int                `json:"total"`
	PublishedAt *time.Time         `json:"published_at,omitempty"`
}

type robustJSON struct {
	P05    float64 `json:"p05"`
	Median float64 `json:"median"`
	P95    float64 `json:"p95"`
}

func fptr(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	// The API keeps full precision: a client rounds (numfmt's policy, on
	// the methodology page) and gets what the pages show.
	return &x
}

func toRankingRow(r *dashview.Ranking, x dashview.Row, ranked bool) rankingRow {
	out := rankingRow{Code: x.Code, Name: x.Name, Kind: x.Kind, SchoolLevel: x.SchoolLevel, Schools: x.Schools, Units: x.Schools, Index: fptr(x.Index),
		Groups: map[string]float64{}, Submitted: x.Submitted, Total: x.Total}
	if r.Campaign.Set != nil && r.Campaign.Set.EffectiveAssessed() == indicators.AssessedAgency {
		out.Schools = 0 // the results are offices', not schools'
	}
	if x.Schools == 0 {
		out.Index = nil
	}
	for i, g := range r.Campaign.Set.Groups {
		if v := at(x.Groups, i); !math.IsNaN(v) {
			out.Groups[g.Code] = v
		}
	}
	if x.School {
		out.Level = x.Level
		if !x.PublishedAt.IsZero() && x.PublishedAt.Year() > 1 {
			t := x.PublishedAt
			out.PublishedAt = &t
		}
	} else if x.Schools > 0 {
		out.Median = fptr(x.Median)
		out.Levels = map[string]int{}
		for i, n := range r.Levels {
			if i < len(x.Levels) {
				out.Levels[strconv.Itoa(n)] = x.Levels[i]
			}
		}
	}
	if ranked {
		out.Rank = x.Rank
		if !math.IsNaN(x.Robust.P05) && x.Robust.P95 > 0 {
			out.Robustness = &robustJSON{P05: x.Robust.P05, Median: x.Robust.Median, P95: x.Robust.P95}
		}
	}
	return out
}

// apiRanking reads the ranking the API serves: published, or live for an
// evaluator's scope.
func (h *dash) apiRanking(c echo.Context) (*dashview.Ranking, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	lvl, err := schoolLevelParam(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	f := dashview.Filter{SchoolLevel: lvl}
	var cp *dashview.Campaign
	switch v := c.QueryParam("validated"); v {
	case "", "published":
		if cp, err = h.store.Published(ctx, id); err != nil {
			return nil, err
		}
	case "live":
		a := actorOf(c)
		if a == nil {
			return nil, errNeedSignIn
		}
		if !a.Is(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune) {
			return nil, model.ErrForbidden
		}
		if cp, err = h.store.Campaign(ctx, id); err != nil {
			return nil, err
		}
		f.Live = true
	default:
		return nil, errkind.New(errkind.Invalid, "Tham số validated chỉ nhận live hoặc published.", "validated must be live or published")
	}
	u, err := h.unitOf(ctx, cp, c.QueryParam("unit"))
	if err != nil {
		return nil, err
	}
	if f.Live && !actorOf(c).Covers(u.Path) {
		return nil, model.ErrNotFound
	}
	return h.store.Ranking(ctx, cp, u, f)
}

func (h *dash) apiRankings(c echo.Context) error {
	r, err := h.apiRanking(c)
	if err != nil {
		return err
	}
	out := rankingsResponse{CampaignID: r.Campaign.ID, Revision: r.Campaign.Revision, Source: "published", Unit: toRankingRow(r, r.Self, false), Rows: []rankingRow{}}
	if r.Filter.Live {
		out.Source, out.Revision = "live", 0
	}
	for _, x := range r.Rows {
		out.Rows = append(out.Rows, toRankingRow(r, x, true))
	}
	return c.JSON(http.StatusOK, out)
}

func (h *dash) apiRankingsCSV(c echo.Context) error {
	r, err := h.apiRanking(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	// The API's CSV is data for programs: no BOM unless asked for the
	// Vietnamese Excel spelling.
	d := sheet.Data
	if c.QueryParam("sep") == "semicolon" || c.QueryParam("format") == "csv-vi" {
		d = sheet.VietnameseExcel
	}
	t := rankingTable(r, "")
	if err := h.addReviewColumns(c.Request().Context(), r, t, ""); err != nil {
		return err
	}
	if err := sheet.WriteCSVDialect(&buf, t, d); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// trendTable is the trend page's table.
func (h *dash) trendTable(c echo.Context) (*sheet.Table, error) {
	ctx := c.Request().Context()
	u, err := h.store.UnitByCode(ctx, c.Param("code"))
	if err != nil {
		return nil, err
	}
	pts, err := h.trendPoints(ctx, u, officeTrendParam(c, u))
	if err != nil {
		return nil, err
	}
	if len(pts) == 0 {
		return nil, dashview.ErrNotFound
	}
	lang := langOf(c)
	t := &sheet.Table{Name: "dien-bien-" + u.Code, Head: []string{tr(lang, "dash.campaign"), tr(lang, "dash.schools"), tr(lang, "dash.coverage_total"),
		tr(lang, "dash.coverage"), tr(lang, "dash.mean_index"), tr(lang, "dash.median"), tr(lang, "dash.level")}}
	for _, p := range pts {
		lv := sheet.Text(p.LevelName(p.Level, lang))
		if len(p.Levels) > 0 {
			var parts []string
			for i, n := range p.Levels {
				if i < len(p.LevelNums) {
					parts = append(parts, fmt.Sprintf("%s: %d", p.LevelName(p.LevelNums[i], lang), n))
				}
			}
			lv = sheet.Text(strings.Join(parts, "; "))
		}
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(p.Name), sheet.Int(p.Schools), sheet.Int(p.Total), sheet.Number(100*p.Coverage(), 0),
			sheet.Number(p.Index, 2), sheet.Number(p.Median, 2), lv})
	}
	return t, nil
}

func (h *dash) trendCSV(c echo.Context) error {
	t, err := h.trendTable(c)
	if err != nil {
		return err
	}
	return sendTable(c, t, "csv")
}

func (h *dash) trendXLSX(c echo.Context) error {
	t, err := h.trendTable(c)
	if err != nil {
		return err
	}
	return sendTable(c, t, "xlsx")
}
