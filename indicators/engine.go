package indicators

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
)

// Result is the score of one assessment, as the contract defines it.
// Every slice is in the set's order, so equal inputs give equal results.
type Result struct {
	Groups []GroupScore `json:"groups"`
	// Index is the one number per unit used for ranking (Index.Method).
	Index float64 `json:"index"`
	// Level is the number of the first level whose conditions all hold.
	Level int `json:"level"`
	// MandatoryFailed are the applicable mandatory indicators not answered
	// true (an unanswered one is not met).
	MandatoryFailed []string `json:"mandatory_failed"`
	// Unanswered are the applicable indicators without an answer; they
	// score 0.
	Unanswered []string `json:"unanswered"`
	// NotApplicable are the indicators whose applies_to excludes the
	// unit's school level; they count in neither sum of their group.
	NotApplicable []string `json:"not_applicable"`
	// IndicatorPoints are the points of every applicable indicator that
	// has points (mandatory indicators have none), by code.
	IndicatorPoints IndicatorPoints `json:"indicators"`
	// Criteria are each criterion's achievement, in the set's order.
	Criteria []CriterionScore `json:"criteria"`

	// points are every indicator's points in the plan's order: a slice
	// without pointers, so that scoring 50,000 units allocates little the
	// garbage collector must scan. Indicators and Points read it.
	points []float64
	plan   *plan
	bit    uint64 // the school level's mask bit
}

// GroupScore is one group's score.
type GroupScore struct {
	Code string `json:"code"`
	// Score is Points ÷ ApplicableMax × Max: on the group's own scale.
	Score float64 `json:"score"`
	Max   float64 `json:"max"`
	// Points is the sum of the applicable indicators' points and
	// ApplicableMax the sum of their maxima (Max when all apply).
	Points        float64 `json:"points"`
	ApplicableMax float64 `json:"applicable_max"`
}

// CriterionScore is one criterion's achievement: the points of its
// applicable indicators against their maxima.
type CriterionScore struct {
	Code          string  `json:"code"`
	Points        float64 `json:"points"`
	ApplicableMax float64 `json:"applicable_max"`
	// Achievement is Points ÷ ApplicableMax in %; nil when no indicator
	// of the criterion with points applies.
	Achievement *float64 `json:"achievement"`
}

// IndicatorScore is the points one indicator scored.
type IndicatorScore struct {
	Code     string  `json:"code"`
	Points   float64 `json:"points"`
	Max      float64 `json:"max"`
	Answered bool    `json:"answered"`
}

// Group returns the score of the group with the given code.
func (r *Result) Group(code string) (GroupScore, bool) {
	for _, g := range r.Groups {
		if g.Code == code {
			return g, true
		}
	}
	return GroupScore{}, false
}

// Indicators returns the points of every applicable indicator that has
// points (mandatory indicators have none), in the set's order.
func (r *Result) Indicators() []IndicatorScore {
	if r.plan == nil {
		return nil
	}
	out := make([]IndicatorScore, 0, r.plan.scoring)
	un := 0 // Unanswered is in plan order too: walk it alongside
	for i := range r.plan.inds {
		ind := &r.plan.inds[i]
		if ind.mask&r.bit == 0 {
			continue
		}
		answered := true
		if un < len(r.Unanswered) && r.Unanswered[un] == ind.code {
			answered = false
			un++
		}
		if !ind.mandatory {
			out = append(out, IndicatorScore{Code: ind.code, Points: r.points[i], Max: ind.max, Answered: answered})
		}
	}
	return out
}

// Points returns the points an indicator scored, false when the set has
// no such indicator, it does not apply or it is a mandatory condition.
func (r *Result) Points(code string) (float64, bool) {
	if r.plan == nil {
		return 0, false
	}
	i, ok := r.plan.byCode[code]
	if !ok || r.plan.inds[i].mandatory || r.plan.inds[i].mask&r.bit == 0 {
		return 0, false
	}
	return r.points[i], true
}

