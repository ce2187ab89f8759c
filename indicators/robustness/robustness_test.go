package robustness

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// robTestRank gives competition ranks (1, 2, 2, 4) to the non-NaN scores,
// highest first; NaN stays 0.
func robTestRank(scores []float64, ranks []int) {
	idx := make([]int, 0, len(scores))
	for i, v := range scores {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return a - b
	})
	for k, i := range idx {
		if k > 0 && scores[i] == scores[idx[k-1]] {
			ranks[i] = ranks[idx[k-1]]
		} else {
			ranks[i] = k + 1
		}
	}
}

// robTestModel is n units × k criteria scored by a weighted mean; criteria
// values are random in [0, 100).
type robTestModel struct {
	n, k int
	x    []float64 // unit-major: x[i*k+j]
}

func newRobTestModel(n, k int, seed uint64) *robTestModel {
	r := rand.New(rand.NewPCG(seed, 1))
	m := &robTestModel{n: n, k: k, x: make([]float64, n*k)}
	for i := range m.x {
		m.x[i] = 100 * r.Float64()
	}
	return m
}

func (m *robTestModel) score(w, out []float64) {
	var sw float64
	for _, v := range w {
		sw += v
	}
	for i := range m.n {
		var s float64
		row := m.x[i*m.k : (i+1)*m.k]
		for j, v := range row {
			s += w[j] * v
		}
		out[i] = s / sw
	}
}

func (m *robTestModel) weights() []float64 {
	w := make([]float64, m.k)
	for j := range w {
		w[j] = float64(1 + j%3)
	}
	return w
}

func TestRobustnessReproducible(t *testing.T) {
	m := newRobTestModel(200, 6, 7)
	opts := Options{Draws: 300, Seed: 42}
	a, err := Ranks(m.n, m.weights(), opts, m.score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Ranks(m.n, m.weights(), opts, m.score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	opts.Workers = 4
	c, err := Ranks(m.n, m.weights(), opts, m.score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, c) {
		t.Fatal("4 workers give a different result from 1")
	}
	opts.Seed = 43
	opts.Workers = 1
	d, err := Ranks(m.n, m.weights(), opts, m.score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a, d) {
		t.Fatal("seeds 42 and 43 give the same intervals")
	}
}

func TestRobustnessIntervalContainsPointRank(t *testing.T) {
	m := newRobTestModel(500, 8, 3)
	w := m.weights()
	res, err := Ranks(m.n, w, Options{Draws: 200, Seed: 1}, m.score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, m.n)
	point := make([]int, m.n)
	m.score(w, out)
	robTestRank(out, point)
	wide := 0
	for i, iv := range res {
		p := float64(point[i])
		if !(iv.P05 <= p && p <= iv.P95) {
			t.Errorf("unit %d: point rank %v outside [%v, %v]", i, p, iv.P05, iv.P95)
		}
		if !(iv.P05 <= iv.Median && iv.Median <= iv.P95) {
			t.Errorf("unit %d: median %v outside [%v, %v]", i, iv.Median, iv.P05, iv.P95)
		}
		if iv.P05 < 1 || iv.P95 > float64(m.n) {
			t.Errorf("unit %d: interval [%v, %v] outside 1..%d", i, iv.P05, iv.P95, m.n)
		}
		if iv.P95 > iv.P05 {
			wide++
		}
	}
	// With 8 random criteria nearly every rank moves under ±25 % weights.
	if wide < m.n/2 {
		t.Errorf("only %d of %d intervals have any width", wide, m.n)
	}
}

func TestRobustnessDominantUnit(t *testing.T) {
	// Unit 0 is best on every criterion, unit 2 worst: no weights change that.
	x := []float64{
		90, 95, 99,
		50, 10, 70,
		1, 2, 3,
		40, 60, 20,
	}
	m := &robTestModel{n: 4, k: 3, x: x}
	res, err := Ranks(m.n, []float64{1, 1, 1}, Options{Draws: 100, Spread: 0.5}, m.score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Interval{1, 1, 1}); res[0] != want {
		t.Errorf("best unit: got %+v, want %+v", res[0], want)
	}
	if want := (Interval{4, 4, 4}); res[2] != want {
		t.Errorf("worst unit: got %+v, want %+v", res[2], want)
	}
}

func TestRobustnessFactorsWithinSpread(t *testing.T) {
	base := []float64{1, 2, 0, 4}
	var seen int
	score := func(w, out []float64) {
		seen++
		for j, v := range w {
			lo, hi := base[j]*0.9, base[j]*1.1
			if v < lo || v > hi {
				t.Errorf("weight %d = %v outside [%v, %v]", j, v, lo, hi)
			}
		}
		for i := range out {
			out[i] = float64(i)
		}
	}
	if _, err := Ranks(3, base, Options{Draws: 50, Spread: 0.1}, score, robTestRank); err != nil {
		t.Fatal(err)
	}
	if seen != 51 {
		t.Errorf("score called %d times, want 51 (nominal + 50 draws)", seen)
	}
}

func TestRobustnessMissingUnits(t *testing.T) {
	score := func(w, out []float64) {
		out[0] = w[0]
		out[1] = math.NaN()
		out[2] = w[1]
		// out[3] left as it arrived: NaN.
	}
	res, err := Ranks(4, []float64{1, 2}, Options{Draws: 20}, score, robTestRank)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 3} {
		if iv := res[i]; !math.IsNaN(iv.Median) || !math.IsNaN(iv.P05) || !math.IsNaN(iv.P95) {
			t.Errorf("missing unit %d: got %+v, want NaN", i, iv)
		}
	}
	// Weight 2 × [0.75, 1.25) always beats weight 1 × [0.75, 1.25).
	if want := (Interval{1, 1, 1}); res[2] != want {
		t.Errorf("unit 2: got %+v, want %+v", res[2], want)
	}
	if want := (Interval{2, 2, 2}); res[0] != want {
		t.Errorf("unit 0: got %+v, want %+v", res[0], want)
	}
}

func TestRobustnessQuantileMatchesR(t *testing.T) {
	// R: quantile(1:10, c(.05, .5, .95)) → 1.45 5.50 9.55;
	//    quantile(c(3, 3, 3, 7), c(.05, .5, .95)) → 3.0 3.0 6.4;
	//    quantile(1:1000, .05) → 50.95 (R's arithmetic: 50.950000000000003).
	cases := []struct {
		s             []int32
		p05, p50, p95 float64
	}{
		{[]int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1.45, 5.5, 9.55},
		{[]int32{3, 3, 3, 7}, 3, 3, 6.4},
		{[]int32{5}, 5, 5, 5},
		{robSeq(1000), 50.95, 500.5, 950.05},
	}
	for _, c := range cases {
		got := []float64{robQuantile(c.s, 5), robQuantile(c.s, 50), robQuantile(c.s, 95)}
		want := []float64{c.p05, c.p50, c.p95}
		for k := range got {
			if got[k] != want[k] {
				t.Errorf("%v: quantiles %v, want %v", c.s, got, want)
				break
			}
		}
	}
}

func TestRobustnessSortBothPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, spanWidth := range []int32{5, 100000} {
		s := make([]int32, 1000)
		for i := range s {
			s[i] = 1 + r.Int32N(spanWidth)
		}
		want := slices.Clone(s)
		slices.Sort(want)
		robSort(s, nil)
		if !slices.Equal(s, want) {
			t.Errorf("width %d: robSort differs from slices.Sort", spanWidth)
		}
	}
}

