package composite

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// coinrDir returns ../shared/reference/coinr seen from the repository root
// (the directory of go.mod), or skips the test when it is absent.
func coinrDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory: cannot find ../shared/reference/coinr")
		}
		dir = parent
	}
	ref := filepath.Join(dir, "..", "shared", "reference", "coinr")
	if _, err := os.Stat(ref); err != nil {
		t.Skipf("COINr reference results not found at %s (CI has them): %v", ref, err)
	}
	return ref
}

// refTable is a results CSV read generically: header and rows by uCode.
type refTable struct {
	header []string
	col    map[string]int
	rows   map[string][]string
	order  []string
}

func readRefTable(t *testing.T, b []byte) *refTable {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb := &refTable{header: recs[0], col: map[string]int{}, rows: map[string][]string{}}
	for j, h := range recs[0] {
		tb.col[h] = j
	}
	for _, r := range recs[1:] {
		tb.rows[r[0]] = r
		tb.order = append(tb.order, r[0])
	}
	return tb
}

// compareToCOINr checks got against COINr's table: scores within 1e-9,
// missing exactly where COINr has missing (empty or NA), ranks exactly.
func compareToCOINr(t *testing.T, got, want *refTable) {
	t.Helper()
	if len(got.rows) != len(want.rows) {
		t.Fatalf("%d units, COINr has %d", len(got.rows), len(want.rows))
	}
	missing := func(s string) bool { return s == "" || s == "NA" || s == "NaN" }
	for _, u := range want.order {
		g, w := got.rows[u], want.rows[u]
		if g == nil {
			t.Fatalf("unit %s missing from our results", u)
		}
		for _, c := range []string{"G1", "G2", "INDEX"} {
			gs, ws := g[got.col[c]], w[want.col[c]]
			if missing(gs) || missing(ws) {
				if missing(gs) != missing(ws) {
					t.Errorf("%s %s: got %q, COINr %q", u, c, gs, ws)
				}
				continue
			}
			gv, err1 := strconv.ParseFloat(gs, 64)
			wv, err2 := strconv.ParseFloat(ws, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s %s: unparsable %q / %q", u, c, gs, ws)
			}
			if math.Abs(gv-wv) > 1e-9 {
				t.Errorf("%s %s: got %.17g, COINr %.17g (|d| = %.3g)", u, c, gv, wv, math.Abs(gv-wv))
			}
		}
		for _, c := range []string{"Rank", "Group_districtRank", "Group_district"} {
			gs, ws := g[got.col[c]], w[want.col[c]]
			if missing(ws) {
				ws = ""
			}
			if gs != ws {
				t.Errorf("%s %s: got %q, COINr %q", u, c, gs, ws)
			}
		}
	}
}

func TestGoldenCOINr(t *testing.T) {
	ref := coinrDir(t)
	meta, err := ReadMetaFile(filepath.Join(ref, "iMeta_K40.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"N1000", "N200_na5"} {
		t.Run(name, func(t *testing.T) {
			d, err := ReadDataFile(filepath.Join(ref, "iData_"+name+".csv"), meta)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Compute(meta, d, Options{Group: "Group_district"})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := res.WriteCSV(&buf); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(ref, "coinr_results_"+name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			got := readRefTable(t, buf.Bytes())
			wantT := readRefTable(t, want)
			if !equalStrings(got.header, wantT.header) {
				t.Errorf("header %v, COINr %v", got.header, wantT.header)
			}
			compareToCOINr(t, got, wantT)
			// The order of the units is iData's.
			if !equalStrings(got.order, wantT.order) {
				t.Error("units are not in iData order")
			}
		})
	}
}

// TestGoldenMissingKept blanks whole rows and columns of the reference data
// and checks that missing stays missing: a unit with no indicators has no
// scores and no ranks, and the other units still agree with a computation
// that never saw it.
func TestGoldenMissingKept(t *testing.T) {
	ref := coinrDir(t)
	meta, err := ReadMetaFile(filepath.Join(ref, "iMeta_K40.csv"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadDataFile(filepath.Join(ref, "iData_N200_na5.csv"), meta)
	if err != nil {
		t.Fatal(err)
	}
	// Unit 0: nothing at all. Unit 1: nothing in G2.
	for k := range d.Values {
		d.Values[k][0] = math.NaN()
		if meta.Nodes[k].Parent == "G2" {
			d.Values[k][1] = math.NaN()
		}
	}
	res, err := Compute(meta, d, Options{Group: "Group_district"})
	if err != nil {
		t.Fatal(err)
	}
	for a, code := range res.Codes {
		if !math.IsNaN(res.Scores[a][0]) {
			t.Errorf("unit 0 has %s = %v, want missing", code, res.Scores[a][0])
		}
	}
	if res.Rank[0] != 0 || res.GroupRank[0] != 0 {
		t.Errorf("unit 0 ranked %d / %d, want unranked", res.Rank[0], res.GroupRank[0])
	}
	g1, g2, idx := res.Scores[0], res.Scores[1], res.Index()
	if math.IsNaN(g1[1]) || !math.IsNaN(g2[1]) {
		t.Errorf("unit 1: G1 %v G2 %v, want G1 present and G2 missing", g1[1], g2[1])
	}
	// The index renormalises over the present pillar: it equals G1.
	if idx[1] != g1[1] {
		t.Errorf("unit 1: index %v, want G1 %v (weights renormalised over present children)", idx[1], g1[1])
	}
	n := 0
	for _, r := range res.Rank {
		if r > 0 {
			n++
		}
	}
	if n != len(res.Units)-1 {
		t.Errorf("%d units ranked, want %d", n, len(res.Units)-1)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
