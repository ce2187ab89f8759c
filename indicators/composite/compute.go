// Package composite computes composite indexes over arbitrary indicator data
// with the conventions of COINr, the R reference implementation of the
// JRC/OECD composite-indicator methodology, so that a department that keeps
// its indicators in a spreadsheet (a province's DTI, say) gets the numbers
// its statisticians get from COINr.
//
// The inputs are COINr's iData (one row per unit: uCode, uName, Group_*
// columns, one column per indicator) and iMeta (one row per indicator,
// aggregate or group: iCode, iName, Level, Parent, Direction, Weight, Type).
// The pipeline is COINr's: multiply each indicator by its Direction,
// normalise it (min–max onto [0, 100] by default, as n_minmax), then, level by
// level, aggregate each node's children with the weighted arithmetic mean
// (a_amean: missing children are skipped and the remaining weights
// renormalised) or the weighted geometric mean (a_gmean). Ranks are COINr's:
// rank(-x, ties.method = "min"), missing left unranked.
//
// The package is pure computation and knows nothing of the indicator sets of
// package indicators; the rank-robustness analysis plugs in through
// Results.Weights, Results.ScoreIndex and Rank.
package composite

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Normalisation methods (Options.Normalise).
const (
	// MinMax is COINr's n_minmax: (x − min)/(max − min)·(u − l) + l, over
	// the non-missing values; an indicator whose values are all equal
	// becomes missing (COINr returns NaN and warns).
	MinMax = "minmax"
	// ZScore is COINr's n_zscore with its default m_sd = c(0, 1):
	// (x − mean)/sd, sd with n − 1; an indicator with sd 0 or fewer than two
	// values becomes missing.
	ZScore = "zscore"
)

// Aggregation methods (Options.Aggregate).
const (
	// ArithmeticMean is COINr's a_amean: Σ wᵢxᵢ/Σ wᵢ over the present
	// children; missing when none is present.
	ArithmeticMean = "amean"
	// GeometricMean is COINr's a_gmean: exp(Σ wᵢ ln xᵢ/Σ wᵢ) over the
	// present children. Like COINr it refuses values ≤ 0, so it needs a
	// normalisation onto positive values (min–max onto [1, 100], say).
	GeometricMean = "gmean"
)

// Options chooses the methods. The zero value is COINr's default pipeline:
// min–max onto [0, 100] and the weighted arithmetic mean.
type Options struct {
	// Normalise is MinMax (also when empty) or ZScore.
	Normalise string
	// Aggregate is ArithmeticMean (also when empty) or GeometricMean.
	Aggregate string
	// Lower and Upper are the min–max target interval, COINr's l_u; both
	// zero means [0, 100].
	Lower, Upper float64
	// Group, when set, names a group column of iData within whose values
	// units are also ranked (Results.GroupRank).
	Group string
}

// Results are the aggregates and ranks of every unit.
type Results struct {
	// Units are the uCodes, in iData order.
	Units []string
	// Codes are the aggregates, lowest level first, the index last.
	Codes []string
	// Scores[a][i] is aggregate Codes[a] of unit i; NaN when missing.
	Scores [][]float64
	// Rank is each unit's rank on the index (1 = best, ties share the best
	// rank); 0 when its index is missing.
	Rank []int
	// GroupColumn is Options.Group; Group holds its values per unit and
	// GroupRank the rank of each unit among the units of its group (0 when
	// its index or its group is missing).
	GroupColumn string
	Group       []string
	GroupRank   []int
	// Warnings are facts worth telling the user that do not stop the
	// computation, such as an indicator with no spread.
	Warnings []string

	meta   *Meta
	values [][]float64 // the raw indicators, as read (never modified)
	norm   []normParams
	geo    bool

	// ScoreIndex runs many times: it works from normalised columns made
	// once, on its first call, where Compute normalises on the fly into a
	// small buffer rather than hold a second copy of the data.
	once   sync.Once
	stored [][]float64
	pool   sync.Pool // *scratch
}

