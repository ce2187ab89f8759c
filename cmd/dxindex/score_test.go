package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const scoreAnswers = `{"assessments":[
 {"unit":"S001","school_level":"lower_secondary","answers":{"a.plan":true,"a.lms":true,"a.devices":"some","a.features":["assign","quiz","forum"],"a.teachers":65,"a.lab":50,"b.modules":3,"b.portal":true,"b.services":2}},
 {"unit":"S002","school_level":"primary","answers":{"a.plan":false,"a.lms":true,"b.portal":true,"b.modules":null}},
 {"unit":"S003","school_level":"upper_secondary","answers":{"a.plan":true,"a.lms":true,"a.devices":"some","a.features":["assign","quiz","forum"],"a.teachers":65,"a.lab":50,"b.modules":3,"b.portal":true,"b.services":2,"b.staff":true}}
]}`

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScore(t *testing.T) {
	answers := writeTemp(t, "answers.json", scoreAnswers)
	code, out, errs := runSub(t, cmdScore, "", "--set", "example", "--answers", answers, "--rank")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got scoreOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	one, three := 1, 3
	// Computed at run time like the engine (a constant expression would be
	// exact, and differ in the last digit).
	twenty, of := 20.0, 85.0
	primaryA := twenty / of * 100
	want := []scoreCheck{
		{
			Unit: "S001", Groups: map[string][2]float64{"A": {72.5, 100}, "B": {32, 50}},
			Index: (72.5*2 + 64) / 3, Level: 2, MandatoryFailed: []string{}, Unanswered: []string{}, NotApplicable: []string{"b.staff"},
			Indicators: map[string]float64{"a.lms": 20, "a.devices": 10, "a.features": 20, "a.teachers": 15, "a.lab": 7.5, "b.modules": 12, "b.portal": 10, "b.services": 10},
			Rank:       &one,
		},
		{
			// 20 of the 85 points of A that apply to a primary school.
			Unit: "S002", Groups: map[string][2]float64{"A": {primaryA, 100}, "B": {10, 50}},
			Index: (primaryA*2 + 20) / 3, Level: 1, MandatoryFailed: []string{"a.plan"},
			Unanswered: []string{"a.devices", "a.features", "a.teachers", "b.modules", "b.services"}, NotApplicable: []string{"a.lab", "b.staff"},
			Indicators: map[string]float64{"a.lms": 20, "a.devices": 0, "a.features": 0, "a.teachers": 0, "b.modules": 0, "b.portal": 10, "b.services": 0},
			Rank:       &three,
		},
		{
			Unit: "S003", Groups: map[string][2]float64{"A": {72.5, 100}, "B": {32, 50}},
			Index: (72.5*2 + 64) / 3, Level: 2, MandatoryFailed: []string{}, Unanswered: []string{}, NotApplicable: []string{},
			Indicators: map[string]float64{"a.lms": 20, "a.devices": 10, "a.features": 20, "a.teachers": 15, "a.lab": 7.5, "b.modules": 12, "b.portal": 10, "b.services": 10},
			Rank:       &one, // equal index: equal rank
		},
	}
	if d := cmp.Diff(want, checksOf(got.Results)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	if !strings.Contains(out, `"mandatory_failed": []`) || strings.Contains(out, "null") {
		t.Errorf("empty lists must print as []:\n%s", out)
	}

	// Without --rank there is no rank; standard input works as a file.
	code, out, _ = runSub(t, cmdScore, scoreAnswers, "--set", filepath.Join(setsDir, "example.yaml"), "--answers", "-")
	if code != 0 || strings.Contains(out, `"rank"`) || !strings.Contains(out, `"unit": "S003"`) {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

func TestScoreFailures(t *testing.T) {
	badSet := writeTemp(t, "bad.yaml", "code: bad\nversion: 1\nname: {vi: x}\ngroups: []\nlevels: []\n")
	tests := []struct {
		name    string
		args    []string
		answers string
		code    int
		want    []string
	}{
		{"invalid answers", []string{"--set", "example"}, `{"assessments":[
			{"unit":"S001","school_level":"primary","answers":{"a.teachers":120,"a.features":["quiz","quiz"]}},
			{"unit":"S002","school_level":"primary","answers":{"zz":true,"a.lab":50}},
			{"unit":"S003","school_level":"primary","answers":{"a.lms":{}}}]}`, 2,
			[]string{
				"dxindex score: unit S001: indicator a.features: option \"quiz\" is chosen twice\n",
				"dxindex score: unit S001: indicator a.teachers: a percent is from 0 to 100, got 120\n",
				"dxindex score: unit S002: indicator a.lab: does not apply to primary units",
				"dxindex score: unit S002: indicator zz: unknown indicator code\n",
				"dxindex score: unit S003: indicator a.lms: an answer must be true/false",
			}},
		{"school level", []string{"--set", "example"}, `{"assessments":[{"unit":"S1","school_level":"kindergarten","answers":{}}]}`, 2,
			[]string{`dxindex score: unit S1: indicators: invalid school level: "kindergarten" is not one of the set's school levels`}},
		{"units missing or twice", []string{"--set", "moet-4725"}, `{"assessments":[{"answers":{}},{"unit":"A"},{"unit":"A"}]}`, 2,
			[]string{"assessments[0]: unit is required", "unit A: appears twice (assessments[1] and [2])"}},
		{"invalid set", []string{"--set", badSet}, `{"assessments":[]}`, 2,
			[]string{"dxindex score: invalid set: " + badSet + ":4: groups: at least one group is required", badSet + ":5: levels: at least one level is required"}},
		{"unknown set", []string{"--set", "moet-0"}, `{"assessments":[]}`, 2, []string{`no shipped set "moet-0"`}},
		{"not JSON", []string{"--set", "example"}, `{"assessments":`, 2, []string{"invalid answers file"}},
		{"unknown field", []string{"--set", "example"}, `{"assessments":[],"extra":1}`, 2, []string{`unknown field "extra"`}},
		{"no assessments", []string{"--set", "example"}, `{}`, 2, []string{`want {"assessments": [...]}`}},
		{"flags missing", []string{"--set", "example"}, ``, 2, []string{"--set and --answers are required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.name != "flags missing" {
				args = append(args, "--answers", writeTemp(t, "a.json", tc.answers))
			}
			code, out, errs := runSub(t, cmdScore, "", args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if out != "" {
				t.Errorf("stdout must stay empty, got %q", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

// TestScoreRobustness: --robustness adds the rank interval; the same seed
// gives the same intervals, each interval holds the unit's rank, and a
// unit best in every group is first in every draw.
func TestScoreRobustness(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(dir, "answers.json")
	// top: full marks; a: strong in group A only; b: strong in group B only.
	doc := `{"assessments":[
	 {"unit":"top","school_level":"primary","answers":{"a.plan":true,"a.lms":true,"a.devices":"all","a.features":["assign","quiz","forum"],"a.teachers":100,"b.modules":6,"b.portal":true,"b.services":4}},
	 {"unit":"a","school_level":"primary","answers":{"a.plan":true,"a.lms":true,"a.devices":"all","a.teachers":90,"b.modules":0,"b.portal":false,"b.services":0}},
	 {"unit":"b","school_level":"primary","answers":{"a.plan":true,"a.lms":false,"a.devices":"some","a.teachers":30,"b.modules":6,"b.portal":true,"b.services":4}}
	]}`
	if err := os.WriteFile(answers, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	run1 := func(seed string) []scoreResult {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, g: globals{logLevel: "info", logFormat: "text"}}
		if err := runScore(context.Background(), e, []string{"--set", "example", "--answers", answers, "--rank", "--robustness", "500", "--seed", seed}); err != nil {
			t.Fatalf("score: %v %s", err, errb.String())
		}
		var res scoreOutput
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		return res.Results
	}
	r1, r2 := run1("42"), run1("42")
	for i := range r1 {
		if r1[i].RankP05 == nil || *r1[i].RankP05 != *r2[i].RankP05 || *r1[i].RankP95 != *r2[i].RankP95 || *r1[i].RankMedian != *r2[i].RankMedian {
			t.Fatalf("same seed, different intervals: %+v vs %+v", r1[i], r2[i])
		}
		rank := float64(*r1[i].Rank)
		if *r1[i].RankP05 > rank || *r1[i].RankP95 < rank {
			t.Errorf("%s: rank %v outside its interval [%v, %v]", r1[i].Unit, rank, *r1[i].RankP05, *r1[i].RankP95)
		}
	}
	if r1[0].Unit != "top" || *r1[0].RankP05 != 1 || *r1[0].RankP95 != 1 {
		t.Errorf("the unit best in every group: %+v", r1[0])
	}
	var errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &errb, getenv: func(string) string { return "" }, g: globals{logLevel: "info", logFormat: "text"}}
	if err := runScore(context.Background(), e, []string{"--set", "example", "--answers", answers, "--robustness", "10"}); err == nil {
		t.Fatal("--robustness without --rank was accepted")
	}
}

// An agency set (moet-agency, format v1.1) is graded on its total: the
// offices' levels follow the index (sum of the groups) against 50 and 75,
// whatever each group scores; the roll-up values come in as answers.
func TestScoreAgencyIndexLevels(t *testing.T) {
	const answers = `{"assessments":[
 {"unit":"SO-HY","answers":{"LD.1.1":true,"LD.1.2":true,"LD.2.1":100,"LD.2.2":100,"LD.2.3":true,"LD.3.1":100,"LD.3.2":100,"LD.3.3":true,"LD.3.4":100,
   "KQ.1.1":100,"KQ.1.2":60,"KQ.1.3":20,"KQ.1.4":65}},
 {"unit":"SO-TB","answers":{"LD.1.1":true,"LD.1.2":true,"LD.2.1":50,"LD.2.2":0,"LD.2.3":true,"LD.3.1":50,"LD.3.2":0,"LD.3.3":false,"LD.3.4":0,
   "KQ.1.1":100,"KQ.1.2":100,"KQ.1.3":100,"KQ.1.4":80}},
 {"unit":"SO-XX","answers":{"LD.1.1":true,"LD.2.1":100,"KQ.1.2":100,"KQ.1.4":100}}
]}`
	path := writeTemp(t, "agency.json", answers)
	code, out, errs := runSub(t, cmdScore, "", "--set", "moet-agency", "--answers", path, "--rank")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got scoreOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	type row struct {
		unit       string
		ld, kq     float64
		index      float64
		level      int
		rank       int
		unanswered int
	}
	want := []row{
		// LD full 60; KQ 5 + 9 + 2 + 6.5 = 22.5: total 82.5, above 75,
		// although KQ is at 56%.
		{"SO-HY", 60, 22.5, 82.5, 3, 1, 0},
		// LD 6+6+6+6+3 = 27 (45% of LD, below 50%); KQ 5+15+10+8 = 38:
		// total 65, level 2 on the total although LD is weak.
		{"SO-TB", 27, 38, 65, 2, 2, 0},
		// LD 6 + 12, KQ 15 + 10: total 43, below 50.
		{"SO-XX", 18, 25, 43, 1, 3, 9},
	}
	if len(got.Results) != len(want) {
		t.Fatalf("%d results", len(got.Results))
	}
	for i, w := range want {
		r := got.Results[i]
		if r.Unit != w.unit || math.Abs(groupScoreOf(r, "LD")-w.ld) > 1e-9 || math.Abs(groupScoreOf(r, "KQ")-w.kq) > 1e-9 ||
			math.Abs(r.Index-w.index) > 1e-9 || r.Level != w.level || r.Rank == nil || *r.Rank != w.rank || len(r.Unanswered) != w.unanswered {
			t.Errorf("%s: LD %v KQ %v index %v level %d rank %v unanswered %v; want %+v", r.Unit, groupScoreOf(r, "LD"), groupScoreOf(r, "KQ"), r.Index, r.Level, r.Rank, r.Unanswered, w)
		}
		if len(r.MandatoryFailed) != 0 {
			t.Errorf("%s: mandatory failed %v", r.Unit, r.MandatoryFailed)
		}
	}
}

// scoreCheck is what TestScore checks of a result: groups as score and
// maximum by code, the lists, the indicators' points and the rank.
type scoreCheck struct {
	Unit                                       string
	Groups                                     map[string][2]float64
	Index                                      float64
	Level                                      int
	MandatoryFailed, Unanswered, NotApplicable []string
	Indicators                                 map[string]float64
	Rank                                       *int
}

func checksOf(rs []scoreResult) []scoreCheck {
	var out []scoreCheck
	for _, r := range rs {
		c := scoreCheck{Unit: r.Unit, Groups: map[string][2]float64{}, Index: r.Index, Level: r.Level, MandatoryFailed: r.MandatoryFailed,
			Unanswered: r.Unanswered, NotApplicable: r.NotApplicable, Indicators: r.IndicatorPoints.Map(), Rank: r.Rank}
		for _, g := range r.Groups {
			c.Groups[g.Code] = [2]float64{g.Score, g.Max}
		}
		out = append(out, c)
	}
	return out
}

func groupScoreOf(r scoreResult, code string) float64 {
	g, _ := r.Group(code)
	return g.Score
}
