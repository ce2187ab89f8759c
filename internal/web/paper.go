package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/sheet"
	"github.com/labstack/echo/v4"
)

// The official paper (issue 15): the school's phiếu tự đánh giá and the
// office's báo cáo kết quả đánh giá, as administrative documents are laid
// out in Việt Nam: the issuing body on the left, the national heading on
// the right, the place and date, the document, the signature block.

// paperHead is the heading and the signature block of a document.
type paperHead struct {
	Issuer    string // the body above the issuing unit (upper case), may be ""
	Unit      string // the issuing unit (upper case)
	PlaceDate string // "Quỳnh Phụ, ngày 04 tháng 12 năm 2026"
	Signer    string // "HIỆU TRƯỞNG", "THỦ TRƯỞNG ĐƠN VỊ"
}

// paperDate is a date as documents write it.
func paperDate(lang string, t time.Time) string {
	t = t.In(vnTime)
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
}

func newPaperHead(lang, issuer, unit, place, signer string, at time.Time) *paperHead {
	pd := paperDate(lang, at)
	if place != "" {
		pd = place + ", " + pd
	}
	return &paperHead{Issuer: strings.ToUpper(issuer), Unit: strings.ToUpper(unit), PlaceDate: pd, Signer: signer}
}

// officeSchool is one school of an office's report.
type officeSchool struct {
	Code, Name, Parent, SchoolLevel string
	Index                           float64
	Level                           int
	LevelName, LevelShort           string
}

// officeSummary is what an office reports of its unit: the schools with
// their index and level, the counts by level × school level, coverage.
type officeSummary struct {
	Unit *dashview.Unit
	Self dashview.Row
	// Levels are the level columns: the set's levels, highest first, then
	// "no level reached" (0).
	Levels     []int
	LevelNames []string
	// LevelShort are the level columns' short labels ("M3", "CĐ" for no
	// level reached): a phone shows them, with a legend, where the full names
	// would wrap between their words; paper and wide screens show the
	// names.
	LevelShort []string
	// Matrix: one row per school level, then the total row.
	Matrix  []officeMatrixRow
	Schools []officeSchool
}

type officeMatrixRow struct {
	SchoolLevel string // "" in the total row
	Name        string
	Counts      []int
	Total       int
	Mean        float64
}

// Coverage is the share of the unit's assessments with a published result.
func (s *officeSummary) Coverage() float64 {
	if s.Self.Total == 0 {
		return math.NaN()
	}
	return float64(s.Self.Schools) / float64(s.Self.Total)
}

// maxSummarySchools bounds the walk of a report (a province's are some
// thousands; past this the request is refused, not cut short).
const maxSummarySchools = 20000

