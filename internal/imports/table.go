// Package imports reads the spreadsheets a province loads into dxindex
// (units, users, indicator sets written as a table) and writes the
// spreadsheets it takes out (templates, campaign exports).
//
// An import validates every row before it writes anything: if any row is
// bad, nothing is imported and every bad row is reported with its number
// as the spreadsheet shows it, the column and the reason in Vietnamese and
// English. Otherwise every row is written in one transaction, and rows
// whose code (or username) exists update it. See docs/imports.md.
package imports

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/dxindex/dxindex/internal/sheet"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// Limits of one import file. A file past one is refused as a whole, with
// the limit in the message: an import is all or nothing, never the part
// that fitted.
const (
	// MaxRows bounds the data rows.
	MaxRows = 100_000
	// MaxFileSize bounds the file as uploaded and, for a .csv, its text.
	MaxFileSize = 50 << 20
	// MaxUnzipSize bounds everything an .xlsx file unpacks to, so a small
	// zip bomb is refused before it is unpacked. 100,000 ordinary rows
	// unpack to about 50 MB of XML.
	MaxUnzipSize = 160 << 20
	// maxUnzipXMLSize: a worksheet unpacking to more is streamed from a
	// temporary file rather than held in memory (excelize's default).
	maxUnzipXMLSize = 16 << 20
)

// ErrTooLarge is wrapped by the errors of a file past one of the limits.
var ErrTooLarge = errkind.New(errkind.Invalid,
	fmt.Sprintf("Tệp quá lớn: tối đa %d MB, %d MB khi giải nén (.xlsx) và %d dòng; hãy chia thành nhiều tệp. Không có dòng nào được nhập.",
		MaxFileSize>>20, MaxUnzipSize>>20, MaxRows),
	fmt.Sprintf("the file is too large: at most %d MB, %d MB unpacked (.xlsx) and %d rows; split it into several files. Nothing was imported.",
		MaxFileSize>>20, MaxUnzipSize>>20, MaxRows))

// ReadFile reads an import file whole, refusing one larger than
// MaxFileSize rather than cutting it short: a file cut at a limit parses
// as a shorter valid file (8,000 rows read as 6,991, the last one
// truncated) and would be imported without a word.
func ReadFile(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("imports: larger than %d MB: %w", MaxFileSize>>20, ErrTooLarge)
	}
	return data, nil
}

// Table is a spreadsheet's first sheet (or a CSV file): a header row and
// data rows, each with the row number the spreadsheet shows.
type Table struct {
	Header []string
	Rows   []Row
}

// Row is one data row.
type Row struct {
	Num   int // as the spreadsheet shows it: the header is row 1
	Cells []string
}

// Get returns the cell of column col ("" if absent).
func (t *Table) Get(r Row, col string) string {
	for i, h := range t.Header {
		if h == col {
			if i < len(r.Cells) {
				return r.Cells[i]
			}
			return ""
		}
	}
	return ""
}

// ReadTable reads a .csv (UTF-8, comma or semicolon separated, with or
// without a byte-order mark) or the first sheet of an .xlsx file. Header
// names are trimmed and lower-cased; cells are trimmed and NFC-normalised;
// empty rows are skipped (their numbers are not reused).
//
// Every error means the file cannot be read as a table and matches
// errkind.Invalid: the reader is told what is wrong with it.
func ReadTable(name string, r io.Reader) (*Table, error) {
	t, err := readTable(name, r)
	if err != nil && !errors.Is(err, errkind.Invalid) {
		err = &unreadable{err}
	}
	return t, err
}

// unreadable is a file that is not a table: an errkind.Invalid whose
// message says why.
type unreadable struct{ err error }

func (e *unreadable) Error() string   { return e.err.Error() }
func (e *unreadable) Unwrap() []error { return []error{errkind.Invalid, e.err} }

func readTable(name string, r io.Reader) (*Table, error) {
	data, err := ReadFile(r)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		rows, err = readCSV(data)
	case ".xlsx":
		rows, err = readXLSX(data, "")
	default:
		return nil, fmt.Errorf("imports: %s: want a .csv or .xlsx file", name)
	}
	if err != nil {
		return nil, err
	}
	return toTable(rows)
}

