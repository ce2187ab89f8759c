package indicators

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// slabs lay out the memory of a scored result as a single allocation:
// the Result, its groups, its criteria, its three lists and its points
// (the indicators' points, then the criteria's achievements). Scoring
// 50,000 units made five allocations per result, and allocating was
// about a third of the sheet path's time (BenchmarkScoreSheet50k,
// docs/performance.md); one allocation of the same bytes is one call
// into the allocator and one size-class rounding instead of five.
//
// A slab's type is built with reflect.StructOf, so the garbage collector
// knows exactly where its pointers are (the codes, the slices, the
// achievements' pointers); a result's slices point into its slab and
// keep all of it alive together, as they lived together anyway. The
// lists' length differs between results, so there is one type per total
// length of the lists, built the first time it is needed.
type slabs struct {
	nGroups, nCrits, nInds int
	byTotal                []atomic.Pointer[slabLayout] // by the lists' total length
}

// slabLayout is the type of one slab and where its parts are.
type slabLayout struct {
	typ                                      reflect.Type
	offGroups, offCrits, offLists, offPoints uintptr
}

// Equal says two slab caches lay results out alike: go-cmp compares
// plans with it (the cache's contents are derived from the counts).
func (s *slabs) Equal(o *slabs) bool {
	if s == nil || o == nil {
		return s == o
	}
	return s.nGroups == o.nGroups && s.nCrits == o.nCrits && s.nInds == o.nInds && len(s.byTotal) == len(o.byTotal)
}

// slabsByShape holds one slab cache per shape of plan: plans of the same
// shape (the same set parsed twice, a stored set and the shipped one)
// share it, so their layouts are built once and two such plans stay
// deeply equal whichever results each has scored. The shapes are as
// few as the sets loaded.
var slabsByShape sync.Map // [4]int{groups, criteria, indicators, lists} → *slabs

// newSlabs gives the slabs of a plan whose lists hold at most maxLists
// codes in all.
func newSlabs(nGroups, nCrits, nInds, maxLists int) *slabs {
	key := [4]int{nGroups, nCrits, nInds, maxLists}
	if v, ok := slabsByShape.Load(key); ok {
		return v.(*slabs)
	}
	v, _ := slabsByShape.LoadOrStore(key, &slabs{nGroups: nGroups, nCrits: nCrits, nInds: nInds,
		byTotal: make([]atomic.Pointer[slabLayout], maxLists+1)})
	return v.(*slabs)
}

func (s *slabs) layout(total int) *slabLayout {
	if l := s.byTotal[total].Load(); l != nil {
		return l
	}
	// Two goroutines may build the same layout at once: reflect.StructOf
	// gives both the one type, and either stored layout is right.
	t := reflect.StructOf([]reflect.StructField{
		{Name: "R", Type: reflect.TypeFor[Result]()},
		{Name: "G", Type: reflect.ArrayOf(s.nGroups, reflect.TypeFor[GroupScore]())},
		{Name: "C", Type: reflect.ArrayOf(s.nCrits, reflect.TypeFor[CriterionScore]())},
		{Name: "L", Type: reflect.ArrayOf(total, reflect.TypeFor[string]())},
		{Name: "P", Type: reflect.ArrayOf(s.nInds+s.nCrits, reflect.TypeFor[float64]())},
	})
	l := &slabLayout{typ: t, offGroups: t.Field(1).Offset, offCrits: t.Field(2).Offset, offLists: t.Field(3).Offset, offPoints: t.Field(4).Offset}
	s.byTotal[total].Store(l)
	return l
}

// newResult allocates a zeroed result whose Groups, Criteria and points
// (length nInds, capacity nInds+nCrits) are in one slab, with room for
// lists of total codes, returned as one slice of that length. Empty
// slices are non-nil, as make gives them (JSON [] rather than null).
func (s *slabs) newResult(total int) (*Result, []string) {
	l := s.layout(total)
	base := reflect.New(l.typ).UnsafePointer()
	r := (*Result)(base)
	r.Groups = []GroupScore{}
	if s.nGroups > 0 {
		r.Groups = unsafe.Slice((*GroupScore)(unsafe.Add(base, l.offGroups)), s.nGroups)
	}
	r.Criteria = []CriterionScore{}
	if s.nCrits > 0 {
		r.Criteria = unsafe.Slice((*CriterionScore)(unsafe.Add(base, l.offCrits)), s.nCrits)
	}
	r.points = []float64{}
	if n := s.nInds + s.nCrits; n > 0 {
		r.points = unsafe.Slice((*float64)(unsafe.Add(base, l.offPoints)), n)[:s.nInds]
	}
	lists := []string{}
	if total > 0 {
		lists = unsafe.Slice((*string)(unsafe.Add(base, l.offLists)), total)
	}
	return r, lists
}
