package model

import (
	"time"
)

// ownsCampaign: the office that runs a campaign edits it, an admin, or a
// Sở over the campaign's root (a Phòng evaluates its district's schools
// but does not run a province's campaign).
func (c *Campaign) OwnedBy(a *Actor) bool {
	return a.Is(RoleAdmin, RoleProvince) && a.Covers(c.RootPath)
}

// CampaignEdit is what the campaign's owner may change: its name and
// dates (zero: unchanged), four eyes (nil: unchanged) and the school's
// reply window in days (zero: unchanged).
type CampaignEdit struct {
	Name                        string
	OpensOn, SelfDue, ReviewDue time.Time
	FourEyes                    *bool
	ReplyDays                   int
}
