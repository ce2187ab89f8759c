package composite

import (
	"errors"
	"strings"
	"testing"
)

const metaHeader = "iCode,iName,Level,Parent,Direction,Weight,Type\n"

// smallMeta is a three-level framework: four indicators in two pillars.
const smallMeta = metaHeader +
	"a,A,1,P,1,1,Indicator\n" +
	"b,B,1,P,-1,3,Indicator\n" +
	"c,C,1,Q,1,1,Indicator\n" +
	"d,D,1,Q,1,1,Indicator\n" +
	"P,Pillar P,2,IDX,1,2,Aggregate\n" +
	"Q,Pillar Q,2,IDX,1,1,Aggregate\n" +
	"IDX,Index,3,,1,,Aggregate\n" +
	"Group_region,Region,,,,,Group\n"

func TestParseMeta(t *testing.T) {
	m, err := ParseMeta([]byte(smallMeta))
	if err != nil {
		t.Fatal(err)
	}
	if m.NumIndicators != 4 || len(m.Nodes) != 7 {
		t.Fatalf("%d indicators, %d nodes; want 4, 7", m.NumIndicators, len(m.Nodes))
	}
	var codes []string
	for _, n := range m.Nodes {
		codes = append(codes, n.Code)
	}
	if got := strings.Join(codes, " "); got != "a b c d P Q IDX" {
		t.Errorf("node order %q", got)
	}
	if m.Index().Code != "IDX" || m.Index().Weight != 1 {
		t.Errorf("index %+v", *m.Index())
	}
	if b := m.Nodes[1]; b.Direction != -1 || b.Weight != 3 || b.Parent != "P" {
		t.Errorf("b: %+v", b)
	}
	if p := m.Nodes[4]; len(p.Children) != 2 || p.Children[0] != 0 || p.Children[1] != 1 {
		t.Errorf("P's children %v", p.Children)
	}
	if len(m.Groups) != 1 || m.Groups[0] != "Group_region" {
		t.Errorf("groups %v", m.Groups)
	}
}

