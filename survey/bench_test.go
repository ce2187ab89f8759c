package survey

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkSaveAnswer: one answer saved (transaction, score recomputed
// and stored, gap computed), sequentially, on moet-4725.
func BenchmarkSaveAnswer(b *testing.B) {
	ctx := context.Background()
	j := newJourney(b, "moet-4725")
	x, _ := j.s.Assessment(ctx, j.school, j.id)
	inds := applicableIndicators(x.set, x.SchoolLevel)
	versions := map[string]int{}
	for _, ind := range inds {
		s, err := j.s.SaveAnswer(ctx, j.school, j.id, ind.Code, fullAnswer(ind), 0)
		if err != nil {
			b.Fatal(err)
		}
		versions[ind.Code] = s.Version
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ind := inds[i%len(inds)]
		i++
		val := fullAnswer(ind)
		if ind.Type == "boolean" && i%2 == 0 {
			val = json.RawMessage("false")
		}
		s, err := j.s.SaveAnswer(ctx, j.school, j.id, ind.Code, val, versions[ind.Code])
		if err != nil {
			b.Fatal(err)
		}
		versions[ind.Code] = s.Version
	}
}
