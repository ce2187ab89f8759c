// Package sheet is the one writer of every CSV and XLSX file dxindex
// produces (dashboard exports, evaluator tables, the rankings API's CSV,
// `dxindex export`, import templates and the indicator-set workbook), so
// formula neutralisation and number rounding cannot differ between them.
//
// Text is data, never a formula: unit names, reasons and comments come
// from people and imports. In CSV a text cell that begins with = + - @,
// tab or carriage return gets a leading apostrophe (a spreadsheet opening
// the file would otherwise run it); in XLSX text is always written as a
// string cell, which no spreadsheet evaluates, and so keeps its exact
// value (an apostrophe there would be shown as part of the name).
package sheet

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dxindex/dxindex/internal/numfmt"
	"github.com/xuri/excelize/v2"
)

// Table is one sheet: a header row and rows of cells.
type Table struct {
	Name string // sheet name (and the file name the web layer sends)
	Head []string
	Rows [][]Cell
}

// Cell is text or a number; numbers stay numbers in Excel.
type Cell struct {
	S        string
	N        float64
	Num      bool
	Decimals int
}

// Text is a text cell.
func Text(s string) Cell { return Cell{S: s} }

// Number is a number shown with d decimals, rounded by numfmt.Round (the
// value in the file is the rounded one, so the file agrees with the page).
// NaN is an empty cell.
func Number(x float64, d int) Cell { return Cell{N: x, Num: true, Decimals: d} }

// Int is an integer cell.
func Int(n int) Cell { return Cell{N: float64(n), Num: true} }

// Empty is an empty cell.
func Empty() Cell { return Cell{N: math.NaN(), Num: true} }

// Safe neutralises text a spreadsheet would read as a formula.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (c Cell) value() float64 { return numfmt.Round(c.N, c.Decimals) }

func (c Cell) csv(d Dialect) string {
	if c.Num {
		s := numfmt.Data(c.N, c.Decimals)
		if d.Semicolon {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return Safe(c.S)
}

// Dialect is how a CSV file is spelled for whoever opens it.
type Dialect struct {
	// BOM starts the file with the UTF-8 byte-order mark: Excel on
	// Windows reads a file without one as the local code page and garbles
	// Vietnamese on a double-click.
	BOM bool
	// Semicolon separates fields with ';' and writes numbers with a
	// decimal comma ("12,5"), as Excel set to Vietnamese (or any locale
	// whose decimal sign is a comma) expects.
	Semicolon bool
}

var (
	// People is every CSV the product serves for people: a BOM, commas
	// between fields, decimal points.
	People = Dialect{BOM: true}
	// VietnameseExcel is People with semicolons and decimal commas
	// (?sep=semicolon or ?format=csv-vi on the web).
	VietnameseExcel = Dialect{BOM: true, Semicolon: true}
	// Data is a CSV for programs: no BOM, commas, decimal points.
	Data = Dialect{}
)

// FromStrings makes a table of text rows (the first row is the header);
// columns in numeric are written as numbers where they parse.
func FromStrings(name string, rows [][]string, numeric map[int]bool) *Table {
	t := &Table{Name: name}
	for r, row := range rows {
		if r == 0 {
			t.Head = row
			continue
		}
		cells := make([]Cell, len(row))
		for i, v := range row {
			cells[i] = Text(v)
			if numeric[i] {
				if n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64); err == nil {
					d := 0
					if _, frac, ok := strings.Cut(strings.ReplaceAll(v, ",", "."), "."); ok {
						d = len(frac)
					}
					cells[i] = Number(n, d)
				}
			}
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// WriteCSV writes t as CSV, UTF-8; bom adds the byte-order mark Excel
// needs to read UTF-8 (import templates and files for people).
func WriteCSV(w io.Writer, t *Table, bom bool) error {
	return WriteCSVDialect(w, t, Dialect{BOM: bom})
}

// WriteCSVDialect writes t as CSV, UTF-8, spelled as d says.
func WriteCSVDialect(w io.Writer, t *Table, d Dialect) error {
	if d.BOM {
		if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if d.Semicolon {
		cw.Comma = ';'
	}
	if t.Head != nil {
		head := make([]string, len(t.Head))
		for i, h := range t.Head {
			head[i] = Safe(h)
		}
		if err := cw.Write(head); err != nil {
			return err
		}
	}
	width := len(t.Head)
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	rec := make([]string, width)
	for _, r := range t.Rows {
		n := max(len(t.Head), len(r))
		for i := 0; i < n; i++ {
			rec[i] = ""
			if i < len(r) {
				rec[i] = r[i].csv(d)
			}
		}
		if err := cw.Write(rec[:n]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the tables as the sheets of one workbook: a bold
// header kept in view (frozen) while scrolling, columns as wide as their
// content (within bounds), numbers as numbers (#,##0.00 with decimals,
// #,##0 without; Excel shows them in the reader's locale, so a
// Vietnamese Excel shows decimal commas), text as string cells.
func WriteXLSX(w io.Writer, tables ...*Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	fmt2, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	fmt0, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return err
	}
	for ti, t := range tables {
		name := t.Name
		if len([]rune(name)) > 31 {
			name = string([]rune(name)[:31])
		}
		if name == "" {
			name = "Sheet" + strconv.Itoa(ti+1)
		}
		if ti == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for i, wd := range columnWidths(t) {
			if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
				return err
			}
		}
		if t.Head != nil {
			if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
				Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
				return err
			}
		}
		next := 1
		if t.Head != nil {
			head := make([]any, len(t.Head))
			for i, h := range t.Head {
				head[i] = excelize.Cell{StyleID: bold, Value: h}
			}
			if err := sw.SetRow("A1", head); err != nil {
				return err
			}
			next = 2
		}
		for ri, r := range t.Rows {
			row := make([]any, len(r))
			for i, c := range r {
				switch {
				case c.Num && (math.IsNaN(c.N) || math.IsInf(c.N, 0)):
					row[i] = nil
				case c.Num && c.Decimals > 0:
					row[i] = excelize.Cell{StyleID: fmt2, Value: c.value()}
				case c.Num:
					row[i] = excelize.Cell{StyleID: fmt0, Value: c.value()}
				default:
					// A string value is written as a string cell, never as
					// a formula, whatever it begins with.
					row[i] = c.S
				}
			}
			ref, _ := excelize.CoordinatesToCellName(1, ri+next)
			if err := sw.SetRow(ref, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// XLSX is WriteXLSX into a byte slice.
func XLSX(tables ...*Table) ([]byte, error) {
	var b bytes.Buffer
	err := WriteXLSX(&b, tables...)
	return b.Bytes(), err
}

// CSVBytes is WriteCSV into a byte slice.
func CSVBytes(t *Table, bom bool) ([]byte, error) {
	var b bytes.Buffer
	err := WriteCSV(&b, t, bom)
	return b.Bytes(), err
}

// columnWidths are the widths (in Excel's character units) that fit each
// column's longest header or cell, between 6 and 60 (a long name wraps
// in Excel rather than making a column wider than a screen).
func columnWidths(t *Table) []float64 {
	n := len(t.Head)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	chars := make([]int, n)
	for i, h := range t.Head {
		chars[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			l := utf8.RuneCountInString(c.S)
			if c.Num {
				// The shown number with its thousands separators.
				l = len(numfmt.Fixed("vi", c.N, c.Decimals))
			}
			chars[i] = max(chars[i], l)
		}
	}
	w := make([]float64, n)
	for i, l := range chars {
		w[i] = math.Min(60, math.Max(6, float64(l)*1.1+2))
	}
	return w
}
