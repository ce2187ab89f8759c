package robustness

// Rank robustness: how much of a ranking is an artefact of the weights.
//
// Weights are a judgement, not a measurement. Ranks re-scores the
// units many times with every weight multiplied by its own random factor and
// reports, for each unit, where its rank falls across those draws. Two units
// whose intervals overlap cannot honestly be told apart, whatever their
// nominal ranks say.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Options configures Ranks. The zero value is the default
// analysis: 1,000 draws, spread 0.25, seed 0, one goroutine.
type Options struct {
	// Draws is the number of perturbed weight sets (default 1,000).
	Draws int
	// Spread is d: each weight is multiplied by a factor drawn uniformly from
	// [1−d, 1+d). It must lie in (0, 1); 0 means the default 0.25 (a zero
	// spread would only reproduce the nominal ranks).
	Spread float64
	// Seed makes the draws reproducible: the same seed, weights and functions
	// give the same intervals on every run and platform, whatever Workers is.
	Seed uint64
	// Workers is how many draws run at once (default 1). With more than one,
	// score and rank are called concurrently and must be safe for that; each
	// call gets its own out and ranks slices.
	Workers int
}

// Interval is where a unit's rank falls under perturbed weights, in rank
// units (1 = best). All three fields are NaN for a unit no draw ranked.
type Interval struct {
	// Median is the median rank over the perturbed draws.
	Median float64
	// P05 is the 5th percentile of the perturbed ranks, lowered to the
	// nominal rank when that is better, so the interval always contains it.
	P05 float64
	// P95 is the 95th percentile of the perturbed ranks, raised to the
	// nominal rank when that is worse.
	P95 float64
}

// robMaxSamples bounds draws × units, the rank samples held in memory at
// once (4 bytes each: 1 GiB).
const robMaxSamples = 1 << 28

// robSeed2 is the second PCG seed word. It is fixed so that Seed alone
// determines the stream; changing it changes every published interval.
const robSeed2 = 0x9e3779b97f4a7c15

// Ranks measures how stable the ranks of n units are when the
// weights move.
//
// Draw 0 uses the nominal weights and gives each unit its point rank. Each of
// the opts.Draws further draws multiplies every weight by an independent
// factor from U[1−d, 1+d), calls score(perturbed, out) to fill one index per
// unit (out has length n and arrives filled with NaN; NaN means missing) and
// rank(out, ranks) to rank them with the caller's tie policy (ranks has
// length n and arrives zeroed; 1 is best, 0 means missing).
//
// For each unit the result holds the median and the 5th and 95th percentiles
// of its ranks over the perturbed draws in which it was ranked, computed as R's
// default quantile (type 7: linear interpolation between order statistics,
// h = (m−1)p), exactly and then rounded once. The interval is then widened to
// contain the point rank: P05 = min(p05, point), P95 = max(p95, point). A
// unit never ranked gets NaN in all three fields.
//
// The factors are generated up front from a PCG stream seeded by opts.Seed,
// draw by draw and weight by weight, so the result does not depend on
// opts.Workers. The ranks of all draws are held at once: 4 bytes per unit
// and draw.
func Ranks(n int, weights []float64, opts Options, score func(w, out []float64), rank func(scores []float64, ranks []int)) ([]Interval, error) {
	draws, spread, workers, err := robCheck(n, weights, opts, score, rank)
	if err != nil {
		return nil, err
	}

	// The point ranks, with the nominal weights.
	out := make([]float64, n)
	ranks := make([]int, n)
	point := make([]int32, n)
	if err := robDraw(weights, out, ranks, score, rank, point); err != nil {
		return nil, fmt.Errorf("robustness: nominal weights: %w", err)
	}

	// All factors first, from one stream, so that the draws may then run in
	// any order on any number of goroutines.
	k := len(weights)
	factors := make([]float64, draws*k)
	rng := rand.New(rand.NewPCG(opts.Seed, robSeed2))
	for i := range factors {
		factors[i] = 1 - spread + 2*spread*rng.Float64()
	}

	// samples is draw-major: draw d's ranks are samples[d*n : (d+1)*n], so
	// that each draw writes one contiguous run.
	samples := make([]int32, draws*n)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float64, k)
			o, r := out, ranks
			if wk > 0 {
				o, r = make([]float64, n), make([]int, n)
			}
			for d := wk; d < draws; d += workers {
				f := factors[d*k : (d+1)*k]
				for j := range w {
					w[j] = weights[j] * f[j]
				}
				if err := robDraw(w, o, r, score, rank, samples[d*n:(d+1)*n]); err != nil {
					errs[wk] = fmt.Errorf("robustness: draw %d: %w", d+1, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	// Per unit, its draws are a column of samples. Units are taken in
	// blocks: a block's columns are copied out row by row (contiguous reads)
	// into a unit-major buffer small enough for the cache, then each unit's
	// ranks are sorted and read off. Blocks are independent: the workers
	// share them.
	res := make([]Interval, n)
	const block = 256
	nblocks := (n + block - 1) / block
	next := make(chan int, nblocks)
	for b := range nblocks {
		next <- b
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]int32, block*draws)
			var hist []int32
			for b := range next {
				lo, hi := b*block, min(n, (b+1)*block)
				for d := range draws {
					row := samples[d*n+lo : d*n+hi]
					for j, v := range row {
						buf[j*draws+d] = v
					}
				}
				for i := lo; i < hi; i++ {
					res[i], hist = robInterval(buf[(i-lo)*draws:(i-lo+1)*draws], point[i], hist)
				}
			}
		}()
	}
	wg.Wait()
	return res, nil
}

