package composite

import (
	"errors"
	"fmt"
	"strings"
)

// ParseError reports a problem with an input file at a line and, when it
// concerns one cell, a column. The file name is added by ReadMetaFile and
// ReadDataFile, or by the caller.
type ParseError struct {
	File   string // file name; may be empty
	Line   int    // 1-based line of the file (the header is line 1); 0 for the file as a whole
	Column string // column name; empty when the whole line is at fault
	Msg    string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Column != "" {
			fmt.Fprintf(&b, ", column %s", e.Column)
		}
		b.WriteString(": ")
	} else if e.Column != "" {
		fmt.Fprintf(&b, "column %s: ", e.Column)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxReported is how many problems of one file an error lists; a file with a
// systematic fault (decimal commas, say) would otherwise produce thousands.
const maxReported = 20

// problems collects the ParseErrors of one file.
type problems struct {
	errs []error
	more int
}

func (p *problems) add(line int, col, format string, args ...any) {
	if len(p.errs) == maxReported {
		p.more++
		return
	}
	p.errs = append(p.errs, &ParseError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

func (p *problems) err() error {
	if p.more > 0 {
		p.errs = append(p.errs, fmt.Errorf("and %d more problems", p.more))
	}
	return errors.Join(p.errs...)
}

// withFile sets the file name on every ParseError in err.
func withFile(err error, file string) error {
	var pe *ParseError
	if errors.As(err, &pe) && pe.File == "" {
		pe.File = file
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			withFile(e, file)
		}
	}
	return err
}
