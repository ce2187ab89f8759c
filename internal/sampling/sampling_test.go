package sampling

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func units(n int, strata ...string) []Unit {
	var out []Unit
	for i := 0; i < n; i++ {
		s := ""
		if len(strata) > 0 {
			s = strata[i%len(strata)]
		}
		out = append(out, Unit{Code: fmt.Sprintf("%05d", 338000+i*7), Stratum: s})
	}
	return out
}

func codes(rs []Ranked) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// TestSameSeedSameSchools: a draw is a function of the seed and the list,
// whatever order the list comes in; another seed draws others.
func TestSameSeedSameSchools(t *testing.T) {
	us := units(40, "primary/338", "lower_secondary/338", "preschool/339")
	a, _, err := Draw("2025-hy-ab12", us, Params{Size: 9})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(us)
	slices.Reverse(rev)
	b, _, err := Draw("2025-hy-ab12", rev, Params{Size: 9})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 9 || !slices.Equal(codes(a), codes(b)) {
		t.Fatalf("same seed, different draws:\n%v\n%v", codes(a), codes(b))
	}
	c, _, _ := Draw("another-seed", us, Params{Size: 9})
	if slices.Equal(codes(a), codes(c)) {
		t.Fatalf("another seed drew the same schools %v", codes(c))
	}
}

func TestQuotas(t *testing.T) {
	// 10, 7 and 3 units, N = 5 of 20: floor shares 2, 1, 0 with
	// remainders (in 20ths) 10, 15, 15; the two left over go to b and c.
	order := map[string][]Ranked{"a": make([]Ranked, 10), "b": make([]Ranked, 7), "c": make([]Ranked, 3)}
	q := Quotas(Params{Size: 5}, order)
	// 5×10 = 50 → 2 r 10; 5×7 = 35 → 1 r 15; 5×3 = 15 → 0 r 15: b, c get one each.
	if q["a"] != 2 || q["b"] != 2 || q["c"] != 1 {
		t.Fatalf("quotas by size %v", q)
	}
	q = Quotas(Params{ShareBP: 2500}, order) // ceil(2.5), ceil(1.75), ceil(0.75)
	if q["a"] != 3 || q["b"] != 2 || q["c"] != 1 {
		t.Fatalf("quotas by share %v", q)
	}
	for _, p := range []Params{{}, {Size: 1, ShareBP: 1}, {Size: 21}, {ShareBP: 10001}, {Size: -1}} {
		if p.Validate(20) == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

func TestNextAndIndicators(t *testing.T) {
	us := units(12)
	drawn, order, err := Draw("s", us, Params{Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	taken := map[string]bool{}
	for _, r := range drawn {
		taken[r.Code] = true
	}
	more := Next(order, "", taken, 2)
	if len(more) != 2 || more[0].Rank != 3 || more[1].Rank != 4 {
		t.Fatalf("enlargement %+v", more)
	}
	inds := []string{"1.1", "1.2", "2.1", "2.2", "3.1"}
	k1 := Indicators("s", "00001", inds, 2)
	if len(k1) != 2 || !slices.Equal(k1, Indicators("s", "00001", inds, 2)) {
		t.Fatalf("indicators %v", k1)
	}
	if got := Indicators("s", "00001", inds, 0); len(got) != 5 {
		t.Fatalf("k=0 takes all: %v", got)
	}
}

// TestPythonRedrawIndicators: with K, the script also draws each drawn
// school's K indicators as Indicators does.
func TestPythonRedrawIndicators(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the recomputation of the draw in testdata/redraw.py cannot run here")
	}
	us := units(20, "primary", "lower_secondary")
	inds := []string{"1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2", "3.1.1", "3.2.1"}
	const seed, k = "chỉ-số", 3
	drawn, _, err := Draw(seed, us, Params{Size: 6})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range drawn {
		want = append(want, r.Code+"\t"+strings.Join(Indicators(seed, r.Code, inds, k), ","))
	}
	type ju struct {
		Code       string   `json:"code"`
		Stratum    string   `json:"stratum"`
		Indicators []string `json:"indicators"`
	}
	doc := map[string]any{"seed": seed, "size": 6, "k": k}
	var list []ju
	for _, u := range us {
		list = append(list, ju{u.Code, u.Stratum, inds})
	}
	doc["units"] = list
	b, _ := json.Marshal(doc)
	f := filepath.Join(t.TempDir(), "draw.json")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/redraw.py", f).Output()
	if err != nil {
		t.Fatalf("redraw.py: %v", err)
	}
	if got := strings.Split(strings.TrimSpace(string(out)), "\n"); !slices.Equal(got, want) {
		t.Fatalf("python drew\n%q\nGo drew\n%q", got, want)
	}
}

// TestPythonRedraw: the Python script in testdata, given the published
// seed and list, draws the same schools, stratified or not, by number or
// by share.
func TestPythonRedraw(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the recomputation of the draw in testdata/redraw.py cannot run here")
	}
	us := units(53, "primary/338", "lower_secondary/338", "preschool/339", "lower_secondary/Xã Đông Hưng")
	for _, tc := range []struct {
		seed string
		p    Params
		flat bool
	}{
		{"2025-hy-7f3a", Params{Size: 11}, false},
		{"2025-hy-7f3a", Params{ShareBP: 1500}, false},
		{"hạt giống", Params{Size: 7}, true},
		{"x", Params{ShareBP: 3333}, true},
	} {
		in := slices.Clone(us)
		if tc.flat {
			for i := range in {
				in[i].Stratum = ""
			}
		}
		drawn, _, err := Draw(tc.seed, in, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := RedrawInput(tc.seed, tc.p, in)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "draw.json")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "testdata/redraw.py", f).Output()
		if err != nil {
			t.Fatalf("redraw.py: %v", err)
		}
		got := strings.Fields(string(out))
		if !slices.Equal(got, codes(drawn)) {
			t.Fatalf("%+v: python drew\n%v\nGo drew\n%v", tc, got, codes(drawn))
		}
	}
}
