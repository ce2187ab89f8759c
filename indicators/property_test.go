package indicators

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"
)

// maxAnswers answers every indicator that applies at level with the
// answer that scores its maximum (mandatory conditions met).
func maxAnswers(t testing.TB, set *Set, level string) map[string]Answer {
	t.Helper()
	out := map[string]Answer{}
	for _, ind := range set.Indicators() {
		if level != "" && !ind.AppliesToLevel(level) {
			continue
		}
		switch ind.Type {
		case TypeBoolean:
			out[ind.Code] = BoolAnswer(true)
		case TypeChoice:
			best := ind.Options[0]
			for _, o := range ind.Options {
				if o.Points > best.Points {
					best = o
				}
			}
			out[ind.Code] = ChoiceAnswer(best.Code)
		case TypeMulti:
			var codes []string
			for _, o := range ind.Options {
				codes = append(codes, o.Code)
			}
			out[ind.Code] = MultiAnswer(codes...)
		case TypePercent:
			out[ind.Code] = NumberAnswer(100)
		case TypeNumber:
			if ind.Proportional != nil {
				out[ind.Code] = NumberAnswer(ind.Proportional.FullAt)
			} else {
				out[ind.Code] = NumberAnswer(ind.Bands[0].Min)
			}
		}
	}
	return out
}

// randomAnswers answers most indicators that apply at level with a random
// valid answer and leaves the others unanswered.
func randomAnswers(rng *rand.Rand, set *Set, level string) map[string]Answer {
	out := map[string]Answer{}
	for _, ind := range set.Indicators() {
		if (level != "" && !ind.AppliesToLevel(level)) || rng.IntN(8) == 0 {
			continue
		}
		switch ind.Type {
		case TypeBoolean:
			out[ind.Code] = BoolAnswer(rng.IntN(3) > 0)
		case TypeChoice:
			out[ind.Code] = ChoiceAnswer(ind.Options[rng.IntN(len(ind.Options))].Code)
		case TypeMulti:
			codes := []string{}
			for _, k := range rng.Perm(len(ind.Options)) {
				if rng.IntN(2) == 0 {
					codes = append(codes, ind.Options[k].Code)
				}
			}
			out[ind.Code] = MultiAnswer(codes...)
		case TypePercent:
			v := rng.Float64() * 100
			if rng.IntN(2) == 0 {
				v = math.Round(v)
			}
			out[ind.Code] = NumberAnswer(v)
		case TypeNumber:
			out[ind.Code] = NumberAnswer(float64(rng.IntN(12)))
		}
	}
	return out
}

