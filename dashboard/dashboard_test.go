package dashboard

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dxindex/dxindex/indicators"
)

// TestIndexMatchesEngine: the index the robustness analysis re-forms from
// group scores with the nominal weights is the engine's index.
func TestIndexMatchesEngine(t *testing.T) {
	for _, code := range []string{"example", "moet-4725"} {
		set, err := indicators.ShippedSet(code)
		if err != nil {
			t.Fatal(err)
		}
		w := make([]float64, len(set.Groups))
		maxes := make([]float64, len(set.Groups))
		for i, g := range set.Groups {
			w[i], maxes[i] = g.EffectiveWeight(), g.Max
		}
		r := rand.New(rand.NewPCG(1, 2))
		level := set.EffectiveSchoolLevels()[0]
		for range 200 {
			answers := map[string]indicators.Answer{}
			for _, ind := range set.Indicators() {
				if !ind.AppliesToLevel(level) {
					continue
				}
				switch ind.Type {
				case indicators.TypeBoolean:
					answers[ind.Code] = indicators.BoolAnswer(r.IntN(2) == 0)
				case indicators.TypeChoice:
					answers[ind.Code] = indicators.ChoiceAnswer(ind.Options[r.IntN(len(ind.Options))].Code)
				case indicators.TypeMulti:
					answers[ind.Code] = indicators.MultiAnswer(ind.Options[0].Code)
				default:
					answers[ind.Code] = indicators.NumberAnswer(float64(r.IntN(101)))
				}
			}
			res, err := indicators.Score(set, level, answers)
			if err != nil {
				t.Fatal(err)
			}
			groups := make([]float64, len(res.Groups))
			for i, g := range res.Groups {
				groups[i] = g.Score
			}
			if got := Index(set.Index.EffectiveMethod(), w, maxes, groups); math.Abs(got-res.Index) > 1e-9 {
				t.Fatalf("%s: Index %v, engine %v", code, got, res.Index)
			}
		}
	}
}

func TestNextLevelGap(t *testing.T) {
	set, err := indicators.ShippedSet("example")
	if err != nil {
		t.Fatal(err)
	}
	// Level 3 needs A ≥ 80 and B > 35.
	g := nextLevelGap(set, 2, []float64{66.25, 37}, nil)
	if g == nil || g.Level != 3 || len(g.Groups) != 2 || g.Groups[0].Missing != 80-66.25 || g.Groups[0].Met || !g.Groups[1].Met || g.Mandatory {
		t.Fatalf("gap %+v", g)
	}
	g = nextLevelGap(set, 2, []float64{90, 35}, []string{"a.plan"})
	if g.Groups[1].Met || g.Groups[1].Op != "above" || !g.Groups[0].Met || !g.Mandatory {
		t.Fatalf("B at 35 does not pass above 35: %+v", g)
	}
	// The failed condition is named, so the page can say which.
	if len(g.MandatoryFailed) != 1 || g.MandatoryFailed[0].Code != "a.plan" || g.MandatoryFailed[0].Name.In("vi") != "Có kế hoạch dạy học trực tuyến" {
		t.Fatalf("mandatory gap not named: %+v", g.MandatoryFailed)
	}
	if nextLevelGap(set, 3, []float64{100, 50}, nil) != nil {
		t.Fatal("a gap above the top level")
	}
}
