// Package indicators defines configurable indicator sets and the scoring
// engine: the file format departments write (YAML or JSON, see
// docs/indicator-sets.md and ../shared/reference/indicator-set-format.md),
// its loader and validator, the sets dxindex ships, scoring of one
// assessment, the gap to the next level, and competition ranks.
//
// Everything here is pure Go with no I/O except store.go, which keeps sets
// in PostgreSQL.
package indicators

import "slices"

// Text is a localized text. Vietnamese is required wherever a Text is
// present; English is optional.
type Text struct {
	VI string `yaml:"vi" json:"vi" validate:"required"`
	EN string `yaml:"en,omitempty" json:"en,omitempty"`
}

// In returns the text in lang ("vi" or "en"), falling back to Vietnamese.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.VI
}

// Answer types of an indicator.
const (
	TypeBoolean = "boolean"
	TypeChoice  = "choice"
	TypeMulti   = "multi"
	TypePercent = "percent"
	TypeNumber  = "number"
)

// Kinds of assessed units (Set.Assessed).
const (
	AssessedSchool = "school"
	AssessedAgency = "agency"
)

// SchoolLevels is the vocabulary of school levels, in the order the format
// lists them. A school set that declares no school_levels covers all of
// them.
var SchoolLevels = []string{"primary", "lower_secondary", "upper_secondary", "multi_level", "continuing"}

// Index methods (Index.Method).
const (
	MethodWeightedMean  = "weighted_mean"
	MethodSum           = "sum"
	MethodGeometricMean = "geometric_mean"
)

// Set is one version of an indicator set, as written in its file. The
// struct tags are the file's names; marshalling a Set to JSON gives its
// canonical form.
//
// A Set must not be modified after Parse or Validate succeeded: both
// compile it for scoring, and the compiled form is not recomputed.
type Set struct {
	Code         string   `yaml:"code" json:"code" validate:"required,setcode"`
	Version      string   `yaml:"version" json:"version" validate:"required"`
	Name         Text     `yaml:"name" json:"name"`
	Source       string   `yaml:"source,omitempty" json:"source,omitempty"`
	Assessed     string   `yaml:"assessed,omitempty" json:"assessed,omitempty" validate:"omitempty,oneof=school agency"`
	SchoolLevels []string `yaml:"school_levels,omitempty" json:"school_levels,omitempty" validate:"omitempty,dive,oneof=primary lower_secondary upper_secondary multi_level continuing"`
	// Provisional marks a set whose content is not confirmed as a whole
	// (an extension of the format, see docs/indicator-sets.md).
	Provisional bool    `yaml:"provisional,omitempty" json:"provisional,omitempty"`
	Note        *Text   `yaml:"note,omitempty" json:"note,omitempty" validate:"omitempty"`
	Groups      []Group `yaml:"groups" json:"groups" validate:"required,min=1,dive"`
	Levels      []Level `yaml:"levels" json:"levels" validate:"required,min=1,dive"`
	Index       Index   `yaml:"index,omitempty" json:"index,omitzero"`

	// plan is the compiled form used by Score, set by Validate.
	plan *plan
}

// Group is a group of criteria with its own score scale (max).
type Group struct {
	Code string  `yaml:"code" json:"code" validate:"required,code"`
	Name Text    `yaml:"name" json:"name"`
	Max  float64 `yaml:"max" json:"max" validate:"required,gt=0"`
	// Weight is the group's weight in the index; 0 means the default, 1.
	Weight   float64     `yaml:"weight,omitempty" json:"weight,omitempty" validate:"gte=0"`
	Note     *Text       `yaml:"note,omitempty" json:"note,omitempty" validate:"omitempty"`
	Criteria []Criterion `yaml:"criteria" json:"criteria" validate:"required,min=1,dive"`
}

// EffectiveWeight is Weight, or 1 when none is given.
func (g *Group) EffectiveWeight() float64 {
	if g.Weight == 0 {
		return 1
	}
	return g.Weight
}

// Criterion groups indicators under one heading of the decision.
type Criterion struct {
	Code       string      `yaml:"code" json:"code" validate:"required,code"`
	Name       Text        `yaml:"name" json:"name"`
	Note       *Text       `yaml:"note,omitempty" json:"note,omitempty" validate:"omitempty"`
	Indicators []Indicator `yaml:"indicators" json:"indicators" validate:"required,min=1,dive"`
}

