package indicators

import "fmt"

// SchoolResult is what a roll-up reads of one school an office manages,
// in the linked school campaign.
type SchoolResult struct {
	Unit string
	// Validated is true when the school has a validated result (reviewed
	// and accepted by its reviewer); Index and Level are read only then.
	Validated bool
	Index     float64
	Level     int
	// Approved is true when the school's assessment is approved.
	Approved bool
}

// RollupValue is a roll-up indicator's computed value with what it was
// computed from: the provenance the form shows (n of N schools).
type RollupValue struct {
	// Value is the percent (0–100) the engine receives as the answer.
	Value float64 `json:"value"`
	// Counted is the number of schools the measure counted in its
	// numerator: validated at the level (share_at_level), validated
	// (mean_index), approved (participation).
	Counted int `json:"counted"`
	// Schools is the denominator: every assessed school of the office,
	// with or without a validated result.
	Schools int `json:"schools"`
}

// ComputeRollup computes a roll-up indicator's value from the results of
// the office's assessed schools, as format v1.1 defines it:
//
//   - share_at_level: % of the schools whose validated level ≥ min_level;
//   - mean_index: mean validated index of the schools (0–100);
//   - participation: % of the schools with an approved assessment.
//
// A school without a validated result counts in the denominator (and adds
// 0 to a mean). An office with no schools gets 0: there is nothing to
// credit. A validated index is clamped to 0–100, the range of a percent.
func ComputeRollup(r Rollup, schools []SchoolResult) (RollupValue, error) {
	v := RollupValue{Schools: len(schools)}
	sum := 0.0
	for _, s := range schools {
		switch r.Measure {
		case MeasureShareAtLevel:
			if s.Validated && s.Level >= r.MinLevel {
				v.Counted++
			}
		case MeasureMeanIndex:
			if s.Validated {
				v.Counted++
				sum += min(100, max(0, s.Index))
			}
		case MeasureParticipation:
			if s.Approved {
				v.Counted++
			}
		}
	}
	switch r.Measure {
	case MeasureShareAtLevel:
		if r.MinLevel < 1 {
			return RollupValue{}, fmt.Errorf("indicators: share_at_level needs min_level of at least 1, got %d", r.MinLevel)
		}
	case MeasureMeanIndex, MeasureParticipation:
	default:
		return RollupValue{}, fmt.Errorf("indicators: unknown roll-up measure %q", r.Measure)
	}
	if v.Schools == 0 {
		return v, nil
	}
	if r.Measure == MeasureMeanIndex {
		v.Value = sum / float64(v.Schools)
	} else {
		v.Value = float64(v.Counted) / float64(v.Schools) * 100
	}
	return v, nil
}

// Rollups returns the set's roll-up indicators in file order.
func (s *Set) Rollups() []*Indicator {
	var out []*Indicator
	for _, ind := range s.Indicators() {
		if ind.Rollup != nil {
			out = append(out, ind)
		}
	}
	return out
}