// genSet builds a random valid set: 1–4 groups, every type, mandatory
// conditions, applies_to, weights, per-group and every_group conditions.
func genSet(rng *rand.Rand) *Set {
	s := &Set{Code: "gen", Version: "1", Name: Text{VI: "Sinh ngẫu nhiên"}, Assessed: AssessedSchool}
	s.Index.Method = []string{"", MethodWeightedMean, MethodSum, MethodGeometricMean}[rng.IntN(4)]
	levels := SchoolLevels
	n := 0
	code := func() string { n++; return fmt.Sprintf("i%d", n) }
	minMax := math.Inf(1)
	for gi := range 1 + rng.IntN(4) {
		g := Group{Code: fmt.Sprintf("G%d", gi), Name: Text{VI: "Nhóm"}, Weight: []float64{0, 1, 2, 0.5}[rng.IntN(4)]}
		total := 0.0
		for ci := range 1 + rng.IntN(3) {
			c := Criterion{Code: fmt.Sprintf("%s.%d", g.Code, ci), Name: Text{VI: "Tiêu chí"}}
			for ii := range 1 + rng.IntN(5) {
				m := float64(1 + rng.IntN(10))
				ind := Indicator{Code: code(), Name: Text{VI: "Chỉ số"}}
				switch rng.IntN(7) {
				case 0:
					ind.Type, ind.Points = TypeBoolean, m
				case 1:
					ind.Type = TypeChoice
					ind.Options = []Option{{Code: "a", Name: Text{VI: "a"}}, {Code: "b", Name: Text{VI: "b"}, Points: m / 2}, {Code: "c", Name: Text{VI: "c"}, Points: m}}
					rng.Shuffle(3, func(i, j int) { ind.Options[i], ind.Options[j] = ind.Options[j], ind.Options[i] })
				case 2:
					ind.Type = TypeMulti
					k := 2 + rng.IntN(4)
					for o := range k {
						ind.Options = append(ind.Options, Option{Code: fmt.Sprintf("o%d", o), Name: Text{VI: "o"}, Points: float64(1 + rng.IntN(4))})
					}
					sum := 0.0
					for _, o := range ind.Options {
						sum += o.Points
					}
					if sum > m {
						ind.Max = m
					} else {
						m = sum
					}
				case 3:
					ind.Type = TypePercent
					ind.Bands = []Band{{Min: 80, Points: m}, {Min: 40, Points: m / 3}, {Min: 0}}
				case 4:
					ind.Type, ind.Proportional = TypePercent, &Proportional{Points: m, FullAt: []float64{100, 50, 80}[rng.IntN(3)]}
				case 5:
					ind.Type = TypeNumber
					ind.Bands = []Band{{Min: 10, Points: m}, {Min: 3, Points: m / 4}, {Min: 1, Points: m / 4}, {Min: 0}}
				default:
					ind.Type, ind.Proportional = TypeNumber, &Proportional{Points: m, FullAt: float64(1 + rng.IntN(6))}
				}
				// The first indicator of a group applies everywhere, so the
				// group can be scored at every level.
				if (ci > 0 || ii > 0) && rng.IntN(3) == 0 {
					ind.AppliesTo = randomLevels(rng, levels)
				}
				total += m
				c.Indicators = append(c.Indicators, ind)
				if rng.IntN(5) == 0 {
					must := Indicator{Code: code(), Name: Text{VI: "Bắt buộc"}, Type: TypeBoolean, Mandatory: true}
					if rng.IntN(2) == 0 {
						must.AppliesTo = randomLevels(rng, levels)
					}
					c.Indicators = append(c.Indicators, must)
				}
			}
			g.Criteria = append(g.Criteria, c)
		}
		g.Max = total
		minMax = min(minMax, g.Max)
		s.Groups = append(s.Groups, g)
	}
	top := Level{Level: 3, Name: Text{VI: "Tốt"}, Mandatory: "all"}
	if rng.IntN(2) == 0 {
		top.EveryGroup = &Threshold{Above: ptr(math.Floor(minMax * 0.75))}
	} else {
		top.Groups = map[string]Threshold{}
		for _, g := range s.Groups {
			if rng.IntN(2) == 0 || len(top.Groups) == 0 {
				top.Groups[g.Code] = Threshold{AtLeast: ptr(g.Max * 0.8)}
			}
		}
	}
	second := Level{Level: 2, Name: Text{VI: "Đạt"}, Mandatory: "all", EveryGroup: &Threshold{AtLeast: ptr(minMax * 0.4)}}
	// Format v1.1: a condition on the index, beside the others or alone.
	if rng.IntN(3) == 0 {
		scale := 1.0 // the index's top is 100, or the sum of the maxima
		if s.Index.EffectiveMethod() == MethodSum {
			sum := 0.0
			for _, g := range s.Groups {
				sum += g.Max
			}
			scale = min(1, sum/100)
		}
		top.Index = &Threshold{Above: ptr(math.Floor(75 * scale))}
		second.Index = &Threshold{AtLeast: ptr(50 * scale)}
		if rng.IntN(2) == 0 {
			second.Mandatory, second.EveryGroup = "", nil
		}
	}
	s.Levels = []Level{top, second, {Level: 1, Name: Text{VI: "Chưa đạt"}}}
	return s
}

// levelByRule is the level rule read from the set's own fields, apart
// from the compiled plan: the first level whose conditions all hold.
func levelByRule(set *Set, res *Result) int {
	for _, l := range set.Levels {
		ok := !(l.Mandatory == "all" && len(res.MandatoryFailed) > 0)
		for _, g := range res.Groups {
			if l.EveryGroup != nil && !l.EveryGroup.Met(g.Score) {
				ok = false
			}
			if t, has := l.Groups[g.Code]; has && !t.Met(g.Score) {
				ok = false
			}
		}
		if l.Index != nil && !l.Index.Met(res.Index) {
			ok = false
		}
		if ok {
			return l.Level
		}
	}
	return 0
}