// normParams turn an indicator's raw values into normalised ones:
// (x·dir − center)/scale·span + lo, the formula of both n_minmax and
// n_zscore (the latter with span 1, lo 0), evaluated in COINr's order.
type normParams struct {
	dir, center, scale, span, lo float64
	missing                      bool // no unit has a value (or no spread)
	hasNaN                       bool // some unit has no value
}

func (p *normParams) apply(x, dst []float64, logs bool) {
	if p.missing {
		fill(dst, math.NaN())
		return
	}
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = (v*p.dir-p.center)/p.scale*p.span + p.lo
	}
	if logs {
		for i, v := range dst {
			dst[i] = math.Log(v)
		}
	}
}

// Index returns the index of every unit (the last of Scores).
func (r *Results) Index() []float64 { return r.Scores[len(r.Scores)-1] }

// Normalised returns indicator k (in Meta.Indicators order) of every unit
// after direction and normalisation; NaN when missing.
func (r *Results) Normalised(k int) []float64 {
	out := make([]float64, len(r.Units))
	r.norm[k].apply(r.values[k], out, false)
	return out
}

// Compute runs the pipeline on d, which must have been parsed against m. It
// keeps a reference to d.Values and does not modify it.
func Compute(m *Meta, d *Data, opts Options) (*Results, error) {
	switch opts.Normalise {
	case "", MinMax, ZScore:
	default:
		return nil, fmt.Errorf("composite: unknown normalisation %q; want %s or %s", opts.Normalise, MinMax, ZScore)
	}
	switch opts.Aggregate {
	case "", ArithmeticMean, GeometricMean:
	default:
		return nil, fmt.Errorf("composite: unknown aggregation %q; want %s or %s", opts.Aggregate, ArithmeticMean, GeometricMean)
	}
	lo, hi := opts.Lower, opts.Upper
	if lo == 0 && hi == 0 {
		hi = 100
	}
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("composite: min–max interval [%v, %v] is empty or infinite", lo, hi)
	}
	if len(d.Values) != m.NumIndicators {
		return nil, fmt.Errorf("composite: data has %d indicators, meta %d: parse the data against this meta", len(d.Values), m.NumIndicators)
	}
	n := len(d.Units)
	for k, col := range d.Values {
		if len(col) != n {
			return nil, fmt.Errorf("composite: indicator %s has %d values for %d units", m.Nodes[k].Code, len(col), n)
		}
	}
	r := &Results{Units: d.Units, meta: m, values: d.Values, geo: opts.Aggregate == GeometricMean}

	// Normalisation parameters, one indicator per goroutine.
	r.norm = make([]normParams, m.NumIndicators)
	warn := make([]string, m.NumIndicators)
	parallel(m.NumIndicators, func(k int) {
		p := &r.norm[k]
		p.dir = float64(m.Nodes[k].Direction)
		if opts.Normalise == ZScore {
			warn[k] = zscoreParams(d.Values[k], p)
		} else {
			warn[k] = minmaxParams(d.Values[k], lo, hi, p)
		}
	})
	for k, w := range warn {
		if w != "" {
			r.Warnings = append(r.Warnings, fmt.Sprintf("indicator %s: %s; it is missing for every unit", m.Nodes[k].Code, w))
		}
	}

	if r.geo {
		// COINr's a_gmean stops on a value ≤ 0; so do we, naming one.
		buf := make([]float64, n)
		for k := range r.norm {
			r.norm[k].apply(d.Values[k], buf, false)
			for i, v := range buf {
				if v <= 0 {
					return nil, fmt.Errorf("composite: the geometric mean needs positive values, but unit %s has %s = %v after normalisation; normalise onto a positive interval, e.g. min–max onto [1, 100]", d.Units[i], m.Nodes[k].Code, v)
				}
			}
		}
	}

	// The group column's ids take a pass of hashing that needs no score:
	// they are worked out while the aggregates are computed.
	var group []string
	var groupErr error
	var gids chan groupIDsResult
	if opts.Group != "" {
		group = d.Group(opts.Group)
		switch {
		case group == nil:
			groupErr = fmt.Errorf("composite: iData has no group column %q (it has %v)", opts.Group, d.GroupColumns)
		case len(group) != n:
			groupErr = fmt.Errorf("composite: group column %q has %d values for %d units", opts.Group, len(group), n)
		default:
			gids = make(chan groupIDsResult, 1)
			go func() {
				ids, ng := groupIDs(group)
				gids <- groupIDsResult{ids, ng}
			}()
		}
	}

	na := len(m.Nodes) - m.NumIndicators
	block := make([]float64, n*na)
	r.Scores = make([][]float64, na)
	for a := range na {
		r.Scores[a] = block[a*n : (a+1)*n : (a+1)*n]
		r.Codes = append(r.Codes, m.Nodes[m.NumIndicators+a].Code)
	}
	aggNaN := make([]bool, na)
	r.aggregate(r.Weights(), r.Scores, aggNaN, true, nil)
	if r.geo {
		parallel(na, func(a int) {
			for i, v := range r.Scores[a] {
				r.Scores[a][i] = math.Exp(v)
			}
		})
	}

	if groupErr != nil {
		return nil, groupErr
	}
	r.Rank = make([]int, n)
	if gids == nil {
		Rank(r.Index(), r.Rank)
		return r, nil
	}
	// The two rankings share one sort of the index, then run on two cores.
	r.GroupColumn, r.Group = opts.Group, group
	r.GroupRank = make([]int, n)
	rankBoth(r.Index(), r.Rank, r.GroupRank, gids)
	return r, nil
}

