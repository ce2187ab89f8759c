package indicators

import (
	"math"
	"math/bits"
	"slices"
)

// Gap is what an assessed unit lacks to reach the next level: the plan a
// principal reads to prepare next year.
type Gap struct {
	// Level is the unit's level now; Next the level above it, or 0 when
	// Level is already the highest.
	Level int `json:"level"`
	Next  int `json:"next"`
	// Groups are the groups below the next level's thresholds.
	Groups []GroupGap `json:"groups"`
	// MandatoryFailed are the mandatory conditions the next level needs
	// and the unit does not meet (they also head Improvements).
	MandatoryFailed []string `json:"mandatory_failed"`
	// Improvements is the cheapest plan: every failed mandatory condition
	// (when the next level requires them), then per group the fewest
	// indicators whose improvement reaches the threshold — among plans
	// with as few indicators, the one that can gain the most points.
	Improvements []Improvement `json:"improvements"`
	// Index is the gap on the index when the next level has a condition
	// on it (format v1.1, e.g. Decision 3806's total); nil otherwise or
	// when the index already meets it.
	Index *IndexGap `json:"index,omitempty"`
	// Reachable is false only when even full marks cannot reach Next.
	Reachable bool `json:"reachable"`
}

// IndexGap is an index below the next level's index condition.
type IndexGap struct {
	Index float64 `json:"index"`
	// Op and Threshold are the condition: "above" or "at_least".
	Op        string  `json:"op"`
	Threshold float64 `json:"threshold"`
	// Missing is Threshold − Index.
	Missing float64 `json:"missing"`
	// NewIndex is the index after every improvement of the plan.
	NewIndex float64 `json:"new_index"`
}

// GroupGap is a group below the next level's threshold.
type GroupGap struct {
	Group string  `json:"group"`
	Score float64 `json:"score"`
	// Op and Threshold are the binding condition: "above" (score must
	// exceed Threshold) or "at_least" (score must reach it).
	Op        string  `json:"op"`
	Threshold float64 `json:"threshold"`
	// Missing is Threshold − Score, in the group's score points (for
	// "above", the score must gain strictly more than this).
	Missing float64 `json:"missing"`
	// NewScore is the group's score after the plan's improvements.
	NewScore float64 `json:"new_score"`
}

// Improvement is one indicator to change.
type Improvement struct {
	Indicator string `json:"indicator"`
	Group     string `json:"group"`
	Mandatory bool   `json:"mandatory,omitempty"`
	// ForIndex marks an improvement planned for the next level's index
	// condition (format v1.1), after the groups' own plans.
	ForIndex bool `json:"for_index,omitempty"`
	// Current is the answer now, nil when unanswered.
	Current *Answer `json:"current"`
	// Needed is the smallest answer that does the job (see NextLevel).
	Needed Answer `json:"needed"`
	// Points is what the indicator gains (0 for a mandatory condition).
	Points float64 `json:"points"`
	// GroupScore is the group's score once this improvement and the
	// group's earlier ones in the list are made.
	GroupScore float64 `json:"group_score"`
}

