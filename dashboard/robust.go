package dashboard

import (
	"context"
	"fmt"
	"math"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/indicators/robustness"
)

// RobustnessDraws is the number of perturbed weight sets behind each
// interval (robustness.Ranks); the spread is its default, ±25 %.
const RobustnessDraws = 500

// robustness returns the rank intervals of r.Rows (in their order).
// Published rankings are frozen per revision, so the intervals are kept in
// memory per (campaign, revision, unit, school level); live ones are
// computed each time (small: one evaluator's scope).
func (s *Store) robustness(ctx context.Context, r *dashview.Ranking) []robustness.Interval {
	if len(r.Rows) == 0 {
		return nil
	}
	key := fmt.Sprintf("%d/%d/%d/%s", r.Campaign.ID, r.Campaign.Revision, r.Unit.ID, r.Filter.SchoolLevel)
	if !r.Filter.Live {
		s.mu.Lock()
		v, ok := s.robust[key]
		s.mu.Unlock()
		if ok && len(v) == len(r.Rows) {
			return v
		}
	}
	set := r.Campaign.Set
	weights := make([]float64, len(set.Groups))
	maxes := make([]float64, len(set.Groups))
	for i := range set.Groups {
		weights[i] = set.Groups[i].EffectiveWeight()
		maxes[i] = set.Groups[i].Max
	}
	method := set.Index.EffectiveMethod()
	// members[i]: the group scores of the schools behind row i.
	members := make([][][]float64, len(r.Rows))
	need := false
	for i, x := range r.Rows {
		if x.School {
			members[i] = [][]float64{x.Groups}
		} else {
			need = true
		}
	}
	if need {
		pos := map[int64]int{}
		for i, x := range r.Rows {
			if !x.School {
				pos[x.UnitID] = i
			}
		}
		q := `WITH src AS (` + source(r.Filter.Live) + `) SELECT path[$3], groups FROM src WHERE cardinality(path) > $3`
		rows, err := s.pool.Query(ctx, q, r.Campaign.ID, r.Unit.ID, len(r.Unit.Path)+1, r.Filter.SchoolLevel)
		if err != nil {
			return nil
		}
		for rows.Next() {
			var child int64
			var g []float64
			if err := rows.Scan(&child, &g); err != nil {
				rows.Close()
				return nil
			}
			if i, ok := pos[child]; ok {
				members[i] = append(members[i], g)
			}
		}
		rows.Close()
	}
	kinds := make([]string, len(r.Rows))
	for i, x := range r.Rows {
		kinds[i] = sortOf(x)
	}
	score := func(w, out []float64) {
		for i, m := range members {
			if len(m) == 0 {
				continue // stays NaN: missing
			}
			sum := 0.0
			for _, g := range m {
				sum += Index(method, w, maxes, g)
			}
			out[i] = sum / float64(len(m))
		}
	}
	rank := func(xs []float64, ranks []int) {
		copy(ranks, indicators.RankWithin(xs, kinds))
		for i, x := range xs {
			if math.IsNaN(x) {
				ranks[i] = 0
			}
		}
	}
	ints, err := robustness.Ranks(len(r.Rows), weights, robustness.Options{Draws: RobustnessDraws, Seed: uint64(r.Campaign.ID)}, score, rank)
	if err != nil {
		return nil
	}
	if !r.Filter.Live {
		s.mu.Lock()
		s.robust[key] = ints
		s.mu.Unlock()
	}
	return ints
}

// Index forms an index from group scores as the engine does (the set's
// index method), with the given group weights: the robustness analysis
// re-forms indexes under perturbed weights.
func Index(method string, w, maxes, groups []float64) float64 {
	if len(groups) != len(w) {
		return math.NaN()
	}
	switch method {
	case indicators.MethodSum:
		s := 0.0
		for _, g := range groups {
			s += g
		}
		return s
	case indicators.MethodGeometricMean:
		s, sw := 0.0, 0.0
		for i, g := range groups {
			if g <= 0 {
				return 0
			}
			s += w[i] * math.Log(g/maxes[i]*100)
			sw += w[i]
		}
		return min(100, math.Exp(s/sw))
	}
	s, sw := 0.0, 0.0
	for i, g := range groups {
		s += g / maxes[i] * 100 * w[i]
		sw += w[i]
	}
	return min(100, s/sw)
}