// Indicator is one question of the assessment and how its answer scores.
type Indicator struct {
	Code string `yaml:"code" json:"code" validate:"required,code"`
	Name Text   `yaml:"name" json:"name"`
	Help *Text  `yaml:"help,omitempty" json:"help,omitempty" validate:"omitempty"`
	// Note is shown to administrators (e.g. how sure the set's authors are
	// of this row); Unconfirmed flags rows not checked against the source.
	// Both are extensions of the format, see docs/indicator-sets.md.
	Note        *Text   `yaml:"note,omitempty" json:"note,omitempty" validate:"omitempty"`
	Unconfirmed bool    `yaml:"unconfirmed,omitempty" json:"unconfirmed,omitempty"`
	Type        string  `yaml:"type" json:"type" validate:"required,oneof=boolean choice multi percent number"`
	Points      float64 `yaml:"points,omitempty" json:"points,omitempty" validate:"gte=0"`
	Mandatory   bool    `yaml:"mandatory,omitempty" json:"mandatory,omitempty"`
	// Evidence is required, optional or none; empty means optional.
	Evidence string `yaml:"evidence,omitempty" json:"evidence,omitempty" validate:"omitempty,oneof=required optional none"`
	// EvidenceMaxAgeDays (format v1.1): a dated piece of evidence older
	// than this many days, counted back from the campaign's
	// self-assessment deadline, does not count toward evidence: required.
	// 0: no limit.
	EvidenceMaxAgeDays int `yaml:"evidence_max_age_days,omitempty" json:"evidence_max_age_days,omitempty"`
	// Rollup (format v1.1, agency sets only) makes the indicator a
	// roll-up: its value is computed from the validated results of the
	// office's schools in a linked school campaign (see ComputeRollup),
	// never typed by hand. The engine scores it as the percent it is given.
	Rollup       *Rollup       `yaml:"rollup,omitempty" json:"rollup,omitempty"`
	AppliesTo    []string      `yaml:"applies_to,omitempty" json:"applies_to,omitempty"`
	Options      []Option      `yaml:"options,omitempty" json:"options,omitempty" validate:"dive"`
	Max          float64       `yaml:"max,omitempty" json:"max,omitempty" validate:"gte=0"`
	Bands        []Band        `yaml:"bands,omitempty" json:"bands,omitempty" validate:"dive"`
	Proportional *Proportional `yaml:"proportional,omitempty" json:"proportional,omitempty" validate:"omitempty"`
}

// MaxPoints is the indicator's maximum as the format defines it: points
// (boolean), the largest option (choice), max or the sum of the options
// (multi), the first band or proportional.points (percent, number). A
// mandatory indicator has none.
func (ind *Indicator) MaxPoints() float64 {
	if ind.Mandatory {
		return 0
	}
	switch ind.Type {
	case TypeBoolean:
		return ind.Points
	case TypeChoice:
		m := 0.0
		for _, o := range ind.Options {
			m = max(m, o.Points)
		}
		return m
	case TypeMulti:
		if ind.Max > 0 {
			return ind.Max
		}
		s := 0.0
		for _, o := range ind.Options {
			s += o.Points
		}
		return s
	case TypePercent, TypeNumber:
		if ind.Proportional != nil {
			return ind.Proportional.Points
		}
		if len(ind.Bands) > 0 {
			return ind.Bands[0].Points
		}
	}
	return 0
}

// AppliesToLevel reports whether the indicator applies to a school level
// (an empty applies_to applies to every level).
func (ind *Indicator) AppliesToLevel(level string) bool {
	return len(ind.AppliesTo) == 0 || slices.Contains(ind.AppliesTo, level)
}

// Roll-up measures (Rollup.Measure), format v1.1.
const (
	// MeasureShareAtLevel is the % of the office's assessed schools whose
	// validated level is at least MinLevel.
	MeasureShareAtLevel = "share_at_level"
	// MeasureMeanIndex is the mean validated index of those schools.
	MeasureMeanIndex = "mean_index"
	// MeasureParticipation is the % of them with an approved assessment.
	MeasureParticipation = "participation"
)

// RollupMeasures lists the measures a roll-up indicator may use.
var RollupMeasures = []string{MeasureShareAtLevel, MeasureMeanIndex, MeasureParticipation}

// Rollup says how a roll-up indicator's value is computed from the results
// of the schools an office manages.
type Rollup struct {
	Measure string `yaml:"measure" json:"measure"`
	// MinLevel is the lowest school level counted by share_at_level.
	MinLevel int `yaml:"min_level,omitempty" json:"min_level,omitempty"`
}

// IsRollup reports whether the indicator is a roll-up (format v1.1).
func (ind *Indicator) IsRollup() bool { return ind.Rollup != nil }

// Option is one answer of a choice or multi indicator.
type Option struct {
	Code   string  `yaml:"code" json:"code" validate:"required,code"`
	Name   Text    `yaml:"name" json:"name"`
	Points float64 `yaml:"points" json:"points" validate:"gte=0"`
}

