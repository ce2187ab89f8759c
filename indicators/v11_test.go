package indicators

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The valid examples of format v1.1 (testdata/v1.1/valid) load, and they
// use what v1.1 adds.
func TestV11ValidExamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/v1.1/valid/*.yaml")
	if len(files) != 3 {
		t.Fatalf("%d valid examples, want 3", len(files))
	}
	for _, f := range files {
		set, err := LoadFile(f)
		if err != nil {
			t.Errorf("%s:\n%v", f, err)
			continue
		}
		// Every valid example survives its canonical JSON unchanged.
		js, _, err := Canonical(set)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(set.Code+".json", js)
		if err != nil {
			t.Errorf("%s: canonical JSON does not load:\n%v", f, err)
			continue
		}
		js2, _, _ := Canonical(again)
		if string(js) != string(js2) {
			t.Errorf("%s: canonical JSON changes on a round trip", f)
		}
	}
	rollup, err := LoadFile("testdata/v1.1/valid/rollup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var measures []string
	for _, ind := range rollup.Rollups() {
		measures = append(measures, ind.Rollup.Measure)
	}
	if strings.Join(measures, ",") != "share_at_level,mean_index,participation" {
		t.Errorf("roll-up measures %v", measures)
	}
	if r := rollup.Rollups()[0].Rollup; r.MinLevel != 2 {
		t.Errorf("min_level %d", r.MinLevel)
	}
	fresh, err := LoadFile("testdata/v1.1/valid/fresh-evidence.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ind, _ := fresh.Indicator("1.1.1"); ind.EvidenceMaxAgeDays != 365 {
		t.Errorf("evidence_max_age_days %d", ind.EvidenceMaxAgeDays)
	}
}

// Each invalid case of format v1.1 is rejected with its own message, as
// the only problem, at the path and line its file's first line names
// ("# want: LINE PATH: MESSAGE").
func TestV11InvalidCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/v1.1/invalid/*.yaml")
	if len(files) < 10 {
		t.Fatalf("%d invalid cases", len(files))
	}
	seen := map[string]string{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(head, "# want: ")
			if !ok {
				t.Fatalf("no want line: %q", head)
			}
			lineS, rest, _ := strings.Cut(want, " ")
			path, msg, _ := strings.Cut(rest, ": ")
			line, _ := strconv.Atoi(lineS)
			_, err = Parse("t.yaml", data)
			assertProblem(t, err, path, line, msg)
			if ps := err.(Problems); len(ps) != 1 {
				t.Errorf("%d problems, want only its own:\n%v", len(ps), err)
			} else if other, dup := seen[ps[0].Message]; dup {
				t.Errorf("same message as %s: %q", other, ps[0].Message)
			} else {
				seen[ps[0].Message] = f
			}
		})
	}
}

// An index condition grades on the total, whatever the groups score.
func TestV11IndexLevels(t *testing.T) {
	set, err := LoadFile("testdata/v1.1/valid/index-levels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		plan, meet bool
		pct        float64
		index      float64
		level      int
	}{
		{false, false, 0, 0, 1},
		{false, false, 96, 48, 1},  // a strong group B, but a total < 50
		{false, false, 100, 50, 2}, // exactly 50: at_least holds
		{true, true, 0, 50, 2},
		{true, false, 0, 40, 1},
		{true, true, 50, 75, 2}, // exactly 75: not above 75
		{true, true, 52, 76, 3},
	}
	for _, tc := range tests {
		res, err := Score(set, "", map[string]Answer{"A.1.1": BoolAnswer(tc.plan), "B.1.2": BoolAnswer(tc.meet), "B.1.1": NumberAnswer(tc.pct)})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Index-tc.index) > 1e-9 || res.Level != tc.level {
			t.Errorf("%+v: index %v level %d", tc, res.Index, res.Level)
		}
	}
}

// A level may need the mandatory conditions and the index together; a
// roll-up indicator scores the percent it is given like any percent.
func TestV11RollupScoring(t *testing.T) {
	set, err := LoadFile("testdata/v1.1/valid/rollup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]Answer{"1.1.1": BoolAnswer(false), "1.1.2": BoolAnswer(true),
		"2.1": NumberAnswer(100), "2.2": NumberAnswer(80), "2.3": NumberAnswer(95)}
	res, err := Score(set, "", answers)
	if err != nil {
		t.Fatal(err)
	}
	// 40 + 20 + 16 + 20 = 96, but the plan is missing: level 2, not 3.
	if res.Index != 96 || res.Level != 2 {
		t.Errorf("index %v level %d, want 96 and 2", res.Index, res.Level)
	}
	answers["1.1.1"] = BoolAnswer(true)
	if res, _ := Score(set, "", answers); res.Level != 3 {
		t.Errorf("with the plan: level %d, want 3", res.Level)
	}
	// A roll-up value is a percent: 101 is refused like any percent.
	answers["2.1"] = NumberAnswer(101)
	if _, err := Score(set, "", answers); err == nil || !strings.Contains(err.Error(), "2.1") {
		t.Errorf("percent 101 accepted: %v", err)
	}
}

// The gap to a level graded on the index names the index's shortfall and
// a plan that reaches it.
func TestV11IndexGap(t *testing.T) {
	set, err := LoadFile("testdata/v1.1/valid/index-levels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]Answer{"A.1.1": BoolAnswer(true), "B.1.1": NumberAnswer(0), "B.1.2": BoolAnswer(false)} // 40
	gap, err := NextLevel(set, "", answers)
	if err != nil {
		t.Fatal(err)
	}
	if gap.Level != 1 || gap.Next != 2 || !gap.Reachable || gap.Index == nil || len(gap.Groups) != 0 {
		t.Fatalf("gap %+v", gap)
	}
	if gap.Index.Op != "at_least" || gap.Index.Threshold != 50 || gap.Index.Missing != 10 || gap.Index.NewIndex != 50 {
		t.Errorf("index gap %+v", *gap.Index)
	}
	// One indicator is enough; of those, the one that can gain the most
	// (B.1.1, 50 points), lowered to the smallest whole percent that
	// reaches 50: 20%.
	if len(gap.Improvements) != 1 {
		t.Fatalf("improvements %+v", gap.Improvements)
	}
	if im := gap.Improvements[0]; im.Indicator != "B.1.1" || !im.ForIndex || im.Needed.Kind != KindNumber || im.Needed.Number != 20 || im.Points != 10 {
		t.Errorf("improvement %+v", im)
	}
	// The plan is right: applying it reaches the next level.
	answers["B.1.1"] = gap.Improvements[0].Needed
	if res, _ := Score(set, "", answers); res.Level != 2 {
		t.Errorf("after the plan: level %d", res.Level)
	}
	// At the top level there is no gap.
	answers["B.1.1"], answers["B.1.2"] = NumberAnswer(100), BoolAnswer(true)
	if gap, _ := NextLevel(set, "", answers); gap.Next != 0 || gap.Index != nil {
		t.Errorf("top level gap %+v", gap)
	}
}

func TestComputeRollup(t *testing.T) {
	schools := []SchoolResult{
		{Unit: "a", Validated: true, Index: 80, Level: 3, Approved: true},
		{Unit: "b", Validated: true, Index: 60, Level: 2, Approved: true},
		{Unit: "c", Validated: true, Index: 40, Level: 1, Approved: false},
		{Unit: "d"}, // no validated result: in the denominator only
	}
	tests := []struct {
		r    Rollup
		want RollupValue
	}{
		{Rollup{Measure: MeasureShareAtLevel, MinLevel: 2}, RollupValue{Value: 50, Counted: 2, Schools: 4}},
		{Rollup{Measure: MeasureShareAtLevel, MinLevel: 3}, RollupValue{Value: 25, Counted: 1, Schools: 4}},
		{Rollup{Measure: MeasureShareAtLevel, MinLevel: 1}, RollupValue{Value: 75, Counted: 3, Schools: 4}},
		{Rollup{Measure: MeasureMeanIndex}, RollupValue{Value: 45, Counted: 3, Schools: 4}},
		{Rollup{Measure: MeasureParticipation}, RollupValue{Value: 50, Counted: 2, Schools: 4}},
	}
	for _, tc := range tests {
		got, err := ComputeRollup(tc.r, schools)
		if err != nil || got != tc.want {
			t.Errorf("%+v: %+v, %v; want %+v", tc.r, got, err, tc.want)
		}
	}
	// A level or index of a school without a validated result is not read.
	got, _ := ComputeRollup(Rollup{Measure: MeasureMeanIndex}, []SchoolResult{{Index: 90, Level: 3}, {Validated: true, Index: 50, Level: 2}})
	if got != (RollupValue{Value: 25, Counted: 1, Schools: 2}) {
		t.Errorf("unvalidated school read: %+v", got)
	}
	// An index outside 0–100 (a sum-method school set) is clamped.
	got, _ = ComputeRollup(Rollup{Measure: MeasureMeanIndex}, []SchoolResult{{Validated: true, Index: 150}})
	if got.Value != 100 {
		t.Errorf("mean of 150: %v", got.Value)
	}
	// No schools: nothing to credit.
	if got, err := ComputeRollup(Rollup{Measure: MeasureParticipation}, nil); err != nil || got != (RollupValue{}) {
		t.Errorf("no schools: %+v, %v", got, err)
	}
	for _, r := range []Rollup{{Measure: "median"}, {Measure: MeasureShareAtLevel}} {
		if _, err := ComputeRollup(r, schools); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	// The value is a valid answer to the roll-up indicator.
	set, _ := LoadFile("testdata/v1.1/valid/rollup.yaml")
	answers := map[string]Answer{}
	for _, ind := range set.Rollups() {
		v, err := ComputeRollup(*ind.Rollup, schools)
		if err != nil {
			t.Fatal(err)
		}
		answers[ind.Code] = NumberAnswer(v.Value)
	}
	res, err := Score(set, "", answers)
	if err != nil {
		t.Fatal(err)
	}
	// 2.1: 20 × 50% = 10; 2.2: 20 × 45% = 9; 2.3: 50% → 10.
	if g, _ := res.Group("KQ"); g.Score != 29 {
		t.Errorf("KQ %v, want 29", g.Score)
	}
}
