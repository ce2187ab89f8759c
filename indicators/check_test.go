package indicators

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheckAnswerIsScore checks CheckAnswer against Score on one-answer
// maps, the check it replaces before a save: for every shipped set, every
// school level (and none, and one no set has), every indicator and an
// unknown code, and answers of every shape, valid and not, both give the
// same error (same type, same text) or both none.
func TestCheckAnswerIsScore(t *testing.T) {
	answers := []Answer{
		{}, BoolAnswer(true), BoolAnswer(false), NumberAnswer(0), NumberAnswer(65.5), NumberAnswer(100), NumberAnswer(101),
		NumberAnswer(-1), NumberAnswer(math.NaN()), NumberAnswer(math.Inf(1)), NumberAnswer(1e9), ChoiceAnswer("nope"),
		MultiAnswer(), MultiAnswer("nope"),
	}
	levels := append([]string{"", "kindergarten"}, SchoolLevels...)
	checked := 0
	for _, set := range Shipped() {
		for _, ind := range set.Indicators() {
			as := append([]Answer(nil), answers...)
			for _, o := range ind.Options {
				as = append(as, ChoiceAnswer(o.Code), MultiAnswer(o.Code), MultiAnswer(o.Code, o.Code))
			}
			if len(ind.Options) > 1 {
				as = append(as, MultiAnswer(ind.Options[0].Code, ind.Options[1].Code))
			}
			for _, code := range []string{ind.Code, "zz.unknown"} {
				for _, level := range levels {
					for _, a := range as {
						_, want := Score(set, level, map[string]Answer{code: a})
						got := set.CheckAnswer(level, code, a)
						if (want == nil) != (got == nil) || (want != nil && (want.Error() != got.Error() || reflect.TypeOf(want) != reflect.TypeOf(got))) {
							t.Fatalf("%s %s at %q, answer %v: CheckAnswer %v (%T), Score %v (%T)", set.Code, code, level, a, got, got, want, want)
						}
						if want != nil && errors.Is(want, ErrSchoolLevel) != errors.Is(got, ErrSchoolLevel) {
							t.Fatalf("%s %s at %q: ErrSchoolLevel differs", set.Code, code, level)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d cases", checked)
	}
	if err := (*Set)(nil).CheckAnswer("", "x", BoolAnswer(true)); err == nil {
		t.Error("a nil set checks an answer")
	}
}

// TestCheckAnswerAllocs: the check before a save builds no result.
func TestCheckAnswerAllocs(t *testing.T) {
	set := mustShipped(t, "moet-4725")
	code := set.Indicators()[1].Code
	if n := testing.AllocsPerRun(100, func() {
		if err := set.CheckAnswer("primary", code, BoolAnswer(true)); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("CheckAnswer of a valid answer allocates %v times", n)
	}
}

// TestScoreRawIsParseAndScore checks ScoreRaw, the sheet path `dxindex
// score` takes, against ParseAnswerMap followed by Score (the map path it
// replaces): the same result, or the same error, for random assessments,
// some spoiled with answers of no shape, unknown codes (null or not),
// invalid answers and school levels the set does not cover.
func TestScoreRawIsParseAndScore(t *testing.T) {
	opts := cmp.AllowUnexported(Result{}, plan{}, cind{}, cgroup{}, ccrit{}, clevel{}, ccond{})
	rng := rand.New(rand.NewPCG(21, 22))
	spoils := []struct{ code, raw string }{
		{"zz.unknown", `true`}, {"zz.null", `null`}, {"", `1`}, {"", `{}`}, {"a.b", `[1]`}, {"", `-1`}, {"", `"nope"`},
		{"", `101`}, {"", `["x","x"]`}, {"", `true`}, {"", `null`}, {"", `[]`},
	}
	results, errs := 0, 0
	for _, set := range Shipped() {
		inds := set.Indicators()
		for n := 0; n < 300; n++ {
			level := SchoolLevels[rng.IntN(len(SchoolLevels))]
			switch rng.IntN(10) {
			case 0:
				level = ""
			case 1:
				level = "kindergarten"
			}
			raw := map[string]json.RawMessage{}
			for code, a := range randomAnswers(rng, set, level) {
				b, err := json.Marshal(a)
				if err != nil {
					t.Fatal(err)
				}
				raw[code] = b
			}
			for k := rng.IntN(3); k > 0 && rng.IntN(2) == 0; k-- {
				sp := spoils[rng.IntN(len(spoils))]
				code := sp.code
				if code == "" {
					code = inds[rng.IntN(len(inds))].Code
				}
				raw[code] = json.RawMessage(sp.raw)
			}
			got, gotErr := ScoreRaw(set, level, raw)
			var want *Result
			answers, wantErr := ParseAnswerMap(raw)
			if wantErr == nil {
				want, wantErr = Score(set, level, answers)
			}
			if (gotErr == nil) != (wantErr == nil) || (wantErr != nil && (gotErr.Error() != wantErr.Error() || reflect.TypeOf(gotErr) != reflect.TypeOf(wantErr))) {
				t.Fatalf("%s at %q, %s: ScoreRaw error %v, map path %v", set.Code, level, raw, gotErr, wantErr)
			}
			if wantErr != nil {
				errs++
				continue
			}
			results++
			if d := cmp.Diff(want, got, opts); d != "" {
				t.Fatalf("%s at %q: ScoreRaw differs from the map path:\n%s", set.Code, level, d)
			}
			wj, _ := json.Marshal(want)
			gj, _ := json.Marshal(got)
			if string(wj) != string(gj) {
				t.Fatalf("JSON differs:\n%s\n%s", wj, gj)
			}
		}
	}
	if results < 100 || errs < 100 {
		t.Fatalf("%d results and %d errors: the cases do not cover both", results, errs)
	}
	if _, err := ScoreRaw(nil, "", nil); err == nil {
		t.Error("ScoreRaw scores with a nil set")
	}
}

// TestScoreConcurrently scores from several goroutines on one freshly
// loaded set, so that the result layouts (built on first use, one per
// length of a result's lists) are built concurrently: run with -race.
// Every goroutine's results equal those scored alone.
func TestScoreConcurrently(t *testing.T) {
	opts := cmp.AllowUnexported(Result{}, plan{}, cind{}, cgroup{}, ccrit{}, clevel{}, ccond{})
	set := mustShipped(t, "moet-4725")
	rng := rand.New(rand.NewPCG(31, 32))
	type unit struct {
		level string
		sheet Sheet
	}
	units := make([]unit, 200)
	for i := range units {
		level := SchoolLevels[rng.IntN(len(SchoolLevels))]
		sheet, err := set.Sheet(randomAnswers(rng, set, level))
		if err != nil {
			t.Fatal(err)
		}
		units[i] = unit{level: level, sheet: sheet}
	}
	data, err := shippedFS.ReadFile("sets/moet-4725.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Parse("moet-4725.yaml", data) // no layout built yet
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]*Result, 4)
	for g := range got {
		got[g] = make([]*Result, len(units))
		wg.Go(func() {
			for i, u := range units {
				got[g][i], _ = ScoreSheet(fresh, u.level, u.sheet)
			}
		})
	}
	wg.Wait()
	for i, u := range units {
		want, err := ScoreSheet(set, u.level, u.sheet)
		if err != nil {
			t.Fatal(err)
		}
		for g := range got {
			if d := cmp.Diff(want, got[g][i], opts); d != "" {
				t.Fatalf("goroutine %d, unit %d:\n%s", g, i, d)
			}
		}
	}
}

// bigSet is moet-4725 copied n times (codes prefixed c0-, c1-, …), with
// only its last, unconditional level: a set larger than the stack
// buffers of Score (64 indicators) and of scoring (128).
func bigSet(t *testing.T, n int) *Set {
	t.Helper()
	src := mustShipped(t, "moet-4725")
	big := &Set{Code: "big", Version: "1", Name: src.Name, Assessed: src.Assessed, Index: src.Index,
		Levels: []Level{{Level: src.Levels[len(src.Levels)-1].Level, Name: src.Levels[len(src.Levels)-1].Name}}}
	for k := range n {
		for _, g := range src.Groups {
			g.Code = fmt.Sprintf("c%d-%s", k, g.Code)
			g.Criteria = slices.Clone(g.Criteria)
			for ci := range g.Criteria {
				c := &g.Criteria[ci]
				c.Code = fmt.Sprintf("c%d-%s", k, c.Code)
				c.Indicators = slices.Clone(c.Indicators)
				for ii := range c.Indicators {
					c.Indicators[ii].Code = fmt.Sprintf("c%d-%s", k, c.Indicators[ii].Code)
				}
			}
			big.Groups = append(big.Groups, g)
		}
	}
	if err := big.Validate(); err != nil {
		t.Fatal(err)
	}
	return big
}

// TestScoreBigSets scores sets of 84 and 140 indicators (past the stack
// buffers) with every copy answered alike: each copy's groups, criteria,
// points and lists are exactly the set's own, on both paths.
func TestScoreBigSets(t *testing.T) {
	src := mustShipped(t, "moet-4725")
	rng := rand.New(rand.NewPCG(41, 42))
	for n, over := range map[int]int{3: 64, 5: 128} {
		big := bigSet(t, n)
		if len(big.Indicators()) <= over {
			t.Fatalf("the set of %d copies has only %d indicators", n, len(big.Indicators()))
		}
		for range 30 {
			level := SchoolLevels[rng.IntN(len(SchoolLevels))]
			answers := randomAnswers(rng, src, level)
			want, err := Score(src, level, answers)
			if err != nil {
				t.Fatal(err)
			}
			bigAnswers := map[string]Answer{}
			for k := range n {
				for code, a := range answers {
					bigAnswers[fmt.Sprintf("c%d-%s", k, code)] = a
				}
			}
			got, err := Score(big, level, bigAnswers)
			if err != nil {
				t.Fatal(err)
			}
			sheet, err := big.Sheet(bigAnswers)
			if err != nil {
				t.Fatal(err)
			}
			fromSheet, err := ScoreSheet(big, level, sheet)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(got, fromSheet, cmp.AllowUnexported(Result{}, plan{}, cind{}, cgroup{}, ccrit{}, clevel{}, ccond{})); d != "" {
				t.Fatalf("%d copies: Score and ScoreSheet differ:\n%s", n, d)
			}
			prefixed := func(k int, codes []string) []string {
				out := []string{}
				for _, c := range codes {
					out = append(out, fmt.Sprintf("c%d-%s", k, c))
				}
				return out
			}
			un, failed := []string{}, []string{}
			for k := range n {
				un, failed = append(un, prefixed(k, want.Unanswered)...), append(failed, prefixed(k, want.MandatoryFailed)...)
				for gi, g := range want.Groups {
					bg := got.Groups[k*len(want.Groups)+gi]
					bg.Code = g.Code
					if bg != g {
						t.Fatalf("%d copies, copy %d: group %+v, want %+v", n, k, bg, g)
					}
				}
				for ci, c := range want.Criteria {
					bc := got.Criteria[k*len(want.Criteria)+ci]
					if bc.Points != c.Points || bc.ApplicableMax != c.ApplicableMax || (bc.Achievement == nil) != (c.Achievement == nil) || (c.Achievement != nil && *bc.Achievement != *c.Achievement) {
						t.Fatalf("%d copies, copy %d: criterion %s differs", n, k, c.Code)
					}
				}
				for code, v := range want.IndicatorPoints.Map() {
					if bv, ok := got.IndicatorPoints.Get(fmt.Sprintf("c%d-%s", k, code)); !ok || bv != v {
						t.Fatalf("%d copies, copy %d: %s scored %v, want %v", n, k, code, bv, v)
					}
				}
			}
			if d := cmp.Diff(un, got.Unanswered); d != "" {
				t.Fatalf("unanswered:\n%s", d)
			}
			if d := cmp.Diff(failed, got.MandatoryFailed); d != "" {
				t.Fatalf("mandatory failed:\n%s", d)
			}
		}
	}
}