// NextLevel scores an assessment and returns its gap to the next level.
//
// The indicators to change are chosen per group (each indicator belongs to
// one group, so groups are independent): taking the indicators in
// decreasing order of the points they can gain, the shortest prefix that
// reaches the threshold is the smallest plan, and of all plans that small
// it gains the most. Then each chosen indicator's needed answer is lowered
// to the smallest answer that still reaches the threshold — the lowest
// band, the fewest options, the lowest whole percent or count — starting
// with the indicator that gains least, because a principal plans for what
// is needed, not for full marks. Lowering never drops an indicator: the
// plan stays the smallest.
func NextLevel(set *Set, schoolLevel string, answers map[string]Answer) (*Gap, error) {
	p, err := set.compiled()
	if err != nil {
		return nil, err
	}
	res, err := Score(set, schoolLevel, answers)
	if err != nil {
		return nil, err
	}
	col, bit, _ := p.column(schoolLevel) // valid: Score accepted it
	gap := &Gap{Level: res.Level, Reachable: true}
	li := slices.IndexFunc(p.levels, func(l clevel) bool { return l.level == res.Level })
	if li <= 0 {
		return gap, nil // the highest level
	}
	next := p.levels[li-1]
	gap.Next = next.level

	pts := res.points        // each indicator's points now, in the order Score sums them
	all := slices.Clone(pts) // the points after the plan so far, all groups
	current := func(code string) *Answer {
		if a, ok := answers[code]; ok {
			return &a
		}
		return nil
	}

	if next.mandatory {
		for _, code := range res.MandatoryFailed {
			i := p.byCode[code]
			gap.MandatoryFailed = append(gap.MandatoryFailed, code)
			gap.Improvements = append(gap.Improvements, Improvement{
				Indicator: code, Group: p.groups[p.inds[i].group].code, Mandatory: true,
				Current: current(code), Needed: BoolAnswer(true),
				GroupScore: res.Groups[p.inds[i].group].Score,
			})
		}
	}

	for gi := range p.groups {
		g := &p.groups[gi]
		var conds []ccond
		for _, c := range next.conds {
			if c.group == gi {
				conds = append(conds, c)
			}
		}
		score := res.Groups[gi].Score
		meets := func(s float64) bool {
			for _, c := range conds {
				if !c.met(s) {
					return false
				}
			}
			return true
		}
		if meets(score) {
			continue
		}
		binding := bindingCond(conds)
		gg := GroupGap{Group: g.code, Score: score, Threshold: binding.value, Missing: binding.value - score, Op: "at_least"}
		if binding.above {
			gg.Op = "above"
		}

		work := slices.Clone(pts)
		scoreOf := func() float64 {
			sum := 0.0
			for i := g.from; i < g.to; i++ {
				sum += work[i]
			}
			return groupScore(sum, g.appMax[col], g.max)
		}
		var cands []int
		for i := g.from; i < g.to; i++ {
			if ind := &p.inds[i]; !ind.mandatory && ind.mask&bit != 0 && pts[i] < ind.max {
				cands = append(cands, i)
			}
		}
		slices.SortStableFunc(cands, func(a, b int) int {
			ga, gb := p.inds[a].max-pts[a], p.inds[b].max-pts[b]
			switch {
			case ga > gb:
				return -1
			case ga < gb:
				return 1
			}
			return 0
		})
		// needed[k] is the answer planned for chosen[k].
		var chosen []int
		var needed []Answer
		met := false
		for _, i := range cands {
			steps := p.inds[i].steps(current(p.inds[i].code), pts[i])
			if len(steps) == 0 {
				continue
			}
			top := steps[len(steps)-1]
			work[i] = top.points
			chosen = append(chosen, i)
			needed = append(needed, top.answer)
			if meets(scoreOf()) {
				met = true
				break
			}
		}
		if !met {
			gap.Reachable = false
		} else {
			for k := len(chosen) - 1; k >= 0; k-- {
				i := chosen[k]
				ind := &p.inds[i]
				if a, v, ok := ind.lowest(current(ind.code), pts[i], work, i, func() bool { return meets(scoreOf()) }); ok {
					needed[k], work[i] = a, v
				}
			}
		}
		// Report in the order chosen, each with the group's running score.
		run := slices.Clone(pts)
		for k, i := range chosen {
			run[i] = work[i]
			sum := 0.0
			for j := g.from; j < g.to; j++ {
				sum += run[j]
			}
			gap.Improvements = append(gap.Improvements, Improvement{
				Indicator: p.inds[i].code, Group: g.code,
				Current: current(p.inds[i].code), Needed: needed[k],
				Points: work[i] - pts[i], GroupScore: groupScore(sum, g.appMax[col], g.max),
			})
		}
		gg.NewScore = scoreOf()
		gap.Groups = append(gap.Groups, gg)
		copy(all[g.from:g.to], work[g.from:g.to])
	}
	if next.index != nil && !next.index.met(res.Index) {
		p.indexGap(gap, next.index, res, all, col, bit, current)
	}
	return gap, nil
}

