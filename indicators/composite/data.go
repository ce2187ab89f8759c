package composite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unsafe"
)

// Data is a parsed iData: one row per unit (school, office, commune…).
type Data struct {
	// Units are the uCode of each row, in file order.
	Units []string
	// Names are the uName of each row; nil when iData has no uName column.
	Names []string
	// GroupColumns are the names of the group columns (Group_*, or declared
	// with Type Group in iMeta), in file order.
	GroupColumns []string
	// Groups[g][i] is the value of GroupColumns[g] for unit i; "" when empty.
	Groups [][]string
	// Values[k][i] is indicator k (in Meta.Indicators order) of unit i, as
	// read; NaN when the cell is empty, NA or NaN.
	Values [][]float64
}

// Group returns the values of a group column, or nil if iData has none of
// that name.
func (d *Data) Group(col string) []string {
	for g, c := range d.GroupColumns {
		if c == col {
			return d.Groups[g]
		}
	}
	return nil
}

// ReadDataFile reads an iData file; errors name the file.
//
// Where the system allows, the file is mapped into memory rather than read:
// iData files run to tens of megabytes, and copying them costs more than
// parsing them. Nothing of the mapping outlives the call.
func ReadDataFile(path string, m *Meta) (*Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, unmap := mapFile(f)
	mapped := b != nil
	if mapped {
		// Nothing refers to the mapping once it is parsed; dropping its
		// 5,000 page-table entries of a 20 MB file need not hold up the
		// caller.
		defer func() { go unmap() }()
	} else if b, err = io.ReadAll(f); err != nil {
		return nil, err
	}
	d, err := parseData(b, m, mapped)
	if err != nil {
		return nil, withFile(err, path)
	}
	return d, nil
}

// ReadData reads an iData CSV.
func ReadData(r io.Reader, m *Meta) (*Data, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return ParseData(b, m)
}

// ParseData parses an iData CSV against its iMeta. The header must have
// uCode and one column per indicator of m, named by its iCode, in any order;
// uName, Group_* columns, columns of iMeta's Group, Denominator and Other rows,
// columns whose names begin with x_ and columns without a name are optional
// (the last two are ignored). Any other column is an
// error, as in COINr. An empty cell, NA or NaN is a missing value; every other
// indicator cell must be a finite number. uCodes must be present and unique.
// The result does not refer to b.
func ParseData(b []byte, m *Meta) (*Data, error) { return parseData(b, m, false) }

// errFileChanged is returned when a mapped file shrinks while it is read.
var errFileChanged = errors.New("the file changed while it was read")

// onFault turns the fault of reading a mapped file that shrank under us into
// *err. Other panics are bugs and go on.
func onFault(err *error) {
	if r := recover(); r != nil {
		if _, ok := r.(interface{ Addr() uintptr }); ok {
			*err = errFileChanged
			return
		}
		panic(r)
	}
}

// Column kinds of iData; indicators are numbered from 0.
const (
	colIgnored = -1 - iota
	colCode
	colName
	colGroup
)

// dataCol says what a column of iData holds: an indicator (its index in
// Meta.Indicators, ≥ 0) or one of the col* kinds; text columns (code, name,
// groups) carry their number among the text columns in t.
type dataCol struct {
	kind int
	t    int
	name string
}

