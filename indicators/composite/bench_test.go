package composite

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// genData renders n units × k indicators in the shape of the reference
// generator (gen_data.py): percentages, Likert scores, counts and skewed
// ratios, written as Python writes floats, two pillars and a district group.
func genData(n, k int) (meta, data []byte) {
	r := rand.New(rand.NewPCG(42, uint64(n)))
	var mb strings.Builder
	mb.WriteString(metaHeader)
	for j := range k {
		dir := 1
		if j%10 == 3 {
			dir = -1
		}
		fmt.Fprintf(&mb, "i%02d,Indicator %d,1,G%d,%d,%d,Indicator\n", j+1, j+1, 1+2*j/k, dir, 1+r.IntN(3))
	}
	mb.WriteString("G1,Group 1,2,INDEX,1,0.6,Aggregate\nG2,Group 2,2,INDEX,1,0.4,Aggregate\nINDEX,Composite index,3,,1,1,Aggregate\nGroup_district,District,,,,,Group\n")
	var db strings.Builder
	db.WriteString("uCode,uName,Group_district")
	for j := range k {
		fmt.Fprintf(&db, ",i%02d", j+1)
	}
	db.WriteByte('\n')
	districts := max(1, n/67)
	var buf []byte
	for i := range n {
		fmt.Fprintf(&db, "S%06d,School %d,D%03d", i+1, i+1, 1+r.IntN(districts))
		for j := range k {
			var v float64
			switch j % 4 {
			case 0:
				v = min(100, max(0, r.NormFloat64()*20+60))
			case 1:
				v = float64(1 + r.IntN(5))
			case 2:
				v = math.Round(12 + r.NormFloat64()*3.5)
			default:
				v = math.Exp(r.NormFloat64() * 0.5)
			}
			buf = strconv.AppendFloat(buf[:0], v, 'f', -1, 64)
			if v == math.Trunc(v) {
				buf = append(buf, ".0"...)
			}
			db.WriteByte(',')
			db.Write(buf)
		}
		db.WriteByte('\n')
	}
	return []byte(mb.String()), []byte(db.String())
}

// BenchmarkCompute50k is the data size, 50,000 units × 40
// indicators, in process: parse iData, compute, write the results. The
// sub-benchmarks split it up.
func BenchmarkCompute50k(b *testing.B) {
	mb, db := genData(50000, 40)
	m, err := ParseMeta(mb)
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Group: "Group_district"}
	b.Run("pipeline", func(b *testing.B) {
		b.SetBytes(int64(len(db)))
		b.ReportAllocs()
		for b.Loop() {
			d, err := ParseData(db, m)
			if err != nil {
				b.Fatal(err)
			}
			res, err := Compute(m, d, opts)
			if err != nil {
				b.Fatal(err)
			}
			if err := res.WriteCSV(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, err := ParseData(db, m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(db)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseData(db, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compute", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compute(m, d, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	res, err := Compute(m, d, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("write", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := res.WriteCSV(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scoreindex", func(b *testing.B) {
		out := make([]float64, len(res.Units))
		w := res.Weights()
		res.ScoreIndex(w, out)
		b.ReportAllocs()
		for b.Loop() {
			res.ScoreIndex(w, out)
		}
	})
	b.Run("rank", func(b *testing.B) {
		ranks := make([]int, len(res.Units))
		b.ReportAllocs()
		for b.Loop() {
			Rank(res.Index(), ranks)
		}
	})
}
