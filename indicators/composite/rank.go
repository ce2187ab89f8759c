package composite

import (
	"math"
	"sync"
)

// Rank writes to ranks the rank of each score, highest first, as COINr
// ranks: R's rank(-x, ties.method = "min", na.last = "keep"). Equal scores
// (exactly equal: no tolerance) share the best of their ranks, so ranks run
// 1, 2, 2, 4; a NaN score is missing and gets 0. ranks must be as long as
// scores. Rank is safe for concurrent use and fits the rank argument of
// robustness.Ranks.
func Rank(scores []float64, ranks []int) {
	b := rankBufs.Get().(*rankBuf)
	items := growItems(&b.items, len(scores))[:0]
	for i, v := range scores {
		if v != v {
			ranks[i] = 0
			continue
		}
		items = append(items, rankItem{key: descKey(v), i: int32(i)})
	}
	items = radixSort(items, &b.tmp)
	competition(items, ranks)
	b.items = items
	rankBufs.Put(b)
}

// GroupRank writes to ranks the rank of each score among the units of the
// same group, with Rank's rules. A unit whose score is NaN or whose group is
// empty gets 0. groups and ranks must be as long as scores.
func GroupRank(scores []float64, groups []string, ranks []int) {
	gid, ngroups := groupIDs(groups)
	groupRank(scores, gid, ngroups, ranks)
}

// groupRank is GroupRank with the groups numbered by groupIDs.
func groupRank(scores []float64, gid []int32, ngroups int, ranks []int) {
	b := rankBufs.Get().(*rankBuf)
	items := growItems(&b.items, len(scores))[:0]
	for i, v := range scores {
		if v != v {
			ranks[i] = 0
			continue
		}
		items = append(items, rankItem{key: descKey(v), i: int32(i)})
	}
	items = radixSort(items, &b.tmp)
	groupRankSorted(items, gid, ngroups, ranks, &b.tmp)
	b.items = items
	rankBufs.Put(b)
}

// groupRankSorted ranks within their groups the units of items, sorted
// best first (every score but the NaNs, whose ranks are set already);
// a unit of no group (gid −1) gets 0. tmp is scratch space.
func groupRankSorted(items []rankItem, gid []int32, ngroups int, ranks []int, tmp *[]rankItem) {
	// A stable counting sort by group keeps each group's units in score
	// order; the units of no group (count[0]) are left out.
	count := make([]int, ngroups+1)
	for _, it := range items {
		count[gid[it.i]+1]++
	}
	kept := len(items) - count[0]
	count[0] = 0
	for g := 1; g < len(count); g++ {
		count[g] += count[g-1]
	}
	sorted := growItems(tmp, kept)
	for _, it := range items {
		g := gid[it.i]
		if g < 0 {
			ranks[it.i] = 0
			continue
		}
		sorted[count[g]] = it
		count[g]++
	}
	// Rank each group's run.
	for lo := 0; lo < len(sorted); {
		hi := lo + 1
		for hi < len(sorted) && gid[sorted[hi].i] == gid[sorted[lo].i] {
			hi++
		}
		competition(sorted[lo:hi], ranks)
		lo = hi
	}
}

// rankBoth is Rank into ranks and groupRank into granks with one sort of
// the scores: the two rankings of Compute. The group ids come from gids,
// read once the sort is done; the group ranking runs on a goroutine of its
// own while the overall ranks are written.
func rankBoth(scores []float64, ranks, granks []int, gids <-chan groupIDsResult) {
	b := rankBufs.Get().(*rankBuf)
	items := growItems(&b.items, len(scores))[:0]
	for i, v := range scores {
		if v != v {
			ranks[i], granks[i] = 0, 0
			continue
		}
		items = append(items, rankItem{key: descKey(v), i: int32(i)})
	}
	items = radixSort(items, &b.tmp)
	done := make(chan struct{})
	go func() {
		g := <-gids
		groupRankSorted(items, g.ids, g.n, granks, &b.tmp)
		close(done)
	}()
	competition(items, ranks)
	<-done
	b.items = items
	rankBufs.Put(b)
}

// competition writes competition ranks for items sorted best first.
func competition(items []rankItem, ranks []int) {
	for k, it := range items {
		if k > 0 && it.key == items[k-1].key {
			ranks[it.i] = ranks[items[k-1].i]
		} else {
			ranks[it.i] = k + 1
		}
	}
}

type rankItem struct {
	key uint64
	i   int32
}

type rankBuf struct{ items, tmp []rankItem }

var rankBufs = sync.Pool{New: func() any { return new(rankBuf) }}

// descKey maps a score to a key whose ascending order is the scores'
// descending order; equal scores, −0 and +0 included, get equal keys.
func descKey(v float64) uint64 {
	if v == 0 {
		v = 0 // −0 → +0
	}
	b := math.Float64bits(v)
	if b>>63 != 0 {
		b = ^b
	} else {
		b |= 1 << 63
	}
	return ^b
}

func growItems(buf *[]rankItem, n int) []rankItem {
	if cap(*buf) < n {
		*buf = make([]rankItem, n)
	}
	return (*buf)[:n]
}

// radixSort sorts items by key, stably: an LSD radix sort on 8-bit digits,
// skipping the digits all keys share (the high bytes of scores in a narrow
// range). It returns the sorted slice, which is items or *tmp.
func radixSort(items []rankItem, tmp *[]rankItem) []rankItem {
	if len(items) < 2 {
		return items
	}
	if len(items) < 256 {
		insertionSort(items)
		return items
	}
	var counts [8][256]int
	for _, it := range items {
		k := it.key
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	src, dst := items, growItems(tmp, len(items))
	for d := range 8 {
		c := &counts[d]
		if c[byte(src[0].key>>(8*d))] == len(src) {
			continue // every key has this digit
		}
		sum := 0
		for j := range c {
			c[j], sum = sum, sum+c[j]
		}
		shift := 8 * d
		for _, it := range src {
			j := byte(it.key >> shift)
			dst[c[j]] = it
			c[j]++
		}
		src, dst = dst, src
	}
	// Keep the spare buffer for the caller's next use.
	if &src[0] != &items[0] {
		*tmp = items[:cap(items)]
	}
	return src
}

func insertionSort(items []rankItem) {
	for i := 1; i < len(items); i++ {
		it := items[i]
		j := i
		for j > 0 && items[j-1].key > it.key {
			items[j] = items[j-1]
			j--
		}
		items[j] = it
	}
}
