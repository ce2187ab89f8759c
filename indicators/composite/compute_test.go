package composite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// randomCase is a random framework and data set: k indicators with random
// directions and weights in g pillars, n units, a fraction of cells missing.
func randomCase(t testing.TB, seed uint64, n, k, g int, missing float64) (*Meta, *Data) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 11))
	var sb strings.Builder
	sb.WriteString(metaHeader)
	for j := range k {
		dir := 1
		if r.IntN(4) == 0 {
			dir = -1
		}
		fmt.Fprintf(&sb, "i%d,,1,P%d,%d,%d,Indicator\n", j, j%g, dir, r.IntN(4))
	}
	for p := range g {
		fmt.Fprintf(&sb, "P%d,,2,IDX,1,%g,Aggregate\n", p, 0.5+r.Float64())
	}
	sb.WriteString("IDX,,3,,1,1,Aggregate\n")
	m := mustMeta(t, sb.String())
	d := &Data{Units: make([]string, n), Values: make([][]float64, k), GroupColumns: []string{"Group_g"}, Groups: [][]string{make([]string, n)}}
	for i := range n {
		d.Units[i] = fmt.Sprintf("U%d", i)
		d.Groups[0][i] = fmt.Sprintf("G%d", r.IntN(5))
	}
	for j := range k {
		d.Values[j] = make([]float64, n)
		scale := math.Pow(10, float64(r.IntN(6)-2))
		for i := range n {
			if r.Float64() < missing {
				d.Values[j][i] = math.NaN()
			} else {
				d.Values[j][i] = (r.NormFloat64()*10 + 40) * scale
			}
		}
	}
	return m, d
}

func TestNormalisedInRange(t *testing.T) {
	for seed := range uint64(20) {
		m, d := randomCase(t, seed, 300, 12, 3, 0.1)
		for _, opts := range []Options{{}, {Lower: 1, Upper: 100}, {Lower: -5, Upper: 5}} {
			res, err := Compute(m, d, opts)
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := opts.Lower, opts.Upper
			if lo == 0 && hi == 0 {
				hi = 100
			}
			for k := range m.Indicators() {
				col := res.Normalised(k)
				seenLo, seenHi := false, false
				for i, v := range col {
					if math.IsNaN(d.Values[k][i]) != math.IsNaN(v) {
						t.Fatalf("seed %d indicator %d unit %d: missing not kept (%v → %v)", seed, k, i, d.Values[k][i], v)
					}
					if math.IsNaN(v) {
						continue
					}
					if v < lo || v > hi {
						t.Fatalf("seed %d indicator %d unit %d: %v outside [%v, %v]", seed, k, i, v, lo, hi)
					}
					seenLo = seenLo || v == lo
					seenHi = seenHi || v == hi
				}
				if !seenLo || !seenHi {
					t.Errorf("seed %d indicator %d: min–max does not reach both ends", seed, k)
				}
			}
			// Aggregates of values in [lo, hi] stay in [lo, hi].
			for a, col := range res.Scores {
				for i, v := range col {
					if !math.IsNaN(v) && (v < lo-1e-9 || v > hi+1e-9) {
						t.Fatalf("seed %d %s unit %d: %v outside [%v, %v]", seed, res.Codes[a], i, v, lo, hi)
					}
				}
			}
		}
	}
}

// TestWeightsRenormalised computes one aggregate by hand: the weights of the
// children present are rescaled to sum to 1.
func TestWeightsRenormalised(t *testing.T) {
	m := mustMeta(t, metaHeader+
		"a,,1,IDX,1,1,Indicator\n"+
		"b,,1,IDX,1,2,Indicator\n"+
		"c,,1,IDX,1,3,Indicator\n"+
		"IDX,,2,,1,1,Aggregate\n")
	nan := math.NaN()
	// Each indicator spans 0..10 over the units, so min–max gives ×10.
	d := &Data{
		Units: []string{"all", "no-b", "only-c", "none", "lo", "hi"},
		Values: [][]float64{
			{5, 5, nan, nan, 0, 10},
			{5, nan, nan, nan, 0, 10},
			{5, 2, 8, nan, 0, 10},
		},
	}
	res, err := Compute(m, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{
		50,                  // all children at 50
		(1*50 + 3*20) / 4.0, // b missing: weights 1 and 3 → 1/4, 3/4
		80,                  // only c: its weight becomes 1
		nan,                 // nothing present
		0, 100,
	}
	got := res.Index()
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-12) {
			t.Errorf("%s: index %v, want %v", d.Units[i], got[i], want[i])
		}
	}
	if res.Rank[3] != 0 {
		t.Errorf("a unit with no data is ranked %d", res.Rank[3])
	}
}

