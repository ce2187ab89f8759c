package web

import (
	"context"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/setstore/setview"
)

// The services web is handed are interfaces of its own, each listing
// exactly the methods the handlers call, in types that import no database
// package (dashview): web depends on what it asks of a service, not on how
// the service reads PostgreSQL, so it builds without pgx. cmd/dxindex
// passes the concrete stores (wiring_test.go checks they satisfy these).

// Dashboard is what the handlers read from the dashboard (dashboard.Store).
type Dashboard interface {
	Published(ctx context.Context, id int64) (*dashview.Campaign, error)
	PublishedCampaigns(ctx context.Context) ([]*dashview.Campaign, error)
	Campaign(ctx context.Context, id int64) (*dashview.Campaign, error)
	Unit(ctx context.Context, c *dashview.Campaign, code string) (*dashview.Unit, error)
	UnitByCode(ctx context.Context, code string) (*dashview.Unit, error)
	Ranking(ctx context.Context, c *dashview.Campaign, u *dashview.Unit, f dashview.Filter) (*dashview.Ranking, error)
	School(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.School, error)
	Trend(ctx context.Context, u *dashview.Unit) ([]dashview.TrendPoint, error)
	OfficeTrend(ctx context.Context, u *dashview.Unit) ([]dashview.TrendPoint, error)
	TrendAcross(ctx context.Context, code string) (*dashview.UnitTrend, error)
	LegacyAreas(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) ([]dashview.LegacyArea, error)
	ReviewCountsOf(ctx context.Context, c *dashview.Campaign, unitIDs []int64) (map[int64]dashview.ReviewCounts, error)
	Progress(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.Progress, error)
	Calibration(ctx context.Context, c *dashview.Campaign, u *dashview.Unit) (*dashview.Calibration, error)
}

// Sets is what the handlers ask of the stored indicator sets
// (setstore.Store).
type Sets interface {
	List(ctx context.Context) ([]*setview.Stored, error)
	Get(ctx context.Context, code, version string) (*setview.Stored, error)
	Save(ctx context.Context, set *indicators.Set) (int64, setview.SaveOutcome, error)
}

// Exports reads a campaign for the evaluator's export (dashboard.Exporter).
type Exports interface {
	Campaign(ctx context.Context, campaignID int64, unitCode string) (*dashview.Export, error)
}
