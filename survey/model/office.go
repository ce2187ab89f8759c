package model

import (
	"fmt"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
)

// IsOffice reports whether x assesses an education office (an agency set).
func (x *Assessment) IsOffice() bool {
	return x.Set != nil && x.Set.Assessed == indicators.AssessedAgency
}

// ownOffice: a's own office is the one assessed (nobody reviews themself).
func (x *Assessment) ownOffice(a *Actor) bool {
	return x.IsOffice() && a.UnitID == x.UnitID
}

// officeReviewer: the roles that review an office's assessment, inside
// their scope and above the office (scope and ownOffice are checked by
// CanReview): the Ministry, a Sở (its Phòng), an admin.
func officeReviewer(a *Actor) bool {
	return a.Role == RoleAdmin || a.Role == RoleMinistry || a.Role == RoleProvince || a.Role == RoleDistrict
}

// WritableIndicator is IndicatorOf for a value typed by a person: a
// roll-up indicator is computed from the schools' results, never typed.
func (x *Assessment) WritableIndicator(code string) (*indicators.Indicator, error) {
	ind, err := x.IndicatorOf(code)
	if err != nil {
		return nil, err
	}
	if ind.IsRollup() {
		return nil, errkind.New(errkind.Invalid,
			fmt.Sprintf("Chỉ số %s được tính tự động từ kết quả đã công bố của các trường trực thuộc, không nhập tay.", code),
			fmt.Sprintf("indicator %s is computed from the published results of the schools managed and cannot be typed", code))
	}
	return ind, nil
}

// RollupView is a roll-up indicator's value as the form shows it, with
// its provenance.
type RollupView struct {
	Value              float64    `json:"value"`
	Counted            int        `json:"counted"`
	Schools            int        `json:"schools"`
	SchoolCampaignID   int64      `json:"school_campaign_id"`
	SchoolCampaignName string     `json:"school_campaign_name"`
	Revision           int        `json:"revision"`
	ComputedAt         time.Time  `json:"computed_at"`
	FrozenAt           *time.Time `json:"frozen_at,omitempty"`
}
