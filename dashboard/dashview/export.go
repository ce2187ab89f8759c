package dashview

import "github.com/dxindex/dxindex/internal/sheet"

// Export is a campaign's data for a province's own analysis, as
// dashboard.ExportCampaign reads it: one row per assessment (results) and
// one per answer (raw answers, with the evaluator's value where it
// differs).
type Export struct {
	Campaign string
	Results  [][]string
	Answers  [][]string
}

// XLSX writes the export as a workbook with a results sheet and an
// answers sheet.
func (ex *Export) XLSX() ([]byte, error) {
	r, a := ex.results(), ex.answers()
	return sheet.XLSX(sheet.FromStrings(r.name, r.rows, r.numeric), sheet.FromStrings(a.name, a.rows, a.numeric))
}

// CSV writes the results (or the raw answers) as CSV, through the same
// writer as every other file: names and reasons that begin like a formula
// are neutralised.
func (ex *Export) CSV(answers bool) ([]byte, error) {
	s := ex.results()
	if answers {
		s = ex.answers()
	}
	return sheet.CSVBytes(sheet.FromStrings(s.name, s.rows, s.numeric), true)
}

func (ex *Export) results() exportSheet {
	numeric := map[int]bool{}
	if len(ex.Results) > 0 {
		for i := 8; i < len(ex.Results[0]); i++ {
			numeric[i] = true
		}
	}
	return exportSheet{name: "results", rows: ex.Results, numeric: numeric}
}

func (ex *Export) answers() exportSheet {
	return exportSheet{name: "answers", rows: ex.Answers, numeric: map[int]bool{6: true}}
}

// exportSheet is one sheet of an export: numeric columns (by index) are
// written as numbers when they parse.
type exportSheet struct {
	name    string
	rows    [][]string
	numeric map[int]bool
}