type groupIDsResult struct {
	ids []int32
	n   int
}

// minmaxParams sets p for COINr's n_minmax of dir·x onto [lo, hi] and
// returns why the indicator is all missing, if it is.
func minmaxParams(x []float64, lo, hi float64, p *normParams) string {
	// The range of the raw values; with direction −1 it is mirrored, which
	// is exact.
	mn, mx := math.Inf(1), math.Inf(-1)
	nan := false
	for _, v := range x {
		// NaN fails both comparisons.
		if v < mn {
			mn = v
		}
		if v > mx {
			mx = v
		}
		if v != v {
			nan = true
		}
	}
	if p.dir < 0 {
		mn, mx = -mx, -mn
	}
	p.hasNaN = nan
	p.center, p.scale, p.span, p.lo = mn, mx-mn, hi-lo, lo
	switch {
	case mn > mx:
		p.missing = true
		return "no values"
	case mn == mx:
		// COINr: 0/0, NaN for every unit, with a warning.
		p.missing = true
		return "all values are equal, so min–max normalisation divides by zero"
	}
	return ""
}

// zscoreParams sets p for COINr's n_zscore of dir·x with m_sd = c(0, 1).
func zscoreParams(x []float64, p *normParams) string {
	var sum float64
	cnt := 0
	for _, v := range x {
		if v == v {
			sum += v * p.dir
			cnt++
		}
	}
	p.hasNaN = cnt < len(x)
	p.span, p.lo = 1, 0
	if cnt < 2 {
		p.missing = true
		return "fewer than two values, so the standard deviation is undefined"
	}
	// R's mean() refines the plain mean with a second pass.
	mean := sum / float64(cnt)
	var corr float64
	for _, v := range x {
		if v == v {
			corr += v*p.dir - mean
		}
	}
	mean += corr / float64(cnt)
	var ss float64
	for _, v := range x {
		if v == v {
			d := v*p.dir - mean
			ss += d * d
		}
	}
	p.center, p.scale = mean, math.Sqrt(ss/float64(cnt-1))
	if p.scale == 0 {
		p.missing = true
		return "all values are equal, so the standard deviation is zero"
	}
	return ""
}

// Weights returns the weights of every node below the index, in Meta.Nodes
// order: the weights a robustness analysis perturbs (all children of all
// aggregates) and ScoreIndex takes.
func (r *Results) Weights() []float64 {
	nodes := r.meta.Nodes[:len(r.meta.Nodes)-1]
	w := make([]float64, len(nodes))
	for j := range nodes {
		w[j] = nodes[j].Weight
	}
	return w
}

