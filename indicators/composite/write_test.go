package composite

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	m := mustMeta(t, smallMeta)
	in := "uCode,Group_region,a,b,c,d\n" +
		"U1,\"R, north\",1,2,3,4\n" +
		"\"U \"\"2\"\"\",R2,2,1,5,1\n" +
		"U3,R2,3,0,,\n" +
		"U4,,,,,\n"
	d, err := ParseData([]byte(in), m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compute(m, d, Options{Group: "Group_region"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	extra := Column{Name: "rank_median", Values: []float64{1.5, 2, math.NaN(), math.NaN()}}
	if err := res.WriteCSV(&buf, extra); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if lines[0] != "uCode,P,Q,IDX,Rank,Group_regionRank,Group_region,rank_median" {
		t.Errorf("header %q", lines[0])
	}
	if len(lines) != 5 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	// U1: a min (0), b max with direction −1 → 0; P = 0. c, d: 0 and 100 → Q = 50.
	// IDX = (2/3)·0 + (1/3)·50, in floating point as COINr computes it.
	if want := "U1,0,50,16.666666666666664,"; !strings.HasPrefix(lines[1], want) {
		t.Errorf("line 1 %q, want prefix %q", lines[1], want)
	}
	if !strings.HasSuffix(lines[1], `,"R, north",1.5`) {
		t.Errorf("line 1 %q: group not quoted or extra column wrong", lines[1])
	}
	if !strings.HasPrefix(lines[2], `"U ""2""",`) {
		t.Errorf("line 2 %q: quotes not escaped", lines[2])
	}
	// U4 has nothing: empty scores and ranks, empty group.
	if lines[4] != "U4,,,,,,," {
		t.Errorf("line 4 %q", lines[4])
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

func TestWriteCSVError(t *testing.T) {
	m, d := randomCase(t, 2, 10000, 4, 2, 0)
	res, err := Compute(m, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, after := range []int{0, 1} {
		if err := res.WriteCSV(&failWriter{after: after}); err == nil {
			t.Errorf("write error after %d writes not reported", after)
		}
	}
}

// TestWriteCSVManyChunks: with many chunks formatted in parallel and written
// as they come, the rows come out in order, each exactly as formatted alone;
// with a group and an extra column.
func TestWriteCSVManyChunks(t *testing.T) {
	mb, db := genData(20001, 6)
	m, err := ParseMeta(mb)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseData(db, m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compute(m, d, Options{Group: "Group_district"})
	if err != nil {
		t.Fatal(err)
	}
	extra := Column{Name: "x", Values: make([]float64, len(res.Units))}
	for i := range extra.Values {
		extra.Values[i] = float64(i) / 7
	}
	var buf bytes.Buffer
	if err := res.WriteCSV(&buf, extra); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 1+len(res.Units) {
		t.Fatalf("%d lines for %d units", len(lines), len(res.Units))
	}
	for i := range res.Units {
		want := string(res.appendRows(nil, i, i+1, []Column{extra}))
		if lines[1+i]+"\n" != want {
			t.Fatalf("row %d: %q, want %q", i, lines[1+i], want)
		}
	}
}
