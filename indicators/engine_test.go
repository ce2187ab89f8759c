package indicators

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func mustShipped(t testing.TB, code string) *Set {
	t.Helper()
	s, err := ShippedSet(code)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fullExample answers every indicator of the example set that applies to
// lower_secondary.
func fullExample() map[string]Answer {
	return map[string]Answer{
		"a.plan":     BoolAnswer(true),
		"a.lms":      BoolAnswer(true),                       // 20
		"a.devices":  ChoiceAnswer("some"),                   // 10
		"a.features": MultiAnswer("assign", "quiz", "forum"), // 22, capped at 20
		"a.teachers": NumberAnswer(65),                       // 15
		"a.lab":      NumberAnswer(50),                       // 7.5
		"b.modules":  NumberAnswer(3),                        // 12
		"b.portal":   BoolAnswer(true),                       // 10
		"b.services": NumberAnswer(2),                        // 10
	}
}

func TestScoreExample(t *testing.T) {
	set := mustShipped(t, "example")
	got, err := Score(set, "lower_secondary", fullExample())
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Groups: []GroupScore{
			{Code: "A", Score: 72.5, Max: 100, Points: 72.5, ApplicableMax: 100},
			{Code: "B", Score: 32, Max: 50, Points: 32, ApplicableMax: 50},
		},
		Index:           (72.5*2 + 64) / 3,
		Level:           2,
		MandatoryFailed: []string{},
		Unanswered:      []string{},
		NotApplicable:   []string{"b.staff"},
		IndicatorPoints: PointsOf(map[string]float64{"a.devices": 10, "a.features": 20, "a.lab": 7.5, "a.lms": 20, "a.teachers": 15,
			"b.modules": 12, "b.portal": 10, "b.services": 10}),
		Criteria: []CriterionScore{
			{Code: "A1", Points: 20, ApplicableMax: 20, Achievement: ptrTo(100.0)},
			{Code: "A2", Points: 52.5, ApplicableMax: 80, Achievement: ptrTo(65.625)},
			{Code: "B1", Points: 32, ApplicableMax: 50, Achievement: ptrTo(64.0)},
		},
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Result{})); d != "" {
		t.Fatalf("Score (-want +got):\n%s", d)
	}
	wantInd := []IndicatorScore{
		{Code: "a.lms", Points: 20, Max: 20, Answered: true},
		{Code: "a.devices", Points: 10, Max: 20, Answered: true},
		{Code: "a.features", Points: 20, Max: 20, Answered: true},
		{Code: "a.teachers", Points: 15, Max: 25, Answered: true},
		{Code: "a.lab", Points: 7.5, Max: 15, Answered: true},
		{Code: "b.modules", Points: 12, Max: 20, Answered: true},
		{Code: "b.portal", Points: 10, Max: 10, Answered: true},
		{Code: "b.services", Points: 10, Max: 20, Answered: true},
	}
	if d := cmp.Diff(wantInd, got.Indicators()); d != "" {
		t.Fatalf("Indicators (-want +got):\n%s", d)
	}
	if p, ok := got.Points("a.lab"); !ok || p != 7.5 {
		t.Errorf("Points(a.lab) = %v, %v", p, ok)
	}
	for _, code := range []string{"a.plan", "b.staff", "nope"} {
		if _, ok := got.Points(code); ok {
			t.Errorf("Points(%s) ok: mandatory, not applicable or unknown", code)
		}
	}
}

