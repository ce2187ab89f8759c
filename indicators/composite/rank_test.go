package composite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRank(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		scores []float64
		want   []int
	}{
		{nil, nil},
		{[]float64{nan}, []int{0}},
		{[]float64{3, 1, 2}, []int{1, 3, 2}},
		// Ties share the best rank: 1, 2, 2, 4.
		{[]float64{10, 7, 7, 5}, []int{1, 2, 2, 4}},
		{[]float64{nan, 5, 5, nan, 5, -1}, []int{0, 1, 1, 0, 1, 4}},
		// −0 and +0 are equal; −1e300 and negative scores order right.
		{[]float64{0, math.Copysign(0, -1), -1e300, 1e-300, -2}, []int{2, 2, 5, 1, 4}},
	}
	for _, c := range cases {
		got := make([]int, len(c.scores))
		Rank(c.scores, got)
		if !slices.Equal(got, c.want) {
			t.Errorf("Rank(%v) = %v, want %v", c.scores, got, c.want)
		}
	}
}

// TestRankMatchesSort checks the radix sort against a plain sort-and-count
// on large random inputs with many ties and missing values.
func TestRankMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{10, 255, 256, 1000, 50000} {
		scores := make([]float64, n)
		for i := range scores {
			switch r.IntN(10) {
			case 0:
				scores[i] = math.NaN()
			case 1, 2:
				scores[i] = float64(r.IntN(20)) // ties
			default:
				scores[i] = r.NormFloat64() * 1e3
			}
		}
		got := make([]int, n)
		Rank(scores, got)
		for i, v := range scores {
			want := 0
			if !math.IsNaN(v) {
				want = 1
				for _, u := range scores {
					if u > v {
						want++
					}
				}
			}
			if got[i] != want {
				t.Fatalf("n=%d unit %d (%v): rank %d, want %d", n, i, v, got[i], want)
			}
			if n > 1000 && i > 200 {
				break // the quadratic check on a sample is enough
			}
		}
	}
}

func TestGroupRank(t *testing.T) {
	nan := math.NaN()
	scores := []float64{5, 9, 7, 7, nan, 1, 3, 8}
	groups := []string{"A", "B", "A", "A", "A", "", "B", "B"}
	got := make([]int, len(scores))
	GroupRank(scores, groups, got)
	want := []int{3, 1, 1, 1, 0, 0, 3, 2}
	if !slices.Equal(got, want) {
		t.Errorf("GroupRank = %v, want %v", got, want)
	}
}

// TestRankBoth: Compute's one sort for both rankings gives what Rank and
// GroupRank give, with ties, NaNs, units of no group and ranks slices that
// held other values, on lists long enough for the radix sort.
func TestRankBoth(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 7, 300, 5000} {
		scores := make([]float64, n)
		groups := make([]string, n)
		for i := range scores {
			switch r.IntN(10) {
			case 0:
				scores[i] = math.NaN()
			case 1:
				scores[i] = float64(r.IntN(5)) // ties
			default:
				scores[i] = r.Float64() * 100
			}
			if r.IntN(8) > 0 {
				groups[i] = fmt.Sprintf("G%d", r.IntN(12))
			}
		}
		want, gwant := make([]int, n), make([]int, n)
		Rank(scores, want)
		GroupRank(scores, groups, gwant)
		got, ggot := make([]int, n), make([]int, n)
		for i := range got {
			got[i], ggot[i] = -7, -7
		}
		ids, ng := groupIDs(groups)
		gids := make(chan groupIDsResult, 1)
		gids <- groupIDsResult{ids, ng}
		rankBoth(scores, got, ggot, gids)
		if !slices.Equal(got, want) || !slices.Equal(ggot, gwant) {
			t.Fatalf("n=%d: rankBoth differs from Rank and GroupRank", n)
		}
	}
}
