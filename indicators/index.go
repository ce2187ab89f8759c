package indicators

import "math"

// GroupWeights returns the weights of the set's groups, in the set's order:
// the nominal weights that rank robustness perturbs.
func (s *Set) GroupWeights() []float64 {
	w := make([]float64, len(s.Groups))
	for i := range s.Groups {
		w[i] = s.Groups[i].EffectiveWeight()
	}
	return w
}

// IndexWith computes the set's index from group scores (in the set's
// group order, each on its group's own scale) with the given group weights
// instead of the set's: the index method of the set, as Score applies it,
// for weights perturbed by robustness.Ranks. The sum method ignores weights.
func (s *Set) IndexWith(scores, weights []float64) float64 {
	method := s.Index.Method
	if method == "" {
		method = MethodWeightedMean
	}
	var sumW float64
	for _, w := range weights {
		sumW += w
	}
	switch method {
	case MethodSum:
		t := 0.0
		for _, x := range scores {
			t += x
		}
		return t
	case MethodGeometricMean:
		t := 0.0
		for i, x := range scores {
			if x <= 0 {
				return 0
			}
			t += weights[i] * math.Log(x/s.Groups[i].Max*100)
		}
		return min(100, math.Exp(t/sumW))
	}
	t := 0.0
	for i, x := range scores {
		t += x / s.Groups[i].Max * 100 * weights[i]
	}
	return min(100, t/sumW)
}