// indexGap plans for a condition on the index (format v1.1) on top of the
// group plans already in gap (whose points are in work): taking the other
// indicators in decreasing order of what they add to the index, the
// shortest prefix that meets the condition, each then lowered to the
// smallest answer that still meets it.
func (p *plan) indexGap(gap *Gap, c *ccond, res *Result, work []float64, col int, bit uint64, current func(string) *Answer) {
	gs := make([]GroupScore, len(p.groups))
	indexOf := func() float64 {
		for gi := range p.groups {
			g := &p.groups[gi]
			sum := 0.0
			for i := g.from; i < g.to; i++ {
				sum += work[i]
			}
			gs[gi] = GroupScore{Code: g.code, Max: g.max, Score: groupScore(sum, g.appMax[col], g.max)}
		}
		return p.index(gs)
	}
	ig := &IndexGap{Index: res.Index, Threshold: c.value, Missing: c.value - res.Index, Op: "at_least"}
	if c.above {
		ig.Op = "above"
	}
	gap.Index = ig
	meets := func() bool { return c.met(indexOf()) }
	planned := map[string]bool{}
	for _, im := range gap.Improvements {
		planned[im.Indicator] = true
	}
	type cand struct {
		i    int
		gain float64
	}
	var cands []cand
	base := indexOf()
	for i := range p.inds {
		ind := &p.inds[i]
		if ind.mandatory || ind.mask&bit == 0 || planned[ind.code] || work[i] >= ind.max {
			continue
		}
		saved := work[i]
		work[i] = ind.max
		cands = append(cands, cand{i, indexOf() - base})
		work[i] = saved
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.gain > b.gain:
			return -1
		case a.gain < b.gain:
			return 1
		}
		return 0
	})
	var chosen []int
	var needed []Answer
	met := meets()
	for _, cd := range cands {
		if met {
			break
		}
		ind := &p.inds[cd.i]
		steps := ind.steps(current(ind.code), res.points[cd.i])
		if len(steps) == 0 {
			continue
		}
		top := steps[len(steps)-1]
		work[cd.i] = top.points
		chosen = append(chosen, cd.i)
		needed = append(needed, top.answer)
		met = meets()
	}
	if !met {
		gap.Reachable = false
	} else {
		for k := len(chosen) - 1; k >= 0; k-- {
			i := chosen[k]
			ind := &p.inds[i]
			if a, v, ok := ind.lowest(current(ind.code), res.points[i], work, i, meets); ok {
				needed[k], work[i] = a, v
			}
		}
	}
	ig.NewIndex = indexOf()
	for k, i := range chosen {
		g := p.inds[i].group
		gap.Improvements = append(gap.Improvements, Improvement{
			Indicator: p.inds[i].code, Group: p.groups[g].code, ForIndex: true,
			Current: current(p.inds[i].code), Needed: needed[k],
			Points: work[i] - res.points[i], GroupScore: gs[g].Score,
		})
	}
}

// bindingCond is the strictest of a group's conditions: the highest
// threshold, above winning a tie with at_least.
func bindingCond(conds []ccond) ccond {
	b := conds[0]
	for _, c := range conds[1:] {
		if c.value > b.value || (c.value == b.value && c.above) {
			b = c
		}
	}
	return b
}

// step is an answer that raises an indicator to points.
type step struct {
	points float64
	answer Answer
}

// steps lists the answers that raise an indicator above its current
// points, by increasing points, one per reachable points value: for each,
// the smallest such answer (the lowest band, the first option in the
// set's order, the fewest extra options). A proportional indicator gets
// only its full value here; lowest finds smaller values.
func (ind *cind) steps(cur *Answer, curPts float64) []step {
	var out []step
	add := func(pts float64, a Answer) {
		if pts <= curPts {
			return
		}
		for k := range out {
			if out[k].points == pts {
				return // an earlier, smaller answer gives as much
			}
		}
		out = append(out, step{pts, a})
	}
	switch ind.typ {
	case TypeBoolean:
		add(ind.points, BoolAnswer(true))
	case TypeChoice:
		for _, o := range ind.opts {
			add(o.Points, ChoiceAnswer(o.Code))
		}
	case TypeMulti:
		ind.multiSteps(cur, add)
	default:
		if ind.prop != nil {
			add(ind.prop.Points, NumberAnswer(ind.prop.FullAt))
			break
		}
		// Walk from the last band (lowest min) up, so that for equal
		// points the lowest min comes first.
		for k := len(ind.bands) - 1; k >= 0; k-- {
			add(ind.bands[k].Points, NumberAnswer(ind.bands[k].Min))
		}
	}
	slices.SortStableFunc(out, func(a, b step) int {
		switch {
		case a.points < b.points:
			return -1
		case a.points > b.points:
			return 1
		}
		return 0
	})
	return out
}

