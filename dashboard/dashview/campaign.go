package dashview

import (
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
)

// ErrNotFound: no such campaign or unit, or nothing published (the public
// is not told whether an unpublished campaign exists).
var ErrNotFound = errkind.New(errkind.NotFound, "Không tìm thấy hoặc chưa công bố kết quả.", "not found or not published")

// Campaign is a campaign as the dashboard shows it.
type Campaign struct {
	ID          int64
	Name        string
	SetCode     string
	SetVersion  string
	RootID      int64
	RootCode    string
	RootName    string
	Status      string
	OpensOn     time.Time
	SelfDue     time.Time
	ReviewDue   time.Time
	Revision    int       // published revision; 0: nothing published
	PublishedAt time.Time // of Revision
	Set         *indicators.Set
}

// Unit is a unit as placed in a campaign.
type Unit struct {
	ID   int64
	Code string
	Name string
	Kind string
	// Path is the unit's place when the campaign opened (ids from the
	// root); Crumbs are the units on it, from the campaign's root down,
	// the unit excluded.
	Path   []int64
	Crumbs []Crumb
	// SchoolLevels are the unit's school levels (schools).
	SchoolLevels []string
}

// Crumb is one unit above another.
type Crumb struct{ Code, Name string }

// Offices reports whether the campaign assesses education offices (an
// agency set, issue 13): its results are the offices' own, and a Sở or
// Phòng has a page of its own result as a school does.
func (c *Campaign) Offices() bool {
	return c.Set != nil && c.Set.Assessed == indicators.AssessedAgency
}

// IsSchool reports whether the unit is assessed as a school.
func (u *Unit) IsSchool() bool { return u.Kind == "school" }