func parseData(b []byte, m *Meta, mapped bool) (d *Data, err error) {
	if mapped {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer onFault(&err)
	}
	// The records stay in the parts the splitting goroutines made (no
	// copy into one slice): the parts become the segments of rows that the
	// parsing goroutines take.
	pieces := piecesPerCore * runtime.GOMAXPROCS(0)
	parts, err := csvSplitParts(b, pieces, mapped)
	if err != nil {
		return nil, err
	}
	h := 0
	for h < len(parts) && len(parts[h].recs) == 0 {
		h++
	}
	if h == len(parts) {
		return nil, &ParseError{Msg: "the file is empty; want a header uCode,uName,… and one row per unit"}
	}
	header := parts[h].recs[0]
	header.line += parts[h].base
	cols, d, ntext, err := dataHeader(b, header, m)
	if err != nil {
		return nil, err
	}
	parts[h].recs = parts[h].recs[1:]
	segs := rowSegments(parts[h:], pieces)
	n := 0
	for _, sg := range segs {
		n += len(sg.rows)
	}
	k := m.NumIndicators
	block := newBlock(n * k)
	d.Values = make([][]float64, k)
	for j := range d.Values {
		d.Values[j] = block[j*n : (j+1)*n : (j+1)*n]
	}

	// Rows are independent: parse them in parallel, each worker a segment
	// of consecutive rows. Text cells are copied to one buffer per worker,
	// which becomes one string; ends[i*ntext+t] is where text column t of
	// row i ends in it.
	workers := len(segs)
	ends := make([]int32, n*ntext)
	d.Units = make([]string, n)
	if d.Names != nil {
		d.Names = make([]string, n)
	}
	for g := range d.Groups {
		d.Groups[g] = make([]string, n)
	}
	var dst []*[]string // text column t → where its strings go
	g := 0
	for _, c := range cols {
		switch c.kind {
		case colCode:
			dst = append(dst, &d.Units)
		case colName:
			dst = append(dst, &d.Names)
		case colGroup:
			dst = append(dst, &d.Groups[g])
			g++
		}
	}
	// Each worker also slices its rows' strings out of its text and hashes
	// their codes for the uniqueness check, rather than leave that to one
	// core afterwards.
	codes := newCodeSet(d.Units)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w, sg := range segs {
		lo, hi := sg.off, sg.off+len(sg.rows)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if mapped {
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
				defer onFault(&errs[w])
			}
			s, err := parseRows(b, sg, cols, ntext, d.Values, ends)
			if err != nil {
				errs[w] = err
				return
			}
			start := int32(0)
			for i := lo; i < hi; i++ {
				for t, p := range dst {
					end := ends[i*ntext+t]
					(*p)[i] = s[start:end]
					start = end
				}
			}
			codes.hash(lo, hi)
		}()
	}
	wg.Wait()
	// The error of the earliest line.
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}

	if i, j, dup := codes.firstDuplicate(runtime.GOMAXPROCS(0)); dup {
		return nil, &ParseError{Line: lineOf(segs, j), Column: "uCode", Msg: fmt.Sprintf("%q is already the code of the unit on line %d", d.Units[j], lineOf(segs, i))}
	}
	return d, nil
}

// piecesPerCore is how many pieces the splitting and the parsing of a large
// iData are cut into for each core, each piece a goroutine. More pieces than
// cores let the Go scheduler even out pieces that take longer, and a core
// the system lends to another process for a while (a shared machine): the
// other core takes the pieces left rather than wait for it.
const piecesPerCore = 4

// rowSegment is a run of consecutive rows of iData: rows[0] is row off
// (counted from 0 after the header), and the line of a row in the file is
// its line plus base.
type rowSegment struct {
	rows []csvRec
	off  int
	base int
}

// rowSegments makes the parsing work from the parts of the split: a segment
// per part, or, from one part (a small or quoted file, split on one core),
// as many segments of equal length as there are workers when it is long
// enough to be worth it.
func rowSegments(parts []csvPart, workers int) []rowSegment {
	if len(parts) == 1 {
		p := parts[0]
		n := len(p.recs)
		if n < 4096 {
			workers = 1
		}
		segs := make([]rowSegment, workers)
		for w := range segs {
			lo, hi := n*w/workers, n*(w+1)/workers
			segs[w] = rowSegment{rows: p.recs[lo:hi:hi], off: lo, base: p.base}
		}
		return segs
	}
	segs := make([]rowSegment, len(parts))
	off := 0
	for w, p := range parts {
		segs[w] = rowSegment{rows: p.recs, off: off, base: p.base}
		off += len(p.recs)
	}
	return segs
}

