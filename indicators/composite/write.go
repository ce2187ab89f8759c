package composite

import (
	"io"
	"strconv"
	"strings"
	"sync"
)

// Column is an extra numeric column for WriteCSV, such as the rank
// intervals of a robustness analysis. NaN is written as an empty cell.
type Column struct {
	Name   string
	Values []float64
}

// WriteCSV writes the results in the layout of COINr's results table, the
// one of the reference files: uCode, one column per aggregate (lowest level
// first, the index last), Rank, then, when ranked within a group, <Group>Rank
// and the group column itself, then the extra columns. Scores are written at
// full precision (the shortest decimal that reads back as the same float64),
// missing values and ranks as empty cells; a field is quoted only when it
// must be (it holds a comma, a quote or a line break, or begins or ends with
// a space).
func (r *Results) WriteCSV(w io.Writer, extra ...Column) error {
	var head []byte
	head = appendField(head, "uCode")
	for _, c := range r.Codes {
		head = append(head, ',')
		head = appendField(head, c)
	}
	head = append(head, ",Rank"...)
	if r.GroupRank != nil {
		head = append(head, ',')
		head = appendField(head, r.GroupColumn+"Rank")
		head = append(head, ',')
		head = appendField(head, r.GroupColumn)
	}
	for _, c := range extra {
		head = append(head, ',')
		head = appendField(head, c.Name)
	}
	head = append(head, '\n')
	if _, err := w.Write(head); err != nil {
		return err
	}

	// Formatting the floats is most of the work: rounds of chunks of rows
	// are formatted in parallel and written in order, each round written
	// while the next is formatted (two sets of buffers, reused in turn).
	n := len(r.Units)
	const chunk = 2048
	rowSize := 48 + 24*(len(r.Scores)+len(extra)) // generous: buffers seldom grow
	workers := max(1, min((n+chunk-1)/chunk, maxProcs()))
	step := workers * chunk
	var sets [2]writeRound
	for i := range sets {
		sets[i].bufs = make([][]byte, workers)
		for w := range workers {
			sets[i].bufs[w] = make([]byte, 0, chunk*rowSize)
		}
	}
	format := func(set *writeRound, lo int) {
		for w := range workers {
			start := lo + w*chunk
			if start >= n {
				set.bufs[w] = set.bufs[w][:0]
				continue
			}
			set.wg.Add(1)
			go func() {
				defer set.wg.Done()
				set.bufs[w] = r.appendRows(set.bufs[w][:0], start, min(n, start+chunk), extra)
			}()
		}
	}
	if n > 0 {
		format(&sets[0], 0)
	}
	for lo, cur := 0, 0; lo < n; lo, cur = lo+step, 1-cur {
		set, next := &sets[cur], &sets[1-cur]
		set.wg.Wait()
		if lo+step < n {
			format(next, lo+step)
		}
		for _, b := range set.bufs {
			if _, err := w.Write(b); err != nil {
				next.wg.Wait()
				return err
			}
		}
	}
	return nil
}

// writeRound is one round of WriteCSV: a buffer per worker.
type writeRound struct {
	bufs [][]byte
	wg   sync.WaitGroup
}

func (r *Results) appendRows(b []byte, lo, hi int, extra []Column) []byte {
	for i := lo; i < hi; i++ {
		b = appendField(b, r.Units[i])
		for _, col := range r.Scores {
			b = append(b, ',')
			b = appendFloat(b, col[i])
		}
		b = append(b, ',')
		b = appendRank(b, r.Rank[i])
		if r.GroupRank != nil {
			b = append(b, ',')
			b = appendRank(b, r.GroupRank[i])
			b = append(b, ',')
			b = appendField(b, r.Group[i])
		}
		for _, c := range extra {
			b = append(b, ',')
			if i < len(c.Values) {
				b = appendFloat(b, c.Values[i])
			}
		}
		b = append(b, '\n')
	}
	return b
}

func appendFloat(b []byte, v float64) []byte {
	if v != v {
		return b
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

func appendRank(b []byte, r int) []byte {
	if r == 0 {
		return b
	}
	return strconv.AppendInt(b, int64(r), 10)
}

// appendField appends a text field, quoted if needed (RFC 4180).
func appendField(b []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		j := strings.IndexByte(s, '"')
		if j < 0 {
			break
		}
		b = append(b, s[:j+1]...)
		b = append(b, '"')
		s = s[j+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}