func TestParseMetaAnyColumnOrderCRLFAndBOM(t *testing.T) {
	in := "\uFEFFType,Weight,iCode,Parent,Level,Direction,Notes\r\n" +
		"Indicator,1,x,IDX,1,1,whatever\r\n" +
		"Indicator,2,y,IDX,1,-1,\"with, comma\"\r\n" +
		"aggregate,1,IDX,,2,1,\r\n"
	m, err := ParseMeta([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Nodes) != 3 || m.Nodes[1].Direction != -1 || m.Nodes[1].Weight != 2 {
		t.Errorf("nodes %+v", m.Nodes)
	}
}

func TestParseMetaDeeper(t *testing.T) {
	in := metaHeader +
		"i1,,1,S1,1,1,Indicator\n" +
		"i2,,1,S1,1,1,Indicator\n" +
		"i3,,1,S2,1,1,Indicator\n" +
		"S1,,2,P1,1,1,Aggregate\n" +
		"S2,,2,P1,1,1,Aggregate\n" +
		"P1,,3,TOP,1,1,Aggregate\n" +
		"TOP,,4,,1,1,Aggregate\n"
	m, err := ParseMeta([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if m.Index().Level != 4 || len(m.Aggregates()) != 4 {
		t.Errorf("index %+v, %d aggregates", *m.Index(), len(m.Aggregates()))
	}
}

func TestParseMetaErrors(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string // substrings of the error
	}{
		{"empty", "", []string{"empty"}},
		{"missing columns", "iCode,Level,Parent\n", []string{"lacks", "Direction", "Weight", "Type"}},
		{"duplicate header", "iCode,iCode,Level,Parent,Direction,Weight,Type\n", []string{"column iCode", "twice"}},
		{"bad type", metaHeader + "a,,1,IDX,1,1,Indikator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2, column Type", "Indikator"}},
		{"duplicate code", metaHeader + "a,,1,IDX,1,1,Indicator\na,,1,IDX,1,1,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 3, column iCode", "line 2"}},
		{"bad direction", metaHeader + "a,,1,IDX,2,1,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2, column Direction", `"2"`}},
		{"negative weight", metaHeader + "a,,1,IDX,1,-1,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2, column Weight", "≥ 0"}},
		{"text weight", metaHeader + "a,,1,IDX,1,heavy,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2, column Weight"}},
		{"missing weight", metaHeader + "a,,1,IDX,1,,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2, column Weight", "empty"}},
		{"bad level", metaHeader + "a,,one,IDX,1,1,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2, column Level"}},
		{"indicator level 2", metaHeader + "a,,2,IDX,1,1,Indicator\nIDX,,3,,1,1,Aggregate\n", []string{"line 2, column Level", "level 1"}},
		{"unknown parent", metaHeader + "a,,1,IDX,1,1,Indicator\nb,,1,NOPE,1,1,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 3, column Parent", "NOPE", "not declared"}},
		{"parent skips a level", metaHeader + "a,,1,P,1,1,Indicator\nb,,1,IDX,1,1,Indicator\nP,,2,IDX,1,1,Aggregate\nIDX,,3,,1,1,Aggregate\n", []string{"line 3, column Parent", "level 3"}},
		{"parent is a group", metaHeader + "a,,1,Group_x,1,1,Indicator\nIDX,,2,,1,1,Aggregate\nGroup_x,,,,,,Group\n", []string{"line 2, column Parent", "not an aggregate"}},
		{"two tops", metaHeader + "a,,1,X,1,1,Indicator\nb,,1,Y,1,1,Indicator\nX,,2,,1,1,Aggregate\nY,,2,,1,1,Aggregate\n", []string{"2 aggregates (X, Y)", "exactly one"}},
		{"top with parent", metaHeader + "a,,1,IDX,1,1,Indicator\nIDX,,2,a,1,1,Aggregate\n", []string{"line 3, column Parent", "no parent"}},
		{"childless aggregate", metaHeader + "a,,1,P,1,1,Indicator\nP,,2,IDX,1,1,Aggregate\nQ,,2,IDX,1,1,Aggregate\nIDX,,3,,1,1,Aggregate\n", []string{"line 4", `"Q" has no children`}},
		{"no indicators", metaHeader + "IDX,,2,,1,1,Aggregate\n", []string{"no indicators"}},
		{"no aggregates", metaHeader + "a,,1,,1,1,Indicator\n", []string{"no aggregates"}},
		{"short row", metaHeader + "a,,1,IDX,1,1\n", []string{"line 2", "6 fields", "7"}},
		{"open quote", metaHeader + "\"a,,1,IDX,1,1,Indicator\n", []string{"line 2", "not closed"}},
		{"bare quote", metaHeader + "a\"b,,1,IDX,1,1,Indicator\nIDX,,2,,1,1,Aggregate\n", []string{"line 2", "quote"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseMeta([]byte(c.in))
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

func TestParseMetaReportsEveryProblem(t *testing.T) {
	in := metaHeader +
		"a,,1,IDX,5,1,Indicator\n" +
		"b,,1,IDX,1,-2,Indicator\n" +
		"c,,x,IDX,1,1,Indicator\n" +
		"IDX,,2,,1,1,Aggregate\n"
	_, err := ParseMeta([]byte(in))
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	for _, w := range []string{"line 2, column Direction", "line 3, column Weight", "line 4, column Level"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

func TestReadMetaFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/iMeta.csv"
	if err := writeFile(p, metaHeader+"a,,1,IDX,7,1,Indicator\nIDX,,2,,1,1,Aggregate\n"); err != nil {
		t.Fatal(err)
	}
	_, err := ReadMetaFile(p)
	if err == nil || !strings.HasPrefix(err.Error(), p+": line 2, column Direction") {
		t.Fatalf("error %v, want it to start with the file, line and column", err)
	}
}