// ScoreIndex recomputes the index of every unit into out with the weights w
// (as Weights returns them; w[j] weighs Meta.Nodes[j]) from the same
// normalised data. It is safe for concurrent use, and fits the score argument
// of robustness.Ranks. With a w or out of the wrong length it only
// fills out with NaN.
func (r *Results) ScoreIndex(w, out []float64) {
	if len(w) != len(r.meta.Nodes)-1 || len(out) != len(r.Units) {
		fill(out, math.NaN())
		return
	}
	r.once.Do(func() {
		k := r.meta.NumIndicators
		n := len(r.Units)
		block := make([]float64, n*k)
		r.stored = make([][]float64, k)
		parallel(k, func(k int) {
			r.stored[k] = block[k*n : (k+1)*n : (k+1)*n]
			r.norm[k].apply(r.values[k], r.stored[k], r.geo)
		})
	})
	sc, _ := r.pool.Get().(*scratch)
	if sc == nil {
		na := len(r.Scores)
		n := len(r.Units)
		block := make([]float64, n*na)
		sc = &scratch{cols: make([][]float64, na), nan: make([]bool, na), den: make([]float64, n)}
		for a := range na {
			sc.cols[a] = block[a*n : (a+1)*n : (a+1)*n]
		}
	}
	r.aggregate(w, sc.cols, sc.nan, false, sc.den)
	idx := sc.cols[len(sc.cols)-1]
	if r.geo {
		for i, v := range idx {
			out[i] = math.Exp(v)
		}
	} else {
		copy(out, idx)
	}
	r.pool.Put(sc)
}

// scratch is the working memory of one ScoreIndex call.
type scratch struct {
	cols [][]float64
	nan  []bool
	den  []float64
}

// aggregate computes every aggregate, level by level, with weights w into
// cols (one per aggregate), and whether each has a missing value into nan.
// For the geometric mean the columns hold logarithms. With par, each level
// is cut into tasks, a node and a run of units each (every unit's aggregate
// depends on that unit's values only), computed in parallel; den, if given,
// is scratch space for the sequential case.
func (r *Results) aggregate(w []float64, cols [][]float64, nan []bool, par bool, den []float64) {
	m := r.meta
	n := len(r.Units)
	ni := m.NumIndicators
	nodes := m.Nodes
	pieces := 1
	if par && n >= 4096 {
		// More pieces than cores, so that a core that is late (another
		// process had it) leaves the others the pieces left, not a wait.
		pieces = piecesPerCore * runtime.GOMAXPROCS(0)
	}
	for lo := ni; lo < len(nodes); {
		hi := lo
		for hi < len(nodes) && nodes[hi].Level == nodes[lo].Level {
			hi++
		}
		if par && (hi-lo > 1 || pieces > 1) {
			parallel((hi-lo)*pieces, func(t int) {
				a := lo + t/pieces
				p := t % pieces
				rlo, rhi := n*p/pieces, n*(p+1)/pieces
				r.aggregateNode(a, w, cols, nan, make([]float64, rhi-rlo), make([]float64, rhi-rlo), rlo, rhi)
			})
		} else {
			var buf []float64
			if r.stored == nil {
				buf = make([]float64, n)
			}
			if den == nil {
				den = make([]float64, n)
			}
			for a := lo; a < hi; a++ {
				r.aggregateNode(a, w, cols, nan, buf, den, 0, n)
			}
		}
		for a := lo; a < hi; a++ {
			nan[a-ni] = hasNaN(cols[a-ni])
		}
		lo = hi
	}
}

// child returns the column of node c for the units lo to hi, normalising an
// indicator into buf unless the normalised columns are stored, and whether
// it has a missing value (for any unit).
func (r *Results) child(c int, cols [][]float64, nan []bool, buf []float64, lo, hi int) ([]float64, bool) {
	ni := r.meta.NumIndicators
	if c >= ni {
		return cols[c-ni][lo:hi], nan[c-ni]
	}
	p := &r.norm[c]
	if r.stored != nil {
		return r.stored[c][lo:hi], p.hasNaN || p.missing
	}
	p.apply(r.values[c][lo:hi], buf, r.geo)
	return buf[:hi-lo], p.hasNaN || p.missing
}

