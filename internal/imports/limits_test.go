package imports

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// generatedXLSX writes a minimal workbook whose one sheet has rows rows,
// each with one inline-string cell of cell bytes, deflated as it is
// written: repeated content makes a small file that unpacks to a large
// sheet (a zip bomb, when large enough).
func generatedXLSX(t *testing.T, rows, cell int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="units" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	fill := strings.Repeat("x", cell)
	for r := 1; r <= rows; r++ {
		fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>`, r, r, fill)
	}
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// allocated returns the bytes f allocates (all of them, garbage too).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestXLSXZipBombRefusedBeforeUnpacking: an .xlsx of a few hundred KB that
// unpacks to about 200 MB (issue 18, item 10) is refused from the sizes
// its zip declares, before anything is inflated.
func TestXLSXZipBombRefusedBeforeUnpacking(t *testing.T) {
	bomb := generatedXLSX(t, 2000, 100_000)
	t.Logf("bomb: %d KB unpacking to about %d MB", len(bomb)>>10, 2000*100_000>>20)
	if len(bomb) > MaxFileSize/10 {
		t.Fatalf("the bomb is %d bytes: not a bomb", len(bomb))
	}
	var err error
	n := allocated(func() { _, err = ReadTable("units.xlsx", bytes.NewReader(bomb)) })
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), fmt.Sprint(MaxUnzipSize>>20)) {
		t.Fatalf("bomb: %v, want a refusal stating the %d MB limit", err, MaxUnzipSize>>20)
	}
	t.Logf("refused after allocating %d KB", n>>10)
	if n > 16<<20 {
		t.Fatalf("reading the bomb allocated %d MB before refusing it", n>>20)
	}
	// The indicator-set workbook reads its sheets the same way.
	if _, _, err := SetFromXLSX(bomb); err == nil || !strings.Contains(err.Error(), "bad row") {
		t.Fatalf("set workbook bomb: %v", err)
	}
}

// TestXLSXRowLimitWhileStreaming: a sheet with far more rows than MaxRows,
// but small enough unpacked to open, is refused at row MaxRows+1 while it
// is read: reading 1,000,000 rows costs no more than reading 200,000
// (GetRows held them all before the row limit applied).
func TestXLSXRowLimitWhileStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million-row sheet")
	}
	var costs []uint64
	for _, rows := range []int{200_000, 1_000_000} {
		data := generatedXLSX(t, rows, 8)
		var err error
		n := allocated(func() { _, err = ReadTable("units.xlsx", bytes.NewReader(data)) })
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "100000 rows") {
			t.Fatalf("%d rows: %v, want a refusal stating the row limit", rows, err)
		}
		t.Logf("%d rows (%d KB): refused after allocating %d MB", rows, len(data)>>10, n>>20)
		costs = append(costs, n)
	}
	if costs[1] > 2*costs[0] {
		t.Fatalf("1,000,000 rows allocated %d MB, 200,000 rows %d MB: the rows past the limit were read", costs[1]>>20, costs[0]>>20)
	}
}

// TestXLSXWithinLimitsReadsEveryRow: the streaming reader keeps what
// GetRows gave: row numbers across empty rows, every cell.
func TestXLSXWithinLimitsReadsEveryRow(t *testing.T) {
	rows := [][]string{UnitColumns, {"34", "Tỉnh Thái Bình", "province"}, {}, {"338", "Huyện Quỳnh Phụ", "district", "34"}}
	b, err := Write("xlsx", "units", rows)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadTable("u.xlsx", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Rows[0].Num != 2 || tab.Rows[1].Num != 4 || tab.Get(tab.Rows[1], "parent_code") != "34" {
		t.Fatalf("rows: %+v", tab.Rows)
	}
}

// TestImportFileLargerThanTheLimitRefused: a file past MaxFileSize is
// refused with the limit in the message, never cut to the part that
// fitted (issue 18, item 8: 8,000 rows imported as 6,991).
func TestImportFileLargerThanTheLimitRefused(t *testing.T) {
	row := "338001,Trường Tiểu học Quỳnh Hải,school,338,primary,300,24,29\n"
	body := io.LimitReader(strings.NewReader(strings.Repeat(row, MaxFileSize/len(row)+2)), MaxFileSize+1-int64(len("code,name,kind,parent_code,school_levels,students,teachers,staff\n")))
	_, err := ReadTable("units.csv", io.MultiReader(strings.NewReader("code,name,kind,parent_code,school_levels,students,teachers,staff\n"), body))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "50 MB") {
		t.Fatalf("%v, want a refusal stating the 50 MB limit", err)
	}
	if _, err := ReadFile(strings.NewReader(strings.Repeat("x", MaxFileSize))); err != nil {
		t.Fatalf("a file of exactly the limit: %v", err)
	}
}
