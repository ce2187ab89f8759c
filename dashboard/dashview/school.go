package dashview

import (
	"time"

	"github.com/dxindex/dxindex/indicators"
)

// School is one school's published result with what to compare it to.
type School struct {
	Campaign *Campaign
	Unit     *Unit
	Row      Row
	// Rank is the school's rank among the schools of its parent (and how
	// many they are).
	Rank, Of int
	// Parent and Province are the means of the parent unit's and the
	// province's (or campaign root's) subtrees.
	Parent, Province Row
	Indicators       []IndicatorPoints
	MandatoryFailed  []string
	Gap              *LevelGap
	Trend            []TrendPoint
	// Review is how the result was reviewed (changes, contested, upheld);
	// nil for a publication made before it was recorded.
	Review *ReviewCounts
}

// IndicatorPoints is one indicator's line of a school's profile.
type IndicatorPoints struct {
	Group, Criterion string
	Indicator        *indicators.Indicator
	Points, Max      float64
	Applies          bool
}

// LevelGap is what a school lacks to reach the next level.
type LevelGap struct {
	Level int // the next level
	Name  indicators.Text
	// Mandatory: every applicable mandatory indicator must be met and is
	// not; MandatoryFailed names those that are not, so the page says
	// which condition holds the school back, not only that one does.
	Mandatory       bool
	MandatoryFailed []MandatoryGap
	Groups          []GroupGap
}

// MandatoryGap is a mandatory indicator the school has not met.
type MandatoryGap struct {
	Code string
	Name indicators.Text
}

// GroupGap is a group's condition of the next level.
type GroupGap struct {
	Code      string
	Name      indicators.Text
	Score     float64
	Op        string // above, at_least
	Threshold float64
	// Met says the condition holds; Missing is the points the group lacks
	// to reach the threshold (for "above" it must then pass it).
	Met     bool
	Missing float64
}

// TrendPoint is one campaign of a unit's history.
type TrendPoint struct {
	CampaignID int64
	Name       string
	OpensOn    time.Time
	Schools    int
	Index      float64
	Median     float64
	Level      int
	Levels     []int
	LevelNums  []int
	// Total is how many schools of the unit the campaign assessed: the N
	// of "n / N đơn vị" (Schools is n, those with a published result).
	Total int
	// names are the level names of the campaign's set.
	names map[int]indicators.Text
}

// Coverage is the share of the unit's schools the point stands for.
func (p TrendPoint) Coverage() float64 {
	if p.Total == 0 {
		return 0
	}
	return float64(p.Schools) / float64(p.Total)
}

// Partial reports a point below CoverageThreshold: drawn apart and left
// out of trend lines, since a mean of a few schools is not the unit's.
func (p TrendPoint) Partial() bool { return p.Coverage() < CoverageThreshold }

// NameLevels keeps the level names of the campaign's set, for LevelName.
func (p *TrendPoint) NameLevels(set *indicators.Set) {
	p.names = make(map[int]indicators.Text, len(set.Levels))
	for _, l := range set.Levels {
		p.names[l.Level] = l.Name
	}
}

// LevelName is level n's name in the point's set.
func (p TrendPoint) LevelName(n int, lang string) string {
	if t, ok := p.names[n]; ok {
		return t.In(lang)
	}
	return NoLevelName(lang)
}