// ErrSchoolLevel matches errors about the school level given to Score; it
// matches errkind.Invalid.
var ErrSchoolLevel error = &kindError{"indicators: invalid school level", errkind.Invalid}

// plan is a set compiled for scoring: indicators in one flat slice (each
// group's indicators are contiguous), option and band tables ready, and
// each group's applicable maximum precomputed per school level.
type plan struct {
	inds     []cind
	byCode   map[string]int
	groups   []cgroup
	crits    []ccrit
	levels   []clevel
	levelCol map[string]int // school level → column of cgroup.appMax
	allCol   int            // the column where every indicator applies
	anyOnly  bool           // some indicator has applies_to
	agency   bool
	method   string
	sumW     float64
	scoring  int   // indicators with points
	sorted   []int // those indicators by code, as their JSON object lists them
	slab     *slabs
}

type cind struct {
	code      string
	typ       string
	kind      uint8 // typ as a number, for the hot loop
	group     int
	crit      int // its criterion: index in plan.crits
	mandatory bool
	points    float64 // boolean
	max       float64
	opts      []Option
	cap       float64 // multi; 0: none
	bands     []Band
	prop      *Proportional
	mask      uint64 // bit c: applies at column c
}

// ccrit is a criterion: its indicators are inds[from:to].
type ccrit struct {
	code     string
	from, to int
	appMax   []float64 // per column, like cgroup.appMax
}

// The indicator types as numbers (cind.kind).
const (
	kindBoolean uint8 = iota
	kindChoice
	kindMulti
	kindPercent
	kindNumber
)

func typeKind(typ string) uint8 {
	switch typ {
	case TypeBoolean:
		return kindBoolean
	case TypeChoice:
		return kindChoice
	case TypeMulti:
		return kindMulti
	case TypePercent:
		return kindPercent
	}
	return kindNumber
}

type cgroup struct {
	code        string
	max, weight float64
	from, to    int       // its indicators are inds[from:to]
	appMax      []float64 // per column
}

type clevel struct {
	level     int
	mandatory bool
	conds     []ccond
	index     *ccond // a condition on the index (format v1.1); group unused
}

type ccond struct {
	group int
	above bool
	value float64
}

func (c ccond) met(score float64) bool {
	if c.above {
		return score > c.value
	}
	return score >= c.value
}