func TestDirectionReversesRanks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	n := 500
	x := make([]float64, n)
	for i := range x {
		x[i] = r.Float64() * 1000
	}
	rank := func(dir int) []int {
		m := mustMeta(t, metaHeader+fmt.Sprintf("a,,1,IDX,%d,1,Indicator\n", dir)+"IDX,,2,,1,1,Aggregate\n")
		res, err := Compute(m, &Data{Units: make([]string, n), Values: [][]float64{x}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Rank
	}
	up, down := rank(1), rank(-1)
	for i := range up {
		if up[i]+down[i] != n+1 {
			t.Fatalf("unit %d: rank %d with direction 1, %d with −1; want them to sum to %d", i, up[i], down[i], n+1)
		}
	}
	// With every indicator reversed, the whole ranking reverses.
	m, d := randomCase(t, 9, 400, 10, 2, 0)
	res1, err := Compute(m, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range m.Indicators() {
		m.Nodes[k].Direction = -m.Nodes[k].Direction
	}
	res2, err := Compute(m, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range res1.Rank {
		if res1.Rank[i]+res2.Rank[i] != 401 {
			t.Fatalf("unit %d: ranks %d and %d when every direction is reversed", i, res1.Rank[i], res2.Rank[i])
		}
	}
}

func TestConstantIndicatorIsMissing(t *testing.T) {
	m := mustMeta(t, metaHeader+"a,,1,IDX,1,1,Indicator\nb,,1,IDX,1,1,Indicator\nIDX,,2,,1,1,Aggregate\n")
	d := &Data{Units: []string{"u", "v", "w"}, Values: [][]float64{{3, 3, 3}, {1, 2, 3}}}
	for _, norm := range []string{MinMax, ZScore} {
		res, err := Compute(m, d, Options{Normalise: norm})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "indicator a") {
			t.Errorf("%s: warnings %q", norm, res.Warnings)
		}
		// The index is then b alone.
		if got := res.Index(); got[0] >= got[1] || got[1] >= got[2] || res.Rank[2] != 1 {
			t.Errorf("%s: index %v, ranks %v", norm, got, res.Rank)
		}
	}
}

func TestZScore(t *testing.T) {
	m, d := randomCase(t, 3, 1000, 6, 2, 0.05)
	res, err := Compute(m, d, Options{Normalise: ZScore})
	if err != nil {
		t.Fatal(err)
	}
	for k := range m.Indicators() {
		var sum, ss float64
		cnt := 0
		col := res.Normalised(k)
		for _, v := range col {
			if !math.IsNaN(v) {
				sum += v
				cnt++
			}
		}
		mean := sum / float64(cnt)
		for _, v := range col {
			if !math.IsNaN(v) {
				ss += (v - mean) * (v - mean)
			}
		}
		sd := math.Sqrt(ss / float64(cnt-1))
		if math.Abs(mean) > 1e-12 || math.Abs(sd-1) > 1e-12 {
			t.Errorf("indicator %d: mean %v, sd %v; want 0 and 1", k, mean, sd)
		}
		// Direction −1 flips the order: the covariance of raw and normalised
		// values has the sign of the direction.
		var cov float64
		for i, v := range col {
			if !math.IsNaN(v) {
				cov += d.Values[k][i] * v
			}
		}
		if (cov > 0) != (m.Nodes[k].Direction == 1) {
			t.Errorf("indicator %d: direction %d, covariance %v", k, m.Nodes[k].Direction, cov)
		}
	}
}

func TestGeometricMean(t *testing.T) {
	m := mustMeta(t, metaHeader+"a,,1,IDX,1,1,Indicator\nb,,1,IDX,1,3,Indicator\nIDX,,2,,1,1,Aggregate\n")
	nan := math.NaN()
	d := &Data{Units: []string{"u", "v", "w", "x"}, Values: [][]float64{{0, 10, 5, nan}, {0, 10, 10, 4}}}
	// Min–max onto [0, 100] gives zeros: COINr's a_gmean refuses them.
	if _, err := Compute(m, d, Options{Aggregate: GeometricMean}); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Fatalf("error %v, want one about positive values", err)
	}
	res, err := Compute(m, d, Options{Aggregate: GeometricMean, Lower: 1, Upper: 100})
	if err != nil {
		t.Fatal(err)
	}
	// u: a = b = 1; v: 100, 100; w: a = 50.5, b = 100; x: b alone = 40.6.
	want := []float64{1, 100, math.Exp((math.Log(50.5) + 3*math.Log(100)) / 4), 40.6}
	for i, w := range want {
		if g := res.Index()[i]; math.Abs(g-w) > 1e-9 {
			t.Errorf("%s: %v, want %v", d.Units[i], g, w)
		}
	}
	// z-scores are negative below the mean: refused too.
	if _, err := Compute(m, d, Options{Aggregate: GeometricMean, Normalise: ZScore}); err == nil {
		t.Error("gmean of z-scores accepted")
	}
}

func TestComputeOptionErrors(t *testing.T) {
	m, d := randomCase(t, 1, 10, 3, 1, 0)
	for _, opts := range []Options{
		{Normalise: "rank"}, {Aggregate: "median"}, {Lower: 5, Upper: 5}, {Lower: 0, Upper: math.Inf(1)}, {Group: "Group_nope"},
	} {
		if _, err := Compute(m, d, opts); err == nil {
			t.Errorf("%+v: no error", opts)
		}
	}
	d.Values = d.Values[:2]
	if _, err := Compute(m, d, Options{}); err == nil {
		t.Error("data with too few indicators accepted")
	}
}

// TestScoreIndexNominal: ScoreIndex with the nominal weights gives the index
// of Compute, bit for bit, concurrently, for both aggregations and with
// missing data.
func TestScoreIndexNominal(t *testing.T) {
	m, d := randomCase(t, 4, 2000, 15, 4, 0.08)
	for _, opts := range []Options{{}, {Aggregate: GeometricMean, Lower: 1, Upper: 100}} {
		res, err := Compute(m, d, opts)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out := make([]float64, len(res.Units))
				res.ScoreIndex(res.Weights(), out)
				for i, v := range out {
					w := res.Index()[i]
					if !(v == w || math.IsNaN(v) && math.IsNaN(w)) {
						t.Errorf("%s unit %d: ScoreIndex %v, Compute %v", opts.Aggregate, i, v, w)
						return
					}
				}
			}()
		}
		wg.Wait()
		// Doubling every weight changes nothing either.
		w := res.Weights()
		for j := range w {
			w[j] *= 2
		}
		out := make([]float64, len(res.Units))
		res.ScoreIndex(w, out)
		for i, v := range out {
			if u := res.Index()[i]; !(math.Abs(v-u) < 1e-9 || math.IsNaN(v) && math.IsNaN(u)) {
				t.Fatalf("unit %d: %v with doubled weights, %v", i, v, u)
			}
		}
	}
}