// TestIndicatorPoints covers the points rule of every type, boundaries
// included.
func TestIndicatorPoints(t *testing.T) {
	set := mustShipped(t, "example")
	tests := []struct {
		code   string
		answer Answer
		want   float64
	}{
		{"a.lms", BoolAnswer(true), 20},
		{"a.lms", BoolAnswer(false), 0},
		{"a.devices", ChoiceAnswer("none"), 0},
		{"a.devices", ChoiceAnswer("some"), 10},
		{"a.devices", ChoiceAnswer("all"), 20},
		{"a.features", MultiAnswer(), 0},
		{"a.features", MultiAnswer("assign"), 8},
		{"a.features", MultiAnswer("forum", "assign"), 14},
		{"a.features", MultiAnswer("assign", "quiz"), 16},
		{"a.features", MultiAnswer("assign", "quiz", "forum"), 20}, // 22 capped at max
		{"a.features", MultiAnswer("assign", "quiz", "forum", "parents"), 20},
		{"a.teachers", NumberAnswer(100), 25},
		{"a.teachers", NumberAnswer(80), 25}, // min is inclusive
		{"a.teachers", NumberAnswer(79.99), 15},
		{"a.teachers", NumberAnswer(50), 15},
		{"a.teachers", NumberAnswer(49.5), 5},
		{"a.teachers", NumberAnswer(20), 5},
		{"a.teachers", NumberAnswer(19), 0},
		{"a.teachers", NumberAnswer(0), 0},
		{"a.lab", NumberAnswer(0), 0},
		{"a.lab", NumberAnswer(50), 7.5},
		{"a.lab", NumberAnswer(100), 15},
		{"b.modules", NumberAnswer(0), 0},
		{"b.modules", NumberAnswer(0.5), 0},
		{"b.modules", NumberAnswer(1), 5},
		{"b.modules", NumberAnswer(4), 12},
		{"b.modules", NumberAnswer(5), 20},
		{"b.modules", NumberAnswer(500), 20},
		{"b.services", NumberAnswer(0), 0},
		{"b.services", NumberAnswer(1), 5},
		{"b.services", NumberAnswer(4), 20},
		{"b.services", NumberAnswer(9), 20}, // proportional stops at full_at
	}
	for _, tc := range tests {
		t.Run(tc.code+"="+tc.answer.String(), func(t *testing.T) {
			res, err := Score(set, "lower_secondary", map[string]Answer{tc.code: tc.answer})
			if err != nil {
				t.Fatal(err)
			}
			for _, is := range res.Indicators() {
				if is.Code == tc.code {
					if is.Points != tc.want || !is.Answered {
						t.Fatalf("points = %v (answered %v), want %v", is.Points, is.Answered, tc.want)
					}
					return
				}
			}
			t.Fatalf("%s not in result", tc.code)
		})
	}
}

func TestScoreUnansweredAndMandatory(t *testing.T) {
	set := mustShipped(t, "example")
	t.Run("nothing answered", func(t *testing.T) {
		res, err := Score(set, "upper_secondary", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"a.plan", "a.lms", "a.devices", "a.features", "a.teachers", "a.lab", "b.staff", "b.modules", "b.portal", "b.services"}
		if d := cmp.Diff(want, res.Unanswered); d != "" {
			t.Errorf("unanswered (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"a.plan", "b.staff"}, res.MandatoryFailed); d != "" {
			t.Errorf("an unanswered mandatory indicator is not met (-want +got):\n%s", d)
		}
		if res.Index != 0 || res.Level != 1 || len(res.Indicators()) != 8 {
			t.Errorf("index %v level %d indicators %d, want 0, 1, 8", res.Index, res.Level, len(res.Indicators()))
		}
		for _, is := range res.Indicators() {
			if is.Answered || is.Points != 0 {
				t.Errorf("%s: %+v, want 0 points and unanswered", is.Code, is)
			}
		}
	})
	t.Run("mandatory false", func(t *testing.T) {
		a := fullExample()
		a["a.plan"] = BoolAnswer(false)
		res, err := Score(set, "lower_secondary", a)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"a.plan"}, res.MandatoryFailed); d != "" {
			t.Errorf("mandatory failed (-want +got):\n%s", d)
		}
		if len(res.Unanswered) != 0 {
			t.Errorf("unanswered = %v, want none", res.Unanswered)
		}
		if res.Level != 1 {
			t.Errorf("level = %d, want 1: level 2 needs every mandatory condition", res.Level)
		}
		if g, _ := res.Group("A"); g.Score != 72.5 {
			t.Errorf("a mandatory indicator has no points, yet A = %v", g.Score)
		}
	})
	t.Run("mandatory limited to a level", func(t *testing.T) {
		a := fullExample()
		res, err := Score(set, "upper_secondary", a)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]string{"b.staff"}, res.MandatoryFailed); d != "" {
			t.Errorf("mandatory failed (-want +got):\n%s", d)
		}
		a["b.staff"] = BoolAnswer(true)
		if res, _ = Score(set, "upper_secondary", a); len(res.MandatoryFailed) != 0 || res.Level != 2 {
			t.Errorf("b.staff true: failed %v level %d, want none and 2", res.MandatoryFailed, res.Level)
		}
	})
}

