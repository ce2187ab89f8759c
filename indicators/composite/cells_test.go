package composite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestParseRowsCellsMatchParseValue: the decimal scanner written out in
// parseRows's hot path reads every cell as parseValue (and so strconv)
// does: plain decimals of every length, signs, leading and trailing points,
// more than 19 digits, exponents, spaces, NA, empty cells, a cell last on
// its line with and without a carriage return, and cells that are not
// numbers (the same error, line and column).
func TestParseRowsCellsMatchParseValue(t *testing.T) {
	const k = 6
	var mb strings.Builder
	mb.WriteString(metaHeader)
	for j := range k {
		fmt.Fprintf(&mb, "i%d,I%d,1,INDEX,1,1,Indicator\n", j, j)
	}
	mb.WriteString("INDEX,Index,2,,1,1,Aggregate\n")
	m := mustMeta(t, mb.String())
	r := rand.New(rand.NewPCG(3, 4))
	cell := func() string {
		switch r.IntN(12) {
		case 0:
			return ""
		case 1:
			return []string{"NA", "NaN", " 1.5", "2.5 ", "1e3", "-2E-2", "+.5", "5.", ".", "-", "1.2.3", "0x10", "Inf", "12a", "9999999999999999999", "18446744073709551616", "0.00000000000000000001"}[r.IntN(17)]
		}
		var b []byte
		if r.IntN(5) == 0 {
			b = append(b, "-+"[r.IntN(2)])
		}
		for range 1 + r.IntN(22) {
			b = append(b, byte('0'+r.IntN(10)))
		}
		if r.IntN(4) > 0 {
			p := r.IntN(len(b) + 1)
			b = append(b[:p], append([]byte{'.'}, b[p:]...)...)
		}
		return string(b)
	}
	for round := range 300 {
		var db strings.Builder
		db.WriteString("uCode")
		for j := range k {
			fmt.Fprintf(&db, ",i%d", j)
		}
		db.WriteString("\n")
		const n = 40
		cells := make([][]string, n)
		var wantErr error
		for i := range n {
			fmt.Fprintf(&db, "U%d", i)
			cells[i] = make([]string, k)
			for j := range k {
				c := cell()
				if round%2 == 0 && c != "" && c[0] != ' ' && c[len(c)-1] != ' ' {
					// Only numbers in even rounds, so that most files parse.
					if _, err := parseValue([]byte(c)); err != nil {
						c = "7"
					}
				}
				cells[i][j] = c
				db.WriteString("," + c)
				if _, err := parseValue([]byte(c)); err != nil && wantErr == nil {
					wantErr = &ParseError{Line: i + 2, Column: fmt.Sprintf("i%d", j), Msg: err.Error()}
				}
			}
			if r.IntN(3) == 0 {
				db.WriteString("\r")
			}
			db.WriteString("\n")
		}
		d, err := ParseData([]byte(db.String()), m)
		if wantErr != nil {
			if err == nil || err.Error() != wantErr.Error() {
				t.Fatalf("round %d: got error %v, want %v", round, err, wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for i := range n {
			for j := range k {
				want, _ := parseValue([]byte(cells[i][j]))
				got := d.Values[j][i]
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("round %d, cell %q: got %v, want %v", round, cells[i][j], got, want)
				}
			}
		}
	}
}