// aggregateNode computes aggregate a (a position in Meta.Nodes) for the
// units lo to hi; buf and den hold at least hi − lo values. The caller sets
// nan[a] once every unit is done.
func (r *Results) aggregateNode(a int, w []float64, cols [][]float64, nan []bool, buf, den []float64, lo, hi int) {
	ni := r.meta.NumIndicators
	children := r.meta.Nodes[a].Children
	dst := cols[a-ni][lo:hi]
	if r.geo {
		r.lmean(children, w, cols, nan, dst, buf, den[:hi-lo], lo, hi)
	} else {
		r.amean(children, w, cols, nan, dst, buf, den[:hi-lo], lo, hi)
	}
}

// amean is COINr's a_amean of the children of one aggregate, for every unit:
// the weights of the present children are rescaled to sum to 1, then
// Σ wᵢxᵢ, in this order, as COINr computes it.
func (r *Results) amean(children []int, w []float64, cols [][]float64, nan []bool, dst, buf, den []float64, lo, hi int) {
	ni := r.meta.NumIndicators
	anyNaN := false
	var total float64
	for _, c := range children {
		total += w[c]
		if c < ni {
			anyNaN = anyNaN || r.norm[c].hasNaN || r.norm[c].missing
		} else {
			anyNaN = anyNaN || nan[c-ni]
		}
	}
	if !anyNaN {
		if total == 0 {
			fill(dst, math.NaN()) // COINr: 0/0
			return
		}
		for j, c := range children {
			x, _ := r.child(c, cols, nan, buf, lo, hi)
			x = x[:len(dst)]
			wc := w[c] / total
			if j == 0 {
				for i, v := range x {
					dst[i] = wc * v
				}
				continue
			}
			for i, v := range x {
				dst[i] += wc * v
			}
		}
		return
	}
	// Some unit lacks some child: first each unit's total weight of its
	// present children, from the raw values (missing is missing before and
	// after normalisation), then the sum.
	clear(den)
	for _, c := range children {
		var x []float64
		if c < ni {
			if r.norm[c].missing {
				continue
			}
			x = r.values[c][lo:hi]
		} else {
			x = cols[c-ni][lo:hi]
		}
		wc := w[c]
		for i, v := range x[:len(den)] {
			if v == v {
				den[i] += wc
			}
		}
	}
	clear(dst)
	for _, c := range children {
		if c < ni && r.norm[c].missing {
			continue
		}
		x, _ := r.child(c, cols, nan, buf, lo, hi)
		wc := w[c]
		for i, v := range x[:len(dst)] {
			if v == v {
				dst[i] += wc / den[i] * v
			}
		}
	}
	for i, d := range den {
		// No child present, or only children of weight 0 (COINr: 0/0).
		if d == 0 {
			dst[i] = math.NaN()
		}
	}
}

// lmean is the logarithm of COINr's a_gmean, Σ wᵢ ln xᵢ/Σ wᵢ over the present
// children, from the children's logarithms.
func (r *Results) lmean(children []int, w []float64, cols [][]float64, nan []bool, dst, buf, den []float64, lo, hi int) {
	ni := r.meta.NumIndicators
	clear(den)
	clear(dst)
	for _, c := range children {
		if c < ni && r.norm[c].missing {
			continue
		}
		x, _ := r.child(c, cols, nan, buf, lo, hi)
		wc := w[c]
		for i, v := range x[:len(dst)] {
			if v == v {
				dst[i] += wc * v
				den[i] += wc
			}
		}
	}
	for i, d := range den {
		if d == 0 {
			dst[i] = math.NaN()
		} else {
			dst[i] /= d
		}
	}
}

func hasNaN(x []float64) bool {
	for _, v := range x {
		if v != v {
			return true
		}
	}
	return false
}

func fill(x []float64, v float64) {
	for i := range x {
		x[i] = v
	}
}

// parallel runs f(0) … f(n−1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for k := range n {
			f(k)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for k := range n {
		next <- k
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				f(k)
			}
		}()
	}
	wg.Wait()
}

func maxProcs() int { return runtime.GOMAXPROCS(0) }