// summary walks the published rankings under u down to its schools.
func (h *dash) summary(ctx context.Context, cp *dashview.Campaign, u *dashview.Unit, lang string) (*officeSummary, error) {
	r, err := h.store.Ranking(ctx, cp, u, dashview.Filter{})
	if err != nil {
		return nil, err
	}
	s := &officeSummary{Unit: u, Self: r.Self}
	names := levelNames(cp.Set, lang)
	var walk func(r *dashview.Ranking, parent string, depth int) error
	walk = func(r *dashview.Ranking, parent string, depth int) error {
		for _, x := range r.Rows {
			if x.School {
				if len(s.Schools) >= maxSummarySchools {
					return fmt.Errorf("dashboard: report of %s: more than %d schools", u.Code, maxSummarySchools)
				}
				ln := names[x.Level]
				if ln == "" {
					ln = dashview.NoLevelName(lang)
				}
				s.Schools = append(s.Schools, officeSchool{Code: x.Code, Name: x.Name, Parent: parent, SchoolLevel: x.SchoolLevel,
					Index: x.Index, Level: x.Level, LevelName: ln})
				continue
			}
			if depth > 8 || x.Schools == 0 {
				continue
			}
			su, err := h.store.Unit(ctx, cp, x.Code)
			if err != nil {
				return err
			}
			sr, err := h.store.Ranking(ctx, cp, su, dashview.Filter{})
			if err != nil {
				return err
			}
			if err := walk(sr, x.Name, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(r, u.Name, 0); err != nil {
		return nil, err
	}
	slices.SortStableFunc(s.Schools, func(a, b officeSchool) int {
		if a.SchoolLevel != b.SchoolLevel {
			return strings.Compare(a.SchoolLevel, b.SchoolLevel)
		}
		switch {
		case a.Index > b.Index:
			return -1
		case a.Index < b.Index:
			return 1
		}
		return strings.Compare(a.Code, b.Code)
	})
	for i := len(cp.Set.Levels) - 1; i >= 0; i-- {
		s.Levels = append(s.Levels, cp.Set.Levels[i].Level)
	}
	s.Levels = append(s.Levels, 0)
	for _, l := range s.Levels {
		n := names[l]
		if n == "" {
			n = dashview.NoLevelName(lang)
		}
		s.LevelNames = append(s.LevelNames, n)
		s.LevelShort = append(s.LevelShort, levelShort(lang, l))
	}
	for i := range s.Schools {
		s.Schools[i].LevelShort = levelShort(lang, s.Schools[i].Level)
	}
	col := map[int]int{}
	for i, l := range s.Levels {
		col[l] = i
	}
	rows := map[string]*officeMatrixRow{}
	total := &officeMatrixRow{Name: tr(lang, "dash.total"), Counts: make([]int, len(s.Levels))}
	var order []string
	for _, sc := range s.Schools {
		m := rows[sc.SchoolLevel]
		if m == nil {
			name := sc.SchoolLevel
			if name != "" {
				name = tr(lang, "level."+name)
			}
			m = &officeMatrixRow{SchoolLevel: sc.SchoolLevel, Name: name, Counts: make([]int, len(s.Levels))}
			rows[sc.SchoolLevel] = m
			order = append(order, sc.SchoolLevel)
		}
		for _, x := range []*officeMatrixRow{m, total} {
			x.Counts[col[sc.Level]]++
			x.Total++
			x.Mean += sc.Index
		}
	}
	for _, k := range order {
		s.Matrix = append(s.Matrix, *rows[k])
	}
	if cp.Offices() {
		// Offices have no school level: the total is the summary.
		s.Matrix = nil
	}
	s.Matrix = append(s.Matrix, *total)
	for i := range s.Matrix {
		if s.Matrix[i].Total > 0 {
			s.Matrix[i].Mean /= float64(s.Matrix[i].Total)
		} else {
			s.Matrix[i].Mean = math.NaN()
		}
	}
	return s, nil
}

// summaryXLSX is the district or commune summary workbook: counts by
// level × school level, the schools with their index and level, coverage.
func (h *dash) summaryXLSX(c echo.Context) error {
	cp, u, err := h.publishedUnit(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if u.IsSchool() {
		return errkind.New(errkind.NotFound, "Trường không có bảng tổng hợp; xem trang của trường.", "a school has no summary workbook")
	}
	lang := langOf(c)
	s, err := h.summary(ctx, cp, u, lang)
	if err != nil {
		return err
	}
	off := cp.Offices()
	sum := &sheet.Table{Name: tr(lang, "paper.sheet_summary"), Head: []string{tr(lang, unitKey("units.levels", off))}}
	sum.Head = append(sum.Head, s.LevelNames...)
	sum.Head = append(sum.Head, tr(lang, "dash.total"), tr(lang, "dash.mean_index"))
	for _, m := range s.Matrix {
		row := []sheet.Cell{sheet.Text(m.Name)}
		for _, n := range m.Counts {
			row = append(row, sheet.Int(n))
		}
		sum.Rows = append(sum.Rows, append(row, sheet.Int(m.Total), sheet.Number(m.Mean, 2)))
	}
	list := &sheet.Table{Name: tr(lang, unitKey("paper.sheet_schools", off)), Head: []string{tr(lang, "paper.no"), tr(lang, "common.code"), tr(lang, "common.name"),
		tr(lang, "common.parent"), tr(lang, "units.levels"), tr(lang, "dash.index"), tr(lang, "dash.level")}}
	for i, sc := range s.Schools {
		sl := sc.SchoolLevel
		if sl != "" {
			sl = tr(lang, "level."+sl)
		}
		list.Rows = append(list.Rows, []sheet.Cell{sheet.Int(i + 1), sheet.Text(sc.Code), sheet.Text(sc.Name), sheet.Text(sc.Parent), sheet.Text(sl), sheet.Number(sc.Index, 2), sheet.Text(sc.LevelName)})
	}
	cov := &sheet.Table{Name: tr(lang, "paper.sheet_coverage"), Head: []string{tr(lang, "common.unit"), tr(lang, unitKey("paper.assessments", off)),
		tr(lang, "dash.submitted"), tr(lang, "paper.published"), tr(lang, "paper.coverage_pct")}}
	cov.Rows = [][]sheet.Cell{{sheet.Text(u.Name), sheet.Int(s.Self.Total), sheet.Int(s.Self.Submitted), sheet.Int(s.Self.Schools), sheet.Number(100*s.Coverage(), 1)}}
	b, err := sheet.XLSX(sum, list, cov)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tong-hop-%d-%s.xlsx"`, cp.ID, u.Code))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// CoveragePct is Coverage in per cent.
func (s *officeSummary) CoveragePct() float64 { return 100 * s.Coverage() }

// levelShort is a level's short label: "M2" ("L2"), or "CĐ" (chưa đạt;
// "None") for no level reached.
func levelShort(lang string, level int) string {
	if level == 0 {
		return tr(lang, "paper.no_level_short")
	}
	return fmt.Sprintf(tr(lang, "paper.level_short"), level)
}

// LevelCols pairs the level columns' short labels with their names.
func (s *officeSummary) LevelCols() []levelCol {
	out := make([]levelCol, len(s.LevelNames))
	for i := range out {
		out[i] = levelCol{Short: s.LevelShort[i], Name: s.LevelNames[i]}
	}
	return out
}

type levelCol struct{ Short, Name string }
