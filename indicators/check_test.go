package indicators

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
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
		want  *Result
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
