package composite

import "hash/maphash"

// strSet is an open-addressing hash set over the strings of a slice, for the
// two questions asked of 50,000 codes at once: are they unique, and which
// group is each in. A Go map does the same at twice the cost.
type strSet struct {
	seed  maphash.Seed
	keys  []string
	slots []int32 // 1 + index into keys; 0 = empty
	mask  uint64
}

func newStrSet(keys []string) *strSet {
	size := 16
	for size < 2*len(keys) {
		size *= 2
	}
	return &strSet{seed: maphash.MakeSeed(), keys: keys, slots: make([]int32, size), mask: uint64(size - 1)}
}

// add records keys[i] and returns -1, or returns the index of an earlier
// equal key.
func (t *strSet) add(i int) int {
	s := t.keys[i]
	for p := maphash.String(t.seed, s) & t.mask; ; p = (p + 1) & t.mask {
		v := t.slots[p]
		if v == 0 {
			t.slots[p] = int32(i + 1)
			return -1
		}
		if t.keys[v-1] == s {
			return int(v - 1)
		}
	}
}

// firstDuplicate returns the first j whose string equals an earlier one, i.
func firstDuplicate(ss []string) (i, j int, dup bool) {
	t := newStrSet(ss)
	for j := range ss {
		if i := t.add(j); i >= 0 {
			return i, j, true
		}
	}
	return 0, 0, false
}

// groupIDs numbers the distinct non-empty strings of ss 0, 1, … in order of
// first appearance; an empty string gets −1.
func groupIDs(ss []string) (ids []int32, n int) {
	t := newStrSet(ss)
	ids = make([]int32, len(ss))
	for j, s := range ss {
		if s == "" {
			ids[j] = -1
			continue
		}
		if i := t.add(j); i >= 0 {
			ids[j] = ids[i]
		} else {
			ids[j] = int32(n)
			n++
		}
	}
	return ids, n
}