// lineOf returns the line in the file of row i.
func lineOf(segs []rowSegment, i int) int {
	for _, sg := range segs {
		if i < sg.off+len(sg.rows) {
			return sg.rows[i-sg.off].line + sg.base
		}
	}
	return 0
}

// dataHeader maps the header's columns to their roles.
func dataHeader(b []byte, rec csvRec, m *Meta) ([]dataCol, *Data, int, error) {
	header, err := csvFields(b, rec)
	if err != nil {
		return nil, nil, 0, &ParseError{Line: rec.line, Msg: err.Error()}
	}
	ind := make(map[string]int, m.NumIndicators)
	for k, n := range m.Indicators() {
		ind[n.Code] = k
	}
	other := map[string]string{} // code → what it is
	for _, n := range m.Aggregates() {
		other[n.Code] = "aggregate"
	}
	for _, c := range m.Groups {
		other[c] = "group"
	}
	for _, c := range m.Ignored {
		other[c] = "ignored"
	}
	d := &Data{}
	cols := make([]dataCol, len(header))
	seen := map[string]bool{}
	found := make([]bool, m.NumIndicators)
	hasCode := false
	ntext := 0
	for j, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			// A column without a name (spreadsheets add them after a
			// trailing comma) can hold nothing the index uses.
			cols[j].kind = colIgnored
			continue
		}
		if seen[h] {
			return nil, nil, 0, &ParseError{Line: rec.line, Column: h, Msg: "the column appears twice in the header"}
		}
		seen[h] = true
		cols[j].name = h
		if k, ok := ind[h]; ok {
			cols[j].kind = k
			found[k] = true
			continue
		}
		switch {
		case h == "uCode":
			cols[j].kind = colCode
			hasCode = true
		case h == "uName":
			cols[j].kind = colName
			d.Names = []string{}
		case strings.HasPrefix(h, "Group_") || other[h] == "group":
			cols[j].kind = colGroup
			d.GroupColumns = append(d.GroupColumns, h)
		case strings.HasPrefix(h, "x_") || other[h] == "ignored":
			cols[j].kind = colIgnored
			continue
		case other[h] == "aggregate":
			return nil, nil, 0, &ParseError{Line: rec.line, Column: h, Msg: "is an aggregate in iMeta; iData holds indicators only (aggregates are computed)"}
		case h == "Time":
			return nil, nil, 0, &ParseError{Line: rec.line, Column: h, Msg: "panel data (several time points) is not supported; give one time point per file"}
		default:
			return nil, nil, 0, &ParseError{Line: rec.line, Column: h, Msg: "is not an indicator code of iMeta, nor uCode, uName, Group_* or x_* (prefix a column with x_ to keep it out of the index)"}
		}
		cols[j].t = ntext
		ntext++
	}
	if !hasCode {
		return nil, nil, 0, &ParseError{Line: rec.line, Msg: "the header has no uCode column"}
	}
	var missing []string
	for k, ok := range found {
		if !ok {
			missing = append(missing, m.Nodes[k].Code)
		}
	}
	if len(missing) > 0 {
		return nil, nil, 0, &ParseError{Line: rec.line, Msg: fmt.Sprintf("the header lacks the indicator column(s) %s declared in iMeta", strings.Join(missing, ", "))}
	}
	d.Groups = make([][]string, len(d.GroupColumns))
	return cols, d, ntext, nil
}

