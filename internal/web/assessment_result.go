package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// panelView is the live score panel beside the self-assessment form. The
// page renders it, and every save renders it again from the score the
// server stored with that save (the "score_panel" template, the same
// engine, the same rounding), so what the panel shows while filling is
// what a reload shows.
type panelView struct {
	Revision             int64
	Answered, Applicable int
	HasScore             bool
	Groups               []panelGroup
	Index                float64
	Level                int
	LevelName            string
	// ShowValidated adds the validated column (evaluators; the school once
	// approved).
	ShowValidated     bool
	ValidatedIndex    float64
	ValidatedLevel    string
	MandatoryFailed   []namedCode
	Gap               *gapView
	TopLevel          bool
	ValidatedGroupsOK bool
}

type panelGroup struct {
	Code, Name             string
	Score, Max, Validated  float64
	Answered, Total        int
	HasValidated, Unscored bool
}

type namedCode struct{ Code, Name string }

// gapView is the gap to the next level in words: each missing mandatory
// condition and indicator by name, with the answer needed and the points
// it adds, and the groups still below their thresholds.
type gapView struct {
	NextName  string
	Reachable bool
	Items     []gapItem
	Groups    []gapGroup
}

type gapGroup struct {
	Code, Name, Op        string
	Score, Threshold, New float64
}

type gapItem struct {
	Indicator, Name, Needed, Current string
	Points                           float64
	Mandatory                        bool
}

// levelNames are a set's level names in lang.
func levelNames(set *indicators.Set, lang string) map[int]string {
	m := map[int]string{}
	for _, l := range set.Levels {
		m[l.Level] = l.Name.In(lang)
	}
	return m
}

// buildPanel forms the panel from a stored self score (nil before the
// first answer), the validated score when the reader may see it, and the
// gap as the answers stand.
func buildPanel(lang string, set *indicators.Set, schoolLevel string, self, validated *indicators.Result, gap *indicators.Gap,
	answered, applicable int, revision int64) *panelView {
	names := levelNames(set, lang)
	p := &panelView{Revision: revision, Answered: answered, Applicable: applicable, HasScore: self != nil && answered > 0}
	unanswered := map[string]bool{}
	if self != nil {
		for _, c := range self.Unanswered {
			unanswered[c] = true
		}
	}
	for _, g := range set.Groups {
		pg := panelGroup{Code: g.Code, Name: g.Name.In(lang), Max: g.Max}
		for _, cr := range g.Criteria {
			for i := range cr.Indicators {
				ind := &cr.Indicators[i]
				if schoolLevel != "" && !ind.AppliesToLevel(schoolLevel) {
					continue
				}
				pg.Total++
				if self != nil && !unanswered[ind.Code] {
					pg.Answered++
				}
			}
		}
		if self != nil {
			pg.Score = groupScore(self, g.Code)
		}
		if validated != nil {
			pg.Validated, pg.HasValidated = groupScore(validated, g.Code), true
		}
		p.Groups = append(p.Groups, pg)
	}
	if self != nil {
		p.Index, p.Level, p.LevelName = self.Index, self.Level, names[self.Level]
		for _, code := range self.MandatoryFailed {
			p.MandatoryFailed = append(p.MandatoryFailed, namedCode{code, indicatorName(set, lang, code)})
		}
	}
	if validated != nil {
		p.ShowValidated, p.ValidatedIndex, p.ValidatedLevel = true, validated.Index, names[validated.Level]
	}
	if gap != nil && p.HasScore {
		if gap.Next == 0 {
			p.TopLevel = true
		} else {
			p.Gap = buildGap(lang, set, gap, names)
		}
	}
	return p
}

func buildGap(lang string, set *indicators.Set, gap *indicators.Gap, names map[int]string) *gapView {
	gv := &gapView{NextName: names[gap.Next], Reachable: gap.Reachable}
	for _, im := range gap.Improvements {
		it := gapItem{Indicator: im.Indicator, Name: im.Indicator, Needed: im.Needed.String(), Points: im.Points, Mandatory: im.Mandatory}
		if ind, ok := set.Indicator(im.Indicator); ok {
			it.Name = ind.Name.In(lang)
			it.Needed = displayAnswer(lang, ind, im.Needed)
			if im.Current != nil {
				it.Current = displayAnswer(lang, ind, *im.Current)
			} else {
				it.Current = tr(lang, "panel.unanswered")
			}
		}
		gv.Items = append(gv.Items, it)
	}
	for _, gg := range gap.Groups {
		name := gg.Group
		for _, g := range set.Groups {
			if g.Code == gg.Group {
				name = g.Name.In(lang)
			}
		}
		gv.Groups = append(gv.Groups, gapGroup{Code: gg.Group, Name: name, Op: gg.Op, Score: gg.Score, Threshold: gg.Threshold, New: gg.NewScore})
	}
	return gv
}

func indicatorName(set *indicators.Set, lang, code string) string {
	if ind, ok := set.Indicator(code); ok {
		return ind.Name.In(lang)
	}
	return code
}