// robInterval summarises one unit's ranks over the draws (0 = not ranked in
// that draw; s is reordered) and widens the interval to its point rank.
func robInterval(s []int32, point int32, hist []int32) (Interval, []int32) {
	m := 0
	for _, v := range s {
		if v > 0 {
			s[m] = v
			m++
		}
	}
	s = s[:m]
	if m == 0 {
		nan := math.NaN()
		return Interval{Median: nan, P05: nan, P95: nan}, hist
	}
	hist = robSort(s, hist)
	iv := Interval{
		Median: robQuantile(s, 50),
		P05:    robQuantile(s, 5),
		P95:    robQuantile(s, 95),
	}
	if p := float64(point); p > 0 {
		iv.P05 = min(iv.P05, p)
		iv.P95 = max(iv.P95, p)
	}
	return iv, hist
}

// robCheck validates the arguments and applies the defaults.
func robCheck(n int, weights []float64, opts Options, score func(w, out []float64), rank func([]float64, []int)) (draws int, spread float64, workers int, err error) {
	if score == nil || rank == nil {
		return 0, 0, 0, errors.New("robustness: rank robustness needs a score and a rank function")
	}
	if n < 0 {
		return 0, 0, 0, fmt.Errorf("robustness: rank robustness: negative number of units %d", n)
	}
	draws = opts.Draws
	if draws == 0 {
		draws = 1000
	}
	if draws < 0 {
		return 0, 0, 0, fmt.Errorf("robustness: rank robustness: draws must be positive, got %d", draws)
	}
	if n > 0 && draws > robMaxSamples/n {
		return 0, 0, 0, fmt.Errorf("robustness: rank robustness: %d draws × %d units exceeds %d rank samples; use fewer draws", draws, n, robMaxSamples)
	}
	spread = opts.Spread
	if spread == 0 {
		spread = 0.25
	}
	if !(spread > 0 && spread < 1) {
		return 0, 0, 0, fmt.Errorf("robustness: rank robustness: spread must be in (0, 1), got %v", opts.Spread)
	}
	for j, w := range weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return 0, 0, 0, fmt.Errorf("robustness: rank robustness: weight %d is %v; weights must be finite and ≥ 0", j+1, w)
		}
	}
	workers = max(1, min(opts.Workers, draws))
	return draws, spread, workers, nil
}

// robDraw runs one draw and stores the ranks in dst.
func robDraw(w, out []float64, ranks []int, score func(w, out []float64), rank func([]float64, []int), dst []int32) error {
	nan := math.NaN()
	for i := range out {
		out[i] = nan
	}
	clear(ranks)
	score(w, out)
	rank(out, ranks)
	n := len(ranks)
	for i, r := range ranks {
		if r < 0 || r > n {
			return fmt.Errorf("rank function gave unit %d rank %d; want 1 to %d, or 0 for missing", i+1, r, n)
		}
		dst[i] = int32(r)
	}
	return nil
}

// robSort sorts positive ranks in place. A unit's ranks usually span a
// narrow band, so a counting sort over [min, max] is used when that band is
// no wider than twice the sample, a comparison sort otherwise. hist is scratch
// space, returned for reuse.
func robSort(s, hist []int32) []int32 {
	lo, hi := s[0], s[0]
	for _, v := range s[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	width := int(hi-lo) + 1
	if width > 2*len(s)+64 {
		slices.Sort(s)
		return hist
	}
	if cap(hist) < width {
		hist = make([]int32, width)
	}
	hist = hist[:width]
	clear(hist)
	for _, v := range s {
		hist[v-lo]++
	}
	k := 0
	for j, c := range hist {
		for ; c > 0; c-- {
			s[k] = lo + int32(j)
			k++
		}
	}
	return hist
}

// robQuantile is the pct-th percentile of a sorted, non-empty sample, by
// R's default quantile (type 7): with h = (m−1)·pct/100, the order
// statistics x[⌊h⌋] and x[⌊h⌋+1] (0-based) interpolated linearly. The ranks
// are integers and pct/100 a fraction, so the interpolation is done on
// integers and divided once: the result is the exact quantile correctly
// rounded, 62.05 rather than R's 62.049999999999955.
func robQuantile(s []int32, pct int) float64 {
	num := (len(s) - 1) * pct // h = num/100
	lo, r := num/100, num%100
	if r == 0 {
		return float64(s[lo])
	}
	a, b := int64(s[lo]), int64(s[lo+1])
	return float64(a*100+(b-a)*int64(r)) / 100
}
