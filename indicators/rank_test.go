package indicators

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRank(t *testing.T) {
	tests := []struct {
		name    string
		indexes []float64
		want    []int
	}{
		{"empty", nil, []int{}},
		{"one", []float64{50}, []int{1}},
		{"competition ranks", []float64{90, 80, 80, 70}, []int{1, 2, 2, 4}},
		{"input order kept", []float64{70, 80, 90, 80}, []int{4, 2, 1, 2}},
		{"all equal", []float64{5, 5, 5}, []int{1, 1, 1}},
		{"equal after rounding", []float64{74.504, 74.495, 74.5}, []int{1, 1, 1}},
		{"different after rounding", []float64{74.505, 74.504}, []int{1, 2}},
		{"half away from zero", []float64{74.125, 74.13, 74.12}, []int{1, 1, 3}},
		{"printed decimal rounds", []float64{1.115, 1.12, 1.11}, []int{1, 1, 3}},
		{"NaN last", []float64{math.NaN(), 0, 10}, []int{3, 2, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, Rank(tc.indexes)); d != "" {
				t.Errorf("Rank(%v) (-want +got):\n%s", tc.indexes, d)
			}
		})
	}
}

func TestRankWithin(t *testing.T) {
	indexes := []float64{90, 80, 85, 80, 70, 99}
	groups := []string{"HN", "HN", "HP", "HN", "HP", "DN"}
	want := []int{1, 2, 1, 2, 2, 1}
	if d := cmp.Diff(want, RankWithin(indexes, groups)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	type school struct {
		district string
		index    float64
	}
	schools := []school{{"HN", 90}, {"HN", 80}, {"HP", 85}, {"HN", 80}, {"HP", 70}, {"DN", 99}}
	if d := cmp.Diff(want, RankBy(schools, func(s school) float64 { return s.index }, func(s school) string { return s.district })); d != "" {
		t.Errorf("RankBy (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int{2, 4, 3, 4, 6, 1}, RankBy(schools, func(s school) float64 { return s.index }, nil)); d != "" {
		t.Errorf("RankBy overall (-want +got):\n%s", d)
	}
}

func TestRound2(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0, 0}, {74.5, 74.5}, {74.125, 74.13}, {74.124, 74.12}, {-74.125, -74.13},
		{1.005, 1.01}, {0.285, 0.29}, {2.675, 2.68}, {99.995, 100}, {66.66666666666667, 66.67}, {0.004999, 0},
	}
	for _, tc := range tests {
		if got := Round2(tc.in); got != tc.want {
			t.Errorf("Round2(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// Ranks are a permutation with correct ties: each rank is one more than
// the number of strictly better units of its group, and sorted ranks
// follow the competition pattern (r repeated c times, then r + c).
func TestPropertyRanks(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 300 {
		n := rng.IntN(60)
		indexes := make([]float64, n)
		groups := make([]string, n)
		for i := range indexes {
			// Few distinct values, some differing only in the third decimal.
			indexes[i] = float64(rng.IntN(8))*10 + float64(rng.IntN(3))*0.004
			groups[i] = []string{"a", "b", "c"}[rng.IntN(3)]
		}
		if trial%2 == 0 {
			groups = nil
		}
		ranks := RankWithin(indexes, groups)
		byGroup := map[string][]int{}
		for i := range indexes {
			g := ""
			if groups != nil {
				g = groups[i]
			}
			better := 0
			for j := range indexes {
				if (groups == nil || groups[j] == g) && Round2(indexes[j]) > Round2(indexes[i]) {
					better++
				}
			}
			if ranks[i] != better+1 {
				t.Fatalf("trial %d: rank of %v is %d, want %d", trial, indexes[i], ranks[i], better+1)
			}
			byGroup[g] = append(byGroup[g], ranks[i])
		}
		for g, rs := range byGroup {
			slices.Sort(rs)
			for k := 0; k < len(rs); {
				if rs[k] != k+1 {
					t.Fatalf("trial %d group %q: sorted ranks %v are not competition ranks", trial, g, rs)
				}
				c := 1
				for k+c < len(rs) && rs[k+c] == rs[k] {
					c++
				}
				k += c
			}
		}
	}
}
