package indicators

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

const benchUnits = 50_000

type benchAssessment struct {
	level   string
	answers map[string]Answer
}

// benchAssessments are 50,000 random moet-4725 assessments over the five
// school levels, mostly answered, as a campaign's would be.
func benchAssessments(b *testing.B, set *Set) []benchAssessment {
	b.Helper()
	rng := rand.New(rand.NewPCG(9, 10))
	out := make([]benchAssessment, benchUnits)
	for i := range out {
		level := SchoolLevels[rng.IntN(len(SchoolLevels))]
		out[i] = benchAssessment{level, randomAnswers(rng, set, level)}
	}
	return out
}

// BenchmarkScore50k scores 50,000 assessments against moet-4725 on one
// goroutine (one op = all 50,000), the answers held as 50,000 maps: most
// of the time goes to looking codes up in maps that are cold in the cache.
func BenchmarkScore50k(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as := benchAssessments(b, set)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range as {
			if _, err := Score(set, a.level, a.answers); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchUnits, "ns/assessment")
}

// BenchmarkScoreSheet50k is BenchmarkScore50k with the answers laid out
// as Sheets (no lookups by code): the form for recomputing a campaign.
func BenchmarkScoreSheet50k(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as := benchAssessments(b, set)
	sheets := make([]Sheet, len(as))
	for i, a := range as {
		sheets[i], _ = set.Sheet(a.answers)
		as[i].answers = nil // not live: only the sheets are
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, s := range sheets {
			if _, err := ScoreSheet(set, as[i].level, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchUnits, "ns/assessment")
}

// BenchmarkParseAndScore50k adds decoding each assessment's answers from
// JSON, as `dxindex score` does.
func BenchmarkParseAndScore50k(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as := benchAssessments(b, set)
	raw := make([][]byte, len(as))
	for i, a := range as {
		raw[i], _ = json.Marshal(a.answers)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, a := range as {
			answers, err := ParseAnswers(raw[i])
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Score(set, a.level, answers); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseSheetAndScore50k is BenchmarkParseAndScore50k on the
// sheet path, as `dxindex score` now does (ScoreRaw): the raw answers
// parsed straight into a Sheet, with no answer map in between.
func BenchmarkParseSheetAndScore50k(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as := benchAssessments(b, set)
	raw := make([][]byte, len(as))
	for i, a := range as {
		raw[i], _ = json.Marshal(a.answers)
		as[i].answers = nil
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, a := range as {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw[i], &m); err != nil {
				b.Fatal(err)
			}
			if _, err := ScoreRaw(set, a.level, m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkScoreBoth50k scores 50,000 assessments twice, the school's
// answers and the evaluator's values over them (one in eight answers), as
// the seed does on the map path: a copy of each map, overlaid.
func BenchmarkScoreBoth50k(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as, reviews := benchReviews(b, set)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, a := range as {
			if _, err := Score(set, a.level, a.answers); err != nil {
				b.Fatal(err)
			}
			over := make(map[string]Answer, len(a.answers))
			for k, v := range a.answers {
				over[k] = v
			}
			for k, v := range reviews[i] {
				over[k] = v
			}
			if _, err := Score(set, a.level, over); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchUnits, "ns/assessment")
}

// BenchmarkScoreBothSheet50k is BenchmarkScoreBoth50k on the sheet path,
// as the seed and the set-move preview now do: Set.Sheet once, then
// Set.Overlay for the evaluator's values.
func BenchmarkScoreBothSheet50k(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as, reviews := benchReviews(b, set)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, a := range as {
			sheet, err := set.Sheet(a.answers)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ScoreSheet(set, a.level, sheet); err != nil {
				b.Fatal(err)
			}
			over, err := set.Overlay(sheet, reviews[i])
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ScoreSheet(set, a.level, over); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchUnits, "ns/assessment")
}

// benchReviews are benchAssessments with an evaluator's lower value for
// about one answer in eight.
func benchReviews(b *testing.B, set *Set) ([]benchAssessment, []map[string]Answer) {
	as := benchAssessments(b, set)
	rng := rand.New(rand.NewPCG(13, 14))
	reviews := make([]map[string]Answer, len(as))
	for i, a := range as {
		reviews[i] = map[string]Answer{}
		for code, v := range a.answers {
			if rng.IntN(8) == 0 && v.Kind == KindBool {
				reviews[i][code] = BoolAnswer(false)
			}
		}
	}
	return as, reviews
}

// BenchmarkNextLevel computes one gap to the next level.
func BenchmarkNextLevel(b *testing.B) {
	set := mustShipped(b, "moet-4725")
	as := benchAssessments(b, set)[:1000]
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := as[i%len(as)]
		if _, err := NextLevel(set, a.level, a.answers); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func benchIndexes() ([]float64, []string, []string, []string) {
	rng := rand.New(rand.NewPCG(11, 12))
	idx := make([]float64, benchUnits)
	district := make([]string, benchUnits)
	province := make([]string, benchUnits)
	level := make([]string, benchUnits)
	for i := range idx {
		idx[i] = float64(rng.IntN(10000)) / 100 // many ties, as real 2-decimal indexes have
		p := rng.IntN(63)
		province[i] = fmt.Sprintf("P%02d", p)
		district[i] = fmt.Sprintf("P%02d-D%02d", p, rng.IntN(11))
		level[i] = SchoolLevels[rng.IntN(len(SchoolLevels))]
	}
	return idx, district, province, level
}

// BenchmarkRank50k ranks 50,000 units overall.
func BenchmarkRank50k(b *testing.B) {
	idx, _, _, _ := benchIndexes()
	b.ReportAllocs()
	for b.Loop() {
		Rank(idx)
	}
}

// BenchmarkRankWithin50k ranks 50,000 units within their district (about
// 700 groups), province (63) and school level (5): one op is all three.
func BenchmarkRankWithin50k(b *testing.B) {
	idx, district, province, level := benchIndexes()
	b.ReportAllocs()
	for b.Loop() {
		RankWithin(idx, district)
		RankWithin(idx, province)
		RankWithin(idx, level)
	}
}
