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

// CSV returns the cell as CSV text: numbers rounded with a decimal point
// (CSV files are data), text neutralised.
func (c Cell) CSV() string {
	if c.Num {
		return numfmt.Data(c.N, c.Decimals)
	}
	return Safe(c.S)
}

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
	if bom {
		if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
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
				rec[i] = r[i].CSV()
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
// header, numbers as numbers (#,##0.00 with decimals, #,##0 without),
// text as string cells.
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