// compile builds the plan of a valid set.
func compile(s *Set) *plan {
	levels := s.EffectiveSchoolLevels()
	p := &plan{
		byCode:   map[string]int{},
		levelCol: map[string]int{},
		allCol:   len(levels),
		agency:   s.EffectiveAssessed() == AssessedAgency,
		method:   s.Index.EffectiveMethod(),
	}
	for i, l := range levels {
		p.levelCol[l] = i
	}
	groupIdx := map[string]int{}
	for gi := range s.Groups {
		g := &s.Groups[gi]
		groupIdx[g.Code] = gi
		cg := cgroup{code: g.Code, max: g.Max, weight: g.EffectiveWeight(), from: len(p.inds), appMax: make([]float64, len(levels)+1)}
		p.sumW += cg.weight
		for ci := range g.Criteria {
			p.crits = append(p.crits, ccrit{code: g.Criteria[ci].Code, from: len(p.inds), appMax: make([]float64, len(levels)+1)})
			cc := &p.crits[len(p.crits)-1]
			for ii := range g.Criteria[ci].Indicators {
				ind := &g.Criteria[ci].Indicators[ii]
				c := cind{
					code: ind.Code, typ: ind.Type, kind: typeKind(ind.Type), group: gi, crit: len(p.crits) - 1, mandatory: ind.Mandatory,
					points: ind.Points, max: ind.MaxPoints(), opts: ind.Options, bands: ind.Bands, prop: ind.Proportional,
				}
				if ind.Type == TypeMulti {
					c.cap = ind.Max
				}
				if len(ind.AppliesTo) == 0 {
					c.mask = ^uint64(0)
				} else {
					// Not at allCol: without a school level such an
					// indicator cannot be placed, so Score refuses "".
					p.anyOnly = true
					for _, l := range ind.AppliesTo {
						c.mask |= 1 << p.levelCol[l]
					}
				}
				if !c.mandatory {
					p.scoring++
					// Summed in the order Score sums points, so that full
					// points give exactly the applicable maximum.
					for col := range cg.appMax {
						if c.mask&(1<<col) != 0 {
							cg.appMax[col] += c.max
							cc.appMax[col] += c.max
						}
					}
				}
				p.byCode[c.code] = len(p.inds)
				p.inds = append(p.inds, c)
			}
			cc.to = len(p.inds)
		}
		cg.to = len(p.inds)
		p.groups = append(p.groups, cg)
	}
	for _, l := range s.Levels {
		cl := clevel{level: l.Level, mandatory: l.Mandatory == "all"}
		if t := l.EveryGroup; t != nil {
			for gi := range p.groups {
				cl.conds = append(cl.conds, cond(gi, *t))
			}
		}
		for _, code := range sortedKeys(l.Groups) {
			cl.conds = append(cl.conds, cond(groupIdx[code], l.Groups[code]))
		}
		if l.Index != nil {
			c := cond(-1, *l.Index)
			cl.index = &c
		}
		p.levels = append(p.levels, cl)
	}
	nMandatory := 0
	for i := range p.inds {
		if p.inds[i].mandatory {
			nMandatory++
		}
	}
	// The lists hold every indicator at most once, but for an unanswered
	// mandatory one, which is also failed.
	p.slab = newSlabs(len(p.groups), len(p.crits), len(p.inds), len(p.inds)+nMandatory)
	p.sorted = make([]int, 0, p.scoring)
	for i := range p.inds {
		if !p.inds[i].mandatory {
			p.sorted = append(p.sorted, i)
		}
	}
	slices.SortFunc(p.sorted, func(a, b int) int { return strings.Compare(p.inds[a].code, p.inds[b].code) })
	return p
}

func cond(group int, t Threshold) ccond {
	op, v := t.Op()
	return ccond{group: group, above: op == "above", value: v}
}

// compiled returns the set's plan, validating the set first when it was
// built in code and never validated (without keeping the result, so that
// concurrent callers never race; call Validate once to keep it).
func (s *Set) compiled() (*plan, error) {
	if s == nil {
		return nil, errors.New("indicators: nil set")
	}
	if s.plan != nil {
		return s.plan, nil
	}
	c := &checker{}
	c.check(s)
	if len(c.probs) > 0 {
		return nil, c.probs.sorted()
	}
	return compile(s), nil
}

// column returns the column of cgroup.appMax for a school level and the
// mask bit that says which indicators apply.
func (p *plan) column(schoolLevel string) (int, uint64, error) {
	if schoolLevel == "" {
		if p.anyOnly {
			return 0, 0, fmt.Errorf("%w: a school level is required: some indicators apply only to some levels", ErrSchoolLevel)
		}
		return p.allCol, ^uint64(0), nil
	}
	col, ok := p.levelCol[schoolLevel]
	if !ok {
		if p.agency && len(p.levelCol) == 0 {
			return 0, 0, fmt.Errorf("%w: this set assesses agencies, so school_level must be empty, got %q", ErrSchoolLevel, schoolLevel)
		}
		return 0, 0, fmt.Errorf("%w: %q is not one of the set's school levels (%s)", ErrSchoolLevel, schoolLevel, strings.Join(p.levelNames(), ", "))
	}
	return col, 1 << col, nil
}

func (p *plan) levelNames() []string {
	names := make([]string, len(p.levelCol))
	for l, c := range p.levelCol {
		names[c] = l
	}
	return names
}