// Band gives Points to a value of at least Min (bands are listed with
// strictly decreasing Min; the first that fits wins).
type Band struct {
	Min    float64 `yaml:"min" json:"min" validate:"gte=0"`
	Points float64 `yaml:"points" json:"points" validate:"gte=0"`
}

// Proportional gives Points × min(value ÷ FullAt, 1).
type Proportional struct {
	Points float64 `yaml:"points" json:"points" validate:"required,gt=0"`
	FullAt float64 `yaml:"full_at" json:"full_at" validate:"required,gt=0"`
}

// Level is one level of the level rule. Levels are listed highest first;
// a unit is at the first level whose conditions all hold, and the last
// level has no conditions.
type Level struct {
	Level int  `yaml:"level" json:"level" validate:"required,min=1"`
	Name  Text `yaml:"name" json:"name"`
	// Mandatory is "all" when every applicable mandatory indicator must be
	// answered true.
	Mandatory  string               `yaml:"mandatory,omitempty" json:"mandatory,omitempty" validate:"omitempty,oneof=all"`
	EveryGroup *Threshold           `yaml:"every_group,omitempty" json:"every_group,omitempty"`
	Groups     map[string]Threshold `yaml:"groups,omitempty" json:"groups,omitempty"`
	// Index (format v1.1) is a condition on the unit's index (Decision
	// 3806 grades an office by its total): from 0 to 100.
	Index *Threshold `yaml:"index,omitempty" json:"index,omitempty"`
}

// HasConditions reports whether the level has any condition.
func (l *Level) HasConditions() bool {
	return l.Mandatory != "" || l.EveryGroup != nil || len(l.Groups) > 0 || l.Index != nil
}

// Threshold is a condition on a group's score: above is strict (>),
// at_least inclusive (>=). Exactly one is set.
type Threshold struct {
	Above   *float64 `yaml:"above,omitempty" json:"above,omitempty"`
	AtLeast *float64 `yaml:"at_least,omitempty" json:"at_least,omitempty"`
}

// Op returns "above" or "at_least" and the threshold's value.
func (t Threshold) Op() (string, float64) {
	if t.Above != nil {
		return "above", *t.Above
	}
	if t.AtLeast != nil {
		return "at_least", *t.AtLeast
	}
	return "", 0
}

// Met reports whether score satisfies the threshold, comparing exactly.
func (t Threshold) Met(score float64) bool {
	if t.Above != nil && !(score > *t.Above) {
		return false
	}
	if t.AtLeast != nil && !(score >= *t.AtLeast) {
		return false
	}
	return true
}

// Index says how one number per unit is formed for ranking.
type Index struct {
	Method string `yaml:"method,omitempty" json:"method,omitempty" validate:"omitempty,oneof=weighted_mean sum geometric_mean"`
}

// EffectiveMethod is Method, or weighted_mean when none is given.
func (x Index) EffectiveMethod() string {
	if x.Method == "" {
		return MethodWeightedMean
	}
	return x.Method
}

// EffectiveAssessed is Assessed, or school when none is given.
func (s *Set) EffectiveAssessed() string {
	if s.Assessed == "" {
		return AssessedSchool
	}
	return s.Assessed
}

// EffectiveSchoolLevels are the school levels the set covers: its
// school_levels, or for a school set that declares none every level of
// SchoolLevels. An agency set without school_levels covers none.
func (s *Set) EffectiveSchoolLevels() []string {
	if len(s.SchoolLevels) > 0 || s.EffectiveAssessed() == AssessedAgency {
		return s.SchoolLevels
	}
	return SchoolLevels
}

// Indicator returns the indicator with the given code.
func (s *Set) Indicator(code string) (*Indicator, bool) {
	for gi := range s.Groups {
		for ci := range s.Groups[gi].Criteria {
			c := &s.Groups[gi].Criteria[ci]
			for ii := range c.Indicators {
				if c.Indicators[ii].Code == code {
					return &c.Indicators[ii], true
				}
			}
		}
	}
	return nil, false
}

// Indicators returns every indicator of the set in file order.
func (s *Set) Indicators() []*Indicator {
	var out []*Indicator
	for gi := range s.Groups {
		for ci := range s.Groups[gi].Criteria {
			c := &s.Groups[gi].Criteria[ci]
			for ii := range c.Indicators {
				out = append(out, &c.Indicators[ii])
			}
		}
	}
	return out
}

// kindError is a sentinel error of one of errkind's kinds with its own
// message, so that the web layer maps it with errors.Is.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }
