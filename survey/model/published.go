package model

import (
	"time"
)

// PublishedCampaign is a campaign whose results are public, with the time
// its current revision was published.
type PublishedCampaign struct {
	Campaign
	PublishedAt *time.Time
}

// EvidenceRef is one piece of evidence as an export lists it.
type EvidenceRef struct {
	UnitCode     string
	Indicator    string
	ID           int64
	AssessmentID int64
	Kind         string // "link" or "file"
	URL          string
	Filename     string
}