// scanCells parses the cells of row from pos for columns cols[j:] while
// they are indicators whose cells are empty (missing) or plain decimals
// ([+-]digits[.digits], at most 19 digits: scanDecimal's rule, written out
// here), storing them in values[kind][i]. It returns the column and the
// position of the first cell it leaves to the caller (anything else, or a
// row with too few fields), or len(cols) after the last.
//
// A function of its own, with few variables: written out within parseRows
// the same loops took more time (ParseData's CPU time), and with fewer
// variables live in the digit loops the compiler keeps the mantissa in a
// register instead of storing and reloading it at every digit.
func scanCells(row []byte, pos int, cols []dataCol, j int, values [][]float64, i int) (int, int) {
	for ; j < len(cols); j++ {
		k := cols[j].kind
		if k < 0 || pos > len(row) {
			return j, pos
		}
		if pos == len(row) || row[pos] == ',' {
			values[k][i] = math.NaN()
			pos++
			continue
		}
		// The sign and the number of digits are worked out after the
		// loops, from pos and q, so that they are not live in them.
		q := pos
		if row[q] == '-' || row[q] == '+' {
			q++
		}
		var mant uint64
		for q < len(row) {
			d := row[q] - '0'
			if d > 9 {
				break
			}
			mant = mant*10 + uint64(d)
			q++
		}
		frac, dot := 0, 0
		if q < len(row) && row[q] == '.' {
			q++
			fs := q
			for q < len(row) {
				d := row[q] - '0'
				if d > 9 {
					break
				}
				mant = mant*10 + uint64(d)
				q++
			}
			frac, dot = q-fs, 1
		}
		neg := row[pos] == '-'
		digits := q - pos - dot
		if neg || row[pos] == '+' {
			digits--
		}
		if digits == 0 || digits > 19 || (q < len(row) && row[q] != ',') {
			return j, pos
		}
		var v float64
		switch {
		case frac == 0 || mant == 0:
			v = float64(mant) // Go converts uint64 to float64 correctly rounded
		case mant <= 1<<53 && frac < len(pow10):
			v = float64(mant) / pow10[frac] // Clinger's fast path
		default:
			v = mulRecip(mant, frac)
		}
		if neg {
			v = -v
		}
		values[k][i] = v
		pos = q + 1
	}
	return j, pos
}

// parseRows parses the rows of a segment: numbers into values, text cells
// into the returned string, with their ends in ends. It returns the first
// problem.
func parseRows(b []byte, sg rowSegment, cols []dataCol, ntext int, values [][]float64, ends []int32) (string, error) {
	var text []byte
	for k, r := range sg.rows {
		if k == 1 {
			// Room for the text of every row, guessed from the first: one
			// allocation in the usual case.
			text = append(make([]byte, 0, len(text)*len(sg.rows)*5/4+64), text...)
		}
		i := sg.off + k
		r.line += sg.base
		pos := r.start
		row := b[:r.end]
		for j := 0; j < len(cols); j++ {
			// The hot path: runs of plain decimal cells, parsed straight
			// from the file up to the comma; scanCells stops at any other
			// cell, handled here.
			if j, pos = scanCells(row, pos, cols, j, values, i); j == len(cols) {
				break
			}
			if pos > r.end {
				return "", &ParseError{Line: r.line, Msg: fmt.Sprintf("%d fields, but the header has %d", j, len(cols))}
			}
			c := &cols[j]
			f, next, err := csvField(b, pos, r.end)
			if err != nil {
				return "", &ParseError{Line: r.line, Column: c.name, Msg: err.Error()}
			}
			pos = next
			switch c.kind {
			case colIgnored:
			case colCode, colGroup:
				f = bytes.TrimSpace(f)
				if c.kind == colCode && len(f) == 0 {
					return "", &ParseError{Line: r.line, Column: c.name, Msg: "empty unit code"}
				}
				text = append(text, f...)
				ends[i*ntext+c.t] = int32(len(text))
			case colName:
				text = append(text, f...)
				ends[i*ntext+c.t] = int32(len(text))
			default:
				v, err := parseValue(f)
				if err != nil {
					return "", &ParseError{Line: r.line, Column: c.name, Msg: err.Error()}
				}
				values[c.kind][i] = v
			}
		}
		if pos <= r.end {
			return "", &ParseError{Line: r.line, Msg: fmt.Sprintf("more fields than the %d of the header", len(cols))}
		}
		if len(text) > math.MaxInt32/2 {
			return "", &ParseError{Line: r.line, Msg: "too much text in the code, name and group columns"}
		}
	}
	// The buffer is not written again: the string shares it rather than
	// copy a megabyte of codes and names.
	return unsafe.String(unsafe.SliceData(text), len(text)), nil
}
