package composite

import (
	"io"
	"strconv"
	"strings"
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

	// Formatting the floats is most of the work: chunks of rows are
	// formatted by one goroutine per core, each taking the next chunk as it
	// finishes one (no round waits for its slowest chunk), and written in
	// order as they come. A worker takes a buffer before it takes a chunk,
	// from a fixed set of two per worker, so memory stays bounded and the
	// earliest chunk not yet written always has a buffer.
	n := len(r.Units)
	const chunk = 1024
	nch := (n + chunk - 1) / chunk
	if nch == 0 {
		return nil
	}
	rowSize := 48 + 24*(len(r.Scores)+len(extra)) // generous: buffers seldom grow
	workers := max(1, min(nch, maxProcs()))
	free := make(chan []byte, 2*workers)
	for range 2 * workers {
		free <- make([]byte, 0, chunk*rowSize)
	}
	jobs := make(chan int, nch)
	for c := range nch {
		jobs <- c
	}
	close(jobs)
	done := make([]chan []byte, nch)
	for c := range done {
		done[c] = make(chan []byte, 1)
	}
	for range workers {
		go func() {
			for {
				buf := <-free
				c, ok := <-jobs
				if !ok {
					return
				}
				lo := c * chunk
				done[c] <- r.appendRows(buf[:0], lo, min(n, lo+chunk), extra)
			}
		}()
	}
	var err error
	for c := range nch {
		b := <-done[c]
		if err == nil {
			_, err = w.Write(b)
		}
		// After an error the remaining chunks are still taken, so that
		// every worker ends.
		free <- b
	}
	return err
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
