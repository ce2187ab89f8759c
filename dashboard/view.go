package dashboard

import "github.com/dxindex/dxindex/dashboard/dashview"

// The shapes the dashboard returns and the chart builders live in package
// dashview, which imports no database package, so that the web layer can
// use them without pgx; they are re-exported here so this package and its
// callers name them as before.
type (
	Campaign        = dashview.Campaign
	Unit            = dashview.Unit
	Crumb           = dashview.Crumb
	Filter          = dashview.Filter
	Row             = dashview.Row
	Ranking         = dashview.Ranking
	School          = dashview.School
	IndicatorPoints = dashview.IndicatorPoints
	LevelGap        = dashview.LevelGap
	MandatoryGap    = dashview.MandatoryGap
	GroupGap        = dashview.GroupGap
	TrendPoint      = dashview.TrendPoint
	UnitTrendPoint  = dashview.UnitTrendPoint
	UnitTrend       = dashview.UnitTrend
	Progress        = dashview.Progress
	ProgressRow     = dashview.ProgressRow
	Overdue         = dashview.Overdue
	Calibration     = dashview.Calibration
	CalibrationRow  = dashview.CalibrationRow
	ReviewCounts    = dashview.ReviewCounts
	LegacyArea      = dashview.LegacyArea
	Chart           = dashview.Chart
)

// ErrNotFound: no such campaign or unit, or nothing published.
var ErrNotFound = dashview.ErrNotFound
