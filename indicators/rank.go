package indicators

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Round2 rounds an index to 2 decimals, halves away from zero, as ranks
// compare indexes and as they should be shown. It rounds the number as Go
// and JSON print it (the shortest decimal that reads back as the same
// float64): 74.125 → 74.13 and 1.115 → 1.12, although 1.115 is stored as
// 1.11499999…, because a reader of the unrounded output rounds what is
// printed. Show indexes with strconv.FormatFloat(Round2(x), 'f', 2, 64);
// fmt's %.2f rounds the binary value instead (74.125 → "74.12").
func Round2(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	h := x * 100
	// Far from a half, x×100 rounds like the printed decimal: its error
	// (one ulp) is far below 1e-6 for any index-sized number.
	if frac := math.Abs(h - math.Trunc(h)); math.Abs(frac-0.5) > 1e-6 && math.Abs(h) < 1e12 {
		return math.Round(h) / 100
	}
	return round2Decimal(x)
}

// round2Decimal rounds the shortest decimal spelling of x.
func round2Decimal(x float64) float64 {
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) > 15 {
		return x // beyond exact hundredths in float64; nothing to round
	}
	frac += "000"
	hundredths, err := strconv.ParseInt(intPart+frac[:2], 10, 64)
	if err != nil {
		return x
	}
	if frac[2] >= '5' {
		hundredths++
	}
	return math.Copysign(float64(hundredths)/100, x)
}

// rankKey is the comparable form of an index; NaN ranks last.
func rankKey(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(-1)
	}
	return Round2(x)
}

// Rank returns the competition ranks of indexes, highest first: equal
// indexes (equal after Round2) share the best rank and the next rank
// skips, as in 1, 2, 2, 4. ranks[i] is the rank of indexes[i].
func Rank(indexes []float64) []int {
	return RankWithin(indexes, nil)
}

// RankWithin ranks each index among the items of its own group (a
// district, a province, a school level): groups[i] is the group of
// indexes[i]. A nil groups ranks everything together.
func RankWithin(indexes []float64, groups []string) []int {
	n := len(indexes)
	keys := make([]float64, n)
	for i, x := range indexes {
		keys[i] = rankKey(x)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	hasGroups := groups != nil
	slices.SortFunc(order, func(a, b int32) int {
		if hasGroups {
			if c := cmp.Compare(groups[a], groups[b]); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(keys[b], keys[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	ranks := make([]int, n)
	start := 0 // position in order where the current group starts
	for k, i := range order {
		if hasGroups && k > 0 && groups[i] != groups[order[k-1]] {
			start = k
		}
		if k > start && keys[i] == keys[order[k-1]] {
			ranks[i] = ranks[order[k-1]]
		} else {
			ranks[i] = k - start + 1
		}
	}
	return ranks
}

// RankBy ranks items by index within the group that group returns for
// each (nil: one group of all items). It is RankWithin for any slice.
func RankBy[T any](items []T, index func(T) float64, group func(T) string) []int {
	xs := make([]float64, len(items))
	for i, it := range items {
		xs[i] = index(it)
	}
	if group == nil {
		return RankWithin(xs, nil)
	}
	gs := make([]string, len(items))
	for i, it := range items {
		gs[i] = group(it)
	}
	return RankWithin(xs, gs)
}