func TestRobustnessErrors(t *testing.T) {
	ok := func(w, out []float64) {}
	cases := []struct {
		name    string
		n       int
		w       []float64
		opts    Options
		rank    func([]float64, []int)
		wantErr string
	}{
		{"negative draws", 3, []float64{1}, Options{Draws: -1}, robTestRank, "draws"},
		{"spread 1", 3, []float64{1}, Options{Spread: 1}, robTestRank, "spread"},
		{"negative spread", 3, []float64{1}, Options{Spread: -0.1}, robTestRank, "spread"},
		{"NaN spread", 3, []float64{1}, Options{Spread: math.NaN()}, robTestRank, "spread"},
		{"negative weight", 3, []float64{1, -2}, Options{}, robTestRank, "weight 2"},
		{"NaN weight", 3, []float64{math.NaN()}, Options{}, robTestRank, "weight 1"},
		{"infinite weight", 3, []float64{math.Inf(1)}, Options{}, robTestRank, "weight 1"},
		{"negative n", -1, []float64{1}, Options{}, robTestRank, "units"},
		{"nil rank", 3, []float64{1}, Options{}, nil, "rank function"},
		{"too many samples", 1 << 20, []float64{1}, Options{Draws: 1 << 10}, robTestRank, "fewer draws"},
		{"bad rank", 3, []float64{1}, Options{}, func(_ []float64, r []int) { r[1] = 7 }, "rank 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Ranks(c.n, c.w, c.opts, ok, c.rank)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}

func TestRobustnessNoUnits(t *testing.T) {
	res, err := Ranks(0, nil, Options{}, func(w, out []float64) {}, robTestRank)
	if err != nil || len(res) != 0 {
		t.Fatalf("got %v, %v; want no intervals and no error", res, err)
	}
}

// BenchmarkRobustness1000x1000 is the target: 1,000 draws over 1,000
// units (here 40 criteria, weighted mean) in well under a second.
func BenchmarkRobustness1000x1000(b *testing.B) {
	m := newRobTestModel(1000, 40, 5)
	w := m.weights()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Ranks(m.n, w, Options{Draws: 1000, Seed: 1}, m.score, robTestRank); err != nil {
			b.Fatal(err)
		}
	}
}

func robSeq(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i + 1)
	}
	return s
}
