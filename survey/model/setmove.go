package model

import (
	"github.com/dxindex/dxindex/indicators"
)

// SetMove is a preview (or the outcome) of moving a campaign to another
// version of its set.
type SetMove struct {
	CampaignID  int64               `json:"campaign_id"`
	SetCode     string              `json:"set_code"`
	FromVersion string              `json:"from_version"`
	ToVersion   string              `json:"to_version"`
	Rows        []SetMoveRow        `json:"rows"`
	Changes     int                 `json:"level_changes"`
	Added       []string            `json:"added"`   // indicators new in ToVersion: unanswered
	Removed     []string            `json:"removed"` // indicators ToVersion lacks: their answers are set aside
	Applied     bool                `json:"applied"`
	Diff        *indicators.SetDiff `json:"diff"`
}

// SetMoveRow is one assessment's result now and under the other version
// (the validated result: the self-assessment overlaid with the
// evaluators' values).
type SetMoveRow struct {
	AssessmentID int64   `json:"assessment_id"`
	UnitCode     string  `json:"unit_code"`
	UnitName     string  `json:"unit_name"`
	SchoolLevel  string  `json:"school_level,omitempty"`
	Status       string  `json:"status"`
	Index        float64 `json:"index"`
	Level        int     `json:"level"`
	NewIndex     float64 `json:"new_index"`
	NewLevel     int     `json:"new_level"`
	// Dropped are the codes whose answers the other version cannot take
	// (removed, or of another type): set aside when applied.
	Dropped []string `json:"dropped,omitempty"`
}

// LevelChanged reports whether the row changes level.
func (r SetMoveRow) LevelChanged() bool { return r.Level != r.NewLevel }
