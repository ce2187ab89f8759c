package composite

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// A small CSV reader (RFC 4180) over a whole file held in memory.
//
// encoding/csv allocates a string per field; iData has millions of numeric
// fields that need only be parsed, so records are kept as offsets into the
// file and fields are sliced out of it on demand, without allocation unless a
// quoted field contains an escaped quote.

// csvRec is one record: b[start:end] without its line break, and the line of
// the file on which it starts (1-based).
type csvRec struct {
	start, end, line int
}

// csvSplit splits b into records. A line break inside a quoted field belongs
// to the field. Blank lines are skipped, as encoding/csv does; a trailing \r
// (Windows line ends) and a leading UTF-8 byte-order mark (Excel's "CSV UTF-8")
// are dropped.
func csvSplit(b []byte) ([]csvRec, error) {
	pos := 0
	if bytes.HasPrefix(b, []byte("\uFEFF")) {
		pos = len("\uFEFF")
	}
	// Capacity from the length of the first line: one allocation for a
	// regular file.
	var recs []csvRec
	if nl := bytes.IndexByte(b[pos:], '\n'); nl > 0 {
		recs = make([]csvRec, 0, len(b)/(nl+1)+16)
	}
	line := 1
	for pos < len(b) {
		start, startLine := pos, line
		quotes := 0
		var end int // set by the loop: where this record's line ends
		for {
			nl := bytes.IndexByte(b[pos:], '\n')
			seg := b[pos:]
			if nl >= 0 {
				seg = b[pos : pos+nl]
			}
			// An even number of quotes so far means the line break is not
			// inside a quoted field ("" escapes count twice).
			if bytes.IndexByte(seg, '"') >= 0 {
				quotes += bytes.Count(seg, []byte{'"'})
			}
			if nl < 0 {
				end, pos = len(b), len(b)
				break
			}
			line++
			if quotes%2 == 0 {
				end, pos = pos+nl, pos+nl+1
				break
			}
			pos += nl + 1
		}
		if quotes%2 != 0 {
			return nil, &ParseError{Line: startLine, Msg: "a quoted field is not closed before the end of the file"}
		}
		if end > start && b[end-1] == '\r' {
			end--
		}
		if end == start {
			continue
		}
		recs = append(recs, csvRec{start: start, end: end, line: startLine})
	}
	return recs, nil
}

// csvPart is a run of consecutive records; the line of a record in the
// file is its line plus base.
type csvPart struct {
	recs []csvRec
	base int
}

// csvSplitParallel is csvSplit on several goroutines, for large files: the
// records of csvSplitParts in one slice.
func csvSplitParallel(b []byte, workers int, mapped bool) ([]csvRec, error) {
	parts, err := csvSplitParts(b, workers, mapped)
	if err != nil || len(parts) == 1 {
		if err != nil {
			return nil, err
		}
		return parts[0].recs, nil
	}
	total := 0
	for _, p := range parts {
		total += len(p.recs)
	}
	recs := make([]csvRec, 0, total)
	for _, p := range parts {
		for _, r := range p.recs {
			r.line += p.base
			recs = append(recs, r)
		}
	}
	return recs, nil
}

