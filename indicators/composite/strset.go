package composite

import (
	"hash/maphash"
	"sync"
)

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
	return &strSet{seed: maphash.MakeSeed(), keys: keys, slots: writtenSlots(size), mask: uint64(size - 1)}
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

// writtenSlots returns n empty slots whose memory has been written once.
// A hash table's first touch of a page is often a read (is the slot
// empty?): fresh memory from the system then maps the shared zero page, and
// the write that follows copies it and flushes the page from the TLB of
// every core the process runs on (an interrupt to each; costly in a virtual
// machine). Written first, each page takes one fault and no flush.
func writtenSlots(n int) []int32 {
	s := make([]int32, n)
	clear(s)
	return s
}

// codeSet finds the first duplicate among many strings on several cores:
// the strings are hashed in parallel (hash), then each worker keeps the
// strings of its share of the hash values in a table of its own
// (firstDuplicate). Equal strings hash alike, so each duplicate is found by
// the worker that has both.
type codeSet struct {
	seed   maphash.Seed
	keys   []string
	hashes []uint64
}

func newCodeSet(keys []string) *codeSet {
	return &codeSet{seed: maphash.MakeSeed(), keys: keys, hashes: make([]uint64, len(keys))}
}

// hash hashes keys[lo:hi], which must be set by then.
func (c *codeSet) hash(lo, hi int) {
	for i := lo; i < hi; i++ {
		c.hashes[i] = maphash.String(c.seed, c.keys[i])
	}
}

// firstDuplicate returns the first j whose string equals an earlier one, i,
// as the package function does, with up to workers goroutines; every key
// must have been hashed.
func (c *codeSet) firstDuplicate(workers int) (i, j int, dup bool) {
	n := len(c.keys)
	workers = max(1, min(workers, n/4096))
	type found struct {
		i, j int
		dup  bool
	}
	res := make([]found, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			size := 16
			for size < 2*n/workers+16 {
				size *= 2
			}
			slots := writtenSlots(size) // 1 + index into keys; 0 = empty
			mask := uint64(size - 1)
			for j, h := range c.hashes {
				// The low bits pick the slot: the worker goes by the high.
				if (h>>32)%uint64(workers) != uint64(w) {
					continue
				}
				s := c.keys[j]
				for p := h & mask; ; p = (p + 1) & mask {
					v := slots[p]
					if v == 0 {
						slots[p] = int32(j + 1)
						break
					}
					if c.hashes[v-1] == h && c.keys[v-1] == s {
						res[w] = found{int(v - 1), j, true}
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	first := found{j: n}
	for _, f := range res {
		if f.dup && f.j < first.j {
			first = f
		}
	}
	return first.i, first.j, first.dup
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
