package model

import (
	"time"

	"github.com/dxindex/dxindex/indicators"
)

// Publication is one published revision of a campaign's results.
type Publication struct {
	CampaignID  int64     `json:"campaign_id"`
	Revision    int       `json:"revision"`
	ScopeCode   string    `json:"scope_unit_code"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
	Note        string    `json:"note,omitempty"`
	// Published counts the approved assessments frozen in this revision.
	Published int `json:"published"`
	// NotPublished lists the assessments of the scope left out because
	// they are not approved.
	NotPublished []AssessmentRow `json:"not_published"`
}

// Coverage is what a publication would hold: the approved assessments of
// the scope (n) among all its assessments (N), per unit directly under
// the scope too.
type Coverage struct {
	ScopeCode string         `json:"scope_unit_code"`
	ScopeName string         `json:"scope_unit_name"`
	Approved  int            `json:"approved"`
	Total     int            `json:"total"`
	Units     []CoverageUnit `json:"units"`
}

// CoverageUnit is one unit's share of a publication.
type CoverageUnit struct {
	Code     string `json:"unit_code"`
	Name     string `json:"unit_name"`
	Approved int    `json:"approved"`
	Total    int    `json:"total"`
}

// Share is n / N (0 when there is nothing).
func (c Coverage) Share() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Approved) / float64(c.Total)
}

// Share is n / N (0 when there is nothing). Share and Percent are called
// by the publish page's template only, where no static tool sees them.
func (c CoverageUnit) Share() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Approved) / float64(c.Total)
}

// PublishedResult is a unit's result as the public sees it.
type PublishedResult struct {
	AssessmentID int64                   `json:"assessment_id"`
	UnitCode     string                  `json:"unit_code"`
	UnitName     string                  `json:"unit_name"`
	SchoolLevel  string                  `json:"school_level"`
	Index        float64                 `json:"index"`
	Level        int                     `json:"level"`
	Revision     int                     `json:"revision"`
	PublishedAt  time.Time               `json:"published_at"`
	Groups       []indicators.GroupScore `json:"groups"`
	// Review is how the result was reviewed (issue 17).
	Review ReviewCounts `json:"review"`
	// NotSampled: approved on its self-assessment, outside the office's
	// sample (sampled verification, issue 17).
	NotSampled bool `json:"approved_not_sampled"`
}

// Percent is Share in percent.
func (c Coverage) Percent() float64 { return 100 * c.Share() }

// Percent is Share in percent.
func (c CoverageUnit) Percent() float64 { return 100 * c.Share() }