func TestZeroWeightsAreMissing(t *testing.T) {
	m := mustMeta(t, metaHeader+"a,,1,IDX,1,0,Indicator\nb,,1,IDX,1,0,Indicator\nIDX,,2,,1,1,Aggregate\n")
	d := &Data{Units: []string{"u", "v"}, Values: [][]float64{{1, 2}, {3, math.NaN()}}}
	res, err := Compute(m, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range res.Index() {
		if !math.IsNaN(v) || res.Rank[i] != 0 {
			t.Errorf("unit %d: %v rank %d; COINr gives 0/0, missing", i, v, res.Rank[i])
		}
	}
}

// TestAggregateInPieces: aggregates computed in parallel, a node and a run
// of units per task, are bit for bit those of one pass over every unit, with
// missing values, for both means.
func TestAggregateInPieces(t *testing.T) {
	m, d := randomCase(t, 7, 20000, 15, 4, 0.08)
	for _, opts := range []Options{{}, {Aggregate: GeometricMean, Lower: 1, Upper: 100}, {Normalise: ZScore}} {
		res, err := Compute(m, d, opts)
		if err != nil {
			t.Fatal(err)
		}
		n := len(res.Units)
		cols := make([][]float64, len(res.Scores))
		for a := range cols {
			cols[a] = make([]float64, n)
		}
		nan := make([]bool, len(cols))
		res.aggregate(res.Weights(), cols, nan, false, nil)
		if opts.Aggregate == GeometricMean {
			for a := range cols {
				for i, v := range cols[a] {
					cols[a][i] = math.Exp(v)
				}
			}
		}
		for a := range cols {
			for i, v := range cols[a] {
				if u := res.Scores[a][i]; math.Float64bits(u) != math.Float64bits(v) && !(u != u && v != v) {
					t.Fatalf("%+v: %s unit %d: in pieces %v, in one pass %v", opts, res.Codes[a], i, u, v)
				}
			}
		}
	}
}
