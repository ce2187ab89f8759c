package survey

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

// BenchmarkSaveAnswer: one answer saved (transaction, score recomputed
// and stored, gap computed), sequentially, on moet-4725.
func BenchmarkSaveAnswer(b *testing.B) {
	ctx := context.Background()
	j := newJourney(b, "moet-4725")
	x, _ := j.s.Assessment(ctx, j.school, j.id)
	inds := model.ApplicableIndicators(x.Set, x.SchoolLevel)
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

// BenchmarkSaveAnswerCPU: the CPU a save spends outside the database and
// HTTP on moet-4725 with every indicator answered: decoding the stored
// answers, scoring, encoding the result to store (as pgx does), the gap, and encoding
// the answer sent back.
func BenchmarkSaveAnswerCPU(b *testing.B) {
	ctx := context.Background()
	j := newJourney(b, "moet-4725")
	x, _ := j.s.Assessment(ctx, j.school, j.id)
	for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
		if _, err := j.s.SaveAnswer(ctx, j.school, j.id, ind.Code, fullAnswer(ind), 0); err != nil {
			b.Fatal(err)
		}
	}
	raw := map[string][]byte{}
	for code, a := range x.Answers {
		raw[code] = a.Value
	}
	x, _ = j.s.Assessment(ctx, j.school, j.id)
	for code, a := range x.Answers {
		raw[code] = a.Value
	}
	b.ReportAllocs()
	for b.Loop() {
		typed := make(map[string]indicators.Answer, len(raw))
		for code, v := range raw {
			var a indicators.Answer
			if err := a.UnmarshalJSON(v); err != nil {
				b.Fatal(err)
			}
			typed[code] = a
		}
		self, err := indicators.Score(x.Set, x.SchoolLevel, typed)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(self); err != nil { // what storeScore stores
			b.Fatal(err)
		}
		out := &model.SavedAnswer{Indicator: "x", Value: json.RawMessage("true"), Version: 2, Self: self, Answered: x.Answered, Applicable: x.Applicable}
		out.Gap, _ = indicators.NextLevel(x.Set, x.SchoolLevel, typed)
		if _, err := json.Marshal(out); err != nil {
			b.Fatal(err)
		}
	}
}
