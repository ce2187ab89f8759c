package indicators

import (
	"math"
	"testing"
)

// TestIndexWithNominalWeights: with the set's own weights, IndexWith gives
// the index Score gives.
func TestIndexWithNominalWeights(t *testing.T) {
	for _, set := range Shipped() {
		res, err := Score(set, firstLevel(set), map[string]Answer{})
		if err != nil {
			t.Fatal(err)
		}
		for _, full := range []bool{false, true} {
			scores := make([]float64, len(set.Groups))
			for i, g := range res.Groups {
				scores[i] = g.Score
				if full {
					scores[i] = g.Max * 0.6
				}
			}
			got := set.IndexWith(scores, set.GroupWeights())
			if !full && math.Abs(got-res.Index) > 1e-12 {
				t.Errorf("%s: IndexWith %v, Score %v", set.Code, got, res.Index)
			}
			if full && set.Index.Method != MethodSum && math.Abs(got-60) > 1e-9 {
				t.Errorf("%s: every group at 60%% gives index %v", set.Code, got)
			}
		}
	}
}

func firstLevel(set *Set) string {
	if set.Assessed == AssessedAgency {
		return ""
	}
	if len(set.SchoolLevels) > 0 {
		return set.SchoolLevels[0]
	}
	return "primary"
}
