package survey

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/google/go-cmp/cmp"
)

// scoreBothMaps is the map path scoreBoth took before it moved to the
// engine's sheet path: the reference it must still agree with.
func scoreBothMaps(x *model.Assessment, typed, reviews map[string]indicators.Answer) (self, validated *indicators.Result, err error) {
	if self, err = indicators.Score(x.Set, x.SchoolLevel, typed); err != nil {
		return nil, nil, wrap("score", err)
	}
	validated = self
	if len(reviews) > 0 {
		overlaid := maps.Clone(typed)
		for code, v := range reviews {
			if v.Kind == indicators.KindNone {
				delete(overlaid, code)
			} else {
				overlaid[code] = v
			}
		}
		if validated, err = indicators.Score(x.Set, x.SchoolLevel, overlaid); err != nil {
			return nil, nil, wrap("score", err)
		}
	}
	return self, validated, nil
}

// TestScoreBothSheetIsMaps: the stored scores, now computed on the sheet
// path, are the map path's results, and its errors, for answers with an
// evaluator's values (some clearing an answer, some of the wrong type).
func TestScoreBothSheetIsMaps(t *testing.T) {
	set, err := indicators.ShippedSet("moet-4725")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var invalid, valid int
	for n := 0; n < 300; n++ {
		level := indicators.SchoolLevels[rng.IntN(len(indicators.SchoolLevels))]
		x := &model.Assessment{SchoolLevel: level, Set: set}
		typed, reviews := map[string]indicators.Answer{}, map[string]indicators.Answer{}
		for _, ind := range set.Indicators() {
			if !ind.AppliesToLevel(level) || rng.IntN(6) == 0 {
				continue
			}
			var a indicators.Answer
			switch ind.Type {
			case indicators.TypeBoolean:
				a = indicators.BoolAnswer(rng.IntN(2) == 0)
			case indicators.TypeChoice:
				a = indicators.ChoiceAnswer(ind.Options[rng.IntN(len(ind.Options))].Code)
			case indicators.TypeMulti:
				a = indicators.MultiAnswer(ind.Options[0].Code)
			default:
				a = indicators.NumberAnswer(float64(rng.IntN(100)))
			}
			typed[ind.Code] = a
			switch rng.IntN(12) {
			case 0:
				reviews[ind.Code] = indicators.Answer{} // cleared
			case 1:
				reviews[ind.Code] = a
			case 2:
				if n%10 == 0 {
					reviews[ind.Code] = indicators.ChoiceAnswer("zz") // invalid
				}
			case 3:
				if n%15 == 0 {
					typed[ind.Code] = indicators.NumberAnswer(-1) // invalid
				}
			}
		}
		wantSelf, want, wantErr := scoreBothMaps(x, typed, reviews)
		gotSelf, got, gotErr := scoreBoth(x, typed, reviews)
		if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
			t.Fatalf("errors: maps %v, sheet %v", wantErr, gotErr)
		}
		if wantErr == nil {
			ws, _ := json.Marshal(wantSelf)
			gs, _ := json.Marshal(gotSelf)
			if d := cmp.Diff(string(ws), string(gs)); d != "" {
				t.Fatalf("self results differ:\n%s", d)
			}
		}
		if wantErr != nil {
			invalid++
			continue
		}
		valid++
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		if d := cmp.Diff(string(wj), string(gj)); d != "" {
			t.Fatalf("results differ:\n%s", d)
		}
		if d := cmp.Diff(want.Indicators(), got.Indicators()); d != "" {
			t.Fatalf("indicators differ:\n%s", d)
		}
	}
	if invalid == 0 || valid < 200 {
		t.Errorf("%d valid and %d invalid cases: the cases do not cover both", valid, invalid)
	}
}