func TestScoreNotApplicableRescales(t *testing.T) {
	set := mustShipped(t, "example")
	a := fullExample()
	delete(a, "a.lab")
	res, err := Score(set, "primary", a)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"a.lab", "b.staff"}, res.NotApplicable); d != "" {
		t.Errorf("not applicable (-want +got):\n%s", d)
	}
	g, _ := res.Group("A")
	// 65 of the 85 points that apply to a primary school, on a 100 scale.
	if g.Points != 65 || g.ApplicableMax != 85 || g.Score != 65.0/85*100 {
		t.Errorf("A = %+v, want 65 of 85 → %v", g, 65.0/85*100)
	}
	for _, is := range res.Indicators() {
		if is.Code == "a.lab" {
			t.Errorf("a not-applicable indicator is listed with points")
		}
	}
}

func TestLevelThresholds(t *testing.T) {
	set := mustShipped(t, "example")
	// Level 3: A at_least 80, B above 35. B = 20 + 10 + services.
	base := func() map[string]Answer {
		return map[string]Answer{
			"a.plan": BoolAnswer(true), "a.lms": BoolAnswer(true), "a.devices": ChoiceAnswer("all"),
			"a.features": MultiAnswer("assign", "quiz", "forum"), "a.teachers": NumberAnswer(50), "a.lab": NumberAnswer(100),
			"b.modules": NumberAnswer(5), "b.portal": BoolAnswer(true),
		}
	}
	tests := []struct {
		name   string
		change map[string]Answer
		level  int
	}{
		// A = 20+20+20+15+15 = 90.
		{"B exactly 35 is not above 35", map[string]Answer{"b.services": NumberAnswer(1)}, 2},
		{"B 36 is above 35", map[string]Answer{"b.services": NumberAnswer(1.2)}, 3},
		{"A 80 with B above", map[string]Answer{"b.services": NumberAnswer(2), "a.teachers": NumberAnswer(20), "a.lab": NumberAnswer(100)}, 3},
		{"A 79.9 is below 80", map[string]Answer{"b.services": NumberAnswer(2), "a.teachers": NumberAnswer(20), "a.lab": NumberAnswer(99)}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := base()
			for k, v := range tc.change {
				a[k] = v
			}
			res, err := Score(set, "lower_secondary", a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Level != tc.level {
				t.Errorf("level = %d, want %d (groups %+v)", res.Level, tc.level, res.Groups)
			}
		})
	}
	// The two boundaries of level 2 exactly: A = 25 and A just below.
	a := map[string]Answer{"a.plan": BoolAnswer(true), "a.lms": BoolAnswer(true), "a.teachers": NumberAnswer(20), "b.modules": NumberAnswer(5), "b.portal": BoolAnswer(true)}
	if res, _ := Score(set, "lower_secondary", a); res.Groups[0].Score != 25 || res.Level != 2 {
		t.Errorf("A = %v level %d, want 25 and level 2 (at_least is inclusive)", res.Groups[0].Score, res.Level)
	}
	a["a.teachers"] = NumberAnswer(19)
	a["a.lab"] = NumberAnswer(30) // 4.5 points: A = 24.5
	if res, _ := Score(set, "lower_secondary", a); res.Groups[0].Score != 24.5 || res.Level != 1 {
		t.Errorf("A = %v level %d, want 24.5 and level 1", res.Groups[0].Score, res.Level)
	}
}

