package dashview

import (
	"math"
	"time"

	"github.com/dxindex/dxindex/indicators/robustness"
)

// Filter narrows a ranking.
type Filter struct {
	// SchoolLevel keeps the schools of one school level ("" all).
	SchoolLevel string
	// Live reads the validated scores of the approved assessments (not
	// yet published) instead of the published results: for evaluators,
	// who must check the unit is in their scope first.
	Live bool
}

// Row is one unit directly under the unit a ranking is about: an
// assessed unit's own result (School) or the aggregate of a subtree.
type Row struct {
	UnitID      int64
	Code        string
	Name        string
	Kind        string
	School      bool
	SchoolLevel string
	// Schools counts the results aggregated (1 for a school).
	Schools int
	// Index is the school's index or the subtree's mean index; Median the
	// subtree's median.
	Index  float64
	Median float64
	// Level is a school's level.
	Level int
	// Levels counts the subtree's schools per level (Ranking.Levels order).
	Levels []int
	// Groups are the (mean) group scores and Criteria the (mean) criterion
	// achievements in %, both in the set's order; NaN: none applies.
	Groups   []float64
	Criteria []float64
	// Rank is the competition rank among the rows of the same sort
	// (schools among schools, subtrees among subtrees), ties sharing the
	// best rank; Robust where it falls when the group weights move.
	Rank   int
	Robust robustness.Interval
	// Participation: assessments of the subtree and how many were ever
	// submitted.
	Total, Submitted int
	Revision         int
	PublishedAt      time.Time
}

// Ranking is a unit with the units directly under it, ranked.
type Ranking struct {
	Campaign *Campaign
	Unit     *Unit
	Self     Row
	Rows     []Row
	Filter   Filter
	// Levels are the set's level numbers, lowest first.
	Levels []int
}

// Aggregates reports how many rows are subtrees (not schools).
func (r *Ranking) Aggregates() int {
	n := 0
	for _, x := range r.Rows {
		if !x.School {
			n++
		}
	}
	return n
}

// Histogram counts indexes in bins of width 10 from 0 to 100 (the last
// bin holds 100).
func Histogram(xs []float64) []int {
	out := make([]int, 10)
	for _, x := range xs {
		b := int(math.Floor(x / 10))
		b = max(0, min(9, b))
		out[b]++
	}
	return out
}

// Shares are the row's schools per level as % of its schools.
func (x Row) Shares() []float64 { return LevelShares(x.Levels) }

// LevelShares turns counts per level into % of the total.
func LevelShares(counts []int) []float64 {
	total := 0
	for _, n := range counts {
		total += n
	}
	out := make([]float64, len(counts))
	if total == 0 {
		return out
	}
	for i, n := range counts {
		out[i] = float64(n) / float64(total) * 100
	}
	return out
}
