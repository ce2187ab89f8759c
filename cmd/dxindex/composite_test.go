package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// compositeEnv is an env for calling runComposite directly.
func compositeEnv(out *bytes.Buffer) *env {
	return &env{stdout: out, stderr: out, getenv: func(string) string { return "" }, g: globals{logLevel: "info", logFormat: "text"}}
}

// compositeRef returns ../shared/reference/coinr from the repository root,
// or skips.
func compositeRef(t *testing.T) string {
	t.Helper()
	ref, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "reference", "coinr"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(ref, "iMeta_K40.csv")); err != nil {
		t.Skipf("COINr reference files not found at %s (CI has them)", ref)
	}
	return ref
}

// compositeTable reads a results CSV: header and rows keyed by uCode.
func compositeTable(t *testing.T, b []byte) (map[string]int, map[string][]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("results are not CSV: %v", err)
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = r
	}
	return col, rows
}

func TestCompositeGolden(t *testing.T) {
	ref := compositeRef(t)
	for _, name := range []string{"N1000", "N200_na5"} {
		t.Run(name, func(t *testing.T) {
			outPath := filepath.Join(t.TempDir(), "results.csv")
			var buf bytes.Buffer
			err := runComposite(context.Background(), compositeEnv(&buf), []string{
				"--data", filepath.Join(ref, "iData_"+name+".csv"), "--meta", filepath.Join(ref, "iMeta_K40.csv"),
				"--group", "Group_district", "--out", outPath})
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			got, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(ref, "coinr_results_"+name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			gc, gr := compositeTable(t, got)
			wc, wr := compositeTable(t, want)
			if len(gr) != len(wr) {
				t.Fatalf("%d units, COINr %d", len(gr), len(wr))
			}
			for u, w := range wr {
				g := gr[u]
				for _, c := range []string{"G1", "G2", "INDEX"} {
					gv, err1 := strconv.ParseFloat(g[gc[c]], 64)
					wv, err2 := strconv.ParseFloat(w[wc[c]], 64)
					if err1 != nil || err2 != nil || math.Abs(gv-wv) > 1e-9 {
						t.Fatalf("%s %s: %q, COINr %q", u, c, g[gc[c]], w[wc[c]])
					}
				}
				for _, c := range []string{"Rank", "Group_districtRank", "Group_district"} {
					if g[gc[c]] != w[wc[c]] {
						t.Fatalf("%s %s: %q, COINr %q", u, c, g[gc[c]], w[wc[c]])
					}
				}
			}
		})
	}
}

func TestCompositeRobustness(t *testing.T) {
	ref := compositeRef(t)
	run := func(seed string) []byte {
		t.Helper()
		var buf, log bytes.Buffer
		e := compositeEnv(&buf)
		e.stderr = &log
		err := runComposite(context.Background(), e, []string{
			"--data", filepath.Join(ref, "iData_N1000.csv"), "--meta", filepath.Join(ref, "iMeta_K40.csv"),
			"--robustness", "300", "--seed", seed})
		if err != nil {
			t.Fatalf("%v\n%s", err, log.String())
		}
		return buf.Bytes()
	}
	a, b, c := run("7"), run("7"), run("8")
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different results")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 7 and 8 gave the same results")
	}
	if first := a[:bytes.IndexByte(a, '\n')]; string(first) != "uCode,G1,G2,INDEX,Rank,rank_median,rank_p05,rank_p95" {
		t.Fatalf("header %q", first)
	}
	col, rows := compositeTable(t, a)
	wide := 0
	for u, r := range rows {
		rank, _ := strconv.ParseFloat(r[col["Rank"]], 64)
		med, _ := strconv.ParseFloat(r[col["rank_median"]], 64)
		p05, _ := strconv.ParseFloat(r[col["rank_p05"]], 64)
		p95, _ := strconv.ParseFloat(r[col["rank_p95"]], 64)
		if !(p05 <= rank && rank <= p95 && p05 <= med && med <= p95) {
			t.Fatalf("%s: rank %v, median %v, interval [%v, %v]", u, rank, med, p05, p95)
		}
		if p95-p05 >= 10 {
			wide++
		}
	}
	// Under ±25 % weights most of 1,000 close units move by ten places or
	// more: the point of the analysis.
	if wide < len(rows)/2 {
		t.Errorf("only %d of %d units have an interval of 10 ranks or more", wide, len(rows))
	}
}

func TestCompositeOptions(t *testing.T) {
	ref := compositeRef(t)
	base := []string{"--data", filepath.Join(ref, "iData_N200_na5.csv"), "--meta", filepath.Join(ref, "iMeta_K40.csv")}
	for _, extra := range [][]string{
		{"--normalise", "zscore"},
		{"--aggregate", "gmean", "--minmax-range", "1,100"},
		{"--normalise", "minmax", "--aggregate", "amean", "--minmax-range", "-1, 1"},
	} {
		var buf bytes.Buffer
		if err := runComposite(context.Background(), compositeEnv(&buf), append(base, extra...)); err != nil {
			t.Errorf("%v: %v", extra, err)
			continue
		}
		if n := strings.Count(buf.String(), "\n"); n != 201 {
			t.Errorf("%v: %d lines, want 201", extra, n)
		}
	}
	// COINr's a_gmean refuses the zeros of min–max onto [0, 100].
	var buf bytes.Buffer
	err := runComposite(context.Background(), compositeEnv(&buf), append(base, "--aggregate", "gmean"))
	if err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("gmean over [0, 100]: error %v", err)
	}
}

func TestCompositeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--data", "x.csv"},
		{"--meta", "m.csv"},
		{"--data", "x.csv", "--meta", "m.csv", "extra"},
		{"--data", "x.csv", "--meta", "m.csv", "--normalise", "rank"},
		{"--data", "x.csv", "--meta", "m.csv", "--aggregate", "median"},
		{"--data", "x.csv", "--meta", "m.csv", "--minmax-range", "100,0"},
		{"--data", "x.csv", "--meta", "m.csv", "--minmax-range", "1"},
		{"--data", "x.csv", "--meta", "m.csv", "--robustness", "-1"},
		{"--data", "x.csv", "--meta", "m.csv", "--spread", "1"},
		{"--data", "x.csv", "--meta", "m.csv", "--bogus"},
	} {
		var buf bytes.Buffer
		err := runComposite(context.Background(), compositeEnv(&buf), args)
		var xe *exitError
		if !errors.As(err, &xe) || xe.code != 2 {
			t.Errorf("%q: error %v, want a usage error (exit 2)", args, err)
		}
	}
	var buf bytes.Buffer
	if err := runComposite(context.Background(), compositeEnv(&buf), []string{"--help"}); !errors.Is(err, errHelp) {
		t.Errorf("--help: %v", err)
	}
	if !strings.Contains(buf.String(), "--robustness") {
		t.Errorf("--help does not list --robustness:\n%s", buf.String())
	}
}

// TestCompositeBadInput: an invalid file is reported with its name, line and
// column, and an existing --out is left untouched, with no temporary file
// left beside it.
func TestCompositeBadInput(t *testing.T) {
	dir := t.TempDir()
	meta := filepath.Join(dir, "iMeta.csv")
	data := filepath.Join(dir, "iData.csv")
	out := filepath.Join(dir, "results.csv")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(meta, "iCode,iName,Level,Parent,Direction,Weight,Type\na,,1,IDX,1,1,Indicator\nb,,1,IDX,-1,1,Indicator\nIDX,,2,,1,1,Aggregate\n")
	write(data, "uCode,a,b\nU1,1,2\nU2,3,x4\n")
	write(out, "previous results\n")
	var buf bytes.Buffer
	err := runComposite(context.Background(), compositeEnv(&buf), []string{"--data", data, "--meta", meta, "--out", out})
	if err == nil || !strings.Contains(err.Error(), data+": line 3, column b") {
		t.Fatalf("error %v, want the file, line 3 and column b", err)
	}
	var xe *exitError
	if errors.As(err, &xe) {
		t.Errorf("bad input gave exit status %d, want 1", xe.code)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous results\n" {
		t.Errorf("--out was changed to %q", b)
	}

	write(meta, "iCode,iName,Level,Parent,Direction,Weight,Type\na,,1,IDX,0,1,Indicator\nIDX,,2,,1,1,Aggregate\n")
	err = runComposite(context.Background(), compositeEnv(&buf), []string{"--data", data, "--meta", meta, "--out", out})
	if err == nil || !strings.Contains(err.Error(), meta+": line 2, column Direction") {
		t.Fatalf("error %v, want the meta file, line 2 and column Direction", err)
	}

	// A good run replaces --out whole.
	write(meta, "iCode,iName,Level,Parent,Direction,Weight,Type\na,,1,IDX,1,1,Indicator\nb,,1,IDX,-1,1,Indicator\nIDX,,2,,1,1,Aggregate\n")
	write(data, "uCode,a,b\nU1,1,2\nU2,3,4\n")
	if err := runComposite(context.Background(), compositeEnv(&buf), []string{"--data", data, "--meta", meta, "--out", out}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "uCode,IDX,Rank\nU1,50,1\nU2,50,1\n" {
		t.Errorf("results %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the directory, want 3 (a temporary file left behind?)", len(entries))
	}
	// A missing directory for --out fails before anything is written.
	if err := runComposite(context.Background(), compositeEnv(&buf), []string{"--data", data, "--meta", meta, "--out", filepath.Join(dir, "no", "r.csv")}); err == nil {
		t.Error("no error for an --out in a missing directory")
	}
}

// TestCompositeOutToPipe: --out naming something that is not a regular
// file (a named pipe here; /dev/null in practice) writes to it and leaves
// it as it was. Renaming a temporary file over it once replaced /dev/null
// with a regular file.
func TestCompositeOutToPipe(t *testing.T) {
	ref := compositeRef(t)
	fifo := filepath.Join(t.TempDir(), "results.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan int, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- -1
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- len(b)
	}()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, g: globals{logLevel: "info", logFormat: "text"}}
	if err := runComposite(context.Background(), e, []string{"--data", filepath.Join(ref, "iData_N200_na5.csv"), "--meta", filepath.Join(ref, "iMeta_K40.csv"), "--out", fifo}); err != nil {
		t.Fatalf("composite --out FIFO: %v %s", err, errb.String())
	}
	select {
	case n := <-got:
		if n < 1000 {
			t.Fatalf("the reader of the pipe got %d bytes", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing was written to the pipe (was it replaced by a file?)")
	}
	fi, err := os.Stat(fifo)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
}