// csvSplitParts splits b into records on several goroutines, for large
// files, and returns them as they were found, a part per goroutine (one
// part, with base 0, when b is split by csvSplit). Without quotes every line
// break ends a record, so the file can be cut anywhere after a line break;
// each part is split on its own and checks that it has no quote. If one
// has, the file is split again by csvSplit, which tracks quoted line breaks.
// With mapped, a fault reading b (a mapped file that shrank) is an error.
func csvSplitParts(b []byte, workers int, mapped bool) ([]csvPart, error) {
	if workers < 2 || len(b) < 1<<20 {
		if mapped {
			prefault(b)
		}
		recs, err := csvSplit(b)
		return []csvPart{{recs: recs}}, err
	}
	start := 0
	if bytes.HasPrefix(b, []byte("\uFEFF")) {
		start = len("\uFEFF")
	}
	cut := make([]int, workers+1)
	cut[0], cut[workers] = start, len(b)
	for w := 1; w < workers; w++ {
		p := max(start+(len(b)-start)*w/workers, cut[w-1])
		if nl := bytes.IndexByte(b[p:], '\n'); nl >= 0 {
			p += nl + 1
		} else {
			p = len(b)
		}
		cut[w] = p
	}
	parts := make([][]csvRec, workers)
	lines := make([]int, workers) // line breaks in each part
	quoted := make([]bool, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if mapped {
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
				defer onFault(&errs[w])
			}
			var recs []csvRec
			pos, end, line := cut[w], cut[w+1], 0
			if mapped {
				prefault(b[pos:end])
			}
			if nl := bytes.IndexByte(b[pos:end], '\n'); nl > 0 {
				recs = make([]csvRec, 0, (end-pos)/(nl+1)+16)
			}
			for pos < end {
				nl := bytes.IndexByte(b[pos:end], '\n')
				e, next := end, end
				if nl >= 0 {
					e, next = pos+nl, pos+nl+1
				}
				if bytes.IndexByte(b[pos:e], '"') >= 0 {
					quoted[w] = true
					return
				}
				if e > pos && b[e-1] == '\r' {
					e--
				}
				if e > pos {
					recs = append(recs, csvRec{start: pos, end: e, line: line})
				}
				if nl >= 0 {
					line++
				}
				pos = next
			}
			parts[w], lines[w] = recs, line
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for w := range workers {
		if quoted[w] {
			recs, err := csvSplit(b)
			return []csvPart{{recs: recs}}, err
		}
	}
	out := make([]csvPart, workers)
	base := 1
	for w := range workers {
		out[w] = csvPart{recs: parts[w], base: base}
		base += lines[w]
	}
	return out, nil
}

var (
	errNoClosingQuote = errors.New("a quoted field has no closing quote")
	errAfterQuote     = errors.New("unexpected text after the closing quote of a quoted field")
	errBareQuote      = errors.New("a quote inside an unquoted field; quote the whole field and double the quote")
)

// csvField returns the field of b that starts at pos, in a record ending at
// end, and the position of the next field (end+1 after the last one). A
// quoted field is unquoted; the result may then be a new slice.
func csvField(b []byte, pos, end int) ([]byte, int, error) {
	if pos < end && b[pos] == '"' {
		return csvQuoted(b, pos, end)
	}
	f := b[pos:end]
	next := end + 1
	if j := bytes.IndexByte(f, ','); j >= 0 {
		f, next = f[:j], pos+j+1
	}
	if bytes.IndexByte(f, '"') >= 0 {
		return nil, 0, errBareQuote
	}
	return f, next, nil
}

// csvQuoted reads the quoted field starting at b[pos] == '"'.
func csvQuoted(b []byte, pos, end int) ([]byte, int, error) {
	var unq []byte // only when the field has escaped quotes
	i := pos + 1
	for {
		j := bytes.IndexByte(b[i:end], '"')
		if j < 0 {
			return nil, 0, errNoClosingQuote
		}
		if i+j+1 < end && b[i+j+1] == '"' {
			// An escaped quote: keep one.
			unq = append(unq, b[i:i+j+1]...)
			i += j + 2
			continue
		}
		f := b[i : i+j]
		if unq != nil {
			f = append(unq, f...)
		}
		next := i + j + 1
		switch {
		case next == end:
			return f, end + 1, nil
		case b[next] == ',':
			return f, next + 1, nil
		default:
			return nil, 0, errAfterQuote
		}
	}
}

// csvFields returns all fields of a record as strings. It is for short files
// and headers; iData rows are read field by field.
func csvFields(b []byte, r csvRec) ([]string, error) {
	var fields []string
	for pos := r.start; pos <= r.end; {
		f, next, err := csvField(b, pos, r.end)
		if err != nil {
			return nil, fmt.Errorf("field %d: %w", len(fields)+1, err)
		}
		fields = append(fields, string(f))
		pos = next
	}
	return fields, nil
}