func TestMoetLevelRule(t *testing.T) {
	set := mustShipped(t, "moet-4725")
	full := maxAnswers(t, set, "primary")
	tests := []struct {
		name   string
		change map[string]Answer
		level  int
	}{
		{"everything", nil, 3},
		{"DH 76 is above 75", map[string]Answer{"1.5.1": BoolAnswer(false), "1.3.1": BoolAnswer(false), "1.7.1": NumberAnswer(62.5)}, 3},
		{"DH exactly 75 is not above 75", map[string]Answer{"1.5.1": BoolAnswer(false), "1.5.2": BoolAnswer(false), "1.7.3": BoolAnswer(false)}, 2},
		{"QT exactly 50 is at least 50", map[string]Answer{"2.3.3": BoolAnswer(false), "2.3.5": BoolAnswer(false), "2.3.6": BoolAnswer(false), "2.4.2": BoolAnswer(false), "2.4.1": BoolAnswer(false)}, 2},
		{"QT 44 is below 50", map[string]Answer{"2.3.3": BoolAnswer(false), "2.3.5": BoolAnswer(false), "2.3.6": BoolAnswer(false), "2.4.2": BoolAnswer(false), "2.4.1": BoolAnswer(false), "2.3.1": BoolAnswer(false)}, 1},
		{"a mandatory condition failed", map[string]Answer{"2.2": BoolAnswer(false)}, 1},
		{"a mandatory condition unanswered", map[string]Answer{"1.1": {}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := map[string]Answer{}
			for k, v := range full {
				a[k] = v
			}
			for k, v := range tc.change {
				if v.Kind == KindNone {
					delete(a, k)
				} else {
					a[k] = v
				}
			}
			res, err := Score(set, "primary", a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Level != tc.level {
				t.Errorf("level = %d, want %d (groups %+v, failed %v)", res.Level, tc.level, res.Groups, res.MandatoryFailed)
			}
		})
	}
}

// codeSet builds a set in code, for rules the shipped sets do not use.
func codeSet(method string, weights ...float64) *Set {
	s := &Set{
		Code: "m", Version: "1", Name: Text{VI: "m"}, Index: Index{Method: method},
		Levels: []Level{{Level: 1, Name: Text{VI: "x"}}},
	}
	for i, w := range weights {
		code := string(rune('A' + i))
		s.Groups = append(s.Groups, Group{
			Code: code, Name: Text{VI: code}, Max: 10 * float64(i+1), Weight: w,
			Criteria: []Criterion{{Code: code, Name: Text{VI: code}, Indicators: []Indicator{{
				Code: code, Name: Text{VI: code}, Type: TypeNumber, Proportional: &Proportional{Points: 10 * float64(i+1), FullAt: 100},
			}}}},
		})
	}
	return s
}

func TestIndexMethods(t *testing.T) {
	// Group A (max 10) scores 5 (50%), group B (max 20) scores 16 (80%).
	answers := map[string]Answer{"A": NumberAnswer(50), "B": NumberAnswer(80)}
	tests := []struct {
		method  string
		weights []float64
		want    float64
	}{
		{"", []float64{0, 0}, 65},                                  // default weighted_mean, default weights 1
		{MethodWeightedMean, []float64{1, 3}, (50*1 + 80*3) / 4.0}, // 72.5
		{MethodSum, []float64{1, 3}, 21},                           // 5 + 16, weights ignored
		{MethodGeometricMean, []float64{1, 1}, math.Sqrt(50 * 80)}, // 63.24…
		{MethodGeometricMean, []float64{1, 3}, math.Exp((math.Log(50) + 3*math.Log(80)) / 4)},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			set := codeSet(tc.method, tc.weights...)
			if err := set.Validate(); err != nil {
				t.Fatal(err)
			}
			res, err := Score(set, "", answers)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(res.Index-tc.want) > 1e-9 {
				t.Errorf("index = %v, want %v", res.Index, tc.want)
			}
		})
	}
	t.Run("geometric mean with a zero group", func(t *testing.T) {
		set := codeSet(MethodGeometricMean, 1, 1)
		res, err := Score(set, "", map[string]Answer{"A": NumberAnswer(0), "B": NumberAnswer(100)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Index != 0 {
			t.Errorf("index = %v, want 0", res.Index)
		}
	})
}

func TestInvalidAnswers(t *testing.T) {
	set := mustShipped(t, "example")
	tests := []struct {
		name    string
		level   string
		answers map[string]Answer
		want    string
	}{
		{"unknown indicator code", "primary", map[string]Answer{"zz": BoolAnswer(true)}, "indicator zz: unknown indicator code"},
		{"number for a boolean", "primary", map[string]Answer{"a.lms": NumberAnswer(1)}, "indicator a.lms: a boolean indicator takes true or false, got a number"},
		{"list for a choice", "primary", map[string]Answer{"a.devices": MultiAnswer("all")}, "indicator a.devices: a choice indicator takes one option code, got a list of option codes"},
		{"code for a multi", "primary", map[string]Answer{"a.features": ChoiceAnswer("quiz")}, "indicator a.features: a multi indicator takes a list of option codes, got an option code"},
		{"bool for a percent", "primary", map[string]Answer{"a.teachers": BoolAnswer(true)}, "indicator a.teachers: a percent indicator takes a number from 0 to 100, got true/false"},
		{"percent above 100", "primary", map[string]Answer{"a.teachers": NumberAnswer(100.5)}, "indicator a.teachers: a percent is from 0 to 100, got 100.5"},
		{"negative percent", "primary", map[string]Answer{"a.teachers": NumberAnswer(-1)}, "indicator a.teachers: percent must not be negative, got -1"},
		{"negative number", "primary", map[string]Answer{"b.modules": NumberAnswer(-2)}, "indicator b.modules: number must not be negative, got -2"},
		{"NaN", "primary", map[string]Answer{"b.modules": NumberAnswer(math.NaN())}, "indicator b.modules: the answer is not a finite number"},
		{"unknown option", "primary", map[string]Answer{"a.devices": ChoiceAnswer("most")}, `indicator a.devices: unknown option "most" (options: none, some, all)`},
		{"unknown option in a list", "primary", map[string]Answer{"a.features": MultiAnswer("quiz", "chat")}, `indicator a.features: unknown option "chat"`},
		{"repeated option", "primary", map[string]Answer{"a.features": MultiAnswer("quiz", "forum", "quiz")}, `indicator a.features: option "quiz" is chosen twice`},
		{"answer to a not-applicable indicator", "primary", map[string]Answer{"a.lab": NumberAnswer(50)}, "indicator a.lab: does not apply to primary units"},
		{"every error, in the set's order", "primary", map[string]Answer{"b.portal": NumberAnswer(1), "zz": BoolAnswer(true), "a.lms": NumberAnswer(1), "aa": BoolAnswer(true)},
			"indicator a.lms: a boolean indicator takes true or false, got a number; indicator b.portal: a boolean indicator takes true or false, got a number; indicator aa: unknown indicator code; indicator zz: unknown indicator code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Score(set, tc.level, tc.answers)
			var ae AnswerErrors
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want AnswerErrors (result %+v)", err, res)
			}
			if res != nil || !errors.Is(err, errkind.Invalid) {
				t.Errorf("result %v, errkind.Invalid %v", res, errors.Is(err, errkind.Invalid))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestSchoolLevelErrors(t *testing.T) {
	tests := []struct {
		set, level, want string
	}{
		{"example", "", "a school level is required"},
		{"example", "kindergarten", `"kindergarten" is not one of the set's school levels (primary, lower_secondary, upper_secondary)`},
		{"example", "continuing", `"continuing" is not one of the set's school levels`},
		{"moet-agency", "primary", `this set assesses agencies, so school_level must be empty, got "primary"`},
	}
	for _, tc := range tests {
		t.Run(tc.set+"/"+tc.level, func(t *testing.T) {
			_, err := Score(mustShipped(t, tc.set), tc.level, nil)
			if !errors.Is(err, ErrSchoolLevel) || !errors.Is(err, errkind.Invalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrSchoolLevel with %q", err, tc.want)
			}
		})
	}
	// Without applies_to a school set scores without a level, and an
	// agency set never needs one.
	if _, err := Score(mustShipped(t, "moet-4725"), "", nil); err != nil {
		t.Errorf("moet-4725 without a level: %v", err)
	}
	if _, err := Score(mustShipped(t, "moet-agency"), "", nil); err != nil {
		t.Errorf("moet-agency: %v", err)
	}
}

func TestScoreUnvalidatedSet(t *testing.T) {
	set := codeSet("", 1)
	set.Groups[0].Max = 11 // maxima no longer add up
	if _, err := Score(set, "", nil); !errors.Is(err, ErrInvalidSet) {
		t.Fatalf("err = %v, want ErrInvalidSet", err)
	}
	set.Groups[0].Max = 10
	res, err := Score(set, "", map[string]Answer{"A": NumberAnswer(30)})
	if err != nil || res.Groups[0].Score != 3 {
		t.Fatalf("res %+v err %v, want A = 3", res, err)
	}
}

func TestScoreDeterministic(t *testing.T) {
	set := mustShipped(t, "moet-4725")
	a := maxAnswers(t, set, "continuing")
	a["2.3.1"] = BoolAnswer(false)
	delete(a, "1.4")
	first, err := Score(set, "continuing", a)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		got, _ := Score(set, "continuing", a)
		if d := cmp.Diff(first, got, cmp.AllowUnexported(Result{}, plan{}, cind{}, cgroup{}, ccrit{}, clevel{}, ccond{})); d != "" {
			t.Fatalf("results differ:\n%s", d)
		}
	}
}

func TestSheet(t *testing.T) {
	set := mustShipped(t, "example")
	a := fullExample()
	a["a.lab"] = Answer{} // KindNone: unanswered
	sheet, err := set.Sheet(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet) != len(set.Indicators()) || sheet[1].Kind != KindBool || !sheet[1].Bool || sheet[5].Kind != KindNone {
		t.Fatalf("sheet %v", sheet)
	}
	fromMap, err := Score(set, "lower_secondary", a)
	if err != nil {
		t.Fatal(err)
	}
	fromSheet, err := ScoreSheet(set, "lower_secondary", sheet)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(fromMap, fromSheet, cmp.AllowUnexported(Result{}, plan{}, cind{}, cgroup{}, ccrit{}, clevel{}, ccond{})); d != "" {
		t.Errorf("Score and ScoreSheet differ:\n%s", d)
	}
	if d := cmp.Diff([]string{"a.lab"}, fromMap.Unanswered); d != "" {
		t.Errorf("a KindNone answer is unanswered (-want +got):\n%s", d)
	}
	if _, err := set.Sheet(map[string]Answer{"zz": BoolAnswer(true), "a.lms": BoolAnswer(true)}); err == nil || err.Error() != "indicator zz: unknown indicator code" {
		t.Errorf("Sheet with an unknown code: %v", err)
	}
	if _, err := ScoreSheet(set, "primary", sheet[:3]); err == nil {
		t.Error("a short sheet is accepted")
	}
}

func TestResultJSON(t *testing.T) {
	res, err := Score(mustShipped(t, "example"), "lower_secondary", fullExample())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"groups":[{"code":"A","score":72.5,"max":100,"points":72.5,"applicable_max":100},{"code":"B","score":32,"max":50,"points":32,"applicable_max":50}],"index":69.66666666666667,"level":2,"mandatory_failed":[],"unanswered":[],"not_applicable":["b.staff"],"indicators":{"a.devices":10,"a.features":20,"a.lab":7.5,"a.lms":20,"a.teachers":15,"b.modules":12,"b.portal":10,"b.services":10},"criteria":[{"code":"A1","points":20,"applicable_max":20,"achievement":100},{"code":"A2","points":52.5,"applicable_max":80,"achievement":65.625},{"code":"B1","points":32,"applicable_max":50,"achievement":64}]}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

func ptrTo[T any](v T) *T { return &v }