func toTable(rows [][]string) (*Table, error) {
	if len(rows) == 0 {
		return nil, errors.New("imports: the file is empty (a header row is needed)")
	}
	t := &Table{}
	for _, h := range rows[0] {
		t.Header = append(t.Header, strings.ToLower(strings.TrimSpace(h)))
	}
	for i, cells := range rows[1:] {
		empty := true
		for j := range cells {
			cells[j] = norm.NFC.String(strings.TrimSpace(cells[j]))
			if cells[j] != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if len(t.Rows) >= MaxRows {
			return nil, fmt.Errorf("imports: more than %d rows: %w", MaxRows, ErrTooLarge)
		}
		t.Rows = append(t.Rows, Row{Num: i + 2, Cells: cells})
	}
	return t, nil
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, errors.New("imports: the CSV file is not UTF-8 (save it as \"CSV UTF-8\")")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("imports: CSV: %w", err)
	}
	return rows, nil
}

// readXLSX returns the rows of a sheet (the first when sheet is ""), with
// empty rows kept so row numbers stay the spreadsheet's.
//
// The limits apply while the file is unpacked and read, not after: the
// unpacked size is checked (against the sizes the zip declares, which
// archive/zip holds the data to) before anything is inflated, and the
// sheet is read row by row, stopping at the first row or byte past a
// limit. GetRows would hold the whole sheet first, and stops silently at
// a cell it cannot read.
func readXLSX(data []byte, sheet string) ([][]string, error) {
	if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
		var n uint64
		for _, zf := range zr.File {
			n += zf.UncompressedSize64
			if n > MaxUnzipSize {
				return nil, fmt.Errorf("imports: unpacks to more than %d MB: %w", MaxUnzipSize>>20, ErrTooLarge)
			}
		}
	}
	// The same limit again where excelize unpacks (a second opinion that
	// does not depend on the check above).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzipSize, UnzipXMLSizeLimit: maxUnzipXMLSize})
	if err != nil {
		return nil, fmt.Errorf("imports: not a readable .xlsx file: %w", err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("imports: sheet %q: %w", sheet, err)
	}
	defer it.Close()
	var rows [][]string
	num, size := 0, 0
	for it.Next() {
		num++
		cells, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("imports: sheet %q, row %d: %w", sheet, num, err)
		}
		if len(cells) == 0 {
			continue // kept as an empty row below, if a row follows
		}
		// The header and MaxRows data rows; a later row with content
		// would be one too many (empty rows in between are not counted
		// by toTable, but past this row number they would be).
		if num > MaxRows+1 {
			return nil, fmt.Errorf("imports: sheet %q: more than %d rows: %w", sheet, MaxRows, ErrTooLarge)
		}
		for _, c := range cells {
			size += len(c)
		}
		if size > MaxFileSize {
			return nil, fmt.Errorf("imports: sheet %q: more than %d MB of text: %w", sheet, MaxFileSize>>20, ErrTooLarge)
		}
		for len(rows) < num-1 {
			rows = append(rows, nil)
		}
		rows = append(rows, cells)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("imports: sheet %q: %w", sheet, err)
	}
	return rows, nil
}

// checkHeader reports required columns that are missing and unknown ones.
func checkHeader(t *Table, required, optional []string) []model.RowError {
	var out []model.RowError
	has := map[string]bool{}
	for _, h := range t.Header {
		has[h] = true
	}
	for _, c := range required {
		if !has[c] {
			out = append(out, model.RowError{Row: 1, Column: c, VI: "Thiếu cột " + c + ".", EN: "missing column " + c})
		}
	}
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	for _, h := range t.Header {
		if h != "" && !known[h] {
			out = append(out, model.RowError{Row: 1, Column: h, VI: "Cột không rõ: " + h + ".", EN: "unknown column " + h})
		}
	}
	return out
}

// Write writes rows (the first is the header) as CSV (with a byte-order
// mark, so Excel reads Vietnamese correctly) or as an .xlsx sheet, through
// the one writer of the product's files (internal/sheet): text that a
// spreadsheet would run as a formula is neutralised.
func Write(format, name string, rows [][]string) ([]byte, error) {
	switch format {
	case "csv":
		return sheet.CSVBytes(sheet.FromStrings(name, rows, nil), true)
	case "xlsx":
		return writeXLSX([]sheetData{{name: name, rows: rows}})
	}
	return nil, fmt.Errorf("imports: unknown format %q (csv or xlsx)", format)
}

type sheetData struct {
	name string
	rows [][]string
	// numeric columns (by index) are written as numbers when they parse
	numeric map[int]bool
}

func writeXLSX(sheets []sheetData) ([]byte, error) {
	tables := make([]*sheet.Table, len(sheets))
	for i, s := range sheets {
		tables[i] = sheet.FromStrings(s.name, s.rows, s.numeric)
	}
	return sheet.XLSX(tables...)
}