func randomLevels(rng *rand.Rand, levels []string) []string {
	var out []string
	for _, k := range rng.Perm(len(levels))[:1+rng.IntN(len(levels))] {
		out = append(out, levels[k])
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// propertySets are the shipped sets and 200 random ones.
func propertySets(t *testing.T) []*Set {
	t.Helper()
	sets := slices.Clone(Shipped())
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		s := genSet(rng)
		s.Code = fmt.Sprintf("gen-%d", i)
		if err := s.Validate(); err != nil {
			t.Fatalf("generated set %d is invalid:\n%v", i, err)
		}
		sets = append(sets, s)
	}
	return sets
}

// levelsOf are the school levels to score a set at ("" for agency sets).
func levelsOf(s *Set) []string {
	if l := s.EffectiveSchoolLevels(); len(l) > 0 {
		return l
	}
	return []string{""}
}

// Each group's maximum is reachable at every school level, and it is the
// declared max exactly.
func TestPropertyMaximumReachable(t *testing.T) {
	for _, set := range propertySets(t) {
		for _, level := range levelsOf(set) {
			res, err := Score(set, level, maxAnswers(t, set, level))
			if err != nil {
				t.Fatalf("%s/%s: %v", set.Code, level, err)
			}
			for _, g := range res.Groups {
				if g.Score != g.Max || g.Points != g.ApplicableMax {
					t.Errorf("%s/%s: group %s full marks give %v of %v (points %v of %v)", set.Code, level, g.Code, g.Score, g.Max, g.Points, g.ApplicableMax)
				}
			}
			for _, is := range res.Indicators() {
				if is.Points != is.Max {
					t.Errorf("%s/%s: %s max answer gives %v of %v", set.Code, level, is.Code, is.Points, is.Max)
				}
			}
			want := 100.0
			if set.Index.EffectiveMethod() == MethodSum {
				want = 0
				for _, g := range set.Groups {
					want += g.Max
				}
			}
			if math.Abs(res.Index-want) > 1e-9 || len(res.MandatoryFailed) > 0 || res.Level != set.Levels[0].Level {
				t.Errorf("%s/%s: full marks give index %v (want %v), level %d, failed %v", set.Code, level, res.Index, want, res.Level, res.MandatoryFailed)
			}
		}
	}
}

// No score exceeds its maximum, applies_to rescaling stays in range, and
// the not-applicable list is exactly what applies_to excludes.
func TestPropertyScoresInRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, set := range propertySets(t) {
		sumMax := 0.0
		for _, g := range set.Groups {
			sumMax += g.Max
		}
		for _, level := range levelsOf(set) {
			var wantNA []string
			for _, ind := range set.Indicators() {
				if level != "" && !ind.AppliesToLevel(level) {
					wantNA = append(wantNA, ind.Code)
				}
			}
			for range 20 {
				res, err := Score(set, level, randomAnswers(rng, set, level))
				if err != nil {
					t.Fatalf("%s/%s: %v", set.Code, level, err)
				}
				for _, is := range res.Indicators() {
					if is.Points < 0 || is.Points > is.Max {
						t.Fatalf("%s/%s: %s scores %v of %v", set.Code, level, is.Code, is.Points, is.Max)
					}
				}
				for _, g := range res.Groups {
					if g.Score < 0 || g.Score > g.Max || g.ApplicableMax <= 0 || g.ApplicableMax > g.Max*(1+1e-12) {
						t.Fatalf("%s/%s: group %+v out of range", set.Code, level, g)
					}
				}
				hi := 100.0
				if set.Index.EffectiveMethod() == MethodSum {
					hi = sumMax * (1 + 1e-12)
				}
				if res.Index < 0 || res.Index > hi || math.IsNaN(res.Index) {
					t.Fatalf("%s/%s: index %v out of [0, %v]", set.Code, level, res.Index, hi)
				}
				if !slices.ContainsFunc(set.Levels, func(l Level) bool { return l.Level == res.Level }) {
					t.Fatalf("%s/%s: level %d is not a level of the set", set.Code, level, res.Level)
				}
				if want := levelByRule(set, res); res.Level != want {
					t.Fatalf("%s/%s: level %d, the rule gives %d (index %v)", set.Code, level, res.Level, want, res.Index)
				}
				if d := cmp.Diff(wantNA, res.NotApplicable, cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s/%s: not applicable (-want +got):\n%s", set.Code, level, d)
				}
			}
		}
	}
}

// A set survives the trip through its canonical JSON and through YAML:
// the reloaded set has the same canonical JSON.
func TestPropertyRoundTrip(t *testing.T) {
	for _, set := range propertySets(t) {
		js, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		ys, err := yaml.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name string
			data []byte
		}{{set.Code + ".json", js}, {set.Code + ".yaml", ys}} {
			back, err := Parse(f.name, f.data)
			if err != nil {
				t.Fatalf("%s does not load:\n%v\n%s", f.name, err, f.data)
			}
			again, _ := json.Marshal(back)
			if string(again) != string(js) {
				t.Fatalf("%s: round trip changes the set (-want +got):\n%s", f.name,
					cmp.Diff(set, back, cmpopts.IgnoreUnexported(Set{}), cmpopts.EquateEmpty()))
			}
		}
	}
}

// A Result is stored as encoding/json writes it and read back whole: the
// exported fields survive the round trip, its indicators' points are
// those Indicators lists, and each criterion's achievement is its points
// over its applicable maximum, on every shipped and generated set with
// random answers.
func TestPropertyResultJSONRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, set := range propertySets(t) {
		for _, level := range levelsOf(set) {
			for range 5 {
				r, err := Score(set, level, randomAnswers(rng, set, level))
				if err != nil {
					t.Fatal(err)
				}
				js, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				var back Result
				if err := json.Unmarshal(js, &back); err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(r, &back, cmpopts.IgnoreUnexported(Result{})); d != "" {
					t.Fatalf("%s at %q: round trip (-want +got):\n%s", set.Code, level, d)
				}
				inds := r.Indicators()
				if len(inds) != r.IndicatorPoints.Len() {
					t.Fatalf("%s at %q: %d indicators with points, map has %d", set.Code, level, len(inds), r.IndicatorPoints.Len())
				}
				for _, is := range inds {
					if p, ok := r.IndicatorPoints.Get(is.Code); !ok || p != is.Points {
						t.Fatalf("%s at %q: %s points %v, map %v", set.Code, level, is.Code, is.Points, p)
					}
				}
				for _, c := range r.Criteria {
					if (c.ApplicableMax > 0) != (c.Achievement != nil) || (c.Achievement != nil && *c.Achievement != c.Points/c.ApplicableMax*100) {
						t.Fatalf("%s at %q: criterion %+v", set.Code, level, c)
					}
				}
			}
		}
	}
}
