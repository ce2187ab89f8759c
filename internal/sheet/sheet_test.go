package sheet

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func sample() *Table {
	return &Table{Name: "tong-hop", Head: []string{"Mã", "Tên trường", "Chỉ số"},
		Rows: [][]Cell{
			{Text("A1"), Text("Trường THCS An Bài"), Number(59.714, 2)},
			{Text("A4"), Text(`=HYPERLINK("x")`), Number(1234.5, 1)},
			{Text("H1"), Text("Trường THPT Quỳnh Côi có một tên dài hơn sáu mươi ký tự để thử độ rộng cột"), Empty()},
		}}
}

// Files for people start with the UTF-8 BOM; the Vietnamese Excel
// spelling separates with semicolons and writes decimal commas; data
// files have neither.
func TestCSVDialects(t *testing.T) {
	for _, c := range []struct {
		name string
		d    Dialect
		want string
	}{
		{"people", People, "\ufeffMã,Tên trường,Chỉ số\nA1,Trường THCS An Bài,59.71\nA4,\"'=HYPERLINK(\"\"x\"\")\",1234.5\n"},
		{"vi-excel", VietnameseExcel, "\ufeffMã;Tên trường;Chỉ số\nA1;Trường THCS An Bài;59,71\nA4;\"'=HYPERLINK(\"\"x\"\")\";1234,5\n"},
		{"data", Data, "Mã,Tên trường,Chỉ số\nA1,Trường THCS An Bài,59.71\nA4,\"'=HYPERLINK(\"\"x\"\")\",1234.5\n"},
	} {
		var b bytes.Buffer
		if err := WriteCSVDialect(&b, sample(), c.d); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s:\n%q\nwant prefix\n%q", c.name, got, c.want)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(got, "\ufeff")))
		if c.d.Semicolon {
			r.Comma = ';'
		}
		recs, err := r.ReadAll()
		if err != nil || len(recs) != 4 || recs[3][2] != "" {
			t.Errorf("%s: read back %q %v", c.name, recs, err)
		}
	}
}

// The workbook keeps its header row in view and sizes its columns.
func TestXLSXFrozenHeaderAndWidths(t *testing.T) {
	b, err := XLSX(sample())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	panes, err := f.GetPanes("tong-hop")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v, want the header row frozen", panes, err)
	}
	wa, _ := f.GetColWidth("tong-hop", "A")
	wb, _ := f.GetColWidth("tong-hop", "B")
	wc, _ := f.GetColWidth("tong-hop", "C")
	if wa < 6 || wa > 10 || wb != 60 || wc < 9 || wc > 20 {
		t.Errorf("widths A %.1f B %.1f C %.1f: want a short code column, a name column at the 60 cap, a number column that fits 1.234,5", wa, wb, wc)
	}
	if v, _ := f.GetCellValue("tong-hop", "B3"); v != `=HYPERLINK("x")` {
		t.Errorf("B3 = %q, want the text as it is", v)
	}
	if typ, _ := f.GetCellType("tong-hop", "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("C2 is text, want a number")
	}
}
