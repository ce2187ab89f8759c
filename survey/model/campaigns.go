package model

import (
	"time"
)

// Campaign is one round of assessment.
type Campaign struct {
	ID                int64     `json:"id"`
	Name              string    `json:"name"`
	SetCode           string    `json:"set_code"`
	SetVersion        string    `json:"set_version"`
	RootUnitCode      string    `json:"root_unit_code"`
	RootUnitName      string    `json:"root_unit_name"`
	Status            string    `json:"status"`
	OpensOn           Date      `json:"opens_on"`
	SelfDue           Date      `json:"self_due"`
	ReviewDue         Date      `json:"review_due"`
	PublishedRevision int       `json:"published_revision"`
	CreatedAt         time.Time `json:"created_at"`
	// FourEyes: who changed values does not approve (issue 17).
	FourEyes bool `json:"four_eyes"`
	// ReplyDays is the school's window to reply to the evaluator's changes.
	ReplyDays int `json:"reply_days"`
	// SchoolCampaignID is, for an agency campaign, the school campaign
	// whose published results its roll-up indicators read.
	SchoolCampaignID *int64 `json:"school_campaign_id,omitempty"`
	// Assessments counts the assessments in the reader's scope, by status.
	Assessments map[string]int `json:"assessments,omitempty"`
	// RootPath is the path of the campaign's root unit (OwnedBy); never
	// written out.
	RootPath []int64 `json:"-"`
}

// Date is a calendar date (no time, no zone), written yyyy-mm-dd in JSON.
type Date struct{ time.Time }

// MarshalJSON writes the date as "yyyy-mm-dd".
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.Format("2006-01-02") + `"`), nil
}

// CampaignInput is what a person writes to create a campaign.
type CampaignInput struct {
	Name         string
	SetCode      string
	SetVersion   string // empty: the latest loaded version
	RootUnitCode string
	OpensOn      time.Time // zero: today
	SelfDue      time.Time // zero: 31 May on or after OpensOn
	ReviewDue    time.Time // zero: 20 June after SelfDue
	// FourEyes forbids whoever changed values to approve. Its zero value
	// (off) is the behaviour before issue 17, for callers of the library
	// (tests, seeds); the web form, the API and the CLI default it to on.
	FourEyes  bool
	ReplyDays int // zero: 5 days
	// SchoolCampaignID (agency sets only): the school campaign whose
	// published results the roll-up indicators read; 0: none yet.
	SchoolCampaignID int64
}

// AssessmentRow is an assessment in a campaign's list (the review queue).
type AssessmentRow struct {
	ID             int64      `json:"id"`
	UnitCode       string     `json:"unit_code"`
	UnitName       string     `json:"unit_name"`
	ParentCode     string     `json:"parent_code"`
	ParentName     string     `json:"parent_name"`
	SchoolLevel    string     `json:"school_level"`
	Status         Status     `json:"status"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	SelfIndex      *float64   `json:"self_index"`
	SelfLevel      *int       `json:"self_level"`
	ValidatedIndex *float64   `json:"validated_index"`
	ValidatedLevel *int       `json:"validated_level"`
	Answered       int        `json:"answered"`
	Applicable     int        `json:"applicable"`
	// SelfDue is the school's deadline: the campaign's or its extension.
	SelfDue Date `json:"self_due"`
	// Overdue: still a draft after the self-assessment deadline, or still
	// submitted (not reviewed) after the review deadline.
	Overdue bool `json:"overdue"`
}

// QueueFilter narrows CampaignAssessments.
type QueueFilter struct {
	Status      string // draft | submitted | returned | approved
	ParentCode  string // the district (the unit's parent in the campaign)
	SchoolLevel string
}

// Vietnam is Vietnam's time zone (UTC+7, no daylight saving): campaign
// dates are Vietnamese calendar days.
var Vietnam = time.FixedZone("ICT", 7*3600)

// MyAssessment is a school's assessment as its home page lists it.
type MyAssessment struct {
	ID           int64    `json:"id"`
	CampaignID   int64    `json:"campaign_id"`
	CampaignName string   `json:"campaign_name"`
	Status       Status   `json:"status"`
	SelfDue      Date     `json:"self_due"`
	SelfIndex    *float64 `json:"self_index"`
	SelfLevel    *int     `json:"self_level"`
	Answered     int      `json:"answered"`
	Applicable   int      `json:"applicable"`
}