// Score scores one assessment: the answers (by indicator code) of a unit
// at a school level ("" for a set without applies_to, or an agency set).
// An answer of KindNone counts as unanswered. Invalid answers give
// AnswerErrors naming each indicator; a school level the set does not
// cover gives an error matching ErrSchoolLevel.
//
// The computation is exactly the contract's: an indicator's points from
// its answer; a group's score = points ÷ applicable maximum × max (the
// points themselves when every indicator applies); the index by the set's
// method; the level the first whose conditions hold.
//
// Score lays the answers out as a sheet (on the stack for sets of up to
// 64 indicators) and scores that, as ScoreSheet does: one engine, and one
// pass over the map instead of a lookup in it per indicator.
func Score(set *Set, schoolLevel string, answers map[string]Answer) (*Result, error) {
	p, err := set.compiled()
	if err != nil {
		return nil, err
	}
	var buf [64]Answer
	var sheet Sheet
	if n := len(p.inds); n <= len(buf) {
		sheet = buf[:n]
	} else {
		sheet = make(Sheet, n)
	}
	var unknown []string
	for code, a := range answers {
		if i, ok := p.byCode[code]; ok {
			sheet[i] = a
		} else {
			unknown = append(unknown, code)
		}
	}
	return p.scoreSheet(schoolLevel, sheet, unknown)
}

// CheckAnswer checks one answer to one indicator at a school level
// without scoring anything: it returns exactly the error Score would for
// the answers {code: a} (an invalid set, a school level the set does not
// cover, an unknown code, an answer to an indicator that does not apply,
// or one that does not fit its indicator), and nil when Score would
// score them. An answer of KindNone is no answer and always fits.
func (s *Set) CheckAnswer(schoolLevel, code string, a Answer) error {
	p, err := s.compiled()
	if err != nil {
		return err
	}
	_, bit, err := p.column(schoolLevel)
	if err != nil {
		return err
	}
	i, ok := p.byCode[code]
	if !ok {
		return AnswerErrors{{Indicator: code, Message: "unknown indicator code", Code: AnswerErrUnknown}}
	}
	if a.Kind == KindNone {
		return nil
	}
	ind := &p.inds[i]
	if ind.mask&bit == 0 {
		return AnswerErrors{notApplicable(ind.code, schoolLevel)}
	}
	if _, bad := ind.score(&a); bad != nil {
		bad.Indicator = ind.code
		return AnswerErrors{bad}
	}
	return nil
}

// notApplicable is the error for an answer to an indicator that does not
// apply to the unit's school level.
func notApplicable(code, level string) *AnswerError {
	return &AnswerError{Indicator: code, Message: fmt.Sprintf("does not apply to %s units: leave it unanswered", level),
		Code: AnswerErrNotApplicable, Params: map[string]string{"level": level}}
}

// Sheet is one unit's answers laid out like set.Indicators(): sheet[i]
// answers the i-th indicator, and KindNone leaves it unanswered. It is
// the fast form for scoring many units (no lookups by code); build one
// with (*Set).Sheet.
type Sheet []Answer

// Sheet lays answers out in the set's order, refusing codes the set does
// not have.
func (s *Set) Sheet(answers map[string]Answer) (Sheet, error) {
	p, err := s.compiled()
	if err != nil {
		return nil, err
	}
	sheet := make(Sheet, len(p.inds))
	if err := p.lay(sheet, answers); err != nil {
		return nil, err
	}
	return sheet, nil
}

// lay puts answers in their places of sheet, refusing codes the set does
// not have (all of them, in code order).
func (p *plan) lay(sheet Sheet, answers map[string]Answer) error {
	var errs []indexedError
	for code, a := range answers {
		i, ok := p.byCode[code]
		if !ok {
			errs = append(errs, indexedError{len(p.inds), &AnswerError{Indicator: code, Message: "unknown indicator code", Code: AnswerErrUnknown}})
			continue
		}
		sheet[i] = a
	}
	if len(errs) > 0 {
		return sortErrors(errs)
	}
	return nil
}

// Overlay returns a copy of sheet with answers laid over it, as an
// evaluator's values are laid over a school's: an answer of KindNone
// clears its indicator. It refuses codes the set does not have, like
// Sheet. Copying a sheet is one copy of memory, where copying an answer
// map inserts every answer again.
func (s *Set) Overlay(sheet Sheet, answers map[string]Answer) (Sheet, error) {
	p, err := s.compiled()
	if err != nil {
		return nil, err
	}
	if len(sheet) != len(p.inds) {
		return nil, fmt.Errorf("indicators: a sheet of %d answers for set %s, which has %d indicators", len(sheet), s.Code, len(p.inds))
	}
	out := slices.Clone(sheet)
	if err := p.lay(out, answers); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseSheet is ParseAnswerMap straight into a Sheet of the set, without
// the answer map in between: it refuses answers of no JSON shape an
// answer has (AnswerErrShape, like ParseAnswerMap) and codes the set does
// not have (AnswerErrUnknown), each kind in code order.
func (s *Set) ParseSheet(raw map[string]json.RawMessage) (Sheet, error) {
	p, err := s.compiled()
	if err != nil {
		return nil, err
	}
	sheet := make(Sheet, len(p.inds))
	var shape, unknown AnswerErrors
	for code, msg := range raw {
		i, ok := p.byCode[code]
		if !ok {
			unknown = append(unknown, &AnswerError{Indicator: code, Message: "unknown indicator code", Code: AnswerErrUnknown})
			continue
		}
		if err := sheet[i].UnmarshalJSON(msg); err != nil {
			sheet[i] = Answer{}
			shape = append(shape, &AnswerError{Indicator: code, Message: err.Error(), Code: AnswerErrShape})
		}
	}
	if len(shape)+len(unknown) > 0 {
		slices.SortStableFunc(shape, func(a, b *AnswerError) int { return strings.Compare(a.Indicator, b.Indicator) })
		slices.SortStableFunc(unknown, func(a, b *AnswerError) int { return strings.Compare(a.Indicator, b.Indicator) })
		return nil, append(shape, unknown...)
	}
	return sheet, nil
}

// ScoreSheet is Score for answers laid out as a Sheet of the set.
func ScoreSheet(set *Set, schoolLevel string, sheet Sheet) (*Result, error) {
	p, err := set.compiled()
	if err != nil {
		return nil, err
	}
	if len(sheet) != len(p.inds) {
		return nil, fmt.Errorf("indicators: a sheet of %d answers for set %s, which has %d indicators", len(sheet), set.Code, len(p.inds))
	}
	return p.scoreSheet(schoolLevel, sheet, nil)
}

// scoreSheet is the engine: it scores a sheet of the plan at a school
// level; unknown are codes that are not the set's, reported after the
// other errors.
func (p *plan) scoreSheet(schoolLevel string, sheet Sheet, unknown []string) (*Result, error) {
	var sc scoring
	if err := sc.start(p, schoolLevel); err != nil {
		return nil, err
	}
	_, pts := sc.status()
	inds, pts, bit := p.inds[:len(sheet)], pts[:len(sheet)], sc.bit
	for i := range sheet {
		a, ind := &sheet[i], &inds[i]
		// Inline, the most common case: an applicable boolean indicator
		// with points, answered true or false.
		if a.Kind == KindBool && ind.kind == kindBoolean && !ind.mandatory && ind.mask&bit != 0 {
			if a.Bool {
				pts[i] = ind.points
			}
			continue
		}
		sc.add(i, a, a.Kind != KindNone)
	}
	return sc.finish(unknown)
}

// ScoreRaw scores one assessment given as its answers' JSON object split
// by code, on the sheet path: no answer map is built. Its result and its
// errors are exactly those of ParseAnswerMap followed by Score: answers
// of no JSON shape first and alone (in code order), then a school level
// the set does not cover, then every invalid answer in the set's order
// and the codes the set does not have (a null answer to one is no
// answer, as ParseAnswerMap drops it).
func ScoreRaw(set *Set, schoolLevel string, raw map[string]json.RawMessage) (*Result, error) {
	p, perr := set.compiled()
	var sheet Sheet
	if perr == nil {
		sheet = make(Sheet, len(p.inds))
	}
	var shape AnswerErrors
	var unknown []string
	for code, msg := range raw {
		var a Answer
		if err := a.UnmarshalJSON(msg); err != nil {
			shape = append(shape, &AnswerError{Indicator: code, Message: err.Error(), Code: AnswerErrShape})
			continue
		}
		if a.Kind == KindNone || perr != nil {
			continue
		}
		if i, ok := p.byCode[code]; ok {
			sheet[i] = a
		} else {
			unknown = append(unknown, code)
		}
	}
	if len(shape) > 0 {
		slices.SortFunc(shape, func(a, b *AnswerError) int { return strings.Compare(a.Indicator, b.Indicator) })
		return nil, shape
	}
	if perr != nil {
		return nil, perr
	}
	return p.scoreSheet(schoolLevel, sheet, unknown)
}

// scoring is one assessment being scored: Score and ScoreSheet feed it
// the answers indicator by indicator, in plan order (add checks each and
// keeps its points), then finish builds the result in one allocation.
type scoring struct {
	p     *plan
	level string
	col   int
	bit   uint64
	// st is a status per indicator (stNA, stUnanswered, stFailed) and pts
	// its points: in the arrays for sets of up to 128 indicators, so that
	// a scoring lives on the stack, else in stBig and ptsBig.
	stArr             [128]uint8
	ptsArr            [128]float64
	stBig             []uint8
	ptsBig            []float64
	errs              []indexedError
	nNA, nUn, nFailed int
}

const (
	stNA = 1 << iota
	stUnanswered
	stFailed
)

// start starts scoring at a school level.
func (sc *scoring) start(p *plan, schoolLevel string) error {
	col, bit, err := p.column(schoolLevel)
	if err != nil {
		return err
	}
	sc.p, sc.level, sc.col, sc.bit = p, schoolLevel, col, bit
	if n := len(p.inds); n > len(sc.stArr) {
		sc.stBig, sc.ptsBig = make([]uint8, n), make([]float64, n)
	}
	return nil
}

func (sc *scoring) status() ([]uint8, []float64) {
	if sc.stBig != nil {
		return sc.stBig, sc.ptsBig
	}
	n := len(sc.p.inds)
	return sc.stArr[:n], sc.ptsArr[:n]
}

// add checks and scores the answer to the i-th indicator (answered
// false: none).
func (sc *scoring) add(i int, a *Answer, answered bool) {
	ind := &sc.p.inds[i]
	st, pts := sc.status()
	if ind.mask&sc.bit == 0 {
		if answered {
			sc.errs = append(sc.errs, indexedError{i, notApplicable(ind.code, sc.level)})
		}
		st[i] = stNA
		sc.nNA++
		return
	}
	if !answered {
		st[i] = stUnanswered
		sc.nUn++
		if ind.mandatory {
			st[i] |= stFailed
			sc.nFailed++
		}
		return
	}
	v, bad := ind.score(a)
	switch {
	case bad != nil:
		bad.Indicator = ind.code
		sc.errs = append(sc.errs, indexedError{i, bad})
	case ind.mandatory:
		if !a.Bool {
			st[i] = stFailed
			sc.nFailed++
		}
	default:
		pts[i] = v
	}
}

// finish forms the lists, group scores, index and level; unknown are
// codes that are not the set's, reported after the other errors.
func (sc *scoring) finish(unknown []string) (*Result, error) {
	p := sc.p
	for _, code := range unknown {
		sc.errs = append(sc.errs, indexedError{len(p.inds), &AnswerError{Indicator: code, Message: "unknown indicator code", Code: AnswerErrUnknown}})
	}
	if len(sc.errs) > 0 {
		return nil, sortErrors(sc.errs)
	}
	st, pts := sc.status()
	nNA, nUn, total := sc.nNA, sc.nUn, sc.nNA+sc.nUn+sc.nFailed
	res, buf := p.slab.newResult(total)
	res.plan, res.bit = p, sc.bit
	// The points, each sum in plan order as the contract adds (the 0 of
	// an unanswered indicator would change no sum), and the lists, which
	// are in the slab: empty ones are [] in JSON, not null.
	na, un, failed := buf[:0:nNA], buf[nNA:nNA:nNA+nUn], buf[nNA+nUn:nNA+nUn:total]
	points, groups, crits := res.points[:len(st)], res.Groups, res.Criteria
	inds, pts := p.inds[:len(st)], pts[:len(st)]
	for i, s := range st {
		ind := &inds[i]
		switch {
		case s == 0:
			if !ind.mandatory {
				v := pts[i]
				points[i] = v
				groups[ind.group].Points += v
				crits[ind.crit].Points += v
			}
		case s&stNA != 0:
			na = append(na, ind.code)
		default:
			if s&stUnanswered != 0 {
				un = append(un, ind.code)
			}
			if s&stFailed != 0 {
				failed = append(failed, ind.code)
			}
		}
	}
	res.NotApplicable, res.Unanswered, res.MandatoryFailed = na, un, failed
	res.IndicatorPoints = IndicatorPoints{res: res}
	achievements := res.points[len(p.inds):cap(res.points)]
	col := sc.col
	for ci := range p.crits {
		c, cs := &p.crits[ci], &crits[ci]
		cs.Code, cs.ApplicableMax = c.code, c.appMax[col]
		if cs.ApplicableMax > 0 {
			achievements[ci] = cs.Points / cs.ApplicableMax * 100
			cs.Achievement = &achievements[ci]
		}
	}
	for gi := range p.groups {
		g, gs := &p.groups[gi], &res.Groups[gi]
		gs.Code, gs.Max, gs.ApplicableMax = g.code, g.max, g.appMax[sc.col]
		gs.Score = groupScore(gs.Points, gs.ApplicableMax, g.max)
	}
	res.Index = p.index(res.Groups)
	res.Level = p.level(res.Groups, res.Index, sc.nFailed > 0)
	return res, nil
}

// indexedError is an answer error with its indicator's position (len of
// the plan for unknown codes), to report errors in the set's order.
type indexedError struct {
	index int
	err   *AnswerError
}

func sortErrors(errs []indexedError) AnswerErrors {
	slices.SortFunc(errs, func(a, b indexedError) int {
		if c := cmp.Compare(a.index, b.index); c != 0 {
			return c
		}
		return strings.Compare(a.err.Indicator, b.err.Indicator)
	})
	out := make(AnswerErrors, len(errs))
	for i, e := range errs {
		out[i] = e.err
	}
	return out
}

// groupScore rescales a group's points to its scale. When every indicator
// applies the points are the score, exactly; otherwise dividing first
// keeps the result within [0, max] despite rounding.
func groupScore(points, appMax, max float64) float64 {
	if appMax == max {
		return points
	}
	return points / appMax * max
}

// index forms the unit's index from its group scores. weighted_mean and
// geometric_mean are on a 0–100 scale and clamped to it against rounding;
// the geometric mean of groups one of which scores 0 is 0 (the limit of
// the formula, where ln 0 is undefined).
func (p *plan) index(groups []GroupScore) float64 {
	switch p.method {
	case MethodSum:
		s := 0.0
		for _, g := range groups {
			s += g.Score
		}
		return s
	case MethodGeometricMean:
		s := 0.0
		for gi, g := range groups {
			if g.Score <= 0 {
				return 0
			}
			s += p.groups[gi].weight * math.Log(g.Score/g.Max*100)
		}
		return min(100, math.Exp(s/p.sumW))
	}
	s := 0.0
	for gi, g := range groups {
		s += g.Score / g.Max * 100 * p.groups[gi].weight
	}
	return min(100, s/p.sumW)
}

// level returns the first level whose conditions all hold.
func (p *plan) level(groups []GroupScore, index float64, mandatoryFailed bool) int {
	for _, l := range p.levels {
		if p.levelMet(l, groups, index, mandatoryFailed) {
			return l.level
		}
	}
	return p.levels[len(p.levels)-1].level // unreachable: the last level has no conditions
}

func (p *plan) levelMet(l clevel, groups []GroupScore, index float64, mandatoryFailed bool) bool {
	if l.mandatory && mandatoryFailed {
		return false
	}
	if l.index != nil && !l.index.met(index) {
		return false
	}
	for _, c := range l.conds {
		if !c.met(groups[c.group].Score) {
			return false
		}
	}
	return true
}

// score returns the points of an answer, or why the answer is invalid
// (without its indicator, which the caller fills in).
func (ind *cind) score(a *Answer) (float64, *AnswerError) {
	switch ind.kind {
	case kindBoolean:
		if a.Kind != KindBool {
			return 0, wrongShape(ind, *a)
		}
		if a.Bool {
			return ind.points, nil
		}
		return 0, nil
	case kindChoice:
		if a.Kind != KindOption {
			return 0, wrongShape(ind, *a)
		}
		i := optionIndex(ind.opts, a.Option)
		if i < 0 {
			return 0, unknownOption(ind, a.Option)
		}
		return ind.opts[i].Points, nil
	case kindMulti:
		if a.Kind != KindOptions {
			return 0, wrongShape(ind, *a)
		}
		s := 0.0
		for k, code := range a.Options {
			i := optionIndex(ind.opts, code)
			if i < 0 {
				return 0, unknownOption(ind, code)
			}
			if slices.Contains(a.Options[:k], code) {
				return 0, &AnswerError{Message: fmt.Sprintf("option %q is chosen twice", code), Code: AnswerErrOptionTwice, Params: map[string]string{"option": code}}
			}
			s += ind.opts[i].Points
		}
		if ind.cap > 0 && s > ind.cap {
			s = ind.cap
		}
		return s, nil
	default: // percent, number
		if a.Kind != KindNumber {
			return 0, wrongShape(ind, *a)
		}
		v := a.Number
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return 0, &AnswerError{Message: "the answer is not a finite number", Code: AnswerErrNotFinite}
		case v < 0:
			return 0, &AnswerError{Message: fmt.Sprintf("%s must not be negative, got %s", ind.typ, num(v)),
				Code: AnswerErrNegative, Params: map[string]string{"type": ind.typ, "value": num(v)}}
		case ind.kind == kindPercent && v > 100:
			return 0, &AnswerError{Message: fmt.Sprintf("a percent is from 0 to 100, got %s", num(v)),
				Code: AnswerErrPercentRange, Params: map[string]string{"value": num(v)}}
		}
		return ind.numberPoints(v), nil
	}
}

func unknownOption(ind *cind, code string) *AnswerError {
	return &AnswerError{Message: fmt.Sprintf("unknown option %q (options: %s)", code, optionCodes(ind.opts)),
		Code: AnswerErrUnknownOption, Params: map[string]string{"option": code, "options": optionCodes(ind.opts)}}
}

// numberPoints scores a valid percent or number value.
func (ind *cind) numberPoints(v float64) float64 {
	if ind.prop != nil {
		return ind.prop.Points * min(v/ind.prop.FullAt, 1)
	}
	for _, b := range ind.bands {
		if b.Min <= v {
			return b.Points
		}
	}
	return 0 // unreachable: the last band starts at 0
}

func wrongShape(ind *cind, a Answer) *AnswerError {
	return &AnswerError{Message: fmt.Sprintf("a %s indicator takes %s, got %s", ind.typ, wantShape(ind.typ), describeAnswer(a)),
		Code: AnswerErrWrongType, Params: map[string]string{"type": ind.typ, "got": shapeCode(a)}}
}

func optionCodes(opts []Option) string {
	codes := make([]string, len(opts))
	for i, o := range opts {
		codes[i] = o.Code
	}
	return strings.Join(codes, ", ")
}
