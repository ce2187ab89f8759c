package composite

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }

func mustMeta(t testing.TB, s string) *Meta {
	t.Helper()
	m, err := ParseMeta([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseData(t *testing.T) {
	m := mustMeta(t, smallMeta)
	// A spreadsheet's trailing commas give nameless columns: ignored.
	in := "uCode,uName,Group_region,d,c,b,a,x_note,,\n" +
		"U1,\"Trường A, Hà Nội\",R1,4,3,2,1,hello,,\n" +
		"U2,\"Say \"\"hi\"\"\",R2, 8 ,NA,,-1.5e1,\"x, y\",,\n" +
		"\n" +
		"U3,Three,,\"12.25\",0,0,0,,,\n"
	d, err := ParseData([]byte(in), m)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Units, " "); got != "U1 U2 U3" {
		t.Errorf("units %q", got)
	}
	if d.Names[0] != "Trường A, Hà Nội" || d.Names[1] != `Say "hi"` {
		t.Errorf("names %q", d.Names)
	}
	if g := d.Group("Group_region"); g == nil || g[0] != "R1" || g[2] != "" {
		t.Errorf("groups %q", g)
	}
	// Values are in iMeta order: a, b, c, d.
	want := [][]float64{{1, -15, 0}, {2, math.NaN(), 0}, {3, math.NaN(), 0}, {4, 8, 12.25}}
	for k := range want {
		for i := range want[k] {
			g, w := d.Values[k][i], want[k][i]
			if !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
				t.Errorf("value %s of %s: got %v, want %v", m.Nodes[k].Code, d.Units[i], g, w)
			}
		}
	}
}

func TestParseDataErrors(t *testing.T) {
	m := mustMeta(t, smallMeta)
	const h = "uCode,a,b,c,d\n"
	cases := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"empty"}},
		{"no uCode", "a,b,c,d\n1,2,3,4\n", []string{"no uCode"}},
		{"missing indicator", "uCode,a,b,c\nU1,1,2,3\n", []string{"lacks", "d"}},
		{"unknown column", "uCode,a,b,c,d,e\n", []string{"column e", "x_"}},
		{"aggregate column", "uCode,a,b,c,d,P\n", []string{"column P", "aggregate"}},
		{"duplicate column", "uCode,a,b,c,d,a\n", []string{"column a", "twice"}},
		{"time column", "uCode,Time,a,b,c,d\n", []string{"column Time", "panel"}},
		{"not a number", h + "U1,1,2,3,4\nU2,1,abc,3,4\n", []string{"line 3, column b", `"abc" is not a number`}},
		{"decimal comma", h + "U1,1,\"2,5\",3,4\n", []string{"line 2, column b", "decimal", "point"}},
		{"infinity", h + "U1,1,Inf,3,4\n", []string{"line 2, column b", "Inf"}},
		{"too few fields", h + "U1,1,2,3\n", []string{"line 2", "4 fields", "5"}},
		{"too many fields", h + "U1,1,2,3,4,5\n", []string{"line 2", "more fields"}},
		{"empty uCode", h + " ,1,2,3,4\n", []string{"line 2, column uCode", "empty"}},
		{"duplicate uCode", h + "U1,1,2,3,4\nU2,1,2,3,4\nU1,1,2,3,4\n", []string{"line 4, column uCode", "line 2"}},
		{"bare quote", h + "U\"1,1,2,3,4\n", []string{"line 2", "quote"}},
		{"text after quote", h + "\"U1\"x,1,2,3,4\n", []string{"line 2, column uCode", "closing quote"}},
		{"unclosed quote", h + "\"U1,1,2,3,4\n", []string{"line 2", "not closed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseData([]byte(c.in), m)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// bigData renders n units of random data for the small framework, with a
// few empty cells; bad, if positive, is the 1-based unit whose b is "oops".
func bigData(n, bad int, crlf bool) string {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	var sb strings.Builder
	eol := "\n"
	if crlf {
		eol = "\r\n"
	}
	sb.WriteString("uCode,uName,Group_region,a,b,c,d" + eol)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "U%07d,Unit %d,R%d", i, i, r.IntN(30))
		for k := range 4 {
			sb.WriteByte(',')
			switch {
			case i == bad && k == 1:
				sb.WriteString("oops")
			case r.IntN(50) == 0:
			default:
				sb.WriteString(strconv.FormatFloat(r.NormFloat64()*20+50, 'g', -1, 64))
			}
		}
		sb.WriteString(eol)
	}
	return sb.String()
}

