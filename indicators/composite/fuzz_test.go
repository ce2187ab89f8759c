package composite

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The readers must never panic, whatever the bytes; what they accept must
// compute and write without panicking either.

func FuzzReadMeta(f *testing.F) {
	f.Add([]byte(smallMeta))
	f.Add([]byte(metaHeader + "a,,1,IDX,1,1,Indicator\nIDX,,2,,1,1,Aggregate\n"))
	f.Add([]byte("\uFEFFiCode,Level,Parent,Direction,Weight,Type\r\n\"a\"\"\",1,IDX,-1,1e3,indicator\r\nIDX,2,,,,Aggregate"))
	if b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "reference", "coinr", "iMeta_K40.csv")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMeta(b)
		if err != nil {
			return
		}
		if m.NumIndicators < 1 || m.NumIndicators >= len(m.Nodes) {
			t.Fatalf("accepted meta with %d indicators of %d nodes", m.NumIndicators, len(m.Nodes))
		}
		for a, n := range m.Nodes {
			for _, c := range n.Children {
				if c >= a || m.Nodes[c].Parent != n.Code {
					t.Fatalf("node %s: bad child %d", n.Code, c)
				}
			}
		}
		if m.Index().Parent != "" {
			t.Fatal("index with a parent")
		}
	})
}

func FuzzReadData(f *testing.F) {
	m := mustMeta(f, smallMeta)
	f.Add([]byte("uCode,uName,Group_region,a,b,c,d\nU1,One,R1,1,2,3,4\nU2,\"T, wo\",R1,4,NA,, 7.5\n"))
	f.Add([]byte("\uFEFFuCode,a,b,c,d,x_z\r\n\"U\"\"1\",1e2,-0,.5,5.,\"q\nq\"\r\n"))
	f.Add([]byte("uCode,d,c,b,a\nU1,1,2,3,4\nU1,1,2,3,4\n"))
	f.Add([]byte("uCode,a,b,c,d\nU1,0.30000000000000004,9999999999999999999,18446744073709551616,1e400\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseData(b, m)
		if err != nil {
			return
		}
		for _, opts := range []Options{{}, {Normalise: ZScore}, {Aggregate: GeometricMean, Lower: 1, Upper: 2}} {
			if g := d.Group("Group_region"); g != nil {
				opts.Group = "Group_region"
			}
			res, err := Compute(m, d, opts)
			if err != nil {
				continue
			}
			if err := res.WriteCSV(io.Discard); err != nil {
				t.Fatal(err)
			}
			out := make([]float64, len(res.Units))
			res.ScoreIndex(res.Weights(), out)
		}
	})
}