// resultView is the school's result: self and validated side by side per
// group, index and level, every value the evaluator changed with its
// reason, and the publications that carried it.
type resultView struct {
	Approved bool
	// Office: the unit assessed is an office (i18n_unitwords.go).
	Office                    bool
	Groups                    []resultGroup
	SelfIndex, ValidatedIndex float64
	IndexDiff                 float64
	SelfLevel, ValidatedLevel string
	Changes                   []resultChange
	Publications              []resultPublication
}

type resultGroup struct {
	Code, Name            string
	Self, Validated, Diff float64
	Max                   float64
}

type resultChange struct {
	Indicator, Name, Old, New, Reason, By string
	At                                    time.Time
	Revision                              int
}

type resultPublication struct {
	Revision  int
	Date      string
	Index     float64
	LevelName string
}

// buildResult forms the result view of x, or nil when the reader may not
// see a validated result yet (the service leaves Validated nil then).
func buildResult(lang string, set *indicators.Set, x *model.Assessment) *resultView {
	if x.Validated == nil || x.Self == nil || (x.Status != model.StatusApproved && x.Status != model.StatusSubmitted) {
		return nil
	}
	names := levelNames(set, lang)
	r := &resultView{Approved: x.Status == model.StatusApproved,
		SelfIndex: x.Self.Index, ValidatedIndex: x.Validated.Index, IndexDiff: x.Validated.Index - x.Self.Index,
		SelfLevel: names[x.Self.Level], ValidatedLevel: names[x.Validated.Level]}
	for _, g := range set.Groups {
		s, v := groupScore(x.Self, g.Code), groupScore(x.Validated, g.Code)
		r.Groups = append(r.Groups, resultGroup{Code: g.Code, Name: g.Name.In(lang), Self: s, Validated: v, Diff: v - s, Max: g.Max})
	}
	for _, c := range x.Changes {
		rc := resultChange{Indicator: c.Indicator, Name: c.Indicator, Reason: c.Reason, By: c.ByName, At: c.At, Revision: c.Revision}
		if rc.By == "" {
			rc.By = c.By
		} else if c.By != "" {
			rc.By += " (" + c.By + ")"
		}
		ind, ok := set.Indicator(c.Indicator)
		if ok {
			rc.Name = ind.Name.In(lang)
		}
		rc.Old, rc.New = changeValue(lang, ind, c.Old), changeValue(lang, ind, c.New)
		if rc.Old == "" && ok {
			// The first change replaces the school's own answer.
			if av := x.Answers[c.Indicator]; av != nil {
				rc.Old = changeValue(lang, ind, av.Value)
			}
		}
		r.Changes = append(r.Changes, rc)
	}
	for _, p := range x.Publications {
		r.Publications = append(r.Publications, resultPublication{Revision: p.Revision, Date: formatDate(p.PublishedAt), Index: p.Index, LevelName: names[p.Level]})
	}
	return r
}

// changeValue writes a value of the change trail in words; the old value
// of a first change is the school's answer, shown as such by the caller's
// data (null means no evaluator's value: the school's answer stood).
func changeValue(lang string, ind *indicators.Indicator, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if ind == nil {
		return string(raw)
	}
	return display(lang, ind, raw)
}

// inputNumber writes a stored number for an input field: no thousands
// separator (the form reads "1.5" and "1,5" alike), and the decimal comma
// in Vietnamese, so a reloaded form reads as it was typed.
func inputNumber(lang string, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if lang == langVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// renderPanel renders the "score_panel" template of the assessment page in
// lang, for the save responses of the form's script.
func (s *Server) renderPanel(lang string, p *panelView) (string, error) {
	t, ok := s.tmpl.pages[lang]["assessment.html"]
	if !ok {
		return "", fmt.Errorf("web: no assessment template for %q", lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "score_panel", p); err != nil {
		return "", fmt.Errorf("web: render score panel: %w", err)
	}
	return buf.String(), nil
}

// sortedCodes lists a map's keys in order (for stable messages).
func sortedCodes(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// assessmentReport is the printable result of one assessment: the same
// data as the page, laid out for paper (self and validated per group, the
// changes and their reasons, the publications, every indicator's points).
func (s *Server) assessmentReport(c echo.Context) error {
	id, _ := idParam(c, "aid")
	p, err := s.buildAssessmentPage(c, id)
	if err != nil {
		return err
	}
	now := time.Now()
	p.Printed = formatDate(now)
	lang := langOf(c)
	// The place of the form is the school's commune or district; an
	// office's form is dated where the office is (its own province or
	// district), not at the office above it.
	place := p.X.ParentName
	if p.OfficeUnit {
		place = p.X.UnitName
	}
	p.Paper = newPaperHead(lang, p.X.ParentName, p.X.UnitName, place, tr(lang, unitKey("paper.principal", p.OfficeUnit)), now)
	return c.Render(http.StatusOK, "assessment_report.html", p)
}

// groupScore is the score of group code in a result (0 when it has none).
func groupScore(r *indicators.Result, code string) float64 {
	g, _ := r.Group(code)
	return g.Score
}
