package dashview

import "time"

// Progress is the state of a campaign's assessments under a unit, by the
// units directly under it: for evaluators (unpublished data).
type Progress struct {
	Rows    []ProgressRow
	Total   ProgressRow
	Overdue []Overdue
}

// ProgressRow counts assessments by state.
type ProgressRow struct {
	UnitID                                                  int64
	Code, Name                                              string
	NotStarted, Draft, Submitted, Returned, Approved, Total int
}

// Overdue is an assessment past its due date: the self-assessment (draft
// or returned after self_due) or the review (submitted after review_due).
type Overdue struct {
	Code, Name, Parent string
	Status             string
	Answered           int
	Applicable         int
	Due                time.Time
}

// Calibration is how far self-assessments were from what evaluators
// validated (self index − validated index), over approved assessments.
type Calibration struct {
	Units      []CalibrationRow
	Indicators []CalibrationRow
	Total      CalibrationRow
}

// CalibrationRow is the mean gap of a unit's subtree or of an indicator.
type CalibrationRow struct {
	Code, Name string
	N          int
	MeanGap    float64 // self − validated (positive: the school over-rated itself)
	MeanAbsGap float64
}