// maxExactOptions bounds the options a multi indicator may have for its
// steps to be found by trying every subset (2^12 = 4096); beyond it the
// options are added greedily, largest first.
const maxExactOptions = 12

// multiSteps adds, for each total a multi indicator can reach by adding
// options to the current ones, the answer with the fewest added options.
func (ind *cind) multiSteps(cur *Answer, add func(float64, Answer)) {
	chosen := make([]bool, len(ind.opts))
	base := 0.0
	if cur != nil && cur.Kind == KindOptions {
		for _, code := range cur.Options {
			if i := optionIndex(ind.opts, code); i >= 0 && !chosen[i] {
				chosen[i] = true
				base += ind.opts[i].Points
			}
		}
	}
	var free []int
	for i, o := range ind.opts {
		if !chosen[i] && o.Points > 0 {
			free = append(free, i)
		}
	}
	total := func(extra float64) float64 {
		t := base + extra
		if ind.cap > 0 && t > ind.cap {
			t = ind.cap
		}
		return t
	}
	answer := func(extra []int) Answer {
		sel := slices.Clone(chosen)
		for _, i := range extra {
			sel[i] = true
		}
		codes := []string{}
		for i, on := range sel {
			if on {
				codes = append(codes, ind.opts[i].Code)
			}
		}
		return MultiAnswer(codes...)
	}
	if len(free) <= maxExactOptions {
		masks := make([]uint, 0, 1<<len(free))
		for m := uint(1); m < 1<<len(free); m++ {
			masks = append(masks, m)
		}
		// Fewest options first, then the earliest options of the set.
		slices.SortStableFunc(masks, func(a, b uint) int { return bits.OnesCount(a) - bits.OnesCount(b) })
		for _, m := range masks {
			var extra []int
			sum := 0.0
			for k, i := range free {
				if m&(1<<k) != 0 {
					extra = append(extra, i)
					sum += ind.opts[i].Points
				}
			}
			add(total(sum), answer(extra))
		}
		return
	}
	slices.SortStableFunc(free, func(a, b int) int {
		switch pa, pb := ind.opts[a].Points, ind.opts[b].Points; {
		case pa > pb:
			return -1
		case pa < pb:
			return 1
		}
		return 0
	})
	sum := 0.0
	for k, i := range free {
		sum += ind.opts[i].Points
		add(total(sum), answer(free[:k+1]))
	}
}

// lowest finds the smallest answer to indicator i that still satisfies
// ok (which reads work), trying values in increasing order; work[i] is
// left as it was. For a proportional indicator it searches whole values
// (a whole percent, a whole count) up to full_at.
func (ind *cind) lowest(cur *Answer, curPts float64, work []float64, i int, ok func() bool) (Answer, float64, bool) {
	saved := work[i]
	defer func() { work[i] = saved }()
	if ind.prop != nil {
		from := 0.0
		if cur != nil && cur.Kind == KindNumber {
			from = math.Floor(cur.Number) + 1
		}
		full := ind.prop.FullAt
		value := func(v float64) float64 { return min(v, full) }
		tries := func(v float64) bool {
			work[i] = ind.numberPoints(value(v))
			return work[i] > curPts && ok()
		}
		lo, hi := from, math.Ceil(full)
		if lo > hi || !tries(hi) {
			return Answer{}, 0, false
		}
		if hi > 1<<52 {
			// Whole numbers stop being exact: keep the full value.
			return NumberAnswer(full), ind.prop.Points, true
		}
		for lo < hi { // smallest whole v in [lo, hi] that works
			mid := math.Floor((lo + hi) / 2)
			if tries(mid) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		v := value(hi)
		return NumberAnswer(v), ind.numberPoints(v), true
	}
	for _, s := range ind.steps(cur, curPts) {
		work[i] = s.points
		if ok() {
			return s.answer, s.points, true
		}
	}
	return Answer{}, 0, false
}