// TestParseDataLarge runs the parallel splitter and parser (files over
// 1 MB) and checks them against the sequential ones.
func TestParseDataLarge(t *testing.T) {
	m := mustMeta(t, smallMeta)
	for _, crlf := range []bool{false, true} {
		in := []byte(bigData(40000, 0, crlf))
		seq, err := csvSplit(in)
		if err != nil {
			t.Fatal(err)
		}
		par, err := csvSplitParallel(in, 3, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(seq) != len(par) {
			t.Fatalf("parallel split: %d records, sequential %d", len(par), len(seq))
		}
		for i := range seq {
			if seq[i] != par[i] {
				t.Fatalf("record %d: parallel %+v, sequential %+v", i, par[i], seq[i])
			}
		}
		d, err := ParseData(in, m)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Units) != 40000 || d.Units[39999] != "U0040000" || d.Names[20000] != "Unit 20001" {
			t.Fatalf("units %d, last %q", len(d.Units), d.Units[len(d.Units)-1])
		}
	}
	// An error deep in the file names the right line, in parallel too.
	_, err := ParseData([]byte(bigData(40000, 31234, false)), m)
	if err == nil || !strings.Contains(err.Error(), "line 31235, column b") {
		t.Fatalf("error %v, want line 31235, column b", err)
	}
	// A quote anywhere sends the whole file to the sequential splitter.
	in := bigData(40000, 0, false) + "\"U9\",\"Quoted\nname\",R1,1,2,3,4\n"
	d, err := ParseData([]byte(in), m)
	if err != nil {
		t.Fatal(err)
	}
	if last := len(d.Names) - 1; d.Names[last] != "Quoted\nname" {
		t.Errorf("last name %q", d.Names[last])
	}
}

func TestReadDataFile(t *testing.T) {
	m := mustMeta(t, smallMeta)
	dir := t.TempDir()
	p := dir + "/iData.csv"
	if err := writeFile(p, bigData(30000, 0, false)); err != nil {
		t.Fatal(err)
	}
	d, err := ReadDataFile(p, m)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := ReadData(strings.NewReader(bigData(30000, 0, false)), m)
	if err != nil {
		t.Fatal(err)
	}
	for k := range d.Values {
		for i := range d.Values[k] {
			a, b := d.Values[k][i], d2.Values[k][i]
			if !(a == b || math.IsNaN(a) && math.IsNaN(b)) {
				t.Fatalf("mapped and read files differ at %d,%d", k, i)
			}
		}
	}
	if err := writeFile(p, "uCode,a,b,c,d\nU1,1,2,3,x\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDataFile(p, m); err == nil || !strings.HasPrefix(err.Error(), p+": line 2, column d") {
		t.Fatalf("error %v, want it to name the file, line and column", err)
	}
	if _, err := ReadDataFile(dir+"/nope.csv", m); err == nil {
		t.Fatal("no error for a missing file")
	}
}

// TestParseValue checks the fast decimal path against strconv.ParseFloat on
// random decimals of up to 21 digits, with leading and trailing zeros, and on
// the shortest and longer renderings of random float64s.
func TestParseValue(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(s string) {
		t.Helper()
		want, werr := strconv.ParseFloat(s, 64)
		got, err := parseValue([]byte(s))
		if werr != nil || math.IsInf(want, 0) {
			if err == nil {
				t.Fatalf("%q: got %v, strconv fails", s, got)
			}
			return
		}
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: got %v (%v), want %v", s, got, err, want)
		}
		// In a row, a plain decimal ends at the comma (anything else stops
		// earlier and goes to parseValue).
		row := []byte(s + ",99,")
		v, next, ok := scanDecimal(row, 0, len(row))
		if ok && next == len(s) && math.Float64bits(v) != math.Float64bits(want) {
			t.Fatalf("%q in a row: got %v", s, v)
		}
	}
	for range 300_000 {
		var b []byte
		if r.IntN(5) == 0 {
			b = append(b, '-')
		}
		for range 1 + r.IntN(21) {
			c := byte('0' + r.IntN(10))
			if r.IntN(4) == 0 {
				c = '0'
			}
			b = append(b, c)
		}
		if r.IntN(4) > 0 {
			p := r.IntN(len(b) + 1)
			b = append(b[:p], append([]byte{'.'}, b[p:]...)...)
		}
		check(string(b))
	}
	for range 100_000 {
		f := r.Float64() * math.Pow(10, float64(r.IntN(12)-4))
		check(strconv.FormatFloat(f, 'f', -1, 64))
		check(strconv.FormatFloat(f, 'f', 17, 64))
		check(strconv.FormatFloat(f, 'g', -1, 64))
	}
	for _, s := range []string{"0", "-0", "+1", ".5", "5.", "007", "1e5", "1E-3", "0x1p-2", "9007199254740993", "900719925474099.35",
		"0.30000000000000004", "9999999999999999999", "0.9999999999999999999", "18446744073709551615", "1.7976931348623157e308",
		"-", ".", "+.", "1..2", "1-2", "abc", "Inf", "-Infinity", "1e400", " 12 ", "\t3.5"} {
		check(strings.TrimSpace(s))
	}
	for _, s := range []string{"", "NA", "NaN", "  ", " NA "} {
		if v, err := parseValue([]byte(s)); err != nil || !math.IsNaN(v) {
			t.Errorf("%q: got %v, %v; want missing", s, v, err)
		}
	}
}

// TestMappedFileShrinks: a mapped file truncated while it is parsed is an
// error, not a crash.
func TestMappedFileShrinks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("mapping is tested on Linux")
	}
	m := mustMeta(t, smallMeta)
	p := t.TempDir() + "/iData.csv"
	if err := writeFile(p, bigData(40000, 0, false)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, unmap := mapFile(f)
	if b == nil {
		t.Skip("the file could not be mapped")
	}
	defer unmap()
	if err := os.Truncate(p, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := parseData(b, m, true); !errors.Is(err, errFileChanged) {
		t.Fatalf("error %v, want %v", err, errFileChanged)
	}
}
